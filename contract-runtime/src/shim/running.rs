//! The table of running transactions: which transaction a RESPONSE/ERROR from the peer goes to.
//!
//! Keyed by txid, then channel: the same txid may run on two channels at once (cross-channel
//! chaincode calls), but almost never does, so each txid holds a short list. Looking a reply up
//! borrows the message's own strings (no key is built per reply), and txids are hashed with
//! foldhash rather than SipHash: both were measurable per ledger round trip, and txids come from
//! the peer, not from arbitrary clients choosing colliding keys. The one-channel list lives inside
//! the table's entry, and the ids are the received message's own bytes (shared, not copied), so
//! admitting a transaction allocates nothing but a growing table. Ids are compared as bytes:
//! a reply is matched without reading its ids as text.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use foldhash::fast::RandomState;
use prost::bytes::Bytes;
use smallvec::SmallVec;

/// The channels one txid runs on, each with its transaction.
type Channels<T> = SmallVec<[(Bytes, T); 1]>;

/// Running transactions: txid → [(channel, transaction)]. The router keeps each transaction's
/// handle here; the table only needs to hand it back.
pub(crate) struct RunningTable<T> {
    by_txid: HashMap<Bytes, Channels<T>, RandomState>,
    len: usize,
}

impl<T> Default for RunningTable<T> {
    fn default() -> Self {
        Self {
            by_txid: HashMap::default(),
            len: 0,
        }
    }
}

/// Why a transaction was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The same (channel, txid) is running already.
    Duplicate,
    /// `max_in_flight` transactions are running.
    Full,
}

impl<T> RunningTable<T> {
    /// Records a new transaction, unless it is running already or the table holds `max` of them.
    pub(crate) fn admit(
        &mut self,
        channel: &Bytes,
        txid: &Bytes,
        transaction: T,
        max: usize,
    ) -> Result<(), Refused> {
        // One hash: a known txid is checked for the channel, a new one inserted.
        let full = self.len >= max;
        match self.by_txid.entry(txid.clone()) {
            Entry::Occupied(mut list) => {
                if list.get().iter().any(|(c, _)| c == channel) {
                    return Err(Refused::Duplicate);
                }
                if full {
                    return Err(Refused::Full);
                }
                list.get_mut().push((channel.clone(), transaction));
            }
            Entry::Vacant(list) => {
                if full {
                    return Err(Refused::Full);
                }
                list.insert(SmallVec::from_buf([(channel.clone(), transaction)]));
            }
        }
        self.len += 1;
        Ok(())
    }

    /// A running transaction.
    pub(crate) fn get(&self, channel: &[u8], txid: &[u8]) -> Option<&T> {
        let list = self.by_txid.get(txid)?;
        list.iter()
            .find(|(c, _)| c == channel)
            .map(|(_, transaction)| transaction)
    }

    /// Forgets a finished transaction; a flood's peak-sized table gives its memory back.
    pub(crate) fn remove(&mut self, channel: &[u8], txid: &[u8]) {
        // One hash in the common case, a txid on one channel: take its list out whole, and put
        // back what other channels it runs on.
        let Some((key, mut list)) = self.by_txid.remove_entry(txid) else {
            return;
        };
        let before = list.len();
        list.retain(|(c, _)| c != channel);
        self.len -= before - list.len();
        if !list.is_empty() {
            self.by_txid.insert(key, list);
        }
        if self.by_txid.capacity() > 64 && self.by_txid.len() < self.by_txid.capacity() / 8 {
            self.by_txid.shrink_to_fit();
        }
    }

    /// How many transactions are running.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The table's capacity in txids (tests check that a flood's memory is given back).
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.by_txid.capacity()
    }

    /// Empties the table, returning every transaction (to end them when the stream ends).
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = T> + use<T> {
        self.len = 0;
        std::mem::take(&mut self.by_txid)
            .into_values()
            .flatten()
            .map(|(_, transaction)| transaction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_txid_may_run_on_two_channels_but_not_twice_on_one() {
        let mut table = RunningTable::default();
        let id = |text: &'static str| Bytes::from_static(text.as_bytes());
        // The transaction is its "channel/txid", to check which one comes back.
        let admit = |table: &mut RunningTable<String>, channel, txid| {
            table.admit(&id(channel), &id(txid), format!("{channel}/{txid}"), 3)
        };
        assert_eq!(admit(&mut table, "a", "t1"), Ok(()));
        assert_eq!(admit(&mut table, "b", "t1"), Ok(()));
        assert_eq!(admit(&mut table, "a", "t1"), Err(Refused::Duplicate));
        assert_eq!(admit(&mut table, "a", "t2"), Ok(()));
        assert_eq!(admit(&mut table, "a", "t3"), Err(Refused::Full));
        assert_eq!(table.len(), 3);
        assert_eq!(table.get(b"b", b"t1").map(String::as_str), Some("b/t1"));
        assert!(table.get(b"c", b"t1").is_none());
        table.remove(b"a", b"t1");
        assert!(table.get(b"a", b"t1").is_none() && table.get(b"b", b"t1").is_some());
        table.remove(b"b", b"t1");
        table.remove(b"b", b"t1");
        assert_eq!(table.len(), 1);
        assert_eq!(table.drain().collect::<Vec<_>>(), ["a/t2"]);
        assert_eq!(table.len(), 0);
    }
}
