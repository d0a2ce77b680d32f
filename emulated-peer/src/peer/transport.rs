//! The three ways a chaincode reaches the emulated peer; all of them hand a
//! stream of inbound messages and an outbound sender to the same handler.

use std::net::SocketAddr;
use std::pin::Pin;

use fabric_contract_proto::protos::ChaincodeMessage;
use fabric_contract_proto::protos::chaincode_client::ChaincodeClient;
use fabric_contract_proto::protos::chaincode_support_server::{
    ChaincodeSupport, ChaincodeSupportServer,
};
use futures_util::{Stream, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, ClientTlsConfig, Server, ServerTlsConfig};
use tonic::{Request, Status, Streaming};

use super::{EmulatedPeer, PeerError};

/// Fabric's maximum message size in both directions (100 MiB).
const MAX_MESSAGE: usize = 100 * 1024 * 1024;

/// The chaincode's end of an in-memory connection.
#[derive(Debug)]
pub struct Attached {
    /// Messages from the chaincode to the peer (start with REGISTER).
    pub to_peer: mpsc::UnboundedSender<ChaincodeMessage>,
    /// Messages from the peer to the chaincode.
    pub from_peer: mpsc::UnboundedReceiver<ChaincodeMessage>,
}

type OutStream = Pin<Box<dyn Stream<Item = Result<ChaincodeMessage, Status>> + Send>>;

/// The gRPC response stream: the peer's messages, then the peer's reason as
/// an error status if it ended the stream for a protocol violation.
fn response_stream(
    out: mpsc::UnboundedReceiver<ChaincodeMessage>,
    end: oneshot::Receiver<Status>,
) -> OutStream {
    Box::pin(futures_util::stream::unfold(
        (out, Some(end)),
        |(mut out, end)| async move {
            let mut end = end?;
            tokio::select! {
                biased;
                msg = out.recv() => msg.map(|m| (Ok(m), (out, Some(end)))),
                status = &mut end => status.ok().map(|s| (Err(s), (out, None))),
            }
        },
    ))
}

struct RegisterService {
    peer: EmulatedPeer,
}

#[tonic::async_trait]
impl ChaincodeSupport for RegisterService {
    type RegisterStream = OutStream;

    async fn register(
        &self,
        request: Request<Streaming<ChaincodeMessage>>,
    ) -> Result<tonic::Response<Self::RegisterStream>, Status> {
        let inbound = request.into_inner().map(|r| r.map_err(|s| s.to_string()));
        Ok(tonic::Response::new(
            self.peer.spawn_stream(Box::pin(inbound)),
        ))
    }
}

impl EmulatedPeer {
    /// Starts a handler task for one stream and returns the outbound side.
    fn spawn_stream(
        &self,
        inbound: Pin<Box<dyn Stream<Item = Result<ChaincodeMessage, String>> + Send>>,
    ) -> OutStream {
        let (out_tx, out_rx) = mpsc::unbounded_channel();
        let (end_tx, end_rx) = oneshot::channel();
        let peer = self.clone();
        tokio::spawn(async move {
            if let Err(reason) = peer.drive(inbound, out_tx).await {
                let _ = end_tx.send(Status::aborted(reason));
            }
        });
        response_stream(out_rx, end_rx)
    }

    /// Serves `/protos.ChaincodeSupport/Register` on `addr` (e.g.
    /// `"127.0.0.1:0"`) in a background task; returns the bound address.
    pub async fn serve_tcp(&self, addr: &str) -> Result<SocketAddr, PeerError> {
        self.serve(addr, None).await
    }

    /// As [`EmulatedPeer::serve_tcp`] with TLS (set a client CA on the config
    /// to require client certificates, as a TLS-enabled peer does).
    pub async fn serve_tcp_tls(
        &self,
        addr: &str,
        tls: ServerTlsConfig,
    ) -> Result<SocketAddr, PeerError> {
        self.serve(addr, Some(tls)).await
    }

    async fn serve(
        &self,
        addr: &str,
        tls: Option<ServerTlsConfig>,
    ) -> Result<SocketAddr, PeerError> {
        let transport = |e: &dyn std::fmt::Display| PeerError::Transport(format!("{addr}: {e}"));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| transport(&e))?;
        let local = listener.local_addr().map_err(|e| transport(&e))?;
        // Without TCP_NODELAY every request/response turn waits for a delayed ACK.
        let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
        let mut builder = Server::builder();
        if let Some(tls) = tls {
            builder = builder.tls_config(tls).map_err(|e| transport(&e))?;
        }
        let service = ChaincodeSupportServer::new(RegisterService { peer: self.clone() })
            .max_decoding_message_size(MAX_MESSAGE)
            .max_encoding_message_size(MAX_MESSAGE);
        tokio::spawn(async move {
            // One service, so no router: the generated server answers
            // UNIMPLEMENTED for any other path.
            if let Err(e) = builder.serve_with_incoming(service, incoming).await {
                tracing::error!(error = %e, "emulated peer listener failed");
            }
        });
        Ok(local)
    }

    /// Dials a chaincode server's `/protos.Chaincode/Connect` (CCaaS) and
    /// serves the stream in the background; the chaincode registers on it.
    pub async fn connect_ccaas(
        &self,
        endpoint: &str,
        tls: Option<ClientTlsConfig>,
    ) -> Result<(), PeerError> {
        let transport =
            |e: &dyn std::fmt::Display| PeerError::Transport(format!("{endpoint}: {e}"));
        let mut ep = Channel::from_shared(endpoint.to_string())
            .map_err(|e| transport(&e))?
            .tcp_nodelay(true);
        if let Some(tls) = tls {
            ep = ep.tls_config(tls).map_err(|e| transport(&e))?;
        }
        let channel = ep.connect().await.map_err(|e| transport(&e))?;
        let mut client = ChaincodeClient::new(channel)
            .max_decoding_message_size(MAX_MESSAGE)
            .max_encoding_message_size(MAX_MESSAGE);
        let (out_tx, out_rx) = mpsc::unbounded_channel();
        let inbound = client
            .connect(UnboundedReceiverStream::new(out_rx))
            .await
            .map_err(|e| transport(&e))?
            .into_inner()
            .map(|r| r.map_err(|s| s.to_string()));
        let peer = self.clone();
        tokio::spawn(async move {
            // Dropping out_tx when the handler ends closes the stream.
            let _ = peer.drive(Box::pin(inbound), out_tx).await;
        });
        Ok(())
    }

    /// Connects a chaincode in memory, without gRPC (the direct harness).
    pub fn attach(&self) -> Attached {
        let (to_peer, from_cc) = mpsc::unbounded_channel();
        let (to_cc, from_peer) = mpsc::unbounded_channel();
        let peer = self.clone();
        let inbound = UnboundedReceiverStream::new(from_cc).map(Ok);
        tokio::spawn(async move {
            let _ = peer.drive(Box::pin(inbound), to_cc).await;
        });
        Attached { to_peer, from_peer }
    }
}
