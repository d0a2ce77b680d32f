//! The contexts a transaction method receives: [`SubmitCtx`] for submit transactions and
//! [`EvaluateCtx`] for evaluate transactions and hooks.
//!
//! Read-only access is a type: `EvaluateCtx` has no write method, so writing in an evaluate
//! method does not compile. A `SubmitCtx` dereferences to an `EvaluateCtx`, so every read is
//! available on both, and [`SubmitCtx::read_only`] hands the read-only view to helpers.
//!
//! ```
//! use fabric_contract::ctx::{EvaluateCtx, SubmitCtx};
//! use fabric_contract::StubError;
//!
//! async fn owner_of(ctx: &EvaluateCtx, id: &str) -> Result<Option<Vec<u8>>, StubError> {
//!     ctx.get_state(id).await
//! }
//!
//! async fn transfer(ctx: &SubmitCtx, id: &str, to: &str) -> Result<(), StubError> {
//!     let _old = owner_of(ctx.read_only(), id).await?;
//!     ctx.put_state(id, to.as_bytes()).await
//! }
//! ```

use std::collections::BTreeMap;
use std::ops::Deref;

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::protos::{QueryResponseMetadata, Response};
use fabric_contract_proto::queryresult::{KeyModification, Kv};
use serde::Serialize;

use std::sync::{Arc, OnceLock};

use fabric_contract_proto::Message;

use crate::contract::ContractError;
use crate::error::StubError;
use crate::identity::{ClientIdentity, IdentityError};
use crate::json::{JsonError, to_canonical_vec};
use crate::stub::{QueryIterator, Stub};

/// The read-only context of an evaluate transaction (and of hooks).
#[derive(Debug, Clone)]
pub struct EvaluateCtx {
    stub: Stub,
    /// The caller's identity, parsed from the creator on first use.
    client: Arc<OnceLock<Result<ClientIdentity, IdentityError>>>,
}

/// The context of a submit transaction: every read of [`EvaluateCtx`] (through `Deref`) plus
/// writes and the event.
#[derive(Debug, Clone)]
pub struct SubmitCtx {
    view: EvaluateCtx,
}

/// Why an event could not be set.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The payload could not be serialised.
    #[error("cannot encode event {name}: {source}")]
    Encode {
        /// The event name.
        name: String,
        /// What went wrong.
        source: JsonError,
    },
    /// The stub refused the event (empty name).
    #[error(transparent)]
    Stub(#[from] StubError),
}

impl EvaluateCtx {
    /// The context over a transaction's stub.
    pub fn new(stub: Stub) -> Self {
        Self {
            stub,
            client: Arc::default(),
        }
    }

    /// The calling client, as Fabric's Go client-identity library presents it
    /// (parsed once per transaction). Fails for creators that are not X.509
    /// certificates (e.g. idemix) with a clear message.
    ///
    /// ```no_run
    /// # async fn f(ctx: &fabric_contract::EvaluateCtx) -> Result<(), fabric_contract::ContractError> {
    /// let caller = ctx.client()?;
    /// tracing::info!(msp = caller.msp_id(), id = %caller.id(), "called");
    /// caller.assert_attr("role", "auditor")?;
    /// # Ok(()) }
    /// ```
    pub fn client(&self) -> Result<&ClientIdentity, ContractError> {
        self.client
            .get_or_init(|| ClientIdentity::from_creator(self.stub.creator()))
            .as_ref()
            .map_err(|e| ContractError::new(e.to_string()))
    }

    /// The caller's MSP id, readable for every kind of identity (X.509 or not).
    pub fn client_msp_id(&self) -> Result<String, ContractError> {
        if let Ok(client) = self.client() {
            return Ok(client.msp_id().to_owned());
        }
        fabric_contract_proto::msp::SerializedIdentity::decode(self.stub.creator())
            .map(|id| id.mspid)
            .map_err(|e| {
                ContractError::new(format!(
                    "the transaction creator is not a serialized identity: {e}"
                ))
            })
    }

