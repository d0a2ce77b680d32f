//! Client applications written with the official `@hyperledger/fabric-gateway` Node client
//! (`tests/gateway-node/`), run against the dev peer's Gateway service.
//!
//! ```no_run
//! use fabric_contract_tests::gateway_node::{gateway_modules_or_skip, run_app};
//!
//! if gateway_modules_or_skip("my_test").expect("node_modules are required in CI") {
//!     let output = run_app("basic.js", &[("GATEWAY_ENDPOINT", "127.0.0.1:7051".into())]).unwrap();
//!     assert!(output.status.success(), "{}", output.stderr);
//! }
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::node::{NodeError, in_ci};

/// The directory holding the Gateway client applications and their `package.json`.
pub fn gateway_app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gateway-node")
}

/// Checks that `@hyperledger/fabric-gateway` and `@grpc/grpc-js` are installed.
///
/// `Ok(true)` when they are; `Ok(false)` after printing why the test is skipped (outside CI only);
/// an error in CI, where a missing install is a broken pipeline.
pub fn gateway_modules_or_skip(test: &str) -> Result<bool, NodeError> {
    let modules = gateway_app_dir().join("node_modules");
    let installed = [
        "@hyperledger/fabric-gateway/package.json",
        "@grpc/grpc-js/package.json",
    ]
    .iter()
    .all(|p| modules.join(p).is_file());
    if installed {
        return Ok(true);
    }
    if in_ci() {
        return Err(NodeError::MissingInCi {
            test: test.to_owned(),
            dir: modules,
        });
    }
    eprintln!(
        "SKIPPED {test}: {} is missing; run `npm ci --prefix tests/gateway-node --ignore-scripts` to enable the Gateway client tests",
        modules.display()
    );
    Ok(false)
}

/// What a finished application printed.
#[derive(Debug)]
pub struct AppOutput {
    /// Exit status.
    pub status: std::process::ExitStatus,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `node <script>` in the application directory with `env` and waits for it.
pub fn run_app(script: &str, env: &[(&str, String)]) -> Result<AppOutput, NodeError> {
    let dir = gateway_app_dir();
    let output = Command::new("node")
        .arg(script)
        .current_dir(&dir)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .map_err(|source| NodeError::Spawn {
            program: format!("node {script}"),
            dir: dir.clone(),
            source,
        })?;
    Ok(AppOutput {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Compiles the typed applications of `tsconfig` (a file in the application directory) with the
/// pinned `tsc`, and asserts that `--strict` accepts them, with its complaints when it does not.
pub fn compile_typescript(tsconfig: &str) {
    let dir = gateway_app_dir();
    let tsc = Command::new(dir.join("node_modules/.bin/tsc"))
        .args(["-p", tsconfig])
        .current_dir(&dir)
        .output()
        .expect("tsc runs");
    assert!(
        tsc.status.success(),
        "tsc --strict rejected the typed application:\n{}",
        String::from_utf8_lossy(&tsc.stdout)
    );
}

/// The `fabric-dev-gateway` program (what `<chaincode> dev --gateway` runs), built on first use.
///
/// Cargo builds a package's programs only for that package's own tests, so a chaincode's test finds
/// the Gateway program next to its own binaries once `cargo build -p fabric-dev-gateway` has run; this
/// runs it (quick: the library is already built as a dependency of the test).
pub fn dev_gateway_program() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the test binary is not under target/<profile>/deps")?;
    let program = profile_dir.join(format!(
        "fabric-dev-gateway{}",
        std::env::consts::EXE_SUFFIX
    ));
    if program.is_file() {
        return Ok(program);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args([
        "build",
        "-p",
        "fabric-dev-gateway",
        "--bin",
        "fabric-dev-gateway",
    ]);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    if let Some(target) = profile_dir.parent() {
        build.env("CARGO_TARGET_DIR", target);
    }
    let status = build
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() || !program.is_file() {
        return Err(format!(
            "`cargo build -p fabric-dev-gateway` failed ({status})"
        ));
    }
    Ok(program)
}
