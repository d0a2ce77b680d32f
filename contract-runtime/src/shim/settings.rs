//! Launch settings: environment variables and command-line flags → [`Settings`].
//!
//! Two launch modes exist (fabric-chaincode-go `shim/shim.go` and `shim/server.go`). When `CHAINCODE_SERVER_ADDRESS` is set
//! the chaincode runs as a service the peer dials (CCaaS); otherwise it dials
//! the peer itself, the way a peer-launched or dev-mode chaincode does.
//!
//! Every file named by a variable is read here, so a bad path or a bad file is
//! reported once, at start-up, naming the variable that pointed at it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;

/// How long the handshake (REGISTER → READY) may take before the shim gives up.
///
/// A peer that rejects a registration says nothing at all, so without a limit
/// a misconfigured chaincode would wait forever.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// Everything the shim needs to start, in either launch mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The name sent in REGISTER: the package id (`label:hash`) or `name:version`.
    pub chaincode_id: String,
    /// The peer's MSP id (`CORE_PEER_LOCALMSPID`), when given.
    pub peer_msp_id: Option<String>,
    /// Limit on REGISTER → READY; see [`DEFAULT_HANDSHAKE_TIMEOUT`].
    pub handshake_timeout: Duration,
    /// Dial the peer, or serve `Chaincode.Connect`.
    pub mode: Mode,
    /// Message size, in-flight, queue, deadline and connection limits.
    pub limits: super::Limits,
}

/// The launch mode and its transport settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Dial the peer's chaincode listener (`ChaincodeSupport.Register`).
    Client(ClientSettings),
    /// Serve `Chaincode.Connect` for peers to dial (chaincode as a service).
    Server(ServerSettings),
}

/// Client mode: where the peer is and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    /// `host:port` of the peer's chaincode listener, without a scheme.
    pub peer_address: String,
    /// TLS material, when `CORE_PEER_TLS_ENABLED` is true.
    pub tls: Option<ClientTls>,
}

/// TLS material of client mode, as PEM text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientTls {
    /// CA certificate(s) of the peer's chaincode listener.
    pub root_cert_pem: Vec<u8>,
    /// The client certificate the peer issued for this chaincode.
    pub client_cert_pem: Vec<u8>,
    /// Its private key (Fabric labels a PKCS#8 key `EC PRIVATE KEY`; the loader tries PKCS#8 first whatever the label says).
    pub client_key_pem: Vec<u8>,
}

/// Server (CCaaS) mode: where to listen and which TLS to offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSettings {
    /// `host:port` to listen on, e.g. `0.0.0.0:9999`.
    pub address: String,
    /// TLS material; `None` serves plaintext HTTP/2.
    pub tls: Option<ServerTls>,
}

/// TLS material of server mode, as PEM text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerTls {
    /// The server certificate chain.
    pub cert_pem: Vec<u8>,
    /// The server private key.
    pub key_pem: Vec<u8>,
    /// CA certificate(s) for peers' client certificates; set ⇒ mutual TLS.
    pub client_ca_pem: Option<Vec<u8>>,
}

/// A launch setting that is missing or wrong. Each names its variable or flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A required variable is unset or empty.
    #[error("{variable} is not set: expected {expected}")]
    Missing {
        /// The variable (or flag) name.
        variable: &'static str,
        /// What it should hold.
        expected: &'static str,
    },
    /// A variable holds something that is not what it should.
    #[error("{variable}={value:?} is invalid: expected {expected}")]
    Invalid {
        /// The variable (or flag) name.
        variable: &'static str,
        /// The value found.
        value: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// A file named by a variable cannot be read or does not hold what it should.
    #[error("{variable} names {path:?}, which {problem}")]
    File {
        /// The variable naming the file.
        variable: &'static str,
        /// The path it holds.
        path: PathBuf,
        /// What went wrong.
        problem: String,
    },
}

const ADDRESS_EXPECTED: &str = "host:port, e.g. peer0.org1.example.com:7052";
const BOOL_EXPECTED: &str = "one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False";

