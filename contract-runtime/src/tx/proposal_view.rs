//! Lean decoding views of the proposal messages: each declares only the fields the shim reads
//! (prost skips the others without copying them), and byte fields are [`Bytes`] slices of the
//! proposal, so decoding a proposal allocates nothing but its transient map.
//!
//! Tags and types follow Fabric's `common/common.proto` (`Header`, `ChannelHeader`,
//! `SignatureHeader`) and `peer/proposal.proto` (`Proposal`, `ChaincodeProposalPayload`);
//! `proto/tests` checks the full messages against the same wire vectors.

use std::collections::BTreeMap;

use fabric_contract_proto::Timestamp;
use prost::bytes::Bytes;

/// `protos.Proposal`: the header and the chaincode payload (its extension is skipped).
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct ProposalView {
    #[prost(bytes = "bytes", tag = "1")]
    pub header: Bytes,
    #[prost(bytes = "bytes", tag = "2")]
    pub payload: Bytes,
}

/// `common.Header`.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct HeaderView {
    #[prost(bytes = "bytes", tag = "1")]
    pub channel_header: Bytes,
    #[prost(bytes = "bytes", tag = "2")]
    pub signature_header: Bytes,
}

/// `common.ChannelHeader`: its type, timestamp and epoch (ids and extension skipped).
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct ChannelHeaderView {
    #[prost(int32, tag = "1")]
    pub r#type: i32,
    #[prost(message, optional, tag = "3")]
    pub timestamp: Option<Timestamp>,
    #[prost(uint64, tag = "6")]
    pub epoch: u64,
}

/// `common.SignatureHeader`.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct SignatureHeaderView {
    #[prost(bytes = "bytes", tag = "1")]
    pub creator: Bytes,
    #[prost(bytes = "bytes", tag = "2")]
    pub nonce: Bytes,
}

/// `protos.ChaincodeProposalPayload`: the transient map only (the invocation spec it also
/// carries repeats the arguments the shim already has from the TRANSACTION message).
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct PayloadView {
    #[prost(btree_map = "string, bytes", tag = "2")]
    pub transient_map: BTreeMap<String, Vec<u8>>,
}
