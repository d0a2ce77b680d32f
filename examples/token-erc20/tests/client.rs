//! `client --lang ts`: the committed TypeScript client matches what the binary generates from the
//! metadata it serves.

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
