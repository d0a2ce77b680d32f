//! The chaincode binary's command line: `serve` (default), `metadata`, `dev`, `package`.
//!
//! A bare start serves, so the binary behaves like any Fabric chaincode: the
//! peer (or an external builder, or a container) starts it with Fabric's
//! usual environment variables and flags (`-peer.address=…`, as Fabric's
//! container runtime passes it to Go chaincode), which are read by
//! [`Settings`](crate::shim::Settings). Anything else on the command line must
//! be a subcommand or one of its flags: a typo is an error with a suggestion,
//! never a silent `serve`.

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "dev")]
mod dev;
mod package;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use tracing_subscriber::filter::{LevelFilter, Targets};

use crate::chaincode::Chaincode;
use crate::contract::ContractSet;
use crate::contract::router::ContractChaincode;
use crate::contract::set::metadata_json;

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

    /// The chaincode's name and version, as `-V` prints them. The default is the
    /// executable's name without a version.
    fn identity(&self) -> (String, Option<String>) {
        (executable_name(), None)
    }
}

/// The file name this program was started as (`chaincode` when unknown).
fn executable_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|arg0| {
            std::path::Path::new(&arg0)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "chaincode".to_owned())
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

    /// The user crate's package name and version, captured by `#[contract]`.
    fn identity(&self) -> (String, Option<String>) {
        match S::CONTRACTS.get(S::default_index()) {
            Some(info) => (info.package.to_owned(), Some(info.version.to_owned())),
            None => (executable_name(), None),
        }
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
/// # use fabric_contract::prelude::*;
/// # #[derive(Clone)] struct Echo;
/// # impl Chaincode for Echo {
/// #     async fn init(&self, _: &Stub) -> Response { Response::success(vec![]) }
/// #     async fn invoke(&self, s: &Stub) -> Response { Response::success(s.args().concat()) }
/// # }
/// fn main() -> std::process::ExitCode {
///     fabric_contract::run_chaincode(|| Echo)
/// }
/// ```
pub fn run_chaincode<C: Chaincode>(make: impl Fn() -> C + Send + Sync + 'static) -> ExitCode {
    run_program(RawProgram(make))
}

#[derive(Debug, Parser)]
#[command(about = "A Hyperledger Fabric chaincode built with fabric-contract")]
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
        /// --client | --server | --chaincode-json FILE | -peer.address=host:port
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "FLAGS"
        )]
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
    #[cfg(feature = "dev")]
    Dev(dev::DevArgs),
    /// The dev console: not in this binary (built without the `dev` feature).
    #[cfg(not(feature = "dev"))]
    #[command(disable_help_flag = true)]
    Dev {
        /// Whatever was asked of the console.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Generate a typed client from the contract metadata.
    #[cfg(feature = "client")]
    Client(client::ClientArgs),
}

/// What `dev` answers in a binary built without the dev console.
#[cfg_attr(feature = "dev", allow(dead_code))]
const DEV_LEFT_OUT: &str = "this chaincode binary was built without the dev console \
(the `dev` feature, which production builds leave out with `--no-default-features`). \
Rebuild with it to use `dev`: `cargo run --features dev -- dev ...` in the chaincode's crate, \
or enable `fabric-contract`'s `dev` feature in its Cargo.toml.";

/// The flags that print help or the version rather than serve.
const INFO_FLAGS: &[&str] = &["-h", "--help", "-V", "--version"];

/// Runs a [`Program`] with the full command line and returns the exit code.
pub fn run_program<P: Program>(program: P) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let command = match parse(&program, args) {
        Ok(command) => command,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
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
        #[cfg(feature = "dev")]
        Command::Dev(args) => dev::run(program, args),
        #[cfg(not(feature = "dev"))]
        Command::Dev { .. } => fail(2, DEV_LEFT_OUT),
        #[cfg(feature = "client")]
        Command::Client(args) => match program.metadata().and_then(|m| client::run(&m, &args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(1, &message),
        },
    }
}

/// The command a command line asks for. A start with no argument, or with
/// only flags (what the peer passes: `-peer.address=…`), serves; serve's own
/// checks then refuse unknown flags. Everything else goes through clap, with
/// the chaincode's name and version for `-V` and suggestions for typos.
fn parse<P: Program>(program: &P, args: Vec<String>) -> Result<Command, clap::Error> {
    let flags_only = args
        .get(1)
        .is_none_or(|first| first.starts_with('-') && !INFO_FLAGS.contains(&first.as_str()));
    if flags_only {
        return Ok(Command::Serve {
            args: args.into_iter().skip(1).collect(),
        });
    }
    let (name, version) = program.identity();
    // clap keeps 'static strings; this runs once per process.
    let name: &'static str = Box::leak(name.into_boxed_str());
    let version: &'static str = Box::leak(
        version
            .unwrap_or_else(|| {
                format!(
                    "(no version: a raw chaincode; fabric-contract {})",
                    env!("CARGO_PKG_VERSION")
                )
            })
            .into_boxed_str(),
    );
    let command = Cli::command().name(name).version(version);
    let matches = command.try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches).map(|cli| cli.command)
}

