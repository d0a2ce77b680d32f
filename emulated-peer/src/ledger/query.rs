//! Queries inside a simulation: ranges, paged ranges, Mango rich queries,
//! private-data queries and key history, with the peer's batching and
//! `totalQueryLimit` cap.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;

use fabric_contract_proto::queryresult::{KeyModification, Kv};

use super::BATCH_SIZE;
use super::data::Entry;
use super::mango::Query;
use super::simulation::{SimError, Simulation};

/// The result of an unpaged query, handed out like the peer's iterator.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultSet<T> {
    records: VecDeque<T>,
}

impl<T> ResultSet<T> {
    pub(super) fn new(records: Vec<T>) -> Self {
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

impl Simulation {
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
    use super::super::test_support::*;

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
}
