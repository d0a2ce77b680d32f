//! The peer's query replies read in place: a batch of records (`QueryResponse`), one world-state
//! record (`KV`) and the values of a GET_STATE_MULTIPLE (`GetStateMultipleResult`), kept as
//! ranges and slices of the reply's bytes.
//!
//! prost copies every record of a batch into a `Vec` of its own, and every key and value again
//! when a record is decoded: reading a hundred assets cost some four hundred allocations before
//! the typed map decoded one value. Here the reply is kept once and walked with the shim's wire
//! reader (`wire.rs`), which refuses what prost refuses; the tests compare both on damaged
//! and arbitrary bytes.

use std::ops::Range;

use prost::bytes::Bytes;

use super::wire::{MessageError, WireError, walk, walk_message};

/// One reply to GET_STATE_BY_RANGE, GET_QUERY_RESULT, GET_HISTORY_FOR_KEY or QUERY_STATE_NEXT.
#[derive(Debug)]
pub(crate) struct Batch {
    /// The reply's bytes, which the ranges below index.
    pub(crate) payload: Bytes,
    /// Each record's bytes (`QueryResultBytes.resultBytes`), in the peer's order.
    pub(crate) records: Vec<Range<usize>>,
    /// Whether the peer holds further records (QUERY_STATE_NEXT fetches them).
    pub(crate) has_more: bool,
    /// The iterator's id on the peer.
    pub(crate) id: String,
    /// The paging metadata (`QueryResponseMetadata`), empty when the query was not paged.
    pub(crate) metadata: Range<usize>,
}

impl Batch {
    /// Reads a `QueryResponse`, keeping `payload` and the place of each record in it.
    pub(crate) fn read(payload: Bytes) -> Result<Self, MessageError> {
        let mut records = Vec::new();
        let (mut has_more, mut id, mut metadata) = (false, "", 0..0);
        walk_message("QueryResponse", &payload, |tag, field| match tag {
            1 => {
                let record = result_bytes(field.bytes()?)?;
                records.push(within(&payload, record));
                Ok(())
            }
            2 => field.varint().map(|v| has_more = v != 0),
            3 => field.text().map(|text| id = text),
            4 => field.bytes().map(|b| metadata = within(&payload, b)),
            _ => field.skip(),
        })?;
        let id = id.to_owned();
        Ok(Self {
            payload,
            records,
            has_more,
            id,
            metadata,
        })
    }
}

/// The bytes a `QueryResultBytes` wraps (empty when it carries none).
fn result_bytes(message: &[u8]) -> Result<&[u8], WireError> {
    let mut value = &message[..0];
    walk(message, |tag, field| match tag {
        1 => field.bytes().map(|b| value = b),
        _ => field.skip(),
    })?;
    Ok(value)
}

/// Where `part`, a slice of `whole`, lies in it.
fn within(whole: &[u8], part: &[u8]) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// One world-state record (`KV`): its key and value. The namespace is checked, not kept.
pub(crate) fn kv(record: &[u8]) -> Result<(&str, &[u8]), MessageError> {
    let (mut key, mut value) = ("", &[][..]);
    walk_message("KV", record, |tag, field| match tag {
        1 => field.text().map(drop),
        2 => field.text().map(|text| key = text),
        3 => field.bytes().map(|b| value = b),
        _ => field.skip(),
    })?;
    Ok((key, value))
}

/// The values of a `GetStateMultipleResult`, in the peer's order, each a slice of `payload`.
pub(crate) fn values(payload: &Bytes, expected: usize) -> Result<Vec<Bytes>, MessageError> {
    let mut values = Vec::with_capacity(expected);
    walk_message("GetStateMultipleResult", payload, |tag, field| match tag {
        1 => field.bytes().map(|b| values.push(payload.slice_ref(b))),
        _ => field.skip(),
    })?;
    Ok(values)
}

#[cfg(test)]
mod tests {
    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::{GetStateMultipleResult, QueryResponse, QueryResultBytes};
    use fabric_contract_proto::queryresult::Kv;
    use proptest::prelude::*;

    use super::*;
    use crate::tx::wire::check::{agree, damaged, flips};

    /// What a batch carries, owned, to compare with prost's decoding.
    type BatchParts = (Vec<Vec<u8>>, bool, String, Vec<u8>);

