//! Validation and commit: the read set is checked against committed versions
//! (MVCC, as the peer's validator does) before the writes apply as one block.

use std::collections::BTreeMap;

use fabric_contract_proto::Timestamp;

use super::Ledger;
use super::data::{Entry, HistoryRecord, Version};
use super::simulation::{KeyWrite, Simulation};

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

impl Ledger {
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

#[cfg(test)]
mod tests {
    use super::super::WriteKind;
    use super::super::test_support::*;
    use super::*;

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
}
