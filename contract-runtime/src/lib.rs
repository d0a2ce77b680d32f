//! Write Hyperledger Fabric chaincode in Rust.
//!
//! `fabric-contract` is the one crate a contract author depends on. It embeds the chaincode
//! shim (the peer–chaincode protocol over gRPC, in both launch modes), the `#[contract]` runtime
//! (routing, argument decoding, result encoding, metadata), typed ledger state and client identity.
//!
//! Features: `macros` (default) re-exports `#[contract]`, `#[object]` and `#[derive(ContractError)]`;
//! `testing` adds the testing kit (the emulated peer and in-memory ledger of the
//! `fabric-emulated-peer` crate, test identities, the `TestNetwork` harness) for tests; `dev` adds
//! the dev console (`<chaincode> dev`) to the chaincode binary, and is what a production build
//! turns off.
//!
//! Start with the [`prelude`]: one `use` brings the macros, the contexts, the ledger API, the
//! typed collections and the errors into scope.
//!
//! ```
//! use fabric_contract::prelude::*;
//!
//! #[object]
//! pub struct Asset {
//!     #[serde(rename = "ID")]
//!     pub id: String,
//!     #[serde(rename = "Owner")]
//!     pub owner: String,
//! }
//!
//! const ASSETS: Map<String, Asset> = Map::simple();
//!
//! #[derive(Default)]
//! pub struct Assets;
//!
//! #[contract(default)]
//! impl Assets {
//!     /// Stores an asset under its id.
//!     #[submit]
//!     async fn create(&self, ctx: &SubmitCtx, id: String, owner: String) -> Result<(), ContractError> {
//!         if ASSETS.has(ctx, &id).await? {
//!             return Err(ContractError::new(format!("the asset {id} already exists")));
//!         }
//!         ASSETS.save(ctx, &id, &Asset { id: id.clone(), owner }).await?;
//!         Ok(())
//!     }
//!
//!     /// The asset stored under `id`.
//!     #[evaluate]
//!     async fn read(&self, ctx: &EvaluateCtx, id: String) -> Result<Asset, ContractError> {
//!         Ok(ASSETS.load(ctx, &id).await?)
//!     }
//!
//!     /// The raw bytes under `key`: the ledger API is on the contexts.
//!     #[evaluate]
//!     async fn raw(&self, ctx: &EvaluateCtx, key: String) -> Result<String, ContractError> {
//!         let bytes = ctx.get_state(&key).await?.unwrap_or_default();
//!         Ok(String::from_utf8_lossy(&bytes).into_owned())
//!     }
//! }
//!
//! // In `main`: `fabric_contract::run::<Assets>()` serves the contract (client or server mode,
//! // from the peer's environment) and answers `metadata`, `dev` and `package` commands.
//! ```
//!
//! The modules, lowest layer first (a module imports only from layers below it):
//! [`json`] and [`identity`]; the errors at the root ([`StubError`], [`ContractError`](struct@ContractError));
//! [`metadata`]; [`ledger`] (the ledger API, defined once as [`LedgerRead`](ledger::LedgerRead)
//! and [`LedgerWrite`](ledger::LedgerWrite)) and the raw [`Chaincode`] API; [`shim`] and
//! [`state`]; the contexts [`EvaluateCtx`] and [`SubmitCtx`]; [`contract`](mod@contract) (what `#[contract]`
//! targets); the command line ([`run`]).

// Generated code names `::fabric_contract::…`; this makes that path work inside this crate too.
extern crate self as fabric_contract;

pub mod prelude;

#[doc(hidden)]
pub mod __private;
mod chaincode;
mod cli;
pub mod contract;
mod ctx;
mod error;
pub mod identity;
pub mod json;
pub mod ledger;
pub mod metadata;
pub mod package;
pub mod shim;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;
pub(crate) mod tx;

pub use chaincode::{Chaincode, Response};
pub use cli::{Program, run, run_chaincode, run_program};
pub use contract::router::ContractChaincode;
pub use contract::set::metadata_json;
pub use ctx::{EvaluateCtx, SubmitCtx};
pub use error::{ContractError, StubError};
#[cfg(feature = "macros")]
pub use fabric_contract_macros::{ContractError, contract, object};
pub use ledger::stub::Stub;
