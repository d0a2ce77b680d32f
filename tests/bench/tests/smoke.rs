//! The bench's CI smoke configuration: every workload at concurrency 1 and 32
//! with a few hundred transactions per contender. It checks that every
//! transaction completed with status 200 and that the report is complete;
//! it never checks speed.

use std::process::Command;

use fabric_contract_bench::contender::Contender;
use fabric_contract_bench::run::{CellConfig, CellError, run_cell};
use fabric_contract_bench::workload::Workload;

fn floor() -> Contender {
    Contender::new("floor", env!("CARGO_BIN_EXE_bare-chaincode"))
}

fn raw() -> Contender {
    Contender::new("raw", env!("CARGO_BIN_EXE_contender-raw"))
}

#[test]
fn smoke_run_completes_every_transaction() {
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["-n", "100", "--warmup", "10", "-c", "1,32"])
        .arg(format!("--contender=floor={}", floor().program.display()))
        .arg(format!("--contender=raw={}", raw().program.display()))
        .output()
        .expect("run the bench driver");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "bench failed:\n{stderr}\n{stdout}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| l.starts_with("| ") && l.split('|').count() == 13)
        .skip(1) // the header
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    // 5 workloads × 2 concurrency levels × 2 contenders.
    assert_eq!(rows.len(), 20, "one row per cell:\n{stdout}");
    for row in &rows {
        assert_eq!(row[11], "0", "failed transactions in {row:?}");
        let tx_per_sec: f64 = row[4].parse().expect("tx/s is a number");
        assert!(tx_per_sec > 0.0, "{row:?}");
    }
    for workload in ["create", "read", "transfer", "getall", "noop"] {
        assert_eq!(
            rows.iter().filter(|r| r[1] == workload).count(),
            4,
            "{workload} rows missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("| read | 1 | n/a | "),
        "raw/floor ratio row:\n{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_workloads_succeed_on_the_raw_runtime() {
    // The floor answers 200 to anything; the raw contender only succeeds when
    // the seeded assets really are on the emulated ledger.
    for workload in [Workload::Read, Workload::Transfer, Workload::GetAll] {
        let config = CellConfig {
            workload,
            concurrency: 4,
            transactions: 40,
            warmup: 0,
        };
        let r = run_cell(&raw(), config).await.expect("cell runs");
        assert_eq!((r.failures, r.first_failure), (0, None), "{workload}");
        assert!(r.peak_rss > 0 && r.startup.as_nanos() > 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_contenders_and_bad_configurations_are_explained() {
    let config = CellConfig {
        workload: Workload::Create,
        concurrency: 1,
        transactions: 3,
        warmup: 0,
    };
    let dead = Contender::new("dead", "/bin/false");
    let err = run_cell(&dead, config).await.expect_err("never registers");
    assert!(
        matches!(&err, CellError::Register { exit, .. } if exit.contains("exited")),
        "{err}"
    );
    let missing = Contender::new("missing", "/nonexistent/chaincode");
    assert!(matches!(
        run_cell(&missing, config).await,
        Err(CellError::Spawn { .. })
    ));
    for bad in [
        CellConfig {
            concurrency: 0,
            ..config
        },
        CellConfig {
            concurrency: 101,
            ..config
        },
        CellConfig {
            transactions: 0,
            ..config
        },
    ] {
        assert!(matches!(
            run_cell(&raw(), bad).await,
            Err(CellError::Config(_))
        ));
    }
}
