//! Write Hyperledger Fabric chaincode in Rust.
//!
//! `fabric-contract` is the one crate a contract author depends on. It embeds
//! the chaincode shim (the peer–chaincode protocol over gRPC, in both launch
//! modes), the `#[contract]` runtime (routing, argument decoding, result
//! encoding, metadata), typed ledger state and client identity.
//!
//! Features: `macros` (default) re-exports `#[contract]`, `#[object]` and
//! `#[derive(ContractError)]`; `testing` adds the testing kit (the emulated
//! peer and in-memory ledger of the `fabric-emulated-peer` crate, test
//! identities, the `TestNetwork` harness) for tests; `dev` adds the dev
//! console (`<chaincode> dev`) to the chaincode binary, and is what a
//! production build turns off.

// Generated code names `::fabric_contract::…`; this makes that path work inside this crate too.
extern crate self as fabric_contract;

#[doc(hidden)]
pub mod __private;
pub mod chaincode;
pub mod cli;
pub mod contract;
pub mod ctx;
pub mod error;
pub mod identity;
pub mod json;
pub mod metadata;
pub mod package;
pub mod shim;
pub mod state;
pub mod stub;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tx;

pub use chaincode::{Chaincode, Response};
pub use cli::run;
pub use error::StubError;
pub use stub::Stub;

pub use contract::{ContractChaincode, ContractError};
pub use ctx::{EvaluateCtx, SubmitCtx};
#[cfg(feature = "macros")]
pub use fabric_contract_macros::{ContractError, contract, object};
pub use metadata::metadata_json;
