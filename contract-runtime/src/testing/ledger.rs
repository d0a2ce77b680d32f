//! The in-memory ledger: the one model of Fabric state used by every test tool.
//!
//! [`Ledger`] holds committed state per channel and namespace (chaincode name):
//! world state with versions and key metadata, private data collections (whose
//! SHA-256 hashes any organisation may read) and per-key history. A
//! transaction runs against a [`Simulation`], which reads committed state only,
//! collects a read set and a write set, and enforces the transaction-shape
//! rules of the peer's simulator. [`Ledger::commit`] validates the read set
//! (MVCC) and applies the writes. Whether to commit at all (status below 400,
//! submit rather than evaluate) is the caller's decision.
//!
//! ```
//! use fabric_contract::testing::ledger::Ledger;
//! use fabric_contract::testing::Timestamp;
//!
//! let ledger = Ledger::new();
//! let mut sim = ledger.simulate("mychannel", "tx1");
//! sim.put_state("basic", "a", b"1").unwrap();
//! assert_eq!(sim.get_state("basic", "a"), None); // reads never see own writes
//! ledger.commit(sim, "tx1", Timestamp::default()).unwrap();
//! assert_eq!(ledger.get_state("mychannel", "basic", "a"), Some(b"1".to_vec()));
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::{Arc, Mutex, MutexGuard};

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::queryresult::{KeyModification, Kv};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::mango::{MangoError, Query};

/// Records handed out per RESPONSE by an unpaged query (the peer's batch size).
pub const BATCH_SIZE: usize = 100;

/// The peer's default `ledger.state.totalQueryLimit` when unset.
pub const DEFAULT_TOTAL_QUERY_LIMIT: usize = 10_000;

/// Where a committed value was written: block number and index in the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    /// Block number (the ledger height after the writing commit).
    pub block: u64,
    /// Transaction index within the block (always 0: one transaction per block).
    pub tx: u32,
}

/// A committed value with its version and key metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The value (never empty: an empty write is a delete).
    pub value: Vec<u8>,
    /// The version of the last write to this key.
    pub version: Version,
    /// Key metadata, e.g. `VALIDATION_PARAMETER`.
    #[serde(default)]
    pub metadata: BTreeMap<String, Vec<u8>>,
}

/// One committed modification of a public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRecord {
    /// The writing transaction.
    pub tx_id: String,
    /// The value written (empty for a delete).
    pub value: Vec<u8>,
    /// The writing transaction's timestamp, seconds part.
    pub seconds: i64,
    /// The writing transaction's timestamp, nanoseconds part.
    pub nanos: i32,
    /// Whether the modification was a delete.
    pub is_delete: bool,
}

/// The committed state of one namespace (chaincode) on one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    /// World state.
    #[serde(default)]
    pub state: BTreeMap<String, Entry>,
    /// History per key, oldest first (read newest first).
    #[serde(default)]
    pub history: BTreeMap<String, Vec<HistoryRecord>>,
    /// Private data collections: collection name → key → entry.
    #[serde(default)]
    pub collections: BTreeMap<String, BTreeMap<String, Entry>>,
}

/// Everything the ledger stores; serializable so tools can persist it as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerData {
    /// Number of committed transactions (one per block).
    pub height: u64,
    /// Cap on records per unpaged query (`ledger.state.totalQueryLimit`).
    pub total_query_limit: usize,
    /// channel → namespace → state.
    #[serde(default)]
    pub channels: BTreeMap<String, BTreeMap<String, Namespace>>,
}

impl Default for LedgerData {
    fn default() -> Self {
        Self {
            height: 0,
            total_query_limit: DEFAULT_TOTAL_QUERY_LIMIT,
            channels: BTreeMap::new(),
        }
    }
}

/// Why a transaction could not commit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommitError {
    /// A key read by the transaction changed since it was read.
    #[error(
        "MVCC_READ_CONFLICT: key `{key}` in namespace `{namespace}`{} changed after the transaction read it",
        collection.as_ref().map(|c| format!(" (collection `{c}`)")).unwrap_or_default()
    )]
    MvccConflict {
        /// Namespace of the conflicting key.
        namespace: String,
        /// Collection of a private key, `None` for world state.
        collection: Option<String>,
        /// The conflicting key.
        key: String,
    },
}

/// A rule of the peer's transaction simulator was broken; texts are the peer's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// A paged query in a transaction that already wrote.
    #[error(
        "txid [{0}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction"
    )]
    PagedQueryAfterWrite(String),
    /// A write in a transaction that already ran a paged query.
    #[error(
        "txid [{0}]: Transaction has already performed a paginated query. Writes are not allowed"
    )]
    WriteAfterPagedQuery(String),
    /// A private-data range or rich query in a transaction that already wrote.
    #[error("txid [{0}]: Queries on pvt data is supported only in a read-only transaction")]
    PrivateQueryAfterWrite(String),
    /// A write in a transaction that already queried private data.
    #[error(
        "txid [{0}]: Transaction has already performed queries on pvt data. Writes are not allowed"
    )]
    WriteAfterPrivateQuery(String),
    /// Any private-data call while serving an INIT message.
    #[error("private data APIs are not allowed in chaincode Init()")]
    PrivateDataInInit,
    /// The rich query was refused.
    #[error(transparent)]
    Query(#[from] MangoError),
}

/// The result of an unpaged query, handed out like the peer's iterator.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultSet<T> {
    records: VecDeque<T>,
}

impl<T> ResultSet<T> {
    fn new(records: Vec<T>) -> Self {
        Self {
            records: records.into(),
        }
    }

