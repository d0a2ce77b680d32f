//! Soak and flood: the chaincode's memory over a long run and after a burst.
//!
//! `cargo run --release -p fabric-contract-bench --bin soak -- --help`
//!
//! - **soak**: N transactions (default 10^6; a mix of create, read and
//!   transfer) at concurrency C through the emulated peer over loopback gRPC,
//!   sampling the chaincode's RSS (`VmRSS`) at a fixed interval;
//! - **flood**: F transactions (default 10^4) sent at once, reporting the RSS
//!   before, the peak (`VmHWM`), right after, and after an idle pause.
//!
//! It measures; it does not judge. Results go to `tests/bench/RESULTS.md` and
//! the book's performance chapter.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use fabric_contract_bench::contender::{CONTRACT, Contender};
use fabric_contract_bench::procfs;
use fabric_contract_bench::run::{CHAINCODE, start, transact};
use fabric_contract_bench::workload::{self, Commit, Workload};
use fabric_emulated_peer::peer::{ChaincodeDefinition, EmulatedPeer, PeerOptions};

/// Runs the soak and the flood against one chaincode process each and prints
/// a Markdown report.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Soak transactions (0 skips the soak).
    #[arg(short = 'n', long, default_value_t = 1_000_000)]
    transactions: usize,
    /// Soak concurrency.
    #[arg(short, long, default_value_t = 32)]
    concurrency: usize,
    /// RSS sampling interval of the soak, in milliseconds.
    #[arg(long, default_value_t = 5000)]
    sample_ms: u64,
    /// Flood size: transactions sent at once (0 skips the flood).
    #[arg(short, long, default_value_t = 10_000)]
    flood: usize,
    /// Idle time after the flood before the resting RSS is read, in milliseconds.
    #[arg(long, default_value_t = 5000)]
    rest_ms: u64,
    /// The chaincode as PROGRAM [ARGS...] (default: the contender-contract binary beside this one).
    #[arg(long)]
    chaincode: Option<String>,
    /// Extra arguments for the flood's chaincode, e.g. --max-in-flight=20000.
    #[arg(long, allow_hyphen_values = true)]
    flood_args: Option<String>,
    /// Also write the report to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

const MIB: f64 = 1024.0 * 1024.0;

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MIB)
}

async fn new_peer() -> Result<(EmulatedPeer, std::net::SocketAddr), String> {
    let peer =
        EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new(CHAINCODE)));
    let addr = peer
        .serve_tcp("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    Ok((peer, addr))
}

async fn seed(peer: &EmulatedPeer) -> Result<(), String> {
    for args in workload::seed() {
        transact(peer, Commit::Submit, &args).await?;
    }
    Ok(())
}

/// The soak's mix: 1 create, 2 transfers, 7 reads in every 10.
fn soak_workload(i: usize) -> Workload {
    match i % 10 {
        0 => Workload::Create,
        1 | 2 => Workload::Transfer,
        _ => Workload::Read,
    }
}

