//! The Markdown report: one row per measured cell, then the ratios and the
//! issue's targets checked against them.

use std::fmt::Write as _;
use std::time::Duration;

use crate::contender::{CONTRACT, FLOOR, RAW};
use crate::run::CellResult;
use crate::workload::Workload;

/// `#[contract]` CPU per transaction may be at most this times the raw handler's.
pub const CONTRACT_OVER_RAW: f64 = 1.15;
/// The raw handler's CPU per transaction may be at most this times the floor's.
pub const RAW_OVER_FLOOR: f64 = 1.3;
/// Peak RSS limit.
pub const MAX_RSS: u64 = 8 * 1024 * 1024;
/// Spawn → READY limit.
pub const MAX_STARTUP: Duration = Duration::from_millis(10);
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
        "| workload | c | contender | tx/s | p50 µs | p99 µs | CPU µs/tx | stat CPU µs/tx | peak RSS MiB | spawn→READY ms | failed |\n\
         |---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.1} | {:.0} | {:.2} | {:.1} | {} |",
            r.config.workload,
            r.config.concurrency,
            r.contender,
            r.tx_per_sec(),
            micros(r.p50),
            micros(r.p99),
            micros(r.cpu_per_tx()),
            micros(r.cpu_stat / r.config.transactions.max(1) as u32),
            mib(r.peak_rss),
            r.startup.as_secs_f64() * 1e3,
            r.failures,
        );
    }
    out
}

fn find<'a>(
    results: &'a [CellResult],
    workload: Workload,
    concurrency: usize,
    contender: &str,
) -> Option<&'a CellResult> {
    results.iter().find(|r| {
        r.config.workload == workload
            && r.config.concurrency == concurrency
            && r.contender == contender
    })
}

fn ratio(
    results: &[CellResult],
    w: Workload,
    c: usize,
    over: &str,
    under: &str,
    limit: f64,
) -> String {
    match (find(results, w, c, over), find(results, w, c, under)) {
        (Some(a), Some(b)) if b.cpu > Duration::ZERO => {
            let x = a.cpu.as_secs_f64() / b.cpu.as_secs_f64();
            format!("{x:.2} ({})", verdict(x <= limit))
        }
        _ => "n/a".into(),
    }
}

/// The CPU-per-transaction ratios per workload and concurrency.
pub fn ratios_table(results: &[CellResult]) -> String {
    let mut cells: Vec<(Workload, usize)> = results
        .iter()
        .map(|r| (r.config.workload, r.config.concurrency))
        .collect();
    cells.sort_unstable();
    cells.dedup();
    let mut out = format!(
        "| workload | c | contract/raw CPU (≤ {CONTRACT_OVER_RAW}) | raw/floor CPU (≤ {RAW_OVER_FLOOR}) |\n|---|---:|---|---|\n"
    );
    for (w, c) in cells {
        let _ = writeln!(
            out,
            "| {w} | {c} | {} | {} |",
            ratio(results, w, c, CONTRACT, RAW, CONTRACT_OVER_RAW),
            ratio(results, w, c, RAW, FLOOR, RAW_OVER_FLOOR),
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
            "- {name}: peak RSS max {:.2} MiB (≤ 8: {}); spawn→READY median {:.1} ms (≤ 10: {}), max {:.1} ms; failed transactions {failed}",
            mib(rss),
            verdict(rss <= MAX_RSS),
            startup.as_secs_f64() * 1e3,
            verdict(startup <= MAX_STARTUP),
            slowest.as_secs_f64() * 1e3,
        );
        let mut levels: Vec<usize> = mine
            .iter()
            .filter(|r| r.config.workload == Workload::Read)
            .map(|r| r.config.concurrency)
            .collect();
        levels.sort_unstable();
        if let (Some(&low), Some(&high)) = (levels.first(), levels.last())
            && low < high
            && let (Some(a), Some(b)) = (
                find(results, Workload::Read, low, name),
                find(results, Workload::Read, high, name),
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
            },
            failures: 0,
            first_failure: None,
            elapsed: Duration::from_secs(secs),
            p50: Duration::from_micros(100),
            p99: Duration::from_micros(300),
            cpu: Duration::from_millis(cpu_ms),
            cpu_stat: Duration::from_millis(cpu_ms),
            peak_rss: 5 * 1024 * 1024,
            startup: Duration::from_millis(3),
        }
    }

    #[test]
    fn ratios_pair_contenders_within_a_cell() {
        let results = [
            cell(FLOOR, Workload::Read, 1, 100, 1),
            cell(RAW, Workload::Read, 1, 120, 1),
            cell(CONTRACT, Workload::Read, 1, 150, 1),
            cell(RAW, Workload::Noop, 32, 100, 1),
        ];
        let table = ratios_table(&results);
        assert!(
            table.contains("| read | 1 | 1.25 (MISSED) | 1.20 (met) |"),
            "{table}"
        );
        assert!(table.contains("| noop | 32 | n/a | n/a |"), "{table}");
        assert_eq!(results[1].cpu_per_tx(), Duration::from_micros(120));
        assert!(
            cells_table(&results)
                .contains("| read | 1 | raw | 1000 | 100 | 300 | 120.0 | 120 | 5.00 | 3.0 | 0 |")
        );
    }

    #[test]
    fn footprint_and_scaling_verdicts() {
        let mut fat = cell(RAW, Workload::Read, 32, 100, 1);
        fat.peak_rss = 9 * 1024 * 1024;
        let results = [cell(RAW, Workload::Read, 1, 100, 4), fat];
        let text = targets(&results);
        assert!(
            text.contains("peak RSS max 9.00 MiB (≤ 8: MISSED)"),
            "{text}"
        );
        assert!(
            text.contains("spawn→READY median 3.0 ms (≤ 10: met), max 3.0 ms"),
            "{text}"
        );
        assert!(text.contains("c=32 / c=1 = 4.00 (≥ 3: met)"), "{text}");
    }
}
