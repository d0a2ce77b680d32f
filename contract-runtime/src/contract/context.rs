//! Per-transaction contexts: the one a contract defines itself (`#[contract(context = …)]`), and
//! what the `#[after]` hook sees of a transaction's result ([`Returned`]).

use super::args::TxArg;
use crate::ContractError;
use crate::ctx::SubmitCtx;

/// A transaction context a contract defines itself, created fresh for every transaction: the
/// `#[before]` hook fills it (it receives `&mut`), the transaction method reads it, and the
/// `#[after]` hook sees it. It plays the part of a custom `TransactionContextInterface` in the Go
/// contract API and of `createContext()` in Node.
///
/// The type wraps the framework's [`SubmitCtx`]; implementing `Deref<Target = SubmitCtx>` as
/// well makes every ledger call available on it directly.
///
/// ```
/// use fabric_contract::contract::TxContext;
/// use fabric_contract::prelude::*;
///
/// /// What the before hook learned about the caller, for the rest of the transaction.
/// pub struct AuditCtx {
///     ctx: SubmitCtx,
///     caller_msp: String,
/// }
///
/// impl TxContext for AuditCtx {
///     fn new(ctx: SubmitCtx) -> Self {
///         Self { ctx, caller_msp: String::new() }
///     }
///     fn submit_ctx(&self) -> &SubmitCtx {
///         &self.ctx
///     }
/// }
///
/// #[derive(Default)]
/// pub struct Audited;
///
/// #[contract(context = AuditCtx)]
/// impl Audited {
///     #[before]
///     async fn remember_caller(&self, ctx: &mut AuditCtx) -> Result<(), ContractError> {
///         ctx.caller_msp = ctx.submit_ctx().client_msp_id()?;
///         Ok(())
///     }
///
///     #[submit]
///     async fn stamp(&self, ctx: &AuditCtx, key: String) -> Result<(), ContractError> {
///         Ok(ctx.submit_ctx().put_state(&key, ctx.caller_msp.as_bytes()).await?)
///     }
///
///     /// Methods may still take the framework's contexts.
///     #[evaluate]
///     async fn read(&self, ctx: &EvaluateCtx, key: String) -> Result<Option<Vec<u8>>, ContractError> {
///         Ok(ctx.get_state(&key).await?)
///     }
/// }
/// ```
pub trait TxContext: Send + Sync + 'static {
    /// The context of a new transaction, around the framework's context.
    fn new(ctx: SubmitCtx) -> Self;

    /// The framework's context inside (ledger access, transient data, identity).
    fn submit_ctx(&self) -> &SubmitCtx;
}

/// The context a contract's transactions and hooks run with: [`SubmitCtx`] by default, or the
/// contract's own [`TxContext`]. Implemented for exactly those; generated code relies on it.
pub trait ContractContext: Send + Sync + Sized + 'static {
    /// A fresh context for one transaction.
    fn create(ctx: SubmitCtx) -> Self;

    /// The framework's context.
    fn base(&self) -> &SubmitCtx;
}

impl ContractContext for SubmitCtx {
    fn create(ctx: SubmitCtx) -> Self {
        ctx
    }

    fn base(&self) -> &SubmitCtx {
        self
    }
}

impl<C: TxContext> ContractContext for C {
    fn create(ctx: SubmitCtx) -> Self {
        C::new(ctx)
    }

    fn base(&self) -> &SubmitCtx {
        self.submit_ctx()
    }
}

/// What a transaction returned, as the `#[after]` hook receives it: the encoded response payload
/// and whether the method returned a value at all (`()` and `None` do not, like Go's `nil`).
///
/// ```
/// use fabric_contract::contract::Returned;
///
/// let returned = Returned::new(b"42".to_vec(), true);
/// assert_eq!(returned.text(), Some("42"));
/// assert_eq!(returned.decode::<i64>().unwrap(), 42);
/// assert!(Returned::new(Vec::new(), false).text().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    payload: Vec<u8>,
    value: bool,
}

impl Returned {
    /// A result: the response `payload`, and whether the method returned a value.
    pub fn new(payload: Vec<u8>, value: bool) -> Self {
        Self { payload, value }
    }

    /// The response payload the client receives (plain text for strings, numbers and booleans,
    /// JSON for arrays and objects, raw bytes for `Vec<u8>`; empty when there is no value).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Whether the method returned a value (`false` for `()` and `None`).
    pub fn has_value(&self) -> bool {
        self.value
    }

    /// The payload as text, when there is a value and it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        if !self.value {
            return None;
        }
        std::str::from_utf8(&self.payload).ok()
    }

    /// The value decoded as `T`, the way a transaction argument of type `T` is decoded.
    pub fn decode<T: TxArg>(&self) -> Result<T, ContractError> {
        if !self.value {
            return T::absent()
                .ok_or_else(|| ContractError::new("the transaction returned no value to decode"));
        }
        T::decode(&self.payload).map_err(|fault| {
            ContractError::new(format!(
                "the transaction's result {} is not a {}: {}",
                super::args::preview(&self.payload),
                fault.expected,
                fault.reason
            ))
        })
    }

    /// The payload, consumed.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }
}
