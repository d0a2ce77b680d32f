//! Shared pieces of the cross-check tests.

pub mod contract_cases;
pub mod emulated;
pub mod mini_peer;
pub mod proposal;
pub mod scenario;
