//! Shared pieces of the cross-check tests.

pub mod contract_cases;
pub mod emulated;
pub mod scenario;
