//! Facts of a transaction read from its signed proposal: creator, transient
//! map, timestamp, binding. Read on first use, not when the transaction starts.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::common::HeaderType;
use fabric_contract_proto::protos::SignedProposal;
use prost::bytes::Bytes;
use sha2::{Digest, Sha256};

use super::inbound::InboundProposal;
use super::proposal_view::ProposalFields;
use crate::StubError;

/// What a transaction's signed proposal says about it.
///
/// The proposal is read the first time a fact is asked for. Most transactions ask for none,
/// and reading its five nested messages was a tenth of a transaction's fixed cost. The peer has
/// already checked the proposal (signature, header type) before calling the chaincode, so it is
/// well formed in practice. If it is not, the facts read as empty and [`failure`](Self::failure)
/// says why; the router then ends the transaction with ERROR, whatever the contract returned.
///
/// A proposal may be absent (legacy internal calls); then every fact is empty and nothing fails.
#[derive(Debug, Clone, Default)]
pub struct TxFacts {
    /// The proposal's bytes and signature as the peer forwarded them; every byte field read from
    /// it is a slice of `proposal_bytes`, not a copy.
    proposal: Option<InboundProposal>,
    /// The facts, or why the proposal could not be read; filled on first use. Boxed, like the
    /// message below: most transactions never ask, and every transaction moves and allocates
    /// its facts.
    read: OnceLock<Box<Result<ProposalFacts, StubError>>>,
    /// The [`SignedProposal`] message, rebuilt on first use (few chaincodes ask for it).
    signed_proposal: OnceLock<Option<Box<SignedProposal>>>,
    /// SHA-256(nonce ‖ creator ‖ epoch as 8 little-endian bytes), once computed.
    binding: OnceLock<Option<Vec<u8>>>,
}

/// The facts read out of a well-formed proposal.
#[derive(Debug, Clone, Default)]
struct ProposalFacts {
    /// Serialized `msp.SerializedIdentity` of the submitting client.
    creator: Bytes,
    /// The proposal's transient map (never written to the ledger).
    transient: BTreeMap<String, Vec<u8>>,
    /// The client-chosen timestamp of the channel header, identical on every endorser.
    timestamp: Option<Timestamp>,
    /// The signature header's nonce and the channel header's epoch: what the binding is computed
    /// from, on first use (few chaincodes ever read it, so the hash is not paid per transaction).
    nonce: Bytes,
    epoch: u64,
}

/// The transient map of a transaction without one (or with an unreadable proposal).
static NO_TRANSIENT: BTreeMap<String, Vec<u8>> = BTreeMap::new();

impl ProposalFacts {
    /// Reads the facts out of a proposal's bytes. The fields the shim never reads (the arguments
    /// a second time, channel and transaction ids, extensions) are skipped, not decoded
    /// (`proposal_view`).
    ///
    /// Like the Go shim, only ENDORSER_TRANSACTION and CONFIG headers are accepted.
    fn read(proposal_bytes: &Bytes) -> Result<Self, StubError> {
        let fields =
            ProposalFields::read(proposal_bytes).map_err(|e| StubError::Proposal(e.to_string()))?;
        let accepted = [
            HeaderType::EndorserTransaction as i32,
            HeaderType::Config as i32,
        ];
        if !accepted.contains(&fields.header_type) {
            return Err(StubError::Proposal(format!(
                "channel header type {} is not ENDORSER_TRANSACTION (3) or CONFIG (1)",
                fields.header_type
            )));
        }
        Ok(Self {
            creator: fields.creator,
            transient: fields.transient_map,
            timestamp: fields.timestamp,
            nonce: fields.nonce,
            epoch: fields.epoch,
        })
    }
}

impl TxFacts {
    /// The facts of a transaction with this signed proposal (a slice of the received message,
    /// kept as it is: nothing is read until a fact is asked for).
    pub(crate) fn new(signed: Option<InboundProposal>) -> Self {
        Self {
            proposal: signed,
            ..Self::default()
        }
    }

