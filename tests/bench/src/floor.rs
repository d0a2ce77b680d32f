//! What the two floor contenders (`bare-chaincode`, `ledger-floor`) share:
//! their `main`, finding the peer, opening the stream, building messages, and their errors.

use std::future::Future;
use std::process::ExitCode;

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::chaincode_support_client::ChaincodeSupportClient;
use fabric_contract_proto::protos::{ChaincodeId, ChaincodeMessage};
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::Streaming;
use tonic::transport::Endpoint;

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

/// A floor's `main`: reads the name to register and the peer's address, runs `serve(name,
/// address)` on `runtime`, and reports a failure as `program: error`.
pub fn main<F>(
    program: &str,
    runtime: std::io::Result<tokio::runtime::Runtime>,
    serve: impl FnOnce(String, String) -> F,
) -> ExitCode
where
    F: Future<Output = Result<(), FloorError>>,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = (|| {
        let name = std::env::var("CORE_CHAINCODE_ID_NAME").map_err(|_| FloorError::NoName)?;
        let address = peer_address(&args).ok_or(FloorError::NoAddress)?;
        runtime
            .map_err(FloorError::Runtime)?
            .block_on(serve(name, address))
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{program}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Dials the peer at `address` and opens the chaincode stream with REGISTER for `name` already
/// queued (the peer answers the call only after reading it): the sender of the floor's messages,
/// and the peer's.
pub async fn register(
    name: String,
    address: &str,
) -> Result<
    (
        mpsc::UnboundedSender<ChaincodeMessage>,
        Streaming<ChaincodeMessage>,
    ),
    FloorError,
> {
    let connect = |source| FloorError::Connect {
        address: address.to_owned(),
        source,
    };
    let channel = Endpoint::from_shared(format!("http://{address}"))
        .map(|e| e.tcp_nodelay(true))
        .map_err(connect)?
        .connect()
        .await
        .map_err(connect)?;
    let (out, rx) = mpsc::unbounded_channel();
    let register = ChaincodeId {
        name,
        ..Default::default()
    };
    let _ = out.send(message(
        Type::Register,
        register.encode_to_vec(),
        String::new(),
        String::new(),
    ));
    let inbound = ChaincodeSupportClient::new(channel)
        .register(UnboundedReceiverStream::new(rx))
        .await
        .map_err(FloorError::Register)?
        .into_inner();
    Ok((out, inbound))
}
