//! Procedural macros of `fabric-contract`. Use them through `fabric_contract`, which re-exports
//! them; generated code targets `::fabric_contract::__private` only.
//!
//! Each macro has the same shape, one folder each: `parse` turns the tokens into a validated
//! model (`ir`), reporting every mistake at the user's tokens in one build, and `codegen` turns
//! the model into code that cannot fail. `common` holds what they share: the attribute grammar,
//! error collection and the determinism lint.

mod common;
mod contract;
mod contract_error;
mod object;

use proc_macro::TokenStream;
use proc_macro_crate::{FoundCrate, crate_name};
use quote::quote;

/// The path of the `fabric-contract` crate as the user's crate names it.
fn krate() -> proc_macro2::TokenStream {
    match crate_name("fabric-contract") {
        Ok(FoundCrate::Name(name)) => {
            let ident = proc_macro2::Ident::new(&name, proc_macro2::Span::call_site());
            quote!(::#ident)
        }
        // Inside fabric-contract itself (its tests and doc tests) `extern crate self as
        // fabric_contract` makes the absolute path work.
        _ => quote!(::fabric_contract),
    }
}

/// Turns an inherent `impl` block into a Fabric contract.
///
/// `#[contract(name = "…", default, context = MyCtx)]`; methods marked `#[submit]`, `#[evaluate]`,
/// `#[init]` (each with an optional `name = "…"`) are transactions; `#[before]`, `#[after]`,
/// `#[unknown]` are hooks; `#[transient]` / `#[transient("key")]` on a parameter (of a transaction
/// or a hook) reads it from the transient map. `context = MyCtx` names the contract's own
/// per-transaction context (a `TxContext`), which the `#[before]` hook receives as `&mut`. See the
/// `fabric_contract` crate documentation.
#[proc_macro_attribute]
pub fn contract(args: TokenStream, item: TokenStream) -> TokenStream {
    contract::expand(args.into(), item.into(), &krate()).into()
}

/// Marks a struct or fieldless enum as a JSON object of the contract interface: derives
/// `Serialize`, `Deserialize` and `JsonSchema`, rejects unknown fields, and checks the type can
/// be described in Fabric metadata.
#[proc_macro_attribute]
pub fn object(args: TokenStream, item: TokenStream) -> TokenStream {
    object::expand(args.into(), item.into(), &krate()).into()
}

/// Derives `Display`, `std::error::Error`, `From` (for `#[from]` fields) and the conversion into
/// `ContractError` from `#[error("template", code = "CODE", status = 409)]` attributes.
#[proc_macro_derive(ContractError, attributes(error, from, source))]
pub fn derive_contract_error(input: TokenStream) -> TokenStream {
    contract_error::expand(input.into(), &krate()).into()
}

#[cfg(test)]
mod expand_tests;
