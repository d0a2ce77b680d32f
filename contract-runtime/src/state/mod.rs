//! Ledger keys and key-level endorsement.

pub mod keys;
