//! Deployment paths, exercised the way a Fabric peer exercises them:
//! - a binary package for our external builder: unpacked, then `detect`,
//!   `build`, `release` and `run` (with the `chaincode.json` a peer writes)
//!   from `external-builder/bin`, the chaincode registering with the emulated peer;
//! - a chaincode-as-a-service package: its `connection.json` is what the peer
//!   dials to reach `serve` running with `CHAINCODE_SERVER_ADDRESS`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fabric_contract::testing::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions};
use sha2::{Digest, Sha256};

const BINARY: &str = env!("CARGO_BIN_EXE_asset-transfer-basic");

fn builder(program: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../external-builder/bin")
        .join(program)
}

/// A child process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `asset-transfer-basic package …`; returns (package bytes, reported package ID).
fn package(dir: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let out = dir.join("package.tar.gz");
    let output = Command::new(BINARY)
        .arg("package")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("package ID: "))
        .expect("the package ID is printed");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(
        id,
        format!("{}:{}", args[1], hex::encode(Sha256::digest(&bytes))),
        "label:sha256 of the file"
    );
    (bytes, id.to_owned())
}

/// The files of a gzip tar, as (path, bytes).
fn entries(targz: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(targz));
    let mut files = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        assert_eq!(
            entry.header().entry_type(),
            tar::EntryType::Regular,
            "the peer accepts regular files only"
        );
        let path = entry.path().unwrap().display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.push((path, bytes));
    }
    files
}

/// Unpacks a package as the peer does: `metadata.json` into METADATA_DIR, `code.tar.gz` into SOURCE_DIR.
fn unpack(package: &[u8], root: &Path) -> (PathBuf, PathBuf) {
    let (source, metadata) = (root.join("src"), root.join("meta"));
    std::fs::create_dir_all(&source).unwrap();
    std::fs::create_dir_all(&metadata).unwrap();
    for (path, bytes) in entries(package) {
        match path.as_str() {
            "metadata.json" => std::fs::write(metadata.join(path), bytes).unwrap(),
            "code.tar.gz" => tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()))
                .unpack(&source)
                .unwrap(),
            other => panic!("unexpected top-level file {other}"),
        }
    }
    (source, metadata)
}

fn run(program: &str, args: &[&Path]) -> std::process::Output {
    Command::new(builder(program)).args(args).output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_external_builder_launches_a_binary_package() {
    let dir = tempfile::tempdir().unwrap();
    let indexes = dir.path().join("indexes");
    std::fs::create_dir(&indexes).unwrap();
    std::fs::write(
        indexes.join("owner.json"),
        br#"{"index":{"fields":["Owner"]},"name":"owner","type":"json"}"#,
    )
    .unwrap();
    let (bytes, package_id) = package(
        dir.path(),
        &[
            "--label",
            "basic_1.0",
            "--binary",
            "--executable",
            BINARY,
            "--indexes",
            indexes.to_str().unwrap(),
        ],
    );

    let (source, metadata) = unpack(&bytes, dir.path());
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(metadata.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(
        (meta["type"].as_str(), meta["label"].as_str()),
        (Some("fabric-contract-rust"), Some("basic_1.0"))
    );

    assert!(
        run("detect", &[&source, &metadata]).status.success(),
        "detect claims our package type"
    );
    let (build_out, release_out, run_meta) = (
        dir.path().join("build"),
        dir.path().join("release"),
        dir.path().join("run"),
    );
    for d in [&build_out, &release_out, &run_meta] {
        std::fs::create_dir(d).unwrap();
    }
    let built = run("build", &[&source, &metadata, &build_out]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(run("release", &[&build_out, &release_out]).status.success());
    assert!(
        release_out
            .join("statedb/couchdb/indexes/owner.json")
            .is_file(),
        "indexes are released to the peer"
    );

    let peer = EmulatedPeer::new(
        PeerOptions::default()
            .chaincode(ChaincodeDefinition::new("basic").registration_id(&package_id)),
    );
    let address = peer.serve_tcp("127.0.0.1:0").await.unwrap();
    let chaincode_json = serde_json::json!({
        "chaincode_id": package_id, "peer_address": address.to_string(),
        "client_cert": "", "client_key": "", "root_cert": "", "mspid": "Org1MSP",
    });
    std::fs::write(run_meta.join("chaincode.json"), chaincode_json.to_string()).unwrap();
    let child = Command::new(builder("run"))
        .arg(&build_out)
        .arg(&run_meta)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let _process = Process(child);
    peer.wait_registered(&package_id, Duration::from_secs(20))
        .await
        .expect("the launched chaincode registers");
    let init = peer
        .invoke(Invocation::submit("basic", ["InitLedger"]))
        .await
        .unwrap();
    assert_eq!(init.response.status, 200);
    let read = peer
        .invoke(Invocation::evaluate("basic", ["ReadAsset", "asset3"]))
        .await
        .unwrap();
    assert_eq!(
        read.response.payload,
        br#"{"AppraisedValue":500,"Color":"green","ID":"asset3","Owner":"Jin Soo","Size":10}"#
    );
}

#[test]
fn detect_refuses_other_package_types_and_build_needs_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _) = package(
        dir.path(),
        &["--label", "basic_1.0", "--address", "127.0.0.1:9999"],
    );
    let (source, metadata) = unpack(&bytes, dir.path());
    assert!(
        !run("detect", &[&source, &metadata]).status.success(),
        "a ccaas package is left to the ccaas builder"
    );
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let built = run("build", &[&source, &metadata, &out]);
    assert!(!built.status.success());
    assert!(String::from_utf8_lossy(&built.stderr).contains("no 'chaincode' executable"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ccaas_package_points_the_peer_at_the_running_service() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let (bytes, package_id) = package(dir.path(), &["--label", "basic_1.0", "--address", &address]);
    let (source, _) = unpack(&bytes, dir.path());
    let connection: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("connection.json")).unwrap()).unwrap();
    assert_eq!(connection["address"], address.as_str());
    assert_eq!(connection["tls_required"], false);

    let child = Command::new(BINARY)
        .env("CHAINCODE_SERVER_ADDRESS", &address)
        .env("CHAINCODE_ID", &package_id)
        .env_remove("CORE_CHAINCODE_ID_NAME")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let _process = Process(child);
    let peer = EmulatedPeer::new(
        PeerOptions::default()
            .chaincode(ChaincodeDefinition::new("basic").registration_id(&package_id)),
    );
    let target = format!("http://{}", connection["address"].as_str().unwrap());
    let mut connected = Err(String::new());
    for _ in 0..100 {
        connected = peer
            .connect_ccaas(&target, None)
            .await
            .map_err(|e| e.to_string());
        if connected.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    connected.expect("the peer reaches the chaincode service");
    peer.wait_registered(&package_id, Duration::from_secs(20))
        .await
        .unwrap();
    let exists = peer
        .invoke(Invocation::evaluate("basic", ["AssetExists", "asset1"]))
        .await
        .unwrap();
    assert_eq!(exists.response.payload, b"false");
}
