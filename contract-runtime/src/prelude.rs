//! The names a contract author needs, in one `use`:
//!
//! ```
//! use fabric_contract::prelude::*;
//! ```
//!
//! It brings the macros (`#[contract]`, `#[object]`, `#[derive(ContractError)]`), the contexts
//! ([`EvaluateCtx`], [`SubmitCtx`], and [`Stub`] for the raw [`Chaincode`] API), the ledger API
//! ([`LedgerRead`], [`LedgerWrite`]: importing them is what makes `ctx.get_state(…)` callable),
//! the typed collections ([`Map`], [`Item`], [`PrivateMap`], [`Index`]) and [`Stored`] for values
//! returned as they are stored, the errors
//! ([`ContractError`](struct@crate::ContractError), [`StubError`], [`StateError`]), the caller's [`ClientIdentity`], and
//! [`run`] for `main`. Every name here also has its own path in the crate; the prelude only
//! gathers them.

pub use crate::identity::ClientIdentity;
pub use crate::ledger::{LedgerRead, LedgerWrite};
pub use crate::state::{Index, Item, Map, PrivateMap, StateError, Stored};
pub use crate::{
    Chaincode, ContractChaincode, ContractError, EvaluateCtx, Response, Stub, StubError, SubmitCtx,
    run,
};
#[cfg(feature = "macros")]
pub use fabric_contract_macros::{contract, object};
