//! The raw ledger API of one transaction: what Go calls `ChaincodeStubInterface`.
//!
//! A [`Stub`] is handed to a [`Chaincode`](crate::chaincode::Chaincode) for each
//! INIT or TRANSACTION. Every call becomes one request on the peer stream;
//! calls of one transaction queue behind each other (the peer serves one at a
//! time), calls of different transactions run in parallel.
//!
//! Fabric's simulation rules apply: reads never see the transaction's own
//! writes, a write with an empty value deletes the key, and nothing is written
//! unless the transaction succeeds (status below 400) and commits.

mod iter;

use std::collections::BTreeMap;
use std::sync::Arc;

use fabric_contract_proto::protos::{
    ChaincodeEvent, ChaincodeId, ChaincodeInput, ChaincodeMessage, ChaincodeSpec, GetHistoryForKey,
    GetQueryResult, GetStateByRange, GetStateMetadata, QueryMetadata, QueryResponse,
    QueryResponseMetadata, Response, SignedProposal, StateMetadataResult, chaincode_message::Type,
    write_record,
};
use fabric_contract_proto::queryresult::{KeyModification, Kv};
use fabric_contract_proto::{Message, Timestamp};

pub use iter::QueryIterator;

use crate::error::StubError;
use crate::tx::{TxFacts, TxHandle};

/// The metadata key under which Fabric keeps a key's endorsement policy.
pub const VALIDATION_PARAMETER: &str = "VALIDATION_PARAMETER";

/// The first key of the simple-key space: composite keys start with `\0`.
const SIMPLE_KEY_START: &str = "\u{1}";

/// One transaction's view of the ledger and of its own proposal.
///
/// Cloning is cheap: clones share the transaction.
#[derive(Clone)]
pub struct Stub {
    inner: Arc<StubInner>,
}

struct StubInner {
    handle: Arc<TxHandle>,
    input: ChaincodeInput,
    facts: TxFacts,
    is_init: bool,
}

impl std::fmt::Debug for Stub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stub")
            .field("channel_id", &self.channel_id())
            .field("tx_id", &self.tx_id())
            .field("is_init", &self.inner.is_init)
            .finish()
    }
}

impl Stub {
    /// The stub of a transaction started by an INIT (`is_init_message`) or TRANSACTION message.
    pub fn new(
        handle: Arc<TxHandle>,
        input: ChaincodeInput,
        facts: TxFacts,
        is_init_message: bool,
    ) -> Self {
        Self {
            inner: Arc::new(StubInner {
                handle,
                input,
                facts,
                is_init: is_init_message,
            }),
        }
    }

    // ----- transaction facts -------------------------------------------------------------

    /// The transaction id.
    pub fn tx_id(&self) -> &str {
        self.inner.handle.txid()
    }

    /// The channel the transaction runs on (the callee's channel in a cross-channel call).
    pub fn channel_id(&self) -> &str {
        self.inner.handle.channel_id()
    }

    /// All arguments, the function name first.
    pub fn args(&self) -> &[Vec<u8>] {
        &self.inner.input.args
    }

    /// The arguments as text (invalid UTF-8 replaced), the function name first.
    pub fn string_args(&self) -> Vec<String> {
        self.args()
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect()
    }

    /// The function name and its parameters; both empty when there are no arguments.
    pub fn function_and_params(&self) -> (String, Vec<String>) {
        let mut args = self.string_args();
        if args.is_empty() {
            return (String::new(), args);
        }
        let function = args.remove(0);
        (function, args)
    }

    /// Whether this transaction came as INIT (the authoritative signal, not `ChaincodeInput.is_init`).
    pub fn is_init(&self) -> bool {
        self.inner.is_init
    }

    /// The peer's decorations of the input (normally empty).
    pub fn decorations(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.inner.input.decorations
    }

    /// The client's signed proposal, when the peer forwarded one.
    pub fn signed_proposal(&self) -> Option<&SignedProposal> {
        self.inner.facts.signed_proposal.as_ref()
    }

