//! What the peer sends, decoded without copies.
//!
//! [`Inbound`] has the wire layout of `protos.ChaincodeMessage` (Fabric's
//! `peer/chaincode_shim.proto`), but its byte fields are [`Bytes`] slices of the received frame
//! and its two id strings are read as bytes. Decoding a `ChaincodeMessage` copies the payload,
//! the proposal and its signature into allocations of their own and checks both ids as UTF-8,
//! for every message; the shim reads most of those once, or only compares the ids with its
//! running table. Both spellings are the same bytes on the wire, so the peer cannot tell.
//!
//! The ids are checked as UTF-8 where the shim needs them as text: once when a transaction
//! starts (see [`Inbound::ids`]), never for replies, which are matched by their bytes.

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::protos::{ChaincodeEvent, ChaincodeMessage, SignedProposal};
use prost::bytes::Bytes;

use super::outbound::Outgoing;

/// A `protos.ChaincodeMessage` as the shim reads it.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Inbound {
    #[prost(int32, tag = "1")]
    pub r#type: i32,
    #[prost(message, optional, tag = "2")]
    pub timestamp: Option<Timestamp>,
    #[prost(bytes = "bytes", tag = "3")]
    pub payload: Bytes,
    /// `string txid`, read as bytes.
    #[prost(bytes = "bytes", tag = "4")]
    pub txid: Bytes,
    #[prost(message, optional, tag = "5")]
    pub proposal: Option<InboundProposal>,
    /// Boxed: never sent to a chaincode, and four fields wide.
    #[prost(message, optional, boxed, tag = "6")]
    pub chaincode_event: Option<Box<ChaincodeEvent>>,
    /// `string channel_id`, read as bytes.
    #[prost(bytes = "bytes", tag = "7")]
    pub channel_id: Bytes,
}

/// A `protos.SignedProposal` whose fields are slices of the message it came in.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct InboundProposal {
    #[prost(bytes = "bytes", tag = "1")]
    pub proposal_bytes: Bytes,
    #[prost(bytes = "bytes", tag = "2")]
    pub signature: Bytes,
}

/// Ids that are not UTF-8, which a `string` field may not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotText {
    /// The field's name.
    pub field: &'static str,
}

impl Inbound {
    /// `(channel_id, txid)`, checked to be text, as a starting transaction needs them (they
    /// are shared, not copied).
    pub(crate) fn ids(&self) -> Result<(Bytes, Bytes), NotText> {
        // Peers send ASCII ids (hex txids, channel names), which `is_ascii` checks in a third
        // of `from_utf8`'s time; anything else takes the full check.
        let text = |bytes: &Bytes, field| {
            if bytes.is_ascii() || std::str::from_utf8(bytes).is_ok() {
                Ok(bytes.clone())
            } else {
                Err(NotText { field })
            }
        };
        Ok((
            text(&self.channel_id, "channel_id")?,
            text(&self.txid, "txid")?,
        ))
    }

    /// The ids for a log line or an error reply, whatever bytes they hold.
    pub(crate) fn ids_lossy(&self) -> (String, String) {
        (
            String::from_utf8_lossy(&self.channel_id).into_owned(),
            String::from_utf8_lossy(&self.txid).into_owned(),
        )
    }
}

/// Messages fed to the shim in memory ([`crate::shim::serve_stream`]) and over the CCaaS server
/// arrive decoded already; their buffers are moved into the frame, not copied.
impl From<ChaincodeMessage> for Inbound {
    fn from(msg: ChaincodeMessage) -> Self {
        Self {
            r#type: msg.r#type,
            timestamp: msg.timestamp,
            payload: msg.payload.into(),
            txid: msg.txid.into(),
            proposal: msg.proposal.map(InboundProposal::from),
            chaincode_event: msg.chaincode_event.map(Box::new),
            channel_id: msg.channel_id.into(),
        }
    }
}

