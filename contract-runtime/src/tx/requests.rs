//! The requests a transaction sends most (GET_STATE, GET_STATE_MULTIPLE, PUT_STATE, DEL_STATE),
//! encoded straight from the caller's borrowed keys.
//!
//! prost encodes a message from owned fields, so every read built a `String` per key only to copy
//! it into the payload and drop it. The layout is Fabric's `peer/chaincode_shim.proto`; the tests
//! compare the bytes with prost's encoding of the generated messages.

use prost::encoding::{WireType, encode_key, encode_varint, encoded_len_varint, key_len};

/// Field tags of `GetState`, `GetStateMultiple` and `DelState` (key or keys 1, collection 2), and
/// of `PutState` (key 1, value 2, collection 3).
const KEY: u32 = 1;
const COLLECTION: u32 = 2;
const PUT_VALUE: u32 = 2;
const PUT_COLLECTION: u32 = 3;

/// One length-delimited value, written whatever its length.
fn element(tag: u32, value: &[u8], buf: &mut Vec<u8>) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(value.len() as u64, buf);
    buf.extend_from_slice(value);
}

fn element_len(tag: u32, value: &[u8]) -> usize {
    key_len(tag) + encoded_len_varint(value.len() as u64) + value.len()
}

/// A singular `string` or `bytes` field: left out when empty, as proto3 leaves out a default.
fn field(tag: u32, value: &[u8], buf: &mut Vec<u8>) {
    if !value.is_empty() {
        element(tag, value, buf);
    }
}

fn field_len(tag: u32, value: &[u8]) -> usize {
    if value.is_empty() {
        0
    } else {
        element_len(tag, value)
    }
}

/// A message of singular fields, sized exactly.
fn message(fields: &[(u32, &[u8])]) -> Vec<u8> {
    let len = fields
        .iter()
        .map(|&(tag, value)| field_len(tag, value))
        .sum();
    let mut buf = Vec::with_capacity(len);
    for &(tag, value) in fields {
        field(tag, value, &mut buf);
    }
    buf
}

/// `GetState { key, collection }`.
pub(super) fn get_state(collection: &str, key: &str) -> Vec<u8> {
    message(&[(KEY, key.as_bytes()), (COLLECTION, collection.as_bytes())])
}

/// `GetStateMultiple { keys, collection }`: every key is written, an empty one too.
pub(super) fn get_state_multiple(collection: &str, keys: &[&str]) -> Vec<u8> {
    let len = keys
        .iter()
        .map(|key| element_len(KEY, key.as_bytes()))
        .sum::<usize>()
        + field_len(COLLECTION, collection.as_bytes());
    let mut buf = Vec::with_capacity(len);
    for key in keys {
        element(KEY, key.as_bytes(), &mut buf);
    }
    field(COLLECTION, collection.as_bytes(), &mut buf);
    buf
}

/// `PutState { key, value, collection }`.
pub(super) fn put_state(collection: &str, key: &str, value: &[u8]) -> Vec<u8> {
    message(&[
        (KEY, key.as_bytes()),
        (PUT_VALUE, value),
        (PUT_COLLECTION, collection.as_bytes()),
    ])
}

/// `DelState { key, collection }`.
pub(super) fn del_state(collection: &str, key: &str) -> Vec<u8> {
    message(&[(KEY, key.as_bytes()), (COLLECTION, collection.as_bytes())])
}

#[cfg(test)]
mod tests {
    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::{DelState, GetState, GetStateMultiple, PutState};
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn get_state_is_prost_s_encoding(key in ".{0,40}", collection in ".{0,12}") {
            let prost = GetState { key: key.clone(), collection: collection.clone() };
            let ours = get_state(&collection, &key);
            prop_assert_eq!(ours.len(), ours.capacity(), "sized exactly");
            prop_assert_eq!(ours, prost.encode_to_vec());
        }

        #[test]
        fn writes_are_prost_s_encoding(
            key in ".{0,40}",
            value in proptest::collection::vec(any::<u8>(), 0..300),
            collection in ".{0,12}",
        ) {
            let ours = put_state(&collection, &key, &value);
            prop_assert_eq!(ours.len(), ours.capacity(), "sized exactly");
            let prost = PutState { key: key.clone(), value, collection: collection.clone() };
            prop_assert_eq!(ours, prost.encode_to_vec());
            prop_assert_eq!(del_state(&collection, &key), DelState { key, collection }.encode_to_vec());
        }

        #[test]
        fn get_state_multiple_is_prost_s_encoding(
            keys in proptest::collection::vec(".{0,20}", 0..6),
            collection in ".{0,12}",
        ) {
            let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            let ours = get_state_multiple(&collection, &refs);
            prop_assert_eq!(ours.len(), ours.capacity(), "sized exactly");
            prop_assert_eq!(ours, GetStateMultiple { keys, collection }.encode_to_vec());
        }
    }

    #[test]
    fn long_keys_take_multi_byte_lengths() {
        let key = "k".repeat(300);
        let prost = GetState {
            key: key.clone(),
            collection: "c".into(),
        };
        assert_eq!(get_state("c", &key), prost.encode_to_vec());
    }
}
