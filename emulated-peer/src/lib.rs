//! An emulated Hyperledger Fabric peer and in-memory ledger.
//!
//! This crate is the test oracle of `fabric-contract`: it plays the peer's
//! side of the peer–chaincode protocol (registration, INIT/TRANSACTION,
//! every ledger request, INVOKE_CHAINCODE) over loopback gRPC, a
//! chaincode-as-a-service connection or an in-memory stream, against a ledger
//! model with Fabric's semantics (MVCC, private data, history, key metadata,
//! the simulator's transaction-shape rules). It depends on the protocol
//! messages only, never on the shim it tests, so a bug in the shim cannot hide
//! behind the same bug in the oracle.
//!
//! - [`ledger`]: the one ledger model and the per-transaction [`ledger::Simulation`].
//! - [`mango`]: the Mango selector subset behind rich queries.
//! - [`proposal`]: SignedProposals built like a client and peer would.
//! - [`peer`]: the emulated peer.
//!
//! Chaincode authors reach it through `fabric-contract`'s `testing` feature
//! (`fabric_contract::testing`), which re-exports these modules.

pub mod ledger;
pub mod mango;
pub mod peer;
pub mod proposal;

pub use fabric_contract_proto::Timestamp;
