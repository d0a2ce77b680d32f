//! The chaincode benchmark.
//!
//! The driver plays the peer with the emulated peer
//! ([`fabric_emulated_peer::peer`]) over real loopback gRPC, spawns each
//! contender as its own process, registers it and drives N transactions of
//! one workload at concurrency C, then reads the process's CPU time and peak
//! RSS from `/proc`. Every (workload, concurrency) cell runs each contender in
//! turn on one machine, so the report compares them as ratios.
//!
//! Run it with `cargo run --release -p fabric-contract-bench --bin bench`.

pub mod contender;
pub mod floor;
pub mod layout;
pub mod procfs;
pub mod report;
pub mod run;
pub mod stats;
pub mod workload;
