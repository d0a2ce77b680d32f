//! Serving one chaincode request of a transaction from its [`Simulation`],
//! as the `Handle*` functions of hyperledger/fabric `core/chaincode/handler.go`
//! do: every request type except INVOKE_CHAINCODE, which needs to run another
//! chaincode and lives with the executor.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    ChaincodeMessage, DelState, GetHistoryForKey, GetQueryResult, GetState, GetStateByRange,
    GetStateMetadata, GetStateMultiple, GetStateMultipleResult, PurgePrivateState, PutState,
    PutStateMetadata, QueryMetadata, QueryResponse, QueryResponseMetadata, QueryResultBytes,
    QueryStateClose, QueryStateNext, SignedProposal, StateMetadata, StateMetadataResult,
    WriteBatchState, write_record,
};
use fabric_contract_proto::queryresult::{KeyModification, Kv};

use super::ChaincodeDefinition;
use crate::ledger::{ResultSet, SimError, Simulation};

/// An open query iterator of one transaction.
#[derive(Debug)]
pub(super) enum Cursor {
    Kv(ResultSet<Kv>),
    History(ResultSet<KeyModification>),
}

impl Cursor {
    fn next_batch(&mut self) -> (Vec<QueryResultBytes>, bool) {
        let wrap = |b: Vec<u8>| QueryResultBytes { result_bytes: b };
        match self {
            Cursor::Kv(rs) => {
                let (batch, more) = rs.next_batch();
                (
                    batch.iter().map(|kv| wrap(kv.encode_to_vec())).collect(),
                    more,
                )
            }
            Cursor::History(rs) => {
                let (batch, more) = rs.next_batch();
                (
                    batch.iter().map(|m| wrap(m.encode_to_vec())).collect(),
                    more,
                )
            }
        }
    }
}

/// What a request is served against: the simulation, the namespace of the
/// chaincode that sent it, and the transaction's iterators.
pub(super) struct Scope<'a> {
    pub sim: &'a mut Simulation,
    pub def: &'a ChaincodeDefinition,
    pub iterators: &'a mut BTreeMap<String, Cursor>,
    pub iterator_ids: &'a AtomicU64,
    /// The transaction's proposal (its creator is checked for member-only collections).
    pub proposal: Option<&'a SignedProposal>,
}

type Served = Result<Vec<u8>, String>;

fn decode<M: Message + Default>(payload: &[u8], ty: Type) -> Result<M, String> {
    M::decode(payload).map_err(|e| format!("unmarshal of {} payload failed: {e}", ty.as_str_name()))
}

fn sim_err(e: SimError) -> String {
    e.to_string()
}

