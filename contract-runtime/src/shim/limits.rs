//! Resource limits of the shim: message size, transactions in flight, the
//! outbound queue, the optional transaction deadline and the CCaaS server's
//! connection limits. Each has a default that suits a Fabric peer and can be
//! changed by an environment variable or a command-line flag (the flag wins).
//!
//! | limit | variable | flag | default |
//! |---|---|---|---|
//! | [`max_message_size`](Limits::max_message_size) | `CHAINCODE_MAX_MESSAGE_SIZE` | `--max-message-size` | 104857600 (100 MiB, the peer's) |
//! | [`max_in_flight`](Limits::max_in_flight) | `CHAINCODE_MAX_IN_FLIGHT` | `--max-in-flight` | 4096 |
//! | [`outbound_queue_bytes`](Limits::outbound_queue_bytes) | `CHAINCODE_OUTBOUND_QUEUE_BYTES` | `--outbound-queue-bytes` | 33554432 (32 MiB) |
//! | [`transaction_timeout`](Limits::transaction_timeout) | `CHAINCODE_TRANSACTION_TIMEOUT` | `--transaction-timeout` | off |
//! | [`connection_handshake_timeout`](Limits::connection_handshake_timeout) | `CHAINCODE_SERVER_HANDSHAKE_TIMEOUT` | `--server-handshake-timeout` | 5s |
//! | [`max_pending_connections`](Limits::max_pending_connections) | `CHAINCODE_SERVER_MAX_PENDING_CONNECTIONS` | `--server-max-pending-connections` | 64 |
//! | [`keepalive_interval`](Limits::keepalive_interval) | `CHAINCODE_SERVER_KEEPALIVE_INTERVAL` | `--server-keepalive-interval` | 60s |
//! | [`keepalive_timeout`](Limits::keepalive_timeout) | `CHAINCODE_SERVER_KEEPALIVE_TIMEOUT` | `--server-keepalive-timeout` | 20s |
//! | [`worker_threads`](Limits::worker_threads) | `CHAINCODE_WORKER_THREADS` | `--worker-threads` | 1 |
//!
//! Durations are written as an integer with a unit: `500ms`, `5s`, `2m`, `1h`;
//! `off` (or `0`) turns the transaction timeout off.

use std::collections::BTreeMap;
use std::time::Duration;

use super::settings::SettingsError;

pub use crate::tx::DEFAULT_MAX_MESSAGE_SIZE;
/// Transactions running at once before new ones are refused.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 4096;
/// Bytes of encoded messages waiting for the peer to read them.
pub const DEFAULT_OUTBOUND_QUEUE_BYTES: usize = 32 * 1024 * 1024;
/// How long an accepted CCaaS connection may take to finish TLS and send the
/// HTTP/2 preface (Go's shim closes such connections after 5 s too).
pub const DEFAULT_CONNECTION_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// Accepted CCaaS connections still in their handshake at once.
pub const DEFAULT_MAX_PENDING_CONNECTIONS: usize = 64;
/// HTTP/2 ping interval of the CCaaS server (as the Go shim's server).
pub const DEFAULT_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(60);
/// How long the CCaaS server waits for a ping's answer before closing.
pub const DEFAULT_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);

/// Threads running the shim and the transactions: one, the calling thread.
pub const DEFAULT_WORKER_THREADS: usize = 1;

/// The smallest accepted message limit: REGISTER and handshake frames must fit.
const MIN_MESSAGE_SIZE: usize = 4 * 1024;

