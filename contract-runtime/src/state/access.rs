//! Which contexts typed state reads and writes through: the ledger's own halves.
//!
//! Typed collections take `&impl LedgerRead` for reads and `&impl LedgerWrite` for writes, so
//! they run on [`EvaluateCtx`](crate::EvaluateCtx) (reads only), [`SubmitCtx`](crate::SubmitCtx)
//! and the raw [`Stub`](crate::Stub) through the same single implementation of the ledger
//! API. Writing through an evaluate context therefore does not compile:
//!
//! ```compile_fail
//! use fabric_contract::prelude::*;
//!
//! const COUNT: Item<u64> = Item::new("count");
//! async fn bump(ctx: &EvaluateCtx) {
//!     COUNT.save(ctx, &1).await.unwrap(); // EvaluateCtx is not LedgerWrite
//! }
//! ```

// The collections name the halves by their role for a collection.
pub(crate) use crate::ledger::{LedgerRead as ReadCtx, LedgerWrite as WriteCtx};
