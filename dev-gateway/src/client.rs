//! A small Fabric Gateway client: connect, sign with an identity, evaluate,
//! endorse and submit, read commit status, stream chaincode events. It speaks
//! the same protocol as the official Gateway SDKs, so it works against a real
//! peer as well as the dev peer.
//!
//! ```no_run
//! # async fn demo() -> Result<(), fabric_dev_gateway::client::ClientError> {
//! use fabric_dev_gateway::client::{Call, Gateway, Signer};
//!
//! let signer = Signer::from_msp_dir("Org1MSP", "fabric-dev-crypto/admin@Org1MSP/msp".as_ref())?;
//! let gateway = Gateway::connect("127.0.0.1:7051", None, signer).await?;
//! let basic = gateway.contract("mychannel", "basic");
//! basic.submit(Call::new("CreateAsset").args(["asset7", "blue", "5", "Tom", "300"])).await?;
//! let asset = basic.evaluate(Call::new("ReadAsset").arg("asset7")).await?;
//! println!("{}", String::from_utf8_lossy(&asset));
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use fabric_contract_proto::common::{ChannelHeader, Envelope, Header, Payload, SignatureHeader};
use fabric_contract_proto::gateway::gateway_client::GatewayClient;
use fabric_contract_proto::gateway::{
    ChaincodeEventsRequest, ChaincodeEventsResponse, CommitStatusRequest, EndorseRequest,
    ErrorDetail, EvaluateRequest, SignedChaincodeEventsRequest, SignedCommitStatusRequest,
    SubmitRequest,
};
use fabric_contract_proto::msp::SerializedIdentity;
use fabric_contract_proto::orderer::{SeekNextCommit, SeekPosition, SeekSpecified, seek_position};
use fabric_contract_proto::protos::{
    ChaincodeAction, ChaincodeActionPayload, ChaincodeHeaderExtension, ChaincodeId, ChaincodeInput,
    ChaincodeInvocationSpec, ChaincodeProposalPayload, ChaincodeSpec, Proposal,
    ProposalResponsePayload, SignedProposal, Transaction, TxValidationCode, chaincode_spec,
};
use fabric_contract_proto::{Message, Timestamp, google_rpc};
use futures_util::{Stream, StreamExt};
use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest, Sha256};
use tonic::transport::{Certificate, Channel, ClientTlsConfig};

use crate::crypto::{KeyError, SigningKey};

pub mod typed;

pub use fabric_contract_proto::gateway::ErrorDetail as GatewayErrorDetail;
pub use fabric_contract_proto::protos::TxValidationCode as ValidationCode;
pub use tonic::Code;

/// Why a Gateway call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The Gateway answered with an error status.
    #[error("{code:?}: {message}{}", details.iter().map(|d| format!("\n  {} ({}): {}", d.address, d.msp_id, d.message)).collect::<String>())]
    Rpc {
        /// gRPC status code.
        code: tonic::Code,
        /// The Gateway's message.
        message: String,
        /// Per-node details (endpoint, MSP id, message).
        details: Vec<ErrorDetail>,
    },
    /// The connection could not be made.
    #[error("cannot connect to the Gateway at {endpoint}: {message}")]
    Connect {
        /// Endpoint.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// The signing key is unusable.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// An identity file could not be read.
    #[error("cannot read {path}: {message}")]
    Identity {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// A submitted transaction was committed invalid.
    #[error("transaction {tx_id} failed to commit with status code {} ({})", *code as i32, code.as_str_name())]
    Commit {
        /// The transaction id.
        tx_id: String,
        /// The validation code.
        code: TxValidationCode,
    },
    /// The Gateway sent something that is not what the protocol says.
    #[error("unexpected Gateway response: {0}")]
    Protocol(String),
}

impl From<tonic::Status> for ClientError {
    fn from(status: tonic::Status) -> Self {
        let details = google_rpc::Status::decode(status.details())
            .map(|s| {
                s.details
                    .iter()
                    .filter_map(|any| ErrorDetail::decode(any.value.as_slice()).ok())
                    .collect()
            })
            .unwrap_or_default();
        ClientError::Rpc {
            code: status.code(),
            message: status.message().to_string(),
            details,
        }
    }
}

/// What a chaincode answered when it refused a transaction, as a Gateway reports it
/// (`chaincode response <status>, <message>` in the error details, as Fabric's Gateway writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChaincodeFailure {
    /// The response status (400 or more).
    pub status: u16,
    /// The machine-readable code when the message starts with `CODE: ` (`[A-Z][A-Z0-9_]*`), as
    /// fabric-contract sends coded errors.
    pub code: Option<String>,
    /// The message, without the code prefix.
    pub message: String,
}