    /// The transaction's stub, for runtime modules (typed state) built on the contexts.
    pub(crate) fn stub(&self) -> &Stub {
        &self.stub
    }

    /// The transaction id.
    pub fn tx_id(&self) -> &str {
        self.stub.tx_id()
    }

    /// The channel id.
    pub fn channel_id(&self) -> &str {
        self.stub.channel_id()
    }

    /// The proposal's timestamp, identical on every endorser: the only clock a contract may use.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.stub.timestamp()
    }

    /// The proposal's transient map.
    pub fn transient(&self) -> &BTreeMap<String, Vec<u8>> {
        self.stub.transient()
    }

    /// The serialized identity (`msp.SerializedIdentity`) of the submitting client.
    pub fn creator(&self) -> &[u8] {
        self.stub.creator()
    }

    /// Whether the transaction came in an INIT message.
    pub fn is_init(&self) -> bool {
        self.stub.is_init()
    }

    /// The value of `key`, `None` when absent.
    pub async fn get_state(&self, key: &str) -> Result<Option<Vec<u8>>, StubError> {
        self.stub.get_state(key).await
    }

    /// The values of several keys.
    pub async fn get_state_multiple(
        &self,
        keys: &[&str],
    ) -> Result<Vec<Option<Vec<u8>>>, StubError> {
        self.stub.get_state_multiple(keys).await
    }

    /// Simple keys in `[start, end)`; empty bounds are open.
    pub async fn get_state_by_range(
        &self,
        start: &str,
        end: &str,
    ) -> Result<QueryIterator<Kv>, StubError> {
        self.stub.get_state_by_range(start, end).await
    }

    /// One page of a simple-key range.
    pub async fn get_state_by_range_with_pagination(
        &self,
        start: &str,
        end: &str,
        page_size: i32,
        bookmark: &str,
    ) -> Result<(QueryIterator<Kv>, QueryResponseMetadata), StubError> {
        self.stub
            .get_state_by_range_with_pagination(start, end, page_size, bookmark)
            .await
    }

    /// Composite keys of `object_type` starting with `attributes`.
    pub async fn get_state_by_partial_composite_key(
        &self,
        object_type: &str,
        attributes: &[&str],
    ) -> Result<QueryIterator<Kv>, StubError> {
        self.stub
            .get_state_by_partial_composite_key(object_type, attributes)
            .await
    }

    /// A rich (CouchDB) query.
    pub async fn get_query_result(&self, query: &str) -> Result<QueryIterator<Kv>, StubError> {
        self.stub.get_query_result(query).await
    }

    /// The history of `key`.
    pub async fn get_history_for_key(
        &self,
        key: &str,
    ) -> Result<QueryIterator<KeyModification>, StubError> {
        self.stub.get_history_for_key(key).await
    }

    /// A private value, `None` when absent.
    pub async fn get_private_data(
        &self,
        collection: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StubError> {
        self.stub.get_private_data(collection, key).await
    }

    /// The SHA-256 of a private value as recorded on the ledger.
    pub async fn get_private_data_hash(
        &self,
        collection: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StubError> {
        self.stub.get_private_data_hash(collection, key).await
    }

    /// Private keys in `[start, end)` of a collection (Fabric has no pagination for private data).
    pub async fn get_private_data_by_range(
        &self,
        collection: &str,
        start: &str,
        end: &str,
    ) -> Result<QueryIterator<Kv>, StubError> {
        self.stub
            .get_private_data_by_range(collection, start, end)
            .await
    }

    /// A rich (CouchDB) query over a private collection.
    pub async fn get_private_data_query_result(
        &self,
        collection: &str,
        query: &str,
    ) -> Result<QueryIterator<Kv>, StubError> {
        self.stub
            .get_private_data_query_result(collection, query)
            .await
    }

    /// Calls another chaincode. Its writes join this transaction only when it runs on the same
    /// channel and this transaction is submitted.
    pub async fn invoke_chaincode(
        &self,
        chaincode: &str,
        args: &[&[u8]],
        channel: Option<&str>,
    ) -> Result<Response, StubError> {
        self.stub.invoke_chaincode(chaincode, args, channel).await
    }

    /// Calls `function` of another chaincode (on this channel) and decodes its
    /// JSON result as `T`. A response with status 400 or more becomes an error
    /// carrying the callee's status and message, so `?` passes it on.
    ///
    /// ```no_run
    /// # async fn f(ctx: &fabric_contract::EvaluateCtx) -> Result<(), fabric_contract::ContractError> {
    /// let balance: u64 = ctx.call_chaincode("token", "BalanceOf", &["alice"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn call_chaincode<T: serde::de::DeserializeOwned>(
        &self,
        chaincode: &str,
        function: &str,
        args: &[&str],
    ) -> Result<T, ContractError> {
        let mut all: Vec<&[u8]> = vec![function.as_bytes()];
        all.extend(args.iter().map(|a| a.as_bytes()));
        let response = self.stub.invoke_chaincode(chaincode, &all, None).await?;
        if response.status >= 400 {
            let status = u16::try_from(response.status).unwrap_or(500);
            return Err(ContractError::new(response.message).with_status(status));
        }
        serde_json::from_slice(&response.payload).map_err(|e| {
            ContractError::new(format!(
                "{chaincode} {function} answered {:?}, which is not the JSON expected: {e}",
                String::from_utf8_lossy(&response.payload)
            ))
        })
    }
}