impl From<SignedProposal> for InboundProposal {
    fn from(signed: SignedProposal) -> Self {
        Self {
            proposal_bytes: signed.proposal_bytes.into(),
            signature: signed.signature.into(),
        }
    }
}

/// The KEEPALIVE the shim echoes, as it came (a peer's carries no proposal).
impl From<Inbound> for Outgoing {
    fn from(msg: Inbound) -> Self {
        Self {
            r#type: msg.r#type,
            timestamp: msg.timestamp,
            payload: msg.payload.into(),
            response: None,
            txid: msg.txid,
            chaincode_event: msg.chaincode_event,
            channel_id: msg.channel_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::chaincode_message::Type;
    use proptest::prelude::*;

    fn message() -> impl Strategy<Value = ChaincodeMessage> {
        let bytes = || proptest::collection::vec(any::<u8>(), 0..48);
        (
            any::<i32>(),
            bytes(),
            ".*",
            ".*",
            proptest::option::of((bytes(), bytes())),
            proptest::option::of((".+", bytes())),
            proptest::option::of((any::<i64>(), 0..1_000_000_000i32)),
        )
            .prop_map(
                |(ty, payload, txid, channel_id, proposal, event, timestamp)| ChaincodeMessage {
                    r#type: ty,
                    timestamp: timestamp.map(|(seconds, nanos)| Timestamp { seconds, nanos }),
                    payload,
                    txid,
                    proposal: proposal.map(|(proposal_bytes, signature)| SignedProposal {
                        proposal_bytes,
                        signature,
                    }),
                    chaincode_event: event.map(|(event_name, payload)| ChaincodeEvent {
                        event_name,
                        payload,
                        ..Default::default()
                    }),
                    channel_id,
                },
            )
    }

    proptest! {
        /// The frame reads every field of a `ChaincodeMessage` from its wire bytes (it writes
        /// them back unchanged), and a decoded `ChaincodeMessage` converts into the same frame.
        #[test]
        fn reads_what_a_chaincode_message_writes(sent in message()) {
            let wire = sent.encode_to_vec();
            let frame = Inbound::decode(Bytes::from(wire.clone())).unwrap();
            prop_assert_eq!(frame.encode_to_vec(), wire);
            let ids = (Bytes::from(sent.channel_id.clone()), Bytes::from(sent.txid.clone()));
            prop_assert_eq!(frame.ids().unwrap(), ids);
            prop_assert_eq!(Inbound::from(sent), frame);
        }

        /// Whatever the bytes, decoding returns a frame or an error, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(wire in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = Inbound::decode(wire.as_slice());
        }
    }

    #[test]
    fn payload_and_proposal_are_slices_of_the_frame() {
        let sent = ChaincodeMessage {
            r#type: Type::Transaction as i32,
            payload: vec![7; 64],
            proposal: Some(SignedProposal {
                proposal_bytes: vec![9; 300],
                signature: vec![1; 70],
            }),
            ..Default::default()
        };
        let wire = Bytes::from(sent.encode_to_vec());
        let range = wire.as_ptr_range();
        let frame = Inbound::decode(wire.clone()).unwrap();
        let proposal = frame.proposal.as_ref().unwrap();
        for field in [
            &frame.payload,
            &proposal.proposal_bytes,
            &proposal.signature,
        ] {
            assert!(range.contains(&field.as_ptr()), "a field was copied");
        }
    }

    #[test]
    fn ids_that_are_not_utf8_are_refused_as_text_and_shown_lossily() {
        let frame = Inbound {
            txid: Bytes::from_static(b"tx\xff"),
            channel_id: Bytes::from_static(b"ch"),
            ..Default::default()
        };
        assert_eq!(frame.ids(), Err(NotText { field: "txid" }));
        assert_eq!(
            frame.ids_lossy(),
            ("ch".to_owned(), "tx\u{fffd}".to_owned())
        );
        // Text beyond ASCII is text too.
        let frame = Inbound {
            txid: Bytes::from_static("tx-é".as_bytes()),
            ..frame
        };
        assert!(frame.ids().is_ok());
    }
}
