//! The client's side: proposals in (endorse, commit, invoke), outcomes out,
//! and the peer's checks before a chaincode runs (channel, init rules).

use std::collections::BTreeMap;

use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{ChaincodeEvent, ChaincodeMessage, Response};
use fabric_contract_proto::{Message, Timestamp};
use tokio::time::Instant;

use super::executor::Exec;
use super::{ChaincodeDefinition, EmulatedPeer, INIT_KEY, PeerError};
use crate::ledger::{Simulation, Write};
use crate::proposal::{ProposalSpec, serialized_identity};

/// Submit (endorse and commit) or evaluate (endorse only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
    /// Commit when the status is below 400.
    Submit,
    /// Never commit.
    Evaluate,
}

/// A client's transaction proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// Chaincode name.
    pub chaincode: String,
    /// Channel; the peer's first channel when `None`.
    pub channel: Option<String>,
    /// Arguments, function name first.
    pub args: Vec<Vec<u8>>,
    /// Transient map.
    pub transient: BTreeMap<String, Vec<u8>>,
    /// Serialized `SerializedIdentity`; `{peer msp id, no certificate}` when `None`.
    pub creator: Option<Vec<u8>>,
    /// Client-side `is_init` flag.
    pub is_init: bool,
    /// Submit or evaluate.
    pub kind: TxKind,
    /// Fixed nonce (fixes the tx id).
    pub nonce: Option<Vec<u8>>,
    /// Fixed timestamp.
    pub timestamp: Option<Timestamp>,
}

impl Invocation {
    fn new<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(
        chaincode: &str,
        args: I,
        kind: TxKind,
    ) -> Self {
        Self {
            chaincode: chaincode.to_string(),
            channel: None,
            args: args.into_iter().map(|a| a.as_ref().to_vec()).collect(),
            transient: BTreeMap::new(),
            creator: None,
            is_init: false,
            kind,
            nonce: None,
            timestamp: None,
        }
    }
    /// A submitted transaction.
    pub fn submit<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(chaincode: &str, args: I) -> Self {
        Self::new(chaincode, args, TxKind::Submit)
    }
    /// An evaluated (query) transaction.
    pub fn evaluate<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(chaincode: &str, args: I) -> Self {
        Self::new(chaincode, args, TxKind::Evaluate)
    }
    /// Sets the channel.
    pub fn channel(mut self, channel: &str) -> Self {
        self.channel = Some(channel.to_string());
        self
    }
    /// Adds a transient entry.
    pub fn transient(mut self, key: &str, value: impl AsRef<[u8]>) -> Self {
        self.transient
            .insert(key.to_string(), value.as_ref().to_vec());
        self
    }
    /// Sets the creator (serialized `SerializedIdentity`).
    pub fn creator(mut self, creator: Vec<u8>) -> Self {
        self.creator = Some(creator);
        self
    }
    /// Marks the call as init.
    pub fn init(mut self) -> Self {
        self.is_init = true;
        self
    }
    /// Fixes the nonce.
    pub fn nonce(mut self, nonce: Vec<u8>) -> Self {
        self.nonce = Some(nonce);
        self
    }
    /// Fixes the timestamp.
    pub fn timestamp(mut self, timestamp: Timestamp) -> Self {
        self.timestamp = Some(timestamp);
        self
    }
}

/// What a transaction produced.
#[derive(Debug, Clone, PartialEq)]
pub struct TxOutcome {
    /// The transaction id.
    pub tx_id: String,
    /// How the chaincode finished: COMPLETED or ERROR.
    pub message_type: Type,
    /// The chaincode's response; for ERROR, status 500 with the peer's
    /// `transaction returned with failure: <text>` message.
    pub response: Response,
    /// The event, kept only when the status is below 400.
    pub event: Option<ChaincodeEvent>,
    /// After commit: what was committed (empty if nothing was). For an
    /// endorsement not yet committed: the pending write set.
    pub writes: Vec<Write>,
    /// The request types the chaincode sent for this transaction, in order
    /// (a callee's own requests during INVOKE_CHAINCODE are not included).
    pub requests: Vec<Type>,
}

impl TxOutcome {
    /// Whether the peer would endorse it (COMPLETED with status below 400).
    pub fn is_endorsable(&self) -> bool {
        self.message_type == Type::Completed && self.response.status < 400
    }
}

/// An executed, not yet committed transaction.
#[derive(Debug)]
pub struct Endorsement {
    /// The outcome; `writes` holds the pending write set.
    pub outcome: TxOutcome,
    simulation: Simulation,
    timestamp: Timestamp,
}

impl EmulatedPeer {
    /// Runs a transaction: endorse, then for [`TxKind::Submit`] commit when
    /// endorsable. Evaluations never commit.
    pub async fn invoke(&self, invocation: Invocation) -> Result<TxOutcome, PeerError> {
        let kind = invocation.kind;
        let endorsement = self.endorse(invocation).await?;
        match kind {
            TxKind::Submit => self.commit(endorsement),
            TxKind::Evaluate => {
                let mut outcome = endorsement.outcome;
                outcome.writes.clear();
                Ok(outcome)
            }
        }
    }

