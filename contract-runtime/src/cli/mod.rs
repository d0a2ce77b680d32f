//! The chaincode binary's command line: `serve` (default), `metadata`, `dev`, `package`.
//!
//! A bare start serves, so the binary behaves like any Fabric chaincode: the
//! peer (or an external builder, or a container) starts it with Fabric's
//! usual environment variables and flags (`-peer.address=…`), which are read
//! by [`Settings`](crate::shim::Settings), not by clap.

#[cfg(feature = "testing")]
#[cfg(feature = "client")]
mod client;
mod dev;
#[cfg(feature = "testing")]
mod dev_command;
#[cfg(feature = "testing")]
mod dev_gateway;
mod package;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::chaincode::Chaincode;
use crate::contract::{ContractChaincode, ContractSet};
use crate::metadata::metadata_json;

/// What the command line needs from a chaincode program.
///
/// `#[contract]` types get this through [`run`]; a raw
/// [`Chaincode`] through [`run_chaincode`].
pub trait Program: Send + Sync + 'static {
    /// The chaincode served.
    type Chaincode: Chaincode;

    /// A fresh chaincode instance.
    fn chaincode(&self) -> Self::Chaincode;

    /// The `GetMetadata` document, or why there is none.
    fn metadata(&self) -> Result<String, String>;
}

/// A program made of a raw chaincode factory, without metadata.
struct RawProgram<F>(F);

impl<C: Chaincode, F: Fn() -> C + Send + Sync + 'static> Program for RawProgram<F> {
    type Chaincode = C;

    fn chaincode(&self) -> C {
        (self.0)()
    }

    fn metadata(&self) -> Result<String, String> {
        Err("this chaincode has no contract metadata (it is not built with #[contract])".into())
    }
}

/// A program made of `#[contract]` types.
struct ContractProgram<S>(std::marker::PhantomData<fn() -> S>);

impl<S: ContractSet + Default> Program for ContractProgram<S> {
    type Chaincode = ContractChaincode<S>;

    fn chaincode(&self) -> ContractChaincode<S> {
        ContractChaincode::new(S::default())
    }

    fn metadata(&self) -> Result<String, String> {
        metadata_json::<S>().map_err(|e| e.to_string())
    }
}

/// Runs `#[contract]` types as a chaincode with the full command line: the
/// one line of a contract's `main`. `S` is one contract type or a tuple of them
/// (the first, or the one marked `default`, receives unprefixed names).
///
/// ```no_run
/// # #[derive(Default)] struct AssetTransfer;
/// # #[fabric_contract::contract]
/// # impl AssetTransfer {
/// #     #[evaluate]
/// #     async fn ping(&self, _ctx: &fabric_contract::EvaluateCtx) -> String { "pong".into() }
/// # }
/// fn main() -> std::process::ExitCode {
///     fabric_contract::run::<AssetTransfer>()
/// }
/// ```
pub fn run<S: ContractSet + Default>() -> ExitCode {
    run_program(ContractProgram::<S>(std::marker::PhantomData))
}

/// Runs a raw [`Chaincode`] with the full command line.
///
/// ```no_run
/// # use fabric_contract::{Chaincode, Response, Stub};
/// # #[derive(Clone)] struct Echo;
/// # impl Chaincode for Echo {
/// #     async fn init(&self, _: &Stub) -> Response { Response::success(vec![]) }
/// #     async fn invoke(&self, s: &Stub) -> Response { Response::success(s.args().concat()) }
/// # }
/// fn main() -> std::process::ExitCode {
///     fabric_contract::cli::run_chaincode(|| Echo)
/// }
/// ```
pub fn run_chaincode<C: Chaincode>(make: impl Fn() -> C + Send + Sync + 'static) -> ExitCode {
    run_program(RawProgram(make))
}

