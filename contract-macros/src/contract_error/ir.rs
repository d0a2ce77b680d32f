//! The validated model of a `#[derive(ContractError)]` type.

use proc_macro2::{Span, TokenStream};
use syn::{Ident, LitInt, LitStr};

/// The error type: an enum (one case per variant) or a struct (one case).
pub struct ErrorType {
    pub ident: Ident,
    pub cases: Vec<Case>,
    /// The case whose `#[from]` field is a `ContractError`: every framework error converts into
    /// it, so `?` works on the framework's own errors.
    pub accepts_contract_error: Option<usize>,
}

/// One variant (or the struct itself).
pub struct Case {
    /// The variant's name (the struct's for a struct).
    pub name: Ident,
    /// The pattern binding every field (`Enum::V { a, b }`, `Enum::V(_0)`, `Enum::V`).
    pub pattern: TokenStream,
    pub spec: Spec,
    /// The binding of the `#[source]` / `#[from]` / transparent field.
    pub source: Option<Ident>,
    /// The `#[from]` field's type and how to build the case from `source`.
    pub from: Option<(syn::Type, TokenStream)>,
}

/// One `#[error(…)]`.
pub struct Spec {
    pub message: Message,
    pub code: Option<LitStr>,
    pub status: Option<LitInt>,
}

/// The message of a case.
pub enum Message {
    Template(LitStr),
    Transparent(Span),
}
