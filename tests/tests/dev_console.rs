//! The `dev` subcommand: a script against the built-in emulated peer, with the
//! ledger persisted in the working directory between runs.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `registry-v1 dev` in `dir` with `script` on standard input; returns stdout.
fn dev(dir: &std::path::Path, extra: &[&str], script: &str) -> (String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_registry-v1"))
        .args(["dev", "--script", "-", "--name", "registry"])
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the dev console starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.success(),
    )
}

#[test]
fn script_runs_transactions_and_the_ledger_persists() {
    let dir = tempfile::tempdir().unwrap();
    let (out, ok) = dev(
        dir.path(),
        &[],
        "# a comment\nsubmit Register alice alice@example.com\nevaluate Get alice\nevaluate Get nobody\nhistory alice\nquit\nsubmit Register never never\n",
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("> submit Register alice alice@example.com\nstatus 200"),
        "{out}"
    );
    assert!(
        out.contains(r#"payload: {"email":"alice@example.com","name":"alice"}"#),
        "{out}"
    );
    assert!(
        out.contains("status 500") && out.contains("message: nobody is not registered"),
        "{out}"
    );
    assert!(!out.contains("never"), "nothing runs after quit: {out}");
    assert!(dir.path().join("fabric-dev.ledger.json").exists());

    let (out, _) = dev(dir.path(), &[], "state\n");
    assert!(
        out.contains(r#"alice  {"email":"alice@example.com","name":"alice"}"#),
        "state survives a restart: {out}"
    );

    let (out, _) = dev(dir.path(), &["--in-memory"], "state\n");
    assert!(out.contains("(empty)"), "--in-memory starts empty: {out}");
}

#[test]
fn identities_transient_data_and_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let (out, ok) = dev(
        dir.path(),
        &["--in-memory"],
        "as bob@Org2MSP role=auditor\nwhoami\ntransient price=9\nfrobnicate\nsubmit Nope\nevaluate Get\nmetadata\n",
    );
    assert!(ok, "mistakes are reported, the console goes on: {out}");
    assert!(
        out.contains("bob@Org2MSP (MSP Org2MSP, id x509::CN=bob,OU=client,O=Hyperledger"),
        "{out}"
    );
    assert!(out.contains("error: unknown command `frobnicate`"), "{out}");
    assert!(
        out.contains("message: Function Nope not found in contract Registry"),
        "{out}"
    );
    assert!(out.contains("incorrect number of params"), "{out}");
    assert!(out.contains("\"org.hyperledger.fabric\""), "{out}");
    assert!(
        out.contains("transient data set for the next call: [\"price\"]"),
        "{out}"
    );
    assert!(out.contains("3 command(s) failed"), "{out}");
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (out, ok) = dev(
        dir.path(),
        &["--in-memory", "--fail-fast"],
        "submit Nope\nstate\n",
    );
    assert!(!ok);
    assert!(!out.contains("> state"), "{out}");
}