/// The closest of `choices` to `word`, when close enough to be a likely typo.
pub(crate) fn suggest<'a>(word: &str, choices: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    choices
        .iter()
        .map(|c| (distance(&word, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
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
///
/// `RUST_LOG` takes `level` and `target=level` directives, comma-separated (e.g.
/// `warn,fabric_contract=debug`); span-field filters are not supported, which keeps a regex engine
/// out of every chaincode binary (it was a tenth of the code resident in memory).
fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;

    let fabric_level = std::env::var("CORE_CHAINCODE_LOGGING_LEVEL")
        .ok()
        .map(|level| match level.to_ascii_uppercase().as_str() {
            "DEBUG" => LevelFilter::DEBUG,
            "WARNING" | "WARN" => LevelFilter::WARN,
            "ERROR" | "CRITICAL" | "FATAL" | "PANIC" => LevelFilter::ERROR,
            _ => LevelFilter::INFO,
        });
    let filter = log_filter(std::env::var("RUST_LOG").ok().as_deref(), fabric_level);
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
}

/// The filter `RUST_LOG` asks for when it parses, else `fallback` (INFO when absent).
fn log_filter(rust_log: Option<&str>, fallback: Option<LevelFilter>) -> Targets {
    rust_log
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(fallback.unwrap_or(LevelFilter::INFO)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_directives_win_over_fabric_level_and_bad_ones_fall_back() {
        let filter = log_filter(Some("warn,fabric_contract=debug"), Some(LevelFilter::ERROR));
        assert!(filter.would_enable("fabric_contract::shim", &tracing::Level::DEBUG));
        assert!(!filter.would_enable("h2", &tracing::Level::INFO));
        assert!(filter.would_enable("h2", &tracing::Level::WARN));
        let fabric = log_filter(None, Some(LevelFilter::ERROR));
        assert!(!fabric.would_enable("fabric_contract", &tracing::Level::WARN));
        let bad = log_filter(Some("fabric_contract=loud"), None);
        assert!(bad.would_enable("fabric_contract", &tracing::Level::INFO));
        assert!(!bad.would_enable("fabric_contract", &tracing::Level::DEBUG));
    }

    #[test]
    fn dev_is_a_subcommand_with_or_without_the_console() {
        let cli = Cli::try_parse_from(["cc", "dev", "--in-memory", "--name", "basic"]).unwrap();
        assert!(matches!(cli.command, Command::Dev { .. }), "{cli:?}");
    }

    #[test]
    fn the_left_out_message_says_how_to_get_the_console() {
        for needed in ["`dev` feature", "--features dev", "--no-default-features"] {
            assert!(
                DEV_LEFT_OUT.contains(needed),
                "{needed} missing: {DEV_LEFT_OUT}"
            );
        }
    }

    struct Named;

    struct Nothing;

    impl Chaincode for Nothing {
        async fn init(&self, _: &crate::Stub) -> crate::Response {
            crate::Response::success(Vec::new())
        }
        async fn invoke(&self, _: &crate::Stub) -> crate::Response {
            crate::Response::success(Vec::new())
        }
    }

    impl Program for Named {
        type Chaincode = Nothing;
        fn chaincode(&self) -> Nothing {
            Nothing
        }
        fn metadata(&self) -> Result<String, String> {
            Err("none".into())
        }
        fn identity(&self) -> (String, Option<String>) {
            ("auction".into(), Some("2.3.4".into()))
        }
    }

    fn line(words: &[&str]) -> Vec<String> {
        std::iter::once("auction")
            .chain(words.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn a_bare_start_and_fabric_flags_serve() {
        for words in [
            &[][..],
            &["-peer.address=p:7052"],
            &["--peer.address", "p:1"],
        ] {
            let command = parse(&Named, line(words)).unwrap();
            assert!(
                matches!(&command, Command::Serve { args } if args == &line(words)[1..]),
                "{words:?}: {command:?}"
            );
        }
    }

    #[test]
    fn a_mistyped_subcommand_is_an_error_with_a_suggestion() {
        let err = parse(&Named, line(&["metdata"])).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidSubcommand);
        let text = err.render().to_string();
        assert!(
            text.contains("'metdata'") && text.contains("'metadata'"),
            "{text}"
        );

        let err = parse(&Named, line(&["metadata", "--outt", "x"])).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(
            err.render().to_string().contains("--out"),
            "{}",
            err.render()
        );
    }

    #[test]
    fn the_version_is_the_chaincode_s() {
        let err = parse(&Named, line(&["-V"])).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayVersion);
        assert_eq!(err.render().to_string().trim(), "auction 2.3.4");
    }

    #[test]
    fn suggestions_tolerate_small_typos_only() {
        let choices = ["metadata", "package", "serve", "dev"];
        assert_eq!(suggest("metdata", &choices), Some("metadata"));
        assert_eq!(suggest("pakage", &choices), Some("package"));
        assert_eq!(suggest("Serv", &choices), Some("serve"));
        assert_eq!(suggest("frobnicate", &choices), None);
    }
}
