//! `client --lang ts|rust`: the committed TypeScript and Rust clients match what the binary
//! generates from the metadata it serves, and `--check` catches a stale one.

use std::path::Path;

use fabric_contract_tests::clients::{assert_committed_client_is_current, client};

const BASIC: &str = env!("CARGO_BIN_EXE_asset-transfer-basic");

#[test]
fn committed_typescript_client_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/ts");
    assert_committed_client_is_current(BASIC, "ts", &dir);
}

#[test]
fn committed_rust_client_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/rust/src");
    assert_committed_client_is_current(BASIC, "rust", &dir);
}

#[test]
fn rust_client_check_fails_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.rs"), "// stale\n").unwrap();
    let check = client(BASIC, "rust", true, Some(dir.path()));
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("client.rs is out of date"));
    let write = client(BASIC, "rust", false, Some(dir.path()));
    assert!(write.status.success());
    let written = std::fs::read_to_string(dir.path().join("client.rs")).unwrap();
    assert!(written.contains("pub struct SmartContractClient {"));
}

#[test]
fn check_fails_on_a_stale_client_and_out_regenerates_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.ts"), "// stale\n").unwrap();
    let check = client(BASIC, "ts", true, Some(dir.path()));
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("is out of date"));

    let write = client(BASIC, "ts", false, Some(dir.path()));
    assert!(write.status.success());
    let written = std::fs::read_to_string(dir.path().join("client.ts")).unwrap();
    assert!(written.contains("export class SmartContractClient {"));
    let stdout = client(BASIC, "ts", false, None);
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), written);
}
