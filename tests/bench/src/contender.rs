//! A contender is just a command: any chaincode binary that registers with a
//! peer given Fabric's usual environment and `-peer.address` flag.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The transport floor's name (bare tonic, no framework, no ledger calls).
pub const FLOOR: &str = "floor";
/// The ledger-calling floor's name (bare tonic, the workloads' ledger calls, no framework).
pub const LEDGER_FLOOR: &str = "ledger-floor";
/// The raw handler API contender's name.
pub const RAW: &str = "raw";
/// The `#[contract]` contender's name.
pub const CONTRACT: &str = "contract";

/// One chaincode under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contender {
    /// Short name used in tables (`floor`, `raw`, `contract` get ratios).
    pub name: String,
    /// The executable.
    pub program: PathBuf,
    /// Arguments before the `-peer.address=…` flag the driver adds.
    pub args: Vec<String>,
}

/// A `--contender` value that is not `NAME=PROGRAM [ARGS…]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad contender {0:?}: expected NAME=PROGRAM [ARGS...], e.g. raw=target/release/raw-asset-transfer"
)]
pub struct BadContender(pub String);

impl Contender {
    /// A contender running `program` without extra arguments.
    pub fn new(name: &str, program: impl Into<PathBuf>) -> Self {
        Self {
            name: name.to_owned(),
            program: program.into(),
            args: Vec::new(),
        }
    }

    /// Parses `NAME=PROGRAM [ARGS…]` (arguments split on whitespace).
    ///
    /// ```
    /// use fabric_contract_bench::contender::Contender;
    /// let c = Contender::parse("go=/opt/cc/basic --verbose").unwrap();
    /// assert_eq!((c.name.as_str(), c.args.as_slice()), ("go", &["--verbose".to_string()][..]));
    /// assert!(Contender::parse("just-a-path").is_err());
    /// ```
    pub fn parse(spec: &str) -> Result<Self, BadContender> {
        let bad = || BadContender(spec.to_owned());
        let (name, command) = spec.split_once('=').ok_or_else(bad)?;
        let mut words = command.split_whitespace();
        let program = words.next().ok_or_else(bad)?;
        if name.is_empty() {
            return Err(bad());
        }
        Ok(Self {
            name: name.to_owned(),
            program: program.into(),
            args: words.map(str::to_owned).collect(),
        })
    }

    /// Starts the chaincode as a peer would launch it: registering as
    /// `chaincode_id`, dialling `peer` without TLS. Standard output is
    /// discarded; standard error is kept so a failing contender explains itself.
    pub fn spawn(&self, peer: SocketAddr, chaincode_id: &str) -> std::io::Result<Child> {
        Command::new(&self.program)
            .args(&self.args)
            .arg(format!("-peer.address={peer}"))
            .env("CORE_CHAINCODE_ID_NAME", chaincode_id)
            .env("CORE_PEER_TLS_ENABLED", "false")
            .env("CORE_CHAINCODE_LOGGING_LEVEL", "WARNING")
            .env_remove("RUST_LOG")
            .env_remove("CHAINCODE_SERVER_ADDRESS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
    }
}

/// The built-in contenders found in `dir` (where the bench's own binaries
/// are): `floor` = `bare-chaincode`, `ledger-floor` = `ledger-floor`,
/// `raw` = `contender-raw`, and `contract` = `contender-contract` when that
/// binary exists.
pub fn defaults(dir: &Path) -> Vec<Contender> {
    let exe = |name: &str| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let mut list = vec![
        Contender::new(FLOOR, exe("bare-chaincode")),
        Contender::new(LEDGER_FLOOR, exe("ledger-floor")),
        Contender::new(RAW, exe("contender-raw")),
    ];
    let contract = exe("contender-contract");
    if contract.exists() {
        list.push(Contender::new(CONTRACT, contract));
    }
    list
}
