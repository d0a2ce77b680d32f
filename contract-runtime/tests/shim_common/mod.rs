//! A scripted peer for the shim tests: the peer's side of both gRPC services,
//! driven message by message by the test, plus a small test chaincode.
#![allow(dead_code)] // each test binary uses a different part

use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use fabric_contract::prelude::*;
use fabric_contract::shim::{ClientSettings, ClientTls, Mode, ServerSettings, ServerTls, Settings};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_client::ChaincodeClient;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::chaincode_support_server::{
    ChaincodeSupport, ChaincodeSupportServer,
};
use fabric_contract_proto::protos::{ChaincodeId, ChaincodeInput, ChaincodeMessage};
use futures_core::Stream;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{ClientTlsConfig, Endpoint, Server, ServerTlsConfig};
use tonic::{Request, Status, Streaming};

pub const MAX: usize = 100 * 1024 * 1024;
const WAIT: Duration = Duration::from_secs(10);

/// The peer's end of one stream.
pub struct PeerConn {
    tx: mpsc::UnboundedSender<ChaincodeMessage>,
    rx: Streaming<ChaincodeMessage>,
    /// Client certificates the chaincode presented (server-side TLS only).
    pub client_certs: usize,
}

impl PeerConn {
    pub fn send(&self, msg: ChaincodeMessage) {
        self.tx.send(msg).expect("stream open");
    }

    /// The next message from the chaincode; panics on end, error or timeout.
    pub async fn recv(&mut self) -> ChaincodeMessage {
        match tokio::time::timeout(WAIT, self.rx.message()).await {
            Ok(Ok(Some(msg))) => msg,
            other => panic!("expected a message from the chaincode, got {other:?}"),
        }
    }

    /// The next message, or `None` when nothing arrives within `wait`.
    pub async fn try_recv(&mut self, wait: Duration) -> Option<ChaincodeMessage> {
        match tokio::time::timeout(wait, self.rx.message()).await {
            Ok(Ok(Some(msg))) => Some(msg),
            Ok(other) => panic!("stream ended or failed: {other:?}"),
            Err(_) => None,
        }
    }

    /// Reads REGISTER, answers REGISTERED and READY; returns the registered id.
    pub async fn handshake(&mut self, ready_payload: Vec<u8>) -> String {
        let register = self.recv().await;
        assert_eq!(register.r#type, Type::Register as i32, "{register:?}");
        assert!(register.txid.is_empty() && register.channel_id.is_empty());
        let id = ChaincodeId::decode(register.payload.as_slice())
            .unwrap()
            .name;
        self.send(bare(Type::Registered));
        self.send(ChaincodeMessage {
            r#type: Type::Ready as i32,
            payload: ready_payload,
            ..Default::default()
        });
        id
    }

    /// Ends the peer's side of the stream.
    pub fn close(self) {}
}

pub fn bare(ty: Type) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: ty as i32,
        ..Default::default()
    }
}

pub fn tx_msg(ty: Type, channel: &str, txid: &str, args: &[&[u8]]) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: ty as i32,
        payload: ChaincodeInput {
            args: args.iter().map(|a| a.to_vec()).collect(),
            ..Default::default()
        }
        .encode_to_vec(),
        txid: txid.into(),
        channel_id: channel.into(),
        ..Default::default()
    }
}

pub fn transaction(channel: &str, txid: &str, args: &[&str]) -> ChaincodeMessage {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    tx_msg(Type::Transaction, channel, txid, &args)
}

pub fn reply(ty: Type, to: &ChaincodeMessage, payload: &[u8]) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: ty as i32,
        payload: payload.to_vec(),
        txid: to.txid.clone(),
        channel_id: to.channel_id.clone(),
        ..Default::default()
    }
}

pub fn response_of(msg: &ChaincodeMessage) -> Response {
    assert_eq!(
        msg.r#type,
        Type::Completed as i32,
        "expected COMPLETED, got {msg:?}"
    );
    Response::decode(msg.payload.as_slice()).unwrap()
}

pub fn key_of(msg: &ChaincodeMessage) -> String {
    fabric_contract_proto::protos::GetState::decode(msg.payload.as_slice())
        .unwrap()
        .key
}

// ----- client mode: the peer serves ChaincodeSupport.Register ------------------------------

struct RegisterService {
    conns: mpsc::UnboundedSender<PeerConn>,
}

type Out = Pin<Box<dyn Stream<Item = Result<ChaincodeMessage, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl ChaincodeSupport for RegisterService {
    type RegisterStream = Out;

    async fn register(
        &self,
        request: Request<Streaming<ChaincodeMessage>>,
    ) -> Result<tonic::Response<Out>, Status> {
        let client_certs = request.peer_certs().map_or(0, |c| c.len());
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = self.conns.send(PeerConn {
            tx,
            rx: request.into_inner(),
            client_certs,
        });
        Ok(tonic::Response::new(Box::pin(
            UnboundedReceiverStream::new(rx).map(Ok),
        )))
    }
}

/// Starts a scripted peer listener; each Register call arrives on the receiver.
pub async fn start_peer(
    tls: Option<ServerTlsConfig>,
) -> (SocketAddr, mpsc::UnboundedReceiver<PeerConn>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (conns, rx) = mpsc::unbounded_channel();
    let service = ChaincodeSupportServer::new(RegisterService { conns })
        .max_decoding_message_size(MAX)
        .max_encoding_message_size(MAX);
    let mut builder = Server::builder();
    if let Some(tls) = tls {
        builder = builder.tls_config(tls).unwrap();
    }
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    tokio::spawn(async move { builder.serve_with_incoming(service, incoming).await });
    (addr, rx)
}

