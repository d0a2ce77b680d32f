//! `<chaincode> package`: writes an installable package and prints its package ID.

use std::path::{Path, PathBuf};

use crate::package::{self, Connection, ExtraFiles};

/// Options of the `package` subcommand.
#[derive(Debug, clap::Args)]
pub struct PackageArgs {
    /// Package label (letters, digits, `_ . + -`); the package ID is `<label>:<sha256>`.
    #[arg(long)]
    pub label: String,
    /// Write a binary package for our external builder (the peer launches this
    /// executable) instead of a chaincode-as-a-service package.
    #[arg(long)]
    pub binary: bool,
    /// Binary: the executable to put in the package (default: this program; build it
    /// with `--release`).
    #[arg(long)]
    pub executable: Option<PathBuf>,
    /// CCaaS: host:port where the peer reaches the running chaincode.
    #[arg(long)]
    pub address: Option<String>,
    /// CCaaS: how long the peer waits to connect (Go duration text) [default: 10s].
    #[arg(long)]
    pub dial_timeout: Option<String>,
    /// CCaaS: PEM file of the CA that issued the chaincode server's TLS certificate (turns TLS on).
    #[arg(long)]
    pub tls_root_cert: Option<PathBuf>,
    /// CCaaS: PEM file of the client key the peer presents (turns client authentication on;
    /// needs --client-cert and --tls-root-cert).
    #[arg(long)]
    pub client_key: Option<PathBuf>,
    /// CCaaS: PEM file of the client certificate the peer presents (with --client-key).
    #[arg(long)]
    pub client_cert: Option<PathBuf>,
    /// Folder of CouchDB index definitions (`*.json`), shipped as `META-INF/statedb/couchdb/indexes/`.
    #[arg(long)]
    pub indexes: Option<PathBuf>,
    /// Output file (default: `<label>.tar.gz`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// The two kinds of package and the flags each takes, for error messages.
const MODES: &str = "a chaincode-as-a-service package needs --address host:port (and takes \
    --dial-timeout, --tls-root-cert, --client-key, --client-cert); a binary package needs \
    --binary (and takes --executable FILE)";

/// Refuses flags of the other kind of package, and incomplete TLS settings.
fn check(args: &PackageArgs) -> Result<(), String> {
    let ccaas_flags = [
        ("--address", args.address.is_some()),
        ("--dial-timeout", args.dial_timeout.is_some()),
        ("--tls-root-cert", args.tls_root_cert.is_some()),
        ("--client-key", args.client_key.is_some()),
        ("--client-cert", args.client_cert.is_some()),
    ];
    let given: Vec<&str> = ccaas_flags
        .iter()
        .filter(|(_, given)| *given)
        .map(|(flag, _)| *flag)
        .collect();
    if args.binary && !given.is_empty() {
        return Err(format!(
            "--binary cannot be combined with {}: {MODES}",
            given.join(", ")
        ));
    }
    if !args.binary && args.executable.is_some() {
        return Err(format!(
            "--executable is for a binary package: add --binary ({MODES})"
        ));
    }
    if !args.binary && args.address.is_none() {
        return Err(format!("say which package to write: {MODES}"));
    }
    match (&args.client_key, &args.client_cert) {
        (Some(_), None) | (None, Some(_)) => {
            return Err("mutual TLS needs both --client-key and --client-cert".into());
        }
        (Some(_), Some(_)) if args.tls_root_cert.is_none() => {
            return Err("--client-key/--client-cert need --tls-root-cert (client authentication runs over TLS)".into());
        }
        _ => {}
    }
    Ok(())
}

/// Whether `executable` looks like a debug build: this program when it was
/// compiled with debug assertions, or a file in Cargo's `debug` profile folder
/// (`<target dir>/[<triple>/]debug/NAME`, or its `deps`/`examples`).
fn is_debug_build(executable: &Path, is_this_program: bool) -> bool {
    if is_this_program && cfg!(debug_assertions) {
        return true;
    }
    let mut folders = executable.ancestors().skip(1).filter_map(Path::file_name);
    match folders.next() {
        Some(parent) if parent == "debug" => true,
        Some(parent) if parent == "deps" || parent == "examples" => folders
            .next()
            .is_some_and(|grandparent| grandparent == "debug"),
        _ => false,
    }
}

/// Writes the package and returns the line to print.
pub fn run(args: &PackageArgs) -> Result<String, String> {
    check(args)?;
    let extra = match &args.indexes {
        Some(dir) => index_files(dir)?,
        None => Vec::new(),
    };
    let built = if args.binary {
        let (executable, this_program) = match &args.executable {
            Some(path) => (path.clone(), false),
            None => (
                std::env::current_exe()
                    .map_err(|e| format!("cannot locate this executable: {e}"))?,
                true,
            ),
        };
        if is_debug_build(&executable, this_program) {
            eprintln!(
                "warning: {} is a debug build: unoptimised and large. For a peer, package a \
                 release build: `cargo build --release`, then run it (or pass \
                 --executable target/release/NAME)",
                executable.display()
            );
        }
        package::binary_package(&args.label, &executable, extra)
    } else {
        let address = args
            .address
            .clone()
            .ok_or("--address is required for a chaincode-as-a-service package")?;
        let mut connection = Connection::plain(address);
        if let Some(timeout) = &args.dial_timeout {
            connection.dial_timeout = timeout.clone();
        }
        if let Some(root) = &args.tls_root_cert {
            connection.tls_required = true;
            connection.root_cert = Some(read_text(root)?);
        }
        if let (Some(key), Some(cert)) = (&args.client_key, &args.client_cert) {
            connection.client_auth_required = true;
            connection.client_key = Some(read_text(key)?);
            connection.client_cert = Some(read_text(cert)?);
        }
        package::ccaas_package(&args.label, &connection, extra)
    }
    .map_err(|e| e.to_string())?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.tar.gz", args.label)));
    std::fs::write(&out, &built.bytes)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(format!(
        "wrote {}\npackage ID: {}",
        out.display(),
        built.package_id
    ))
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn index_files(dir: &Path) -> Result<ExtraFiles, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read index folder {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "json") {
            let name = path
                .file_name()
                .expect("a file read from a folder has a name")
                .to_string_lossy();
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            files.push((format!("META-INF/statedb/couchdb/indexes/{name}"), bytes));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        package: PackageArgs,
    }

    fn args(line: &str) -> PackageArgs {
        Cli::try_parse_from(std::iter::once("package").chain(line.split_whitespace()))
            .unwrap()
            .package
    }

    #[test]
    fn contradictory_or_missing_mode_flags_are_refused() {
        let err = check(&args("--label l --binary --address p:1")).unwrap_err();
        assert!(
            err.starts_with("--binary cannot be combined with --address: a chaincode-as-a-service package needs --address"),
            "{err}"
        );
        let err = check(&args(
            "--label l --binary --dial-timeout 3s --tls-root-cert ca.pem",
        ))
        .unwrap_err();
        assert!(
            err.contains("with --dial-timeout, --tls-root-cert"),
            "{err}"
        );
        let err = check(&args("--label l --executable x")).unwrap_err();
        assert!(
            err.starts_with("--executable is for a binary package: add --binary"),
            "{err}"
        );
        let err = check(&args("--label l")).unwrap_err();
        assert!(
            err.contains("needs --address host:port") && err.contains("needs --binary"),
            "{err}"
        );
        let err = check(&args("--label l --address p:1 --client-key k")).unwrap_err();
        assert!(err.contains("both --client-key and --client-cert"), "{err}");
        let err = check(&args(
            "--label l --address p:1 --client-key k --client-cert c",
        ))
        .unwrap_err();
        assert!(err.contains("need --tls-root-cert"), "{err}");

        check(&args("--label l --binary --executable x")).unwrap();
        check(&args("--label l --address p:1 --dial-timeout 3s")).unwrap();
        check(&args(
            "--label l --address p:1 --tls-root-cert ca --client-key k --client-cert c",
        ))
        .unwrap();
    }

    #[test]
    fn debug_builds_are_recognised() {
        assert!(is_debug_build(Path::new("/w/target/debug/cc"), false));
        assert!(is_debug_build(
            Path::new("/w/target/x86_64-unknown-linux-gnu/debug/cc"),
            false
        ));
        assert!(!is_debug_build(Path::new("/w/target/release/cc"), false));
        assert!(is_debug_build(
            Path::new("/ci/targets/debug/deps/cc-0123"),
            false
        ));
        assert!(!is_debug_build(Path::new("/usr/local/bin/cc"), false));
        assert!(!is_debug_build(Path::new("/srv/debug/tools/cc"), false));
        // The test binary itself is built with debug assertions.
        assert_eq!(
            is_debug_build(Path::new("/usr/local/bin/cc"), true),
            cfg!(debug_assertions)
        );
    }
}
