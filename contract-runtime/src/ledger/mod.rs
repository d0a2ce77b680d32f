//! The ledger API of one transaction, defined once: what Go calls `ChaincodeStubInterface`.
//!
//! The API is two sealed traits whose provided methods are the ledger calls:
//! [`LedgerRead`] (transaction facts, reads, queries, calls to other chaincode) and
//! [`LedgerWrite`] (writes, key-level endorsement, the event). Every context implements the
//! halves it may use, over one implementation:
//!
//! | type | reads | writes |
//! |---|---|---|
//! | [`EvaluateCtx`](crate::EvaluateCtx) | yes | no: writing does not compile |
//! | [`SubmitCtx`](crate::SubmitCtx) | yes | yes |
//! | [`Stub`](crate::Stub) (the raw [`Chaincode`](crate::Chaincode) API) | yes | yes |
//!
//! Bring the traits into scope with `use fabric_contract::prelude::*;`.
//!
//! Every call becomes one request on the peer stream; calls of one transaction queue behind
//! each other (the peer serves one at a time), calls of different transactions run in parallel.
//! Fabric's simulation rules apply: reads never see the transaction's own writes, a write with
//! an empty value deletes the key, and nothing is written unless the transaction succeeds
//! (status below 400) and commits.

mod invoke;
mod iter;
pub(crate) mod keys;
mod read;
pub(crate) mod stub;
mod write;

pub use iter::QueryIterator;
pub use keys::{create_composite_key, split_composite_key};
pub use read::LedgerRead;
pub use write::{EventError, LedgerWrite};

/// The metadata key under which Fabric keeps a key's endorsement policy.
pub const VALIDATION_PARAMETER: &str = "VALIDATION_PARAMETER";

pub(crate) mod sealed {
    use std::sync::Arc;

    use std::sync::OnceLock;

    use crate::identity::{ClientIdentity, IdentityError};
    use crate::tx::{TxFacts, TxHandle, TxInput};

    /// One transaction's request channel and proposal facts: what every ledger call runs on.
    /// Unnameable outside the crate, so holding a `&Core` grants nothing.
    #[derive(Debug)]
    pub struct Core {
        pub(in crate::ledger) handle: Arc<TxHandle>,
        pub(in crate::ledger) input: TxInput,
        pub(in crate::ledger) facts: TxFacts,
        pub(in crate::ledger) is_init: bool,
        /// The caller's identity, parsed from the creator on first use by any context.
        /// Boxed: most transactions never ask, and every one allocates its core.
        pub(in crate::ledger) client: OnceLock<Box<Result<ClientIdentity, IdentityError>>>,
    }

    impl Core {
        /// The transaction's client identity, parsed once.
        pub(crate) fn client(&self) -> &Result<ClientIdentity, IdentityError> {
            self.client
                .get_or_init(|| Box::new(ClientIdentity::from_creator(self.facts.creator())))
        }
    }

    /// Only this crate's contexts implement the ledger traits, which keeps
    /// [`EvaluateCtx`](crate::EvaluateCtx) read-only as a type.
    pub trait Sealed {
        /// The transaction the ledger calls run on.
        fn core(&self) -> &Core;
    }
}