#[derive(Debug, Parser)]
#[command(
    about = "A Hyperledger Fabric chaincode built with fabric-contract",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the peer (the default): client mode, or chaincode-as-a-service when
    /// CHAINCODE_SERVER_ADDRESS is set. Flags: --client, --server, --chaincode-json FILE,
    /// -peer.address=host:port.
    Serve {
        /// Fabric's flags, passed through.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Print the contract metadata (what org.hyperledger.fabric:GetMetadata returns).
    Metadata {
        /// Write it to this file instead of standard output.
        #[arg(long, conflicts_with = "check")]
        out: Option<PathBuf>,
        /// Fail if this file differs from the current metadata (interface drift check).
        #[arg(long)]
        check: Option<PathBuf>,
    },
    /// Write an installable chaincode package and print its package ID.
    Package(package::PackageArgs),
    /// Run the contract against the built-in emulated peer: an interactive console
    /// (or a script) to submit and evaluate transactions and inspect the ledger.
    #[cfg(feature = "testing")]
    Dev(dev::DevArgs),
    /// Generate a typed client from the contract metadata.
    #[cfg(feature = "client")]
    Client(client::ClientArgs),
}

const SUBCOMMANDS: &[&str] = &[
    "serve",
    "metadata",
    "package",
    "dev",
    "client",
    "help",
    "--help",
    "-h",
    "--version",
    "-V",
];

/// Runs a [`Program`] with the full command line and returns the exit code.
pub fn run_program<P: Program>(program: P) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // Anything that is not one of our subcommands is Fabric's serve flags (`-peer.address=…`).
    let explicit = args
        .get(1)
        .is_some_and(|a| SUBCOMMANDS.contains(&a.as_str()));
    let command = if explicit {
        match Cli::try_parse_from(&args) {
            Ok(cli) => cli.command,
            Err(e) => {
                let _ = e.print();
                return if e.use_stderr() {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
        }
    } else {
        Command::Serve {
            args: args[1..].to_vec(),
        }
    };
    match command {
        Command::Serve { args } => serve::run(program, args),
        Command::Metadata { out, check } => metadata(&program, out, check),
        Command::Package(args) => match package::run(&args) {
            Ok(report) => {
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(message) => fail(2, &message),
        },
        #[cfg(feature = "testing")]
        Command::Dev(args) => dev::run(program, args),
        #[cfg(feature = "client")]
        Command::Client(args) => match program.metadata().and_then(|m| client::run(&m, &args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(1, &message),
        },
    }
}

fn metadata<P: Program>(program: &P, out: Option<PathBuf>, check: Option<PathBuf>) -> ExitCode {
    let document = match program.metadata() {
        Ok(document) => document,
        Err(message) => return fail(2, &message),
    };
    if let Some(path) = check {
        return match std::fs::read_to_string(&path) {
            Ok(committed) if committed.trim_end() == document => ExitCode::SUCCESS,
            Ok(_) => fail(
                1,
                &format!(
                    "{} is out of date: regenerate it with `metadata --out {}`",
                    path.display(),
                    path.display()
                ),
            ),
            Err(e) => fail(2, &format!("cannot read {}: {e}", path.display())),
        };
    }
    match out {
        Some(path) => match std::fs::write(&path, format!("{document}\n")) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(2, &format!("cannot write {}: {e}", path.display())),
        },
        None => {
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{document}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(1, &format!("cannot write the metadata: {e}")),
            }
        }
    }
}

/// Prints one error line and returns `code`.
fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

/// Logs to standard error. `RUST_LOG` wins; otherwise Fabric's
/// `CORE_CHAINCODE_LOGGING_LEVEL` (DEBUG, INFO, WARNING, ERROR, CRITICAL) applies.
fn init_tracing() {
    let fabric_level = std::env::var("CORE_CHAINCODE_LOGGING_LEVEL")
        .ok()
        .map(|level| match level.to_ascii_uppercase().as_str() {
            "DEBUG" => "debug",
            "WARNING" | "WARN" => "warn",
            "ERROR" | "CRITICAL" | "FATAL" | "PANIC" => "error",
            _ => "info",
        });
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(fabric_level.unwrap_or("info")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
