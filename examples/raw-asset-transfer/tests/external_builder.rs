//! The raw chaincode deployed as a Fabric peer deploys it, with the peer's
//! restrictions: the builder programs see only `PATH` and `TMPDIR` (the peer
//! passes nothing else unless configured), `run` gets the TLS material as PEM
//! strings in `chaincode.json` (the client key in the peer's PKCS#8-under-EC
//! label form) and is stopped with SIGTERM; a chaincode-as-a-service package's
//! `connection.json` is what the peer dials to reach `serve --server`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use fabric_contract::testing::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions};
use sha2::{Digest, Sha256};
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

const BINARY: &str = env!("CARGO_BIN_EXE_raw-asset-transfer");

/// A child process, killed when dropped.
struct Process(Child);

impl Process {
    fn wait_timeout(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.0.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A builder program run with only the variables a peer passes on.
fn builder(program: &str, args: &[&Path]) -> Command {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../external-builder/bin")
        .join(program);
    let mut command = Command::new(path);
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TMPDIR", std::env::temp_dir());
    command
}

fn succeeded(output: Output) -> Output {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `raw-asset-transfer package …` into `dir`; checks the printed ID is label:sha256(file).
fn package(dir: &Path, label: &str, args: &[&str]) -> (Vec<u8>, String) {
    let out = dir.join(format!("{label}.tar.gz"));
    let output = succeeded(
        Command::new(BINARY)
            .args(["package", "--label", label])
            .args(args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap(),
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("package ID: "))
        .expect("the package ID is printed")
        .to_owned();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(
        id,
        format!("{label}:{}", hex::encode(Sha256::digest(&bytes)))
    );
    (bytes, id)
}

/// The regular files of a gzip tar, in archive order.
fn entries(targz: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(targz));
    let mut files = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        assert_eq!(entry.header().entry_type(), tar::EntryType::Regular);
        let path = entry.path().unwrap().display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.push((path, bytes));
    }
    files
}

/// Unpacks as the peer does; returns (SOURCE_DIR, METADATA_DIR).
fn unpack(package: &[u8], root: &Path) -> (PathBuf, PathBuf) {
    let files = entries(package);
    let mut names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["code.tar.gz", "metadata.json"],
        "exactly the two files the peer reads"
    );
    let (source, metadata) = (root.join("src"), root.join("meta"));
    std::fs::create_dir_all(&source).unwrap();
    std::fs::create_dir_all(&metadata).unwrap();
    for (path, bytes) in files {
        if path == "metadata.json" {
            std::fs::write(metadata.join(path), bytes).unwrap();
        } else {
            tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()))
                .unpack(&source)
                .unwrap();
        }
    }
    (source, metadata)
}

/// A CA, a `localhost` server certificate for the peer and a client
/// certificate for the chaincode whose key is PKCS#8 under the EC label, as
/// the peer writes it.
struct Pki {
    ca: String,
    server: (String, String),
    client: (String, String),
}

fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf = |name: &str| {
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec![name.to_owned()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let (client_cert, client_key) = leaf("chaincode");
    Pki {
        ca: ca.pem(),
        server: leaf("localhost"),
        client: (
            client_cert,
            client_key.replace("PRIVATE KEY-----", "EC PRIVATE KEY-----"),
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builder_runs_a_binary_package_over_mutual_tls_in_the_peers_environment() {
    let dir = tempfile::tempdir().unwrap();
    // No --executable: the running binary packages itself.
    let (bytes, package_id) = package(dir.path(), "raw_1.0", &["--binary"]);
    let (source, metadata) = unpack(&bytes, dir.path());
    assert_eq!(
        std::fs::read(source.join("chaincode")).unwrap(),
        std::fs::read(BINARY).unwrap(),
        "the package holds this very binary"
    );

    succeeded(builder("detect", &[&source, &metadata]).output().unwrap());
    let [build_out, release_out, run_meta] =
        ["build", "release", "run"].map(|d| dir.path().join(d));
    for d in [&build_out, &release_out, &run_meta] {
        std::fs::create_dir(d).unwrap();
    }
    succeeded(
        builder("build", &[&source, &metadata, &build_out])
            .output()
            .unwrap(),
    );
    succeeded(
        builder("release", &[&build_out, &release_out])
            .output()
            .unwrap(),
    );

    let pki = pki();
    let peer = EmulatedPeer::new(
        PeerOptions::default()
            .chaincode(ChaincodeDefinition::new("raw").registration_id(&package_id)),
    );
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(&pki.server.0, &pki.server.1))
        .client_ca_root(Certificate::from_pem(&pki.ca));
    let address = peer.serve_tcp_tls("127.0.0.1:0", tls).await.unwrap();
    let chaincode_json = serde_json::json!({
        "chaincode_id": package_id,
        "peer_address": format!("localhost:{}", address.port()),
        "client_cert": pki.client.0, "client_key": pki.client.1, "root_cert": pki.ca,
        "mspid": "Org1MSP",
    });
    std::fs::write(run_meta.join("chaincode.json"), chaincode_json.to_string()).unwrap();
    let mut process = Process(
        builder("run", &[&build_out, &run_meta])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    peer.wait_registered(&package_id, Duration::from_secs(20))
        .await
        .expect("the launched chaincode registers over mutual TLS under the package ID");
    let init = peer
        .invoke(Invocation::submit("raw", ["InitLedger"]))
        .await
        .unwrap();
    assert_eq!(init.response.status, 200, "{}", init.response.message);
    let read = peer
        .invoke(Invocation::evaluate("raw", ["AssetExists", "asset1"]))
        .await
        .unwrap();
    assert_eq!(read.response.payload, b"true");

    // The peer stops chaincode with SIGTERM (then SIGKILL); SIGTERM alone must do.
    let pid = process.0.id().to_string();
    succeeded(Command::new("kill").args(["-TERM", &pid]).output().unwrap());
    assert!(
        process.wait_timeout(Duration::from_secs(10)).is_some(),
        "the chaincode exits on SIGTERM"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ccaas_package_reaches_serve_server() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let (bytes, package_id) = package(dir.path(), "raw_ccaas", &["--address", &address]);
    let (source, metadata) = unpack(&bytes, dir.path());
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(metadata.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(meta["type"], "ccaas");
    assert!(
        !builder("detect", &[&source, &metadata])
            .output()
            .unwrap()
            .status
            .success(),
        "left to the peer's built-in ccaas builder"
    );
    let connection: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("connection.json")).unwrap()).unwrap();
    assert_eq!(connection["tls_required"], false, "a JSON boolean");

    let _process = Process(
        Command::new(BINARY)
            .args(["serve", "--server"])
            .env("CHAINCODE_SERVER_ADDRESS", &address)
            .env("CHAINCODE_ID", &package_id)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let peer = EmulatedPeer::new(
        PeerOptions::default()
            .chaincode(ChaincodeDefinition::new("raw").registration_id(&package_id)),
    );
    let target = format!("http://{}", connection["address"].as_str().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Err(e) = peer.connect_ccaas(&target, None).await {
        assert!(Instant::now() < deadline, "the service never came up: {e}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    peer.wait_registered(&package_id, Duration::from_secs(20))
        .await
        .unwrap();
    let created = peer
        .invoke(Invocation::submit(
            "raw",
            ["CreateAsset", "a1", "blue", "5", "Tom", "100"],
        ))
        .await
        .unwrap();
    assert_eq!(created.response.status, 200, "{}", created.response.message);
    assert!(peer.ledger().get_state("mychannel", "raw", "a1").is_some());
}
