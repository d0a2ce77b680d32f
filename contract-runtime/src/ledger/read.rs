//! The read half of the ledger API: transaction facts, reads, queries, calls to other chaincode.

use std::collections::BTreeMap;
use std::future::Future;

use fabric_contract_proto::protos::{
    GetHistoryForKey, GetQueryResult, GetStateByRange, GetStateMetadata, QueryMetadata,
    QueryResponseMetadata, Response, SignedProposal, StateMetadataResult, chaincode_message::Type,
};
use fabric_contract_proto::queryresult::{KeyModification, Kv};
use fabric_contract_proto::{Message, Timestamp};

use super::keys::{
    check_collection, check_key, optional_collection, partial_range, simple_range_start,
};
use super::sealed::{Core, Sealed};
use super::{QueryIterator, VALIDATION_PARAMETER, non_empty};
use crate::tx::replies::Batch;
use crate::{ContractError, StubError};
use prost::bytes::Bytes;

/// The byte-level API's owned copies of values read in place.
fn owned(values: Vec<Option<Bytes>>) -> Vec<Option<Vec<u8>>> {
    values.into_iter().map(|v| v.map(Vec::from)).collect()
}

/// Reading the ledger and the transaction's own proposal: implemented by
/// [`EvaluateCtx`](crate::EvaluateCtx), [`SubmitCtx`](crate::SubmitCtx) and [`Stub`](crate::Stub).
///
/// Sealed: the methods are provided, and no other type can implement it.
///
/// ```
/// use fabric_contract::prelude::*;
///
/// async fn owner_of(ctx: &EvaluateCtx, id: &str) -> Result<Option<Vec<u8>>, StubError> {
///     ctx.get_state(id).await
/// }
/// ```
pub trait LedgerRead: Sealed + Sync {
    // ----- transaction facts -------------------------------------------------------------
    //
    // The proposal's facts (creator, transient map, binding, timestamp) are read from it on the
    // first call. A peer checks a proposal before it calls the chaincode, so it is well formed;
    // if one is not, these return empty values and the transaction ends with ERROR, naming the
    // fault, whatever the contract returns.

    /// The transaction id.
    fn tx_id(&self) -> &str {
        self.core().handle.txid()
    }

    /// The channel the transaction runs on (the callee's channel in a cross-channel call).
    fn channel_id(&self) -> &str {
        self.core().handle.channel_id()
    }

    /// All arguments, the function name first.
    fn args(&self) -> &[Vec<u8>] {
        self.core().input.owned_args()
    }

    /// The arguments as text (invalid UTF-8 replaced), the function name first.
    fn string_args(&self) -> Vec<String> {
        self.args()
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect()
    }

    /// The function name and its parameters; both empty when there are no arguments.
    fn function_and_params(&self) -> (String, Vec<String>) {
        let mut args = self.string_args();
        if args.is_empty() {
            return (String::new(), args);
        }
        let function = args.remove(0);
        (function, args)
    }

    /// Whether this transaction came as INIT (the authoritative signal, not `ChaincodeInput.is_init`).
    fn is_init(&self) -> bool {
        self.core().is_init
    }

    /// The peer's decorations of the input (normally empty).
    fn decorations(&self) -> &BTreeMap<String, Vec<u8>> {
        self.core().input.decorations()
    }

    /// The client's signed proposal, when the peer forwarded one.
    fn signed_proposal(&self) -> Option<&SignedProposal> {
        self.core().facts.signed_proposal()
    }

    /// The serialized `SerializedIdentity` of the submitting client (empty without a proposal).
    fn creator(&self) -> &[u8] {
        self.core().facts.creator()
    }

    /// The proposal's transient map.
    fn transient(&self) -> &BTreeMap<String, Vec<u8>> {
        self.core().facts.transient()
    }

    /// SHA-256(nonce ‖ creator ‖ epoch), binding the proposal to its creator.
    fn binding(&self) -> Option<&[u8]> {
        self.core().facts.binding()
    }

    /// The client-chosen timestamp of the proposal: the same on every endorser,
    /// so the only clock a deterministic transaction may read.
    fn timestamp(&self) -> Option<Timestamp> {
        self.core().facts.timestamp()
    }

