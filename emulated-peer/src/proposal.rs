//! SignedProposals and INIT/TRANSACTION messages built the way a Fabric client
//! and peer build them (hyperledger/fabric `protoutil/proputils.go`; messages
//! from fabric-protos `peer/proposal.proto`), so the chaincode under test sees
//! the same creator, transaction id, transient map, timestamp and binding it
//! would see in a network.
//!
//! ```
//! use fabric_emulated_peer::proposal::{serialized_identity, ProposalSpec};
//!
//! let creator = serialized_identity("Org1MSP", b"-----BEGIN CERTIFICATE-----\n");
//! let built = ProposalSpec::new("mychannel", "mycc", creator)
//!     .args(["get", "a"])
//!     .nonce((0u8..24).collect())
//!     .build();
//! assert_eq!(built.tx_id, "a43210668f3686adbbcd1946c6edefb58fbb56f6af54fb2f01a58a56900f3851");
//! ```

use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::time::{SystemTime, UNIX_EPOCH};

use fabric_contract_proto::common::{ChannelHeader, Header, SignatureHeader};
use fabric_contract_proto::msp::SerializedIdentity;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    ChaincodeHeaderExtension, ChaincodeId, ChaincodeInput, ChaincodeInvocationSpec,
    ChaincodeMessage, ChaincodeProposalPayload, ChaincodeSpec, Proposal, SignedProposal,
    chaincode_spec,
};
use fabric_contract_proto::{Message, Timestamp};
use sha2::{Digest, Sha256};

/// `common.HeaderType.ENDORSER_TRANSACTION`.
const ENDORSER_TRANSACTION: i32 = 3;

/// A serialized `msp.SerializedIdentity` (the proposal's creator).
pub fn serialized_identity(msp_id: &str, id_bytes: &[u8]) -> Vec<u8> {
    SerializedIdentity {
        mspid: msp_id.to_string(),
        id_bytes: id_bytes.to_vec(),
    }
    .encode_to_vec()
}

/// The MSP id of a signed proposal's creator (proposal → header → signature header →
/// `SerializedIdentity`), or `None` when any layer does not decode.
pub fn creator_msp_id(signed: &SignedProposal) -> Option<String> {
    let proposal = Proposal::decode(signed.proposal_bytes.as_slice()).ok()?;
    let header = Header::decode(proposal.header.as_slice()).ok()?;
    let signature = SignatureHeader::decode(header.signature_header.as_slice()).ok()?;
    SerializedIdentity::decode(signature.creator.as_slice())
        .ok()
        .map(|id| id.mspid)
}

/// The transaction id Fabric derives: hex(SHA-256(nonce ‖ creator)).
pub fn tx_id(nonce: &[u8], creator: &[u8]) -> String {
    hex::encode(
        Sha256::new()
            .chain_update(nonce)
            .chain_update(creator)
            .finalize(),
    )
}

/// 24 unpredictable bytes, like the nonce of a Fabric client.
///
/// Uniqueness is all a test nonce needs, so this uses the standard library's
/// randomly seeded hasher keys instead of a cryptographic generator.
pub fn random_nonce() -> Vec<u8> {
    (0u64..3)
        .flat_map(|i| RandomState::new().hash_one(i).to_le_bytes())
        .collect()
}

/// What to put in a proposal; unset nonce and timestamp are chosen at build.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalSpec {
    /// Channel of the transaction.
    pub channel: String,
    /// Chaincode name (the namespace), used in the header extension and spec.
    pub chaincode: String,
    /// `ChaincodeInput.args`: function name first.
    pub args: Vec<Vec<u8>>,
    /// The transient map (never written to the ledger).
    pub transient: BTreeMap<String, Vec<u8>>,
    /// A serialized `SerializedIdentity`.
    pub creator: Vec<u8>,
    /// Fixed nonce; random when `None`.
    pub nonce: Option<Vec<u8>>,
    /// Fixed timestamp; the current time when `None`.
    pub timestamp: Option<Timestamp>,
    /// `ChaincodeInput.is_init` (an init invocation).
    pub is_init: bool,
}

impl ProposalSpec {
    /// A spec without arguments or transient data.
    pub fn new(channel: &str, chaincode: &str, creator: Vec<u8>) -> Self {
        Self {
            channel: channel.to_string(),
            chaincode: chaincode.to_string(),
            args: Vec::new(),
            transient: BTreeMap::new(),
            creator,
            nonce: None,
            timestamp: None,
            is_init: false,
        }
    }

    /// Sets the arguments (function name first).
    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: AsRef<[u8]>,
    {
        self.args = args.into_iter().map(|a| a.as_ref().to_vec()).collect();
        self
    }

    /// Adds one transient entry.
    pub fn transient(mut self, key: &str, value: impl AsRef<[u8]>) -> Self {
        self.transient
            .insert(key.to_string(), value.as_ref().to_vec());
        self
    }

    /// Fixes the nonce (and so the transaction id).
    pub fn nonce(mut self, nonce: Vec<u8>) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Fixes the channel-header timestamp.
    pub fn timestamp(mut self, timestamp: Timestamp) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Marks the invocation as init.
    pub fn init(mut self, is_init: bool) -> Self {
        self.is_init = is_init;
        self
    }

