//! `fabric-dev-gateway`: one dev peer serving Fabric's Gateway protocol, with
//! the given chaincode binaries, so client applications run without a network.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use fabric_dev_gateway::{ChaincodeLaunch, DevGateway, GatewayOptions, TlsMode};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Serve Fabric's Gateway protocol (Endorse, Submit, CommitStatus, Evaluate,
/// ChaincodeEvents) from an emulated peer running the given chaincodes.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Listen address.
    #[arg(long, default_value = "127.0.0.1:7051")]
    listen: String,
    /// A chaincode to run: NAME=PROGRAM (repeatable).
    #[arg(long = "chaincode", value_parser = ChaincodeLaunch::parse, required = true)]
    chaincodes: Vec<ChaincodeLaunch>,
    /// A chaincode's collection configuration: NAME=FILE (`collections_config.json`, as given to
    /// `peer lifecycle chaincode approveformyorg --collections-config`; repeatable).
    #[arg(long = "collections-config", value_name = "NAME=FILE")]
    collections_configs: Vec<String>,
    /// Channel name.
    #[arg(long, default_value = "mychannel")]
    channel: String,
    /// The peer's MSP id.
    #[arg(long, default_value = "Org1MSP")]
    peer_msp: String,
    /// Emulated Fabric release: 2.2, 2.5, 3.0 or 3.1.
    #[arg(long, default_value = "2.5")]
    fabric: String,
    /// Ledger file (blocks go to <file>.blocks), created if absent.
    #[arg(long, default_value = "fabric-dev.ledger.json")]
    ledger: PathBuf,
    /// Keep the ledger in memory only.
    #[arg(long, conflicts_with = "ledger")]
    in_memory: bool,
    /// A console identity to mint, user@MSP (repeatable; admin@Org1MSP is always minted).
    #[arg(long = "identity")]
    identities: Vec<String>,
    /// Trust an MSP folder: MSPID=DIR (its cacerts/ and intermediatecerts/).
    #[arg(long = "msp")]
    msps: Vec<String>,
    /// Where minted identities (MSP folders) and the TLS CA are written.
    #[arg(long, default_value = "fabric-dev-crypto")]
    crypto_dir: PathBuf,
    /// Serve TLS with a generated certificate for localhost/127.0.0.1.
    #[arg(long)]
    tls: bool,
    /// Serve TLS with this certificate (PEM); needs --tls-key.
    #[arg(long, requires = "tls_key", conflicts_with = "tls")]
    tls_cert: Option<PathBuf>,
    /// The TLS certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

fn main() -> ExitCode {
    let mut args = Args::parse();
    for config in &args.collections_configs {
        let Some((name, file)) = config.split_once('=') else {
            eprintln!(
                "error: --collections-config {config}: expected NAME=FILE (for example private=collections_config.json)"
            );
            return ExitCode::from(2);
        };
        let Some(launch) = args.chaincodes.iter_mut().find(|c| c.name == name) else {
            eprintln!("error: --collections-config {config}: no --chaincode is named {name}");
            return ExitCode::from(2);
        };
        match std::fs::read_to_string(file) {
            Ok(json) => launch.collections_config = Some(json),
            Err(e) => {
                eprintln!("error: --collections-config {config}: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    // `RUST_LOG` as `level` and `target=level` directives (no span filters, so no regex engine).
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| {
            directives
                .parse::<tracing_subscriber::filter::Targets>()
                .ok()
        })
        .unwrap_or_else(|| {
            tracing_subscriber::filter::Targets::new()
                .with_default(tracing_subscriber::filter::LevelFilter::INFO)
        });
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
    let mut options = GatewayOptions {
        listen: args.listen,
        channel: args.channel,
        peer_msp: args.peer_msp,
        fabric: args.fabric,
        chaincodes: args.chaincodes,
        ledger: (!args.in_memory).then_some(args.ledger),
        crypto_dir: Some(args.crypto_dir.clone()),
        ..GatewayOptions::default()
    };
    for identity in &args.identities {
        options = options.identity(identity);
    }
    for msp in &args.msps {
        let Some((id, dir)) = msp.split_once('=') else {
            eprintln!("error: --msp {msp}: expected MSPID=DIR (for example Org1MSP=wallet/msp)");
            return ExitCode::from(2);
        };
        options = options.msp_dir(id, dir);
    }
    options.tls = match (args.tls, args.tls_cert, args.tls_key) {
        (_, Some(cert), Some(key)) => TlsMode::Files { cert, key },
        (true, _, _) => TlsMode::Generated,
        _ => TlsMode::Off,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async move {
        let gateway = match DevGateway::start(options).await {
            Ok(gateway) => gateway,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        // One line a script can wait for.
        println!(
            "Gateway listening on {} (TLS {}); identities in {}",
            gateway.address(),
            if gateway.tls_ca_pem().is_some() {
                "on"
            } else {
                "off"
            },
            args.crypto_dir.display()
        );
        tokio::select! {
            () = gateway.wait() => ExitCode::from(1),
            _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        }
    })
}
