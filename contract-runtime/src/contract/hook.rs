//! What generated code needs around a method call: the context a method takes, what a hook may
//! return, and the answer for an index no transaction has.

use super::TxFuture;
use super::error::{ContractError, IntoContractError};
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

/// The context type of `#[submit]` and `#[init]` methods.
#[diagnostic::on_unimplemented(
    message = "`#[submit]` and `#[init]` transactions take `&SubmitCtx` as their first parameter",
    label = "expected `SubmitCtx` here",
    note = "use `#[evaluate]` for a read-only transaction taking `&EvaluateCtx`"
)]
pub trait IsSubmitCtx {
    /// The context handed to the method.
    fn get(ctx: &SubmitCtx) -> &Self;
}

impl IsSubmitCtx for SubmitCtx {
    fn get(ctx: &SubmitCtx) -> &Self {
        ctx
    }
}

/// The context type of `#[evaluate]` methods and hooks.
#[diagnostic::on_unimplemented(
    message = "`#[evaluate]` transactions and hooks take `&EvaluateCtx` as their first parameter",
    label = "expected `EvaluateCtx` here",
    note = "use `#[submit]` for a transaction that writes, taking `&SubmitCtx`"
)]
pub trait IsEvaluateCtx {
    /// The read-only view of a submit context.
    fn get(ctx: &SubmitCtx) -> &Self;
    /// The context itself.
    fn view(ctx: &EvaluateCtx) -> &Self;
}

impl IsEvaluateCtx for EvaluateCtx {
    fn get(ctx: &SubmitCtx) -> &Self {
        ctx.read_only()
    }
    fn view(ctx: &EvaluateCtx) -> &Self {
        ctx
    }
}

/// The future of an index no transaction has (the router never asks for one).
pub fn no_such_transaction<'a>(index: usize) -> TxFuture<'a, Vec<u8>> {
    Box::pin(async move {
        Err(ContractError::new(format!(
            "no transaction with index {index} in this contract"
        )))
    })
}
