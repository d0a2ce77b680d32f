//! Which contexts may read and which may write.
//!
//! Typed collections take `&impl ReadCtx` for reads and `&impl WriteCtx` for writes. Both
//! traits are sealed: [`EvaluateCtx`] is read-only, [`SubmitCtx`] and the raw [`Stub`] may
//! write. Writing through an evaluate context therefore does not compile:
//!
//! ```compile_fail
//! use fabric_contract::EvaluateCtx;
//! use fabric_contract::state::Item;
//!
//! const COUNT: Item<u64> = Item::new("count");
//! async fn bump(ctx: &EvaluateCtx) {
//!     COUNT.save(ctx, &1).await.unwrap(); // EvaluateCtx is not a WriteCtx
//! }
//! ```

use crate::ctx::{EvaluateCtx, SubmitCtx};
use crate::stub::Stub;

pub(crate) mod sealed {
    /// Gives the state modules the transaction's stub without exposing it to users.
    pub trait Sealed {
        fn stub(&self) -> &crate::stub::Stub;
    }
}

/// A context that can read the ledger: [`EvaluateCtx`], [`SubmitCtx`] or [`Stub`].
pub trait ReadCtx: sealed::Sealed + Sync {}

/// A context that can write the ledger: [`SubmitCtx`] or [`Stub`].
pub trait WriteCtx: ReadCtx {}

impl sealed::Sealed for EvaluateCtx {
    fn stub(&self) -> &Stub {
        EvaluateCtx::stub(self)
    }
}
impl ReadCtx for EvaluateCtx {}

impl sealed::Sealed for SubmitCtx {
    fn stub(&self) -> &Stub {
        self.read_only().stub()
    }
}
impl ReadCtx for SubmitCtx {}
impl WriteCtx for SubmitCtx {}

impl sealed::Sealed for Stub {
    fn stub(&self) -> &Stub {
        self
    }
}
impl ReadCtx for Stub {}
impl WriteCtx for Stub {}