    /// The MSP id of the peer running the chaincode (`CORE_PEER_LOCALMSPID`).
    fn peer_msp_id(&self) -> Result<String, StubError> {
        std::env::var("CORE_PEER_LOCALMSPID")
            .map_err(|_| StubError::InvalidArgument("'CORE_PEER_LOCALMSPID' is not set".into()))
    }

    // ----- world state and private data --------------------------------------------------

    /// The value of `key`, `None` when it does not exist.
    fn get_state(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StubError>> + Send {
        async move { Ok(self.core().value(None, key).await?.map(Vec::from)) }
    }

    /// The values of several keys in one round trip where the peer allows it.
    fn get_state_multiple(
        &self,
        keys: &[&str],
    ) -> impl Future<Output = Result<Vec<Option<Vec<u8>>>, StubError>> + Send {
        async move { Ok(owned(self.core().values(None, keys).await?)) }
    }

    /// The value of `key` in a private collection, `None` when absent.
    fn get_private_data(
        &self,
        collection: &str,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StubError>> + Send {
        async move {
            let value = self.core().value(Some(collection), key).await?;
            Ok(value.map(Vec::from))
        }
    }

    /// The values of several keys of a private collection in one round trip where the peer
    /// allows it (GET_STATE_MULTIPLE, Fabric 3.1+, in chunks of the size it announced; one
    /// GET_STATE per key otherwise), in the order asked, `None` for absent keys.
    fn get_private_data_multiple(
        &self,
        collection: &str,
        keys: &[&str],
    ) -> impl Future<Output = Result<Vec<Option<Vec<u8>>>, StubError>> + Send {
        async move { Ok(owned(self.core().values(Some(collection), keys).await?)) }
    }

    /// The SHA-256 hash of a private value, readable on peers outside the collection too.
    fn get_private_data_hash(
        &self,
        collection: &str,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StubError>> + Send {
        async move {
            check_collection(collection)?;
            check_key(key)?;
            let payload = fabric_contract_proto::protos::GetState {
                key: key.into(),
                collection: collection.into(),
            };
            let value = self
                .core()
                .handle
                .request(Type::GetPrivateDataHash, payload.encode_to_vec())
                .await?;
            Ok(non_empty(value).map(Vec::from))
        }
    }

    // ----- state metadata and key-level endorsement --------------------------------------

    /// All metadata entries of a key (`collection` `None` for the world state).
    fn get_state_metadata(
        &self,
        collection: Option<&str>,
        key: &str,
    ) -> impl Future<Output = Result<BTreeMap<String, Vec<u8>>, StubError>> + Send {
        async move {
            let collection = optional_collection(collection)?;
            check_key(key)?;
            let payload = GetStateMetadata {
                key: key.into(),
                collection: collection.into(),
            }
            .encode_to_vec();
            let reply = self
                .core()
                .handle
                .request(Type::GetStateMetadata, payload)
                .await?;
            let result = StateMetadataResult::decode(reply).map_err(|e| {
                StubError::malformed("GET_STATE_METADATA", "StateMetadataResult", e)
            })?;
            Ok(result
                .entries
                .into_iter()
                .map(|e| (e.metakey, e.value))
                .collect())
        }
    }

    /// The key-level endorsement policy of a world-state key (a serialized `SignaturePolicyEnvelope`).
    fn get_state_validation_parameter(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StubError>> + Send {
        async move {
            Ok(self
                .get_state_metadata(None, key)
                .await?
                .remove(VALIDATION_PARAMETER))
        }
    }

    /// The key-level endorsement policy of a private key.
    fn get_private_data_validation_parameter(
        &self,
        collection: &str,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StubError>> + Send {
        async move {
            check_collection(collection)?;
            Ok(self
                .get_state_metadata(Some(collection), key)
                .await?
                .remove(VALIDATION_PARAMETER))
        }
    }

    // ----- queries ------------------------------------------------------------------------

    /// Simple keys from `start` (inclusive) to `end` (exclusive) in key order;
    /// empty bounds mean open ends. Composite keys are never included.
    fn get_state_by_range(
        &self,
        start: &str,
        end: &str,
    ) -> impl Future<Output = Result<QueryIterator<Kv>, StubError>> + Send {
        async move {
            let start = simple_range_start(start, end)?;
            Ok(self.core().range("", start, end, None).await?.0)
        }
    }

    /// One page of a simple-key range: at most `page_size` records starting at
    /// `bookmark` (or `start`), with the bookmark of the next page.
    fn get_state_by_range_with_pagination(
        &self,
        start: &str,
        end: &str,
        page_size: i32,
        bookmark: &str,
    ) -> impl Future<Output = Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError>> + Send
    {
        async move {
            let start = simple_range_start(start, end)?;
            let page = QueryMetadata {
                page_size,
                bookmark: bookmark.into(),
            };
            let (it, meta) = self.core().range("", start, end, Some(page)).await?;
            Ok((it, meta.unwrap_or_default()))
        }
    }

    /// Composite keys of `object_type` whose first attributes are `attributes`.
    fn get_state_by_partial_composite_key(
        &self,
        object_type: &str,
        attributes: &[&str],
    ) -> impl Future<Output = Result<QueryIterator<Kv>, StubError>> + Send {
        async move {
            let (start, end) = partial_range(object_type, attributes)?;
            Ok(self.core().range("", &start, &end, None).await?.0)
        }
    }

    /// One page of a partial composite key query.
    fn get_state_by_partial_composite_key_with_pagination(
        &self,
        object_type: &str,
        attributes: &[&str],
        page_size: i32,
        bookmark: &str,
    ) -> impl Future<Output = Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError>> + Send
    {
        async move {
            let (start, end) = partial_range(object_type, attributes)?;
            let page = QueryMetadata {
                page_size,
                bookmark: bookmark.into(),
            };
            let (it, meta) = self.core().range("", &start, &end, Some(page)).await?;
            Ok((it, meta.unwrap_or_default()))
        }
    }

    /// A rich (CouchDB Mango) query over the world state.
    fn get_query_result(
        &self,
        query: &str,
    ) -> impl Future<Output = Result<QueryIterator<Kv>, StubError>> + Send {
        async move { Ok(self.core().rich("", query, None).await?.0) }
    }

    /// One page of a rich query; bookmarks are opaque strings from the previous page.
    fn get_query_result_with_pagination(
        &self,
        query: &str,
        page_size: i32,
        bookmark: &str,
    ) -> impl Future<Output = Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError>> + Send
    {
        async move {
            let page = QueryMetadata {
                page_size,
                bookmark: bookmark.into(),
            };
            let (it, meta) = self.core().rich("", query, Some(page)).await?;
            Ok((it, meta.unwrap_or_default()))
        }
    }

    /// A key range of a private collection (no pagination: Fabric has none for private data).
    fn get_private_data_by_range(
        &self,
        collection: &str,
        start: &str,
        end: &str,
    ) -> impl Future<Output = Result<QueryIterator<Kv>, StubError>> + Send {
        async move {
            check_collection(collection)?;
            let start = simple_range_start(start, end)?;
            Ok(self.core().range(collection, start, end, None).await?.0)
        }
    }

    /// A partial composite key query over a private collection.
    fn get_private_data_by_partial_composite_key(
        &self,
        collection: &str,
        object_type: &str,
        attributes: &[&str],
    ) -> impl Future<Output = Result<QueryIterator<Kv>, StubError>> + Send {
        async move {
            check_collection(collection)?;
            let (start, end) = partial_range(object_type, attributes)?;
            Ok(self.core().range(collection, &start, &end, None).await?.0)
        }
    }

    /// A rich query over a private collection.
    fn get_private_data_query_result(
        &self,
        collection: &str,
        query: &str,
    ) -> impl Future<Output = Result<QueryIterator<Kv>, StubError>> + Send {
        async move {
            check_collection(collection)?;
            Ok(self.core().rich(collection, query, None).await?.0)
        }
    }

    /// Every committed modification of `key`, newest first.
    fn get_history_for_key(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<QueryIterator<KeyModification>, StubError>> + Send {
        async move {
            check_key(key)?;
            let payload = GetHistoryForKey { key: key.into() }.encode_to_vec();
            Ok(self.core().query(Type::GetHistoryForKey, payload).await?.0)
        }
    }

    // ----- other chaincode ----------------------------------------------------------------

    /// Calls another chaincode (`channel` `None`: this channel) and returns its response.
    ///
    /// On the same channel the callee's writes join this transaction (when it is submitted); on
    /// another channel they are discarded. A call the peer could not make comes back as a
    /// status-500 response carrying the peer's text, as the Go shim reports it.
    fn invoke_chaincode(
        &self,
        chaincode: &str,
        args: &[&[u8]],
        channel: Option<&str>,
    ) -> impl Future<Output = Result<Response, StubError>> + Send {
        self.core().invoke_chaincode(chaincode, args, channel)
    }

    /// Calls `function` of another chaincode (on this channel) and decodes its
    /// JSON result as `T`. A response with status 400 or more becomes an error
    /// carrying the callee's status and message, so `?` passes it on.
    ///
    /// ```no_run
    /// # use fabric_contract::prelude::*;
    /// # async fn f(ctx: &EvaluateCtx) -> Result<(), ContractError> {
    /// let balance: u64 = ctx.call_chaincode("token", "BalanceOf", &["alice"]).await?;
    /// # Ok(()) }
    /// ```
    fn call_chaincode<T: serde::de::DeserializeOwned>(
        &self,
        chaincode: &str,
        function: &str,
        args: &[&str],
    ) -> impl Future<Output = Result<T, ContractError>> + Send {
        self.core().call_chaincode(chaincode, function, args)
    }
}

impl Core {
    /// The bytes stored under `key` in the world state (`collection` `None`) or a private
    /// collection, `None` when absent. They are a slice of the peer's reply: typed state decodes
    /// them from there, and the byte-level API copies them once.
    pub(crate) async fn value(
        &self,
        collection: Option<&str>,
        key: &str,
    ) -> Result<Option<Bytes>, StubError> {
        let collection = optional_collection(collection)?;
        check_key(key)?;
        self.handle.get_state(collection, key).await.map(non_empty)
    }

    /// The values of several keys, as [`Core::value`] reads one: GET_STATE_MULTIPLE where the
    /// peer offers it, one GET_STATE per key otherwise; in the order asked.
    pub(crate) async fn values(
        &self,
        collection: Option<&str>,
        keys: &[&str],
    ) -> Result<Vec<Option<Bytes>>, StubError> {
        let collection = optional_collection(collection)?;
        keys.iter().try_for_each(|k| check_key(k))?;
        let values = self.handle.get_state_multiple(collection, keys).await?;
        Ok(values.into_iter().map(non_empty).collect())
    }

    /// A key range of `collection` (`""`: the world state) with raw bounds, as typed state
    /// and the partial-key queries need it.
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

    /// A rich (Mango) query over `collection` (`""`: the world state), one page when `page` is
    /// given.
    async fn rich(
        &self,
        collection: &str,
        query: &str,
        page: Option<QueryMetadata>,
    ) -> Result<(QueryIterator<Kv>, Option<QueryResponseMetadata>), StubError> {
        let payload = GetQueryResult {
            query: query.into(),
            collection: collection.into(),
            metadata: page.map(|p| p.encode_to_vec()).unwrap_or_default(),
        };
        self.query(Type::GetQueryResult, payload.encode_to_vec())
            .await
    }

    async fn query<T: Message + Default>(
        &self,
        ty: Type,
        payload: Vec<u8>,
    ) -> Result<(QueryIterator<T>, Option<QueryResponseMetadata>), StubError> {
        let request = ty.as_str_name();
        let reply = self.handle.request(ty, payload).await?;
        let batch =
            Batch::read(reply).map_err(|e| StubError::malformed(request, "QueryResponse", e))?;
        let metadata = if batch.metadata.is_empty() {
            None
        } else {
            Some(
                QueryResponseMetadata::decode(&batch.payload[batch.metadata.clone()])
                    .map_err(|e| StubError::malformed(request, "QueryResponseMetadata", e))?,
            )
        };
        Ok((
            QueryIterator::new(self.handle.clone(), request, batch),
            metadata,
        ))
    }
}