/// An empty value is how the peer says a key is absent.
pub(crate) fn non_empty<B: AsRef<[u8]>>(value: B) -> Option<B> {
    (!value.as_ref().is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::StubError;
    use crate::ledger::stub::Stub;
    use crate::tx::{TxFacts, TxHandle};
    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::ChaincodeInput;
    use fabric_contract_proto::protos::{
        ChaincodeMessage, ChaincodeSpec, GetStateByRange, QueryResponse, QueryResultBytes,
        QueryStateNext, Response, chaincode_message::Type,
    };
    use fabric_contract_proto::queryresult::Kv;
    use tokio::sync::mpsc;

    /// A stub whose peer side is a pair of channels the test scripts by hand.
    fn scripted() -> (
        Stub,
        mpsc::UnboundedReceiver<ChaincodeMessage>,
        mpsc::UnboundedSender<ChaincodeMessage>,
    ) {
        let (out_tx, out_rx) = mpsc::unbounded_channel();
        let (reply_tx, reply_rx) = mpsc::unbounded_channel();
        let handle = TxHandle::new("ch", "tx1", out_tx, reply_rx, Default::default());
        (
            Stub::new(
                Arc::new(handle),
                ChaincodeInput::default().into(),
                TxFacts::default(),
                false,
            ),
            out_rx,
            reply_tx,
        )
    }

    fn response(payload: Vec<u8>) -> ChaincodeMessage {
        ChaincodeMessage {
            r#type: Type::Response as i32,
            payload,
            ..Default::default()
        }
    }

    fn batch(keys: &[&str], has_more: bool) -> Vec<u8> {
        let results = keys
            .iter()
            .map(|k| QueryResultBytes {
                result_bytes: Kv {
                    key: (*k).into(),
                    ..Default::default()
                }
                .encode_to_vec(),
            })
            .collect();
        QueryResponse {
            results,
            has_more,
            id: "it1".into(),
            metadata: vec![],
        }
        .encode_to_vec()
    }

    #[tokio::test]
    async fn iterator_fetches_lazily_and_defers_close_when_dropped_early() {
        let (stub, mut out, peer) = scripted();
        peer.send(response(batch(&["a", "b"], true))).unwrap();
        let mut it = stub.get_state_by_range("", "").await.unwrap();
        let sent = out.recv().await.unwrap();
        let range = GetStateByRange::decode(sent.payload.as_slice()).unwrap();
        assert_eq!(
            range.start_key, "\u{1}",
            "an open start skips composite keys"
        );
        assert_eq!(it.next().await.unwrap().unwrap().key, "a");
        assert_eq!(it.next().await.unwrap().unwrap().key, "b");
        assert!(
            out.try_recv().is_err(),
            "nothing fetched before the batch is consumed"
        );
        peer.send(response(batch(&["c"], true))).unwrap();
        assert_eq!(it.next().await.unwrap().unwrap().key, "c");
        let next = out.recv().await.unwrap();
        assert_eq!(next.r#type, Type::QueryStateNext as i32);
        assert_eq!(
            QueryStateNext::decode(next.payload.as_slice()).unwrap().id,
            "it1"
        );
        drop(it);
        peer.send(response(
            QueryResponse {
                id: "it1".into(),
                ..Default::default()
            }
            .encode_to_vec(),
        ))
        .unwrap();
        stub.core.handle.finish().await.unwrap();
        assert_eq!(
            out.recv().await.unwrap().r#type,
            Type::QueryStateClose as i32
        );
    }

    #[tokio::test]
    async fn exhausted_iterator_needs_no_close() {
        let (stub, mut out, peer) = scripted();
        peer.send(response(batch(&["a"], false))).unwrap();
        let all = stub.get_state_by_range("a", "z").await.unwrap();
        let mut all = all;
        assert!(all.next().await.is_some() && all.next().await.is_none());
        drop(all);
        out.recv().await.unwrap();
        stub.core.handle.finish().await.unwrap();
        assert!(out.try_recv().is_err());
    }

    #[tokio::test]
    async fn invoke_chaincode_maps_nested_replies() {
        let (stub, mut out, peer) = scripted();
        let ok = Response::success(b"100".to_vec());
        let nested = ChaincodeMessage {
            r#type: Type::Completed as i32,
            payload: ok.encode_to_vec(),
            ..Default::default()
        };
        peer.send(response(nested.encode_to_vec())).unwrap();
        assert_eq!(
            stub.invoke_chaincode("other", &[b"get", b"a"], Some("ch2"))
                .await
                .unwrap(),
            ok
        );
        let spec = ChaincodeSpec::decode(out.recv().await.unwrap().payload.as_slice()).unwrap();
        assert_eq!(spec.chaincode_id.unwrap().name, "other/ch2");

        let nested = ChaincodeMessage {
            r#type: Type::Error as i32,
            payload: b"boom".to_vec(),
            ..Default::default()
        };
        peer.send(response(nested.encode_to_vec())).unwrap();
        let failed = stub.invoke_chaincode("other", &[], None).await.unwrap();
        assert_eq!((failed.status, failed.message.as_str()), (500, "boom"));

        peer.send(ChaincodeMessage {
            r#type: Type::Error as i32,
            payload: b"no such chaincode".to_vec(),
            ..Default::default()
        })
        .unwrap();
        let failed = stub.invoke_chaincode("ghost", &[], None).await.unwrap();
        assert_eq!(
            (failed.status, failed.payload.as_slice()),
            (500, &b"no such chaincode"[..])
        );
    }

    #[tokio::test]
    async fn bad_arguments_fail_before_reaching_the_peer() {
        let (stub, mut out, _peer) = scripted();
        assert!(matches!(
            stub.put_state("", b"x").await,
            Err(StubError::InvalidKey { .. })
        ));
        assert!(matches!(
            stub.get_private_data("", "k").await,
            Err(StubError::InvalidArgument(_))
        ));
        assert!(matches!(
            stub.get_state_by_range("\0a", "").await,
            Err(StubError::InvalidKey { .. })
        ));
        assert_eq!(
            stub.set_event_raw("", vec![]),
            Err(StubError::InvalidArgument(
                "event name can not be empty string".into()
            ))
        );
        assert!(out.try_recv().is_err());
    }

    #[tokio::test]
    async fn last_event_wins_and_travels_with_finish() {
        let (stub, _out, _peer) = scripted();
        stub.set_event_raw("first", b"1".to_vec()).unwrap();
        stub.set_event("second", &2).unwrap();
        let event = stub.core.handle.finish().await.unwrap().unwrap();
        assert_eq!(
            (event.event_name.as_str(), event.payload.as_slice()),
            ("second", &b"2"[..])
        );
    }
}