impl Settings {
    /// Reads the process environment and command-line arguments.
    ///
    /// ```no_run
    /// let settings = fabric_contract::shim::Settings::from_env()?;
    /// # Ok::<(), fabric_contract::shim::SettingsError>(())
    /// ```
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_env_and_args(std::env::vars(), std::env::args().skip(1))
    }

    /// Reads the given variables and arguments (the program name excluded),
    /// so callers and tests need not touch the process environment.
    ///
    /// ```
    /// use fabric_contract::shim::{Mode, Settings};
    ///
    /// let env = [("CORE_CHAINCODE_ID_NAME", "mycc:1.0"), ("CORE_PEER_ADDRESS", "grpc://peer0:7052")];
    /// let settings = Settings::from_env_and_args(
    ///     env.map(|(k, v)| (k.to_string(), v.to_string())),
    ///     ["-peer.address=peer1:7052".to_string()],
    /// )?;
    /// let Mode::Client(client) = settings.mode else { panic!("client mode expected") };
    /// assert_eq!(client.peer_address, "peer1:7052"); // the flag wins
    /// # Ok::<(), fabric_contract::shim::SettingsError>(())
    /// ```
    pub fn from_env_and_args(
        env: impl IntoIterator<Item = (String, String)>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Self, SettingsError> {
        let env = Env(env.into_iter().collect());
        let args: Vec<String> = args.into_iter().collect();
        let limits = super::Limits::from_env_and_args(env.0.clone(), args.iter().cloned())?;
        let peer_msp_id = env.get("CORE_PEER_LOCALMSPID").map(str::to_owned);
        if let Some(address) = env.get("CHAINCODE_SERVER_ADDRESS") {
            let chaincode_id = env
                .get("CHAINCODE_ID")
                .or_else(|| env.get("CORE_CHAINCODE_ID_NAME"))
                .ok_or(SettingsError::Missing {
                    variable: "CHAINCODE_ID",
                    expected: "the package id the peer installed (label:hash); CORE_CHAINCODE_ID_NAME is the fallback",
                })?
                .to_owned();
            let address = check_address("CHAINCODE_SERVER_ADDRESS", address)?;
            return Ok(Self {
                chaincode_id,
                peer_msp_id,
                handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
                mode: Mode::Server(ServerSettings {
                    address,
                    tls: server_tls(&env)?,
                }),
                limits,
            });
        }
        let chaincode_id = env
            .get("CORE_CHAINCODE_ID_NAME")
            .ok_or(SettingsError::Missing {
                variable: "CORE_CHAINCODE_ID_NAME",
                expected: "the chaincode id to register (package id label:hash, or name:version in dev mode)",
            })?
            .to_owned();
        let peer_address = match peer_address_flag(args)? {
            Some(flag) => check_address("-peer.address", &flag)?,
            None => {
                let value = env.get("CORE_PEER_ADDRESS").ok_or(SettingsError::Missing {
                    variable: "CORE_PEER_ADDRESS",
                    expected: "the peer's chaincode listener as host:port (or pass -peer.address=host:port)",
                })?;
                check_address("CORE_PEER_ADDRESS", value)?
            }
        };
        Ok(Self {
            chaincode_id,
            peer_msp_id,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            mode: Mode::Client(ClientSettings {
                peer_address,
                tls: client_tls(&env)?,
            }),
            limits,
        })
    }
}

/// The environment, with empty values treated as unset (as Fabric's launchers do).
struct Env(BTreeMap<String, String>);

impl Env {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    fn bool(&self, name: &'static str) -> Result<Option<bool>, SettingsError> {
        self.get(name)
            .map(|value| {
                parse_go_bool(value.trim()).ok_or_else(|| invalid(name, value, BOOL_EXPECTED))
            })
            .transpose()
    }

    fn required(&self, name: &'static str, expected: &'static str) -> Result<&str, SettingsError> {
        self.get(name).ok_or(SettingsError::Missing {
            variable: name,
            expected,
        })
    }
}

fn invalid(variable: &'static str, value: &str, expected: &'static str) -> SettingsError {
    SettingsError::Invalid {
        variable,
        value: value.to_owned(),
        expected,
    }
}

/// Go's `strconv.ParseBool`: the spellings the Go shim accepts.
fn parse_go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Finds `-peer.address=X`, `--peer.address=X` or `--peer.address X`.
/// Other arguments are left to the caller (the CLI has its own).
fn peer_address_flag(
    args: impl IntoIterator<Item = String>,
) -> Result<Option<String>, SettingsError> {
    let mut found = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(rest) = arg
            .strip_prefix("--peer.address")
            .or_else(|| arg.strip_prefix("-peer.address"))
        else {
            continue;
        };
        if let Some(value) = rest.strip_prefix('=') {
            found = Some(value.to_owned());
        } else if rest.is_empty() {
            let value = args.next().ok_or(SettingsError::Missing {
                variable: "-peer.address",
                expected: "a host:port value after the flag",
            })?;
            found = Some(value);
        }
    }
    Ok(found)
}

