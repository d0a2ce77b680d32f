//! Upgrading a chaincode keeps its state: version 1 writes through the
//! emulated peer, then version 2 — a new process registered under a new
//! package id, as after `approveformyorg`/`commit` with a higher sequence —
//! reads the old records and migrates them.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fabric_contract::testing::ledger::Ledger;
use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions, TxOutcome,
};

const CHANNEL: &str = "mychannel";
const NAME: &str = "registry";

/// A chaincode process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `binary` as the peer would launch it for `version`, on a fresh peer over `ledger`.
async fn launch(binary: &str, version: &str, ledger: &Ledger) -> (EmulatedPeer, Process) {
    let package_id = format!("{NAME}_{version}:0123abcd");
    let definition = ChaincodeDefinition::new(NAME)
        .version(version)
        .registration_id(&package_id);
    let peer =
        EmulatedPeer::with_ledger(PeerOptions::default().chaincode(definition), ledger.clone());
    let address = peer
        .serve_tcp("127.0.0.1:0")
        .await
        .expect("the emulated peer listens");
    let child = Command::new(binary)
        .arg(format!("-peer.address={address}"))
        .env("CORE_CHAINCODE_ID_NAME", &package_id)
        .env("CORE_PEER_TLS_ENABLED", "false")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .stdout(Stdio::null())
        .spawn()
        .expect("the chaincode starts");
    let process = Process(child);
    peer.wait_registered(&package_id, Duration::from_secs(20))
        .await
        .expect("the chaincode registers");
    (peer, process)
}

async fn call(peer: &EmulatedPeer, invocation: Invocation) -> TxOutcome {
    let outcome = peer
        .invoke(invocation.channel(CHANNEL))
        .await
        .expect("the peer runs the transaction");
    assert_eq!(outcome.response.status, 200, "{}", outcome.response.message);
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_two_reads_and_migrates_what_version_one_wrote() {
    let ledger = Ledger::new();

    let (v1, process) = launch(env!("CARGO_BIN_EXE_registry-v1"), "1", &ledger).await;
    call(
        &v1,
        Invocation::submit(NAME, ["Register", "alice", "alice@example.com"]),
    )
    .await;
    call(
        &v1,
        Invocation::submit(NAME, ["Register", "bob", "bob@example.com"]),
    )
    .await;
    let stored = ledger
        .get_state(CHANNEL, NAME, "alice")
        .expect("version 1 committed alice");
    assert_eq!(stored, br#"{"email":"alice@example.com","name":"alice"}"#);
    drop(process);
    drop(v1);

    let (v2, _process) = launch(env!("CARGO_BIN_EXE_registry-v2"), "2", &ledger).await;
    let read = call(&v2, Invocation::evaluate(NAME, ["Get", "alice"])).await;
    assert_eq!(
        read.response.payload,
        br#"{"contact":{"email":"alice@example.com"},"name":"alice","version":2}"#
    );
    assert_eq!(
        ledger.get_state(CHANNEL, NAME, "alice").unwrap(),
        stored,
        "evaluate writes nothing"
    );

    let migrated = call(&v2, Invocation::submit(NAME, ["Migrate"])).await;
    assert_eq!(migrated.response.payload, b"2");
    for (name, email) in [("alice", "alice@example.com"), ("bob", "bob@example.com")] {
        let value = ledger.get_state(CHANNEL, NAME, name).unwrap();
        let expected =
            format!(r#"{{"contact":{{"email":"{email}"}},"name":"{name}","version":2}}"#);
        assert_eq!(String::from_utf8(value).unwrap(), expected);
    }
    let again = call(&v2, Invocation::submit(NAME, ["Migrate"])).await;
    assert_eq!(
        again.response.payload, b"0",
        "a second migration finds nothing left to do"
    );
}
