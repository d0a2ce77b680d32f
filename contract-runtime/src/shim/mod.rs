//! The embedded shim: the peer–chaincode protocol over gRPC, in both launch
//! modes.
//!
//! - **Client mode** (peer-launched or dev mode): [`serve_client`] dials the
//!   peer and calls `ChaincodeSupport.Register`.
//! - **Server mode** (chaincode as a service): [`serve_server`] listens for
//!   `Chaincode.Connect` streams the peer opens.
//! - [`serve`] picks one from [`Settings`]; [`serve_stream`] runs the same
//!   protocol over any in-memory stream (the emulated peer uses it).
//!
//! On every stream the chaincode sends REGISTER, waits for REGISTERED and
//! READY (echoing KEEPALIVE), then runs each INIT/TRANSACTION as its own task.
//!
//! When a client-mode stream ends, [`serve_client`] returns an error rather
//! than reconnecting: the peer relaunches chaincode on the next invocation and
//! would refuse a second registration from this process, so the right move is
//! to exit non-zero with the error's message.
//!
//! ```no_run
//! use fabric_contract::prelude::*;
//! use fabric_contract::shim::{self, Settings};
//!
//! struct Echo;
//! impl Chaincode for Echo {
//!     async fn init(&self, _: &Stub) -> Response { Response::success(Vec::new()) }
//!     async fn invoke(&self, stub: &Stub) -> Response {
//!         Response::success(stub.args().concat())
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::process::ExitCode {
//!     let settings = match Settings::from_env() {
//!         Ok(s) => s,
//!         Err(e) => { eprintln!("{e}"); return std::process::ExitCode::from(2); }
//!     };
//!     let Err(e) = shim::serve(settings, Echo).await;
//!     eprintln!("{e}");
//!     std::process::ExitCode::FAILURE
//! }
//! ```

mod client;
mod connection;
mod fsm;
pub mod limits;
mod messages;
mod router;
mod running;
mod server;
pub(crate) mod settings;
pub(crate) mod tls;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use fabric_contract_proto::protos::ChaincodeMessage;
use futures_core::Stream;
use tokio::sync::mpsc;

pub use connection::Registration;
pub use fsm::State;
pub use limits::{DEFAULT_MAX_MESSAGE_SIZE, Limits};
pub use settings::{
    ClientSettings, ClientTls, DEFAULT_HANDSHAKE_TIMEOUT, Mode, ServerSettings, ServerTls,
    Settings, SettingsError,
};
pub use tls::TlsError;

use crate::chaincode::Chaincode;

/// Largest gRPC message accepted or sent by default: 100 MiB, the peer's own
/// limit; see [`Limits::max_message_size`].
pub const MAX_MESSAGE_SIZE: usize = DEFAULT_MAX_MESSAGE_SIZE;

/// Why the shim stopped serving.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShimError {
    /// The launch settings are wrong.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The TLS material is unusable.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// A serve function was called with settings for the other mode.
    #[error("{function} needs {expected} settings, but the settings are for the other launch mode")]
    WrongMode {
        /// The function called.
        function: &'static str,
        /// The mode it needs.
        expected: &'static str,
    },
    /// The peer could not be reached.
    #[error("cannot connect to the peer at {address}: {reason}")]
    Connect {
        /// The peer address dialled.
        address: String,
        /// The transport's explanation.
        reason: String,
    },
    /// The peer refused the `Register` call (e.g. TLS client certificate not
    /// issued for this chaincode id).
    #[error("the peer at {address} refused the Register call: {code}: {message}")]
    Rejected {
        /// The peer address.
        address: String,
        /// The gRPC status code.
        code: String,
        /// The gRPC status message.
        message: String,
    },
    /// The CCaaS server could not listen or stopped.
    #[error("the chaincode server on {address} failed: {reason}")]
    Serve {
        /// The listen address.
        address: String,
        /// What happened.
        reason: String,
    },
    /// The peer sent something the handshake does not allow.
    #[error("protocol error: received {got} in state {state}, expected {expected}")]
    Handshake {
        /// The state the handshake was in.
        state: State,
        /// The message type received.
        got: String,
        /// What the state accepts.
        expected: &'static str,
    },
    /// READY did not arrive in time; the peer rejects registrations silently.
    #[error(
        "no READY from the peer within {timeout:?} after registering as {chaincode_id:?} (state {state}): \
         the peer rejects unknown or duplicate chaincode ids silently; check that the id matches the installed package id"
    )]
    HandshakeTimeout {
        /// The id sent in REGISTER.
        chaincode_id: String,
        /// The limit that expired.
        timeout: Duration,
        /// How far the handshake got.
        state: State,
    },
    /// The peer closed the stream.
    #[error("the peer closed the stream (state {state})")]
    StreamEnded {
        /// The state at the time.
        state: State,
    },
    /// The stream failed (transport error or gRPC status).
    #[error("the stream to the peer failed in state {state}: {reason}")]
    StreamFailed {
        /// The state at the time.
        state: State,
        /// The transport's explanation.
        reason: String,
    },
}

