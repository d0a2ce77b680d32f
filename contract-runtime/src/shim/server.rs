//! Server mode (chaincode as a service): serve `Chaincode.Connect`.
//!
//! Every accepted stream runs the full protocol (REGISTER first, handshake,
//! transactions) on its own; several peers may be connected at once, and a
//! peer reconnects with a new stream after one ends.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use fabric_contract_proto::protos::ChaincodeMessage;
use fabric_contract_proto::protos::chaincode_server::{Chaincode as ConnectRpc, ChaincodeServer};
use futures_core::Stream;
use tokio::net::TcpListener;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::transport::Server;
use tonic::{Request, Response, Status, Streaming};

use super::connection::{Registration, drive};
use super::settings::ServerSettings;
use super::{MAX_MESSAGE_SIZE, ShimError, error_chain, tls};
use crate::chaincode::Chaincode;

/// Server pings as the Go shim's CCaaS server does. Client pings are not
/// policed by hyper, so the peer's 60 s pings are always tolerated.
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(60);
const KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);

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
        let (outbound, rx) = mpsc::unbounded_channel();
        let chaincode = Arc::clone(&self.chaincode);
        let registration = self.registration.clone();
        tracing::info!(?remote, "peer connected");
        tokio::spawn(async move {
            let deadline = Instant::now() + registration.handshake_timeout;
            let Err(end) =
                drive(chaincode, &registration, deadline, inbound, outbound, false).await;
            tracing::info!(?remote, reason = %end, "stream ended; waiting for the next Connect");
        });
        let stream: Outbound = Box::pin(UnboundedReceiverStream::new(rx).map(Ok));
        Ok(Response::new(stream))
    }
}

/// Accepted sockets with TCP_NODELAY set: without it every request/reply turn
/// of a transaction can wait for a delayed ACK (~40 ms per ledger call was
/// observed with a Rust CCaaS shim). tonic's own option is ignored for a
/// caller-supplied listener, so it is set here, per socket.
fn accept_nodelay(
    listener: TcpListener,
) -> impl Stream<Item = std::io::Result<TcpStream>> + Send + 'static {
    TcpListenerStream::new(listener).map(|accepted| {
        accepted.inspect(|socket| {
            if let Err(e) = socket.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY on an accepted socket; ledger calls may be slow");
            }
        })
    })
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
    let incoming = accept_nodelay(listener);
    let mut builder = Server::builder()
        .tcp_nodelay(true)
        .http2_keepalive_interval(Some(KEEPALIVE_INTERVAL))
        .http2_keepalive_timeout(Some(KEEPALIVE_TIMEOUT));
    if let Some(material) = &server.tls {
        builder = builder
            .tls_config(tls::server_config(material)?)
            .map_err(|e| ShimError::Serve {
                address: local.clone(),
                reason: error_chain(&e),
            })?;
    }
    let service = ChaincodeServer::new(ConnectService {
        chaincode,
        registration: registration.clone(),
    })
    .max_decoding_message_size(MAX_MESSAGE_SIZE)
    .max_encoding_message_size(MAX_MESSAGE_SIZE);
    tracing::info!(address = %local, chaincode_id = %registration.chaincode_id, tls = server.tls.is_some(), "serving Chaincode.Connect");
    builder
        .serve_with_incoming(service, incoming)
        .await
        .map_err(|e| ShimError::Serve {
            address: local.clone(),
            reason: error_chain(&e),
        })?;
    Err(ShimError::Serve {
        address: local,
        reason: "the server stopped".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_sockets_have_nodelay() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut incoming = Box::pin(accept_nodelay(listener));
        let client = tokio::spawn(TcpStream::connect(addr));
        let accepted = incoming.next().await.unwrap().unwrap();
        assert!(accepted.nodelay().unwrap());
        drop(client.await.unwrap().unwrap());
    }
}
