//! Signed proposals for the transactions the test peer sends, with a real X.509 creator (the Node
//! contract API parses the creator certificate and fails the call if it cannot).

use fabric_contract_proto::common::{ChannelHeader, Header, HeaderType, SignatureHeader};
use fabric_contract_proto::msp::SerializedIdentity;
use fabric_contract_proto::protos::{
    ChaincodeHeaderExtension, ChaincodeId, ChaincodeInput, ChaincodeInvocationSpec,
    ChaincodeProposalPayload, ChaincodeSpec, Proposal, SignedProposal, chaincode_spec,
};
use fabric_contract_proto::{Message, Timestamp};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// MSP id of the test client.
pub const MSP_ID: &str = "Org1MSP";
/// Seconds of the first transaction's timestamp; each later transaction adds one.
pub const BASE_SECONDS: i64 = 1_700_000_000;

/// A client identity: the serialized creator and its PEM certificate.
pub struct Creator {
    pub pem: String,
    pub serialized: Vec<u8>,
}

impl Creator {
    /// A self-signed P-256 certificate for `User1@org1.example.com` in `Org1MSP`.
    pub fn user1() -> Self {
        let key = rcgen::KeyPair::generate().expect("generate a P-256 key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "User1@org1.example.com");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "org1.example.com");
        let cert = params
            .self_signed(&key)
            .expect("self-sign the test certificate");
        let pem = cert.pem();
        let serialized = SerializedIdentity {
            mspid: MSP_ID.into(),
            id_bytes: pem.clone().into_bytes(),
        }
        .encode_to_vec();
        Self { pem, serialized }
    }
}

/// What a built proposal means, for assertions.
pub struct BuiltProposal {
    pub signed: SignedProposal,
    pub tx_id: String,
    pub nonce: Vec<u8>,
    pub timestamp: Timestamp,
}

impl BuiltProposal {
    /// SHA-256(nonce ‖ creator ‖ epoch 0 as 8 little-endian bytes), hex: what the Node shim's
    /// `getBinding()` returns.
    pub fn binding_hex(&self, creator: &Creator) -> String {
        let mut h = Sha256::new();
        h.update(&self.nonce);
        h.update(&creator.serialized);
        h.update(0u64.to_le_bytes());
        hex::encode(h.finalize())
    }
}

/// Builds the `seq`-th proposal of a run: deterministic nonce, txid = hex(SHA-256(nonce ‖ creator)).
pub fn build(
    seq: u64,
    channel: &str,
    chaincode: &str,
    creator: &Creator,
    input: &ChaincodeInput,
    transient: &BTreeMap<String, Vec<u8>>,
) -> BuiltProposal {
    let nonce = Sha256::digest(format!("nonce-{seq}").as_bytes())[..24].to_vec();
    let mut h = Sha256::new();
    h.update(&nonce);
    h.update(&creator.serialized);
    let tx_id = hex::encode(h.finalize());
    let timestamp = Timestamp {
        seconds: BASE_SECONDS + seq as i64,
        nanos: 0,
    };
    let chaincode_id = ChaincodeId {
        name: chaincode.into(),
        ..Default::default()
    };
    let channel_header = ChannelHeader {
        r#type: HeaderType::EndorserTransaction as i32,
        version: 0,
        timestamp: Some(timestamp),
        channel_id: channel.into(),
        tx_id: tx_id.clone(),
        epoch: 0,
        extension: ChaincodeHeaderExtension {
            chaincode_id: Some(chaincode_id.clone()),
        }
        .encode_to_vec(),
        tls_cert_hash: Vec::new(),
    };
    let signature_header = SignatureHeader {
        creator: creator.serialized.clone(),
        nonce: nonce.clone(),
    };
    let header = Header {
        channel_header: channel_header.encode_to_vec(),
        signature_header: signature_header.encode_to_vec(),
    };
    let payload = ChaincodeProposalPayload {
        input: ChaincodeInvocationSpec {
            chaincode_spec: Some(ChaincodeSpec {
                r#type: chaincode_spec::Type::Node as i32,
                chaincode_id: Some(chaincode_id),
                input: Some(input.clone()),
                timeout: 0,
            }),
        }
        .encode_to_vec(),
        transient_map: transient.clone(),
    };
    let proposal = Proposal {
        header: header.encode_to_vec(),
        payload: payload.encode_to_vec(),
        extension: Vec::new(),
    };
    BuiltProposal {
        signed: SignedProposal {
            proposal_bytes: proposal.encode_to_vec(),
            signature: Vec::new(),
        },
        tx_id,
        nonce,
        timestamp,
    }
}
