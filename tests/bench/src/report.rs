//! The Markdown report: one row per measured cell, then the ratios and the
//! issue's targets checked against them.

use std::fmt::Write as _;
use std::time::Duration;

use crate::contender::{CONTRACT, FLOOR, LEDGER_FLOOR, RAW};
use crate::run::CellResult;
use crate::workload::{Fabric, Workload};

/// `#[contract]` CPU per transaction may be at most this times the raw handler's.
pub const CONTRACT_OVER_RAW: f64 = 1.15;
/// The framework's CPU per transaction may be at most this times the floor's
/// (the ledger-calling floor for `contract` and `raw`).
pub const RAW_OVER_FLOOR: f64 = 1.3;
/// Peak RSS limit (issue 18: 4 MiB).
pub const MAX_RSS: u64 = 4 * 1024 * 1024;
/// Spawn → READY limit, median (issue 18: 3 ms).
pub const MAX_STARTUP: Duration = Duration::from_millis(3);
/// Read throughput at the highest concurrency over concurrency 1.
pub const READ_SCALING: f64 = 3.0;

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

/// The per-cell table.
pub fn cells_table(results: &[CellResult]) -> String {
    let mut out = String::from(
        "| workload | fabric | c | contender | tx/s | p50 µs | p99 µs | CPU µs/tx | stat CPU µs/tx | RSS ready MiB | RSS mean MiB | RSS end MiB | peak RSS MiB | spawn→READY ms | failed |\n\
         |---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.1} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {} |",
            r.config.workload,
            r.config.fabric,
            r.config.concurrency,
            r.contender,
            r.tx_per_sec(),
            micros(r.p50),
            micros(r.p99),
            micros(r.cpu_per_tx()),
            micros(r.cpu_stat / r.config.transactions.max(1) as u32),
            mib(r.ready_rss),
            mib(r.mean_rss),
            mib(r.end_rss),
            mib(r.peak_rss),
            r.startup.as_secs_f64() * 1e3,
            r.failures,
        );
    }
    out
}

/// One cell: workload, Fabric profile, concurrency.
type Cell = (Workload, Fabric, usize);

fn find<'a>(results: &'a [CellResult], cell: Cell, contender: &str) -> Option<&'a CellResult> {
    results.iter().find(|r| {
        (r.config.workload, r.config.fabric, r.config.concurrency) == cell
            && r.contender == contender
    })
}

fn ratio(results: &[CellResult], cell: Cell, over: &str, under: &str, limit: f64) -> String {
    match (find(results, cell, over), find(results, cell, under)) {
        (Some(a), Some(b)) if b.cpu > Duration::ZERO => {
            let x = a.cpu.as_secs_f64() / b.cpu.as_secs_f64();
            format!("{x:.2} ({})", verdict(x <= limit))
        }
        _ => "n/a".into(),
    }
}

/// A CPU ratio with no target: the transport floor makes no ledger calls.
fn plain_ratio(results: &[CellResult], cell: Cell, over: &str, under: &str) -> String {
    match (find(results, cell, over), find(results, cell, under)) {
        (Some(a), Some(b)) if b.cpu > Duration::ZERO => {
            format!("{:.2}", a.cpu.as_secs_f64() / b.cpu.as_secs_f64())
        }
        _ => "n/a".into(),
    }
}

/// The CPU-per-transaction ratios per workload and concurrency.
pub fn ratios_table(results: &[CellResult]) -> String {
    let mut cells: Vec<Cell> = results
        .iter()
        .map(|r| (r.config.workload, r.config.fabric, r.config.concurrency))
        .collect();
    cells.sort_unstable();
    cells.dedup();
    let mut out = format!(
        "| workload | fabric | c | contract/raw CPU (≤ {CONTRACT_OVER_RAW}) | contract/ledger-floor CPU (≤ {RAW_OVER_FLOOR}) | raw/ledger-floor CPU (≤ {RAW_OVER_FLOOR}) | raw/floor CPU (floor: no ledger calls) |\n|---|---|---:|---|---|---|---|\n"
    );
    for cell in cells {
        let (w, f, c) = cell;
        let _ = writeln!(
            out,
            "| {w} | {f} | {c} | {} | {} | {} | {} |",
            ratio(results, cell, CONTRACT, RAW, CONTRACT_OVER_RAW),
            ratio(results, cell, CONTRACT, LEDGER_FLOOR, RAW_OVER_FLOOR),
            ratio(results, cell, RAW, LEDGER_FLOOR, RAW_OVER_FLOOR),
            plain_ratio(results, cell, RAW, FLOOR),
        );
    }
    out
}