/// Strips an optional `grpc://` / `grpcs://` scheme and checks `host:port`.
fn check_address(variable: &'static str, value: &str) -> Result<String, SettingsError> {
    let trimmed = value.trim();
    let bare = trimmed
        .strip_prefix("grpcs://")
        .or_else(|| trimmed.strip_prefix("grpc://"))
        .unwrap_or(trimmed);
    match bare.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0) => {
            Ok(bare.to_owned())
        }
        _ => Err(invalid(variable, value, ADDRESS_EXPECTED)),
    }
}

fn read_file(variable: &'static str, path: &str) -> Result<Vec<u8>, SettingsError> {
    std::fs::read(path).map_err(|e| SettingsError::File {
        variable,
        path: path.into(),
        problem: format!("cannot be read: {e}"),
    })
}

/// Reads a PEM file and checks it holds at least one PEM block.
fn read_pem(variable: &'static str, path: &str) -> Result<Vec<u8>, SettingsError> {
    let bytes = read_file(variable, path)?;
    check_pem(variable, path, bytes)
}

fn check_pem(variable: &'static str, path: &str, bytes: Vec<u8>) -> Result<Vec<u8>, SettingsError> {
    let is_pem = std::str::from_utf8(&bytes).is_ok_and(|text| text.contains("-----BEGIN "));
    if is_pem {
        Ok(bytes)
    } else {
        Err(SettingsError::File {
            variable,
            path: path.into(),
            problem: "does not hold PEM text (expected -----BEGIN …-----)".into(),
        })
    }
}

/// Reads a `*_PATH` file: base64 of PEM text (the 1.x-era form).
fn read_base64_pem(variable: &'static str, path: &str) -> Result<Vec<u8>, SettingsError> {
    let bytes = read_file(variable, path)?;
    let text: Vec<u8> = bytes
        .into_iter()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&text)
        .map_err(|e| SettingsError::File {
            variable,
            path: path.into(),
            problem: format!("does not hold base64 text (expected base64 of a PEM file): {e}"),
        })?;
    check_pem(variable, path, decoded)
}

fn client_tls(env: &Env) -> Result<Option<ClientTls>, SettingsError> {
    if !env.bool("CORE_PEER_TLS_ENABLED")?.unwrap_or(false) {
        return Ok(None);
    }
    let root_cert_pem = read_pem(
        "CORE_PEER_TLS_ROOTCERT_FILE",
        env.required(
            "CORE_PEER_TLS_ROOTCERT_FILE",
            "a PEM file with the peer's chaincode CA (TLS is enabled)",
        )?,
    )?;
    // Fabric 2.0+ peers set both forms; the PEM files are preferred, like the Go shim.
    let client_key_pem = match env.get("CORE_TLS_CLIENT_KEY_FILE") {
        Some(path) => read_pem("CORE_TLS_CLIENT_KEY_FILE", path)?,
        None => read_base64_pem(
            "CORE_TLS_CLIENT_KEY_PATH",
            env.required(
                "CORE_TLS_CLIENT_KEY_PATH",
                "CORE_TLS_CLIENT_KEY_FILE (a PEM key file) or CORE_TLS_CLIENT_KEY_PATH (a file with base64 of the PEM key), since TLS is enabled",
            )?,
        )?,
    };
    let client_cert_pem = match env.get("CORE_TLS_CLIENT_CERT_FILE") {
        Some(path) => read_pem("CORE_TLS_CLIENT_CERT_FILE", path)?,
        None => read_base64_pem(
            "CORE_TLS_CLIENT_CERT_PATH",
            env.required(
                "CORE_TLS_CLIENT_CERT_PATH",
                "CORE_TLS_CLIENT_CERT_FILE (a PEM certificate file) or CORE_TLS_CLIENT_CERT_PATH (a file with base64 of the PEM certificate), since TLS is enabled",
            )?,
        )?,
    };
    Ok(Some(ClientTls {
        root_cert_pem,
        client_cert_pem,
        client_key_pem,
    }))
}

