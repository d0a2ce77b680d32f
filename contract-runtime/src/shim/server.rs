//! Server mode (chaincode as a service): serve `Chaincode.Connect`.
//!
//! Every accepted stream runs the full protocol (REGISTER first, handshake,
//! transactions) on its own; several peers may be connected at once, and a
//! peer reconnects with a new stream after one ends.
//!
//! The server accepts connections itself rather than leaving it to tonic, so
//! that nobody can hold resources without authenticating:
//!
//! - an accepted connection must finish TLS and send the HTTP/2 preface within
//!   [`Limits::connection_handshake_timeout`], or it is closed;
//! - at most [`Limits::max_pending_connections`] connections may be in that
//!   phase; a new one beyond the cap closes the oldest, so idle sockets can
//!   delay a real peer by one handshake at most, never lock it out;
//! - an accept error such as EMFILE pauses the loop (5 ms doubling to 1 s)
//!   instead of spinning;
//! - HTTP/2 pings ([`Limits::keepalive_interval`], [`Limits::keepalive_timeout`])
//!   close connections whose peer has gone.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use fabric_contract_proto::protos::ChaincodeMessage;
use fabric_contract_proto::protos::chaincode_server::{Chaincode as ConnectRpc, ChaincodeServer};
use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Server;
use tonic::transport::server::Connected;
use tonic::{Request, Response, Status, Streaming};

use super::connection::{Registration, drive};
use super::settings::ServerSettings;
use super::{Limits, ShimError, error_chain, tls};
use crate::chaincode::Chaincode;
use crate::tx::outbound;

/// What every HTTP/2 client sends first (RFC 9113 §3.4).
const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// First pause after an accept error; it doubles up to [`MAX_ACCEPT_PAUSE`].
const MIN_ACCEPT_PAUSE: Duration = Duration::from_millis(5);
/// Longest pause after repeated accept errors.
pub(crate) const MAX_ACCEPT_PAUSE: Duration = Duration::from_secs(1);

struct ConnectService<C> {
    chaincode: Arc<C>,
    registration: Registration,
}

type Outbound = Pin<Box<dyn Stream<Item = Result<ChaincodeMessage, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl<C: Chaincode> ConnectRpc for ConnectService<C> {
    type ConnectStream = Outbound;

    async fn connect(
        &self,
        request: Request<Streaming<ChaincodeMessage>>,
    ) -> Result<Response<Self::ConnectStream>, Status> {
        let remote = request.remote_addr();
        let inbound = request.into_inner();
        let (outbound, rx) = outbound::budgeted(self.registration.limits.outbound_queue_bytes);
        let chaincode = Arc::clone(&self.chaincode);
        let registration = self.registration.clone();
        tracing::info!(?remote, "peer connected");
        tokio::spawn(async move {
            let deadline = Instant::now() + registration.handshake_timeout;
            let Err(end) =
                drive(chaincode, &registration, deadline, inbound, outbound, false).await;
            tracing::info!(?remote, reason = %end, "stream ended; waiting for the next Connect");
        });
        // The generated service takes generated messages (the client mode writes its own).
        let stream: Outbound = Box::pin(rx.map(|msg| Ok(msg.into())));
        Ok(Response::new(stream))
    }
}

/// A connection that sent the HTTP/2 preface, which was read to check it and
/// is replayed to the HTTP/2 server.
pub(crate) struct Prefaced<S> {
    inner: S,
    replayed: usize,
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefaced<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.replayed < PREFACE.len() {
            let rest = &PREFACE[this.replayed..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.replayed += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefaced<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl<S: Connected> Connected for Prefaced<S> {
    type ConnectInfo = S::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.inner.connect_info()
    }
}

/// Something that accepts connections: the listener, or a test's stand-in.
pub(crate) trait Accept: Send + 'static {
    /// The accepted connection.
    type Conn: Send + 'static;
    /// The next connection or accept error.
    fn accept(&mut self) -> impl Future<Output = io::Result<Self::Conn>> + Send;
}

impl Accept for TcpListener {
    type Conn = TcpStream;

