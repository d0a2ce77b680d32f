//! `transactionhooks`: a before hook that fills the transaction's own context from transient
//! data, a transaction that reads it, and an after hook that sees the transaction's return value.
//!
//! Transient entries steer the suite's scenarios: `fail` = `BEFORE`, `NAMED` or `AFTER` makes
//! that step fail; `before_key` / `before_value` are kept by the before hook for
//! `writeBeforeValue`; `after_key` makes the after hook store the returned value under it.

use fabric_contract::contract::{Returned, TxContext};
use fabric_contract::prelude::*;

/// The transaction context of [`TransactionHookContract`]: the framework's context plus what the
/// before hook kept (the Go suite chaincode's custom `TransactionContextInterface`).
#[derive(Debug)]
pub struct HookCtx {
    ctx: SubmitCtx,
    before_key: Option<String>,
    before_value: Option<String>,
}

impl TxContext for HookCtx {
    fn new(ctx: SubmitCtx) -> Self {
        Self {
            ctx,
            before_key: None,
            before_value: None,
        }
    }

    fn submit_ctx(&self) -> &SubmitCtx {
        &self.ctx
    }
}

impl std::ops::Deref for HookCtx {
    type Target = SubmitCtx;

    fn deref(&self) -> &SubmitCtx {
        &self.ctx
    }
}

/// The failures the suite provokes, with the exact texts it expects.
#[derive(Debug, fabric_contract::ContractError)]
pub enum HookError {
    /// Transient `fail` = `BEFORE`.
    #[error("Before transaction failed")]
    Before,
    /// Transient `fail` = `NAMED`.
    #[error("Named transaction failed")]
    Named,
    /// Transient `fail` = `AFTER`.
    #[error("After transaction failed")]
    After,
    /// `writeBeforeValue` without the transient entries the before hook keeps.
    #[error("writeBeforeValue needs the transient entries before_key and before_value")]
    NothingKept,
    /// The ledger refused a read or write.
    #[error(transparent)]
    Ledger(#[from] StubError),
}

/// The suite's `TransactionHookContract`.
#[derive(Debug, Default)]
pub struct TransactionHookContract;

#[contract(name = "TransactionHookContract", context = HookCtx)]
impl TransactionHookContract {
    /// Fails on `fail` = `BEFORE`; otherwise keeps `before_key` and `before_value` in the
    /// transaction's context.
    #[before]
    async fn before(
        &self,
        ctx: &mut HookCtx,
        #[transient] fail: Option<String>,
        #[transient] before_key: Option<String>,
        #[transient] before_value: Option<String>,
    ) -> Result<(), HookError> {
        if fail.as_deref() == Some("BEFORE") {
            return Err(HookError::Before);
        }
        ctx.before_key = before_key;
        ctx.before_value = before_value;
        Ok(())
    }

    /// Fails on `fail` = `NAMED`; otherwise writes the value the before hook kept under its key.
    #[submit(name = "writeBeforeValue")]
    async fn write_before_value(
        &self,
        ctx: &HookCtx,
        #[transient] fail: Option<String>,
    ) -> Result<(), HookError> {
        if fail.as_deref() == Some("NAMED") {
            return Err(HookError::Named);
        }
        let (Some(key), Some(value)) = (&ctx.before_key, &ctx.before_value) else {
            return Err(HookError::NothingKept);
        };
        Ok(ctx.put_state(key, value.as_bytes()).await?)
    }

    /// Answers `passToAfter` (which the after hook may store).
    #[submit(name = "passAfterValue")]
    #[allow(non_snake_case, reason = "the suite's parameter name")]
    async fn pass_after_value(&self, _ctx: &HookCtx, passToAfter: String) -> String {
        passToAfter
    }

    /// Fails on `fail` = `AFTER`; otherwise, when `after_key` is sent and the transaction
    /// returned a value, writes that value under `after_key`.
    #[after]
    async fn after(
        &self,
        ctx: &HookCtx,
        returned: &Returned,
        #[transient] fail: Option<String>,
        #[transient] after_key: Option<String>,
    ) -> Result<(), HookError> {
        if fail.as_deref() == Some("AFTER") {
            return Err(HookError::After);
        }
        if let (Some(key), true) = (after_key, returned.has_value()) {
            ctx.put_state(&key, returned.payload()).await?;
        }
        Ok(())
    }
}