/// Server TLS: off when `CHAINCODE_TLS_DISABLED` is true; when it is unset,
/// on exactly when a key and certificate are given.
fn server_tls(env: &Env) -> Result<Option<ServerTls>, SettingsError> {
    let disabled = env.bool("CHAINCODE_TLS_DISABLED")?;
    let given = env.get("CHAINCODE_TLS_KEY").is_some() || env.get("CHAINCODE_TLS_CERT").is_some();
    match disabled {
        Some(true) => return Ok(None),
        None if !given => return Ok(None),
        _ => {}
    }
    let key_pem = read_pem(
        "CHAINCODE_TLS_KEY",
        env.required(
            "CHAINCODE_TLS_KEY",
            "a PEM file with the server's private key (TLS is on; set CHAINCODE_TLS_DISABLED=true to serve plaintext)",
        )?,
    )?;
    let cert_pem = read_pem(
        "CHAINCODE_TLS_CERT",
        env.required(
            "CHAINCODE_TLS_CERT",
            "a PEM file with the server's certificate (TLS is on; set CHAINCODE_TLS_DISABLED=true to serve plaintext)",
        )?,
    )?;
    let client_ca_pem = env
        .get("CHAINCODE_CLIENT_CA_CERT")
        .map(|path| read_pem("CHAINCODE_CLIENT_CA_CERT", path))
        .transpose()?;
    Ok(Some(ServerTls {
        cert_pem,
        key_pem,
        client_ca_pem,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(env: &[(&str, &str)], args: &[&str]) -> Result<Settings, SettingsError> {
        Settings::from_env_and_args(
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
            args.iter().map(|a| a.to_string()),
        )
    }

    fn client(settings: Settings) -> ClientSettings {
        match settings.mode {
            Mode::Client(c) => c,
            Mode::Server(s) => panic!("expected client mode, got {s:?}"),
        }
    }

    fn server(settings: Settings) -> ServerSettings {
        match settings.mode {
            Mode::Server(s) => s,
            Mode::Client(c) => panic!("expected server mode, got {c:?}"),
        }
    }

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nBBBB\n-----END EC PRIVATE KEY-----\n";

    fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path.to_str().unwrap().to_owned()
    }

    #[test]
    fn peer_address_flag_forms_and_precedence() {
        let id = ("CORE_CHAINCODE_ID_NAME", "cc:1");
        for args in [
            &["-peer.address=p:1"][..],
            &["--peer.address=p:1"],
            &["--peer.address", "p:1"],
            &["other", "-peer.address", "p:1"],
        ] {
            let s = parse(&[id, ("CORE_PEER_ADDRESS", "env:2")], args).unwrap();
            assert_eq!(client(s).peer_address, "p:1", "args {args:?}");
        }
        let s = parse(&[id, ("CORE_PEER_ADDRESS", "grpcs://env:2")], &[]).unwrap();
        assert_eq!(s.chaincode_id, "cc:1");
        assert_eq!(s.handshake_timeout, DEFAULT_HANDSHAKE_TIMEOUT);
        let c = client(s);
        assert_eq!((c.peer_address.as_str(), c.tls), ("env:2", None));
        let s = parse(&[id], &["-peer.address=grpc://flag:3"]).unwrap();
        assert_eq!(client(s).peer_address, "flag:3");
    }

    #[test]
    fn client_mode_errors_name_the_variable() {
        let err = parse(&[("CORE_PEER_ADDRESS", "p:1")], &[]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CORE_CHAINCODE_ID_NAME",
                ..
            }
        ));
        let err = parse(&[("CORE_CHAINCODE_ID_NAME", "cc")], &[]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CORE_PEER_ADDRESS",
                ..
            }
        ));
        let err = parse(
            &[
                ("CORE_CHAINCODE_ID_NAME", "cc"),
                ("CORE_PEER_ADDRESS", "nohost"),
            ],
            &[],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "CORE_PEER_ADDRESS=\"nohost\" is invalid: expected host:port, e.g. peer0.org1.example.com:7052"
        );
        let err = parse(
            &[("CORE_CHAINCODE_ID_NAME", "cc")],
            &["-peer.address=p:99999"],
        )
        .unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Invalid {
                variable: "-peer.address",
                ..
            }
        ));
        let err = parse(&[("CORE_CHAINCODE_ID_NAME", "cc")], &["--peer.address"]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "-peer.address",
                ..
            }
        ));
    }

    #[test]
    fn tls_enabled_accepts_go_bool_spellings_only() {
        let base = [
            ("CORE_CHAINCODE_ID_NAME", "cc"),
            ("CORE_PEER_ADDRESS", "p:1"),
        ];
        for off in ["0", "f", "F", "FALSE", "false", "False"] {
            let env = [base[0], base[1], ("CORE_PEER_TLS_ENABLED", off)];
            assert_eq!(client(parse(&env, &[]).unwrap()).tls, None, "{off}");
        }
        for on in ["1", "t", "T", "TRUE", "true", "True"] {
            let env = [base[0], base[1], ("CORE_PEER_TLS_ENABLED", on)];
            let err = parse(&env, &[]).unwrap_err();
            assert!(
                matches!(
                    err,
                    SettingsError::Missing {
                        variable: "CORE_PEER_TLS_ROOTCERT_FILE",
                        ..
                    }
                ),
                "{on}: {err}"
            );
        }
        for bad in ["yes", "tRUE", "2", "on"] {
            let env = [base[0], base[1], ("CORE_PEER_TLS_ENABLED", bad)];
            let err = parse(&env, &[]).unwrap_err();
            assert!(
                err.to_string().starts_with("CORE_PEER_TLS_ENABLED="),
                "{err}"
            );
            assert!(err.to_string().contains("expected one of 1, t, T"), "{err}");
        }
    }

    #[test]
    fn client_tls_prefers_pem_files_then_base64_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = write(&dir, "peer.crt", CERT);
        let key = write(&dir, "client_pem.key", KEY);
        let cert = write(&dir, "client_pem.crt", CERT);
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let other_key = KEY.replace("BBBB", "CCCC");
        let key_b64 = write(&dir, "client.key", &b64(&other_key));
        let cert_b64 = write(&dir, "client.crt", &format!("{}\n", b64(CERT)));
        let mut env = vec![
            ("CORE_CHAINCODE_ID_NAME", "cc"),
            ("CORE_PEER_ADDRESS", "p:1"),
            ("CORE_PEER_TLS_ENABLED", "true"),
            ("CORE_PEER_TLS_ROOTCERT_FILE", root.as_str()),
            ("CORE_TLS_CLIENT_KEY_PATH", key_b64.as_str()),
            ("CORE_TLS_CLIENT_CERT_PATH", cert_b64.as_str()),
        ];
        let tls = client(parse(&env, &[]).unwrap()).tls.unwrap();
        assert_eq!(tls.client_key_pem, other_key.as_bytes());
        assert_eq!(tls.client_cert_pem, CERT.as_bytes());
        assert_eq!(tls.root_cert_pem, CERT.as_bytes());
        env.push(("CORE_TLS_CLIENT_KEY_FILE", key.as_str()));
        env.push(("CORE_TLS_CLIENT_CERT_FILE", cert.as_str()));
        let tls = client(parse(&env, &[]).unwrap()).tls.unwrap();
        assert_eq!(tls.client_key_pem, KEY.as_bytes());
    }

    #[test]
    fn client_tls_file_errors_name_the_variable_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = write(&dir, "peer.crt", CERT);
        let not_pem = write(&dir, "junk", "hello");
        let not_b64 = write(&dir, "junk64", "!!!");
        let base = [
            ("CORE_CHAINCODE_ID_NAME", "cc"),
            ("CORE_PEER_ADDRESS", "p:1"),
            ("CORE_PEER_TLS_ENABLED", "true"),
        ];
        let with = |extra: &[(&'static str, &str)]| {
            let mut env: Vec<(&str, &str)> = base.to_vec();
            env.extend_from_slice(extra);
            parse(&env, &[]).unwrap_err()
        };
        let err = with(&[("CORE_PEER_TLS_ROOTCERT_FILE", "/nonexistent/peer.crt")]);
        assert!(matches!(
            &err,
            SettingsError::File {
                variable: "CORE_PEER_TLS_ROOTCERT_FILE",
                ..
            }
        ));
        assert!(err.to_string().contains("/nonexistent/peer.crt"), "{err}");
        let err = with(&[("CORE_PEER_TLS_ROOTCERT_FILE", &not_pem)]);
        assert!(err.to_string().contains("does not hold PEM text"), "{err}");
        let err = with(&[("CORE_PEER_TLS_ROOTCERT_FILE", &root)]);
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CORE_TLS_CLIENT_KEY_PATH",
                ..
            }
        ));
        let err = with(&[
            ("CORE_PEER_TLS_ROOTCERT_FILE", &root),
            ("CORE_TLS_CLIENT_KEY_PATH", &not_b64),
        ]);
        assert!(matches!(
            &err,
            SettingsError::File {
                variable: "CORE_TLS_CLIENT_KEY_PATH",
                ..
            }
        ));
        assert!(err.to_string().contains("base64"), "{err}");
        let err = with(&[
            ("CORE_PEER_TLS_ROOTCERT_FILE", &root),
            ("CORE_TLS_CLIENT_KEY_FILE", &root),
        ]);
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CORE_TLS_CLIENT_CERT_PATH",
                ..
            }
        ));
    }

    #[test]
    fn server_mode_is_chosen_by_chaincode_server_address() {
        let s = parse(
            &[
                ("CHAINCODE_SERVER_ADDRESS", "0.0.0.0:9999"),
                ("CHAINCODE_ID", "basic:abc"),
                ("CORE_CHAINCODE_ID_NAME", "ignored"),
                ("CORE_PEER_LOCALMSPID", "Org1MSP"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(s.chaincode_id, "basic:abc");
        assert_eq!(s.peer_msp_id.as_deref(), Some("Org1MSP"));
        assert_eq!(
            server(s),
            ServerSettings {
                address: "0.0.0.0:9999".into(),
                tls: None
            }
        );
        let s = parse(
            &[
                ("CHAINCODE_SERVER_ADDRESS", "h:1"),
                ("CORE_CHAINCODE_ID_NAME", "fallback"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(s.chaincode_id, "fallback");
        let err = parse(&[("CHAINCODE_SERVER_ADDRESS", "h:1")], &[]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CHAINCODE_ID",
                ..
            }
        ));
        let err = parse(
            &[("CHAINCODE_SERVER_ADDRESS", ":1"), ("CHAINCODE_ID", "x")],
            &[],
        )
        .unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Invalid {
                variable: "CHAINCODE_SERVER_ADDRESS",
                ..
            }
        ));
    }

    #[test]
    fn server_tls_rules() {
        let dir = tempfile::tempdir().unwrap();
        let cert = write(&dir, "s.crt", CERT);
        let key = write(&dir, "s.key", KEY);
        let ca = write(&dir, "ca.crt", CERT);
        let base = [("CHAINCODE_SERVER_ADDRESS", "h:1"), ("CHAINCODE_ID", "x")];
        let with = |extra: &[(&'static str, &str)]| {
            let mut env: Vec<(&str, &str)> = base.to_vec();
            env.extend_from_slice(extra);
            parse(&env, &[])
        };
        // Disabled wins over given material; bad spellings are errors.
        let s = with(&[
            ("CHAINCODE_TLS_DISABLED", "true"),
            ("CHAINCODE_TLS_KEY", &key),
        ])
        .unwrap();
        assert_eq!(server(s).tls, None);
        let err = with(&[("CHAINCODE_TLS_DISABLED", "yes")]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Invalid {
                variable: "CHAINCODE_TLS_DISABLED",
                ..
            }
        ));
        // Explicitly enabled without material: say what is missing.
        let err = with(&[("CHAINCODE_TLS_DISABLED", "false")]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CHAINCODE_TLS_KEY",
                ..
            }
        ));
        let err = with(&[("CHAINCODE_TLS_KEY", &key)]).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Missing {
                variable: "CHAINCODE_TLS_CERT",
                ..
            }
        ));
        let s = with(&[("CHAINCODE_TLS_KEY", &key), ("CHAINCODE_TLS_CERT", &cert)]).unwrap();
        let tls = server(s).tls.unwrap();
        assert_eq!(
            (tls.key_pem.as_slice(), tls.client_ca_pem),
            (KEY.as_bytes(), None)
        );
        let s = with(&[
            ("CHAINCODE_TLS_KEY", &key),
            ("CHAINCODE_TLS_CERT", &cert),
            ("CHAINCODE_CLIENT_CA_CERT", &ca),
        ])
        .unwrap();
        assert_eq!(
            server(s).tls.unwrap().client_ca_pem.as_deref(),
            Some(CERT.as_bytes())
        );
        let err = with(&[
            ("CHAINCODE_TLS_KEY", &key),
            ("CHAINCODE_TLS_CERT", &cert),
            ("CHAINCODE_CLIENT_CA_CERT", "/nonexistent/ca.crt"),
        ])
        .unwrap_err();
        assert!(matches!(
            err,
            SettingsError::File {
                variable: "CHAINCODE_CLIENT_CA_CERT",
                ..
            }
        ));
    }
}
