//! The dev peer as the Gateway sees it: proposal checks, endorsement,
//! validation and commit in order, blocks and transaction statuses.
//!
//! A real Gateway talks to an endorser (`ProcessProposal`) and an ordering
//! service; here both are this one node, so every answer is built the way the
//! Gateway would build it from the endorser's and orderer's replies.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use fabric_contract_proto::common::{
    Block, BlockData, BlockHeader, BlockMetadata, ChannelHeader, Envelope, Header, Payload,
    SignatureHeader,
};
use fabric_contract_proto::gateway::ErrorDetail;
use fabric_contract_proto::google_rpc;
use fabric_contract_proto::protos::{
    ChaincodeAction, ChaincodeActionPayload, ChaincodeEndorsedAction, ChaincodeEvent, ChaincodeId,
    ChaincodeInvocationSpec, ChaincodeProposalPayload, Endorsement as EndorsementMsg, Proposal,
    ProposalResponsePayload, Response, SignedProposal, Transaction, TransactionAction,
    TxValidationCode,
};
use fabric_contract_proto::{Message, Timestamp};
use sha2::{Digest, Sha256};
use tokio::sync::watch;
use tonic::{Code, Status};

use crate::crypto::SigningKey;
use crate::emulated::{CommitError, EmulatedPeer, Endorsement, Invocation, MessageType, PeerError};
use crate::msp::{AuthError, MspRegistry};

/// `common.HeaderType` values the endorser accepts.
const ENDORSER_TRANSACTION: i32 = 3;
const CONFIG: i32 = 1;
/// `BlockMetadataIndex.TRANSACTIONS_FILTER`.
const TRANSACTIONS_FILTER: usize = 2;

/// The peer's own signing identity (it signs endorsements).
#[derive(Debug)]
pub(crate) struct PeerIdentity {
    /// The peer's MSP id.
    pub msp_id: String,
    /// Serialized `SerializedIdentity` of the peer.
    pub creator: Vec<u8>,
    /// The peer's key.
    pub key: SigningKey,
}

/// A proposal taken apart as the endorser does (`UnpackProposal`).
#[derive(Debug)]
struct Unpacked {
    channel_header: ChannelHeader,
    signature_header: SignatureHeader,
    header: Header,
    chaincode: String,
    args: Vec<Vec<u8>>,
    transient: BTreeMap<String, Vec<u8>>,
    is_init: bool,
    proposal_hash: Vec<u8>,
    cpp_no_transient: Vec<u8>,
}

fn unpack(signed: &SignedProposal) -> Result<Unpacked, String> {
    if signed.proposal_bytes.is_empty() {
        return Err("a signed proposal is required".into());
    }
    let proposal = Proposal::decode(signed.proposal_bytes.as_slice())
        .map_err(|e| format!("error unmarshalling Proposal: {e}"))?;
    let header = Header::decode(proposal.header.as_slice())
        .map_err(|e| format!("error unmarshalling Header: {e}"))?;
    let channel_header = ChannelHeader::decode(header.channel_header.as_slice())
        .map_err(|e| format!("error unmarshalling ChannelHeader: {e}"))?;
    let signature_header = SignatureHeader::decode(header.signature_header.as_slice())
        .map_err(|e| format!("error unmarshalling SignatureHeader: {e}"))?;
    let payload = ChaincodeProposalPayload::decode(proposal.payload.as_slice())
        .map_err(|e| format!("error unmarshalling ChaincodeProposalPayload: {e}"))?;
    let spec = ChaincodeInvocationSpec::decode(payload.input.as_slice())
        .map_err(|e| format!("error unmarshalling ChaincodeInvocationSpec: {e}"))?;
    if channel_header.channel_id.is_empty() {
        return Err("no channel id provided".into());
    }
    let channel = &channel_header.channel_id;
    let spec = spec
        .chaincode_spec
        .ok_or_else(|| format!("no chaincode spec is provided, channel id [{channel}]"))?;
    let chaincode = spec
        .chaincode_id
        .as_ref()
        .map(|id| id.name.clone())
        .ok_or_else(|| format!("no chaincode id is provided, channel id [{channel}]"))?;
    if chaincode.is_empty() {
        return Err(format!(
            "no chaincode name is provided, channel id [{channel}]"
        ));
    }
    let input = spec.input.unwrap_or_default();
    let cpp_no_transient = ChaincodeProposalPayload {
        input: payload.input.clone(),
        transient_map: BTreeMap::new(),
    }
    .encode_to_vec();
    let proposal_hash = Sha256::new()
        .chain_update(&proposal.header)
        .chain_update(&cpp_no_transient)
        .finalize()
        .to_vec();
    Ok(Unpacked {
        channel_header,
        signature_header,
        header,
        chaincode,
        args: input.args,
        transient: payload.transient_map,
        is_init: input.is_init,
        proposal_hash,
        cpp_no_transient,
    })
}

