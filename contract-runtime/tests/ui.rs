//! Compile-time checks of the three macros, grouped by macro and topic:
//! `tests/ui/<macro>/{pass,fail}/<topic>/<case>.rs` with `<macro>` one of `contract`, `object`,
//! `error` (`#[derive(ContractError)]`). A `fail` case holds one mistake, with the expected
//! diagnostics in the `.stderr` next to it; a `pass` case must compile and run. One trybuild
//! invocation builds them all, so the crate and its dependencies are compiled once.
//!
//! Diagnostics differ between compiler versions, so the cases run only on the toolchain the
//! `.stderr` files were written with. Regenerate them on purpose with `TRYBUILD=overwrite`.

use std::process::Command;

const PINNED: &str = "rustc 1.95.";

#[test]
fn ui() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !version.starts_with(PINNED) {
        eprintln!("SKIPPED: UI tests need {PINNED}x, found {version:?}");
        return;
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/fail/*/*.rs");
    cases.pass("tests/ui/*/pass/*/*.rs");
}