    /// Facts with only a transient map (tests that drive a chaincode without a proposal).
    #[cfg(test)]
    pub fn with_transient(transient: BTreeMap<String, Vec<u8>>) -> Self {
        Self {
            read: OnceLock::from(Box::new(Ok(ProposalFacts {
                transient,
                ..ProposalFacts::default()
            }))),
            ..Self::default()
        }
    }

    /// The proposal's facts, read on the first call; `None` without a proposal or with one that
    /// could not be read.
    fn facts(&self) -> Option<&ProposalFacts> {
        let signed = self.proposal.as_ref();
        self.read
            .get_or_init(|| {
                Box::new(match signed {
                    Some(signed) => ProposalFacts::read(&signed.proposal_bytes),
                    None => Ok(ProposalFacts::default()),
                })
            })
            .as_ref()
            .as_ref()
            .ok()
    }

    /// Why the proposal could not be read, once a fact was asked for and it could not be.
    /// The transaction must then end in ERROR: its contract ran on empty facts.
    pub(crate) fn failure(&self) -> Option<&StubError> {
        self.read.get()?.as_ref().as_ref().err()
    }

    /// The client's signed proposal as the peer forwarded it; `None` without one. Rebuilt (one
    /// copy of its bytes) on the first call.
    pub fn signed_proposal(&self) -> Option<&SignedProposal> {
        self.signed_proposal
            .get_or_init(|| {
                let signed = self.proposal.as_ref()?;
                Some(Box::new(SignedProposal {
                    proposal_bytes: signed.proposal_bytes.to_vec(),
                    signature: signed.signature.to_vec(),
                }))
            })
            .as_deref()
    }

    /// Serialized `msp.SerializedIdentity` of the submitting client (empty without a proposal).
    pub fn creator(&self) -> &[u8] {
        self.facts().map_or(&[], |facts| &facts.creator)
    }

    /// The proposal's transient map (empty without a proposal).
    pub fn transient(&self) -> &BTreeMap<String, Vec<u8>> {
        self.facts().map_or(&NO_TRANSIENT, |facts| &facts.transient)
    }

