//! Workspace integration tests for `fabric-contract`.
//!
//! The tests themselves live in `tests/tests/`. This library holds what several of them share: starting
//! the official Node.js chaincode in `tests/node/` (built on the `fabric-shim` and `fabric-contract-api`
//! npm packages) as a child process that dials a peer, so the emulated peer and our Rust chaincode can be
//! checked against an implementation no one on this project wrote.

pub mod clients;
pub mod gateway_node;
pub mod node;
pub mod schemas;
