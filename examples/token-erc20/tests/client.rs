//! `client --lang ts|rust`: the committed TypeScript and Rust clients match what the binary
//! generates from the metadata it serves.

use std::process::Command;

const TOKEN: &str = env!("CARGO_BIN_EXE_token-erc20");

#[test]
fn committed_typescript_client_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/ts");
    let out = Command::new(TOKEN)
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
    let out = Command::new(TOKEN)
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