/// One transaction in a block.
#[derive(Debug, Clone)]
struct TxRecord {
    tx_id: String,
    code: TxValidationCode,
    event: Option<ChaincodeEvent>,
}

/// One channel's chain: blocks (block 0 is the genesis block and holds no
/// transaction), the status of every transaction, and a signal for waiters.
#[derive(Debug)]
struct Chain {
    blocks: Vec<Option<TxRecord>>,
    statuses: HashMap<String, (TxValidationCode, u64)>,
    height: watch::Sender<u64>,
}

impl Chain {
    fn new() -> Self {
        Self {
            blocks: vec![None],
            statuses: HashMap::new(),
            height: watch::channel(1).0,
        }
    }

    fn append(&mut self, record: TxRecord) -> u64 {
        let number = self.blocks.len() as u64;
        // The first status of a transaction id is the one that counts.
        self.statuses
            .entry(record.tx_id.clone())
            .or_insert((record.code, number));
        self.blocks.push(Some(record));
        self.height.send_replace(number + 1);
        number
    }
}

/// An endorsed transaction waiting for its signed envelope.
#[derive(Debug)]
struct Pending {
    endorsement: Endorsement,
    prp: Vec<u8>,
}

/// Where the node keeps its ledger and blocks between runs.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    /// The ledger JSON file (the console's format).
    pub ledger: PathBuf,
    /// The blocks, length-delimited `common.Block`s.
    pub blocks: PathBuf,
}

/// Events of one block, for `ChaincodeEvents`.
#[derive(Debug, Clone)]
pub(crate) struct BlockEvents {
    /// Block number.
    pub number: u64,
    /// Events of valid transactions, in order.
    pub events: Vec<ChaincodeEvent>,
}

/// The dev peer behind the Gateway service.
#[derive(Debug)]
pub(crate) struct Node {
    peer: EmulatedPeer,
    msps: MspRegistry,
    identity: PeerIdentity,
    endpoint: String,
    chains: Mutex<BTreeMap<String, Chain>>,
    pending: Mutex<HashMap<String, Pending>>,
    commit: tokio::sync::Mutex<()>,
    store: Option<Store>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The chaincode's answer to an evaluation or endorsement.
#[derive(Debug)]
pub(crate) struct Executed {
    pub response: Response,
    pub envelope: Option<Envelope>,
}

/// The gRPC status a Gateway sends, with `ErrorDetail`s when a node failed.
pub(crate) fn rpc_error(code: Code, message: &str, details: &[ErrorDetail]) -> Status {
    if details.is_empty() {
        return Status::new(code, message);
    }
    let status = google_rpc::Status {
        code: code as i32,
        message: message.to_string(),
        details: details
            .iter()
            .map(|d| prost_types::Any {
                type_url: "type.googleapis.com/gateway.ErrorDetail".into(),
                value: d.encode_to_vec(),
            })
            .collect(),
    };
    Status::with_details(code, message, status.encode_to_vec().into())
}

/// What the endorser answered, before the Gateway wraps it.
enum EndorserFailure {
    /// `ProcessProposal` returned an error (validation): gRPC FailedPrecondition.
    Refused(String),
    /// A 500 without a payload (the chaincode could not run): Aborted, retried elsewhere.
    NotRun(String),
    /// The chaincode answered status >= 400: Unknown.
    Chaincode(i32, String),
}

impl Node {
    pub(crate) fn new(
        peer: EmulatedPeer,
        msps: MspRegistry,
        identity: PeerIdentity,
        endpoint: String,
        store: Option<Store>,
    ) -> Result<Self, String> {
        let mut chains: BTreeMap<String, Chain> = peer
            .options()
            .channels
            .iter()
            .map(|c| (c.clone(), Chain::new()))
            .collect();
        if let Some(store) = &store {
            load_blocks(&store.blocks, &mut chains)?;
        }
        Ok(Self {
            peer,
            msps,
            identity,
            endpoint,
            chains: Mutex::new(chains),
            pending: Mutex::new(HashMap::new()),
            commit: tokio::sync::Mutex::new(()),
            store,
        })
    }

