//! A chaincode binary's `client` subcommand, as the example crates' tests run it against their
//! committed clients.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `CHAINCODE client --lang LANG`, with `--check` when `check`, writing to or checking `out`.
///
/// ```no_run
/// let printed = fabric_contract_tests::clients::client("target/debug/my-cc", "ts", false, None);
/// assert!(printed.status.success());
/// ```
pub fn client(chaincode: &str, lang: &str, check: bool, out: Option<&Path>) -> Output {
    let mut command = Command::new(chaincode);
    command.args(["client", "--lang", lang]);
    if check {
        command.arg("--check");
    }
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {chaincode}: {e}"))
}

/// Asserts that the client committed in `dir` is what `chaincode` generates for `lang`, with the
/// tool's explanation when it is not.
pub fn assert_committed_client_is_current(chaincode: &str, lang: &str, dir: &Path) {
    let out = client(chaincode, lang, true, Some(dir));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