impl std::fmt::Display for ChaincodeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl ChaincodeFailure {
    /// Reads one error detail's message; `None` unless it is a chaincode response.
    pub fn parse(detail: &str) -> Option<Self> {
        let rest = detail.strip_prefix("chaincode response ")?;
        let (status, message) = rest.split_once(", ")?;
        if status.is_empty() || !status.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let status = status.parse().ok()?;
        let coded = message.split_once(": ").filter(|(code, _)| {
            let mut bytes = code.bytes();
            bytes.next().is_some_and(|b| b.is_ascii_uppercase())
                && bytes.all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        });
        Some(match coded {
            Some((code, text)) => Self {
                status,
                code: Some(code.to_string()),
                message: text.to_string(),
            },
            None => Self {
                status,
                code: None,
                message: message.to_string(),
            },
        })
    }

    /// Splits the message along a message template's literal parts (the text around its
    /// placeholders): `["the asset ", " already exists"]` gives the one placeholder's text.
    /// Each placeholder takes the shortest text after which the next literal follows; the last
    /// literal must end the message. `None` when the message does not have the template's shape.
    ///
    /// ```
    /// use fabric_dev_gateway::client::ChaincodeFailure;
    ///
    /// let failure = ChaincodeFailure::parse("chaincode response 409, SAME_OWNER: Tom already owns it").unwrap();
    /// assert_eq!(failure.code.as_deref(), Some("SAME_OWNER"));
    /// assert_eq!(failure.fields(&["", " already owns it"]), Some(vec!["Tom".to_string()]));
    /// assert_eq!(failure.fields(&["the asset ", " exists"]), None);
    /// ```
    pub fn fields(&self, literals: &[&str]) -> Option<Vec<String>> {
        let (first, rest) = literals.split_first()?;
        let mut text = self.message.strip_prefix(first)?;
        let mut fields = Vec::with_capacity(rest.len());
        for (i, literal) in rest.iter().enumerate() {
            if i + 1 == rest.len() {
                let field = text.strip_suffix(literal)?;
                fields.push(field.to_string());
                text = "";
            } else {
                let at = text.find(literal)?;
                fields.push(text[..at].to_string());
                text = &text[at + literal.len()..];
            }
        }
        text.is_empty().then_some(fields)
    }
}

impl ClientError {
    /// The chaincode's answer when the chaincode refused the transaction; `None` for every other
    /// failure (connection, signatures, commit).
    pub fn chaincode_failure(&self) -> Option<ChaincodeFailure> {
        match self {
            ClientError::Rpc { details, .. } => details
                .iter()
                .find_map(|d| ChaincodeFailure::parse(&d.message)),
            _ => None,
        }
    }
}

/// A signing identity: MSP id, certificate and ECDSA P-256 key.
#[derive(Debug)]
pub struct Signer {
    msp_id: String,
    cert_pem: String,
    key: SigningKey,
}