    fn detail(&self, message: String) -> ErrorDetail {
        ErrorDetail {
            address: self.endpoint.clone(),
            msp_id: self.identity.msp_id.clone(),
            message,
        }
    }

    fn check_channel(&self, channel: &str) -> Result<(), Status> {
        if lock(&self.chains).contains_key(channel) {
            Ok(())
        } else {
            Err(Status::unavailable(format!(
                "failed to get config for channel [{channel}]: could not get last config for channel {channel}"
            )))
        }
    }

    /// `Evaluate`: run the proposal, keep nothing.
    pub(crate) async fn evaluate(&self, signed: &SignedProposal) -> Result<Response, Status> {
        let unpacked = unpack(signed).map_err(|e| {
            Status::invalid_argument(format!("failed to unpack transaction proposal: {e}"))
        })?;
        let channel = unpacked.channel_header.channel_id.clone();
        self.check_channel(&channel)?;
        if !self
            .peer
            .options()
            .chaincodes
            .contains_key(&unpacked.chaincode)
        {
            return Err(Status::failed_precondition(format!(
                "no peers available to evaluate chaincode {} in channel {channel}",
                unpacked.chaincode
            )));
        }
        match self.process(signed, &unpacked, false).await {
            Ok(executed) => Ok(executed.response),
            Err(failure) => Err(match failure {
                EndorserFailure::Refused(m) => {
                    let detail = self.detail(m.clone());
                    rpc_error(
                        Code::FailedPrecondition,
                        &format!("evaluate call to endorser returned error: {m}"),
                        &[detail],
                    )
                }
                EndorserFailure::Chaincode(status, message) => {
                    let m = format!("chaincode response {status}, {message}");
                    let detail = self.detail(m.clone());
                    rpc_error(
                        Code::Unknown,
                        &format!("evaluate call to endorser returned error: {m}"),
                        &[detail],
                    )
                }
                EndorserFailure::NotRun(m) => rpc_error(
                    Code::Aborted,
                    "failed to evaluate transaction, see attached details for more info",
                    &[self.detail(m)],
                ),
            }),
        }
    }

    /// `Endorse`: run the proposal and return the prepared transaction.
    pub(crate) async fn endorse(&self, signed: &SignedProposal) -> Result<Envelope, Status> {
        let unpacked = unpack(signed).map_err(Status::invalid_argument)?;
        let channel = unpacked.channel_header.channel_id.clone();
        self.check_channel(&channel)?;
        if !self
            .peer
            .options()
            .chaincodes
            .contains_key(&unpacked.chaincode)
        {
            return Err(Status::failed_precondition(
                "no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers",
            ));
        }
        match self.process(signed, &unpacked, true).await {
            Ok(executed) => executed
                .envelope
                .ok_or_else(|| Status::aborted("failed to assemble transaction")),
            Err(failure) => {
                let message = match failure {
                    EndorserFailure::Refused(m) | EndorserFailure::NotRun(m) => m,
                    EndorserFailure::Chaincode(status, message) => {
                        format!("chaincode response {status}, {message}")
                    }
                };
                Err(rpc_error(
                    Code::Aborted,
                    "failed to endorse transaction, see attached details for more info",
                    &[self.detail(message)],
                ))
            }
        }
    }