pub fn client_settings(address: String, tls: Option<ClientTls>, handshake: Duration) -> Settings {
    Settings {
        chaincode_id: "mycc:1.0".into(),
        peer_msp_id: None,
        handshake_timeout: handshake,
        limits: Default::default(),
        mode: Mode::Client(ClientSettings {
            peer_address: address,
            tls,
        }),
    }
}

pub async fn next_conn(conns: &mut mpsc::UnboundedReceiver<PeerConn>) -> PeerConn {
    tokio::time::timeout(WAIT, conns.recv())
        .await
        .expect("the chaincode dialled")
        .unwrap()
}

// ----- server mode: the peer dials Chaincode.Connect ----------------------------------------

pub fn server_settings(tls: Option<ServerTls>) -> Settings {
    Settings {
        chaincode_id: "basic:abc".into(),
        peer_msp_id: None,
        handshake_timeout: Duration::from_secs(10),
        limits: Default::default(),
        mode: Mode::Server(ServerSettings {
            address: "127.0.0.1:0".into(),
            tls,
        }),
    }
}

/// Starts the shim in server mode on a free port; returns the port.
pub async fn start_ccaas(tls: Option<ServerTls>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(fabric_contract::shim::serve_server_on(
        listener,
        server_settings(tls),
        TestCc,
    ));
    port
}

/// Dials the chaincode server as a peer would, optionally with HTTP/2 pings.
pub async fn dial(
    uri: String,
    tls: Option<ClientTlsConfig>,
    ping: Option<Duration>,
) -> Result<PeerConn, String> {
    let mut endpoint = Endpoint::from_shared(uri).unwrap().tcp_nodelay(true);
    if let Some(interval) = ping {
        endpoint = endpoint
            .http2_keep_alive_interval(interval)
            .keep_alive_while_idle(true);
    }
    if let Some(tls) = tls {
        endpoint = endpoint.tls_config(tls).map_err(|e| format!("{e:?}"))?;
    }
    let channel = endpoint.connect().await.map_err(|e| format!("{e:?}"))?;
    let mut client = ChaincodeClient::new(channel)
        .max_decoding_message_size(MAX)
        .max_encoding_message_size(MAX);
    let (tx, rx) = mpsc::unbounded_channel();
    let inbound = client
        .connect(UnboundedReceiverStream::new(rx))
        .await
        .map_err(|e| format!("{e:?}"))?
        .into_inner();
    Ok(PeerConn {
        tx,
        rx: inbound,
        client_certs: 0,
    })
}

// ----- the chaincode under test ------------------------------------------------------------

/// Functions: echo ARG, get K, get2 K (reads K then Kb), getmany K…, put K V,
/// event NAME, loop N (N sequential reads), panic, nostatus.
pub struct TestCc;

fn text(v: Option<Vec<u8>>) -> String {
    String::from_utf8(v.unwrap_or_default()).unwrap()
}

impl Chaincode for TestCc {
    async fn init(&self, _stub: &Stub) -> Response {
        Response::success(b"init-ok".to_vec())
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        let (function, params) = stub.function_and_params();
        let result: Result<Vec<u8>, fabric_contract::StubError> = async {
            Ok(match function.as_str() {
                "echo" => stub.args()[1].clone(),
                "creator" => stub.creator().to_vec(),
                "get" => stub.get_state(&params[0]).await?.unwrap_or_default(),
                "get2" => {
                    let a = text(stub.get_state(&params[0]).await?);
                    let b = text(stub.get_state(&format!("{}b", params[0])).await?);
                    format!("{a}|{b}").into_bytes()
                }
                "getmany" => {
                    let keys: Vec<&str> = params.iter().map(String::as_str).collect();
                    let values = stub.get_state_multiple(&keys).await?;
                    values
                        .into_iter()
                        .map(text)
                        .collect::<Vec<_>>()
                        .join(",")
                        .into_bytes()
                }
                "put" => {
                    stub.put_state(&params[0], params[1].as_bytes()).await?;
                    Vec::new()
                }
                "event" => {
                    stub.set_event_raw(&params[0], b"payload".to_vec())?;
                    Vec::new()
                }
                "loop" => {
                    let n: usize = params[0].parse().unwrap();
                    for i in 0..n {
                        stub.get_state(&format!("k{i}")).await?;
                    }
                    n.to_string().into_bytes()
                }
                "panic" => panic!("the test chaincode panics on purpose"),
                "nostatus" => return Ok(b"\0nostatus".to_vec()),
                other => {
                    return Err(fabric_contract::StubError::InvalidArgument(format!(
                        "unknown function {other}"
                    )));
                }
            })
        }
        .await;
        match result {
            Ok(payload) if payload.as_slice() == b"\0nostatus" => Response {
                status: 0,
                message: String::new(),
                payload: b"p".to_vec(),
            },
            Ok(payload) => Response::success(payload),
            Err(e) => Response::error(e.to_string()),
        }
    }
}

// ----- certificates ------------------------------------------------------------------------

/// A CA, a server certificate for `localhost`/127.0.0.1, and a client certificate.
pub struct Pki {
    pub ca_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    pub client_cert_pem: String,
    /// PKCS#8 DER under an `EC PRIVATE KEY` label, as Fabric peers hand it out.
    pub client_key_pem_lying: String,
    pub client_key_pem: String,
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

pub fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client = CertificateParams::new(vec!["mycc".into()])
        .unwrap()
        .signed_by(&client_key, &issuer)
        .unwrap();
    Pki {
        ca_pem: ca.pem(),
        server_cert_pem: server.pem(),
        server_key_pem: server_key.serialize_pem(),
        client_cert_pem: client.pem(),
        client_key_pem_lying: pem("EC PRIVATE KEY", &client_key.serialize_der()),
        client_key_pem: client_key.serialize_pem(),
    }
}
