//! Why a transaction never produced a chaincode response.

use std::time::Duration;

use crate::ledger::CommitError;

/// Why the peer could not run a transaction (the client's view of a failed
/// proposal that never produced a chaincode response).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    /// No definition with that name.
    #[error("chaincode `{0}` is not defined on the emulated peer (add a ChaincodeDefinition)")]
    UnknownChaincode(String),
    /// The channel is not one of the peer's.
    #[error("channel `{0}` does not exist on the emulated peer")]
    UnknownChannel(String),
    /// The chaincode has no live registration.
    #[error("chaincode `{0}` is not registered (did it connect and send REGISTER?)")]
    NotRegistered(String),
    /// Rejected by the init-required rules (Fabric's `CheckInvocation`).
    #[error("{0}")]
    Invocation(String),
    /// The chaincode did not finish in time.
    #[error(
        "timeout expired while executing transaction {tx_id} on chaincode `{chaincode}` after {after:?}"
    )]
    Timeout {
        /// The chaincode.
        chaincode: String,
        /// The transaction.
        tx_id: String,
        /// The bound that expired.
        after: Duration,
    },
    /// The chaincode's stream ended during the transaction.
    #[error("chaincode stream terminated while executing {tx_id} on `{chaincode}`")]
    StreamTerminated {
        /// The chaincode.
        chaincode: String,
        /// The transaction.
        tx_id: String,
    },
    /// An execution with the same (channel, txid) is already running on that stream.
    #[error(
        "execution of {tx_id} on channel {channel} is already running on `{chaincode}` (a chaincode cannot call itself)"
    )]
    DuplicateExecution {
        /// The chaincode.
        chaincode: String,
        /// The channel.
        channel: String,
        /// The transaction.
        tx_id: String,
    },
    /// The endorsed transaction failed validation.
    #[error(transparent)]
    Commit(#[from] CommitError),
    /// A transport could not be set up.
    #[error("transport error: {0}")]
    Transport(String),
}
