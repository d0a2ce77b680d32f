//! The bench's CI smoke configuration: every workload at concurrency 1 and 32
//! with a few hundred transactions per contender. It checks that every
//! transaction completed with status 200 and that the report is complete;
//! it never checks speed.

use std::process::Command;

use fabric_contract_bench::contender::Contender;
use fabric_contract_bench::run::{CellConfig, CellError, run_cell};
use fabric_contract_bench::workload::{Fabric, Workload};

fn floor() -> Contender {
    Contender::new("floor", env!("CARGO_BIN_EXE_bare-chaincode"))
}

fn ledger_floor() -> Contender {
    Contender::new("ledger-floor", env!("CARGO_BIN_EXE_ledger-floor"))
}

fn raw() -> Contender {
    Contender::new("raw", env!("CARGO_BIN_EXE_contender-raw"))
}

#[test]
fn smoke_run_completes_every_transaction() {
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["-n", "100", "--warmup", "10", "-c", "1,32", "-f", "2.5,3.1"])
        .arg(format!("--contender=floor={}", floor().program.display()))
        .arg(format!(
            "--contender=ledger-floor={}",
            ledger_floor().program.display()
        ))
        .arg(format!("--contender=raw={}", raw().program.display()))
        .output()
        .expect("run the bench driver");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "bench failed:\n{stderr}\n{stdout}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| l.starts_with("| ") && l.split('|').count() == 17)
        .skip(1) // the header
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    // 6 workloads × 2 Fabric profiles × 2 concurrency levels × 3 contenders.
    assert_eq!(rows.len(), 72, "one row per cell:\n{stdout}");
    for row in &rows {
        assert_eq!(row[15], "0", "failed transactions in {row:?}");
        let tx_per_sec: f64 = row[5].parse().expect("tx/s is a number");
        assert!(tx_per_sec > 0.0, "{row:?}");
        let rss: Vec<f64> = row[10..14]
            .iter()
            .map(|v| v.parse().expect("RSS is a number"))
            .collect();
        // Ready, mean, end and peak RSS were all measured.
        assert!(rss.iter().all(|&m| m > 0.0), "{row:?}");
    }
    for workload in ["create", "read", "transfer", "getall", "noop", "readmany"] {
        for fabric in ["2.5", "3.1"] {
            assert_eq!(
                rows.iter()
                    .filter(|r| r[1] == workload && r[2] == fabric)
                    .count(),
                6,
                "{workload} {fabric} rows missing:\n{stdout}"
            );
        }
    }
    // No contract contender: its ratios are n/a, the others are numbers.
    assert!(
        stdout.contains("| read | 3.1 | 1 | n/a | n/a | "),
        "ratio row:\n{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_workloads_succeed_on_the_raw_runtime() {
    // The transport floor answers 200 to anything; the raw contender and the
    // ledger floor only succeed when the seeded assets really are on the
    // emulated ledger (and, on 3.1, when their multi-key reads are answered).
    for workload in [
        Workload::Read,
        Workload::Transfer,
        Workload::GetAll,
        Workload::ReadMany,
    ] {
        for fabric in [Fabric::V2_5, Fabric::V3_1] {
            let config = CellConfig {
                workload,
                concurrency: 4,
                transactions: 40,
                warmup: 0,
                fabric,
            };
            for contender in [raw(), ledger_floor()] {
                let r = run_cell(&contender, config).await.expect("cell runs");
                let name = &contender.name;
                assert_eq!(
                    (r.failures, r.first_failure),
                    (0, None),
                    "{name} {workload} {fabric}"
                );
                assert!(r.peak_rss > 0 && r.startup.as_nanos() > 0);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_contenders_and_bad_configurations_are_explained() {
    let config = CellConfig {
        workload: Workload::Create,
        concurrency: 1,
        transactions: 3,
        warmup: 0,
        fabric: Fabric::V2_5,
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
