//! One measured cell: a fresh emulated peer, a fresh chaincode process, one
//! workload at one concurrency.

use std::net::SocketAddr;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_emulated_peer::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions};

use crate::contender::Contender;
use crate::procfs::{self, ProcError};
use crate::stats::percentile;
use crate::workload::{self, Commit, Fabric, SEEDED_ASSETS, Workload};

/// The chaincode name every contender registers under.
pub const CHAINCODE: &str = "basic";
/// How long a contender may take from spawn to READY before the cell fails.
const REGISTER_TIMEOUT: Duration = Duration::from_secs(20);
/// How often a contender that has not registered yet is checked for having exited.
const REGISTER_POLL: Duration = Duration::from_millis(100);
/// How often the chaincode's RSS is sampled during the measured phase.
pub const RSS_SAMPLE: Duration = Duration::from_millis(10);

/// Samples `VmRSS` of a process on a thread of its own until stopped.
struct RssSampler {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<Vec<u64>>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            // At least one sample, however short the phase.
            let mut samples = Vec::new();
            loop {
                if let Ok(rss) = procfs::rss(pid) {
                    samples.push(rss);
                }
                if flag.load(Ordering::Relaxed) {
                    return samples;
                }
                std::thread::sleep(RSS_SAMPLE);
            }
        });
        Self { stop, thread }
    }

    /// Stops sampling; the mean and the largest of the samples (0 for none).
    fn finish(self) -> (u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        let samples = self.thread.join().unwrap_or_default();
        let mean = samples.iter().sum::<u64>() / (samples.len().max(1) as u64);
        (mean, samples.iter().copied().max().unwrap_or(0))
    }
}

/// What to run in one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellConfig {
    /// The workload.
    pub workload: Workload,
    /// Transactions in flight at once (1 ..= 100).
    pub concurrency: usize,
    /// Measured transactions.
    pub transactions: usize,
    /// Unmeasured transactions first (connection and allocator warm-up).
    pub warmup: usize,
    /// The emulated peer's version profile.
    pub fabric: Fabric,
}

/// What one cell measured.
#[derive(Debug, Clone)]
pub struct CellResult {
    /// Contender name.
    pub contender: String,
    /// The configuration.
    pub config: CellConfig,
    /// Measured transactions that did not answer COMPLETED with status 200.
    pub failures: usize,
    /// The first failure's description.
    pub first_failure: Option<String>,
    /// Wall time of the measured phase.
    pub elapsed: Duration,
    /// Median latency (peer sends the proposal → peer has the final answer).
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// Chaincode process CPU time during the measured phase, from the
    /// threads' `schedstat` (ns resolution; used for ratios).
    pub cpu: Duration,
    /// The same from utime + stime in `/proc/<pid>/stat` (10 ms resolution).
    pub cpu_stat: Duration,
    /// Chaincode peak RSS at the end of the cell, in bytes: `VmHWM`, or the
    /// largest sample when the kernel's high-water mark lags behind.
    pub peak_rss: u64,
    /// Chaincode RSS right after READY, in bytes.
    pub ready_rss: u64,
    /// Mean of the RSS samples taken every [`RSS_SAMPLE`] during the measured phase, in bytes.
    pub mean_rss: u64,
    /// Chaincode RSS at the end of the measured phase, in bytes.
    pub end_rss: u64,
    /// From spawning the process to the peer having sent READY.
    pub startup: Duration,
}

