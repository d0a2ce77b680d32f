//! What generated code needs around a method call: the context a method or hook takes (the
//! framework's or the contract's own), what a hook may return, how the `#[after]` hook sees the
//! result, and the answer for an index no transaction has.

use super::TxFuture;
use super::context::{ContractContext, Returned, TxContext};
use super::error::IntoContractError;
use crate::ContractError;
use crate::ctx::{EvaluateCtx, SubmitCtx};

/// What a hook may return: `()` or `Result<(), E>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a hook",
    label = "hooks return `()` or `Result<(), E>` with `E: Into<ContractError>`"
)]
pub trait HookOutput {
    /// The hook's outcome.
    fn finish(self) -> Result<(), ContractError>;
}

impl HookOutput for () {
    fn finish(self) -> Result<(), ContractError> {
        Ok(())
    }
}

impl<E: IntoContractError> HookOutput for Result<(), E> {
    fn finish(self) -> Result<(), ContractError> {
        self.map_err(IntoContractError::into_contract_error)
    }
}

/// The context type of `#[submit]` and `#[init]` methods of a contract whose context is `C`.
#[diagnostic::on_unimplemented(
    message = "`#[submit]` and `#[init]` transactions take `&SubmitCtx` (or the contract's own context) as their first parameter",
    label = "expected `SubmitCtx` here",
    note = "use `#[evaluate]` for a read-only transaction taking `&EvaluateCtx`; a contract's own context is declared with `#[contract(context = …)]`"
)]
pub trait IsSubmitCtx<C> {
    /// The context handed to the method.
    fn get(ctx: &C) -> &Self;
}

impl<C: ContractContext> IsSubmitCtx<C> for SubmitCtx {
    fn get(ctx: &C) -> &Self {
        ctx.base()
    }
}

impl<C: TxContext> IsSubmitCtx<C> for C {
    fn get(ctx: &C) -> &Self {
        ctx
    }
}

/// The context type of `#[evaluate]` methods of a contract whose context is `C`.
#[diagnostic::on_unimplemented(
    message = "`#[evaluate]` transactions take `&EvaluateCtx` (or the contract's own context) as their first parameter",
    label = "expected `EvaluateCtx` here",
    note = "use `#[submit]` for a transaction that writes, taking `&SubmitCtx`"
)]
pub trait IsEvaluateCtx<C> {
    /// The context handed to the method.
    fn get(ctx: &C) -> &Self;
}

impl<C: ContractContext> IsEvaluateCtx<C> for EvaluateCtx {
    fn get(ctx: &C) -> &Self {
        ctx.base().read_only()
    }
}

impl<C: TxContext> IsEvaluateCtx<C> for C {
    fn get(ctx: &C) -> &Self {
        ctx
    }
}

/// The context type of hooks of a contract whose context is `C`.
#[diagnostic::on_unimplemented(
    message = "hooks take `&EvaluateCtx`, `&SubmitCtx` or the contract's own context as their first parameter",
    label = "not a context of this contract",
    note = "a contract's own context is declared with `#[contract(context = …)]`"
)]
pub trait IsHookCtx<C> {
    /// The context handed to the hook.
    fn get(ctx: &C) -> &Self;
}

impl<C: ContractContext> IsHookCtx<C> for EvaluateCtx {
    fn get(ctx: &C) -> &Self {
        ctx.base().read_only()
    }
}

impl<C: ContractContext> IsHookCtx<C> for SubmitCtx {
    fn get(ctx: &C) -> &Self {
        ctx.base()
    }
}

impl<C: TxContext> IsHookCtx<C> for C {
    fn get(ctx: &C) -> &Self {
        ctx
    }
}

/// What the `#[after]` hook may take the transaction's result as.
#[diagnostic::on_unimplemented(
    message = "an `#[after]` hook receives the transaction's result as `&Returned` or `&[u8]`, not `&{Self}`",
    label = "expected `Returned` or `[u8]` here"
)]
pub trait AfterArg {
    /// The view of the result.
    fn get(returned: &Returned) -> &Self;
}

impl AfterArg for Returned {
    fn get(returned: &Returned) -> &Self {
        returned
    }
}

impl AfterArg for [u8] {
    fn get(returned: &Returned) -> &Self {
        returned.payload()
    }
}

/// The framework context inside any contract context (for decoding a hook's transient entries).
pub fn base<C: ContractContext>(ctx: &C) -> &SubmitCtx {
    ctx.base()
}

/// The future of an index no transaction has (the router never asks for one).
pub fn no_such_transaction<'a>(index: usize) -> TxFuture<'a, Returned> {
    Box::pin(async move {
        Err(ContractError::new(format!(
            "no transaction with index {index} in this contract"
        )))
    })
}
