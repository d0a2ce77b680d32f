//! Reads the few proposal fields the shim uses straight from the proposal's bytes.
//!
//! A proposal nests five messages (`Proposal`, `Header`, `ChannelHeader`, `SignatureHeader`,
//! `ChaincodeProposalPayload`). Decoding them as prost messages, even lean ones, cost about a
//! tenth of a transaction's fixed cost. Here each is walked once ([`super::wire`]), and the byte
//! fields kept (creator, nonce) are [`Bytes`] slices of the proposal, not copies. A test
//! compares the reader with prost.
//!
//! Tags and types follow Fabric's `common/common.proto` (`Header`, `ChannelHeader`,
//! `SignatureHeader`) and `peer/proposal.proto` (`Proposal`, `ChaincodeProposalPayload`).

use std::collections::BTreeMap;

use fabric_contract_proto::Timestamp;
use prost::bytes::Bytes;

use super::wire::{MessageError, string_bytes_entry, walk, walk_message};

/// What the shim reads from a proposal.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ProposalFields {
    /// `ChannelHeader.type`.
    pub header_type: i32,
    /// `ChannelHeader.timestamp`.
    pub timestamp: Option<Timestamp>,
    /// `ChannelHeader.epoch`.
    pub epoch: u64,
    /// `SignatureHeader.creator`, a slice of the proposal.
    pub creator: Bytes,
    /// `SignatureHeader.nonce`, a slice of the proposal.
    pub nonce: Bytes,
    /// `ChaincodeProposalPayload.TransientMap`.
    pub transient_map: BTreeMap<String, Vec<u8>>,
}

impl ProposalFields {
    /// Reads a serialized `protos.Proposal`.
    pub(super) fn read(proposal: &Bytes) -> Result<Self, MessageError> {
        let mut fields = Self::default();
        let (mut header, mut payload) = (&[][..], &[][..]);
        walk_message("proposal", proposal, |tag, value| match tag {
            1 => value.bytes().map(|b| header = b),
            2 => value.bytes().map(|b| payload = b),
            _ => value.skip(),
        })?;
        let (mut channel_header, mut signature_header) = (&[][..], &[][..]);
        walk_message("proposal header", header, |tag, value| match tag {
            1 => value.bytes().map(|b| channel_header = b),
            2 => value.bytes().map(|b| signature_header = b),
            _ => value.skip(),
        })?;
        walk_message("channel header", channel_header, |tag, value| match tag {
            1 => value.varint().map(|v| fields.header_type = v as i32),
            // A message field: a repeated occurrence merges into the first, as in prost.
            3 => value.bytes().and_then(|b| {
                let timestamp = fields.timestamp.get_or_insert_with(Timestamp::default);
                walk(b, |tag, value| match tag {
                    1 => value.varint().map(|v| timestamp.seconds = v as i64),
                    2 => value.varint().map(|v| timestamp.nanos = v as i32),
                    _ => value.skip(),
                })
            }),
            6 => value.varint().map(|v| fields.epoch = v),
            _ => value.skip(),
        })?;
        walk_message(
            "signature header",
            signature_header,
            |tag, value| match tag {
                1 => value
                    .bytes()
                    .map(|b| fields.creator = proposal.slice_ref(b)),
                2 => value.bytes().map(|b| fields.nonce = proposal.slice_ref(b)),
                _ => value.skip(),
            },
        )?;
        walk_message(
            "chaincode proposal payload",
            payload,
            |tag, value| match tag {
                2 => value
                    .bytes()
                    .and_then(string_bytes_entry)
                    .map(|(key, bytes)| {
                        fields.transient_map.insert(key.to_owned(), bytes.to_vec());
                    }),
                _ => value.skip(),
            },
        )?;
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    //! The reader against prost: lean prost messages with the same fields (the shim's previous
    //! decoder) must read the same facts from any bytes, and refuse the same bytes.

    use super::*;
    use crate::tx::wire::check::{agree, damaged, flips};
    use fabric_contract_proto::Message;
    use proptest::prelude::*;

    #[derive(Clone, PartialEq, prost::Message)]
    struct ProposalRef {
        #[prost(bytes = "bytes", tag = "1")]
        header: Bytes,
        #[prost(bytes = "bytes", tag = "2")]
        payload: Bytes,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct HeaderRef {
        #[prost(bytes = "bytes", tag = "1")]
        channel_header: Bytes,
        #[prost(bytes = "bytes", tag = "2")]
        signature_header: Bytes,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct ChannelHeaderRef {
        #[prost(int32, tag = "1")]
        r#type: i32,
        #[prost(message, optional, tag = "3")]
        timestamp: Option<Timestamp>,
        #[prost(uint64, tag = "6")]
        epoch: u64,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct SignatureHeaderRef {
        #[prost(bytes = "bytes", tag = "1")]
        creator: Bytes,
        #[prost(bytes = "bytes", tag = "2")]
        nonce: Bytes,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct PayloadRef {
        #[prost(btree_map = "string, bytes", tag = "2")]
        transient_map: BTreeMap<String, Vec<u8>>,
    }

    fn by_prost(proposal: &Bytes) -> Result<ProposalFields, prost::DecodeError> {
        let proposal = ProposalRef::decode(proposal.clone())?;
        let header = HeaderRef::decode(proposal.header)?;
        let channel = ChannelHeaderRef::decode(header.channel_header)?;
        let signature = SignatureHeaderRef::decode(header.signature_header)?;
        let payload = PayloadRef::decode(proposal.payload)?;
        Ok(ProposalFields {
            header_type: channel.r#type,
            timestamp: channel.timestamp,
            epoch: channel.epoch,
            creator: signature.creator,
            nonce: signature.nonce,
            transient_map: payload.transient_map,
        })
    }

    fn same_as_prost(proposal: &[u8]) -> Result<(), TestCaseError> {
        let proposal = Bytes::copy_from_slice(proposal);
        agree(ProposalFields::read(&proposal), by_prost(&proposal))
    }

    /// A real proposal with a transient map, as the emulated peer builds them.
    fn real_proposal() -> Vec<u8> {
        use fabric_emulated_peer::proposal::{ProposalSpec, serialized_identity};
        let creator = serialized_identity("Org1MSP", b"-----BEGIN CERTIFICATE-----\n");
        let built = ProposalSpec::new("ch", "cc", creator)
            .args(["Who"])
            .transient("k", b"v")
            .transient("price", b"10")
            .build();
        built
            .message(false)
            .proposal
            .expect("a proposal")
            .proposal_bytes
    }

    proptest! {
        #[test]
        fn reads_arbitrary_bytes_as_prost_does(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            same_as_prost(&bytes)?;
        }

        #[test]
        fn reads_damaged_proposals_as_prost_does(
            flips in flips(1..4),
            cut in any::<prop::sample::Index>(),
        ) {
            damaged(real_proposal(), flips, cut, same_as_prost)?;
        }
    }

    #[test]
    fn a_real_proposal_reads_fully_and_its_creator_is_not_copied() {
        let proposal = Bytes::from(real_proposal());
        let fields = ProposalFields::read(&proposal).unwrap();
        assert_eq!(fields, by_prost(&proposal).unwrap());
        assert_eq!(fields.header_type, 3);
        assert_eq!(fields.transient_map.len(), 2);
        assert!(!fields.creator.is_empty() && !fields.nonce.is_empty());
        assert!(proposal.as_ptr_range().contains(&fields.creator.as_ptr()));
    }
}
