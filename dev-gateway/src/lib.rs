//! The dev peer speaks Fabric's Gateway protocol: client applications written
//! for a real peer (the official `@hyperledger/fabric-gateway` Node client, the
//! Go and Java Gateway SDKs, or this crate's [`client`]) run unchanged against
//! chaincode on the emulated peer, with no network, orderer or Docker.
//!
//! [`DevGateway::start`] starts one peer: it launches each chaincode binary in
//! client mode against the emulated peer, trusts the console's generated
//! identities and any MSP folders given, and serves `gateway.Gateway`
//! (`Endorse`, `Submit`, `CommitStatus`, `Evaluate`, `ChaincodeEvents`) on a
//! TCP address, optionally over TLS.
//!
//! What a real peer does and this one does too: proposals are checked as the
//! endorser checks them (header, transaction id = SHA-256(nonce ‖ creator),
//! creator certificate issued by a trusted CA, ECDSA signature), endorsements
//! are signed by the peer's identity, the client-signed envelope is checked as
//! the orderer checks it, and transactions are validated (endorsement, MVCC)
//! and committed in order, one per block. What differs: one peer, no ordering
//! service, policies evaluated locally (the single peer's endorsement satisfies
//! the chaincode's policy), and write sets are not carried in the envelope.
//!
//! ```no_run
//! # async fn demo() -> Result<(), fabric_dev_gateway::GatewayError> {
//! use fabric_dev_gateway::{ChaincodeLaunch, DevGateway, GatewayOptions};
//!
//! let options = GatewayOptions::default()
//!     .listen("127.0.0.1:0")
//!     .chaincode(ChaincodeLaunch::new("basic", "target/debug/asset-transfer-basic"));
//! let gateway = DevGateway::start(options).await?;
//! let alice = gateway.identity("admin@Org1MSP").expect("a default identity");
//! println!("Gateway on {}, MSP {}", gateway.address(), alice.msp_id);
//! # Ok(()) }
//! ```

pub mod client;
pub mod crypto;
#[cfg(feature = "server")]
mod emulated;
#[cfg(feature = "server")]
pub mod msp;
#[cfg(feature = "server")]
mod node;
#[cfg(feature = "server")]
mod server;

#[cfg(feature = "server")]
use std::collections::BTreeMap;
#[cfg(feature = "server")]
use std::net::SocketAddr;
#[cfg(feature = "server")]
use std::path::{Path, PathBuf};
#[cfg(feature = "server")]
use std::sync::Arc;
#[cfg(feature = "server")]
use std::time::Duration;

#[cfg(feature = "server")]
use fabric_contract_proto::gateway::gateway_server::GatewayServer;
#[cfg(feature = "server")]
use tokio::process::{Child, Command};
#[cfg(feature = "server")]
use tonic::transport::server::TcpIncoming;
#[cfg(feature = "server")]
use tonic::transport::{Identity as TlsIdentity, Server, ServerTlsConfig};

#[cfg(feature = "server")]
use crate::emulated::{
    ChaincodeDefinition, EmulatedPeer, FabricVersion, Ledger, PeerOptions, TestCa,
};
#[cfg(feature = "server")]
use crate::msp::MspRegistry;
#[cfg(feature = "server")]
use crate::node::{Node, PeerIdentity, Store};

