//! `<chaincode> [serve]`: settings from the environment, flags or an external
//! builder's `chaincode.json`, then the shim until the peer goes away.

use std::process::ExitCode;

use serde::Deserialize;

use super::{Program, fail, init_tracing};
use crate::shim::{self, ClientSettings, ClientTls, DEFAULT_HANDSHAKE_TIMEOUT, Mode, Settings};

/// `chaincode.json` as the peer writes it for an external builder's `run`.
#[derive(Debug, Deserialize)]
struct ChaincodeJson {
    chaincode_id: String,
    peer_address: String,
    #[serde(default)]
    client_cert: String,
    #[serde(default)]
    client_key: String,
    #[serde(default)]
    root_cert: String,
    #[serde(default)]
    mspid: String,
}

/// The launch mode forced by `--client` / `--server`, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forced {
    Client,
    Server,
}

pub(super) fn run<P: Program>(program: P, args: Vec<String>) -> ExitCode {
    init_tracing();
    let settings = match settings(std::env::vars().collect(), args) {
        Ok(settings) => settings,
        Err(message) => return fail(2, &message),
    };
    let threads = settings.limits.worker_threads;
    let runtime = match runtime(threads) {
        Ok(runtime) => runtime,
        Err(e) => return fail(1, &format!("cannot start the async runtime: {e}")),
    };
    tracing::info!(chaincode_id = %settings.chaincode_id, threads, "starting");
    let chaincode = program.chaincode();
    let Err(error) = runtime.block_on(shim::serve(settings, chaincode));
    fail(1, &error.to_string())
}

/// The runtime for `threads` worker threads (see [`shim::Limits::worker_threads`]):
/// one means the main thread alone; more, a multi-threaded runtime.
fn runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    }
}

/// The flags `serve` accepts, for messages and suggestions.
const SERVE_FLAGS: &[&str] = &[
    "--client",
    "--server",
    "--chaincode-json",
    "-peer.address",
    "--peer.address",
];

/// The subcommands, to suggest when a word looks like a mistyped one.
const SUBCOMMANDS: &[&str] = &["serve", "metadata", "package", "dev", "help"];

/// Settings from the environment and the serve arguments (`--client`,
/// `--server`, `--chaincode-json FILE`, and Fabric's `-peer.address`, which
/// the peer's container runtime passes to the chaincode). Anything else is a
/// mistake to report, not a flag to ignore.
fn settings(mut env: Vec<(String, String)>, args: Vec<String>) -> Result<Settings, String> {
    let mut forced = None;
    let mut chaincode_json = None;
    let mut rest = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--client" => forced = Some(Forced::Client),
            "--server" => forced = Some(Forced::Server),
            "--chaincode-json" => {
                chaincode_json = Some(args.next().ok_or("--chaincode-json needs a file path")?);
            }
            "-peer.address" | "--peer.address" => {
                rest.push(arg);
                rest.push(args.next().ok_or("-peer.address needs host:port")?);
            }
            other => {
                if let Some(path) = other.strip_prefix("--chaincode-json=") {
                    chaincode_json = Some(path.to_owned());
                } else if other.starts_with("-peer.address=")
                    || other.starts_with("--peer.address=")
                {
                    rest.push(arg);
                } else if let Some(takes_value) = limit_flag(other) {
                    // Settings reads the limits from the same arguments.
                    let value = match takes_value {
                        true => Some(
                            args.next()
                                .ok_or_else(|| format!("{other} needs a value"))?,
                        ),
                        false => None,
                    };
                    rest.push(arg);
                    rest.extend(value);
                } else {
                    return Err(unknown_argument(other));
                }
            }
        }
    }
    if let Some(path) = chaincode_json {
        return from_chaincode_json(&path);
    }
    match forced {
        Some(Forced::Client) => env.retain(|(k, _)| k != "CHAINCODE_SERVER_ADDRESS"),
        Some(Forced::Server) if !env.iter().any(|(k, _)| k == "CHAINCODE_SERVER_ADDRESS") => {
            return Err(
                "--server needs CHAINCODE_SERVER_ADDRESS (the host:port to listen on)".into(),
            );
        }
        _ => {}
    }
    Settings::from_env_and_args(env, rest).map_err(|e| e.to_string())
}