/// The shim's resource limits; see the [module documentation](self) for
/// the variables and flags that set them.
///
/// ```
/// use fabric_contract::shim::Limits;
/// let limits = Limits::default();
/// assert_eq!(limits.max_message_size, 100 * 1024 * 1024);
/// assert_eq!(limits.transaction_timeout, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest encoded `ChaincodeMessage` sent or received. A request or a
    /// COMPLETED above it fails its own transaction (status 500 naming the
    /// limit) instead of breaking the stream. Keep it at the peer's
    /// `maxRecvMsgSize`.
    pub max_message_size: usize,
    /// Transactions running at once on one stream. One more is answered with
    /// ERROR at once, naming this limit; the peer reports it to the client,
    /// which may retry.
    pub max_in_flight: usize,
    /// Bytes of encoded messages queued for the peer. When the peer stops
    /// reading, senders wait (and the stream stops reading new messages)
    /// instead of buffering without bound. A single message larger than the
    /// whole budget still passes, alone.
    pub outbound_queue_bytes: usize,
    /// Deadline of one INIT/TRANSACTION from its arrival, `None` (the default)
    /// for none, as the Go shim: the peer's own execute timeout applies then.
    /// When it passes, the transaction is answered with ERROR and whatever it
    /// still waits for (e.g. a ledger request the peer never answers) is dropped.
    pub transaction_timeout: Option<Duration>,
    /// CCaaS only: time an accepted connection has to complete TLS and send
    /// the HTTP/2 preface before it is closed.
    pub connection_handshake_timeout: Duration,
    /// CCaaS only: connections allowed in that handshake phase at once. When a
    /// new connection arrives at the cap, the oldest one still in its
    /// handshake is closed, so idle sockets cannot lock out a real peer.
    pub max_pending_connections: usize,
    /// CCaaS only: HTTP/2 ping interval.
    pub keepalive_interval: Duration,
    /// CCaaS only: how long a ping may go unanswered before the connection is closed.
    pub keepalive_timeout: Duration,
    /// Threads that run the stream and the transactions when the chaincode is
    /// started by `fabric_contract::run`. With 1 (the default) everything runs
    /// on the main thread: a transaction spends its time waiting for the peer,
    /// so one thread keeps up with many in flight, and it saves the
    /// thread hand-offs and the memory of more threads; the transactions then
    /// run inside the stream's task instead of a task each. More threads (a
    /// multi-threaded runtime, each transaction spawned) help a contract that
    /// computes for long between ledger calls, and are needed to call
    /// `tokio::task::block_in_place`.
    pub worker_threads: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            outbound_queue_bytes: DEFAULT_OUTBOUND_QUEUE_BYTES,
            transaction_timeout: None,
            connection_handshake_timeout: DEFAULT_CONNECTION_HANDSHAKE_TIMEOUT,
            max_pending_connections: DEFAULT_MAX_PENDING_CONNECTIONS,
            keepalive_interval: DEFAULT_KEEPALIVE_INTERVAL,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            worker_threads: DEFAULT_WORKER_THREADS,
        }
    }
}