    /// The endorser's checks (`UnpackedProposal.Validate`, then uniqueness).
    fn validate(&self, signed: &SignedProposal, up: &Unpacked) -> Result<(), String> {
        let ch = &up.channel_header;
        let sh = &up.signature_header;
        let wrap = |m: String| format!("error validating proposal: {m}");
        if ch.r#type != ENDORSER_TRANSACTION && ch.r#type != CONFIG {
            return Err(wrap(format!("invalid header type {}", ch.r#type)));
        }
        if ch.epoch != 0 {
            return Err(wrap("epoch is non-zero".into()));
        }
        if sh.nonce.is_empty() {
            return Err(wrap("nonce is empty".into()));
        }
        if sh.creator.is_empty() {
            return Err(wrap("creator is empty".into()));
        }
        let expected = hex::encode(
            Sha256::new()
                .chain_update(&sh.nonce)
                .chain_update(&sh.creator)
                .finalize(),
        );
        if ch.tx_id != expected {
            return Err(wrap(format!(
                "incorrectly computed txid '{}' -- expected '{expected}'",
                ch.tx_id
            )));
        }
        if signed.signature.is_empty() {
            return Err(wrap("empty signature bytes".into()));
        }
        match self
            .msps
            .verify(&sh.creator, &signed.proposal_bytes, &signed.signature)
        {
            Ok(_) => {}
            Err(AuthError::Malformed) => {
                return Err(wrap(format!(
                    "access denied: channel [{}] creator org unknown, creator is malformed",
                    ch.channel_id
                )));
            }
            Err(AuthError::Denied { msp_id }) => {
                return Err(wrap(format!(
                    "access denied: channel [{}] creator org [{msp_id}]",
                    ch.channel_id
                )));
            }
        }
        // Like the peer, only committed transactions count: endorsing the same
        // proposal again (a client retry) replaces the pending endorsement.
        let duplicate = lock(&self.chains)
            .get(&ch.channel_id)
            .is_some_and(|c| c.statuses.contains_key(&ch.tx_id));
        if duplicate {
            return Err(format!(
                "duplicate transaction found [{}]. Creator [{}]",
                ch.tx_id,
                hex::encode(&sh.creator)
            ));
        }
        Ok(())
    }

    /// `ProcessProposal`: validate, simulate, and for an endorsement sign the
    /// response and assemble the transaction envelope.
    async fn process(
        &self,
        signed: &SignedProposal,
        up: &Unpacked,
        endorse: bool,
    ) -> Result<Executed, EndorserFailure> {
        self.validate(signed, up)
            .map_err(EndorserFailure::Refused)?;
        let ch = &up.channel_header;
        let mut invocation = Invocation::submit(&up.chaincode, &up.args)
            .channel(&ch.channel_id)
            .creator(up.signature_header.creator.clone())
            .nonce(up.signature_header.nonce.clone())
            .timestamp(ch.timestamp.unwrap_or(Timestamp {
                seconds: 0,
                nanos: 0,
            }));
        invocation.transient = up.transient.clone();
        invocation.is_init = up.is_init;
        let endorsement = match self.peer.endorse(invocation).await {
            Ok(endorsement) => endorsement,
            Err(e) => {
                return Err(EndorserFailure::NotRun(simulation_error(
                    &e,
                    &up.chaincode,
                    &ch.channel_id,
                )));
            }
        };
        let outcome = &endorsement.outcome;
        if outcome.message_type == MessageType::Error {
            return Err(EndorserFailure::NotRun(format!(
                "error in simulation: {}",
                outcome.response.message
            )));
        }
        if outcome.response.status >= 400 {
            return Err(EndorserFailure::Chaincode(
                outcome.response.status,
                outcome.response.message.clone(),
            ));
        }
        let response = outcome.response.clone();
        if !endorse {
            return Ok(Executed {
                response,
                envelope: None,
            });
        }
        let version = self
            .peer
            .options()
            .chaincodes
            .get(&up.chaincode)
            .map(|d| d.version.clone())
            .unwrap_or_default();
        let action = ChaincodeAction {
            results: Vec::new(),
            events: outcome
                .event
                .as_ref()
                .map(Message::encode_to_vec)
                .unwrap_or_default(),
            response: Some(response.clone()),
            chaincode_id: Some(ChaincodeId {
                name: up.chaincode.clone(),
                version,
                ..ChaincodeId::default()
            }),
        };
        let prp = ProposalResponsePayload {
            proposal_hash: up.proposal_hash.clone(),
            extension: action.encode_to_vec(),
        }
        .encode_to_vec();
        let mut signed_bytes = prp.clone();
        signed_bytes.extend_from_slice(&self.identity.creator);
        let endorsement_msg = EndorsementMsg {
            endorser: self.identity.creator.clone(),
            signature: self.identity.key.sign(&signed_bytes),
        };
        let envelope = prepare_transaction(up, prp.clone(), endorsement_msg);
        lock(&self.pending).insert(ch.tx_id.clone(), Pending { endorsement, prp });
        Ok(Executed {
            response,
            envelope: Some(envelope),
        })
    }

    /// `Submit`: the ordering service's admission check, then validation and
    /// commit in order (one transaction per block).
    pub(crate) async fn submit(&self, channel: &str, envelope: &Envelope) -> Result<(), Status> {
        if envelope.signature.is_empty() {
            return Err(Status::invalid_argument(
                "prepared transaction must be signed",
            ));
        }
        if !lock(&self.chains).contains_key(channel) {
            return Err(Status::failed_precondition(format!(
                "channel '{channel}' not found"
            )));
        }
        let orderer_refusal = |status: &str, info: &str| {
            rpc_error(
                Code::Aborted,
                &format!(
                    "received unsuccessful response from orderer: status={status}, info={info}"
                ),
                &[],
            )
        };
        let parsed = parse_envelope(envelope).map_err(|e| orderer_refusal("BAD_REQUEST", &e))?;
        if self
            .msps
            .verify(&parsed.creator, &envelope.payload, &envelope.signature)
            .is_err()
        {
            return Err(orderer_refusal(
                "FORBIDDEN",
                "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied",
            ));
        }
        let _order = self.commit.lock().await;
        let already = lock(&self.chains)
            .get(&parsed.channel)
            .is_some_and(|c| c.statuses.contains_key(&parsed.tx_id));
        let pending = lock(&self.pending).remove(&parsed.tx_id);
        let (code, event) = if already {
            (TxValidationCode::DuplicateTxid, None)
        } else {
            match pending {
                None => (TxValidationCode::EndorsementPolicyFailure, None),
                Some(p) if !self.endorsed(&parsed, &p) => {
                    (TxValidationCode::EndorsementPolicyFailure, None)
                }
                Some(p) => {
                    let event = p.endorsement.outcome.event.clone();
                    match self.peer.commit(p.endorsement) {
                        Ok(_) => (TxValidationCode::Valid, event),
                        Err(PeerError::Commit(CommitError::MvccConflict { .. })) => {
                            (TxValidationCode::MvccReadConflict, None)
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, tx_id = %parsed.tx_id, "commit failed");
                            (TxValidationCode::InvalidOtherReason, None)
                        }
                    }
                }
            }
        };
        let record = TxRecord {
            tx_id: parsed.tx_id.clone(),
            code,
            event,
        };
        let number = {
            let mut chains = lock(&self.chains);
            let chain = chains.get_mut(&parsed.channel).ok_or_else(|| {
                Status::not_found(format!("channel {} not found", parsed.channel))
            })?;
            chain.blocks.len() as u64
        };
        let block = build_block(number, envelope, code);
        self.persist(&block)
            .map_err(|e| Status::internal(format!("cannot save the ledger: {e}")))?;
        if let Some(chain) = lock(&self.chains).get_mut(&parsed.channel) {
            chain.append(record);
        }
        tracing::info!(tx_id = %parsed.tx_id, block = number, code = code.as_str_name(), "committed");
        Ok(())
    }

    /// Whether the envelope carries this node's endorsement of what it simulated.
    fn endorsed(&self, parsed: &ParsedEnvelope, pending: &Pending) -> bool {
        if parsed.prp != pending.prp {
            return false;
        }
        let mut signed = parsed.prp.clone();
        signed.extend_from_slice(&self.identity.creator);
        parsed.endorsements.iter().any(|e| {
            e.endorser == self.identity.creator
                && self.msps.verify(&e.endorser, &signed, &e.signature).is_ok()
        })
    }

    fn persist(&self, block: &Block) -> std::io::Result<()> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&store.blocks)?;
        file.write_all(&block.encode_length_delimited_to_vec())?;
        let temporary = store.ledger.with_extension("json.tmp");
        std::fs::write(&temporary, self.peer.ledger().to_json())?;
        std::fs::rename(&temporary, &store.ledger)
    }