    /// The next batch of at most [`BATCH_SIZE`] records and whether more
    /// remain (a set of exactly 100 comes as one batch without `has_more`).
    pub fn next_batch(&mut self) -> (Vec<T>, bool) {
        let n = self.records.len().min(BATCH_SIZE);
        let batch = self.records.drain(..n).collect();
        (batch, !self.records.is_empty())
    }

    /// Records not handed out yet.
    pub fn remaining(&self) -> usize {
        self.records.len()
    }
}

/// One entry of a transaction's write set, as reported after commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// Namespace (chaincode) written.
    pub namespace: String,
    /// Collection for private data, `None` for world state.
    pub collection: Option<String>,
    /// The key.
    pub key: String,
    /// What was written.
    pub kind: WriteKind,
}

/// The kind of a [`Write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteKind {
    /// A value was set.
    Put(Vec<u8>),
    /// The key was deleted (also an empty-value put).
    Delete,
    /// A private key was purged.
    Purge,
    /// The key's metadata map was replaced.
    Metadata(BTreeMap<String, Vec<u8>>),
}

/// Pending writes to one key: value part and metadata part are separate, as in
/// Fabric's rw-set. `value: Some(None)` is a delete.
#[derive(Debug, Clone, Default, PartialEq)]
struct KeyWrite {
    value: Option<Option<Vec<u8>>>,
    metadata: Option<BTreeMap<String, Vec<u8>>>,
    purge: bool,
}

type PubKey = (String, String);
type PvtKey = (String, String, String);

/// A shared handle to the in-memory ledger (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    inner: Arc<Mutex<LedgerData>>,
}

impl Ledger {
    /// An empty ledger with the default total query limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty ledger whose unpaged queries stop after `limit` records.
    pub fn with_total_query_limit(limit: usize) -> Self {
        Self::from_data(LedgerData {
            total_query_limit: limit,
            ..LedgerData::default()
        })
    }

    /// A ledger holding `data` (e.g. loaded from a file).
    pub fn from_data(data: LedgerData) -> Self {
        Self {
            inner: Arc::new(Mutex::new(data)),
        }
    }

