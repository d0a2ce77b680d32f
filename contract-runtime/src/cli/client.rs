//! `client --lang ts|rust [--out DIR] [--check]`: a typed client generated from the contract
//! metadata.

use std::path::PathBuf;

/// Arguments of `client`.
#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// Target language: `ts` (TypeScript on @hyperledger/fabric-gateway, written to `client.ts`)
    /// or `rust` (on fabric-dev-gateway's Gateway client, written to `client.rs`).
    #[arg(long, value_parser = ["ts", "rust"])]
    lang: String,
    /// Directory that holds the client file; without it the client goes to standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Fail if the client in `--out` differs from the one the metadata gives (drift check).
    #[arg(long, requires = "out")]
    check: bool,
}

/// Generates (or checks) the client for `metadata`.
pub fn run(metadata: &str, args: &ClientArgs) -> Result<(), String> {
    let (source, file) = match args.lang.as_str() {
        "rust" => (fabric_contract_clientgen::rust(metadata), "client.rs"),
        _ => (fabric_contract_clientgen::typescript(metadata), "client.ts"),
    };
    let source = source.map_err(|e| e.to_string())?;
    let Some(dir) = &args.out else {
        print!("{source}");
        return Ok(());
    };
    let path = dir.join(file);
    if args.check {
        let committed = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        return if committed == source {
            Ok(())
        } else {
            Err(format!(
                "{} is out of date: regenerate it with `client --lang {} --out {}`",
                path.display(),
                args.lang,
                dir.display()
            ))
        };
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&path, source).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
