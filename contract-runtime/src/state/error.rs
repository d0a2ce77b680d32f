//! Errors of typed ledger state.

use crate::{ContractError, StubError};

/// Why a typed state operation failed. Every variant names the ledger key involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// The ledger call itself failed.
    #[error(transparent)]
    Stub(#[from] StubError),
    /// `load` found nothing under the key.
    #[error("no value is stored under key {key:?}")]
    NotFound {
        /// The ledger key (composite keys keep their U+0000 separators).
        key: String,
    },
    /// A typed key cannot be turned into a ledger key.
    #[error("invalid key {key:?}: {reason}")]
    InvalidKey {
        /// The key as far as it could be rendered.
        key: String,
        /// What is wrong with it and what is expected.
        reason: String,
    },
    /// A key read back from the ledger does not decode as the collection's key type.
    #[error("stored key {key:?} is not a valid {expected}: {reason}")]
    MalformedKey {
        /// The ledger key.
        key: String,
        /// The key type expected.
        expected: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// A stored value does not decode with the collection's codec.
    #[error("the value stored under key {key:?} is not a valid {expected}: {reason}")]
    Decode {
        /// The ledger key.
        key: String,
        /// The value type expected.
        expected: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// A value cannot be encoded.
    #[error("cannot encode the value for key {key:?}: {reason}")]
    Encode {
        /// The ledger key.
        key: String,
        /// The encoder's complaint.
        reason: String,
    },
    /// A transient map entry is missing or malformed.
    #[error("transient entry {name:?}: {reason}")]
    Transient {
        /// The transient map key.
        name: String,
        /// What was wrong and what was expected.
        reason: String,
    },
}

impl From<StateError> for ContractError {
    fn from(e: StateError) -> Self {
        Self::new(e.to_string())
    }
}