    fn batch_parts(wire: &[u8]) -> Result<BatchParts, MessageError> {
        let batch = Batch::read(Bytes::copy_from_slice(wire))?;
        let records = batch
            .records
            .iter()
            .map(|r| batch.payload[r.clone()].to_vec())
            .collect();
        let metadata = batch.payload[batch.metadata.clone()].to_vec();
        Ok((records, batch.has_more, batch.id, metadata))
    }

    fn prost_batch_parts(wire: &[u8]) -> Result<BatchParts, prost::DecodeError> {
        let response = QueryResponse::decode(wire)?;
        let records = response
            .results
            .into_iter()
            .map(|r| r.result_bytes)
            .collect();
        Ok((records, response.has_more, response.id, response.metadata))
    }

    /// Each reader and prost agree on any bytes: the same fields, or both refuse.
    fn same_as_prost(wire: &[u8]) -> Result<(), TestCaseError> {
        agree(batch_parts(wire), prost_batch_parts(wire))?;
        let ours = kv(wire).map(|(key, value)| (key.to_owned(), value.to_vec()));
        agree(ours, Kv::decode(wire).map(|kv| (kv.key, kv.value)))?;
        let ours = values(&Bytes::copy_from_slice(wire), 0)
            .map(|values| values.iter().map(|v| v.to_vec()).collect::<Vec<_>>());
        agree(ours, GetStateMultipleResult::decode(wire).map(|r| r.values))
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..24)
    }

    fn response() -> impl Strategy<Value = QueryResponse> {
        (
            proptest::collection::vec(bytes(), 0..5),
            any::<bool>(),
            ".{0,8}",
            bytes(),
        )
            .prop_map(|(records, has_more, id, metadata)| QueryResponse {
                results: records
                    .into_iter()
                    .map(|result_bytes| QueryResultBytes { result_bytes })
                    .collect(),
                has_more,
                id,
                metadata,
            })
    }

    fn record() -> impl Strategy<Value = Kv> {
        (".{0,6}", ".{0,8}", bytes()).prop_map(|(namespace, key, value)| Kv {
            namespace,
            key,
            value,
        })
    }

    proptest! {
        #[test]
        fn reads_batches_and_damaged_batches_as_prost_does(
            sent in response(),
            flips in flips(0..3),
            cut in any::<prop::sample::Index>(),
        ) {
            let wire = sent.encode_to_vec();
            prop_assert_eq!(
                batch_parts(&wire).unwrap(),
                prost_batch_parts(&wire).unwrap()
            );
            damaged(wire, flips, cut, same_as_prost)?;
        }

        #[test]
        fn reads_records_and_damaged_records_as_prost_does(
            sent in record(),
            flips in flips(0..3),
            cut in any::<prop::sample::Index>(),
        ) {
            let wire = sent.encode_to_vec();
            let (key, value) = kv(&wire).unwrap();
            prop_assert_eq!((key, value), (sent.key.as_str(), sent.value.as_slice()));
            damaged(wire, flips, cut, same_as_prost)?;
        }

        #[test]
        fn reads_multiple_values_as_prost_does(
            sent in proptest::collection::vec(bytes(), 0..5),
            flips in flips(0..3),
            cut in any::<prop::sample::Index>(),
        ) {
            let wire = GetStateMultipleResult { values: sent.clone() }.encode_to_vec();
            let read = values(&Bytes::from(wire.clone()), 2).unwrap();
            prop_assert_eq!(read, sent);
            damaged(wire, flips, cut, same_as_prost)?;
        }

        #[test]
        fn reads_arbitrary_bytes_as_prost_does(wire in proptest::collection::vec(any::<u8>(), 0..96)) {
            same_as_prost(&wire)?;
        }
    }

    #[test]
    fn records_are_slices_of_the_reply() {
        let sent = QueryResponse {
            results: vec![
                QueryResultBytes {
                    result_bytes: b"first".to_vec(),
                },
                QueryResultBytes::default(),
            ],
            has_more: true,
            id: "it-1".into(),
            metadata: Vec::new(),
        };
        let batch = Batch::read(Bytes::from(sent.encode_to_vec())).unwrap();
        assert_eq!(&batch.payload[batch.records[0].clone()], b"first");
        assert!(batch.records[1].is_empty());
        assert!(batch.metadata.is_empty());
        assert_eq!((batch.has_more, batch.id.as_str()), (true, "it-1"));
    }
}