fn first_file(dir: &Path) -> Result<String, ClientError> {
    let error = |message: String| ClientError::Identity {
        path: dir.display().to_string(),
        message,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| error(e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let path = entries
        .first()
        .ok_or_else(|| error("the folder is empty".into()))?;
    std::fs::read_to_string(path).map_err(|e| error(e.to_string()))
}

impl Signer {
    /// An identity from PEM texts.
    pub fn new(msp_id: &str, cert_pem: &str, key_pem: &str) -> Result<Self, ClientError> {
        Ok(Self {
            msp_id: msp_id.to_string(),
            cert_pem: cert_pem.to_string(),
            key: SigningKey::from_pem(key_pem)?,
        })
    }

    /// An identity from an MSP folder: the first files of `signcerts/` and `keystore/`.
    pub fn from_msp_dir(msp_id: &str, dir: &Path) -> Result<Self, ClientError> {
        let cert = first_file(&dir.join("signcerts"))?;
        let key = first_file(&dir.join("keystore"))?;
        Self::new(msp_id, &cert, &key)
    }

    /// The MSP id.
    pub fn msp_id(&self) -> &str {
        &self.msp_id
    }

    /// The serialized `SerializedIdentity` (a proposal's creator).
    pub fn creator(&self) -> Vec<u8> {
        SerializedIdentity {
            mspid: self.msp_id.clone(),
            id_bytes: self.cert_pem.clone().into_bytes(),
        }
        .encode_to_vec()
    }

    /// Signs SHA-256(`message`) (low-S DER).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign(message)
    }
}

/// One transaction call: function, arguments, transient data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Call {
    /// Transaction name (`Contract:Function` or `Function`).
    pub function: String,
    /// Arguments.
    pub args: Vec<Vec<u8>>,
    /// Transient data (never written to the ledger).
    pub transient: BTreeMap<String, Vec<u8>>,
}

impl Call {
    /// A call of `function` without arguments.
    pub fn new(function: &str) -> Self {
        Self {
            function: function.to_string(),
            ..Self::default()
        }
    }
    /// Adds an argument.
    pub fn arg(mut self, arg: impl AsRef<[u8]>) -> Self {
        self.args.push(arg.as_ref().to_vec());
        self
    }
    /// Adds arguments.
    pub fn args<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(mut self, args: I) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_vec()));
        self
    }
    /// Adds a transient entry.
    pub fn transient(mut self, key: &str, value: impl AsRef<[u8]>) -> Self {
        self.transient
            .insert(key.to_string(), value.as_ref().to_vec());
        self
    }
}

/// A connection to a Gateway, signing as one identity (cheap to clone).
#[derive(Debug, Clone)]
pub struct Gateway {
    client: GatewayClient<Channel>,
    signer: Arc<Signer>,
}

/// An endorsed transaction, ready to be submitted.
#[derive(Debug, Clone)]
pub struct Endorsed {
    /// Transaction id.
    pub tx_id: String,
    /// Channel.
    pub channel: String,
    /// The prepared envelope (unsigned).
    pub envelope: Envelope,
    /// The transaction's result (the chaincode response payload).
    pub result: Vec<u8>,
}

/// A transaction accepted for ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// Transaction id.
    pub tx_id: String,
    /// Channel.
    pub channel: String,
    /// The transaction's result.
    pub result: Vec<u8>,
}

/// A committed transaction's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitStatus {
    /// Validation code.
    pub code: TxValidationCode,
    /// Block holding the transaction.
    pub block_number: u64,
}

/// One chaincode event with its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Block number.
    pub block_number: u64,
    /// Transaction id.
    pub tx_id: String,
    /// Chaincode name.
    pub chaincode: String,
    /// Event name.
    pub name: String,
    /// Payload.
    pub payload: Vec<u8>,
}

/// A chaincode on a channel, reached through a [`Gateway`].
#[derive(Debug, Clone)]
pub struct Contract {
    gateway: Gateway,
    channel: String,
    chaincode: String,
}

fn now() -> Timestamp {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp {
        seconds: i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(since.subsec_nanos()).unwrap_or(0),
    }
}