    /// Loads a ledger persisted with [`Ledger::to_json`].
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        Ok(Self::from_data(serde_json::from_str(text)?))
    }

    /// The whole ledger as pretty JSON (map keys sorted, so output is stable).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&*self.lock()).unwrap_or_default()
    }

    /// A copy of everything stored.
    pub fn snapshot(&self) -> LedgerData {
        self.lock().clone()
    }

    /// Number of committed transactions.
    pub fn height(&self) -> u64 {
        self.lock().height
    }

    /// The cap on records per unpaged query.
    pub fn total_query_limit(&self) -> usize {
        self.lock().total_query_limit
    }

    fn lock(&self) -> MutexGuard<'_, LedgerData> {
        // A panicking test thread must not make the ledger unusable for others.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn with_ns<R>(&self, channel: &str, ns: &str, f: impl FnOnce(Option<&Namespace>) -> R) -> R {
        let data = self.lock();
        f(data.channels.get(channel).and_then(|c| c.get(ns)))
    }

    /// The committed entry of a public key.
    pub fn get_entry(&self, channel: &str, namespace: &str, key: &str) -> Option<Entry> {
        self.with_ns(channel, namespace, |ns| ns?.state.get(key).cloned())
    }

    /// The committed value of a public key.
    pub fn get_state(&self, channel: &str, namespace: &str, key: &str) -> Option<Vec<u8>> {
        self.get_entry(channel, namespace, key).map(|e| e.value)
    }

    /// All committed public keys and values of a namespace, in key order.
    pub fn state(&self, channel: &str, namespace: &str) -> BTreeMap<String, Vec<u8>> {
        self.with_ns(channel, namespace, |ns| {
            ns.map(|ns| {
                ns.state
                    .iter()
                    .map(|(k, e)| (k.clone(), e.value.clone()))
                    .collect()
            })
            .unwrap_or_default()
        })
    }

    /// All committed keys and values of a private collection, in key order.
    pub fn private_state(
        &self,
        channel: &str,
        namespace: &str,
        collection: &str,
    ) -> BTreeMap<String, Vec<u8>> {
        self.with_ns(channel, namespace, |ns| {
            ns.and_then(|ns| ns.collections.get(collection))
                .map(|c| {
                    c.iter()
                        .map(|(k, e)| (k.clone(), e.value.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Forgets everything committed (the height and query limit too).
    pub fn reset(&self) {
        let limit = self.total_query_limit();
        *self.lock() = LedgerData {
            total_query_limit: limit,
            ..LedgerData::default()
        };
    }

    /// The committed entry of a private key.
    pub fn get_private_entry(
        &self,
        channel: &str,
        namespace: &str,
        collection: &str,
        key: &str,
    ) -> Option<Entry> {
        self.with_ns(channel, namespace, |ns| {
            ns?.collections.get(collection)?.get(key).cloned()
        })
    }

    /// The committed value of a private key.
    pub fn get_private_data(
        &self,
        channel: &str,
        namespace: &str,
        collection: &str,
        key: &str,
    ) -> Option<Vec<u8>> {
        self.get_private_entry(channel, namespace, collection, key)
            .map(|e| e.value)
    }

    /// The committed history of a public key, newest first (uncapped).
    pub fn history(&self, channel: &str, namespace: &str, key: &str) -> Vec<KeyModification> {
        self.with_ns(channel, namespace, |ns| {
            ns.and_then(|ns| ns.history.get(key))
                .map(|h| h.iter().rev().map(to_key_modification).collect())
                .unwrap_or_default()
        })
    }

    /// Starts simulating transaction `tx_id` on `channel`.
    pub fn simulate(&self, channel: &str, tx_id: &str) -> Simulation {
        Simulation {
            ledger: self.clone(),
            channel: channel.to_string(),
            tx_id: tx_id.to_string(),
            init_message: false,
            reads: BTreeMap::new(),
            private_reads: BTreeMap::new(),
            writes: BTreeMap::new(),
            private_writes: BTreeMap::new(),
            write_performed: false,
            paged_query_performed: false,
            private_query_performed: false,
        }
    }

    /// Validates the simulation's read set against committed state (MVCC) and
    /// applies its writes as one new block, appending history.
    pub fn commit(
        &self,
        simulation: Simulation,
        tx_id: &str,
        timestamp: Timestamp,
    ) -> Result<(), CommitError> {
        let mut data = self.lock();
        let channel = data.channels.entry(simulation.channel.clone()).or_default();
        for ((ns, key), read) in &simulation.reads {
            let now = channel
                .get(ns)
                .and_then(|n| n.state.get(key))
                .map(|e| e.version);
            if now != *read {
                return Err(CommitError::MvccConflict {
                    namespace: ns.clone(),
                    collection: None,
                    key: key.clone(),
                });
            }
        }
        for ((ns, coll, key), read) in &simulation.private_reads {
            let now = channel
                .get(ns)
                .and_then(|n| n.collections.get(coll))
                .and_then(|c| c.get(key))
                .map(|e| e.version);
            if now != *read {
                return Err(CommitError::MvccConflict {
                    namespace: ns.clone(),
                    collection: Some(coll.clone()),
                    key: key.clone(),
                });
            }
        }
        data.height += 1;
        let version = Version {
            block: data.height,
            tx: 0,
        };
        let channel = data.channels.entry(simulation.channel.clone()).or_default();
        for ((ns, key), write) in simulation.writes {
            let ns = channel.entry(ns).or_default();
            if let Some(value) = &write.value {
                ns.history
                    .entry(key.clone())
                    .or_default()
                    .push(HistoryRecord {
                        tx_id: tx_id.to_string(),
                        value: value.clone().unwrap_or_default(),
                        seconds: timestamp.seconds,
                        nanos: timestamp.nanos,
                        is_delete: value.is_none(),
                    });
            }
            apply(&mut ns.state, key, write, version);
        }
        for ((ns, coll, key), write) in simulation.private_writes {
            let coll = channel
                .entry(ns)
                .or_default()
                .collections
                .entry(coll)
                .or_default();
            apply(coll, key, write, version);
        }
        Ok(())
    }
}

fn apply(map: &mut BTreeMap<String, Entry>, key: String, write: KeyWrite, version: Version) {
    if write.purge {
        map.remove(&key);
        return;
    }
    match write.value {
        Some(Some(value)) => {
            let metadata = map.remove(&key).map(|e| e.metadata).unwrap_or_default();
            map.insert(
                key.clone(),
                Entry {
                    value,
                    version,
                    metadata,
                },
            );
        }
        Some(None) => {
            map.remove(&key);
        }
        None => {}
    }
    // A metadata write for a key that does not exist (any more) is dropped.
    if let (Some(metadata), Some(entry)) = (write.metadata, map.get_mut(&key)) {
        entry.metadata = metadata;
        entry.version = version;
    }
}

fn to_key_modification(h: &HistoryRecord) -> KeyModification {
    KeyModification {
        tx_id: h.tx_id.clone(),
        value: h.value.clone(),
        timestamp: Some(Timestamp {
            seconds: h.seconds,
            nanos: h.nanos,
        }),
        is_delete: h.is_delete,
    }
}

/// Records of `map` in `[start, end)` (empty `end` = unbounded), in key order.
fn range<'a>(
    map: &'a BTreeMap<String, Entry>,
    start: &str,
    end: &str,
) -> Box<dyn Iterator<Item = (&'a String, &'a Entry)> + 'a> {
    if !end.is_empty() && start >= end {
        // BTreeMap::range panics on an inverted range; the peer returns nothing.
        return Box::new(std::iter::empty());
    }
    let upper = if end.is_empty() {
        Bound::Unbounded
    } else {
        Bound::Excluded(end)
    };
    Box::new(map.range::<str, _>((Bound::Included(start), upper)))
}

/// One transaction's simulator over committed state.
#[derive(Debug)]
pub struct Simulation {
    ledger: Ledger,
    channel: String,
    tx_id: String,
    init_message: bool,
    reads: BTreeMap<PubKey, Option<Version>>,
    private_reads: BTreeMap<PvtKey, Option<Version>>,
    writes: BTreeMap<PubKey, KeyWrite>,
    private_writes: BTreeMap<PvtKey, KeyWrite>,
    write_performed: bool,
    paged_query_performed: bool,
    private_query_performed: bool,
}

impl Simulation {
    /// The channel simulated on.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The transaction id (used in error texts).
    pub fn tx_id(&self) -> &str {
        &self.tx_id
    }

    /// The ledger this simulation reads.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Marks whether the chaincode currently served runs an INIT message, in
    /// which private-data calls are refused. Returns the previous setting.
    pub fn set_init_message(&mut self, init: bool) -> bool {
        std::mem::replace(&mut self.init_message, init)
    }

    /// Whether the chaincode currently served runs an INIT message.
    pub fn is_init_message(&self) -> bool {
        self.init_message
    }

    /// The write set in deterministic order (value writes before metadata).
    pub fn writes(&self) -> Vec<Write> {
        let mut out = Vec::new();
        let mut push = |namespace: &str, collection: Option<&str>, key: &str, w: &KeyWrite| {
            let mut record = |kind| {
                out.push(Write {
                    namespace: namespace.to_string(),
                    collection: collection.map(str::to_string),
                    key: key.to_string(),
                    kind,
                })
            };
            if w.purge {
                record(WriteKind::Purge);
                return;
            }
            match &w.value {
                Some(Some(v)) => record(WriteKind::Put(v.clone())),
                Some(None) => record(WriteKind::Delete),
                None => {}
            }
            if let Some(m) = &w.metadata {
                record(WriteKind::Metadata(m.clone()));
            }
        };
        for ((ns, key), w) in &self.writes {
            push(ns, None, key, w);
        }
        for ((ns, coll, key), w) in &self.private_writes {
            push(ns, Some(coll), key, w);
        }
        out
    }

    fn read_entry(&mut self, ns: &str, key: &str) -> Option<Entry> {
        let entry = self.ledger.get_entry(&self.channel, ns, key);
        self.reads
            .insert((ns.into(), key.into()), entry.as_ref().map(|e| e.version));
        entry
    }

    fn read_private_entry(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
    ) -> Result<Option<Entry>, SimError> {
        self.check_private()?;
        let entry = self.ledger.get_private_entry(&self.channel, ns, coll, key);
        self.private_reads.insert(
            (ns.into(), coll.into(), key.into()),
            entry.as_ref().map(|e| e.version),
        );
        Ok(entry)
    }

    fn check_private(&self) -> Result<(), SimError> {
        if self.init_message {
            return Err(SimError::PrivateDataInInit);
        }
        Ok(())
    }

    fn check_write(&mut self) -> Result<(), SimError> {
        if self.paged_query_performed {
            return Err(SimError::WriteAfterPagedQuery(self.tx_id.clone()));
        }
        if self.private_query_performed {
            return Err(SimError::WriteAfterPrivateQuery(self.tx_id.clone()));
        }
        self.write_performed = true;
        Ok(())
    }

    /// Committed value of a public key (never this transaction's own write).
    pub fn get_state(&mut self, ns: &str, key: &str) -> Option<Vec<u8>> {
        self.read_entry(ns, key).map(|e| e.value)
    }

    /// Committed metadata of a public key (empty when none or no key).
    pub fn get_state_metadata(&mut self, ns: &str, key: &str) -> BTreeMap<String, Vec<u8>> {
        self.read_entry(ns, key)
            .map(|e| e.metadata)
            .unwrap_or_default()
    }

    /// Records a write; an empty value is a delete.
    pub fn put_state(&mut self, ns: &str, key: &str, value: &[u8]) -> Result<(), SimError> {
        self.check_write()?;
        let w = self.writes.entry((ns.into(), key.into())).or_default();
        w.value = Some((!value.is_empty()).then(|| value.to_vec()));
        Ok(())
    }

    /// Records a delete (value and metadata).
    pub fn del_state(&mut self, ns: &str, key: &str) -> Result<(), SimError> {
        self.put_state(ns, key, &[])
    }

    /// Records a replacement of the key's whole metadata map.
    pub fn set_state_metadata(
        &mut self,
        ns: &str,
        key: &str,
        metadata: BTreeMap<String, Vec<u8>>,
    ) -> Result<(), SimError> {
        self.check_write()?;
        self.writes
            .entry((ns.into(), key.into()))
            .or_default()
            .metadata = Some(metadata);
        Ok(())
    }

    /// Committed value of a private key.
    pub fn get_private_data(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, SimError> {
        Ok(self.read_private_entry(ns, coll, key)?.map(|e| e.value))
    }

    /// SHA-256 of the committed value of a private key (readable by any org).
    pub fn get_private_data_hash(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, SimError> {
        Ok(self
            .read_private_entry(ns, coll, key)?
            .map(|e| Sha256::digest(&e.value).to_vec()))
    }

    /// Committed metadata of a private key.
    pub fn get_private_data_metadata(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
    ) -> Result<BTreeMap<String, Vec<u8>>, SimError> {
        Ok(self
            .read_private_entry(ns, coll, key)?
            .map(|e| e.metadata)
            .unwrap_or_default())
    }

    fn private_write(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
    ) -> Result<&mut KeyWrite, SimError> {
        self.check_private()?;
        self.check_write()?;
        Ok(self
            .private_writes
            .entry((ns.into(), coll.into(), key.into()))
            .or_default())
    }

    /// Records a private write; an empty value is a delete.
    pub fn put_private_data(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
        value: &[u8],
    ) -> Result<(), SimError> {
        let w = self.private_write(ns, coll, key)?;
        w.value = Some((!value.is_empty()).then(|| value.to_vec()));
        w.purge = false;
        Ok(())
    }

    /// Records a private delete.
    pub fn del_private_data(&mut self, ns: &str, coll: &str, key: &str) -> Result<(), SimError> {
        self.put_private_data(ns, coll, key, &[])
    }

    /// Records a purge: the private value and its metadata disappear at commit.
    pub fn purge_private_data(&mut self, ns: &str, coll: &str, key: &str) -> Result<(), SimError> {
        let w = self.private_write(ns, coll, key)?;
        *w = KeyWrite {
            purge: true,
            ..KeyWrite::default()
        };
        Ok(())
    }

    /// Records a replacement of a private key's metadata map.
    pub fn set_private_data_metadata(
        &mut self,
        ns: &str,
        coll: &str,
        key: &str,
        metadata: BTreeMap<String, Vec<u8>>,
    ) -> Result<(), SimError> {
        self.private_write(ns, coll, key)?.metadata = Some(metadata);
        Ok(())
    }

    fn kvs(&mut self, ns: &str, records: Vec<(String, Entry)>) -> Vec<Kv> {
        records
            .into_iter()
            .map(|(key, e)| {
                self.reads.insert((ns.into(), key.clone()), Some(e.version));
                Kv {
                    namespace: ns.into(),
                    key,
                    value: e.value,
                }
            })
            .collect()
    }

    fn collect_range(
        &self,
        ns: &str,
        start: &str,
        end: &str,
        limit: usize,
    ) -> Vec<(String, Entry)> {
        self.ledger.with_ns(&self.channel, ns, |n| {
            n.map(|n| {
                range(&n.state, start, end)
                    .take(limit)
                    .map(|(k, e)| (k.clone(), e.clone()))
                    .collect()
            })
            .unwrap_or_default()
        })
    }

    /// Unpaged range query over committed state, silently capped at the
    /// ledger's total query limit.
    pub fn get_state_by_range(&mut self, ns: &str, start: &str, end: &str) -> ResultSet<Kv> {
        let limit = self.ledger.total_query_limit();
        let records = self.collect_range(ns, start, end, limit);
        ResultSet::new(self.kvs(ns, records))
    }

    fn start_paged(&mut self) -> Result<(), SimError> {
        if self.write_performed {
            return Err(SimError::PagedQueryAfterWrite(self.tx_id.clone()));
        }
        self.paged_query_performed = true;
        Ok(())
    }

    fn page_limit(&self, page_size: i32) -> usize {
        let total = self.ledger.total_query_limit();
        match usize::try_from(page_size) {
            Ok(n) if n > 0 => n.min(total),
            _ => total,
        }
    }

    /// One page of a range query: at most `page_size` records starting at
    /// `bookmark` (or `start` when empty), and the key following the last one
    /// as the next bookmark (`""` when the range is exhausted).
    pub fn get_state_by_range_paged(
        &mut self,
        ns: &str,
        start: &str,
        end: &str,
        page_size: i32,
        bookmark: &str,
    ) -> Result<(Vec<Kv>, String), SimError> {
        self.start_paged()?;
        let limit = self.page_limit(page_size);
        let from = if bookmark.is_empty() { start } else { bookmark };
        let mut records = self.collect_range(ns, from, end, limit.saturating_add(1));
        let next = if records.len() > limit {
            records.pop().map(|(k, _)| k).unwrap_or_default()
        } else {
            String::new()
        };
        Ok((self.kvs(ns, records), next))
    }

    fn start_private_query(&mut self) -> Result<(), SimError> {
        self.check_private()?;
        if self.write_performed {
            return Err(SimError::PrivateQueryAfterWrite(self.tx_id.clone()));
        }
        self.private_query_performed = true;
        Ok(())
    }

    fn private_records(
        &self,
        ns: &str,
        coll: &str,
        start: &str,
        end: &str,
        limit: usize,
    ) -> Vec<(String, Entry)> {
        self.ledger.with_ns(&self.channel, ns, |n| {
            n.and_then(|n| n.collections.get(coll))
                .map(|c| {
                    range(c, start, end)
                        .take(limit)
                        .map(|(k, e)| (k.clone(), e.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    fn private_kvs(&mut self, ns: &str, coll: &str, records: Vec<(String, Entry)>) -> Vec<Kv> {
        records
            .into_iter()
            .map(|(key, e)| {
                self.private_reads
                    .insert((ns.into(), coll.into(), key.clone()), Some(e.version));
                Kv {
                    namespace: ns.into(),
                    key,
                    value: e.value,
                }
            })
            .collect()
    }

    /// Unpaged range query over a private collection (read-only transactions only).
    pub fn get_private_data_by_range(
        &mut self,
        ns: &str,
        coll: &str,
        start: &str,
        end: &str,
    ) -> Result<ResultSet<Kv>, SimError> {
        self.start_private_query()?;
        let limit = self.ledger.total_query_limit();
        let records = self.private_records(ns, coll, start, end, limit);
        Ok(ResultSet::new(self.private_kvs(ns, coll, records)))
    }

    fn rich(
        &self,
        ns: &str,
        coll: Option<&str>,
        query: &str,
    ) -> Result<Vec<(String, Entry)>, SimError> {
        let query = Query::parse(query)?;
        let records = match coll {
            None => self.collect_range(ns, "", "", usize::MAX),
            Some(c) => self.private_records(ns, c, "", "", usize::MAX),
        };
        let mut entries: BTreeMap<String, Entry> = records.into_iter().collect();
        let hits = query.run(
            entries
                .iter()
                .map(|(k, e)| (k.clone(), e.value.clone()))
                .collect(),
        );
        Ok(hits
            .into_iter()
            .filter_map(|(k, _)| entries.remove_entry(&k))
            .collect())
    }

    /// Unpaged rich (Mango) query over world state, capped at the total limit.
    pub fn get_query_result(&mut self, ns: &str, query: &str) -> Result<ResultSet<Kv>, SimError> {
        let mut records = self.rich(ns, None, query)?;
        records.truncate(self.ledger.total_query_limit());
        Ok(ResultSet::new(self.kvs(ns, records)))
    }

    /// One page of a rich query. The bookmark is opaque: the position of the
    /// next record in the query's result order. As CouchDB does, every page
    /// carries a bookmark, even the last one: only an empty page tells the
    /// caller the results are exhausted, so a loop that waits for an empty
    /// bookmark fails here as it would against a real CouchDB peer.
    pub fn get_query_result_paged(
        &mut self,
        ns: &str,
        query: &str,
        page_size: i32,
        bookmark: &str,
    ) -> Result<(Vec<Kv>, String), SimError> {
        self.start_paged()?;
        let limit = self.page_limit(page_size);
        let skip: usize = bookmark
            .strip_prefix('p')
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let page: Vec<_> = self
            .rich(ns, None, query)?
            .into_iter()
            .skip(skip)
            .take(limit)
            .collect();
        let next = format!("p{}", skip + page.len());
        Ok((self.kvs(ns, page), next))
    }

    /// Unpaged rich query over a private collection (read-only transactions only).
    pub fn get_private_data_query_result(
        &mut self,
        ns: &str,
        coll: &str,
        query: &str,
    ) -> Result<ResultSet<Kv>, SimError> {
        self.start_private_query()?;
        let mut records = self.rich(ns, Some(coll), query)?;
        records.truncate(self.ledger.total_query_limit());
        Ok(ResultSet::new(self.private_kvs(ns, coll, records)))
    }

    /// Committed history of a public key, newest first, capped at the total limit.
    pub fn get_history_for_key(&mut self, ns: &str, key: &str) -> ResultSet<KeyModification> {
        let mut history = self.ledger.history(&self.channel, ns, key);
        history.truncate(self.ledger.total_query_limit());
        ResultSet::new(history)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CH: &str = "ch";
    const NS: &str = "cc";

    fn ts(seconds: i64) -> Timestamp {
        Timestamp { seconds, nanos: 0 }
    }

    fn seed(ledger: &Ledger, pairs: &[(&str, &str)]) {
        let mut sim = ledger.simulate(CH, "seed");
        for (k, v) in pairs {
            sim.put_state(NS, k, v.as_bytes()).unwrap();
        }
        ledger.commit(sim, "seed", ts(1)).unwrap();
    }

    fn keys(kvs: &[Kv]) -> Vec<&str> {
        kvs.iter().map(|kv| kv.key.as_str()).collect()
    }

    #[test]
    fn reads_do_not_see_own_writes_and_last_write_wins() {
        let ledger = Ledger::new();
        seed(&ledger, &[("a", "old")]);
        let mut sim = ledger.simulate(CH, "t");
        sim.put_state(NS, "a", b"new1").unwrap();
        sim.put_state(NS, "a", b"new2").unwrap();
        assert_eq!(sim.get_state(NS, "a"), Some(b"old".to_vec()));
        ledger.commit(sim, "t", ts(2)).unwrap();
        assert_eq!(ledger.get_state(CH, NS, "a"), Some(b"new2".to_vec()));
        assert_eq!(ledger.height(), 2);
    }

    #[test]
    fn empty_value_is_a_delete() {
        let ledger = Ledger::new();
        seed(&ledger, &[("a", "1")]);
        let mut sim = ledger.simulate(CH, "t");
        sim.put_state(NS, "a", b"").unwrap();
        assert_eq!(sim.writes()[0].kind, WriteKind::Delete);
        ledger.commit(sim, "t", ts(2)).unwrap();
        assert_eq!(ledger.get_state(CH, NS, "a"), None);
        assert!(ledger.history(CH, NS, "a")[0].is_delete);
    }

    #[test]
    fn range_bounds_and_byte_order() {
        let ledger = Ledger::new();
        seed(
            &ledger,
            &[
                ("a", "1"),
                ("b", "2"),
                ("c", "3"),
                ("\u{0}x\u{0}", "c"),
                ("B", "0"),
            ],
        );
        let mut sim = ledger.simulate(CH, "t");
        let (all, more) = sim.get_state_by_range(NS, "a", "c").next_batch();
        assert_eq!((keys(&all), more), (vec!["a", "b"], false));
        let (all, _) = sim.get_state_by_range(NS, "\u{1}", "").next_batch();
        assert_eq!(keys(&all), ["B", "a", "b", "c"]);
        let (inverted, _) = sim.get_state_by_range(NS, "c", "a").next_batch();
        assert!(inverted.is_empty());
    }

    #[test]
    fn unpaged_results_come_in_batches_of_100() {
        let ledger = Ledger::new();
        let keys: Vec<String> = (0..250).map(|i| format!("k{i:03}")).collect();
        seed(
            &ledger,
            &keys.iter().map(|k| (k.as_str(), "v")).collect::<Vec<_>>(),
        );
        let mut rs = ledger.simulate(CH, "t").get_state_by_range(NS, "", "");
        let sizes: Vec<_> = std::iter::from_fn(|| {
            (rs.remaining() > 0).then(|| {
                let (b, more) = rs.next_batch();
                (b.len(), more)
            })
        })
        .collect();
        assert_eq!(sizes, [(100, true), (100, true), (50, false)]);
        // Exactly 100 records: one batch without has_more.
        let mut rs = ledger
            .simulate(CH, "t")
            .get_state_by_range(NS, "k000", "k100");
        assert_eq!(rs.next_batch().0.len(), 100);
        assert_eq!(rs.remaining(), 0);
    }

    #[test]
    fn total_query_limit_truncates_silently() {
        let ledger = Ledger::with_total_query_limit(5);
        let keys: Vec<String> = (0..8).map(|i| format!("k{i}")).collect();
        seed(
            &ledger,
            &keys.iter().map(|k| (k.as_str(), "{}")).collect::<Vec<_>>(),
        );
        let mut sim = ledger.simulate(CH, "t");
        let (b, more) = sim.get_state_by_range(NS, "", "").next_batch();
        assert_eq!((b.len(), more), (5, false));
        let (b, _) = sim
            .get_query_result(NS, r#"{"selector":{}}"#)
            .unwrap()
            .next_batch();
        assert_eq!(b.len(), 5);
        // A paged query is capped at the limit too.
        let mut sim = ledger.simulate(CH, "t2");
        let (page, next) = sim.get_state_by_range_paged(NS, "", "", 100, "").unwrap();
        assert_eq!((page.len(), next.as_str()), (5, "k5"));
    }

    #[test]
    fn paged_range_with_bookmarks() {
        let ledger = Ledger::new();
        seed(
            &ledger,
            &[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")],
        );
        let mut sim = ledger.simulate(CH, "t");
        let (p1, b1) = sim.get_state_by_range_paged(NS, "a", "e", 2, "").unwrap();
        assert_eq!((keys(&p1), b1.as_str()), (vec!["a", "b"], "c"));
        let (p2, b2) = sim.get_state_by_range_paged(NS, "a", "e", 2, &b1).unwrap();
        assert_eq!((keys(&p2), b2.as_str()), (vec!["c", "d"], ""));
    }

    #[test]
    fn paged_rich_query_bookmarks() {
        let ledger = Ledger::new();
        seed(
            &ledger,
            &[
                ("a", r#"{"n":3}"#),
                ("b", r#"{"n":1}"#),
                ("c", r#"{"n":2}"#),
            ],
        );
        let q = r#"{"selector":{"n":{"$gt":0}},"sort":[{"n":"desc"}]}"#;
        let mut sim = ledger.simulate(CH, "t");
        let (p1, b1) = sim.get_query_result_paged(NS, q, 2, "").unwrap();
        assert_eq!(keys(&p1), ["a", "c"]);
        let (p2, b2) = sim.get_query_result_paged(NS, q, 2, &b1).unwrap();
        assert_eq!(keys(&p2), ["b"]);
        assert!(!b2.is_empty(), "CouchDB bookmarks are never empty");
        let (p3, b3) = sim.get_query_result_paged(NS, q, 2, &b2).unwrap();
        assert!(p3.is_empty(), "only an empty page ends the results");
        assert!(!b3.is_empty());
    }

    #[test]
    fn rich_query_errors_name_the_operator() {
        let ledger = Ledger::new();
        let err = ledger
            .simulate(CH, "t")
            .get_query_result(NS, r#"{"selector":{"a":{"$regex":"x"}}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("$regex"), "{err}");
    }

    #[test]
    fn history_is_newest_first_with_timestamps() {
        let ledger = Ledger::new();
        for (i, v) in ["1", "2", ""].iter().enumerate() {
            let tx = format!("tx{i}");
            let mut sim = ledger.simulate(CH, &tx);
            sim.put_state(NS, "a", v.as_bytes()).unwrap();
            ledger.commit(sim, &tx, ts(10 + i as i64)).unwrap();
        }
        let (h, _) = ledger
            .simulate(CH, "t")
            .get_history_for_key(NS, "a")
            .next_batch();
        let seen: Vec<_> = h
            .iter()
            .map(|m| {
                (
                    m.tx_id.as_str(),
                    m.value.as_slice(),
                    m.is_delete,
                    m.timestamp.unwrap().seconds,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("tx2", &b""[..], true, 12),
                ("tx1", &b"2"[..], false, 11),
                ("tx0", &b"1"[..], false, 10)
            ]
        );
    }

    #[test]
    fn mvcc_conflict_between_two_endorsements() {
        let ledger = Ledger::new();
        seed(&ledger, &[("a", "1")]);
        let mut s1 = ledger.simulate(CH, "t1");
        let mut s2 = ledger.simulate(CH, "t2");
        assert_eq!(s1.get_state(NS, "a"), Some(b"1".to_vec()));
        assert_eq!(s2.get_state(NS, "a"), Some(b"1".to_vec()));
        s1.put_state(NS, "a", b"x").unwrap();
        s2.put_state(NS, "a", b"y").unwrap();
        ledger.commit(s1, "t1", ts(2)).unwrap();
        let err = ledger.commit(s2, "t2", ts(3)).unwrap_err();
        assert_eq!(
            err,
            CommitError::MvccConflict {
                namespace: NS.into(),
                collection: None,
                key: "a".into()
            }
        );
        assert_eq!(ledger.get_state(CH, NS, "a"), Some(b"x".to_vec()));
        // A conflicting commit applies nothing and adds no block.
        assert_eq!(ledger.height(), 2);
    }

    #[test]
    fn reading_a_missing_key_conflicts_with_its_creation() {
        let ledger = Ledger::new();
        let mut s1 = ledger.simulate(CH, "t1");
        assert_eq!(s1.get_state(NS, "n"), None);
        seed(&ledger, &[("n", "1")]);
        s1.put_state(NS, "m", b"1").unwrap();
        assert!(ledger.commit(s1, "t1", ts(2)).is_err());
    }

    #[test]
    fn private_collections_are_separate_with_hashes() {
        let ledger = Ledger::new();
        let mut sim = ledger.simulate(CH, "t");
        sim.put_private_data(NS, "c1", "a", b"secret").unwrap();
        ledger.commit(sim, "t", ts(1)).unwrap();
        let mut sim = ledger.simulate(CH, "t2");
        assert_eq!(
            sim.get_private_data(NS, "c1", "a").unwrap(),
            Some(b"secret".to_vec())
        );
        assert_eq!(sim.get_private_data(NS, "c2", "a").unwrap(), None);
        assert_eq!(sim.get_state(NS, "a"), None);
        assert_eq!(
            sim.get_private_data_hash(NS, "c1", "a").unwrap(),
            Some(Sha256::digest(b"secret").to_vec())
        );
        assert_eq!(sim.get_private_data_hash(NS, "c1", "zz").unwrap(), None);
        assert!(
            ledger.history(CH, NS, "a").is_empty(),
            "no history for private data"
        );
    }

    #[test]
    fn purge_removes_private_value_and_metadata() {
        let ledger = Ledger::new();
        let mut sim = ledger.simulate(CH, "t");
        sim.put_private_data(NS, "c1", "a", b"v").unwrap();
        sim.set_private_data_metadata(NS, "c1", "a", [("m".to_string(), vec![1])].into())
            .unwrap();
        ledger.commit(sim, "t", ts(1)).unwrap();
        assert_eq!(
            ledger
                .get_private_entry(CH, NS, "c1", "a")
                .unwrap()
                .metadata
                .len(),
            1
        );
        let mut sim = ledger.simulate(CH, "t2");
        sim.purge_private_data(NS, "c1", "a").unwrap();
        assert_eq!(sim.writes()[0].kind, WriteKind::Purge);
        ledger.commit(sim, "t2", ts(2)).unwrap();
        assert_eq!(ledger.get_private_entry(CH, NS, "c1", "a"), None);
    }

    #[test]
    fn metadata_semantics() {
        let ledger = Ledger::new();
        seed(&ledger, &[("a", "1")]);
        let meta = |k: &str, v: u8| BTreeMap::from([(k.to_string(), vec![v])]);
        let mut sim = ledger.simulate(CH, "t");
        sim.set_state_metadata(NS, "a", meta("VALIDATION_PARAMETER", 1))
            .unwrap();
        sim.set_state_metadata(NS, "ghost", meta("X", 1)).unwrap();
        ledger.commit(sim, "t", ts(2)).unwrap();
        // Dropped: the key did not exist at commit.
        assert_eq!(ledger.get_entry(CH, NS, "ghost"), None);
        let mut sim = ledger.simulate(CH, "t3");
        assert_eq!(
            sim.get_state_metadata(NS, "a"),
            meta("VALIDATION_PARAMETER", 1)
        );
        // A value-only write keeps metadata; a metadata write replaces the map.
        sim.put_state(NS, "a", b"2").unwrap();
        ledger.commit(sim, "t3", ts(3)).unwrap();
        assert_eq!(
            ledger.get_entry(CH, NS, "a").unwrap().metadata,
            meta("VALIDATION_PARAMETER", 1)
        );
        let mut sim = ledger.simulate(CH, "t4");
        sim.set_state_metadata(NS, "a", meta("OTHER", 2)).unwrap();
        ledger.commit(sim, "t4", ts(4)).unwrap();
        assert_eq!(
            ledger.get_entry(CH, NS, "a").unwrap().metadata,
            meta("OTHER", 2)
        );
        // A delete removes value and metadata.
        let mut sim = ledger.simulate(CH, "t5");
        sim.del_state(NS, "a").unwrap();
        ledger.commit(sim, "t5", ts(5)).unwrap();
        assert_eq!(ledger.get_entry(CH, NS, "a"), None);
        let mut sim = ledger.simulate(CH, "t6");
        sim.put_state(NS, "a", b"3").unwrap();
        ledger.commit(sim, "t6", ts(6)).unwrap();
        assert!(ledger.get_entry(CH, NS, "a").unwrap().metadata.is_empty());
    }

    #[test]
    fn shape_rules_use_the_peer_texts() {
        let ledger = Ledger::new();
        let mut sim = ledger.simulate(CH, "tx9");
        sim.put_state(NS, "a", b"1").unwrap();
        let err = sim.get_state_by_range_paged(NS, "", "", 1, "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "txid [tx9]: unsuppored transaction. Paginated queries are supported only in a read-only transaction"
        );
        let err = sim.get_private_data_by_range(NS, "c", "", "").unwrap_err();
        assert_eq!(err, SimError::PrivateQueryAfterWrite("tx9".into()));

        let mut sim = ledger.simulate(CH, "tx8");
        sim.get_query_result_paged(NS, r#"{"selector":{}}"#, 1, "")
            .unwrap();
        let err = sim.put_state(NS, "a", b"1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "txid [tx8]: Transaction has already performed a paginated query. Writes are not allowed"
        );

        let mut sim = ledger.simulate(CH, "tx7");
        sim.get_private_data_query_result(NS, "c", r#"{"selector":{}}"#)
            .unwrap();
        let err = sim.put_private_data(NS, "c", "a", b"1").unwrap_err();
        assert_eq!(err, SimError::WriteAfterPrivateQuery("tx7".into()));

        let mut sim = ledger.simulate(CH, "tx6");
        sim.set_init_message(true);
        assert_eq!(
            sim.get_private_data(NS, "c", "a"),
            Err(SimError::PrivateDataInInit)
        );
        assert_eq!(
            sim.purge_private_data(NS, "c", "a"),
            Err(SimError::PrivateDataInInit)
        );
        assert_eq!(
            SimError::PrivateDataInInit.to_string(),
            "private data APIs are not allowed in chaincode Init()"
        );
        sim.put_state(NS, "a", b"1").unwrap();
    }

    #[test]
    fn json_round_trip() {
        let ledger = Ledger::with_total_query_limit(7);
        seed(&ledger, &[("a", "1")]);
        let mut sim = ledger.simulate(CH, "t");
        sim.put_private_data(NS, "c", "p", b"2").unwrap();
        ledger.commit(sim, "t", ts(2)).unwrap();
        let copy = Ledger::from_json(&ledger.to_json()).unwrap();
        assert_eq!(copy.snapshot(), ledger.snapshot());
        assert_eq!(copy.total_query_limit(), 7);
    }
}