    async fn accept(&mut self) -> io::Result<TcpStream> {
        TcpListener::accept(self).await.map(|(socket, _)| socket)
    }
}

/// Errors about one connection that is already gone; the next accept may
/// succeed at once. Anything else (EMFILE, ENFILE, ENOBUFS, ENOMEM) means the
/// process is out of something, and retrying at once would only spin.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

/// Accepts forever, handing each connection to `on_conn`; pauses (with
/// `pause_for`, `tokio::time::sleep` outside tests) after resource errors,
/// doubling the pause up to [`MAX_ACCEPT_PAUSE`].
pub(crate) async fn accept_loop<A: Accept, P: Future<Output = ()>>(
    mut acceptor: A,
    mut on_conn: impl FnMut(A::Conn),
    pause_for: impl Fn(Duration) -> P,
) {
    let mut pause = MIN_ACCEPT_PAUSE;
    loop {
        match acceptor.accept().await {
            Ok(conn) => {
                pause = MIN_ACCEPT_PAUSE;
                on_conn(conn);
            }
            Err(e) if is_connection_error(&e) => {
                tracing::debug!(error = %e, "a connection failed while being accepted");
            }
            Err(e) => {
                tracing::warn!(error = %e, ?pause, "accepting a connection failed; pausing before the next accept");
                pause_for(pause).await;
                pause = (pause * 2).min(MAX_ACCEPT_PAUSE);
            }
        }
    }
}

/// Connections still in their handshake, oldest first.
#[derive(Default)]
struct Pending {
    next: u64,
    tasks: BTreeMap<u64, tokio::task::AbortHandle>,
}

/// Serves `Chaincode.Connect` on `listener` until the server fails.
pub(crate) async fn run<C: Chaincode>(
    listener: TcpListener,
    registration: &Registration,
    server: &ServerSettings,
    chaincode: Arc<C>,
) -> Result<Infallible, ShimError> {
    let local = listener
        .local_addr()
        .map_or_else(|_| server.address.clone(), |a| a.to_string());
    let service = ChaincodeServer::new(ConnectService {
        chaincode,
        registration: registration.clone(),
    })
    .max_decoding_message_size(registration.limits.max_message_size)
    .max_encoding_message_size(registration.limits.max_message_size);
    tracing::info!(address = %local, chaincode_id = %registration.chaincode_id, tls = server.tls.is_some(), "serving Chaincode.Connect");
    let limits = &registration.limits;
    let result = match &server.tls {
        Some(material) => {
            let acceptor =
                tokio_rustls::TlsAcceptor::from(Arc::new(tls::rustls_server_config(material)?));
            serve(listener, limits, service, move |tcp| {
                let acceptor = acceptor.clone();
                async move { acceptor.accept(tcp).await }
            })
            .await
        }
        None => serve(listener, limits, service, |tcp| async move { Ok(tcp) }).await,
    };
    Err(ShimError::Serve {
        address: local,
        reason: match result {
            Ok(()) => "the server stopped".into(),
            Err(e) => error_chain(&e),
        },
    })
}

/// The accept loop and the HTTP/2 server over the connections that passed
/// their handshake; `secure` runs TLS (or nothing) on an accepted socket.
async fn serve<C, IO, F, Fut>(
    listener: TcpListener,
    limits: &Limits,
    service: ChaincodeServer<ConnectService<C>>,
    secure: F,
) -> Result<(), tonic::transport::Error>
where
    C: Chaincode,
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = io::Result<IO>> + Send + 'static,
    IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
{
    let (established, incoming) = mpsc::channel::<Prefaced<IO>>(limits.max_pending_connections);
    let pending = Arc::new(Mutex::new(Pending::default()));
    let secure = Arc::new(secure);
    let (deadline, cap) = (
        limits.connection_handshake_timeout,
        limits.max_pending_connections,
    );
    let accepting = accept_loop(
        listener,
        move |socket: TcpStream| {
            if let Err(e) = socket.set_nodelay(true) {
                // Without it every request/reply turn can wait for a delayed ACK.
                tracing::warn!(error = %e, "cannot set TCP_NODELAY on an accepted socket; ledger calls may be slow");
            }
            let remote = socket.peer_addr().ok();
            let mut table = pending.lock().expect("pending connections lock");
            while table.tasks.len() >= cap {
                let Some((_, oldest)) = table.tasks.pop_first() else {
                    break;
                };
                oldest.abort();
                tracing::warn!(
                    limit = cap,
                    "closing the oldest connection still in its handshake: too many unauthenticated connections (CHAINCODE_SERVER_MAX_PENDING_CONNECTIONS)"
                );
            }
            let id = table.next;
            table.next += 1;
            let (secure, established, pending) = (
                Arc::clone(&secure),
                established.clone(),
                Arc::clone(&pending),
            );
            // The table stays locked until the task is registered, so it cannot
            // unregister itself first.
            let task = tokio::spawn(async move {
                let outcome = tokio::time::timeout(deadline, async {
                let mut stream = secure(socket).await?;
                let mut preface = [0u8; PREFACE.len()];
                stream.read_exact(&mut preface).await?;
                if &preface != PREFACE {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the connection did not start with the HTTP/2 preface (expected a gRPC client)",
                    ));
                }
                Ok(stream)
            })
            .await;
                pending
                    .lock()
                    .expect("pending connections lock")
                    .tasks
                    .remove(&id);
                match outcome {
                    Ok(Ok(inner)) => {
                        let _ = established.send(Prefaced { inner, replayed: 0 }).await;
                    }
                    Ok(Err(e)) => {
                        tracing::info!(?remote, error = %e, "closing a connection that failed its handshake");
                    }
                    Err(_) => tracing::info!(
                        ?remote,
                        ?deadline,
                        "closing a connection that did not finish TLS and send the HTTP/2 preface in time (CHAINCODE_SERVER_HANDSHAKE_TIMEOUT)"
                    ),
                }
            });
            table.tasks.insert(id, task.abort_handle());
        },
        tokio::time::sleep,
    );
    let serving = Server::builder()
        .tcp_nodelay(true)
        .http2_keepalive_interval(Some(limits.keepalive_interval))
        .http2_keepalive_timeout(Some(limits.keepalive_timeout))
        .serve_with_incoming(
            service,
            ReceiverStream::new(incoming).map(Ok::<_, io::Error>),
        );
    tokio::select! {
        () = accepting => Ok(()),
        served = serving => served,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails with `errors` in turn (popped from the end), accepts `()` once,
    /// then waits forever.
    struct Failing(Vec<io::Error>, bool);

    impl Accept for Failing {
        type Conn = ();

        async fn accept(&mut self) -> io::Result<()> {
            match self.0.pop() {
                Some(e) => Err(e),
                None if !self.1 => {
                    self.1 = true;
                    Ok(())
                }
                None => std::future::pending().await,
            }
        }
    }

    /// The pauses the loop asks for before it accepts a connection.
    async fn pauses(errors: Vec<io::Error>) -> Vec<Duration> {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, mut done_rx) = mpsc::unbounded_channel();
        let record = Arc::clone(&asked);
        let looping = tokio::spawn(accept_loop(
            Failing(errors, false),
            move |()| {
                let _ = done_tx.send(());
            },
            move |pause| {
                record.lock().unwrap().push(pause);
                std::future::ready(())
            },
        ));
        done_rx.recv().await.unwrap();
        looping.abort();
        asked.lock().unwrap().clone()
    }

    #[tokio::test]
    async fn resource_errors_pause_the_accept_loop_and_connection_errors_do_not() {
        // Popped from the end: two failed connections, then EMFILE six times.
        let mut errors: Vec<io::Error> = (0..6).map(|_| io::Error::from_raw_os_error(24)).collect();
        errors.push(io::ErrorKind::ConnectionAborted.into());
        errors.push(io::ErrorKind::ConnectionReset.into());
        let expected: Vec<Duration> = [5, 10, 20, 40, 80, 160].map(Duration::from_millis).to_vec();
        assert_eq!(pauses(errors).await, expected);
        assert!(
            pauses(vec![io::ErrorKind::ConnectionAborted.into()])
                .await
                .is_empty()
        );
    }

    #[tokio::test]
    async fn the_pause_is_capped() {
        // ENFILE twelve times: 5 ms doubling reaches the 1 s cap and stays there.
        let asked = pauses((0..12).map(|_| io::Error::from_raw_os_error(23)).collect()).await;
        assert_eq!(asked.len(), 12);
        assert_eq!(asked[7], Duration::from_millis(640));
        assert!(
            asked[8..].iter().all(|p| *p == MAX_ACCEPT_PAUSE),
            "{asked:?}"
        );
    }

    #[tokio::test]
    async fn the_preface_is_replayed_unchanged() {
        let (mut a, b) = tokio::io::duplex(64);
        tokio::io::AsyncWriteExt::write_all(&mut a, b"after")
            .await
            .unwrap();
        drop(a);
        let mut conn = Prefaced {
            inner: b,
            replayed: 0,
        };
        let mut all = Vec::new();
        conn.read_to_end(&mut all).await.unwrap();
        assert_eq!(&all[..24], PREFACE);
        assert_eq!(&all[24..], b"after");
    }
}
