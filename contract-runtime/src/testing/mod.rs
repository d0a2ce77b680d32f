//! The testing kit (feature `testing`): an in-memory ledger with Fabric's
//! semantics and an emulated peer that speaks the real peer–chaincode
//! protocol, plus test identities and a harness that runs a chaincode against
//! them.
//!
//! The emulator lives in its own crate, `fabric-emulated-peer`, which knows
//! nothing of this one; its modules are re-exported here:
//!
//! - [`ledger`]: the one ledger model (world state, private data, history,
//!   MVCC) and the per-transaction [`ledger::Simulation`].
//! - [`mango`]: the Mango selector subset behind rich queries.
//! - [`proposal`]: SignedProposals built like a client and peer would.
//! - [`peer`]: the emulated peer, over loopback gRPC, CCaaS or in memory.
//!
//! What needs this crate stays here: [`identity`] (test certificates read back
//! through [`ClientIdentity`](crate::identity::ClientIdentity)) and
//! [`network`] (the shim wired to the emulated peer).

pub mod identity;
pub mod network;

pub use fabric_emulated_peer::{Timestamp, ledger, mango, peer, proposal};