    /// Verifies a signed request (commit status, events) by `identity`.
    pub(crate) fn check_signed(
        &self,
        identity: &[u8],
        data: &[u8],
        signature: &[u8],
    ) -> Result<(), Status> {
        self.msps.verify(identity, data, signature).map(|_| ()).map_err(|_| {
            Status::permission_denied(
                "failed evaluating policy on signed data during check policy [/Channel/Application/Writers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied]",
            )
        })
    }

    /// Waits for a transaction's status: (code, block number).
    pub(crate) async fn commit_status(
        &self,
        channel: &str,
        tx_id: &str,
    ) -> Result<(TxValidationCode, u64), Status> {
        loop {
            let mut waiter = {
                let chains = lock(&self.chains);
                let chain = chains
                    .get(channel)
                    .ok_or_else(|| Status::not_found(format!("channel {channel} not found")))?;
                if let Some(found) = chain.statuses.get(tx_id) {
                    return Ok(*found);
                }
                chain.height.subscribe()
            };
            if waiter.changed().await.is_err() {
                return Err(Status::aborted("the ledger closed"));
            }
        }
    }

    /// The chain height and the block holding `tx_id`, if any.
    pub(crate) fn position(
        &self,
        channel: &str,
        tx_id: &str,
    ) -> Result<(u64, Option<u64>), Status> {
        let chains = lock(&self.chains);
        let chain = chains
            .get(channel)
            .ok_or_else(|| Status::not_found(format!("channel {channel} not found")))?;
        Ok((
            chain.blocks.len() as u64,
            chain.statuses.get(tx_id).map(|(_, b)| *b),
        ))
    }

