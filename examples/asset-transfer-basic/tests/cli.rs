//! The binary's command line as a newcomer meets it: the README's demo script,
//! `-V`, typos, contradictory `package` flags.

use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_asset-transfer-basic");

fn run(args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .env_remove("CORE_CHAINCODE_ID_NAME")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .output()
        .expect("the chaincode binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_readme_demo_script_passes() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/demo.txt");
    let out = run(&["dev", "--in-memory", "--name", "basic", "--script", demo]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("message: the asset asset70 does not exist\n(failed as expected)"),
        "{stdout}"
    );
    assert!(stdout.contains("tx "), "history is shown: {stdout}");
}

#[test]
fn version_is_the_chaincode_s() {
    for flag in ["-V", "--version"] {
        let out = run(&[flag]);
        assert!(out.status.success());
        assert_eq!(text(&out.stdout).trim(), "asset-transfer-basic 1.0.0");
    }
}

#[test]
fn typos_are_errors_with_a_suggestion_not_a_serve() {
    let out = run(&["metdata"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unrecognized subcommand 'metdata'") && stderr.contains("'metadata'"),
        "{stderr}"
    );
    assert!(!stderr.contains("CORE_CHAINCODE_ID_NAME"), "{stderr}");

    let out = run(&["--clinet"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean `--client`?"), "{stderr}");

    let out = run(&["dev", "--in-memroy"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--in-memory"), "{stderr}");

    // Fabric's own flag still reaches serve, which then asks for the chaincode id.
    let out = run(&["-peer.address=127.0.0.1:7052"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("CORE_CHAINCODE_ID_NAME"));
}

#[test]
fn package_refuses_contradictions_and_warns_about_debug_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["package", "--label", "x", "--binary", "--address", "p:1"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--binary cannot be combined with --address")
            && stderr.contains("a binary package needs --binary"),
        "{stderr}"
    );

    let file = dir.path().join("x.tar.gz");
    let out = run(&[
        "package",
        "--label",
        "x",
        "--binary",
        "--out",
        file.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("is a debug build") && stderr.contains("cargo build --release"),
        "the test build is a debug build: {stderr}"
    );
    assert!(file.exists());
}
