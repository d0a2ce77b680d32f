//! The write half of the ledger API: world state, private data, key-level endorsement, the event.

use std::future::Future;

use fabric_contract_proto::protos::{ChaincodeEvent, write_record};
use serde::Serialize;

use super::VALIDATION_PARAMETER;
use super::keys::{check_collection, check_key, optional_collection};
use super::read::LedgerRead;
use super::sealed::Core;
use crate::json::{JsonError, to_canonical_vec};
use crate::tx::TxHandle;
use crate::{ContractError, StubError};

/// Writing the ledger: implemented by [`SubmitCtx`](crate::SubmitCtx) and
/// [`Stub`](crate::Stub), never by [`EvaluateCtx`](crate::EvaluateCtx), so writing in an
/// evaluate transaction does not compile:
///
/// ```compile_fail
/// use fabric_contract::prelude::*;
///
/// async fn sneaky(ctx: &EvaluateCtx) -> Result<(), StubError> {
///     ctx.put_state("k", b"v").await // EvaluateCtx is not LedgerWrite
/// }
/// ```
///
/// Writes join the transaction's write set; nothing reaches the ledger unless the transaction
/// succeeds and commits.
///
/// ```
/// use fabric_contract::prelude::*;
///
/// async fn transfer(ctx: &SubmitCtx, id: &str, to: &str) -> Result<(), StubError> {
///     let _old = ctx.get_state(id).await?;
///     ctx.put_state(id, to.as_bytes()).await
/// }
/// ```
pub trait LedgerWrite: LedgerRead {
    /// Writes `value` under `key`. An empty value deletes the key (Fabric's rule).
    fn put_state(
        &self,
        key: &str,
        value: &[u8],
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        self.core().put(None, key, value.to_vec())
    }

    /// Deletes `key`.
    fn del_state(&self, key: &str) -> impl Future<Output = Result<(), StubError>> + Send {
        async move {
            check_key(key)?;
            self.core()
                .handle
                .write_value(write_record::Type::DelState, "", key, Vec::new())
                .await
        }
    }

    /// Writes a private value (only its hash goes into the transaction).
    fn put_private_data(
        &self,
        collection: &str,
        key: &str,
        value: &[u8],
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        self.core().put(Some(collection), key, value.to_vec())
    }

    /// Deletes a private value.
    fn del_private_data(
        &self,
        collection: &str,
        key: &str,
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        async move {
            check_collection(collection)?;
            check_key(key)?;
            self.core()
                .handle
                .write_value(write_record::Type::DelState, collection, key, Vec::new())
                .await
        }
    }

    /// Deletes a private value and purges its history (Fabric 2.5+).
    fn purge_private_data(
        &self,
        collection: &str,
        key: &str,
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        async move {
            check_collection(collection)?;
            check_key(key)?;
            self.core()
                .handle
                .write_value(
                    write_record::Type::PurgePrivateData,
                    collection,
                    key,
                    Vec::new(),
                )
                .await
        }
    }

    /// Sets one metadata entry of a key (`collection` `None` for the world state).
    fn put_state_metadata(
        &self,
        collection: Option<&str>,
        key: &str,
        metakey: &str,
        value: &[u8],
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        async move {
            let collection = optional_collection(collection)?;
            check_key(key)?;
            if metakey.is_empty() {
                return Err(StubError::InvalidArgument(
                    "a metadata key must not be empty".into(),
                ));
            }
            self.core()
                .handle
                .write(TxHandle::metadata_record(
                    collection,
                    key,
                    metakey,
                    value.to_vec(),
                ))
                .await
        }
    }

    /// Sets the key-level endorsement policy of a world-state key (a serialized
    /// `SignaturePolicyEnvelope`).
    fn set_state_validation_parameter(
        &self,
        key: &str,
        policy: &[u8],
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        self.put_state_metadata(None, key, VALIDATION_PARAMETER, policy)
    }

    /// Sets the key-level endorsement policy of a private key.
    fn set_private_data_validation_parameter(
        &self,
        collection: &str,
        key: &str,
        policy: &[u8],
    ) -> impl Future<Output = Result<(), StubError>> + Send {
        async move {
            check_collection(collection)?;
            self.put_state_metadata(Some(collection), key, VALIDATION_PARAMETER, policy)
                .await
        }
    }

    /// Sets the transaction's event with `value` as canonical JSON. Fabric keeps one event per
    /// transaction: a later call replaces an earlier one (and logs a warning).
    fn set_event<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<(), EventError> {
        let payload = to_canonical_vec(value).map_err(|source| EventError::Encode {
            name: name.to_string(),
            source,
        })?;
        Ok(self.set_event_raw(name, payload)?)
    }

    /// Sets the transaction's event with a raw payload (replacing an earlier one).
    fn set_event_raw(&self, name: &str, payload: Vec<u8>) -> Result<(), StubError> {
        if name.is_empty() {
            return Err(StubError::InvalidArgument(
                "event name can not be empty string".into(),
            ));
        }
        self.core().handle.set_event(ChaincodeEvent {
            event_name: name.into(),
            payload,
            ..Default::default()
        });
        Ok(())
    }
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
    /// The ledger refused the event (empty name).
    #[error(transparent)]
    Stub(#[from] StubError),
}

impl From<EventError> for ContractError {
    fn from(e: EventError) -> Self {
        Self::new(e.to_string())
    }
}

impl Core {
    /// Writes `value` under `key` in the world state (`collection` `None`) or a private
    /// collection; typed state hands over the bytes it encoded, without a copy.
    pub(crate) async fn put(
        &self,
        collection: Option<&str>,
        key: &str,
        value: Vec<u8>,
    ) -> Result<(), StubError> {
        let collection = optional_collection(collection)?;
        check_key(key)?;
        self.handle
            .write_value(write_record::Type::PutState, collection, key, value)
            .await
    }
}