impl SubmitCtx {
    /// The context over a transaction's stub.
    pub fn new(stub: Stub) -> Self {
        Self {
            view: EvaluateCtx::new(stub),
        }
    }

    /// The read-only view of this transaction, for helpers and evaluate methods.
    pub fn read_only(&self) -> &EvaluateCtx {
        &self.view
    }

    /// Writes `value` under `key`.
    pub async fn put_state(&self, key: &str, value: &[u8]) -> Result<(), StubError> {
        self.view.stub.put_state(key, value).await
    }

    /// Deletes `key`.
    pub async fn del_state(&self, key: &str) -> Result<(), StubError> {
        self.view.stub.del_state(key).await
    }

    /// Writes a private value.
    pub async fn put_private_data(
        &self,
        collection: &str,
        key: &str,
        value: &[u8],
    ) -> Result<(), StubError> {
        self.view
            .stub
            .put_private_data(collection, key, value)
            .await
    }

    /// Deletes a private value.
    pub async fn del_private_data(&self, collection: &str, key: &str) -> Result<(), StubError> {
        self.view.stub.del_private_data(collection, key).await
    }

    /// Deletes a private value and purges its history.
    pub async fn purge_private_data(&self, collection: &str, key: &str) -> Result<(), StubError> {
        self.view.stub.purge_private_data(collection, key).await
    }

    /// Sets a key's endorsement policy (serialized `SignaturePolicyEnvelope`).
    pub async fn set_state_validation_parameter(
        &self,
        key: &str,
        policy: &[u8],
    ) -> Result<(), StubError> {
        self.view
            .stub
            .set_state_validation_parameter(key, policy)
            .await
    }

    /// Sets the transaction's event with `value` as canonical JSON. Fabric keeps one event per
    /// transaction: a later call replaces an earlier one.
    pub fn set_event<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<(), EventError> {
        let payload = to_canonical_vec(value).map_err(|source| EventError::Encode {
            name: name.to_string(),
            source,
        })?;
        Ok(self.view.stub.set_event(name, payload)?)
    }

    /// Sets the transaction's event with a raw payload.
    pub fn set_event_raw(&self, name: &str, payload: Vec<u8>) -> Result<(), StubError> {
        self.view.stub.set_event(name, payload)
    }
}

impl Deref for SubmitCtx {
    type Target = EvaluateCtx;

    fn deref(&self) -> &EvaluateCtx {
        &self.view
    }
}

impl From<StubError> for crate::contract::ContractError {
    fn from(e: StubError) -> Self {
        Self::new(e.to_string())
    }
}

impl From<EventError> for crate::contract::ContractError {
    fn from(e: EventError) -> Self {
        Self::new(e.to_string())
    }
}
