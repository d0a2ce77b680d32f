//! Reads the few proposal fields the shim uses straight from the proposal's bytes.
//!
//! A proposal nests five messages (`Proposal`, `Header`, `ChannelHeader`, `SignatureHeader`,
//! `ChaincodeProposalPayload`). Decoding them as prost messages, even lean ones, goes through
//! prost's generic `Buf` code for every tag and length, and was about a tenth of a transaction's
//! fixed cost. Here each message is walked once over a plain slice with prost's own wire
//! primitives (keys, varints, skipping unknown fields), and the byte fields kept (creator, nonce)
//! are [`Bytes`] slices of the proposal, not copies. Wire types are checked as prost checks them,
//! so a message prost would refuse is refused here too; a test compares the two readers.
//!
//! Tags and types follow Fabric's `common/common.proto` (`Header`, `ChannelHeader`,
//! `SignatureHeader`) and `peer/proposal.proto` (`Proposal`, `ChaincodeProposalPayload`).

use std::collections::BTreeMap;

use fabric_contract_proto::Timestamp;
use prost::DecodeError;
use prost::bytes::Bytes;
use prost::encoding::{DecodeContext, WireType, decode_key, decode_varint, skip_field};

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

/// Why a proposal could not be read, and in which of its messages.
#[derive(Debug, thiserror::Error)]
#[error("{message} does not decode: {cause}")]
pub(super) struct FieldsError {
    message: &'static str,
    cause: WireError,
}

/// What was wrong in one message's bytes.
#[derive(Debug, thiserror::Error)]
enum WireError {
    #[error(transparent)]
    Prost(#[from] DecodeError),
    #[error("field {tag} is {found:?}, expected {expected:?}")]
    WireType {
        tag: u32,
        found: WireType,
        expected: WireType,
    },
    #[error("field {tag} claims {claimed} bytes, {left} are left")]
    Truncated { tag: u32, claimed: u64, left: usize },
    #[error("a transient map key is not UTF-8")]
    KeyNotText,
}

impl ProposalFields {
    /// Reads a serialized `protos.Proposal`.
    pub(super) fn read(proposal: &Bytes) -> Result<Self, FieldsError> {
        let mut fields = Self::default();
        let (mut header, mut payload) = (&[][..], &[][..]);
        walk("proposal", proposal, |tag, value| match tag {
            1 => value.bytes().map(|b| header = b),
            2 => value.bytes().map(|b| payload = b),
            _ => value.skip(),
        })?;
        let (mut channel_header, mut signature_header) = (&[][..], &[][..]);
        walk("proposal header", header, |tag, value| match tag {
            1 => value.bytes().map(|b| channel_header = b),
            2 => value.bytes().map(|b| signature_header = b),
            _ => value.skip(),
        })?;
        walk("channel header", channel_header, |tag, value| match tag {
            1 => value.varint().map(|v| fields.header_type = v as i32),
            // A message field: a repeated occurrence merges into the first, as in prost.
            3 => value.bytes().and_then(|b| {
                let timestamp = fields.timestamp.get_or_insert_with(Timestamp::default);
                walk_raw(b, |tag, value| match tag {
                    1 => value.varint().map(|v| timestamp.seconds = v as i64),
                    2 => value.varint().map(|v| timestamp.nanos = v as i32),
                    _ => value.skip(),
                })
            }),
            6 => value.varint().map(|v| fields.epoch = v),
            _ => value.skip(),
        })?;
        walk(
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
        walk(
            "chaincode proposal payload",
            payload,
            |tag, value| match tag {
                2 => value.bytes().and_then(|entry| {
                    let (mut key, mut bytes) = (&[][..], &[][..]);
                    walk_raw(entry, |tag, value| match tag {
                        1 => value.bytes().map(|b| key = b),
                        2 => value.bytes().map(|b| bytes = b),
                        _ => value.skip(),
                    })?;
                    let key = std::str::from_utf8(key).map_err(|_| WireError::KeyNotText)?;
                    fields.transient_map.insert(key.to_owned(), bytes.to_vec());
                    Ok(())
                }),
                _ => value.skip(),
            },
        )?;
        Ok(fields)
    }
}

/// One field's value, read or skipped by the caller as its schema says.
struct Value<'a, 'b> {
    wire_type: WireType,
    tag: u32,
    rest: &'b mut &'a [u8],
}

impl<'a> Value<'a, '_> {
    /// A length-delimited field (bytes, string, message), as a slice of the input.
    fn bytes(self) -> Result<&'a [u8], WireError> {
        self.expect(WireType::LengthDelimited)?;
        let claimed = decode_varint(self.rest)?;
        let rest: &'a [u8] = self.rest;
        let len = usize::try_from(claimed)
            .ok()
            .filter(|&len| len <= rest.len())
            .ok_or(WireError::Truncated {
                tag: self.tag,
                claimed,
                left: rest.len(),
            })?;
        let (value, tail) = rest.split_at(len);
        *self.rest = tail;
        Ok(value)
    }

    /// A varint field (int32, int64, uint64, enum).
    fn varint(self) -> Result<u64, WireError> {
        self.expect(WireType::Varint)?;
        Ok(decode_varint(self.rest)?)
    }

    /// A field the shim does not read.
    fn skip(self) -> Result<(), WireError> {
        Ok(skip_field(
            self.wire_type,
            self.tag,
            self.rest,
            DecodeContext::default(),
        )?)
    }

    fn expect(&self, expected: WireType) -> Result<(), WireError> {
        if self.wire_type == expected {
            Ok(())
        } else {
            Err(WireError::WireType {
                tag: self.tag,
                found: self.wire_type,
                expected,
            })
        }
    }
}

/// Calls `field` for every field of the message in `input`, in order.
fn walk_raw<'a>(
    input: &'a [u8],
    mut field: impl FnMut(u32, Value<'a, '_>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, wire_type) = decode_key(&mut rest)?;
        field(
            tag,
            Value {
                wire_type,
                tag,
                rest: &mut rest,
            },
        )?;
    }
    Ok(())
}

/// [`walk_raw`], naming `message` in the error.
fn walk<'a>(
    message: &'static str,
    input: &'a [u8],
    field: impl FnMut(u32, Value<'a, '_>) -> Result<(), WireError>,
) -> Result<(), FieldsError> {
    walk_raw(input, field).map_err(|cause| FieldsError { message, cause })
}

#[cfg(test)]
mod tests {
    //! The reader against prost: lean prost messages with the same fields (the shim's previous
    //! decoder) must read the same facts from any bytes, and refuse the same bytes.

    use super::*;
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

    fn by_prost(proposal: &Bytes) -> Result<ProposalFields, DecodeError> {
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
        let ours = ProposalFields::read(&proposal);
        match (ours, by_prost(&proposal)) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs),
            (Err(_), Err(_)) => {}
            (ours, theirs) => {
                prop_assert!(
                    false,
                    "the readers disagree: ours {ours:?}, prost {theirs:?}"
                )
            }
        }
        Ok(())
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
            flips in proptest::collection::vec((any::<prop::sample::Index>(), 1..=255u8), 1..4),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut proposal = real_proposal();
            same_as_prost(&proposal)?;
            for (at, mask) in flips {
                let at = at.index(proposal.len());
                proposal[at] ^= mask;
            }
            same_as_prost(&proposal)?;
            proposal.truncate(cut.index(proposal.len() + 1));
            same_as_prost(&proposal)?;
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