/// Why the dev Gateway could not start.
#[derive(Debug, thiserror::Error)]
#[cfg(feature = "server")]
pub enum GatewayError {
    /// A setting is wrong.
    #[error("{0}")]
    Config(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// An MSP folder or certificate is unusable.
    #[error(transparent)]
    Msp(#[from] msp::MspError),
    /// A chaincode did not start or register.
    #[error("chaincode `{name}`: {message}")]
    Chaincode {
        /// Chaincode name.
        name: String,
        /// What went wrong.
        message: String,
    },
    /// The listener could not be set up.
    #[error("cannot serve the Gateway on {addr}: {message}")]
    Listen {
        /// The address.
        addr: String,
        /// What went wrong.
        message: String,
    },
}

#[cfg(feature = "server")]
fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> GatewayError + '_ {
    move |source| GatewayError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A chaincode binary the dev peer launches (client mode, like a peer-launched chaincode).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg(feature = "server")]
pub struct ChaincodeLaunch {
    /// Chaincode name on the channel (the namespace clients call).
    pub name: String,
    /// The program.
    pub program: PathBuf,
    /// Extra arguments.
    pub args: Vec<String>,
    /// The chaincode definition's collection configuration (the JSON of
    /// `peer lifecycle chaincode approveformyorg --collections-config`), if it has private data.
    pub collections_config: Option<String>,
}

#[cfg(feature = "server")]
impl ChaincodeLaunch {
    /// Launches `program` as chaincode `name`.
    pub fn new(name: &str, program: impl Into<PathBuf>) -> Self {
        Self {
            name: name.to_string(),
            program: program.into(),
            args: Vec::new(),
            collections_config: None,
        }
    }

    /// Defines the chaincode's private data collections from a collection configuration
    /// (`collections_config.json`): their members and `memberOnlyRead` / `memberOnlyWrite` rules
    /// are enforced as a peer enforces them.
    ///
    /// ```
    /// use fabric_dev_gateway::ChaincodeLaunch;
    ///
    /// let launch = ChaincodeLaunch::new("private", "target/debug/asset-transfer-private-data")
    ///     .collections_config(r#"[{"name": "assetCollection", "policy": "OR('Org1MSP.member')"}]"#);
    /// assert!(launch.collections_config.is_some());
    /// ```
    pub fn collections_config(mut self, json: &str) -> Self {
        self.collections_config = Some(json.to_string());
        self
    }

    /// Parses `NAME=PROGRAM` (the `--chaincode` flag).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            Some((name, program)) if !name.is_empty() && !program.is_empty() => {
                Ok(Self::new(name, program))
            }
            _ => Err(format!(
                "`{text}` is not NAME=PROGRAM (for example basic=target/debug/asset-transfer-basic)"
            )),
        }
    }
}

/// How the Gateway's TLS is set up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg(feature = "server")]
pub enum TlsMode {
    /// Plain TCP.
    #[default]
    Off,
    /// A self-signed certificate for `localhost` and `127.0.0.1`, generated at start.
    Generated,
    /// Certificate and key PEM files.
    Files {
        /// Certificate chain (PEM).
        cert: PathBuf,
        /// Private key (PEM).
        key: PathBuf,
    },
}

/// Everything [`DevGateway::start`] needs.
#[derive(Debug, Clone)]
#[cfg(feature = "server")]
pub struct GatewayOptions {
    /// Listen address (default `127.0.0.1:7051`, the test network's peer0.org1).
    pub listen: String,
    /// The channel (default `mychannel`).
    pub channel: String,
    /// The peer's MSP id (default `Org1MSP`).
    pub peer_msp: String,
    /// Emulated Fabric release: `2.2`, `2.5` (default), `3.0` or `3.1`.
    pub fabric: String,
    /// Chaincodes to launch.
    pub chaincodes: Vec<ChaincodeLaunch>,
    /// Ledger file (blocks are kept next to it, in `<file>.blocks`); `None` keeps
    /// everything in memory.
    pub ledger: Option<PathBuf>,
    /// Console identities (`user@MSP`) to mint; default `admin@Org1MSP`.
    pub identities: Vec<String>,
    /// MSP folders to trust, by MSP id.
    pub msp_dirs: Vec<(String, PathBuf)>,
    /// Where minted identities (MSP folder layout) and the TLS CA are written.
    pub crypto_dir: Option<PathBuf>,
    /// TLS.
    pub tls: TlsMode,
}

#[cfg(feature = "server")]
impl Default for GatewayOptions {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:7051".into(),
            channel: "mychannel".into(),
            peer_msp: "Org1MSP".into(),
            fabric: "2.5".into(),
            chaincodes: Vec::new(),
            ledger: None,
            identities: vec!["admin@Org1MSP".into()],
            msp_dirs: Vec::new(),
            crypto_dir: None,
            tls: TlsMode::Off,
        }
    }
}