impl Gateway {
    /// Connects to `endpoint` (`host:port`); with `tls_ca_pem`, over TLS
    /// trusting that certificate (server name `localhost`).
    pub async fn connect(
        endpoint: &str,
        tls_ca_pem: Option<&str>,
        signer: Signer,
    ) -> Result<Self, ClientError> {
        let error = |message: String| ClientError::Connect {
            endpoint: endpoint.to_string(),
            message,
        };
        let scheme = if tls_ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        let mut ep = Channel::from_shared(format!("{scheme}://{endpoint}"))
            .map_err(|e| error(e.to_string()))?;
        if let Some(ca) = tls_ca_pem {
            ep = ep
                .tls_config(
                    ClientTlsConfig::new()
                        .ca_certificate(Certificate::from_pem(ca))
                        .domain_name("localhost"),
                )
                .map_err(|e| error(e.to_string()))?;
        }
        let channel = ep.connect().await.map_err(|e| error(e.to_string()))?;
        Ok(Self {
            client: GatewayClient::new(channel),
            signer: Arc::new(signer),
        })
    }

    /// The chaincode `chaincode` on `channel`.
    pub fn contract(&self, channel: &str, chaincode: &str) -> Contract {
        Contract {
            gateway: self.clone(),
            channel: channel.to_string(),
            chaincode: chaincode.to_string(),
        }
    }

    /// The signing identity.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// Waits for a transaction's commit status.
    pub async fn commit_status(
        &self,
        channel: &str,
        tx_id: &str,
    ) -> Result<CommitStatus, ClientError> {
        let request = CommitStatusRequest {
            transaction_id: tx_id.to_string(),
            channel_id: channel.to_string(),
            identity: self.signer.creator(),
        }
        .encode_to_vec();
        let signed = SignedCommitStatusRequest {
            signature: self.signer.sign(&request),
            request,
        };
        let response = self
            .client
            .clone()
            .commit_status(signed)
            .await?
            .into_inner();
        let code = TxValidationCode::try_from(response.result).map_err(|_| {
            ClientError::Protocol(format!("unknown validation code {}", response.result))
        })?;
        Ok(CommitStatus {
            code,
            block_number: response.block_number,
        })
    }

    /// Streams events of `chaincode` from `start_block` (next commit when `None`).
    pub async fn chaincode_events(
        &self,
        channel: &str,
        chaincode: &str,
        start_block: Option<u64>,
    ) -> Result<impl Stream<Item = Result<Event, ClientError>> + use<>, ClientError> {
        let position = match start_block {
            Some(number) => seek_position::Type::Specified(SeekSpecified { number }),
            None => seek_position::Type::NextCommit(SeekNextCommit {}),
        };
        let request = ChaincodeEventsRequest {
            channel_id: channel.to_string(),
            chaincode_id: chaincode.to_string(),
            identity: self.signer.creator(),
            start_position: Some(SeekPosition {
                r#type: Some(position),
            }),
            after_transaction_id: String::new(),
        }
        .encode_to_vec();
        let signed = SignedChaincodeEventsRequest {
            signature: self.signer.sign(&request),
            request,
        };
        let stream = self
            .client
            .clone()
            .chaincode_events(signed)
            .await?
            .into_inner();
        Ok(stream.flat_map(|item| {
            let events: Vec<Result<Event, ClientError>> = match item {
                Ok(ChaincodeEventsResponse {
                    events,
                    block_number,
                }) => events
                    .into_iter()
                    .map(|e| {
                        Ok(Event {
                            block_number,
                            tx_id: e.tx_id,
                            chaincode: e.chaincode_id,
                            name: e.event_name,
                            payload: e.payload,
                        })
                    })
                    .collect(),
                Err(status) => vec![Err(status.into())],
            };
            futures_util::stream::iter(events)
        }))
    }
}

/// A signed proposal and its transaction id.
struct Built {
    tx_id: String,
    signed: SignedProposal,
}