/// Formats an error with its sources, since tonic's top-level texts are vague.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Settings {
    /// Who to register as, from these settings.
    pub fn registration(&self) -> Registration {
        Registration {
            chaincode_id: self.chaincode_id.clone(),
            handshake_timeout: self.handshake_timeout,
            limits: self.limits.clone(),
        }
    }
}

/// Serves in the mode the settings choose. Returns only on failure, including
/// the end of a client-mode stream.
pub async fn serve<C: Chaincode>(
    settings: Settings,
    chaincode: C,
) -> Result<Infallible, ShimError> {
    match settings.mode {
        Mode::Client(_) => serve_client(settings, chaincode).await,
        Mode::Server(_) => serve_server(settings, chaincode).await,
    }
}

/// Client mode: dial the peer, register, serve until the stream ends.
///
/// The end of the stream is an error ([`ShimError::StreamEnded`]) on purpose:
/// the peer relaunches the chaincode when it needs it again, so the process
/// should exit non-zero with the message.
pub async fn serve_client<C: Chaincode>(
    settings: Settings,
    chaincode: C,
) -> Result<Infallible, ShimError> {
    let Mode::Client(client) = &settings.mode else {
        return Err(ShimError::WrongMode {
            function: "serve_client",
            expected: "client-mode",
        });
    };
    client::run(&settings.registration(), client, Arc::new(chaincode)).await
}

/// Server mode: bind `CHAINCODE_SERVER_ADDRESS` and serve `Chaincode.Connect`
/// streams until the server fails.
pub async fn serve_server<C: Chaincode>(
    settings: Settings,
    chaincode: C,
) -> Result<Infallible, ShimError> {
    let Mode::Server(server) = &settings.mode else {
        return Err(ShimError::WrongMode {
            function: "serve_server",
            expected: "server-mode",
        });
    };
    let listener = tokio::net::TcpListener::bind(&server.address)
        .await
        .map_err(|e| ShimError::Serve {
            address: server.address.clone(),
            reason: format!("cannot listen: {e}"),
        })?;
    serve_server_on(listener, settings, chaincode).await
}

/// Server mode on an already bound listener (e.g. port 0 in tests). The
/// settings' address is only used in messages.
pub async fn serve_server_on<C: Chaincode>(
    listener: tokio::net::TcpListener,
    settings: Settings,
    chaincode: C,
) -> Result<Infallible, ShimError> {
    let Mode::Server(server) = &settings.mode else {
        return Err(ShimError::WrongMode {
            function: "serve_server_on",
            expected: "server-mode",
        });
    };
    server::run(
        listener,
        &settings.registration(),
        server,
        Arc::new(chaincode),
    )
    .await
}

/// Runs the protocol over any stream: sends REGISTER on `outbound`, runs the
/// handshake on `inbound`, then serves transactions until `inbound` ends
/// (→ [`ShimError::StreamEnded`]).
///
/// `outbound` is the caller's unbounded channel, meant for in-memory peers
/// that always read; the gRPC transports bound their queue
/// ([`Limits::outbound_queue_bytes`]). The registration's other limits apply.
///
/// ```
/// # use fabric_contract::prelude::*;
/// use fabric_contract::shim::{serve_stream, Registration, ShimError, State};
/// use fabric_contract_proto::protos::{chaincode_message::Type, ChaincodeMessage};
/// # struct Noop;
/// # impl Chaincode for Noop {
/// #     async fn init(&self, _: &Stub) -> Response { Response::success(vec![]) }
/// #     async fn invoke(&self, _: &Stub) -> Response { Response::success(vec![]) }
/// # }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel();
/// let msg = |t: Type| Ok::<_, std::convert::Infallible>(ChaincodeMessage { r#type: t as i32, ..Default::default() });
/// let inbound = tokio_stream::iter([msg(Type::Registered), msg(Type::Ready)]);
/// let Err(end) = serve_stream(std::sync::Arc::new(Noop), &Registration::new("cc:1"), inbound, out_tx).await;
/// assert_eq!(end, ShimError::StreamEnded { state: State::Ready });
/// assert_eq!(out_rx.recv().await.unwrap().r#type, Type::Register as i32);
/// # });
/// ```
pub async fn serve_stream<C, S, E>(
    chaincode: Arc<C>,
    registration: &Registration,
    inbound: S,
    outbound: mpsc::UnboundedSender<ChaincodeMessage>,
) -> Result<Infallible, ShimError>
where
    C: Chaincode,
    S: Stream<Item = Result<ChaincodeMessage, E>> + Unpin,
    E: std::fmt::Display,
{
    let deadline = tokio::time::Instant::now() + registration.handshake_timeout;
    connection::drive(
        chaincode,
        registration,
        deadline,
        inbound,
        outbound.into(),
        false,
    )
    .await
}
