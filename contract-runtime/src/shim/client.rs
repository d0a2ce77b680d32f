//! Client mode: dial the peer's chaincode listener and call
//! `ChaincodeSupport.Register` (peer-launched and dev-mode chaincode).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tonic::codec::Streaming;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint};
use tonic::{GrpcMethod, IntoStreamingRequest, Status};

use super::connection::{Registration, drive};
use super::settings::ClientSettings;
use super::{ShimError, error_chain, messages, tls};
use crate::chaincode::Chaincode;
use crate::tx::inbound::Inbound;
use crate::tx::outbound::{self, Outgoing};

/// HTTP/2 pings every 60 s (20 s to answer), even when idle: what the peer
/// allows and what the Go shim does. Faster pings earn a GOAWAY.
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(60);
const KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);

/// Dials the peer, registers and serves until the stream ends.
pub(crate) async fn run<C: Chaincode>(
    registration: &Registration,
    client: &ClientSettings,
    chaincode: Arc<C>,
) -> Result<Infallible, ShimError> {
    let address = &client.peer_address;
    let scheme = if client.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let mut endpoint = Endpoint::from_shared(format!("{scheme}://{address}"))
        .map_err(|e| ShimError::Connect {
            address: address.clone(),
            reason: error_chain(&e),
        })?
        .tcp_nodelay(true)
        .http2_keep_alive_interval(KEEPALIVE_INTERVAL)
        .keep_alive_timeout(KEEPALIVE_TIMEOUT)
        .keep_alive_while_idle(true)
        .connect_timeout(registration.handshake_timeout);
    if let Some(material) = &client.tls {
        let host = address
            .rsplit_once(':')
            .map_or(address.as_str(), |(host, _)| host)
            .trim_start_matches('[')
            .trim_end_matches(']');
        endpoint = endpoint
            .tls_config(tls::client_config(material, host)?)
            .map_err(|e| ShimError::Connect {
                address: address.clone(),
                reason: error_chain(&e),
            })?;
    }
    let deadline = Instant::now() + registration.handshake_timeout;
    let timed_out = || ShimError::HandshakeTimeout {
        chaincode_id: registration.chaincode_id.clone(),
        timeout: registration.handshake_timeout,
        state: super::fsm::State::Created,
    };
    let channel = tokio::time::timeout_at(deadline, endpoint.connect())
        .await
        .map_err(|_| timed_out())?
        .map_err(|e| ShimError::Connect {
            address: address.clone(),
            reason: error_chain(&e),
        })?;
    let limits = &registration.limits;
    let (outbound, rx) = outbound::budgeted(limits.outbound_queue_bytes);
    // The peer answers the call only after it has read REGISTER, so it must be queued first.
    let _ = outbound
        .send(messages::register(&registration.chaincode_id))
        .await;
    tracing::info!(%address, chaincode_id = %registration.chaincode_id, tls = client.tls.is_some(), "registering with the peer");
    let inbound = tokio::time::timeout_at(deadline, register(channel, rx, limits.max_message_size))
        .await
        .map_err(|_| timed_out())?
        .map_err(|status| ShimError::Rejected {
            address: address.clone(),
            code: format!("{:?}", status.code()),
            message: status.message().to_owned(),
        })?
        .into_inner();
    drive(chaincode, registration, deadline, inbound, outbound, true).await
}

/// `ChaincodeSupport.Register`, as the generated client calls it, but with the shim's own message
/// types ([`Outgoing`], [`Inbound`]): the same bytes on the wire, without a copy of every
/// payload, proposal and id (see `tx::inbound` and `tx::outbound`).
async fn register(
    channel: Channel,
    outbound: impl IntoStreamingRequest<Message = Outgoing>,
    max_message_size: usize,
) -> Result<tonic::Response<Streaming<Inbound>>, Status> {
    const SERVICE: &str = "protos.ChaincodeSupport";
    let mut grpc = tonic::client::Grpc::new(channel)
        .max_decoding_message_size(max_message_size)
        .max_encoding_message_size(max_message_size);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(format!("the peer's channel is not ready: {e}")))?;
    let mut request = outbound.into_streaming_request();
    request
        .extensions_mut()
        .insert(GrpcMethod::new(SERVICE, "Register"));
    let codec = tonic_prost::ProstCodec::<Outgoing, Inbound>::default();
    let path = PathAndQuery::from_static("/protos.ChaincodeSupport/Register");
    grpc.streaming(request, path, codec).await
}
