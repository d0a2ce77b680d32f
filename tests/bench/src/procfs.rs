//! What the kernel knows about the chaincode process: CPU time from
//! `/proc/<pid>/stat` (10 ms ticks) and `/proc/<pid>/task/*/schedstat`
//! (nanoseconds), and peak resident set size from `/proc/<pid>/status`.

use std::time::Duration;

/// Clock ticks per second in `/proc/<pid>/stat` (`USER_HZ`). It is part of the
/// kernel's user-space ABI and is 100 on every architecture this runs on, so
/// CPU times have 10 ms resolution: runs must be long enough to dwarf that.
pub const USER_HZ: u64 = 100;

/// Why a `/proc` reading failed.
#[derive(Debug, thiserror::Error)]
pub enum ProcError {
    /// The file could not be read (the process has exited, or this is not Linux).
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file does not have the expected layout.
    #[error("{path} is not in the expected format: {what}")]
    Format {
        /// The file.
        path: String,
        /// What was missing.
        what: &'static str,
    },
}

fn read(path: String) -> Result<(String, String), ProcError> {
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok((path, text)),
        Err(source) => Err(ProcError::Read { path, source }),
    }
}

/// User plus system CPU time consumed so far by all threads of `pid`.
pub fn cpu_time(pid: u32) -> Result<Duration, ProcError> {
    let (path, text) = read(format!("/proc/{pid}/stat"))?;
    parse_cpu_time(&text).ok_or(ProcError::Format {
        path,
        what: "utime and stime (fields 14 and 15)",
    })
}

/// CPU time of `pid` with nanosecond resolution: the sum of every live
/// thread's `schedstat` run time.
///
/// `/proc/<pid>/stat` counts in 10 ms ticks, too coarse for ratios of
/// runs that take a fraction of a second; this counter is exact but forgets
/// threads that exit. The chaincode's runtime threads live as long as the
/// process, so between two samples it matches utime + stime to within a tick
/// (the bench prints both).
pub fn precise_cpu_time(pid: u32) -> Result<Duration, ProcError> {
    let dir = format!("/proc/{pid}/task");
    let tasks = std::fs::read_dir(&dir).map_err(|source| ProcError::Read {
        path: dir.clone(),
        source,
    })?;
    let mut total = Duration::ZERO;
    for task in tasks.flatten() {
        let path = task.path().join("schedstat");
        // A thread that exited since the directory was listed adds nothing.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        total += parse_schedstat(&text).ok_or(ProcError::Format {
            path: path.display().to_string(),
            what: "run time in nanoseconds as the first field",
        })?;
    }
    Ok(total)
}

/// Parses the first field (time spent on the CPU, in ns) of a `schedstat` line.
pub fn parse_schedstat(text: &str) -> Option<Duration> {
    let ns = text.split_ascii_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Parses utime + stime out of a `/proc/<pid>/stat` line.
///
/// The command name (field 2) is in parentheses and may itself contain spaces
/// and parentheses, so fields are counted from the last `)`.
pub fn parse_cpu_time(stat: &str) -> Option<Duration> {
    let after_comm = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_comm.split_ascii_whitespace();
    // After the name come field 3 (state) … field 13; utime is field 14.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    let ticks = utime + stime;
    Some(Duration::from_millis(ticks * 1000 / USER_HZ))
}

/// Peak resident set size (`VmHWM`) of `pid`, in bytes.
pub fn peak_rss(pid: u32) -> Result<u64, ProcError> {
    let (path, text) = read(format!("/proc/{pid}/status"))?;
    parse_peak_rss(&text).ok_or(ProcError::Format {
        path,
        what: "a VmHWM line in kB",
    })
}

/// Parses the `VmHWM:   1234 kB` line of `/proc/<pid>/status` into bytes.
pub fn parse_peak_rss(status: &str) -> Option<u64> {
    parse_status_kib(status, "VmHWM:")
}

/// Current resident set size (`VmRSS`) of `pid`, in bytes.
pub fn rss(pid: u32) -> Result<u64, ProcError> {
    let (path, text) = read(format!("/proc/{pid}/status"))?;
    parse_status_kib(&text, "VmRSS:").ok_or(ProcError::Format {
        path,
        what: "a VmRSS line in kB",
    })
}

fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix(field))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_after_the_last_parenthesis() {
        // A command name with spaces and a ')' must not shift the fields.
        let stat = "4242 (odd) name) S 1 2 3 4 5 6 7 8 9 10 250 37 0 0 20 0 3 0 99 1000 50";
        assert_eq!(parse_cpu_time(stat), Some(Duration::from_millis(2870)));
    }

    #[test]
    fn truncated_stat_is_rejected() {
        assert_eq!(parse_cpu_time("4242 (x) S 1 2 3"), None);
        assert_eq!(parse_cpu_time("no parenthesis"), None);
    }

    #[test]
    fn schedstat_first_field_is_nanoseconds() {
        assert_eq!(
            parse_schedstat("109944249 116909378 435\n"),
            Some(Duration::from_nanos(109_944_249))
        );
        assert_eq!(parse_schedstat(""), None);
    }

    #[test]
    fn vmhwm_is_read_in_bytes() {
        let status = "Name:\tbench\nVmPeak:\t  9000 kB\nVmHWM:\t    5120 kB\nVmRSS:\t 4000 kB\n";
        assert_eq!(parse_peak_rss(status), Some(5120 * 1024));
        assert_eq!(parse_peak_rss("VmRSS: 1 kB\n"), None);
        assert_eq!(parse_status_kib(status, "VmRSS:"), Some(4000 * 1024));
    }

    #[test]
    fn own_process_is_readable() {
        let pid = std::process::id();
        assert!(peak_rss(pid).unwrap() > 0);
        assert!(rss(pid).unwrap() > 0);
        cpu_time(pid).unwrap();
        assert!(precise_cpu_time(pid).unwrap() > Duration::ZERO);
        assert!(matches!(cpu_time(u32::MAX), Err(ProcError::Read { .. })));
    }
}
