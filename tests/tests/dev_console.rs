//! The `dev` subcommand: a script against the built-in emulated peer, with the
//! ledger persisted in the working directory between runs.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `registry-v1 dev` in `dir` with `script` on standard input; returns stdout.
fn dev(dir: &std::path::Path, extra: &[&str], script: &str) -> (String, bool) {
    run(env!("CARGO_BIN_EXE_registry-v1"), dir, extra, script)
}

/// Runs the composite-key auction's console in memory.
fn auction(script: &str) -> (String, bool) {
    let dir = tempfile::tempdir().unwrap();
    run(
        env!("CARGO_BIN_EXE_auction-dev"),
        dir.path(),
        &["--in-memory"],
        script,
    )
}

fn run(binary: &str, dir: &std::path::Path, extra: &[&str], script: &str) -> (String, bool) {
    let mut child = Command::new(binary)
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
        "# a comment\nsubmit Register alice alice@example.com\nevaluate Get alice\n!evaluate Get nobody\nhistory alice\nquit\nsubmit Register never never\n",
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
    assert!(out.contains("(failed as expected)"), "{out}");
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
        &["--in-memory", "--keep-going"],
        "as bob@Org2MSP role=auditor\nwhoami\ntransient price=9\nfrobnicate\nsubmit Nope\nevaluate Get\nmetadata\n",
    );
    assert!(!ok, "--keep-going runs every line, and still fails: {out}");
    assert!(
        out.contains("bob@Org2MSP (MSP Org2MSP, id x509::CN=bob,OU=client,O=Hyperledger"),
        "{out}"
    );
    assert!(out.contains("error: unknown command `frobnicate`"), "{out}");
    assert!(
        out.contains("message: Function Nope not found in contract Registry"),
        "{out}"
    );
    assert!(
        out.contains("error: no transaction `Nope`; available: Get, Register"),
        "submit Nope lists the transactions: {out}"
    );
    assert!(out.contains("incorrect number of params"), "{out}");
    assert!(
        out.contains("error: `Get` takes 1 argument(s) (name), got 0"),
        "a wrong count names the parameters: {out}"
    );
    assert!(out.contains("\"org.hyperledger.fabric\""), "{out}");
    assert!(
        out.contains("transient data set for the next call: [\"price\"]"),
        "{out}"
    );
    assert!(out.contains("3 command(s) failed"), "{out}");
}

#[test]
fn a_script_stops_at_the_first_unexpected_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (out, ok) = dev(dir.path(), &["--in-memory"], "submit Nope\nstate\n");
    assert!(!ok, "{out}");
    assert!(out.contains("script stopped at line 1"), "{out}");
    assert!(!out.contains("> state"), "{out}");

    let (out, ok) = dev(dir.path(), &["--in-memory"], "! submit Nope\nstate\n");
    assert!(ok, "a failure marked `!` is expected: {out}");
    assert!(
        out.contains("(failed as expected)") && out.contains("> state"),
        "{out}"
    );

    let (out, ok) = dev(dir.path(), &["--in-memory"], "!state\n");
    assert!(!ok, "a `!` line that succeeds fails the script: {out}");
    assert!(
        out.contains("marked `!` (expected to fail) but succeeded"),
        "{out}"
    );
}

#[test]
fn composite_keys_are_reachable() {
    let (out, ok) = auction(
        "submit CreateAuction a1 bike\nsubmit CreateAuction a2 lamp\nsubmit Bid a1 alice 10\nsubmit Bid a1 bob 12\nsubmit Bid a2 carol 3\n\
         state\nget auction a1\nget ·auction·a2·\nget -c auction a1\nhistory auction a1\n\
         state -c bid\nstate bid a1\nstate ·auction·\n",
    );
    assert!(ok, "{out}");
    let after = |command: &str| -> String {
        let start = out
            .find(&format!("> {command}\n"))
            .unwrap_or_else(|| panic!("{command}: {out}"))
            + command.len()
            + 3;
        let rest = &out[start..];
        rest[..rest.find("\n> ").map_or(rest.len(), |i| i + 1)].to_owned()
    };
    assert!(after("state").contains("·auction·a1·  bike"), "{out}");
    assert_eq!(after("get auction a1"), "bike\n");
    assert_eq!(after("get ·auction·a2·"), "lamp\n");
    assert_eq!(after("get -c auction a1"), "bike\n");
    assert_eq!(
        after("state -c bid"),
        "·bid·a1·alice·  10\n·bid·a1·bob·  12\n·bid·a2·carol·  3\n"
    );
    assert_eq!(
        after("state bid a1"),
        "·bid·a1·alice·  10\n·bid·a1·bob·  12\n"
    );
    assert_eq!(
        after("state ·auction·"),
        "·auction·a1·  bike\n·auction·a2·  lamp\n"
    );

    // History timestamps are RFC 3339 (UTC).
    let history = after("history auction a1");
    let (_, at) = history.split_once(" at ").expect(&history);
    let (stamp, value) = at.split_once(": ").expect(&history);
    assert_eq!(value, "bike\n");
    let bytes = stamp.as_bytes();
    assert!(
        stamp.len() >= 20
            && stamp.ends_with('Z')
            && [4, 7].iter().all(|&i| bytes[i] == b'-')
            && bytes[10] == b'T'
            && [13, 16].iter().all(|&i| bytes[i] == b':')
            && stamp[..4].parse::<u32>().is_ok_and(|y| y >= 2024),
        "{stamp}"
    );
}

#[test]
fn reset_refuses_arguments_and_says_what_it_removes() {
    let (out, ok) = auction(
        "submit CreateAuction a1 bike\n!reset a1\nget auction a1\n!reset\nget auction a1\nreset --yes\nstate\n",
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("error: `reset` empties the whole ledger and takes no key (got `a1`)"),
        "{out}"
    );
    assert_eq!(
        out.matches("> get auction a1\nbike\n").count(),
        2,
        "neither `reset a1` nor a bare `reset` removes anything: {out}"
    );
    assert!(
        out.contains("error: `reset` would remove the whole ledger: all world state (1 key(s) of `registry` on `mychannel`)")
            && out.contains("Type `reset --yes` to do it"),
        "{out}"
    );
    assert!(out.contains("removed the whole ledger"), "{out}");
    assert!(out.ends_with("> state\n(empty)\n"), "{out}");
}

#[test]
fn transactions_describe_themselves() {
    let (out, ok) = auction("tx\ndescribe Bid\n!tx Nope\n");
    assert!(ok, "{out}");
    assert!(
        out.contains("> tx\nsubmit Bid(auction: string, bidder: string, amount: integer (uint64))\nsubmit CreateAuction(id: string, item: string)\nevaluate GetAuction(id: string) -> string\n"),
        "{out}"
    );
    assert!(
        out.contains("> describe Bid\nsubmit Bid(auction: string, bidder: string, amount: integer (uint64))\n  Records a bid on an auction.\n  auction: string\n"),
        "{out}"
    );
    assert!(
        out.contains("error: no transaction `Nope`; available: Bid, CreateAuction, GetAuction"),
        "{out}"
    );
}
