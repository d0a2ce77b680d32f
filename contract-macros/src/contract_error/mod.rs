//! `#[derive(ContractError)]`: `Display` from `#[error("…")]` templates, `std::error::Error`,
//! `From` for `#[from]` fields (and for every framework error when a case accepts
//! `ContractError`), the conversion into `ContractError` with optional code and status, and the
//! codes published in the metadata.

mod codegen;
mod ir;
mod parse;

use proc_macro2::TokenStream;

pub fn expand(input: TokenStream, krate: &TokenStream) -> TokenStream {
    match parse::parse(input) {
        Ok(model) => codegen::contract_error(&model, krate),
        Err(e) => e.to_compile_error(),
    }
}
