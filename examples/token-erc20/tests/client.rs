//! `client --lang ts|rust`: the committed TypeScript and Rust clients match what the binary
//! generates from the metadata it serves.

use std::path::Path;

use fabric_contract_tests::clients::assert_committed_client_is_current;

const TOKEN: &str = env!("CARGO_BIN_EXE_token-erc20");

#[test]
fn committed_typescript_client_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/ts");
    assert_committed_client_is_current(TOKEN, "ts", &dir);
}

#[test]
fn committed_rust_client_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/rust/src");
    assert_committed_client_is_current(TOKEN, "rust", &dir);
}