    /// Applies an endorsement: MVCC check and writes when it is endorsable;
    /// otherwise nothing changes and `writes` comes back empty.
    pub fn commit(&self, endorsement: Endorsement) -> Result<TxOutcome, PeerError> {
        let mut outcome = endorsement.outcome;
        if !outcome.is_endorsable() {
            outcome.writes.clear();
            return Ok(outcome);
        }
        outcome.writes = endorsement.simulation.writes();
        self.inner.ledger.commit(
            endorsement.simulation,
            &outcome.tx_id,
            endorsement.timestamp,
        )?;
        Ok(outcome)
    }

    /// Executes a proposal on the chaincode without committing it.
    pub async fn endorse(&self, inv: Invocation) -> Result<Endorsement, PeerError> {
        let opts = &self.inner.options;
        let def = opts
            .chaincodes
            .get(&inv.chaincode)
            .cloned()
            .ok_or_else(|| PeerError::UnknownChaincode(inv.chaincode.clone()))?;
        let channel = match &inv.channel {
            Some(c) => c.clone(),
            None => opts.channels.first().cloned().unwrap_or_default(),
        };
        self.check_channel(&channel)?;
        let send_init = self.check_invocation(&def, &channel, inv.is_init)?;
        let creator = inv
            .creator
            .clone()
            .unwrap_or_else(|| serialized_identity(&opts.msp_id, b""));
        let mut spec = ProposalSpec::new(&channel, &def.name, creator).init(inv.is_init);
        spec.args = inv.args.clone();
        spec.transient = inv.transient.clone();
        spec.nonce = inv.nonce.clone();
        spec.timestamp = inv.timestamp;
        let built = spec.build();
        let mut sim = self.inner.ledger.simulate(&channel, &built.tx_id);
        if send_init {
            // The peer writes the marker into the INIT transaction's write set.
            sim.put_state(&def.name, INIT_KEY, def.version.as_bytes())
                .map_err(|e| PeerError::Invocation(e.to_string()))?;
        }
        let exec = Exec {
            message: built.message(send_init),
            proposal: Some(built.signed_proposal.clone()),
            def: def.clone(),
            sim: &mut sim,
            deadline: Instant::now() + opts.execute_timeout,
        };
        let (reply, requests) = self.execute(exec).await?;
        let mut outcome = outcome_from(&def.name, &built.tx_id, reply, sim.writes());
        outcome.requests = requests;
        Ok(Endorsement {
            outcome,
            simulation: sim,
            timestamp: built.timestamp,
        })
    }

    pub(super) fn check_channel(&self, channel: &str) -> Result<(), PeerError> {
        if self.inner.options.channels.iter().any(|c| c == channel) {
            Ok(())
        } else {
            Err(PeerError::UnknownChannel(channel.to_string()))
        }
    }

    /// The init-required rules of the peer's `CheckInvocation` (hyperledger/fabric
    /// `core/chaincode/chaincode_support.go`): whether to send INIT.
    pub(super) fn check_invocation(
        &self,
        def: &ChaincodeDefinition,
        channel: &str,
        is_init: bool,
    ) -> Result<bool, PeerError> {
        let name = &def.name;
        if !def.init_required {
            if is_init {
                return Err(PeerError::Invocation(format!(
                    "chaincode '{name}' does not require initialization but called as init"
                )));
            }
            return Ok(false);
        }
        let marker = self.inner.ledger.get_state(channel, name, INIT_KEY);
        let initialized = marker.as_deref() == Some(def.version.as_bytes());
        match (is_init, initialized) {
            (true, false) => Ok(true),
            (true, true) => Err(PeerError::Invocation(format!(
                "chaincode '{name}' is already initialized but called as init"
            ))),
            (false, false) => Err(PeerError::Invocation(format!(
                "chaincode '{name}' has not been initialized for this version, must call as init first"
            ))),
            (false, true) => Ok(false),
        }
    }
}

fn outcome_from(
    chaincode: &str,
    tx_id: &str,
    reply: ChaincodeMessage,
    writes: Vec<Write>,
) -> TxOutcome {
    let completed = reply.r#type == Type::Completed as i32;
    let response = if completed {
        Response::decode(reply.payload.as_slice()).unwrap_or_else(|e| {
            Response::error(format!(
                "failed to unmarshal the chaincode's COMPLETED response: {e}"
            ))
        })
    } else {
        Response::error(format!(
            "transaction returned with failure: {}",
            String::from_utf8_lossy(&reply.payload)
        ))
    };
    let event = reply
        .chaincode_event
        .filter(|_| completed && response.status < 400)
        .map(|mut e| {
            // The peer overwrites these whatever the shim sent.
            e.chaincode_id = chaincode.to_string();
            e.tx_id = tx_id.to_string();
            e
        });
    TxOutcome {
        tx_id: tx_id.to_string(),
        message_type: if completed {
            Type::Completed
        } else {
            Type::Error
        },
        response,
        event,
        writes,
        requests: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_outcome_has_status_500_and_no_event() {
        let reply = ChaincodeMessage {
            r#type: Type::Error as i32,
            payload: b"boom".to_vec(),
            chaincode_event: Some(ChaincodeEvent::default()),
            ..ChaincodeMessage::default()
        };
        let out = outcome_from("cc", "t", reply, Vec::new());
        assert_eq!(out.response.status, 500);
        assert_eq!(
            out.response.message,
            "transaction returned with failure: boom"
        );
        assert!(out.event.is_none() && !out.is_endorsable());
    }
}
