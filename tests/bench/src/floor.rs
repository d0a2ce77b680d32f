//! What the two floor contenders (`bare-chaincode`, `ledger-floor`) share:
//! finding the peer, building messages, and their errors.

use fabric_contract_proto::protos::ChaincodeMessage;
use fabric_contract_proto::protos::chaincode_message::Type;

/// Why a floor chaincode stopped.
#[derive(Debug, thiserror::Error)]
pub enum FloorError {
    /// No name to register.
    #[error("CORE_CHAINCODE_ID_NAME is not set: the name to register is required")]
    NoName,
    /// No peer to dial.
    #[error(
        "no peer address: pass -peer.address=HOST:PORT, --peer.address HOST:PORT or set CORE_PEER_ADDRESS"
    )]
    NoAddress,
    /// The peer could not be dialled.
    #[error("cannot reach the peer at {address}: {source}")]
    Connect {
        /// The address dialled.
        address: String,
        /// The transport error.
        source: tonic::transport::Error,
    },
    /// The Register call was refused.
    #[error("the peer refused the Register call: {0}")]
    Register(tonic::Status),
    /// The stream failed.
    #[error("the stream failed: {0}")]
    Stream(tonic::Status),
    /// The peer ended the stream.
    #[error("the peer closed the stream")]
    Closed,
    /// The handshake went wrong.
    #[error("expected {expected} during the handshake, got message type {got}")]
    Handshake {
        /// The message type expected.
        expected: &'static str,
        /// The type received.
        got: i32,
    },
    /// No runtime.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// The peer address from `-peer.address=…`, `--peer.address …` or `CORE_PEER_ADDRESS`.
///
/// ```
/// use fabric_contract_bench::floor::peer_address;
/// let args = ["-peer.address=127.0.0.1:7052".to_string()];
/// assert_eq!(peer_address(&args).as_deref(), Some("127.0.0.1:7052"));
/// ```
pub fn peer_address(args: &[String]) -> Option<String> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let flag = arg.trim_start_matches('-');
        if let Some(value) = flag.strip_prefix("peer.address=") {
            return Some(value.to_owned());
        }
        if flag == "peer.address" {
            return args.next().cloned();
        }
    }
    std::env::var("CORE_PEER_ADDRESS").ok()
}

/// A message of type `ty` for transaction `txid` on `channel_id`.
pub fn message(ty: Type, payload: Vec<u8>, txid: String, channel_id: String) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: ty as i32,
        payload,
        txid,
        channel_id,
        ..Default::default()
    }
}
