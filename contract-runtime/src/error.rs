//! Errors of the raw ledger API.

/// Why a ledger call of a [`Stub`](crate::stub::Stub) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StubError {
    /// The peer answered the request with ERROR; the text is the peer's.
    #[error("{0}")]
    Peer(String),
    /// The stream to the peer ended while a request was waiting for its reply.
    #[error("the connection to the peer closed while waiting for the reply to {request}")]
    Disconnected {
        /// The request type that was waiting.
        request: &'static str,
    },
    /// The peer answered with a message type other than RESPONSE or ERROR.
    #[error("the peer answered {request} with {got}, expected RESPONSE or ERROR")]
    UnexpectedReply {
        /// The request type that was waiting.
        request: &'static str,
        /// The message type that arrived instead.
        got: String,
    },
    /// A reply payload did not decode as the message the request expects.
    #[error("the peer's reply to {request} is not a valid {expected}: {reason}")]
    MalformedReply {
        /// The request type that was waiting.
        request: &'static str,
        /// The protobuf message the payload should have held.
        expected: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// A request would exceed the gRPC message limit the peer enforces; it
    /// was not sent, and the stream goes on.
    #[error(
        "the {request} request is {size} bytes once encoded, above the peer's message limit of {limit} bytes \
         (CHAINCODE_MAX_MESSAGE_SIZE; the peer's default is 100 MiB): store less in one call"
    )]
    TooLarge {
        /// The request type that was not sent.
        request: &'static str,
        /// Its encoded size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A key is not acceptable to Fabric.
    #[error("invalid key {key:?}: {reason}")]
    InvalidKey {
        /// The offending key.
        key: String,
        /// What is wrong with it and what is expected.
        reason: String,
    },
    /// An argument of a ledger call is not acceptable (empty collection, empty event name, …).
    #[error("{0}")]
    InvalidArgument(String),
    /// The INIT/TRANSACTION message or its signed proposal is malformed.
    #[error("invalid transaction proposal: {0}")]
    Proposal(String),
}

impl StubError {
    pub(crate) fn malformed(
        request: &'static str,
        expected: &'static str,
        err: impl std::fmt::Display,
    ) -> Self {
        Self::MalformedReply {
            request,
            expected,
            reason: err.to_string(),
        }
    }
}