    /// The client-chosen timestamp of the channel header, identical on every endorser.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.facts()?.timestamp
    }

    /// SHA-256(nonce ‖ creator ‖ epoch as 8 little-endian bytes), as Go's
    /// `GetBinding`; `None` without a proposal. Computed on the first call.
    pub fn binding(&self) -> Option<&[u8]> {
        self.binding
            .get_or_init(|| {
                self.proposal.as_ref()?;
                let facts = self.facts()?;
                Some(
                    Sha256::new()
                        .chain_update(&facts.nonce)
                        .chain_update(&facts.creator)
                        .chain_update(facts.epoch.to_le_bytes())
                        .finalize()
                        .to_vec(),
                )
            })
            .as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fabric_contract_proto::Message;
    use fabric_contract_proto::common::{ChannelHeader, Header};
    use fabric_contract_proto::protos::Proposal;

    /// Arbitrary bytes as a proposal, and real proposals with one corrupted byte, are read or
    /// refused with an error, never a panic.
    #[test]
    fn arbitrary_proposals_parse_or_fail_cleanly() {
        use fabric_emulated_peer::proposal::{ProposalSpec, serialized_identity};
        use proptest::prelude::*;

        proptest!(|(
            proposal_bytes in proptest::collection::vec(any::<u8>(), 0..256),
            flip in any::<prop::sample::Index>(),
        )| {
            let facts = TxFacts::new(Some(SignedProposal { proposal_bytes, signature: vec![] }.into()));
            let _ = (facts.creator(), facts.transient(), facts.timestamp(), facts.binding());
            // An unreadable proposal reads as empty facts, and says why.
            if facts.failure().is_some() {
                prop_assert!(facts.creator().is_empty() && facts.transient().is_empty());
                prop_assert!(facts.timestamp().is_none() && facts.binding().is_none());
            }
            let creator = serialized_identity("Org1MSP", b"-----BEGIN CERTIFICATE-----\n");
            let built = ProposalSpec::new("ch", "cc", creator).args(["Who"]).build();
            let mut signed = built.message(false).proposal.take().expect("a proposal");
            let at = flip.index(signed.proposal_bytes.len());
            signed.proposal_bytes[at] ^= 0x5a;
            let facts = TxFacts::new(Some(signed.into()));
            let _ = (facts.creator(), facts.transient(), facts.timestamp(), facts.binding());
        });
    }

    /// The full TRANSACTION vector (also in `proto/tests/wire_vectors.rs`).
    const FULL_TRANSACTION: &str = "08051a080a036765740a01612240613433323130363638663336383661646262636431393436633665646566623538666262353666366166353466623266303161353861353639303066333835312ad0010acd010aa8010a6108031a060880e2cfaa0622096d796368616e6e656c2a40613433323130363638663336383661646262636431393436633665646566623538666262353666366166353466623266303161353861353639303066333835313a08120612046d79636312430a270a074f7267314d5350121c2d2d2d2d2d424547494e2043455254494649434154452d2d2d2d2d0a1218000102030405060708090a0b0c0d0e0f101112131415161712200a160a140801120612046d7963631a080a036765740a016112060a016b1201763a096d796368616e6e656c";

    #[test]
    fn reads_every_fact_of_the_spec_vector() {
        let bytes = hex::decode(FULL_TRANSACTION).unwrap();
        let msg =
            fabric_contract_proto::protos::ChaincodeMessage::decode(bytes.as_slice()).unwrap();
        let facts = TxFacts::new(msg.proposal.clone().map(Into::into));
        assert_eq!(
            hex::encode(facts.creator()),
            "0a074f7267314d5350121c2d2d2d2d2d424547494e2043455254494649434154452d2d2d2d2d0a"
        );
        assert_eq!(
            facts.transient().get("k").map(Vec::as_slice),
            Some(&b"v"[..])
        );
        assert_eq!(
            facts.timestamp(),
            Some(Timestamp {
                seconds: 1_700_000_000,
                nanos: 0
            })
        );
        assert_eq!(
            hex::encode(facts.binding().unwrap()),
            "d1c775ba0994adf1e64ae613b4914fe576f3baac10057513c49e9d1a2e29f224"
        );
    }

    #[test]
    fn absent_proposal_gives_empty_facts() {
        let facts = TxFacts::new(None);
        assert!(
            facts.creator().is_empty() && facts.transient().is_empty() && facts.binding().is_none()
        );
        assert!(facts.failure().is_none());
    }

    #[test]
    fn garbage_proposal_is_an_error_not_a_panic() {
        let signed = SignedProposal {
            proposal_bytes: vec![0xff, 0xff, 0xff],
            signature: vec![],
        };
        let facts = TxFacts::new(Some(signed.into()));
        assert!(
            facts.failure().is_none(),
            "nothing is read before a fact is asked for"
        );
        assert!(facts.creator().is_empty());
        let err = facts.failure().expect("the proposal was read and refused");
        assert!(matches!(err, StubError::Proposal(_)), "{err}");
    }

    #[test]
    fn wrong_header_type_is_rejected() {
        let channel = ChannelHeader {
            r#type: HeaderType::Message as i32,
            ..Default::default()
        };
        let header = Header {
            channel_header: channel.encode_to_vec(),
            signature_header: vec![],
        };
        let proposal = Proposal {
            header: header.encode_to_vec(),
            ..Default::default()
        };
        let signed = SignedProposal {
            proposal_bytes: proposal.encode_to_vec(),
            signature: vec![],
        };
        let facts = TxFacts::new(Some(signed.into()));
        assert!(facts.transient().is_empty());
        let err = facts.failure().expect("the header type was refused");
        assert!(err.to_string().contains("channel header type 0"), "{err}");
    }
}
