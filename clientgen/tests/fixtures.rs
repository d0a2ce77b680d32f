//! Clients generated from `tests/fixtures/coded.metadata.json` (a contract publishing error
//! codes, which the examples, byte-compatible with the Go samples, do not): committed where the
//! language's tests decode real Gateway errors with them —
//! `examples/asset-transfer-basic/clients/rust/tests/coded_errors.rs` (Rust) and
//! `tests/gateway-node/typed-errors.ts` (TypeScript, run here when the Node modules are
//! installed).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture() -> String {
    std::fs::read_to_string(root().join("clientgen/tests/fixtures/coded.metadata.json")).unwrap()
}

fn current(generated: &str, committed: &str) {
    let path = root().join(committed);
    if std::env::var_os("CLIENTGEN_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).expect("committed fixture client");
    assert_eq!(
        on_disk, generated,
        "{committed} is stale; regenerate with CLIENTGEN_BLESS=1"
    );
}

#[test]
fn committed_fixture_clients_are_current() {
    let metadata = fixture();
    current(
        &fabric_contract_clientgen::rust(&metadata).unwrap(),
        "examples/asset-transfer-basic/clients/rust/tests/coded/client.rs",
    );
    current(
        &fabric_contract_clientgen::typescript(&metadata).unwrap(),
        "tests/gateway-node/fixtures/coded-client.ts",
    );
}

#[test]
fn typescript_error_classes_decode_gateway_errors() {
    let app = root().join("tests/gateway-node");
    let bin = app.join("node_modules/.bin");
    if !bin.join("tsc").is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing in CI (.ci/run installs it)",
            bin.display()
        );
        eprintln!(
            "SKIPPED typescript_error_classes_decode_gateway_errors: run `npm ci --prefix tests/gateway-node --ignore-scripts`"
        );
        return;
    }
    let tsc = std::process::Command::new(bin.join("tsc"))
        .args(["-p", "tsconfig.typed-errors.json"])
        .current_dir(&app)
        .output()
        .expect("tsc runs");
    assert!(
        tsc.status.success(),
        "tsc --strict rejected typed-errors.ts:\n{}",
        String::from_utf8_lossy(&tsc.stdout)
    );
    let node = std::process::Command::new("node")
        .arg("build/errors/tests/gateway-node/typed-errors.js")
        .current_dir(&app)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&node.stdout);
    assert!(
        node.status.success() && stdout.contains("ALL OK"),
        "typed-errors.js failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&node.stderr)
    );
}

/// Every metadata document the repository commits turns into both clients, deterministically,
/// and the Rust one is valid Rust (the examples' clients are compiled by their crates).
#[test]
fn every_committed_metadata_document_generates() {
    for path in [
        "examples/asset-transfer-basic/metadata.json",
        "examples/asset-transfer-private-data/metadata.json",
        "examples/token-erc20/metadata.json",
        "examples/conformance/metadata/advancedtypes.json",
        "examples/conformance/metadata/private.json",
        "examples/conformance/metadata/simple.json",
        "examples/conformance/metadata/transactionhooks.json",
        "clientgen/tests/fixtures/coded.metadata.json",
    ] {
        let metadata = std::fs::read_to_string(root().join(path)).unwrap();
        let rs =
            fabric_contract_clientgen::rust(&metadata).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            rs,
            fabric_contract_clientgen::rust(&metadata).unwrap(),
            "{path}"
        );
        syn::parse_file(&rs).unwrap_or_else(|e| panic!("{path}: not Rust: {e}"));
        let ts = fabric_contract_clientgen::typescript(&metadata)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(ts.contains("Client {"), "{path}");
        if let Some(dir) = std::env::var_os("CLIENTGEN_DUMP_DIR") {
            let stem = path.replace('/', "_");
            std::fs::write(Path::new(&dir).join(format!("{stem}.rs")), &rs).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{stem}.ts")), &ts).unwrap();
        }
    }
}

/// Parameters named like what a generated method body uses keep working: they are renamed, and the
/// wire names (argument order, transient keys) do not change.
#[test]
fn parameters_cannot_shadow_generated_names() {
    let md = r#"{"info":{"title":"t","version":"1"},"contracts":{"C":{"name":"C","default":true,
      "transactions":[{"name":"Echo","tag":["submit"],"returns":{"type":"string"},
        "parameters":[{"name":"text","schema":{"type":"string"}},{"name":"call","schema":{"type":"string"}},
          {"name":"args","schema":{"type":"string"}}],
        "x-transient":[{"name":"bytes","schema":{"type":"string"}}]}]}}}"#;
    let rs = fabric_contract_clientgen::rust(md).unwrap();
    assert!(
        rs.contains(
            "text_: &str,\n        call_: &str,\n        args: &str,\n        bytes_: &str,"
        ),
        "{rs}"
    );
    assert!(rs.contains("call = call.arg(call_);"), "{rs}");
    assert!(
        rs.contains("call = call.transient(\"bytes\", bytes_);"),
        "{rs}"
    );
    let ts = fabric_contract_clientgen::typescript(md).unwrap();
    assert!(ts.contains("async submitEcho(text_: string, call_: string, args_: string, bytes_: string): Promise<string> {"), "{ts}");
    assert!(
        ts.contains("const args: string[] = [text_, call_, args_];"),
        "{ts}"
    );
    assert!(
        ts.contains("const transientData = { bytes: bytes_ };"),
        "{ts}"
    );
}
