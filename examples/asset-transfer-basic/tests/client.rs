//! `client --lang ts|rust`: the committed TypeScript and Rust clients match what the binary
//! generates from the metadata it serves, and `--check` catches a stale one.

use std::process::Command;

const BASIC: &str = env!("CARGO_BIN_EXE_asset-transfer-basic");

#[test]
fn committed_typescript_client_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/ts");
    let out = Command::new(BASIC)
        .args(["client", "--lang", "ts", "--check", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn committed_rust_client_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/rust/src");
    let out = Command::new(BASIC)
        .args(["client", "--lang", "rust", "--check", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rust_client_check_fails_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.rs"), "// stale\n").unwrap();
    let check = Command::new(BASIC)
        .args(["client", "--lang", "rust", "--check", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("client.rs is out of date"));
    let write = Command::new(BASIC)
        .args(["client", "--lang", "rust", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(write.status.success());
    let written = std::fs::read_to_string(dir.path().join("client.rs")).unwrap();
    assert!(written.contains("pub struct SmartContractClient {"));
}

#[test]
fn check_fails_on_a_stale_client_and_out_regenerates_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.ts"), "// stale\n").unwrap();
    let check = Command::new(BASIC)
        .args(["client", "--lang", "ts", "--check", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("is out of date"));

    let write = Command::new(BASIC)
        .args(["client", "--lang", "ts", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(write.status.success());
    let written = std::fs::read_to_string(dir.path().join("client.ts")).unwrap();
    assert!(written.contains("export class SmartContractClient {"));
    let stdout = Command::new(BASIC)
        .args(["client", "--lang", "ts"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), written);
}