/// Whether `arg` is one of the limits' flags (`--max-in-flight=20`, `-max-in-flight 20`), and
/// whether its value is the next argument.
fn limit_flag(arg: &str) -> Option<bool> {
    let (name, value) = match arg.split_once('=') {
        Some((name, _)) => (name, false),
        None => (arg, true),
    };
    crate::shim::limits::flags()
        .any(|flag| name == flag || name == &flag[1..])
        .then_some(value)
}

/// Names what was wrong with a serve argument, with the closest valid word.
fn unknown_argument(word: &str) -> String {
    let flag = word.split('=').next().unwrap_or(word);
    let suggestion = if word.starts_with('-') {
        let known: Vec<&str> = SERVE_FLAGS
            .iter()
            .copied()
            .chain(crate::shim::limits::flags())
            .collect();
        super::suggest(flag, &known)
    } else {
        super::suggest(word, SUBCOMMANDS)
    };
    let tip = suggestion
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    format!(
        "unexpected argument `{word}`{tip}: serve accepts --client, --server, --chaincode-json FILE \
         -peer.address=host:port and the limits' flags (--max-in-flight, --transaction-timeout, …); the other subcommands are metadata, package and dev (see --help)"
    )
}

/// Client-mode settings from the external builder's `chaincode.json`: TLS is on
/// when the peer handed over a root certificate.
fn from_chaincode_json(path: &str) -> Result<Settings, String> {
    let text =
        std::fs::read(path).map_err(|e| format!("cannot read --chaincode-json {path}: {e}"))?;
    let json: ChaincodeJson = serde_json::from_slice(&text).map_err(|e| {
        format!("--chaincode-json {path} is not the peer's chaincode.json (chaincode_id, peer_address, …): {e}")
    })?;
    let tls = (!json.root_cert.is_empty()).then(|| ClientTls {
        root_cert_pem: json.root_cert.into_bytes(),
        client_cert_pem: json.client_cert.into_bytes(),
        client_key_pem: json.client_key.into_bytes(),
    });
    Ok(Settings {
        // The limits still come from the environment (CHAINCODE_MAX_IN_FLIGHT, …).
        limits: shim::Limits::from_env_and_args(std::env::vars(), std::iter::empty())
            .map_err(|e| e.to_string())?,
        chaincode_id: json.chaincode_id,
        peer_msp_id: (!json.mspid.is_empty()).then_some(json.mspid),
        handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        mode: Mode::Client(ClientSettings {
            peer_address: json.peer_address,
            tls,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn client_flag_ignores_the_server_address() {
        let vars = env(&[
            ("CORE_CHAINCODE_ID_NAME", "cc:1"),
            ("CHAINCODE_SERVER_ADDRESS", "0.0.0.0:9999"),
        ]);
        let server = settings(vars.clone(), args(&["-peer.address=p:7052"])).unwrap();
        assert!(matches!(server.mode, Mode::Server(_)));
        let client = settings(vars, args(&["--client", "-peer.address=p:7052"])).unwrap();
        assert!(matches!(client.mode, Mode::Client(ref c) if c.peer_address == "p:7052"));
    }

    #[test]
    fn server_flag_needs_an_address() {
        let err = settings(env(&[("CHAINCODE_ID", "cc:1")]), args(&["--server"])).unwrap_err();
        assert!(err.contains("CHAINCODE_SERVER_ADDRESS"), "{err}");
    }

    #[test]
    fn chaincode_json_from_an_external_builder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chaincode.json");
        std::fs::write(&path, r#"{"chaincode_id":"basic:abc","peer_address":"peer0:7052","client_cert":"","client_key":"","root_cert":"","mspid":"Org1MSP"}"#).unwrap();
        let s = settings(
            Vec::new(),
            args(&["--chaincode-json", path.to_str().unwrap()]),
        )
        .unwrap();
        assert_eq!(
            (s.chaincode_id.as_str(), s.peer_msp_id.as_deref()),
            ("basic:abc", Some("Org1MSP"))
        );
        assert!(
            matches!(s.mode, Mode::Client(ref c) if c.peer_address == "peer0:7052" && c.tls.is_none())
        );

        std::fs::write(&path, r#"{"chaincode_id":"x","peer_address":"p:1","root_cert":"ROOT","client_cert":"C","client_key":"K"}"#).unwrap();
        let s = settings(
            Vec::new(),
            args(&[&format!("--chaincode-json={}", path.display())]),
        )
        .unwrap();
        assert!(
            matches!(s.mode, Mode::Client(ref c) if c.tls.as_ref().is_some_and(|t| t.root_cert_pem == b"ROOT"))
        );

        std::fs::write(&path, "{}").unwrap();
        let err = settings(
            Vec::new(),
            args(&["--chaincode-json", path.to_str().unwrap()]),
        )
        .unwrap_err();
        assert!(err.contains("is not the peer's chaincode.json"), "{err}");
    }

    #[test]
    fn the_limits_flags_are_served_not_refused() {
        let vars = env(&[
            ("CORE_CHAINCODE_ID_NAME", "cc:1"),
            ("CORE_PEER_ADDRESS", "p:7052"),
        ]);
        let s = settings(
            vars.clone(),
            args(&[
                "--max-in-flight=20",
                "-transaction-timeout",
                "30s",
                "--worker-threads",
                "2",
            ]),
        )
        .unwrap();
        assert_eq!(s.limits.max_in_flight, 20);
        assert_eq!(
            s.limits.transaction_timeout,
            Some(std::time::Duration::from_secs(30))
        );
        assert_eq!(s.limits.worker_threads, 2);
        let err = settings(vars.clone(), args(&["--max-in-flight"])).unwrap_err();
        assert!(err.contains("--max-in-flight needs a value"), "{err}");
        let err = settings(vars, args(&["--max-in-fligt=3"])).unwrap_err();
        assert!(err.contains("did you mean `--max-in-flight`?"), "{err}");
    }

    #[test]
    fn unknown_flags_and_words_are_refused_with_a_suggestion() {
        let vars = env(&[("CORE_CHAINCODE_ID_NAME", "cc:1")]);
        let err = settings(vars.clone(), args(&["--clinet"])).unwrap_err();
        assert!(
            err.starts_with("unexpected argument `--clinet` (did you mean `--client`?)"),
            "{err}"
        );
        let err = settings(vars.clone(), args(&["-peer.adress=p:1"])).unwrap_err();
        assert!(err.contains("did you mean `-peer.address`?"), "{err}");
        let err = settings(vars.clone(), args(&["metdata"])).unwrap_err();
        assert!(err.contains("did you mean `metadata`?"), "{err}");
        let err = settings(vars.clone(), args(&["--verbose"])).unwrap_err();
        assert!(err.contains("serve accepts --client"), "{err}");
        // What Fabric's container runtime passes to Go chaincode, and the Node form.
        for flags in [&["-peer.address=p:7052"][..], &["--peer.address", "p:7052"]] {
            let s = settings(vars.clone(), args(flags)).unwrap();
            assert!(
                matches!(s.mode, Mode::Client(ref c) if c.peer_address == "p:7052"),
                "{flags:?}"
            );
        }
    }

    #[test]
    fn one_worker_thread_runs_on_the_calling_thread() {
        use tokio::runtime::RuntimeFlavor;
        let flavor = |n| runtime(n).unwrap().handle().runtime_flavor();
        assert_eq!(flavor(1), RuntimeFlavor::CurrentThread);
        assert_eq!(flavor(3), RuntimeFlavor::MultiThread);
        let vars = env(&[("CORE_CHAINCODE_ID_NAME", "cc:1")]);
        let default = settings(vars.clone(), args(&["-peer.address=p:1"])).unwrap();
        assert_eq!(default.limits.worker_threads, 1);
        let mut more = vars;
        more.push(("CHAINCODE_WORKER_THREADS".into(), "4".into()));
        let four = settings(more, args(&["-peer.address=p:1"])).unwrap();
        assert_eq!(four.limits.worker_threads, 4);
    }

    #[test]
    fn missing_settings_name_the_variable() {
        let err = settings(Vec::new(), Vec::new()).unwrap_err();
        assert!(err.contains("CORE_CHAINCODE_ID_NAME"), "{err}");
    }
}
