//! Every message the shim itself sends, built in one place so the wire form
//! is easy to check (property tests below).

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::{
    ChaincodeEvent, ChaincodeId, Response, chaincode_message::Type,
};
use prost::bytes::Bytes;

use crate::tx::outbound::Outgoing;

/// REGISTER: the first message on every stream, in both launch modes.
pub(crate) fn register(chaincode_id: &str) -> Outgoing {
    Outgoing {
        r#type: Type::Register as i32,
        payload: ChaincodeId {
            name: chaincode_id.to_owned(),
            ..Default::default()
        }
        .encode_to_vec(),
        ..Default::default()
    }
}

/// ERROR for one transaction (or for the stream, with empty ids).
pub(crate) fn error(channel_id: impl Into<Bytes>, txid: impl Into<Bytes>, text: &str) -> Outgoing {
    Outgoing {
        r#type: Type::Error as i32,
        payload: text.as_bytes().to_vec(),
        txid: txid.into(),
        channel_id: channel_id.into(),
        ..Default::default()
    }
}

/// COMPLETED with the handler's response and the transaction's event.
pub(crate) fn completed(
    channel_id: Bytes,
    txid: Bytes,
    response: Response,
    event: Option<Box<ChaincodeEvent>>,
) -> Outgoing {
    Outgoing {
        r#type: Type::Completed as i32,
        response: Some(response),
        txid,
        channel_id,
        chaincode_event: event,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fabric_contract_proto::protos::ChaincodeMessage;
    use proptest::prelude::*;

    fn wire(text: &str) -> Vec<u8> {
        hex::decode(text).unwrap()
    }

    #[test]
    fn matches_the_spec_vectors() {
        assert_eq!(
            register("mycc:1.0").encode_to_vec(),
            wire("08011a0a12086d7963633a312e30")
        );
        assert_eq!(
            error("mychannel", "tx1", "boom").encode_to_vec(),
            wire("08071a04626f6f6d22037478313a096d796368616e6e656c")
        );
        let event = ChaincodeEvent {
            event_name: "evt".into(),
            payload: b"x".to_vec(),
            ..Default::default()
        };
        let done = completed(
            Bytes::from_static(b"mychannel"),
            Bytes::from_static(b"tx1"),
            Response::success(b"ok".to_vec()),
            Some(Box::new(event)),
        );
        assert_eq!(
            done.encode_to_vec(),
            wire("08061a0708c8011a026f6b220374783132081a036576742201783a096d796368616e6e656c")
        );
    }

    proptest! {
        #[test]
        fn register_round_trips(id in ".*") {
            let msg = ChaincodeMessage::decode(register(&id).encode_to_vec().as_slice()).unwrap();
            prop_assert_eq!(msg.r#type, Type::Register as i32);
            prop_assert!(msg.txid.is_empty() && msg.channel_id.is_empty());
            prop_assert_eq!(ChaincodeId::decode(msg.payload.as_slice()).unwrap().name, id);
        }

        #[test]
        fn error_round_trips(channel in ".*", txid in ".*", text in ".*") {
            let sent = error(channel.clone(), txid.clone(), &text);
            let msg = ChaincodeMessage::decode(sent.encode_to_vec().as_slice()).unwrap();
            prop_assert_eq!(&msg, &ChaincodeMessage::from(sent));
            prop_assert_eq!(msg.r#type, Type::Error as i32);
            prop_assert_eq!(String::from_utf8(msg.payload).unwrap(), text);
            prop_assert_eq!((msg.channel_id, msg.txid), (channel, txid));
        }

        #[test]
        fn completed_round_trips(
            channel in ".*",
            txid in ".*",
            status in any::<i32>(),
            message in ".*",
            payload in proptest::collection::vec(any::<u8>(), 0..64),
            event in proptest::option::of((".+", proptest::collection::vec(any::<u8>(), 0..16))),
        ) {
            let response = Response { status, message, payload };
            let event = event.map(|(event_name, payload)| ChaincodeEvent { event_name, payload, ..Default::default() });
            let sent = completed(channel.clone().into(), txid.clone().into(), response.clone(), event.clone().map(Box::new));
            // The response is written in place as a nested message: the length is right, and the
            // wire bytes read as a ChaincodeMessage whose payload is the encoded response.
            let wire = sent.encode_to_vec();
            prop_assert_eq!(sent.encoded_len(), wire.len());
            let msg = ChaincodeMessage::decode(wire.as_slice()).unwrap();
            prop_assert_eq!(&msg, &ChaincodeMessage::from(sent));
            prop_assert_eq!(msg.r#type, Type::Completed as i32);
            prop_assert_eq!(Response::decode(msg.payload.as_slice()).unwrap(), response);
            prop_assert_eq!(msg.chaincode_event, event);
            prop_assert_eq!((msg.channel_id, msg.txid), (channel, txid));
        }

        #[test]
        fn keepalive_echo_is_the_message_itself(bytes in proptest::collection::vec(any::<u8>(), 0..8)) {
            // The shim echoes the decoded KEEPALIVE unchanged; re-encoding must be lossless.
            let ka = ChaincodeMessage { r#type: Type::Keepalive as i32, payload: bytes, ..Default::default() };
            let back = ChaincodeMessage::decode(ka.encode_to_vec().as_slice()).unwrap();
            prop_assert_eq!(back, ka);
        }
    }
}
