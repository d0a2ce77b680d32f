//! The emulated peer against chaincode no one here wrote: the official Node.js
//! libraries (`fabric-shim`, `fabric-contract-api` 2.5.8) run the same
//! scenarios through it as our Rust chaincode does, with the same outcomes.
//! Outside CI the Node runs are skipped when `tests/node/node_modules` is
//! missing; in CI that is a failure.

// Shared with node_crosscheck.rs, which uses the parts this file does not.
#[allow(dead_code)]
mod support;

use fabric_contract_tests::node::{NodeChaincode, NodeChaincodeKind, node_modules_or_skip};
use support::emulated::{EmulatedConnection, start_peer};

/// Kills the child on drop.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a Rust chaincode binary in client mode, with `env` added to its environment.
fn spawn_rust(
    binary: &str,
    address: std::net::SocketAddr,
    id: &str,
    env: &[(&str, &str)],
) -> KillOnDrop {
    let child = std::process::Command::new(binary)
        .args(["--client", &format!("-peer.address={address}")])
        .envs(env.iter().copied())
        .env("CORE_CHAINCODE_ID_NAME", id)
        .env("CORE_PEER_TLS_ENABLED", "false")
        .env_remove("CORE_PEER_ADDRESS")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("start the Rust chaincode");
    KillOnDrop(child)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_raw_chaincode_on_the_emulated_peer() {
    if !node_modules_or_skip("node_raw_chaincode_on_the_emulated_peer").expect("Node prerequisites")
    {
        return;
    }
    let (peer, address) = start_peer("raw", true).await;
    let _node = NodeChaincode::spawn(NodeChaincodeKind::Raw, address, "raw")
        .expect("start the Node chaincode");
    let mut conn = EmulatedConnection::accept(peer, "raw").await;
    support::scenario::raw_functions(&mut conn).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_raw_chaincode_on_the_emulated_peer() {
    let (peer, address) = start_peer("raw", true).await;
    let _child = spawn_rust(
        env!("CARGO_BIN_EXE_rust-raw-crosscheck"),
        address,
        "raw",
        &[],
    );
    let mut conn = EmulatedConnection::accept(peer, "raw").await;
    support::scenario::raw_functions(&mut conn).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_contract_cases_on_the_emulated_peer() {
    if !node_modules_or_skip("node_contract_cases_on_the_emulated_peer")
        .expect("Node prerequisites")
    {
        return;
    }
    let (peer, address) = start_peer("contract", false).await;
    let _node = NodeChaincode::spawn(NodeChaincodeKind::Contract, address, "contract")
        .expect("start the Node contract");
    let mut conn = EmulatedConnection::accept(peer, "contract").await;
    support::contract_cases::run_cases(&mut conn, support::contract_cases::NODE_ASSET_CASES).await;
}

/// The contract cases through `rust-contract-crosscheck` started with `env`.
async fn rust_contract_cases(env: &[(&str, &str)]) {
    let (peer, address) = start_peer("contract", false).await;
    let _child = spawn_rust(
        env!("CARGO_BIN_EXE_rust-contract-crosscheck"),
        address,
        "contract",
        env,
    );
    let mut conn = EmulatedConnection::accept(peer, "contract").await;
    support::contract_cases::run_cases(&mut conn, support::contract_cases::RUST_ASSET_CASES).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_contract_cases_on_the_emulated_peer() {
    rust_contract_cases(&[]).await;
}

/// With several worker threads each transaction is spawned as a task of its own (one thread runs
/// them inside the stream's task): the same cases, through that path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_contract_cases_with_several_worker_threads() {
    rust_contract_cases(&[("CHAINCODE_WORKER_THREADS", "2")]).await;
}
