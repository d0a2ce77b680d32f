//! `#[object]`: a type that travels as JSON in arguments, results, events and state.

mod codegen;
mod ir;
mod keys;
mod parse;

use proc_macro2::TokenStream;

pub fn expand(args: TokenStream, item: TokenStream, krate: &TokenStream) -> TokenStream {
    match parse::parse(args, item) {
        Ok(model) => codegen::object(&model, krate),
        Err(e) => e.to_compile_error(),
    }
}
