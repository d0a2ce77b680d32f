//! The shared ledger handle and its reads of committed state (world state,
//! private collections, key history), outside any transaction.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::queryresult::KeyModification;

use super::data::{Entry, HistoryRecord, LedgerData, Namespace};
use super::simulation::Simulation;

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

    pub(super) fn lock(&self) -> MutexGuard<'_, LedgerData> {
        // A panicking test thread must not make the ledger unusable for others.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn with_ns<R>(
        &self,
        channel: &str,
        ns: &str,
        f: impl FnOnce(Option<&Namespace>) -> R,
    ) -> R {
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

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