impl Contract {
    fn build(&self, call: &Call) -> Built {
        let signer = &self.gateway.signer;
        let creator = signer.creator();
        let mut nonce = vec![0u8; 24];
        // A failed RNG leaves a zero nonce; the transaction id still differs by creator and time is not used.
        let _ = SystemRandom::new().fill(&mut nonce);
        let tx_id = hex::encode(
            Sha256::new()
                .chain_update(&nonce)
                .chain_update(&creator)
                .finalize(),
        );
        let chaincode_id = ChaincodeId {
            name: self.chaincode.clone(),
            ..ChaincodeId::default()
        };
        let header = Header {
            channel_header: ChannelHeader {
                r#type: 3,
                version: 0,
                timestamp: Some(now()),
                channel_id: self.channel.clone(),
                tx_id: tx_id.clone(),
                epoch: 0,
                extension: ChaincodeHeaderExtension {
                    chaincode_id: Some(chaincode_id.clone()),
                }
                .encode_to_vec(),
                tls_cert_hash: Vec::new(),
            }
            .encode_to_vec(),
            signature_header: SignatureHeader { creator, nonce }.encode_to_vec(),
        };
        let mut args = vec![call.function.clone().into_bytes()];
        args.extend(call.args.iter().cloned());
        let input = ChaincodeInvocationSpec {
            chaincode_spec: Some(ChaincodeSpec {
                r#type: chaincode_spec::Type::Golang as i32,
                chaincode_id: Some(chaincode_id),
                input: Some(ChaincodeInput {
                    args,
                    decorations: BTreeMap::new(),
                    is_init: false,
                }),
                timeout: 0,
            }),
        };
        let proposal = Proposal {
            header: header.encode_to_vec(),
            payload: ChaincodeProposalPayload {
                input: input.encode_to_vec(),
                transient_map: call.transient.clone(),
            }
            .encode_to_vec(),
            extension: Vec::new(),
        };
        let proposal_bytes = proposal.encode_to_vec();
        Built {
            tx_id,
            signed: SignedProposal {
                signature: signer.sign(&proposal_bytes),
                proposal_bytes,
            },
        }
    }

    /// The Gateway this contract is reached through (for commit statuses and events).
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// The channel.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The chaincode name.
    pub fn chaincode(&self) -> &str {
        &self.chaincode
    }

    /// Evaluates a transaction (a query: nothing is committed).
    pub async fn evaluate(&self, call: Call) -> Result<Vec<u8>, ClientError> {
        let built = self.build(&call);
        let response = self
            .gateway
            .client
            .clone()
            .evaluate(EvaluateRequest {
                transaction_id: built.tx_id,
                channel_id: self.channel.clone(),
                proposed_transaction: Some(built.signed),
                target_organizations: Vec::new(),
            })
            .await?
            .into_inner();
        Ok(response.result.map(|r| r.payload).unwrap_or_default())
    }

    /// Endorses a transaction: the prepared envelope and the result.
    pub async fn endorse(&self, call: Call) -> Result<Endorsed, ClientError> {
        let built = self.build(&call);
        let response = self
            .gateway
            .client
            .clone()
            .endorse(EndorseRequest {
                transaction_id: built.tx_id.clone(),
                channel_id: self.channel.clone(),
                proposed_transaction: Some(built.signed),
                endorsing_organizations: Vec::new(),
            })
            .await?
            .into_inner();
        let envelope = response
            .prepared_transaction
            .ok_or_else(|| ClientError::Protocol("no prepared transaction".into()))?;
        let result = transaction_result(&envelope)?;
        Ok(Endorsed {
            tx_id: built.tx_id,
            channel: self.channel.clone(),
            envelope,
            result,
        })
    }

    /// Signs and submits an endorsed transaction (does not wait for the commit).
    pub async fn submit_endorsed(&self, endorsed: Endorsed) -> Result<Submitted, ClientError> {
        let mut envelope = endorsed.envelope;
        envelope.signature = self.gateway.signer.sign(&envelope.payload);
        self.gateway
            .client
            .clone()
            .submit(SubmitRequest {
                transaction_id: endorsed.tx_id.clone(),
                channel_id: endorsed.channel.clone(),
                prepared_transaction: Some(envelope),
            })
            .await?;
        Ok(Submitted {
            tx_id: endorsed.tx_id,
            channel: endorsed.channel,
            result: endorsed.result,
        })
    }

    /// Endorses and submits, without waiting for the commit.
    pub async fn submit_async(&self, call: Call) -> Result<Submitted, ClientError> {
        let endorsed = self.endorse(call).await?;
        self.submit_endorsed(endorsed).await
    }