#[cfg(feature = "server")]
impl GatewayOptions {
    /// Sets the listen address.
    pub fn listen(mut self, addr: &str) -> Self {
        self.listen = addr.to_string();
        self
    }
    /// Adds a chaincode to launch.
    pub fn chaincode(mut self, launch: ChaincodeLaunch) -> Self {
        self.chaincodes.push(launch);
        self
    }
    /// Adds a console identity (`user@MSP`).
    pub fn identity(mut self, name: &str) -> Self {
        if !self.identities.iter().any(|i| i == name) {
            self.identities.push(name.to_string());
        }
        self
    }
    /// Trusts an MSP folder.
    pub fn msp_dir(mut self, msp_id: &str, dir: impl Into<PathBuf>) -> Self {
        self.msp_dirs.push((msp_id.to_string(), dir.into()));
        self
    }
    /// Sets TLS.
    pub fn tls(mut self, tls: TlsMode) -> Self {
        self.tls = tls;
        self
    }
    /// Persists the ledger (and blocks) in `file`.
    pub fn ledger(mut self, file: impl Into<PathBuf>) -> Self {
        self.ledger = Some(file.into());
        self
    }
    /// Writes minted identities and the TLS CA under `dir`.
    pub fn crypto_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.crypto_dir = Some(dir.into());
        self
    }
    /// Sets the emulated Fabric release.
    pub fn fabric(mut self, release: &str) -> Self {
        self.fabric = release.to_string();
        self
    }
}

/// A minted console identity: what a client application signs with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg(feature = "server")]
pub struct MintedIdentity {
    /// `user@MSP`.
    pub name: String,
    /// MSP id.
    pub msp_id: String,
    /// Certificate PEM.
    pub cert_pem: String,
    /// PKCS#8 private key PEM.
    pub key_pem: String,
    /// The issuing CA's certificate PEM.
    pub ca_pem: String,
}

/// A running dev Gateway; dropping it stops the chaincode processes.
#[derive(Debug)]
#[cfg(feature = "server")]
pub struct DevGateway {
    address: SocketAddr,
    tls_ca_pem: Option<String>,
    identities: BTreeMap<String, MintedIdentity>,
    _children: Vec<Child>,
    server: tokio::task::JoinHandle<()>,
}

#[cfg(feature = "server")]
impl Drop for DevGateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[cfg(feature = "server")]
fn parse_fabric(release: &str) -> Result<FabricVersion, GatewayError> {
    Ok(match release {
        "2.2" => FabricVersion::V2_2,
        "2.5" => FabricVersion::V2_5,
        "3.0" => FabricVersion::V3_0,
        "3.1" => FabricVersion::V3_1,
        other => {
            return Err(GatewayError::Config(format!(
                "unknown Fabric release `{other}` (expected 2.2, 2.5, 3.0 or 3.1)"
            )));
        }
    })
}

#[cfg(feature = "server")]
fn split_identity(name: &str) -> Result<(&str, &str), GatewayError> {
    match name.split_once('@') {
        Some((user, msp)) if !user.is_empty() && !msp.is_empty() => Ok((user, msp)),
        _ => Err(GatewayError::Config(format!(
            "`{name}` is not an identity name (expected user@MSP, for example alice@Org1MSP)"
        ))),
    }
}

