//! What the ledger stores: one serializable model of committed state, so
//! tools can persist a whole ledger as JSON (the dev console does).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::DEFAULT_TOTAL_QUERY_LIMIT;

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
