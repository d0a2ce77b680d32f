//! One transaction's simulation: reads of committed state that record the
//! read set, the write set, and the peer simulator's transaction-shape rules
//! (no writes after a paged or private-data query, no private data in INIT).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::Ledger;
use super::data::{Entry, Version};
use super::mango::MangoError;

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
pub(super) struct KeyWrite {
    pub(super) value: Option<Option<Vec<u8>>>,
    pub(super) metadata: Option<BTreeMap<String, Vec<u8>>>,
    pub(super) purge: bool,
}

pub(super) type PubKey = (String, String);
pub(super) type PvtKey = (String, String, String);

/// One transaction's simulator over committed state.
#[derive(Debug)]
pub struct Simulation {
    pub(super) ledger: Ledger,
    pub(super) channel: String,
    pub(super) tx_id: String,
    pub(super) init_message: bool,
    pub(super) reads: BTreeMap<PubKey, Option<Version>>,
    pub(super) private_reads: BTreeMap<PvtKey, Option<Version>>,
    pub(super) writes: BTreeMap<PubKey, KeyWrite>,
    pub(super) private_writes: BTreeMap<PvtKey, KeyWrite>,
    pub(super) write_performed: bool,
    pub(super) paged_query_performed: bool,
    pub(super) private_query_performed: bool,
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

    pub(super) fn check_private(&self) -> Result<(), SimError> {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use sha2::{Digest, Sha256};

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
}