    /// Blocks from `start` on with their valid transactions' events, or a
    /// receiver that changes when a block is added.
    pub(crate) fn blocks_from(
        &self,
        channel: &str,
        start: u64,
    ) -> (Vec<BlockEvents>, Option<watch::Receiver<u64>>) {
        let chains = lock(&self.chains);
        let Some(chain) = chains.get(channel) else {
            return (Vec::new(), None);
        };
        let found: Vec<BlockEvents> = chain
            .blocks
            .iter()
            .enumerate()
            .skip(usize::try_from(start).unwrap_or(usize::MAX))
            .map(|(number, record)| BlockEvents {
                number: number as u64,
                events: record
                    .iter()
                    .filter(|r| r.code == TxValidationCode::Valid)
                    .filter_map(|r| r.event.clone())
                    .collect(),
            })
            .collect();
        (found, Some(chain.height.subscribe()))
    }
}

fn simulation_error(e: &PeerError, chaincode: &str, channel: &str) -> String {
    match e {
        PeerError::UnknownChaincode(_) | PeerError::NotRegistered(_) => format!(
            "make sure the chaincode {chaincode} has been successfully defined on channel {channel} and try again: {e}"
        ),
        _ => format!("error in simulation: {e}"),
    }
}

/// The Gateway's `prepareTransaction`: the envelope the client signs.
fn prepare_transaction(up: &Unpacked, prp: Vec<u8>, endorsement: EndorsementMsg) -> Envelope {
    let action = ChaincodeActionPayload {
        chaincode_proposal_payload: up.cpp_no_transient.clone(),
        action: Some(ChaincodeEndorsedAction {
            proposal_response_payload: prp,
            endorsements: vec![endorsement],
        }),
    };
    let transaction = Transaction {
        actions: vec![TransactionAction {
            header: up.header.signature_header.clone(),
            payload: action.encode_to_vec(),
        }],
    };
    let payload = Payload {
        header: Some(up.header.clone()),
        data: transaction.encode_to_vec(),
    };
    Envelope {
        payload: payload.encode_to_vec(),
        signature: Vec::new(),
    }
}

