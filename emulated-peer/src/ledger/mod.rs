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
//! use fabric_emulated_peer::ledger::Ledger;
//! use fabric_emulated_peer::Timestamp;
//!
//! let ledger = Ledger::new();
//! let mut sim = ledger.simulate("mychannel", "tx1");
//! sim.put_state("basic", "a", b"1").unwrap();
//! assert_eq!(sim.get_state("basic", "a"), None); // reads never see own writes
//! ledger.commit(sim, "tx1", Timestamp::default()).unwrap();
//! assert_eq!(ledger.get_state("mychannel", "basic", "a"), Some(b"1".to_vec()));
//! ```
//!
//! Inside, one job per module: `data` is the stored model ([`LedgerData`]),
//! `committed` the shared handle and its reads, `simulation` a transaction's
//! read and write sets and shape rules, `query` range, rich and history
//! queries, `commit` MVCC validation and applying writes.

mod commit;
mod committed;
mod data;
mod query;
mod simulation;

pub use commit::CommitError;
pub use committed::Ledger;
pub use data::{Entry, HistoryRecord, LedgerData, Namespace, Version};
pub use query::ResultSet;
pub use simulation::{SimError, Simulation, Write, WriteKind};

use super::mango;

/// Records handed out per RESPONSE by an unpaged query (the peer's batch size).
pub const BATCH_SIZE: usize = 100;

/// The peer's default `ledger.state.totalQueryLimit` when unset.
pub const DEFAULT_TOTAL_QUERY_LIMIT: usize = 10_000;

#[cfg(test)]
mod test_support {
    use fabric_contract_proto::Timestamp;
    use fabric_contract_proto::queryresult::Kv;

    pub(super) use super::Ledger;

    pub const CH: &str = "ch";
    pub const NS: &str = "cc";

    pub fn ts(seconds: i64) -> Timestamp {
        Timestamp { seconds, nanos: 0 }
    }

    pub fn seed(ledger: &Ledger, pairs: &[(&str, &str)]) {
        let mut sim = ledger.simulate(CH, "seed");
        for (k, v) in pairs {
            sim.put_state(NS, k, v.as_bytes()).unwrap();
        }
        ledger.commit(sim, "seed", ts(1)).unwrap();
    }

    pub fn keys(kvs: &[Kv]) -> Vec<&str> {
        kvs.iter().map(|kv| kv.key.as_str()).collect()
    }
}
