//! `#[contract]`: an inherent `impl` block becomes a Fabric contract.

mod codegen;
mod ir;
mod parse;

use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(args: TokenStream, item: TokenStream, krate: &TokenStream) -> TokenStream {
    match parse::parse(args, item) {
        Ok(model) => codegen::contract(&model, krate),
        Err((e, item)) => {
            let errors = e.to_compile_error();
            quote!(#item #errors)
        }
    }
}

/// The model and the code, for the expansion snapshots.
#[cfg(test)]
pub fn expand_valid(args: TokenStream, item: TokenStream, krate: &TokenStream) -> TokenStream {
    match parse::parse(args, item) {
        Ok(model) => codegen::contract(&model, krate),
        Err((e, _)) => panic!("the snapshot contract must be valid: {e}"),
    }
}
