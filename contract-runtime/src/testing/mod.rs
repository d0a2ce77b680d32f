//! The testing kit: an in-memory ledger with Fabric's semantics and an
//! emulated peer that speaks the real peer–chaincode protocol.
//!
//! - [`ledger`]: the one ledger model (world state, private data, history,
//!   MVCC) and the per-transaction [`ledger::Simulation`].
//! - [`mango`]: the Mango selector subset behind rich queries.
//! - [`proposal`]: SignedProposals built like a client and peer would.
//! - [`peer`]: the emulated peer, over loopback gRPC, CCaaS or in memory.

pub mod identity;
pub mod ledger;
pub mod mango;
pub mod network;
pub mod peer;
pub mod proposal;

pub use fabric_contract_proto::Timestamp;
