//! The two errors every layer above may name: [`StubError`] (a ledger call failed) and
//! [`ContractError`] (what a transaction answers with, and how it travels on the wire). Both are
//! re-exported at the crate root; conversions from the errors of the layers below (JSON,
//! identity) live here, conversions from the layers above live with their error types.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::identity::IdentityError;
use crate::json::JsonError;

/// Why a ledger call ([`LedgerRead`](crate::ledger::LedgerRead),
/// [`LedgerWrite`](crate::ledger::LedgerWrite)) failed.
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

/// The error of a transaction: what the client sees as the response status and message.
///
/// * `status` becomes `Response.status` (500 unless a contract opts into another; the peer treats
///   every status from 400 up as a failed proposal);
/// * `message` becomes `Response.message`, written `CODE: text` when a code is set, because the
///   Fabric Gateway forwards only `chaincode response <status>, <message>` to clients;
/// * an error that carries more than Go's (a code, data or a status other than 500) is also
///   sent whole, as canonical JSON, in `Response.payload` for clients that see it (a peer called
///   directly, the testing kit); a plain error has an empty payload, byte-identical to Go.
///
/// ```
/// use fabric_contract::ContractError;
/// let e = ContractError::new("the asset a1 does not exist").with_code("NOT_FOUND").with_status(404);
/// assert_eq!(e.wire_message(), "NOT_FOUND: the asset a1 does not exist");
/// assert_eq!(e.status(), 404);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ContractError {
    status: u16,
    code: Option<Cow<'static, str>>,
    message: String,
    data: Option<Value>,
}

/// The status every framework answers failures with.
pub(crate) const DEFAULT_ERROR_STATUS: u16 = 500;

impl ContractError {
    /// An error with status 500 and no code: what Go's contract API answers for any `error`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            status: DEFAULT_ERROR_STATUS,
            code: None,
            message: message.into(),
            data: None,
        }
    }

    /// Sets a machine-readable code. Codes are `[A-Z][A-Z0-9_]*` so clients can split
    /// `CODE: text` unambiguously; an invalid code is replaced by `INVALID_ERROR_CODE` and logged
    /// rather than sent in a form no client can parse.
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        let code = code.into();
        if is_valid_code(&code) {
            self.code = Some(code);
        } else {
            tracing::warn!(code = %code, "error code must match [A-Z][A-Z0-9_]*");
            self.code = Some(Cow::Borrowed("INVALID_ERROR_CODE"));
        }
        self
    }

    /// Sets the response status. Statuses below 400 would make the peer endorse a failed
    /// transaction, so they are raised to 500 (and logged).
    pub fn with_status(mut self, status: u16) -> Self {
        if status < 400 {
            tracing::warn!(status, "an error status must be 400 or above; using 500");
            self.status = DEFAULT_ERROR_STATUS;
        } else {
            self.status = status;
        }
        self
    }

    /// Attaches structured data (sent only in the response payload).
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// The response status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The code, if one was set.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable text, without the code.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The structured data, if any.
    pub fn data(&self) -> Option<&Value> {
        self.data.as_ref()
    }

    /// The text of `Response.message`: `CODE: message` with a code, else the message alone.
    pub fn wire_message(&self) -> String {
        match &self.code {
            Some(code) => format!("{code}: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// Whether the error carries anything beyond Go's status 500 and text.
    pub fn is_structured(&self) -> bool {
        self.code.is_some() || self.data.is_some() || self.status != DEFAULT_ERROR_STATUS
    }

    /// The payload of the error response: empty for a plain error (as every official framework
    /// answers), otherwise the error as canonical JSON
    /// `{"code":…,"data":…,"message":…,"status":…}` (absent parts left out).
    pub fn wire_payload(&self) -> Vec<u8> {
        if self.is_structured() {
            self.to_payload()
        } else {
            Vec::new()
        }
    }

    /// The error as canonical JSON: `{"code":…,"data":…,"message":…,"status":…}` (absent parts
    /// left out).
    pub fn to_payload(&self) -> Vec<u8> {
        let mut map = serde_json::Map::new();
        if let Some(code) = &self.code {
            map.insert("code".into(), Value::String(code.to_string()));
        }
        if let Some(data) = &self.data {
            map.insert("data".into(), data.clone());
        }
        map.insert("message".into(), Value::String(self.message.clone()));
        map.insert("status".into(), Value::from(self.status));
        let mut out = Vec::new();
        // Values built from strings and integers (plus user data that already was a Value) are
        // always writable; a non-finite float in user data degrades to no payload.
        match crate::json::write_value(&Value::Object(map), &mut out) {
            Ok(()) => out,
            Err(_) => Vec::new(),
        }
    }
}

/// Whether `code` is a well-formed error code (`[A-Z][A-Z0-9_]*`).
pub(crate) const fn is_valid_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_uppercase() {
        return false;
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.wire_message())
    }
}

impl std::error::Error for ContractError {}

impl From<String> for ContractError {
    fn from(message: String) -> Self {
        Self::new(message)
    }
}

impl From<&str> for ContractError {
    fn from(message: &str) -> Self {
        Self::new(message)
    }
}

impl From<JsonError> for ContractError {
    fn from(e: JsonError) -> Self {
        Self::new(e.to_string())
    }
}

impl From<IdentityError> for ContractError {
    fn from(e: IdentityError) -> Self {
        Self::new(e.to_string())
    }
}

impl From<StubError> for ContractError {
    fn from(e: StubError) -> Self {
        Self::new(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_error_is_go_compatible() {
        let e = ContractError::new("the asset a1 does not exist");
        assert_eq!(e.status(), 500);
        assert_eq!(e.wire_message(), "the asset a1 does not exist");
        assert_eq!(
            e.to_payload(),
            br#"{"message":"the asset a1 does not exist","status":500}"#
        );
    }

    #[test]
    fn code_status_and_data_travel() {
        let e = ContractError::new("Max already owns it")
            .with_code("SAME_OWNER")
            .with_status(409)
            .with_data(serde_json::json!({"owner": "Max"}));
        assert_eq!(e.wire_message(), "SAME_OWNER: Max already owns it");
        assert_eq!(
            e.to_payload(),
            br#"{"code":"SAME_OWNER","data":{"owner":"Max"},"message":"Max already owns it","status":409}"#
        );
        assert_eq!(e.wire_payload(), e.to_payload());
    }

    #[test]
    fn invalid_codes_and_statuses_are_corrected() {
        let e = ContractError::new("x")
            .with_code("bad code")
            .with_status(200);
        assert_eq!(e.code(), Some("INVALID_ERROR_CODE"));
        assert_eq!(e.status(), 500);
        assert!(is_valid_code("A1_B"));
        assert!(!is_valid_code("1A"));
        assert!(!is_valid_code(""));
    }
}