impl CellResult {
    /// Measured transactions per second.
    pub fn tx_per_sec(&self) -> f64 {
        self.config.transactions as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Chaincode CPU time per measured transaction.
    pub fn cpu_per_tx(&self) -> Duration {
        self.cpu / self.config.transactions.max(1) as u32
    }

    /// Several runs of one contender in one cell as one result: the median of each figure
    /// (upper median for an even count), failures added up, the first failure kept.
    /// `None` for no runs.
    ///
    /// ```
    /// # use fabric_contract_bench::run::CellResult;
    /// # fn runs() -> Vec<CellResult> { Vec::new() }
    /// assert!(CellResult::median(&runs()).is_none());
    /// ```
    pub fn median(runs: &[CellResult]) -> Option<CellResult> {
        let first = runs.first()?;
        fn mid<T: Ord + Copy>(runs: &[CellResult], field: impl Fn(&CellResult) -> T) -> T {
            let mut values: Vec<T> = runs.iter().map(field).collect();
            values.sort_unstable();
            values[values.len() / 2]
        }
        Some(CellResult {
            contender: first.contender.clone(),
            config: first.config,
            failures: runs.iter().map(|r| r.failures).sum(),
            first_failure: runs.iter().find_map(|r| r.first_failure.clone()),
            elapsed: mid(runs, |r| r.elapsed),
            p50: mid(runs, |r| r.p50),
            p99: mid(runs, |r| r.p99),
            cpu: mid(runs, |r| r.cpu),
            cpu_stat: mid(runs, |r| r.cpu_stat),
            peak_rss: mid(runs, |r| r.peak_rss),
            ready_rss: mid(runs, |r| r.ready_rss),
            mean_rss: mid(runs, |r| r.mean_rss),
            end_rss: mid(runs, |r| r.end_rss),
            startup: mid(runs, |r| r.startup),
        })
    }
}

/// Why a cell could not be measured (as opposed to transactions failing,
/// which are counted in [`CellResult::failures`]).
#[derive(Debug, thiserror::Error)]
pub enum CellError {
    /// The configuration is out of range.
    #[error("invalid cell: {0}")]
    Config(String),
    /// The emulated peer could not listen.
    #[error("the emulated peer cannot serve: {0}")]
    Peer(String),
    /// The contender's program could not be started.
    #[error("cannot start contender {name} ({program}): {source}")]
    Spawn {
        /// Contender name.
        name: String,
        /// Its program.
        program: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The contender did not register in time.
    #[error("contender {name} did not reach READY within {timeout:?}{exit}")]
    Register {
        /// Contender name.
        name: String,
        /// The limit.
        timeout: Duration,
        /// ", it exited with …" when the process is gone.
        exit: String,
    },
    /// A seeding transaction failed, so the workload would measure errors.
    #[error("seeding {what} failed on {name}: {reason}")]
    Seed {
        /// Contender name.
        name: String,
        /// Which transaction.
        what: String,
        /// Why.
        reason: String,
    },
    /// `/proc` could not be read.
    #[error(transparent)]
    Proc(#[from] ProcError),
}

/// Stops the chaincode when the cell ends, however it ends.
pub struct Running(pub Child);

/// How long a chaincode may take to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

impl Drop for Running {
    fn drop(&mut self) {
        // SIGTERM first, as a peer stops a chaincode, so a contender run under
        // a profiler (valgrind, perf) gets to write its output.
        let asked = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + STOP_GRACE;
        while asked && Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn invocation(workload_commit: Commit, args: &[String]) -> Invocation {
    match workload_commit {
        Commit::Submit => Invocation::submit(CHAINCODE, args),
        Commit::Evaluate => Invocation::evaluate(CHAINCODE, args),
    }
}

/// Runs one transaction; `Err` describes a failure.
pub async fn transact(peer: &EmulatedPeer, commit: Commit, args: &[String]) -> Result<(), String> {
    let outcome = peer
        .invoke(invocation(commit, args))
        .await
        .map_err(|e| format!("{}: {e}", args[0]))?;
    if outcome.message_type == Type::Completed && outcome.response.status == 200 {
        Ok(())
    } else {
        Err(format!(
            "{}: {:?} status {} {:?}",
            args[0], outcome.message_type, outcome.response.status, outcome.response.message
        ))
    }
}

/// Latencies and failures of one phase.
struct Phase {
    latencies: Vec<Duration>,
    failures: usize,
    first_failure: Option<String>,
}

/// Runs transactions `range` of `workload` with `concurrency` clients.
async fn phase(
    peer: &EmulatedPeer,
    workload: Workload,
    concurrency: usize,
    range: std::ops::Range<usize>,
) -> Phase {
    let next = Arc::new(AtomicUsize::new(range.start));
    let mut clients = Vec::with_capacity(concurrency);
    for worker in 0..concurrency {
        let (peer, next, end) = (peer.clone(), next.clone(), range.end);
        clients.push(tokio::spawn(async move {
            let mut mine = Phase {
                latencies: Vec::with_capacity((end / concurrency.max(1)) + 1),
                failures: 0,
                first_failure: None,
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= end {
                    return mine;
                }
                let args = workload.args(i, worker);
                let started = Instant::now();
                let result = transact(&peer, workload.commit(), &args).await;
                mine.latencies.push(started.elapsed());
                if let Err(reason) = result {
                    mine.failures += 1;
                    mine.first_failure.get_or_insert(reason);
                }
            }
        }));
    }
    let mut all = Phase {
        latencies: Vec::with_capacity(range.len()),
        failures: 0,
        first_failure: None,
    };
    for client in clients {
        match client.await {
            Ok(mine) => {
                all.latencies.extend(mine.latencies);
                all.failures += mine.failures;
                if all.first_failure.is_none() {
                    all.first_failure = mine.first_failure;
                }
            }
            Err(e) => {
                all.failures += 1;
                all.first_failure
                    .get_or_insert(format!("client task failed: {e}"));
            }
        }
    }
    all
}

/// Spawns `contender` and waits for its READY; returns it and the time it took.
pub async fn start(
    contender: &Contender,
    peer: &EmulatedPeer,
    addr: SocketAddr,
) -> Result<(Running, Duration), CellError> {
    let spawned = Instant::now();
    let child = contender
        .spawn(addr, CHAINCODE)
        .map_err(|source| CellError::Spawn {
            name: contender.name.clone(),
            program: contender.program.display().to_string(),
            source,
        })?;
    let mut running = Running(child);
    // Poll in short slices so a contender that dies is reported at once.
    while spawned.elapsed() < REGISTER_TIMEOUT {
        if peer.wait_registered(CHAINCODE, REGISTER_POLL).await.is_ok() {
            return Ok((running, spawned.elapsed()));
        }
        if let Ok(Some(status)) = running.0.try_wait() {
            return Err(CellError::Register {
                name: contender.name.clone(),
                timeout: REGISTER_TIMEOUT,
                exit: format!(", it exited with {status}"),
            });
        }
    }
    Err(CellError::Register {
        name: contender.name.clone(),
        timeout: REGISTER_TIMEOUT,
        exit: String::new(),
    })
}

/// Runs one cell against `contender`.
pub async fn run_cell(contender: &Contender, config: CellConfig) -> Result<CellResult, CellError> {
    if !(1..=SEEDED_ASSETS).contains(&config.concurrency) || config.transactions == 0 {
        return Err(CellError::Config(format!(
            "concurrency must be 1..={SEEDED_ASSETS} and transactions at least 1, got {} and {}",
            config.concurrency, config.transactions
        )));
    }
    let options = PeerOptions::default()
        .fabric(config.fabric.version())
        .chaincode(ChaincodeDefinition::new(CHAINCODE));
    let peer = EmulatedPeer::new(options);
    let addr = peer
        .serve_tcp("127.0.0.1:0")
        .await
        .map_err(|e| CellError::Peer(e.to_string()))?;
    let (running, startup) = start(contender, &peer, addr).await?;
    let pid = running.0.id();
    let ready_rss = procfs::rss(pid)?;
    if config.workload.needs_seed() {
        for args in workload::seed() {
            transact(&peer, Commit::Submit, &args)
                .await
                .map_err(|reason| CellError::Seed {
                    name: contender.name.clone(),
                    what: args[1].clone(),
                    reason,
                })?;
        }
    }
    let (n, c) = (config.transactions, config.concurrency);
    phase(&peer, config.workload, c, 0..config.warmup).await;
    let (stat_before, cpu_before) = (procfs::cpu_time(pid)?, procfs::precise_cpu_time(pid)?);
    let sampler = RssSampler::start(pid);
    let began = Instant::now();
    let mut measured = phase(&peer, config.workload, c, config.warmup..config.warmup + n).await;
    let elapsed = began.elapsed();
    let cpu = procfs::precise_cpu_time(pid)?.saturating_sub(cpu_before);
    let cpu_stat = procfs::cpu_time(pid)?.saturating_sub(stat_before);
    let (mean_rss, max_sample) = sampler.finish();
    let end_rss = procfs::rss(pid)?;
    // The kernel updates VmHWM lazily, so a sample can be above it.
    let peak_rss = procfs::peak_rss(pid)?.max(max_sample).max(end_rss);
    drop(running);
    measured.latencies.sort_unstable();
    Ok(CellResult {
        contender: contender.name.clone(),
        config,
        failures: measured.failures,
        first_failure: measured.first_failure,
        elapsed,
        p50: percentile(&measured.latencies, 50.0),
        p99: percentile(&measured.latencies, 99.0),
        cpu,
        cpu_stat,
        peak_rss,
        ready_rss,
        mean_rss,
        end_rss,
        startup,
    })
}