#[cfg(feature = "server")]
impl DevGateway {
    /// Starts the peer, the chaincodes and the Gateway service.
    pub async fn start(options: GatewayOptions) -> Result<Self, GatewayError> {
        let version = parse_fabric(&options.fabric)?;
        let ledger = match &options.ledger {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path).map_err(io_error(path))?;
                Ledger::from_json(&text).map_err(|e| {
                    GatewayError::Config(format!(
                        "{} is not a dev ledger file ({e}); move it away or keep the ledger in memory",
                        path.display()
                    ))
                })?
            }
            _ => Ledger::new(),
        };
        let mut peer_options = PeerOptions::default()
            .fabric(version)
            .channels([options.channel.clone()])
            .msp_id(&options.peer_msp);
        for launch in &options.chaincodes {
            let mut definition = ChaincodeDefinition::new(&launch.name);
            if let Some(json) = &launch.collections_config {
                definition = definition.collections_config(json).map_err(|e| {
                    GatewayError::Config(format!(
                        "chaincode `{}`: the collection configuration is unusable: {e}",
                        launch.name
                    ))
                })?;
            }
            peer_options = peer_options.chaincode(definition);
        }
        let peer = EmulatedPeer::with_ledger(peer_options, ledger);

        // Identities: one CA per MSP, the peer's own, the console's users.
        let mut msps = MspRegistry::new();
        let mut authorities: BTreeMap<String, TestCa> = BTreeMap::new();
        let ca = |authorities: &mut BTreeMap<String, TestCa>, msp: &str| {
            authorities
                .entry(msp.to_string())
                .or_insert_with(|| TestCa::new(msp))
                .cert_pem()
                .to_string()
        };
        let peer_ca = ca(&mut authorities, &options.peer_msp);
        let peer_user = authorities[&options.peer_msp]
            .identity()
            .cn(&format!(
                "peer0.{}.example.com",
                options
                    .peer_msp
                    .strip_suffix("MSP")
                    .unwrap_or(&options.peer_msp)
                    .to_lowercase()
            ))
            .ou("peer")
            .build();
        let mut identities = BTreeMap::new();
        for name in &options.identities {
            let (user, msp) = split_identity(name)?;
            let ca_pem = ca(&mut authorities, msp);
            let minted = authorities[msp].identity().cn(user).ou("client").build();
            identities.insert(
                name.clone(),
                MintedIdentity {
                    name: name.clone(),
                    msp_id: msp.to_string(),
                    cert_pem: minted.cert_pem().to_string(),
                    key_pem: minted.key_pem().to_string(),
                    ca_pem,
                },
            );
        }
        msps.add_ca_pem(&options.peer_msp, &peer_ca)?;
        for (msp, authority) in &authorities {
            if msp != &options.peer_msp {
                msps.add_ca_pem(msp, authority.cert_pem())?;
            }
        }
        for (msp, dir) in &options.msp_dirs {
            msps.add_msp_dir(msp, dir)?;
        }
        let key = crypto::SigningKey::from_pem(peer_user.key_pem())
            .map_err(|e| GatewayError::Config(e.to_string()))?;
        let identity = PeerIdentity {
            msp_id: options.peer_msp.clone(),
            creator: peer_user.creator(),
            key,
        };

        // TLS.
        let (tls, tls_ca_pem) = match &options.tls {
            TlsMode::Off => (None, None),
            TlsMode::Generated => {
                let generated = rcgen::generate_simple_self_signed(vec![
                    "localhost".to_string(),
                    "127.0.0.1".to_string(),
                ])
                .map_err(|e| {
                    GatewayError::Config(format!("cannot generate a TLS certificate: {e}"))
                })?;
                let cert = generated.cert.pem();
                let key = generated.signing_key.serialize_pem();
                (Some(TlsIdentity::from_pem(&cert, key)), Some(cert))
            }
            TlsMode::Files { cert, key } => {
                let cert_pem = std::fs::read_to_string(cert).map_err(io_error(cert))?;
                let key_pem = std::fs::read_to_string(key).map_err(io_error(key))?;
                (
                    Some(TlsIdentity::from_pem(&cert_pem, key_pem)),
                    Some(cert_pem),
                )
            }
        };

        if let Some(dir) = &options.crypto_dir {
            write_crypto(dir, &identities, tls_ca_pem.as_deref())?;
        }

        // Chaincodes dial the emulated peer over loopback, as with a real peer.
        let mut children = Vec::new();
        if !options.chaincodes.is_empty() {
            let cc_addr = peer
                .serve_tcp("127.0.0.1:0")
                .await
                .map_err(|e| GatewayError::Config(e.to_string()))?;
            for launch in &options.chaincodes {
                let child = Command::new(&launch.program)
                    .args(&launch.args)
                    .env("CORE_PEER_ADDRESS", cc_addr.to_string())
                    .env("CORE_CHAINCODE_ID_NAME", &launch.name)
                    .env("CORE_PEER_TLS_ENABLED", "false")
                    // A peer tells its chaincode which organisation it belongs to (the Go shim's
                    // GetMSPID reads this); the private-data sample checks callers against it.
                    .env("CORE_PEER_LOCALMSPID", &options.peer_msp)
                    .kill_on_drop(true)
                    .spawn()
                    .map_err(|e| GatewayError::Chaincode {
                        name: launch.name.clone(),
                        message: format!("cannot start {}: {e}", launch.program.display()),
                    })?;
                children.push(child);
            }
            for launch in &options.chaincodes {
                peer.wait_registered(&launch.name, Duration::from_secs(30))
                    .await
                    .map_err(|e| GatewayError::Chaincode {
                        name: launch.name.clone(),
                        message: e.to_string(),
                    })?;
            }
        }

        let listener = tokio::net::TcpListener::bind(&options.listen)
            .await
            .map_err(|e| GatewayError::Listen {
                addr: options.listen.clone(),
                message: e.to_string(),
            })?;
        let address = listener.local_addr().map_err(|e| GatewayError::Listen {
            addr: options.listen.clone(),
            message: e.to_string(),
        })?;
        let store = options.ledger.as_ref().map(|ledger| Store {
            ledger: ledger.clone(),
            blocks: blocks_path(ledger),
        });
        let node = Node::new(peer, msps, identity, address.to_string(), store)
            .map_err(GatewayError::Config)?;
        let service = server::GatewayService {
            node: Arc::new(node),
        };
        let mut builder = Server::builder();
        if let Some(identity) = tls {
            builder = builder
                .tls_config(ServerTlsConfig::new().identity(identity))
                .map_err(|e| GatewayError::Listen {
                    addr: options.listen.clone(),
                    message: e.to_string(),
                })?;
        }
        let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
        let server = tokio::spawn(async move {
            if let Err(e) = builder
                .serve_with_incoming(GatewayServer::new(service), incoming)
                .await
            {
                tracing::error!(error = %e, "the Gateway listener failed");
            }
        });
        Ok(Self {
            address,
            tls_ca_pem,
            identities,
            _children: children,
            server,
        })
    }

    /// The address the Gateway listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The TLS certificate clients must trust, when TLS is on.
    pub fn tls_ca_pem(&self) -> Option<&str> {
        self.tls_ca_pem.as_deref()
    }

    /// A minted console identity by name (`user@MSP`).
    pub fn identity(&self, name: &str) -> Option<&MintedIdentity> {
        self.identities.get(name)
    }

    /// Waits until the Gateway stops (it serves until the process ends).
    pub async fn wait(mut self) {
        let _ = (&mut self.server).await;
    }
}

/// Where the blocks of a ledger file are kept.
#[cfg(feature = "server")]
pub fn blocks_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".blocks");
    PathBuf::from(name)
}

/// Writes each identity as an MSP folder (`<dir>/<user@MSP>/msp/{signcerts,keystore,cacerts}`)
/// and the TLS CA as `<dir>/tls-ca.pem`.
#[cfg(feature = "server")]
fn write_crypto(
    dir: &Path,
    identities: &BTreeMap<String, MintedIdentity>,
    tls_ca: Option<&str>,
) -> Result<(), GatewayError> {
    let write = |path: PathBuf, text: &str| -> Result<(), GatewayError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        std::fs::write(&path, text).map_err(io_error(&path))
    };
    for identity in identities.values() {
        let msp = dir.join(&identity.name).join("msp");
        write(msp.join("signcerts").join("cert.pem"), &identity.cert_pem)?;
        write(msp.join("keystore").join("priv_sk"), &identity.key_pem)?;
        write(msp.join("cacerts").join("ca.pem"), &identity.ca_pem)?;
    }
    if let Some(ca) = tls_ca {
        write(dir.join("tls-ca.pem"), ca)?;
    }
    Ok(())
}