    /// The serialized `SerializedIdentity` of the submitting client (empty without a proposal).
    pub fn creator(&self) -> &[u8] {
        &self.inner.facts.creator
    }

    /// The proposal's transient map.
    pub fn transient(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.inner.facts.transient
    }

    /// SHA-256(nonce ‖ creator ‖ epoch), binding the proposal to its creator.
    pub fn binding(&self) -> Option<&[u8]> {
        self.inner.facts.binding.as_deref()
    }

    /// The client-chosen timestamp of the proposal: the same on every endorser,
    /// so the only clock a deterministic transaction may read.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.inner.facts.timestamp
    }

    /// The MSP id of the peer running the chaincode (`CORE_PEER_LOCALMSPID`).
    pub fn peer_msp_id(&self) -> Result<String, StubError> {
        std::env::var("CORE_PEER_LOCALMSPID")
            .map_err(|_| StubError::InvalidArgument("'CORE_PEER_LOCALMSPID' is not set".into()))
    }

    // ----- world state -----------------------------------------------------------------

    /// The value of `key`, `None` when it does not exist.
    pub async fn get_state(&self, key: &str) -> Result<Option<Vec<u8>>, StubError> {
        check_key(key)?;
        self.inner.handle.get_state("", key).await.map(non_empty)
    }

    /// The values of several keys in one round trip where the peer allows it.
    pub async fn get_state_multiple(
        &self,
        keys: &[&str],
    ) -> Result<Vec<Option<Vec<u8>>>, StubError> {
        keys.iter().try_for_each(|k| check_key(k))?;
        let values = self.inner.handle.get_state_multiple("", keys).await?;
        Ok(values.into_iter().map(non_empty).collect())
    }

    /// Writes `value` under `key`. An empty value deletes the key (Fabric's rule).
    pub async fn put_state(&self, key: &str, value: &[u8]) -> Result<(), StubError> {
        check_key(key)?;
        self.write(write_record::Type::PutState, "", key, value.to_vec())
            .await
    }

    /// Deletes `key`.
    pub async fn del_state(&self, key: &str) -> Result<(), StubError> {
        check_key(key)?;
        self.write(write_record::Type::DelState, "", key, Vec::new())
            .await
    }

    async fn write(
        &self,
        ty: write_record::Type,
        collection: &str,
        key: &str,
        value: Vec<u8>,
    ) -> Result<(), StubError> {
        self.inner
            .handle
            .write(TxHandle::record(ty, collection, key, value))
            .await
    }

    // ----- private data ----------------------------------------------------------------

    /// The value of `key` in a private collection, `None` when absent.
    pub async fn get_private_data(
        &self,
        collection: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StubError> {
        check_collection(collection)?;
        check_key(key)?;
        self.inner
            .handle
            .get_state(collection, key)
            .await
            .map(non_empty)
    }

    /// The SHA-256 hash of a private value, readable on peers outside the collection too.
    pub async fn get_private_data_hash(
        &self,
        collection: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StubError> {
        check_collection(collection)?;
        check_key(key)?;
        let payload = fabric_contract_proto::protos::GetState {
            key: key.into(),
            collection: collection.into(),
        };
        self.inner
            .handle
            .request(Type::GetPrivateDataHash, payload.encode_to_vec())
            .await
            .map(non_empty)
    }

    /// Writes a private value (only its hash goes into the transaction).
    pub async fn put_private_data(
        &self,
        collection: &str,
        key: &str,
        value: &[u8],
    ) -> Result<(), StubError> {
        check_collection(collection)?;
        check_key(key)?;
        self.write(
            write_record::Type::PutState,
            collection,
            key,
            value.to_vec(),
        )
        .await
    }

    /// Deletes a private value.
    pub async fn del_private_data(&self, collection: &str, key: &str) -> Result<(), StubError> {
        check_collection(collection)?;
        check_key(key)?;
        self.write(write_record::Type::DelState, collection, key, Vec::new())
            .await
    }

    /// Deletes a private value and purges its history (Fabric 2.5+).
    pub async fn purge_private_data(&self, collection: &str, key: &str) -> Result<(), StubError> {
        check_collection(collection)?;
        check_key(key)?;
        self.write(
            write_record::Type::PurgePrivateData,
            collection,
            key,
            Vec::new(),
        )
        .await
    }

    // ----- state metadata and key-level endorsement --------------------------------------

    /// All metadata entries of a key (`collection` `None` for the world state).
    pub async fn get_state_metadata(
        &self,
        collection: Option<&str>,
        key: &str,
    ) -> Result<BTreeMap<String, Vec<u8>>, StubError> {
        let collection = optional_collection(collection)?;
        check_key(key)?;
        let payload = GetStateMetadata {
            key: key.into(),
            collection: collection.into(),
        }
        .encode_to_vec();
        let reply = self
            .inner
            .handle
            .request(Type::GetStateMetadata, payload)
            .await?;
        let result = StateMetadataResult::decode(reply.as_slice())
            .map_err(|e| StubError::malformed("GET_STATE_METADATA", "StateMetadataResult", e))?;
        Ok(result
            .entries
            .into_iter()
            .map(|e| (e.metakey, e.value))
            .collect())
    }

    /// Sets one metadata entry of a key.
    pub async fn put_state_metadata(
        &self,
        collection: Option<&str>,
        key: &str,
        metakey: &str,
        value: &[u8],
    ) -> Result<(), StubError> {
        let collection = optional_collection(collection)?;
        check_key(key)?;
        if metakey.is_empty() {
            return Err(StubError::InvalidArgument(
                "a metadata key must not be empty".into(),
            ));
        }
        self.inner
            .handle
            .write(TxHandle::metadata_record(
                collection,
                key,
                metakey,
                value.to_vec(),
            ))
            .await
    }

    /// The key-level endorsement policy of a world-state key (a serialized `SignaturePolicyEnvelope`).
    pub async fn get_state_validation_parameter(
        &self,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StubError> {
        Ok(self
            .get_state_metadata(None, key)
            .await?
            .remove(VALIDATION_PARAMETER))
    }

    /// Sets the key-level endorsement policy of a world-state key.
    pub async fn set_state_validation_parameter(
        &self,
        key: &str,
        policy: &[u8],
    ) -> Result<(), StubError> {
        self.put_state_metadata(None, key, VALIDATION_PARAMETER, policy)
            .await
    }

    /// The key-level endorsement policy of a private key.
    pub async fn get_private_data_validation_parameter(
        &self,
        collection: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StubError> {
        check_collection(collection)?;
        Ok(self
            .get_state_metadata(Some(collection), key)
            .await?
            .remove(VALIDATION_PARAMETER))
    }

    /// Sets the key-level endorsement policy of a private key.
    pub async fn set_private_data_validation_parameter(
        &self,
        collection: &str,
        key: &str,
        policy: &[u8],
    ) -> Result<(), StubError> {
        check_collection(collection)?;
        self.put_state_metadata(Some(collection), key, VALIDATION_PARAMETER, policy)
            .await
    }

    // ----- queries ------------------------------------------------------------------------

    pub(crate) async fn range(
        &self,
        collection: &str,
        start: &str,
        end: &str,
        page: Option<QueryMetadata>,
    ) -> Result<(QueryIterator<Kv>, Option<QueryResponseMetadata>), StubError> {
        let payload = GetStateByRange {
            start_key: start.into(),
            end_key: end.into(),
            collection: collection.into(),
            metadata: page.map(|p| p.encode_to_vec()).unwrap_or_default(),
        };
        self.query(Type::GetStateByRange, payload.encode_to_vec())
            .await
    }

    async fn query<T: Message + Default>(
        &self,
        ty: Type,
        payload: Vec<u8>,
    ) -> Result<(QueryIterator<T>, Option<QueryResponseMetadata>), StubError> {
        let request = ty.as_str_name();
        let reply = self.inner.handle.request(ty, payload).await?;
        let response = QueryResponse::decode(reply.as_slice())
            .map_err(|e| StubError::malformed(request, "QueryResponse", e))?;
        let metadata = if response.metadata.is_empty() {
            None
        } else {
            Some(
                QueryResponseMetadata::decode(response.metadata.as_slice())
                    .map_err(|e| StubError::malformed(request, "QueryResponseMetadata", e))?,
            )
        };
        Ok((
            QueryIterator::new(self.inner.handle.clone(), request, response),
            metadata,
        ))
    }

    /// Simple keys from `start` (inclusive) to `end` (exclusive) in key order;
    /// empty bounds mean open ends. Composite keys are never included.
    pub async fn get_state_by_range(
        &self,
        start: &str,
        end: &str,
    ) -> Result<QueryIterator<Kv>, StubError> {
        let start = simple_range_start(start, end)?;
        Ok(self.range("", start, end, None).await?.0)
    }

    /// One page of a simple-key range: at most `page_size` records starting at
    /// `bookmark` (or `start`), with the bookmark of the next page.
    pub async fn get_state_by_range_with_pagination(
        &self,
        start: &str,
        end: &str,
        page_size: i32,
        bookmark: &str,
    ) -> Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError> {
        let start = simple_range_start(start, end)?;
        let page = QueryMetadata {
            page_size,
            bookmark: bookmark.into(),
        };
        let (it, meta) = self.range("", start, end, Some(page)).await?;
        Ok((it, meta.unwrap_or_default()))
    }

    /// Composite keys of `object_type` whose first attributes are `attributes`.
    pub async fn get_state_by_partial_composite_key(
        &self,
        object_type: &str,
        attributes: &[&str],
    ) -> Result<QueryIterator<Kv>, StubError> {
        let (start, end) = partial_key_range(object_type, attributes)?;
        Ok(self.range("", &start, &end, None).await?.0)
    }

    /// One page of a partial composite key query.
    pub async fn get_state_by_partial_composite_key_with_pagination(
        &self,
        object_type: &str,
        attributes: &[&str],
        page_size: i32,
        bookmark: &str,
    ) -> Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError> {
        let (start, end) = partial_key_range(object_type, attributes)?;
        let page = QueryMetadata {
            page_size,
            bookmark: bookmark.into(),
        };
        let (it, meta) = self.range("", &start, &end, Some(page)).await?;
        Ok((it, meta.unwrap_or_default()))
    }

    /// A rich (CouchDB Mango) query over the world state.
    pub async fn get_query_result(&self, query: &str) -> Result<QueryIterator<Kv>, StubError> {
        let payload = GetQueryResult {
            query: query.into(),
            collection: String::new(),
            metadata: Vec::new(),
        };
        Ok(self
            .query(Type::GetQueryResult, payload.encode_to_vec())
            .await?
            .0)
    }

    /// One page of a rich query; bookmarks are opaque strings from the previous page.
    pub async fn get_query_result_with_pagination(
        &self,
        query: &str,
        page_size: i32,
        bookmark: &str,
    ) -> Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError> {
        let metadata = QueryMetadata {
            page_size,
            bookmark: bookmark.into(),
        }
        .encode_to_vec();
        let payload = GetQueryResult {
            query: query.into(),
            collection: String::new(),
            metadata,
        };
        let (it, meta) = self
            .query(Type::GetQueryResult, payload.encode_to_vec())
            .await?;
        Ok((it, meta.unwrap_or_default()))
    }

    /// A key range of a private collection (no pagination: Fabric has none for private data).
    pub async fn get_private_data_by_range(
        &self,
        collection: &str,
        start: &str,
        end: &str,
    ) -> Result<QueryIterator<Kv>, StubError> {
        check_collection(collection)?;
        let start = simple_range_start(start, end)?;
        Ok(self.range(collection, start, end, None).await?.0)
    }

    /// A partial composite key query over a private collection.
    pub async fn get_private_data_by_partial_composite_key(
        &self,
        collection: &str,
        object_type: &str,
        attributes: &[&str],
    ) -> Result<QueryIterator<Kv>, StubError> {
        check_collection(collection)?;
        let (start, end) = partial_key_range(object_type, attributes)?;
        Ok(self.range(collection, &start, &end, None).await?.0)
    }

    /// A rich query over a private collection.
    pub async fn get_private_data_query_result(
        &self,
        collection: &str,
        query: &str,
    ) -> Result<QueryIterator<Kv>, StubError> {
        check_collection(collection)?;
        let payload = GetQueryResult {
            query: query.into(),
            collection: collection.into(),
            metadata: Vec::new(),
        };
        Ok(self
            .query(Type::GetQueryResult, payload.encode_to_vec())
            .await?
            .0)
    }

    /// Every committed modification of `key`, newest first.
    pub async fn get_history_for_key(
        &self,
        key: &str,
    ) -> Result<QueryIterator<KeyModification>, StubError> {
        check_key(key)?;
        let payload = GetHistoryForKey { key: key.into() }.encode_to_vec();
        Ok(self.query(Type::GetHistoryForKey, payload).await?.0)
    }

    // ----- other chaincode, events -------------------------------------------------------

    /// Calls another chaincode (`channel` `None`: this channel) and returns its response.
    ///
    /// On the same channel the callee's writes join this transaction; on
    /// another channel they are discarded. A call the peer could not make
    /// comes back as a status-500 response carrying the peer's text, as the Go
    /// shim reports it.
    pub async fn invoke_chaincode(
        &self,
        chaincode: &str,
        args: &[&[u8]],
        channel: Option<&str>,
    ) -> Result<Response, StubError> {
        if chaincode.is_empty() {
            return Err(StubError::InvalidArgument(
                "the chaincode name must not be empty".into(),
            ));
        }
        let name = match channel {
            Some(channel) if !channel.is_empty() => format!("{chaincode}/{channel}"),
            _ => chaincode.to_owned(),
        };
        let spec = ChaincodeSpec {
            chaincode_id: Some(ChaincodeId {
                name,
                ..Default::default()
            }),
            input: Some(ChaincodeInput {
                args: args.iter().map(|a| a.to_vec()).collect(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let failed = |text: String| Response {
            status: 500,
            message: text.clone(),
            payload: text.into_bytes(),
        };
        let reply = match self
            .inner
            .handle
            .request(Type::InvokeChaincode, spec.encode_to_vec())
            .await
        {
            Ok(reply) => reply,
            Err(StubError::Peer(text)) => return Ok(failed(text)),
            Err(e) => return Err(e),
        };
        let callee = ChaincodeMessage::decode(reply.as_slice())
            .map_err(|e| StubError::malformed("INVOKE_CHAINCODE", "ChaincodeMessage", e))?;
        match Type::from_wire(callee.r#type) {
            Some(Type::Completed) => Response::decode(callee.payload.as_slice())
                .map_err(|e| StubError::malformed("INVOKE_CHAINCODE", "Response", e)),
            Some(Type::Error) => Ok(failed(
                String::from_utf8_lossy(&callee.payload).into_owned(),
            )),
            _ => Err(StubError::UnexpectedReply {
                request: "INVOKE_CHAINCODE",
                got: format!("a nested message of type {}", callee.r#type),
            }),
        }
    }

    /// Sets the transaction's event. Fabric keeps one event per transaction:
    /// a later call replaces an earlier one (and logs a warning).
    pub fn set_event(&self, name: &str, payload: Vec<u8>) -> Result<(), StubError> {
        if name.is_empty() {
            return Err(StubError::InvalidArgument(
                "event name can not be empty string".into(),
            ));
        }
        self.inner.handle.set_event(ChaincodeEvent {
            event_name: name.into(),
            payload,
            ..Default::default()
        });
        Ok(())
    }

    // ----- composite keys -----------------------------------------------------------------

    /// The composite key of `object_type` and `attributes`, byte-identical to Go's `CreateCompositeKey`.
    ///
    /// ```
    /// let key = fabric_contract::stub::Stub::create_composite_key("asset", &["blue", "1"]).unwrap();
    /// assert_eq!(key, "\u{0}asset\u{0}blue\u{0}1\u{0}");
    /// ```
    pub fn create_composite_key(
        object_type: &str,
        attributes: &[&str],
    ) -> Result<String, StubError> {
        crate::state::keys::create_composite_key(object_type, attributes).map_err(|e| {
            StubError::InvalidKey {
                key: object_type.into(),
                reason: e.to_string(),
            }
        })
    }

    /// The object type and attributes of a composite key.
    pub fn split_composite_key(key: &str) -> Result<(String, Vec<String>), StubError> {
        crate::state::keys::split_composite_key(key).map_err(|e| StubError::InvalidKey {
            key: key.into(),
            reason: e.to_string(),
        })
    }
}

fn non_empty(value: Vec<u8>) -> Option<Vec<u8>> {
    (!value.is_empty()).then_some(value)
}

fn check_key(key: &str) -> Result<(), StubError> {
    if key.is_empty() {
        return Err(StubError::InvalidKey {
            key: String::new(),
            reason: "a key must not be empty".into(),
        });
    }
    // U+0000 opens the composite-key space; anything else there (such as the
    // peer's init marker, U+0000 U+10FFFF "initialized") is reserved.
    if key.starts_with('\0') && !is_composite_key(key) {
        return Err(StubError::InvalidKey {
            key: key.into(),
            reason: "a simple key must not start with U+0000, which the peer reserves; \
                     build composite keys with create_composite_key"
                .into(),
        });
    }
    Ok(())
}

/// Whether `key` is exactly what `create_composite_key` can produce.
fn is_composite_key(key: &str) -> bool {
    crate::state::keys::split_composite_key(key).is_ok_and(|(object_type, attributes)| {
        let attributes: Vec<&str> = attributes.iter().map(String::as_str).collect();
        crate::state::keys::create_composite_key(&object_type, &attributes)
            .is_ok_and(|rebuilt| rebuilt == key)
    })
}

fn check_collection(collection: &str) -> Result<(), StubError> {
    if collection.is_empty() {
        return Err(StubError::InvalidArgument(
            "collection must not be an empty string".into(),
        ));
    }
    Ok(())
}

fn optional_collection(collection: Option<&str>) -> Result<&str, StubError> {
    match collection {
        Some(c) => check_collection(c).map(|()| c),
        None => Ok(""),
    }
}

/// Simple ranges skip the composite-key space: an empty start becomes `\x01`,
/// and a bound inside the composite space is refused, as in the Go shim.
fn simple_range_start<'a>(start: &'a str, end: &str) -> Result<&'a str, StubError> {
    for bound in [start, end] {
        if bound.starts_with('\0') {
            return Err(StubError::InvalidKey {
                key: bound.into(),
                reason: "a simple range bound must not start with U+0000 (that is the composite-key space)".into(),
            });
        }
    }
    Ok(if start.is_empty() {
        SIMPLE_KEY_START
    } else {
        start
    })
}

fn partial_key_range(
    object_type: &str,
    attributes: &[&str],
) -> Result<(String, String), StubError> {
    crate::state::keys::partial_key_range(object_type, attributes).map_err(|e| {
        StubError::InvalidKey {
            key: object_type.into(),
            reason: e.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fabric_contract_proto::protos::{QueryResultBytes, QueryStateNext};
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
                ChaincodeInput::default(),
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
        stub.inner.handle.finish().await.unwrap();
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
        stub.inner.handle.finish().await.unwrap();
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
            stub.set_event("", vec![]),
            Err(StubError::InvalidArgument(
                "event name can not be empty string".into()
            ))
        );
        assert!(out.try_recv().is_err());
    }

    #[tokio::test]
    async fn last_event_wins_and_travels_with_finish() {
        let (stub, _out, _peer) = scripted();
        stub.set_event("first", b"1".to_vec()).unwrap();
        stub.set_event("second", b"2".to_vec()).unwrap();
        let event = stub.inner.handle.finish().await.unwrap().unwrap();
        assert_eq!(
            (event.event_name.as_str(), event.payload.as_slice()),
            ("second", &b"2"[..])
        );
    }
}