/// The footprint and scaling targets, one line each.
pub fn targets(results: &[CellResult]) -> String {
    let mut out = String::new();
    let mut contenders: Vec<&str> = results.iter().map(|r| r.contender.as_str()).collect();
    contenders.sort_unstable();
    contenders.dedup();
    for name in contenders {
        let mine: Vec<&CellResult> = results.iter().filter(|r| r.contender == name).collect();
        let rss = mine.iter().map(|r| r.peak_rss).max().unwrap_or(0);
        // One process start per cell: the median says what start-up costs,
        // the maximum shows how much a busy shared machine can add.
        let mut startups: Vec<Duration> = mine.iter().map(|r| r.startup).collect();
        startups.sort_unstable();
        let startup = crate::stats::percentile(&startups, 50.0);
        let slowest = startups.last().copied().unwrap_or_default();
        let failed: usize = mine.iter().map(|r| r.failures).sum();
        let _ = write!(
            out,
            "- {name}: peak RSS max {:.2} MiB (≤ 4: {}); spawn→READY median {:.1} ms (≤ 3: {}), max {:.1} ms; failed transactions {failed}",
            mib(rss),
            verdict(rss <= MAX_RSS),
            startup.as_secs_f64() * 1e3,
            verdict(startup <= MAX_STARTUP),
            slowest.as_secs_f64() * 1e3,
        );
        let mut levels: Vec<(usize, Fabric)> = mine
            .iter()
            .filter(|r| r.config.workload == Workload::Read)
            .map(|r| (r.config.concurrency, r.config.fabric))
            .collect();
        levels.sort_unstable();
        if let (Some(&(low, f)), Some(&(high, _))) = (levels.first(), levels.last())
            && low < high
            && let (Some(a), Some(b)) = (
                find(results, (Workload::Read, f, low), name),
                find(results, (Workload::Read, f, high), name),
            )
        {
            let x = b.tx_per_sec() / a.tx_per_sec();
            let _ = write!(
                out,
                "; read tx/s c={high} / c={low} = {x:.2} (≥ {READ_SCALING}: {})",
                verdict(x >= READ_SCALING)
            );
        }
        out.push('\n');
    }
    out
}

/// The whole report.
pub fn markdown(results: &[CellResult]) -> String {
    format!(
        "### Measurements\n\n{}\n### Ratios (chaincode CPU time per transaction)\n\n{}\n### Footprint and scaling\n\n{}",
        cells_table(results),
        ratios_table(results),
        targets(results)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::CellConfig;

    fn cell(contender: &str, workload: Workload, c: usize, cpu_ms: u64, secs: u64) -> CellResult {
        CellResult {
            contender: contender.into(),
            config: CellConfig {
                workload,
                concurrency: c,
                transactions: 1000,
                warmup: 0,
                fabric: Fabric::V2_5,
            },
            failures: 0,
            first_failure: None,
            elapsed: Duration::from_secs(secs),
            p50: Duration::from_micros(100),
            p99: Duration::from_micros(300),
            cpu: Duration::from_millis(cpu_ms),
            cpu_stat: Duration::from_millis(cpu_ms),
            peak_rss: 5 * 1024 * 1024,
            ready_rss: 3 * 1024 * 1024,
            mean_rss: 4 * 1024 * 1024,
            end_rss: 4 * 1024 * 1024,
            startup: Duration::from_millis(3),
        }
    }

    #[test]
    fn runs_reduce_to_each_figures_median_and_keep_every_failure() {
        let mut runs = [
            cell(RAW, Workload::Read, 1, 300, 3),
            cell(RAW, Workload::Read, 1, 100, 2),
            cell(RAW, Workload::Read, 1, 200, 1),
        ];
        runs[1].failures = 2;
        runs[1].first_failure = Some("MVCC".into());
        runs[2].peak_rss = 1;
        let median = CellResult::median(&runs).unwrap();
        assert_eq!(median.cpu, Duration::from_millis(200));
        assert_eq!(median.elapsed, Duration::from_secs(2));
        assert_eq!(median.peak_rss, 5 * 1024 * 1024);
        assert_eq!(
            (median.failures, median.first_failure.as_deref()),
            (2, Some("MVCC"))
        );
        assert!(CellResult::median(&[]).is_none());
    }

    #[test]
    fn ratios_pair_contenders_within_a_cell() {
        let results = [
            cell(FLOOR, Workload::Read, 1, 100, 1),
            cell(LEDGER_FLOOR, Workload::Read, 1, 110, 1),
            cell(RAW, Workload::Read, 1, 120, 1),
            cell(CONTRACT, Workload::Read, 1, 150, 1),
            cell(RAW, Workload::Noop, 32, 100, 1),
        ];
        let table = ratios_table(&results);
        assert!(
            table
                .contains("| read | 2.5 | 1 | 1.25 (MISSED) | 1.36 (MISSED) | 1.09 (met) | 1.20 |"),
            "{table}"
        );
        assert!(
            table.contains("| noop | 2.5 | 32 | n/a | n/a | n/a | n/a |"),
            "{table}"
        );
        assert_eq!(results[2].cpu_per_tx(), Duration::from_micros(120));
        let cells = cells_table(&results);
        assert!(
            cells.contains(
                "| read | 2.5 | 1 | raw | 1000 | 100 | 300 | 120.0 | 120 | 3.00 | 4.00 | 4.00 | 5.00 | 3.0 | 0 |"
            ),
            "{cells}"
        );
    }

    #[test]
    fn footprint_and_scaling_verdicts() {
        let mut fat = cell(RAW, Workload::Read, 32, 100, 1);
        fat.peak_rss = 9 * 1024 * 1024;
        let results = [cell(RAW, Workload::Read, 1, 100, 4), fat];
        let text = targets(&results);
        assert!(
            text.contains("peak RSS max 9.00 MiB (≤ 4: MISSED)"),
            "{text}"
        );
        assert!(
            text.contains("spawn→READY median 3.0 ms (≤ 3: met), max 3.0 ms"),
            "{text}"
        );
        assert!(text.contains("c=32 / c=1 = 4.00 (≥ 3: met)"), "{text}");
    }
}