    /// Endorses, submits and waits until the transaction is committed valid.
    pub async fn submit(&self, call: Call) -> Result<Vec<u8>, ClientError> {
        let submitted = self.submit_async(call).await?;
        let status = self
            .gateway
            .commit_status(&submitted.channel, &submitted.tx_id)
            .await?;
        if status.code != TxValidationCode::Valid {
            return Err(ClientError::Commit {
                tx_id: submitted.tx_id,
                code: status.code,
            });
        }
        Ok(submitted.result)
    }
}

/// The chaincode response payload inside a prepared transaction.
fn transaction_result(envelope: &Envelope) -> Result<Vec<u8>, ClientError> {
    let bad = |what: &str| ClientError::Protocol(format!("prepared transaction: {what}"));
    let payload = Payload::decode(envelope.payload.as_slice()).map_err(|_| bad("payload"))?;
    let transaction =
        Transaction::decode(payload.data.as_slice()).map_err(|_| bad("transaction"))?;
    let action = transaction
        .actions
        .first()
        .ok_or_else(|| bad("no action"))?;
    let action_payload = ChaincodeActionPayload::decode(action.payload.as_slice())
        .map_err(|_| bad("action payload"))?;
    let endorsed = action_payload
        .action
        .ok_or_else(|| bad("no endorsed action"))?;
    let response_payload =
        ProposalResponsePayload::decode(endorsed.proposal_response_payload.as_slice())
            .map_err(|_| bad("proposal response payload"))?;
    let action = ChaincodeAction::decode(response_payload.extension.as_slice())
        .map_err(|_| bad("chaincode action"))?;
    Ok(action.response.map(|r| r.payload).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(message: &str) -> ChaincodeFailure {
        ChaincodeFailure {
            status: 500,
            code: None,
            message: message.to_string(),
        }
    }

    #[test]
    fn chaincode_failures_are_read_from_details() {
        assert_eq!(
            ChaincodeFailure::parse("chaincode response 500, the asset a1 does not exist"),
            Some(failure("the asset a1 does not exist"))
        );
        let coded =
            ChaincodeFailure::parse("chaincode response 409, SAME_OWNER: Tom: yes").unwrap();
        assert_eq!(
            (coded.status, coded.code.as_deref(), coded.message.as_str()),
            (409, Some("SAME_OWNER"), "Tom: yes")
        );
        assert_eq!(coded.to_string(), "SAME_OWNER: Tom: yes");
        // A colon after something that is not a code stays in the message.
        let plain = ChaincodeFailure::parse("chaincode response 500, Error: bad").unwrap();
        assert_eq!((plain.code, plain.message.as_str()), (None, "Error: bad"));
        assert_eq!(ChaincodeFailure::parse("access denied"), None);
        assert_eq!(ChaincodeFailure::parse("chaincode response x, y"), None);
        let rpc = ClientError::Rpc {
            code: Code::Aborted,
            message: "failed to endorse transaction".into(),
            details: vec![ErrorDetail {
                address: "peer0".into(),
                msp_id: "Org1MSP".into(),
                message: "chaincode response 500, no".into(),
            }],
        };
        assert_eq!(rpc.chaincode_failure(), Some(failure("no")));
        let other = ClientError::Protocol("x".into());
        assert_eq!(other.chaincode_failure(), None);
    }

    #[test]
    fn template_fields_split_on_literals() {
        let f = failure("move 5 from a:b to c");
        assert_eq!(
            f.fields(&["move ", " from ", " to ", ""]),
            Some(vec!["5".into(), "a:b".into(), "c".into()])
        );
        assert_eq!(f.fields(&["move 5 from a:b to c"]), Some(vec![]));
        assert_eq!(f.fields(&["move 5"]), None, "the whole message must match");
        assert_eq!(f.fields(&["take ", ""]), None);
        assert_eq!(f.fields(&["move ", " into ", ""]), None);
        assert_eq!(f.fields(&[]), None);
        // Empty placeholders match empty text.
        assert_eq!(failure("[]").fields(&["[", "]"]), Some(vec![String::new()]));
    }
}