async fn soak(contender: &Contender, args: &Args, report: &mut String) -> Result<(), String> {
    let (peer, addr) = new_peer().await?;
    let (running, _) = start(contender, &peer, addr)
        .await
        .map_err(|e| e.to_string())?;
    let pid = running.0.id();
    seed(&peer).await?;
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let began = Instant::now();
    let mut samples = vec![(
        Duration::ZERO,
        0,
        procfs::rss(pid).map_err(|e| e.to_string())?,
    )];
    let mut clients = Vec::new();
    for worker in 0..args.concurrency {
        let (peer, done, failed) = (peer.clone(), Arc::clone(&done), Arc::clone(&failed));
        let (n, c) = (args.transactions, args.concurrency);
        clients.push(tokio::spawn(async move {
            let mut i = worker;
            while i < n {
                let work = soak_workload(i);
                // Creates get ids of their own so the ledger grows as in real use.
                let tx_args = match work {
                    Workload::Create => workload::create_args(&format!("soak{i}")),
                    other => other.args(i, worker),
                };
                if transact(&peer, work.commit(), &tx_args).await.is_err() {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                done.fetch_add(1, Ordering::Relaxed);
                i += c;
            }
        }));
    }
    let every = Duration::from_millis(args.sample_ms);
    while done.load(Ordering::Relaxed) < args.transactions {
        tokio::time::sleep(every.min(Duration::from_millis(200))).await;
        if began.elapsed() >= samples.last().map_or(Duration::ZERO, |s| s.0) + every {
            samples.push((
                began.elapsed(),
                done.load(Ordering::Relaxed),
                procfs::rss(pid).map_err(|e| e.to_string())?,
            ));
        }
    }
    for client in clients {
        client.await.map_err(|e| e.to_string())?;
    }
    let elapsed = began.elapsed();
    samples.push((
        elapsed,
        args.transactions,
        procfs::rss(pid).map_err(|e| e.to_string())?,
    ));
    let peak = procfs::peak_rss(pid).map_err(|e| e.to_string())?;
    let _ = writeln!(
        report,
        "### Soak: {} transactions at concurrency {} ({:.0} s, {:.0} tx/s, {} failed)\n",
        args.transactions,
        args.concurrency,
        elapsed.as_secs_f64(),
        args.transactions as f64 / elapsed.as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );
    let _ = writeln!(
        report,
        "| time s | transactions | RSS MiB |\n|---:|---:|---:|"
    );
    // At most ~25 rows: every k-th sample, plus the last.
    let step = samples.len().div_ceil(25).max(1);
    for (i, (at, n, rss)) in samples.iter().enumerate() {
        if i % step == 0 || i == samples.len() - 1 {
            let _ = writeln!(report, "| {:.0} | {n} | {} |", at.as_secs_f64(), mib(*rss));
        }
    }
    let _ = writeln!(
        report,
        "\nPeak RSS (VmHWM) over the soak: {} MiB.\n",
        mib(peak)
    );
    drop(running);
    Ok(())
}

async fn flood(contender: &Contender, args: &Args, report: &mut String) -> Result<(), String> {
    let (peer, addr) = new_peer().await?;
    let (running, _) = start(contender, &peer, addr)
        .await
        .map_err(|e| e.to_string())?;
    let pid = running.0.id();
    seed(&peer).await?;
    // Warm the process up so "before" is its working size, not its start-up size.
    for i in 0..1000 {
        let _ = transact(&peer, Commit::Evaluate, &Workload::Read.args(i, 0)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = procfs::rss(pid).map_err(|e| e.to_string())?;
    let began = Instant::now();
    let mut all = Vec::with_capacity(args.flood);
    for i in 0..args.flood {
        let peer = peer.clone();
        let work = soak_workload(i);
        let tx_args = match work {
            Workload::Create => workload::create_args(&format!("flood{i}")),
            other => other.args(i, i),
        };
        all.push(tokio::spawn(async move {
            transact(&peer, work.commit(), &tx_args).await
        }));
    }
    let mut refused = 0;
    let mut first = None;
    for task in all {
        if let Err(reason) = task.await.map_err(|e| e.to_string())? {
            refused += 1;
            first.get_or_insert(reason);
        }
    }
    let elapsed = began.elapsed();
    let peak = procfs::peak_rss(pid).map_err(|e| e.to_string())?;
    let after = procfs::rss(pid).map_err(|e| e.to_string())?;
    tokio::time::sleep(Duration::from_millis(args.rest_ms)).await;
    let rested = procfs::rss(pid).map_err(|e| e.to_string())?;
    let _ = writeln!(
        report,
        "### Flood: {} transactions at once ({:.2} s; {refused} not answered 200{})\n",
        args.flood,
        elapsed.as_secs_f64(),
        first.map(|f| format!(", first: {f}")).unwrap_or_default()
    );
    let _ = writeln!(
        report,
        "| RSS before MiB | peak (VmHWM) MiB | right after MiB | after {} s idle MiB |\n|---:|---:|---:|---:|\n| {} | {} | {} | {} |\n",
        args.rest_ms / 1000,
        mib(before),
        mib(peak),
        mib(after),
        mib(rested)
    );
    drop(running);
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let chaincode = match &args.chaincode {
        Some(spec) => Contender::parse(&format!("{CONTRACT}={spec}")),
        None => {
            let exe = std::env::current_exe().unwrap_or_default();
            let dir = exe.parent().unwrap_or(std::path::Path::new("."));
            Ok(Contender::new(
                CONTRACT,
                dir.join(format!(
                    "contender-contract{}",
                    std::env::consts::EXE_SUFFIX
                )),
            ))
        }
    };
    let chaincode = match chaincode {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut flood_chaincode = chaincode.clone();
    if let Some(extra) = &args.flood_args {
        flood_chaincode
            .args
            .extend(extra.split_whitespace().map(str::to_owned));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = String::from("## Soak and flood\n\n");
    let outcome = runtime.block_on(async {
        if args.transactions > 0 {
            soak(&chaincode, &args, &mut report).await?;
        }
        if args.flood > 0 {
            flood(&flood_chaincode, &args, &mut report).await?;
        }
        Ok::<_, String>(())
    });
    print!("{report}");
    if let Some(path) = &args.out
        && let Err(e) = std::fs::write(path, &report)
    {
        eprintln!("cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