impl Scope<'_> {
    /// Serves `msg` and returns RESPONSE or ERROR for it.
    pub fn serve(&mut self, ty: Type, msg: &ChaincodeMessage) -> ChaincodeMessage {
        let result = super::members::check(self.def, self.proposal, ty, &msg.payload)
            .and_then(|()| self.dispatch(ty, &msg.payload));
        let (reply_type, payload) = match result {
            Ok(payload) => (Type::Response, payload),
            Err(cause) => (
                Type::Error,
                format!(
                    "{} failed: transaction ID: {}: {cause}",
                    ty.as_str_name(),
                    msg.txid
                )
                .into_bytes(),
            ),
        };
        ChaincodeMessage {
            r#type: reply_type as i32,
            payload,
            txid: msg.txid.clone(),
            channel_id: msg.channel_id.clone(),
            ..ChaincodeMessage::default()
        }
    }

    fn ns(&self) -> String {
        self.def.name.clone()
    }

    /// The peer checks INIT before the collection's existence.
    fn collection(&self, collection: &str) -> Result<(), String> {
        if self.sim.is_init_message() {
            return Err(SimError::PrivateDataInInit.to_string());
        }
        // Every organisation has an implicit collection (Fabric 2.0+), defined or not.
        if self.def.collections.contains(collection) || collection.starts_with("_implicit_org_") {
            Ok(())
        } else {
            Err(format!(
                "collection {collection} is not defined for chaincode {} (defined: {:?})",
                self.def.name, self.def.collections
            ))
        }
    }

    fn dispatch(&mut self, ty: Type, payload: &[u8]) -> Served {
        let ns = self.ns();
        match ty {
            Type::GetState => {
                let r: GetState = decode(payload, ty)?;
                let value = if r.collection.is_empty() {
                    self.sim.get_state(&ns, &r.key)
                } else {
                    self.collection(&r.collection)?;
                    self.sim
                        .get_private_data(&ns, &r.collection, &r.key)
                        .map_err(sim_err)?
                };
                Ok(value.unwrap_or_default())
            }
            Type::GetPrivateDataHash => {
                let r: GetState = decode(payload, ty)?;
                self.collection(&r.collection)?;
                let hash = self
                    .sim
                    .get_private_data_hash(&ns, &r.collection, &r.key)
                    .map_err(sim_err)?;
                Ok(hash.unwrap_or_default())
            }
            Type::GetStateMultiple => {
                let r: GetStateMultiple = decode(payload, ty)?;
                let mut values = Vec::with_capacity(r.keys.len());
                for key in &r.keys {
                    let v = if r.collection.is_empty() {
                        self.sim.get_state(&ns, key)
                    } else {
                        self.collection(&r.collection)?;
                        self.sim
                            .get_private_data(&ns, &r.collection, key)
                            .map_err(sim_err)?
                    };
                    values.push(v.unwrap_or_default());
                }
                Ok(GetStateMultipleResult { values }.encode_to_vec())
            }
            Type::PutState => {
                let r: PutState = decode(payload, ty)?;
                self.put(&r.collection, &r.key, &r.value)?;
                Ok(Vec::new())
            }
            Type::DelState => {
                let r: DelState = decode(payload, ty)?;
                self.put(&r.collection, &r.key, &[])?;
                Ok(Vec::new())
            }
            Type::PurgePrivateData => {
                let r: PurgePrivateState = decode(payload, ty)?;
                self.purge(&r.collection, &r.key)?;
                Ok(Vec::new())
            }
            Type::PutStateMetadata => {
                let r: PutStateMetadata = decode(payload, ty)?;
                self.put_metadata(&r.collection, &r.key, r.metadata.unwrap_or_default())?;
                Ok(Vec::new())
            }
            Type::GetStateMetadata => {
                let r: GetStateMetadata = decode(payload, ty)?;
                let map = if r.collection.is_empty() {
                    self.sim.get_state_metadata(&ns, &r.key)
                } else {
                    self.collection(&r.collection)?;
                    self.sim
                        .get_private_data_metadata(&ns, &r.collection, &r.key)
                        .map_err(sim_err)?
                };
                let entries = map
                    .into_iter()
                    .map(|(metakey, value)| StateMetadata { metakey, value })
                    .collect();
                Ok(StateMetadataResult { entries }.encode_to_vec())
            }
            Type::WriteBatchState => {
                let r: WriteBatchState = decode(payload, ty)?;
                // Records apply in order; on failure the earlier ones stay.
                for rec in r.rec {
                    match write_record::Type::try_from(rec.r#type) {
                        Ok(write_record::Type::PutState) => {
                            self.put(&rec.collection, &rec.key, &rec.value)?
                        }
                        Ok(write_record::Type::DelState) => {
                            self.put(&rec.collection, &rec.key, &[])?
                        }
                        Ok(write_record::Type::PurgePrivateData) => {
                            self.purge(&rec.collection, &rec.key)?
                        }
                        Ok(write_record::Type::PutStateMetadata) => self.put_metadata(
                            &rec.collection,
                            &rec.key,
                            rec.metadata.unwrap_or_default(),
                        )?,
                        _ => {
                            return Err(format!(
                                "unknown write record type {} for key {}",
                                rec.r#type, rec.key
                            ));
                        }
                    }
                }
                Ok(Vec::new())
            }
            Type::GetStateByRange => {
                let r: GetStateByRange = decode(payload, ty)?;
                if !r.collection.is_empty() {
                    // Private-data queries ignore paging metadata.
                    self.collection(&r.collection)?;
                    let rs = self
                        .sim
                        .get_private_data_by_range(&ns, &r.collection, &r.start_key, &r.end_key)
                        .map_err(sim_err)?;
                    return Ok(self.open(Cursor::Kv(rs)));
                }
                match paging(&r.metadata, ty)? {
                    Some(m) => {
                        let (page, bookmark) = self
                            .sim
                            .get_state_by_range_paged(
                                &ns,
                                &r.start_key,
                                &r.end_key,
                                m.page_size,
                                &m.bookmark,
                            )
                            .map_err(sim_err)?;
                        Ok(self.page(page, bookmark))
                    }
                    None => {
                        let rs = self.sim.get_state_by_range(&ns, &r.start_key, &r.end_key);
                        Ok(self.open(Cursor::Kv(rs)))
                    }
                }
            }
            Type::GetQueryResult => {
                let r: GetQueryResult = decode(payload, ty)?;
                if !r.collection.is_empty() {
                    self.collection(&r.collection)?;
                    let rs = self
                        .sim
                        .get_private_data_query_result(&ns, &r.collection, &r.query)
                        .map_err(sim_err)?;
                    return Ok(self.open(Cursor::Kv(rs)));
                }
                match paging(&r.metadata, ty)? {
                    Some(m) => {
                        let (page, bookmark) = self
                            .sim
                            .get_query_result_paged(&ns, &r.query, m.page_size, &m.bookmark)
                            .map_err(sim_err)?;
                        Ok(self.page(page, bookmark))
                    }
                    None => {
                        let rs = self.sim.get_query_result(&ns, &r.query).map_err(sim_err)?;
                        Ok(self.open(Cursor::Kv(rs)))
                    }
                }
            }
            Type::GetHistoryForKey => {
                let r: GetHistoryForKey = decode(payload, ty)?;
                let rs = self.sim.get_history_for_key(&ns, &r.key);
                Ok(self.open(Cursor::History(rs)))
            }
            Type::QueryStateNext => {
                let r: QueryStateNext = decode(payload, ty)?;
                let cursor = self
                    .iterators
                    .get_mut(&r.id)
                    .ok_or_else(|| format!("query iterator not found: {}", r.id))?;
                let (results, has_more) = cursor.next_batch();
                if !has_more {
                    self.iterators.remove(&r.id);
                }
                Ok(QueryResponse {
                    results,
                    has_more,
                    id: r.id,
                    metadata: Vec::new(),
                }
                .encode_to_vec())
            }
            Type::QueryStateClose => {
                let r: QueryStateClose = decode(payload, ty)?;
                self.iterators.remove(&r.id);
                Ok(QueryResponse {
                    id: r.id,
                    ..QueryResponse::default()
                }
                .encode_to_vec())
            }
            other => Err(format!("{} is not a request", other.as_str_name())),
        }
    }

    fn put(&mut self, collection: &str, key: &str, value: &[u8]) -> Result<(), String> {
        let ns = self.ns();
        if collection.is_empty() {
            self.sim.put_state(&ns, key, value).map_err(sim_err)
        } else {
            self.collection(collection)?;
            self.sim
                .put_private_data(&ns, collection, key, value)
                .map_err(sim_err)
        }
    }

    fn purge(&mut self, collection: &str, key: &str) -> Result<(), String> {
        if collection.is_empty() {
            return Err("collection must not be empty: purge applies to private data only".into());
        }
        self.collection(collection)?;
        let ns = self.ns();
        self.sim
            .purge_private_data(&ns, collection, key)
            .map_err(sim_err)
    }

    fn put_metadata(
        &mut self,
        collection: &str,
        key: &str,
        entry: StateMetadata,
    ) -> Result<(), String> {
        // The peer turns the single entry into the key's whole metadata map.
        let map = BTreeMap::from([(entry.metakey, entry.value)]);
        let ns = self.ns();
        if collection.is_empty() {
            self.sim.set_state_metadata(&ns, key, map).map_err(sim_err)
        } else {
            self.collection(collection)?;
            self.sim
                .set_private_data_metadata(&ns, collection, key, map)
                .map_err(sim_err)
        }
    }

    /// Hands out the first batch; the iterator stays open only if more remain.
    fn open(&mut self, mut cursor: Cursor) -> Vec<u8> {
        let id = format!(
            "iter-{:08x}",
            self.iterator_ids.fetch_add(1, Ordering::Relaxed)
        );
        let (results, has_more) = cursor.next_batch();
        if has_more {
            self.iterators.insert(id.clone(), cursor);
        }
        QueryResponse {
            results,
            has_more,
            id,
            metadata: Vec::new(),
        }
        .encode_to_vec()
    }

    fn page(&mut self, page: Vec<Kv>, bookmark: String) -> Vec<u8> {
        let id = format!(
            "iter-{:08x}",
            self.iterator_ids.fetch_add(1, Ordering::Relaxed)
        );
        QueryResponse {
            metadata: QueryResponseMetadata {
                fetched_records_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                bookmark,
            }
            .encode_to_vec(),
            results: page
                .iter()
                .map(|kv| QueryResultBytes {
                    result_bytes: kv.encode_to_vec(),
                })
                .collect(),
            has_more: false,
            id,
        }
        .encode_to_vec()
    }
}

/// Paged mode: metadata with a positive page size or a bookmark.
fn paging(metadata: &[u8], ty: Type) -> Result<Option<QueryMetadata>, String> {
    if metadata.is_empty() {
        return Ok(None);
    }
    let m: QueryMetadata = decode(metadata, ty)?;
    Ok((m.page_size > 0 || !m.bookmark.is_empty()).then_some(m))
}
