//! The workloads, modelled on asset-transfer-basic.

use std::fmt;
use std::str::FromStr;

use fabric_emulated_peer::peer::FabricVersion;

/// Assets put on the ledger before the measured phase of read, transfer and getall.
pub const SEEDED_ASSETS: usize = 100;

/// One benchmark workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Workload {
    /// `CreateAsset` of a new asset: one read (does it exist?) and one write.
    Create,
    /// `ReadAsset` of a seeded asset: one read, JSON decode and encode.
    Read,
    /// `TransferAsset` of a seeded asset: one read and one write.
    Transfer,
    /// `GetAllAssets` over the 100 seeded assets: one range query.
    GetAll,
    /// `Noop`: no ledger call; the runtime's fixed cost per transaction.
    Noop,
    /// `Bench:ReadMany` of [`READ_MANY`] seeded assets: one multi-key read
    /// (GET_STATE_MULTIPLE on a Fabric 3.1+ peer, one GET_STATE per key before).
    ReadMany,
}

/// Assets read by one [`Workload::ReadMany`] transaction.
pub const READ_MANY: usize = 10;

/// Whether the emulated peer commits a transaction's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    /// Endorse and commit (the transaction writes).
    Submit,
    /// Endorse only (the transaction only reads).
    Evaluate,
}

impl Workload {
    /// Every workload, in table order.
    pub const ALL: [Workload; 6] = [
        Workload::Create,
        Workload::Read,
        Workload::Transfer,
        Workload::GetAll,
        Workload::Noop,
        Workload::ReadMany,
    ];

    /// The name used on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Create => "create",
            Workload::Read => "read",
            Workload::Transfer => "transfer",
            Workload::GetAll => "getall",
            Workload::Noop => "noop",
            Workload::ReadMany => "readmany",
        }
    }

    /// Whether the ledger must hold the seeded assets first.
    pub fn needs_seed(self) -> bool {
        matches!(
            self,
            Workload::Read | Workload::Transfer | Workload::GetAll | Workload::ReadMany
        )
    }

    /// Whether its transactions are submitted (committed) or evaluated.
    pub fn commit(self) -> Commit {
        match self {
            Workload::Create | Workload::Transfer => Commit::Submit,
            Workload::Read | Workload::GetAll | Workload::Noop | Workload::ReadMany => {
                Commit::Evaluate
            }
        }
    }

    /// The arguments of transaction number `i` (0-based, unique in a run),
    /// sent by client `worker` (0-based, below the concurrency).
    ///
    /// Each client transfers its own seeded asset, so two transactions in
    /// flight never touch the same key (no MVCC conflicts) as long as the
    /// concurrency is at most [`SEEDED_ASSETS`]. Reads cycle through all of them.
    ///
    /// ```
    /// use fabric_contract_bench::workload::Workload;
    /// assert_eq!(Workload::Read.args(105, 0), ["ReadAsset", "asset5"]);
    /// assert_eq!(Workload::Transfer.args(105, 3), ["TransferAsset", "asset3", "owner105"]);
    /// assert_eq!(
    ///     Workload::ReadMany.args(3, 0),
    ///     ["Bench:ReadMany", "asset3,asset13,asset23,asset33,asset43,asset53,asset63,asset73,asset83,asset93"]
    /// );
    /// ```
    pub fn args(self, i: usize, worker: usize) -> Vec<String> {
        let list: &[&str] = match self {
            Workload::Create => {
                return create_args(&format!("bench{i}"));
            }
            Workload::Read => &["ReadAsset", &format!("asset{}", i % SEEDED_ASSETS)],
            Workload::Transfer => &[
                "TransferAsset",
                &format!("asset{}", worker % SEEDED_ASSETS),
                &format!("owner{i}"),
            ],
            Workload::GetAll => &["GetAllAssets"],
            Workload::Noop => &["Bench:Noop"],
            Workload::ReadMany => {
                let ids: Vec<String> = (0..READ_MANY)
                    .map(|j| {
                        format!(
                            "asset{}",
                            (i + j * SEEDED_ASSETS / READ_MANY) % SEEDED_ASSETS
                        )
                    })
                    .collect();
                return vec!["Bench:ReadMany".into(), ids.join(",")];
            }
        };
        list.iter().map(|s| (*s).to_owned()).collect()
    }
}

/// `CreateAsset` arguments for asset `id`.
pub fn create_args(id: &str) -> Vec<String> {
    ["CreateAsset", id, "blue", "5", "Tomoko", "300"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// The transactions that put the seeded assets on the ledger.
pub fn seed() -> impl Iterator<Item = Vec<String>> {
    (0..SEEDED_ASSETS).map(|i| create_args(&format!("asset{i}")))
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A workload name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown workload {0:?}: expected create, read, transfer, getall, noop or readmany")]
pub struct UnknownWorkload(pub String);

impl FromStr for Workload {
    type Err = UnknownWorkload;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Workload::ALL
            .into_iter()
            .find(|w| w.name() == s)
            .ok_or_else(|| UnknownWorkload(s.to_owned()))
    }
}

/// The emulated peer's Fabric version profile for a cell.
///
/// 2.5 announces nothing in READY, so every write is a PUT_STATE and every
/// read a GET_STATE; 3.1 announces write batches and multi-key reads, which
/// the runtime then uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fabric {
    /// Fabric 2.5 LTS.
    V2_5,
    /// Fabric 3.1+.
    V3_1,
}

impl Fabric {
    /// The name used on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Fabric::V2_5 => "2.5",
            Fabric::V3_1 => "3.1",
        }
    }

    /// The emulated peer's profile.
    pub fn version(self) -> FabricVersion {
        match self {
            Fabric::V2_5 => FabricVersion::V2_5,
            Fabric::V3_1 => FabricVersion::V3_1,
        }
    }
}

impl fmt::Display for Fabric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Fabric version the bench has no profile for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Fabric profile {0:?}: expected 2.5 or 3.1")]
pub struct UnknownFabric(pub String);

impl FromStr for Fabric {
    type Err = UnknownFabric;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Fabric::V2_5, Fabric::V3_1]
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFabric(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_is_an_error() {
        for w in Workload::ALL {
            assert_eq!(w.name().parse::<Workload>(), Ok(w));
        }
        assert_eq!(
            "delete".parse::<Workload>(),
            Err(UnknownWorkload("delete".into()))
        );
        assert_eq!("3.1".parse::<Fabric>(), Ok(Fabric::V3_1));
        assert!("3.0".parse::<Fabric>().is_err());
    }

    #[test]
    fn creates_are_distinct_and_transfers_stay_on_seeded_assets() {
        assert_ne!(Workload::Create.args(1, 0), Workload::Create.args(2, 0));
        assert_eq!(
            Workload::Transfer.args(142, 142),
            ["TransferAsset", "asset42", "owner142"]
        );
        assert_eq!(seed().count(), SEEDED_ASSETS);
        let many = Workload::ReadMany.args(7, 0);
        let ids: Vec<&str> = many[1].split(',').collect();
        assert_eq!(
            (ids.len(), ids[0], ids[9]),
            (READ_MANY, "asset7", "asset97")
        );
        assert!(seed().all(|a| a[0] == "CreateAsset"));
    }
}
