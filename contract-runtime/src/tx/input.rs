//! A transaction's `ChaincodeInput` (Fabric's `peer/chaincode.proto`), read without copying its
//! arguments: each is a [`Bytes`] slice of the TRANSACTION's payload, itself a slice of the
//! received message. Arguments as owned vectors ([`LedgerRead::args`](crate::ledger::LedgerRead::args))
//! are made on first use; the contract router reads the slices.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fabric_contract_proto::protos::ChaincodeInput;
use prost::bytes::Bytes;

use super::wire::{MessageError, string_bytes_entry, walk_message};

/// What a transaction was called with.
#[derive(Debug, Default)]
pub(crate) struct TxInput {
    args: Vec<Bytes>,
    decorations: BTreeMap<String, Vec<u8>>,
    /// `args` copied into vectors, for the API that lends them out as such.
    owned: OnceLock<Vec<Vec<u8>>>,
}

impl TxInput {
    /// Reads a serialized `ChaincodeInput`: `args` (1), `decorations` (2) and `is_init` (3),
    /// which is checked but not kept (the message type, INIT or TRANSACTION, is what counts).
    pub(crate) fn read(payload: &Bytes) -> Result<Self, MessageError> {
        let mut input = Self::default();
        walk_message("ChaincodeInput", payload, |tag, value| match tag {
            1 => value
                .bytes()
                .map(|arg| input.args.push(payload.slice_ref(arg))),
            2 => value
                .bytes()
                .and_then(string_bytes_entry)
                .map(|(key, bytes)| {
                    input.decorations.insert(key.to_owned(), bytes.to_vec());
                }),
            3 => value.varint().map(drop),
            _ => value.skip(),
        })?;
        Ok(input)
    }

    /// The arguments, the function name first.
    pub(crate) fn args(&self) -> &[Bytes] {
        &self.args
    }

    /// The arguments as vectors, copied on the first call.
    pub(crate) fn owned_args(&self) -> &[Vec<u8>] {
        self.owned
            .get_or_init(|| self.args.iter().map(|arg| arg.to_vec()).collect())
    }

    /// The peer's decorations of the input.
    pub(crate) fn decorations(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.decorations
    }
}

/// Input built in memory (tests that drive a stub without a peer).
impl From<ChaincodeInput> for TxInput {
    fn from(input: ChaincodeInput) -> Self {
        Self {
            args: input.args.into_iter().map(Bytes::from).collect(),
            decorations: input.decorations,
            owned: OnceLock::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx::wire::check::{agree, damaged, flips};
    use fabric_contract_proto::Message;
    use proptest::prelude::*;

    /// The reader and prost agree on any bytes: the same arguments and decorations, or both refuse.
    fn same_as_prost(wire: &[u8]) -> Result<(), TestCaseError> {
        let ours = TxInput::read(&Bytes::copy_from_slice(wire))
            .map(|input| (input.owned_args().to_vec(), input.decorations().clone()));
        let theirs = ChaincodeInput::decode(wire).map(|input| (input.args, input.decorations));
        agree(ours, theirs)
    }

    fn input() -> impl Strategy<Value = ChaincodeInput> {
        let bytes = || proptest::collection::vec(any::<u8>(), 0..24);
        (
            proptest::collection::vec(bytes(), 0..6),
            proptest::collection::btree_map(".{0,6}", bytes(), 0..3),
            any::<bool>(),
        )
            .prop_map(|(args, decorations, is_init)| ChaincodeInput {
                args,
                decorations,
                is_init,
            })
    }

    proptest! {
        #[test]
        fn reads_inputs_and_damaged_inputs_as_prost_does(
            sent in input(),
            flips in flips(0..3),
            cut in any::<prop::sample::Index>(),
        ) {
            let wire = sent.encode_to_vec();
            let read = TxInput::read(&Bytes::from(wire.clone())).unwrap();
            prop_assert_eq!(read.owned_args(), sent.args.as_slice());
            prop_assert_eq!(read.decorations(), &sent.decorations);
            damaged(wire, flips, cut, same_as_prost)?;
        }

        #[test]
        fn reads_arbitrary_bytes_as_prost_does(wire in proptest::collection::vec(any::<u8>(), 0..96)) {
            same_as_prost(&wire)?;
        }
    }

    #[test]
    fn arguments_are_slices_of_the_payload() {
        let sent = ChaincodeInput {
            args: vec![b"CreateAsset".to_vec(), b"asset1".to_vec(), Vec::new()],
            ..Default::default()
        };
        let payload = Bytes::from(sent.encode_to_vec());
        let input = TxInput::read(&payload).unwrap();
        assert_eq!(input.args().len(), 3);
        let range = payload.as_ptr_range();
        assert!(
            input.args()[..2]
                .iter()
                .all(|arg| range.contains(&arg.as_ptr()))
        );
        assert_eq!(input.owned_args(), sent.args.as_slice());
    }
}