/// One limit: its variable, its flag and how to parse it.
struct Knob {
    variable: &'static str,
    flag: &'static str,
    apply: fn(&mut Limits, &'static str, &str) -> Result<(), SettingsError>,
}

const KNOBS: &[Knob] = &[
    Knob {
        variable: "CHAINCODE_MAX_MESSAGE_SIZE",
        flag: "--max-message-size",
        apply: |l, name, v| {
            l.max_message_size = count(
                name,
                v,
                MIN_MESSAGE_SIZE,
                "a size in bytes of at least 4096, e.g. 104857600",
            )?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_MAX_IN_FLIGHT",
        flag: "--max-in-flight",
        apply: |l, name, v| {
            l.max_in_flight = count(
                name,
                v,
                1,
                "a number of transactions of at least 1, e.g. 4096",
            )?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_OUTBOUND_QUEUE_BYTES",
        flag: "--outbound-queue-bytes",
        apply: |l, name, v| {
            l.outbound_queue_bytes = count(
                name,
                v,
                1024,
                "a size in bytes of at least 1024, e.g. 33554432",
            )?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_TRANSACTION_TIMEOUT",
        flag: "--transaction-timeout",
        apply: |l, name, v| {
            l.transaction_timeout = match v {
                "off" | "0" => None,
                _ => Some(duration(name, v)?),
            };
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_SERVER_HANDSHAKE_TIMEOUT",
        flag: "--server-handshake-timeout",
        apply: |l, name, v| {
            l.connection_handshake_timeout = duration(name, v)?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_SERVER_MAX_PENDING_CONNECTIONS",
        flag: "--server-max-pending-connections",
        apply: |l, name, v| {
            l.max_pending_connections =
                count(name, v, 1, "a number of connections of at least 1, e.g. 64")?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_SERVER_KEEPALIVE_INTERVAL",
        flag: "--server-keepalive-interval",
        apply: |l, name, v| {
            l.keepalive_interval = duration(name, v)?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_SERVER_KEEPALIVE_TIMEOUT",
        flag: "--server-keepalive-timeout",
        apply: |l, name, v| {
            l.keepalive_timeout = duration(name, v)?;
            Ok(())
        },
    },
    Knob {
        variable: "CHAINCODE_WORKER_THREADS",
        flag: "--worker-threads",
        apply: |l, name, v| {
            l.worker_threads = count(name, v, 1, "a number of threads of at least 1, e.g. 1")?;
            Ok(())
        },
    },
];

/// The limits' flags (`--max-in-flight` …), which `serve` hands on with Fabric's own flags.
pub(crate) fn flags() -> impl Iterator<Item = &'static str> {
    KNOBS.iter().map(|knob| knob.flag)
}

const DURATION_EXPECTED: &str = "a positive duration with a unit, e.g. 500ms, 5s, 2m or 1h";

fn count(
    name: &'static str,
    value: &str,
    min: usize,
    expected: &'static str,
) -> Result<usize, SettingsError> {
    match value.trim().parse::<usize>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(SettingsError::Invalid {
            variable: name,
            value: value.to_owned(),
            expected,
        }),
    }
}

/// Parses `<integer><unit>` with unit `ms`, `s`, `m` or `h`; zero is refused.
fn duration(name: &'static str, value: &str) -> Result<Duration, SettingsError> {
    let text = value.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| SettingsError::Invalid {
        variable: name,
        value: value.to_owned(),
        expected: DURATION_EXPECTED,
    })?;
    let parsed = match unit {
        "ms" => Some(Duration::from_millis(n)),
        "s" => Some(Duration::from_secs(n)),
        "m" => n.checked_mul(60).map(Duration::from_secs),
        "h" => n.checked_mul(3600).map(Duration::from_secs),
        _ => None,
    };
    match parsed {
        Some(d) if !d.is_zero() => Ok(d),
        _ => Err(SettingsError::Invalid {
            variable: name,
            value: value.to_owned(),
            expected: DURATION_EXPECTED,
        }),
    }
}

impl Limits {
    /// Reads the limits from environment variables and flags (`--flag=value`
    /// or `--flag value`; one leading dash works too). Unset ones keep their
    /// defaults; other arguments are ignored.
    ///
    /// ```
    /// use fabric_contract::shim::Limits;
    /// use std::time::Duration;
    /// let env = [("CHAINCODE_MAX_IN_FLIGHT".to_string(), "100".to_string())];
    /// let limits = Limits::from_env_and_args(env, ["--transaction-timeout=30s".to_string()])?;
    /// assert_eq!(limits.max_in_flight, 100);
    /// assert_eq!(limits.transaction_timeout, Some(Duration::from_secs(30)));
    /// # Ok::<(), fabric_contract::shim::SettingsError>(())
    /// ```
    pub fn from_env_and_args(
        env: impl IntoIterator<Item = (String, String)>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Self, SettingsError> {
        let env: BTreeMap<String, String> = env.into_iter().collect();
        let args: Vec<String> = args.into_iter().collect();
        let mut limits = Self::default();
        for knob in KNOBS {
            if let Some(value) = env.get(knob.variable).filter(|v| !v.trim().is_empty()) {
                (knob.apply)(&mut limits, knob.variable, value)?;
            }
            if let Some(value) = flag_value(&args, knob.flag)? {
                (knob.apply)(&mut limits, knob.flag, &value)?;
            }
        }
        Ok(limits)
    }
}

/// The last value given to `flag` (spelled with one or two dashes).
fn flag_value(args: &[String], flag: &'static str) -> Result<Option<String>, SettingsError> {
    let single = &flag[1..];
    let mut found = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let Some(rest) = arg.strip_prefix(flag).or_else(|| arg.strip_prefix(single)) else {
            continue;
        };
        if let Some(value) = rest.strip_prefix('=') {
            found = Some(value.to_owned());
        } else if rest.is_empty() {
            found = Some(iter.next().cloned().ok_or(SettingsError::Missing {
                variable: flag,
                expected: "a value after the flag",
            })?);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(env: &[(&str, &str)], args: &[&str]) -> Result<Limits, SettingsError> {
        Limits::from_env_and_args(
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
            args.iter().map(|a| a.to_string()),
        )
    }

    #[test]
    fn defaults_env_and_flags() {
        assert_eq!(parse(&[], &[]).unwrap(), Limits::default());
        let l = parse(
            &[
                ("CHAINCODE_MAX_MESSAGE_SIZE", "1048576"),
                ("CHAINCODE_MAX_IN_FLIGHT", "10"),
                ("CHAINCODE_OUTBOUND_QUEUE_BYTES", "2048"),
                ("CHAINCODE_TRANSACTION_TIMEOUT", "1500ms"),
                ("CHAINCODE_SERVER_HANDSHAKE_TIMEOUT", "2s"),
                ("CHAINCODE_SERVER_MAX_PENDING_CONNECTIONS", "3"),
                ("CHAINCODE_SERVER_KEEPALIVE_INTERVAL", "1m"),
                ("CHAINCODE_SERVER_KEEPALIVE_TIMEOUT", "1h"),
                ("CHAINCODE_WORKER_THREADS", "4"),
            ],
            &["--max-in-flight=20", "-server-max-pending-connections", "4"],
        )
        .unwrap();
        assert_eq!(
            l,
            Limits {
                max_message_size: 1_048_576,
                max_in_flight: 20,
                outbound_queue_bytes: 2048,
                transaction_timeout: Some(Duration::from_millis(1500)),
                connection_handshake_timeout: Duration::from_secs(2),
                max_pending_connections: 4,
                keepalive_interval: Duration::from_secs(60),
                keepalive_timeout: Duration::from_secs(3600),
                worker_threads: 4,
            }
        );
        let l = parse(
            &[("CHAINCODE_TRANSACTION_TIMEOUT", "5s")],
            &["--transaction-timeout", "off"],
        );
        assert_eq!(l.unwrap().transaction_timeout, None);
    }

    #[test]
    fn bad_values_name_the_variable_or_flag() {
        for (env, args, name) in [
            (
                &[("CHAINCODE_MAX_IN_FLIGHT", "0")][..],
                &[][..],
                "CHAINCODE_MAX_IN_FLIGHT",
            ),
            (&[], &["--max-message-size=10"], "--max-message-size"),
            (
                &[("CHAINCODE_TRANSACTION_TIMEOUT", "5")],
                &[],
                "CHAINCODE_TRANSACTION_TIMEOUT",
            ),
            (
                &[],
                &["--server-handshake-timeout=0s"],
                "--server-handshake-timeout",
            ),
            (
                &[],
                &["--server-keepalive-interval=1d"],
                "--server-keepalive-interval",
            ),
            (
                &[("CHAINCODE_WORKER_THREADS", "0")],
                &[],
                "CHAINCODE_WORKER_THREADS",
            ),
        ] {
            let err = parse(env, args).unwrap_err();
            assert!(
                matches!(&err, SettingsError::Invalid { variable, .. } if *variable == name),
                "{err}"
            );
            assert!(err.to_string().contains("expected"), "{err}");
        }
        assert!(matches!(
            parse(&[], &["--max-in-flight"]).unwrap_err(),
            SettingsError::Missing {
                variable: "--max-in-flight",
                ..
            }
        ));
    }
}
