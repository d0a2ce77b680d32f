//! The validated model of a `#[contract]` impl block: what `parse` produces and `codegen`
//! consumes. Building it is the only step that can fail.

use proc_macro2::Span;
use syn::{Ident, ItemImpl, Type};

/// Submit or evaluate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
    Submit,
    Evaluate,
}

/// A hook's role.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HookKind {
    Before,
    After,
    Unknown,
}

impl HookKind {
    pub fn attr(self) -> &'static str {
        match self {
            HookKind::Before => "before",
            HookKind::After => "after",
            HookKind::Unknown => "unknown",
        }
    }

    /// The parameters after the context, as the user must write them (any number of
    /// `#[transient]` parameters may follow).
    pub fn extra(self) -> (usize, &'static str) {
        match self {
            HookKind::Before => (0, "async fn before(&self, ctx: &EvaluateCtx)"),
            HookKind::After => (
                1,
                "async fn after(&self, ctx: &EvaluateCtx, returned: &Returned)",
            ),
            HookKind::Unknown => (
                1,
                "async fn unknown(&self, ctx: &EvaluateCtx, function: &str)",
            ),
        }
    }
}

/// The contract.
pub struct Contract {
    pub item: ItemImpl,
    pub self_ty: Type,
    pub name: String,
    pub default: bool,
    pub docs: Option<String>,
    pub txs: Vec<Tx>,
    pub hooks: Vec<Hook>,
    /// `#[contract(events(Name = Type, …))]`: the events the contract emits, with their payloads.
    pub events: Vec<Event>,
    /// `#[contract(context = …)]`: the contract's own per-transaction context.
    pub context: Option<Type>,
}

/// One declared event.
pub struct Event {
    /// The event name passed to `ctx.set_event`.
    pub name: String,
    /// The payload type (its schema is published).
    pub ty: Type,
}

/// One transaction method.
pub struct Tx {
    pub ident: Ident,
    pub name: String,
    pub name_span: Span,
    pub kind: TxKind,
    pub init: bool,
    pub docs: Option<String>,
    pub ctx_ty: Type,
    pub params: Vec<Param>,
    pub ret: Type,
    /// `T` and `E` when the return type is written `Result<T, E>`: generated bounds then name
    /// each at its own span (and `#[errors]` can name `E`'s variants).
    pub ok_err: Option<(Type, Type)>,
    /// `#[errors(Variant, …)]`: the error variants this transaction may answer with; `None`
    /// publishes every coded variant of the error type.
    pub errors: Option<Vec<Ident>>,
    /// `#[require(…)]` conditions, in source order.
    pub require: Vec<Require>,
}

/// One `#[require(…)]`: every listed condition must hold.
#[derive(Default)]
pub struct Require {
    /// The caller's MSP must be one of these.
    pub msp: Vec<String>,
    /// `(name, value)` Fabric CA attributes.
    pub attrs: Vec<(String, String)>,
    /// Organizational units.
    pub ous: Vec<String>,
}

/// One parameter after the context.
pub struct Param {
    pub ident: Ident,
    pub ty: Type,
    pub transient: Option<String>,
}

/// One hook method.
pub struct Hook {
    pub ident: Ident,
    pub kind: HookKind,
    pub ctx_ty: Type,
    /// `ctx: &mut Context` (only the `#[before]` hook of a contract with its own context).
    pub ctx_mut: bool,
    /// The referenced type of the shape's positional parameter (`Returned` or `[u8]` for
    /// `#[after]`, `str` for `#[unknown]`).
    pub extra: Option<Type>,
    /// `#[transient]` parameters after the shape's own.
    pub transient: Vec<Param>,
    pub ret: Type,
}
