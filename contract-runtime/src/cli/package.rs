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
    /// Executable to put in a binary package (default: this program).
    #[arg(long, requires = "binary")]
    pub executable: Option<PathBuf>,
    /// CCaaS: host:port where the peer reaches the running chaincode.
    #[arg(long, required_unless_present = "binary")]
    pub address: Option<String>,
    /// CCaaS: how long the peer waits to connect (Go duration text).
    #[arg(long, default_value = "10s")]
    pub dial_timeout: String,
    /// CCaaS: PEM file of the CA that issued the chaincode server's TLS certificate (turns TLS on).
    #[arg(long)]
    pub tls_root_cert: Option<PathBuf>,
    /// CCaaS: PEM file of the client key the peer presents (turns client authentication on).
    #[arg(long, requires_all = ["client_cert", "tls_root_cert"])]
    pub client_key: Option<PathBuf>,
    /// CCaaS: PEM file of the client certificate the peer presents.
    #[arg(long, requires = "client_key")]
    pub client_cert: Option<PathBuf>,
    /// Folder of CouchDB index definitions (`*.json`), shipped as `META-INF/statedb/couchdb/indexes/`.
    #[arg(long)]
    pub indexes: Option<PathBuf>,
    /// Output file (default: `<label>.tar.gz`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Writes the package and returns the line to print.
pub fn run(args: &PackageArgs) -> Result<String, String> {
    let extra = match &args.indexes {
        Some(dir) => index_files(dir)?,
        None => Vec::new(),
    };
    let built = if args.binary {
        let executable = match &args.executable {
            Some(path) => path.clone(),
            None => std::env::current_exe()
                .map_err(|e| format!("cannot locate this executable: {e}"))?,
        };
        package::binary_package(&args.label, &executable, extra)
    } else {
        let address = args
            .address
            .clone()
            .ok_or("--address is required for a chaincode-as-a-service package")?;
        let mut connection = Connection::plain(address);
        connection.dial_timeout = args.dial_timeout.clone();
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