    /// Builds the SignedProposal (empty signature) and the chaincode input.
    pub fn build(&self) -> BuiltProposal {
        let nonce = self.nonce.clone().unwrap_or_else(random_nonce);
        let timestamp = self.timestamp.unwrap_or_else(now);
        let tx_id = tx_id(&nonce, &self.creator);
        let chaincode_id = ChaincodeId {
            name: self.chaincode.clone(),
            ..ChaincodeId::default()
        };
        let channel_header = ChannelHeader {
            r#type: ENDORSER_TRANSACTION,
            version: 0,
            timestamp: Some(timestamp),
            channel_id: self.channel.clone(),
            tx_id: tx_id.clone(),
            epoch: 0,
            extension: ChaincodeHeaderExtension {
                chaincode_id: Some(chaincode_id.clone()),
            }
            .encode_to_vec(),
            tls_cert_hash: Vec::new(),
        };
        let header = Header {
            channel_header: channel_header.encode_to_vec(),
            signature_header: SignatureHeader {
                creator: self.creator.clone(),
                nonce: nonce.clone(),
            }
            .encode_to_vec(),
        };
        let input = ChaincodeInput {
            args: self.args.clone(),
            decorations: BTreeMap::new(),
            is_init: self.is_init,
        };
        let invocation = ChaincodeInvocationSpec {
            chaincode_spec: Some(ChaincodeSpec {
                r#type: chaincode_spec::Type::Golang as i32,
                chaincode_id: Some(chaincode_id),
                input: Some(input.clone()),
                timeout: 0,
            }),
        };
        let payload = ChaincodeProposalPayload {
            input: invocation.encode_to_vec(),
            transient_map: self.transient.clone(),
        };
        let proposal = Proposal {
            header: header.encode_to_vec(),
            payload: payload.encode_to_vec(),
            extension: Vec::new(),
        };
        BuiltProposal {
            tx_id,
            nonce,
            timestamp,
            channel: self.channel.clone(),
            input,
            signed_proposal: SignedProposal {
                proposal_bytes: proposal.encode_to_vec(),
                signature: Vec::new(),
            },
        }
    }
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

/// A built proposal and what the peer derives from it.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltProposal {
    /// hex(SHA-256(nonce ‖ creator)).
    pub tx_id: String,
    /// The nonce used.
    pub nonce: Vec<u8>,
    /// The channel-header timestamp used.
    pub timestamp: Timestamp,
    /// The channel.
    pub channel: String,
    /// The chaincode input sent as the message payload.
    pub input: ChaincodeInput,
    /// The SignedProposal carried by the message.
    pub signed_proposal: SignedProposal,
}

impl BuiltProposal {
    /// The INIT or TRANSACTION message the peer sends to the chaincode.
    pub fn message(&self, init: bool) -> ChaincodeMessage {
        ChaincodeMessage {
            r#type: if init { Type::Init } else { Type::Transaction } as i32,
            payload: self.input.encode_to_vec(),
            txid: self.tx_id.clone(),
            proposal: Some(self.signed_proposal.clone()),
            channel_id: self.channel.clone(),
            ..ChaincodeMessage::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSACTION_HEX: &str = "08051a080a036765740a01612240613433323130363638663336383661646262636431393436633665646566623538666262353666366166353466623266303161353861353639303066333835312ad0010acd010aa8010a6108031a060880e2cfaa0622096d796368616e6e656c2a40613433323130363638663336383661646262636431393436633665646566623538666262353666366166353466623266303161353861353639303066333835313a08120612046d79636312430a270a074f7267314d5350121c2d2d2d2d2d424547494e2043455254494649434154452d2d2d2d2d0a1218000102030405060708090a0b0c0d0e0f101112131415161712200a160a140801120612046d7963631a080a036765740a016112060a016b1201763a096d796368616e6e656c";

    fn spec() -> ProposalSpec {
        let creator = serialized_identity("Org1MSP", b"-----BEGIN CERTIFICATE-----\n");
        ProposalSpec::new("mychannel", "mycc", creator)
            .args(["get", "a"])
            .transient("k", "v")
            .nonce((0u8..24).collect())
            .timestamp(Timestamp {
                seconds: 1_700_000_000,
                nanos: 0,
            })
    }

    #[test]
    fn reproduces_the_spec_transaction_byte_for_byte() {
        let built = spec().build();
        let bytes = built.message(false).encode_to_vec();
        assert_eq!(bytes.len(), 300);
        assert_eq!(hex::encode(bytes), TRANSACTION_HEX);
    }

    #[test]
    fn creator_and_tx_id_match_the_spec() {
        assert_eq!(
            hex::encode(&spec().creator),
            "0a074f7267314d5350121c2d2d2d2d2d424547494e2043455254494649434154452d2d2d2d2d0a"
        );
        assert_eq!(
            spec().build().tx_id,
            "a43210668f3686adbbcd1946c6edefb58fbb56f6af54fb2f01a58a56900f3851"
        );
    }

    #[test]
    fn init_message_and_random_nonces() {
        let built = spec().init(true).build();
        let msg = built.message(true);
        assert_eq!(msg.r#type, Type::Init as i32);
        assert!(
            ChaincodeInput::decode(msg.payload.as_slice())
                .unwrap()
                .is_init
        );
        let mut unfixed = spec();
        unfixed.nonce = None;
        let (a, b) = (unfixed.build(), unfixed.build());
        assert_eq!(a.nonce.len(), 24);
        assert_ne!(a.tx_id, b.tx_id);
    }
}