/// What validation needs from a transaction envelope.
#[derive(Debug)]
struct ParsedEnvelope {
    channel: String,
    tx_id: String,
    creator: Vec<u8>,
    prp: Vec<u8>,
    endorsements: Vec<EndorsementMsg>,
    event: Option<ChaincodeEvent>,
}

fn parse_envelope(envelope: &Envelope) -> Result<ParsedEnvelope, String> {
    let payload =
        Payload::decode(envelope.payload.as_slice()).map_err(|e| format!("bad payload: {e}"))?;
    let header = payload.header.ok_or("missing header")?;
    let channel_header = ChannelHeader::decode(header.channel_header.as_slice())
        .map_err(|e| format!("bad channel header: {e}"))?;
    let signature_header = SignatureHeader::decode(header.signature_header.as_slice())
        .map_err(|e| format!("bad signature header: {e}"))?;
    let transaction = Transaction::decode(payload.data.as_slice())
        .map_err(|e| format!("bad transaction: {e}"))?;
    let action = transaction.actions.first().ok_or("no transaction action")?;
    let action_payload = ChaincodeActionPayload::decode(action.payload.as_slice())
        .map_err(|e| format!("bad chaincode action payload: {e}"))?;
    let endorsed = action_payload.action.ok_or("missing endorsed action")?;
    let event = ProposalResponsePayload::decode(endorsed.proposal_response_payload.as_slice())
        .ok()
        .and_then(|p| ChaincodeAction::decode(p.extension.as_slice()).ok())
        .and_then(|a| ChaincodeEvent::decode(a.events.as_slice()).ok())
        .filter(|e| !e.event_name.is_empty() || !e.chaincode_id.is_empty());
    Ok(ParsedEnvelope {
        channel: channel_header.channel_id,
        tx_id: channel_header.tx_id,
        creator: signature_header.creator,
        prp: endorsed.proposal_response_payload,
        endorsements: endorsed.endorsements,
        event,
    })
}

fn build_block(number: u64, envelope: &Envelope, code: TxValidationCode) -> Block {
    let data = vec![envelope.encode_to_vec()];
    let data_hash = Sha256::digest(&data[0]).to_vec();
    let mut metadata = vec![Vec::new(); 5];
    metadata[TRANSACTIONS_FILTER] = vec![code as u8];
    Block {
        header: Some(BlockHeader {
            number,
            previous_hash: Vec::new(),
            data_hash,
        }),
        data: Some(BlockData { data }),
        metadata: Some(BlockMetadata { metadata }),
    }
}

/// Reads blocks saved by earlier runs back into the chains.
fn load_blocks(path: &PathBuf, chains: &mut BTreeMap<String, Chain>) -> Result<(), String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(format!(
                "cannot read the block file {}: {e}",
                path.display()
            ));
        }
    };
    let mut rest = bytes.as_slice();
    while !rest.is_empty() {
        let block = Block::decode_length_delimited(&mut rest).map_err(|e| {
            format!(
                "{} is not a dev block file ({e}); move it away or pass --in-memory",
                path.display()
            )
        })?;
        let code = block
            .metadata
            .as_ref()
            .and_then(|m| m.metadata.get(TRANSACTIONS_FILTER))
            .and_then(|f| f.first())
            .and_then(|&c| TxValidationCode::try_from(i32::from(c)).ok())
            .unwrap_or(TxValidationCode::InvalidOtherReason);
        let Some(raw) = block.data.as_ref().and_then(|d| d.data.first()) else {
            continue;
        };
        let envelope = Envelope::decode(raw.as_slice()).map_err(|e| e.to_string())?;
        let parsed = parse_envelope(&envelope)?;
        // Blocks of a channel this peer no longer serves stay in the file, unread.
        let Some(chain) = chains.get_mut(&parsed.channel) else {
            continue;
        };
        chain.append(TxRecord {
            tx_id: parsed.tx_id,
            code,
            event: parsed.event.filter(|_| code == TxValidationCode::Valid),
        });
    }
    Ok(())
}

/// Shared handle.
pub(crate) type SharedNode = Arc<Node>;
