//! The benchmark driver. See the crate docs and `tests/bench/RESULTS.md`.
//!
//! `cargo run --release -p fabric-contract-bench --bin bench -- --help`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use fabric_contract_bench::contender::{self, Contender};
use fabric_contract_bench::report;
use fabric_contract_bench::run::{CellConfig, CellResult, run_cell};
use fabric_contract_bench::workload::{Fabric, Workload};

/// Plays the peer over loopback gRPC against chaincode processes and prints a
/// Markdown table of throughput, latency, CPU per transaction, peak RSS and
/// start-up time, with ratios between contenders.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Measured transactions per cell.
    #[arg(short = 'n', long, default_value_t = 10_000)]
    transactions: usize,
    /// Unmeasured transactions before each measured phase (default: n/10, at least 50).
    #[arg(long)]
    warmup: Option<usize>,
    /// Concurrency levels (transactions in flight), 1..=100.
    #[arg(short, long, value_delimiter = ',', default_value = "1,32")]
    concurrency: Vec<usize>,
    /// Workloads: create, read, transfer, getall, noop, readmany.
    #[arg(
        short,
        long,
        value_delimiter = ',',
        default_value = "create,read,transfer,getall,noop,readmany"
    )]
    workloads: Vec<Workload>,
    /// Emulated peer profiles: 2.5 (no READY capabilities) and 3.1 (write
    /// batches, GET_STATE_MULTIPLE).
    #[arg(short, long, value_delimiter = ',', default_value = "2.5")]
    fabric: Vec<Fabric>,
    /// A contender as NAME=PROGRAM, optionally followed by arguments (repeatable); replaces the built-in
    /// floor/raw/contract set. The names floor, raw and contract get ratios.
    #[arg(long = "contender", value_parser = Contender::parse)]
    contenders: Vec<Contender>,
    /// Runs of every cell; the report gives the median of each figure. Contenders take turns
    /// within each run, so drifting machine load hits them alike.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=99))]
    runs: u16,
    /// Also write the report to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let contenders = if args.contenders.is_empty() {
        let exe = std::env::current_exe().unwrap_or_default();
        contender::defaults(exe.parent().unwrap_or(std::path::Path::new(".")))
    } else {
        args.contenders.clone()
    };
    let warmup = args.warmup.unwrap_or((args.transactions / 10).max(50));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bench: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut results = Vec::new();
    let mut failed = false;
    let mut cells = Vec::new();
    for &w in &args.workloads {
        for &f in &args.fabric {
            cells.extend(args.concurrency.iter().map(|&c| (w, f, c)));
        }
    }
    for (workload, fabric, concurrency) in cells {
        let config = CellConfig {
            workload,
            concurrency,
            transactions: args.transactions,
            warmup,
            fabric,
        };
        // Contenders take turns within a cell so drifting machine load hits them alike.
        let mut runs: Vec<Vec<CellResult>> = vec![Vec::new(); contenders.len()];
        for run in 1..=args.runs {
            for (c, measured) in contenders.iter().zip(&mut runs) {
                match runtime.block_on(run_cell(c, config)) {
                    Ok(r) => {
                        eprintln!(
                            "bench: {workload} fabric {fabric} c={concurrency} {} (run {run}): {:.0} tx/s, {:.1} µs CPU/tx, {} failed",
                            c.name,
                            r.tx_per_sec(),
                            r.cpu_per_tx().as_secs_f64() * 1e6,
                            r.failures
                        );
                        if let Some(reason) = &r.first_failure {
                            eprintln!("bench:   first failure: {reason}");
                            failed = true;
                        }
                        measured.push(r);
                    }
                    Err(e) => {
                        eprintln!(
                            "bench: {workload} fabric {fabric} c={concurrency} {}: {e}",
                            c.name
                        );
                        failed = true;
                    }
                }
            }
        }
        results.extend(runs.iter().filter_map(|r| CellResult::median(r)));
    }
    let text = format!(
        "{}\n_{} measured transactions per cell after {warmup} warm-up, median of {} run(s); contenders: {}._\n",
        report::markdown(&results),
        args.transactions,
        args.runs,
        contenders
            .iter()
            .map(|c| format!("{} = `{}`", c.name, c.program.display()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    print!("{text}");
    if let Some(path) = &args.out
        && let Err(e) = std::fs::write(path, &text)
    {
        eprintln!("bench: cannot write {}: {e}", path.display());
        failed = true;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
