//! The Node.js cross-check chaincode (`tests/node/`) as a child process.
//!
//! The Node shim runs in client mode: it dials the peer address it is given, sends REGISTER under the
//! chaincode id it is given and then serves INIT/TRANSACTION messages. TLS is off. The process is killed
//! when the [`NodeChaincode`] value is dropped, so a failing test never leaves it behind.
//!
//! ```no_run
//! use fabric_contract_tests::node::{NodeChaincode, NodeChaincodeKind, node_modules_or_skip};
//!
//! if node_modules_or_skip("my_test").expect("node_modules are required in CI") {
//!     let addr = "127.0.0.1:7052".parse().unwrap();
//!     let _chaincode = NodeChaincode::spawn(NodeChaincodeKind::Raw, addr, "raw:1.0").unwrap();
//!     // ... drive it through a peer listening on `addr` ...
//! }
//! ```

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What can go wrong when preparing or starting the Node chaincode.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// `tests/node/node_modules` is missing while running in CI, where it must have been installed.
    #[error(
        "{test}: {dir} is missing although CI is set; .ci/run must install it with `npm ci` in tests/node"
    )]
    MissingInCi {
        /// The test that needed the modules.
        test: String,
        /// The directory that should exist.
        dir: PathBuf,
    },
    /// The `node` process could not be started.
    #[error(
        "could not start `{program}` in {dir}: {source} (is Node.js >= 18 installed and on PATH?)"
    )]
    Spawn {
        /// The program that was run.
        program: String,
        /// Its working directory.
        dir: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// Which of the two Node chaincodes to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeChaincodeKind {
    /// `raw.js`: a `ChaincodeInterface` (Init/Invoke) on the raw `fabric-shim`, started with `node raw.js`.
    Raw,
    /// `contract.js`: contracts on `fabric-contract-api`, started with `fabric-chaincode-node start`.
    Contract,
}

/// The directory holding `package.json`, `raw.js` and `contract.js`.
pub fn node_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node")
}

/// Whether this run is in CI (environment variable `CI` set to anything but empty, `0` or `false`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "FALSE" | "False"))
}

/// Checks that the npm dependencies are installed.
///
/// Returns `Ok(true)` when they are, `Ok(false)` after printing why the calling test is skipped (outside
/// CI only), and an error in CI, where a missing install is a broken pipeline rather than a reason to
/// skip.
pub fn node_modules_or_skip(test: &str) -> Result<bool, NodeError> {
    let modules = node_dir().join("node_modules");
    let installed = [
        "fabric-shim/package.json",
        "fabric-contract-api/package.json",
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
        "SKIPPED {test}: {} is missing; run `npm ci --prefix tests/node --ignore-scripts` to enable the Node.js cross-checks",
        modules.display()
    );
    Ok(false)
}

/// A running Node chaincode process; killed on drop.
#[derive(Debug)]
pub struct NodeChaincode {
    kind: NodeChaincodeKind,
    child: Child,
    output: Arc<Mutex<Vec<String>>>,
}

impl NodeChaincode {
    /// Starts the chaincode so that it dials `peer` (plain TCP, no TLS) and registers as `chaincode_id`.
    ///
    /// Both the flag `--peer.address` and the id are passed explicitly, and the variables the shim would
    /// otherwise prefer (`CORE_PEER_ADDRESS`, TLS settings) are removed from its environment, so the
    /// developer's shell cannot redirect it.
    pub fn spawn(
        kind: NodeChaincodeKind,
        peer: SocketAddr,
        chaincode_id: &str,
    ) -> Result<Self, NodeError> {
        let dir = node_dir();
        let (program, mut args): (String, Vec<String>) = match kind {
            NodeChaincodeKind::Raw => ("node".into(), vec!["raw.js".into()]),
            NodeChaincodeKind::Contract => (
                dir.join("node_modules/.bin/fabric-chaincode-node")
                    .display()
                    .to_string(),
                vec!["start".into(), "--module-path".into(), ".".into()],
            ),
        };
        args.extend([
            "--peer.address".into(),
            peer.to_string(),
            "--chaincode-id-name".into(),
            chaincode_id.into(),
        ]);
        let mut child = Command::new(&program)
            .args(&args)
            .current_dir(&dir)
            .env_remove("CORE_PEER_ADDRESS")
            .env_remove("CORE_CHAINCODE_ID_NAME")
            .env_remove("CORE_PEER_TLS_ROOTCERT_FILE")
            .env_remove("CORE_TLS_CLIENT_KEY_PATH")
            .env_remove("CORE_TLS_CLIENT_CERT_PATH")
            .env("CORE_PEER_TLS_ENABLED", "false")
            .env("CORE_CHAINCODE_LOGGING_LEVEL", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| NodeError::Spawn {
                program: program.clone(),
                dir: dir.clone(),
                source,
            })?;
        let output = Arc::new(Mutex::new(Vec::new()));
        let label = match kind {
            NodeChaincodeKind::Raw => "node raw",
            NodeChaincodeKind::Contract => "node contract",
        };
        if let Some(out) = child.stdout.take() {
            collect_lines(out, label, Arc::clone(&output));
        }
        if let Some(err) = child.stderr.take() {
            collect_lines(err, label, Arc::clone(&output));
        }
        Ok(Self {
            kind,
            child,
            output,
        })
    }

    /// Which chaincode this is.
    pub fn kind(&self) -> NodeChaincodeKind {
        self.kind
    }

    /// Everything the process printed so far (stdout and stderr interleaved by arrival).
    pub fn output(&self) -> String {
        self.output
            .lock()
            .map(|lines| lines.join("\n"))
            .unwrap_or_default()
    }

    /// The exit status if the process has ended, without waiting.
    pub fn try_exit_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits up to `timeout` for the process to end on its own.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_exit_status() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for NodeChaincode {
    fn drop(&mut self) {
        if self.try_exit_status().is_none() {
            // Already-exited children make kill() fail; nothing else can, so the result is not interesting.
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Copies a pipe line by line into `sink` and to stderr (which the test runner shows for failed tests).
fn collect_lines(
    pipe: impl Read + Send + 'static,
    label: &'static str,
    sink: Arc<Mutex<Vec<String>>>,
) {
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            eprintln!("[{label}] {line}");
            if let Ok(mut lines) = sink.lock() {
                lines.push(line);
            }
        }
    });
}
