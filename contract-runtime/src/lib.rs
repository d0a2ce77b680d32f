//! Write Hyperledger Fabric chaincode in Rust.
//!
//! `fabric-contract` is the one crate a contract author depends on. It embeds
//! the chaincode shim (the peer–chaincode protocol over gRPC, in both launch
//! modes), the `#[contract]` runtime (routing, argument decoding, result
//! encoding, metadata), typed ledger state, client identity, and a testing kit
//! with an in-memory ledger and an emulated peer.

pub mod chaincode;
pub mod cli;
pub mod error;
pub mod package;
pub mod shim;
pub mod state;
pub mod stub;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tx;

pub use chaincode::{Chaincode, Response};
pub use error::StubError;
pub use stub::Stub;
