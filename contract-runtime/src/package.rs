//! Chaincode packages the peer installs: `peer lifecycle chaincode install <file>`.
//!
//! A package is a gzip tar holding `metadata.json` and `code.tar.gz`. Two
//! kinds are written here:
//! - **chaincode-as-a-service** (`type: "ccaas"`): `code.tar.gz` holds
//!   `connection.json`, telling the peer's built-in `ccaas` builder where to
//!   dial the running chaincode;
//! - **binary** (`type:` [`BINARY_PACKAGE_TYPE`]): `code.tar.gz` holds the
//!   compiled chaincode as `chaincode`, for the external builder shipped in
//!   `external-builder/`, which lets the peer launch it itself.
//!
//! Packages are byte-for-byte reproducible (fixed timestamps, owners and
//! entry order), so the package ID — `label:sha256(package file)` — is the
//! same every time the same inputs are packaged.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `metadata.json` type of binary packages, which our external builder claims.
pub const BINARY_PACKAGE_TYPE: &str = "fabric-contract-rust";

/// Why a package could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The label does not match `^[[:alnum:]][[:alnum:]_.+-]*$`.
    #[error(
        "invalid package label {0:?}: it must start with a letter or digit and contain only letters, digits and _ . + -"
    )]
    InvalidLabel(String),
    /// A file to include could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing the archive failed.
    #[error("cannot write the package archive: {0}")]
    Write(#[from] std::io::Error),
}

/// `connection.json` of a chaincode-as-a-service package, as the peer parses it.
///
/// Booleans are JSON booleans: the peer rejects `"true"` strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Connection {
    /// host:port the peer dials.
    pub address: String,
    /// Go duration text, e.g. `10s` (the `ccaas` builder needs a string).
    pub dial_timeout: String,
    /// Whether the peer uses TLS.
    pub tls_required: bool,
    /// Whether the peer presents a client certificate.
    pub client_auth_required: bool,
    /// PEM of the CA that issued the chaincode server's certificate (TLS only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub root_cert: Option<String>,
    /// PEM of the peer's client key (client auth only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_key: Option<String>,
    /// PEM of the peer's client certificate (client auth only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_cert: Option<String>,
    /// TLS server-name override (Fabric 3.0+, applied with client auth only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub domain: Option<String>,
}

impl Connection {
    /// A plain-TCP connection to `address` with the usual 10 s dial timeout.
    pub fn plain(address: impl Into<String>) -> Self {
        Self {
            address: address.into(),
            dial_timeout: "10s".into(),
            tls_required: false,
            client_auth_required: false,
            root_cert: None,
            client_key: None,
            client_cert: None,
            domain: None,
        }
    }
}

/// A written package: its bytes and the ID the peer will report for them.
#[derive(Debug, Clone)]
pub struct Package {
    /// The `.tar.gz` bytes to hand to `peer lifecycle chaincode install`.
    pub bytes: Vec<u8>,
    /// `label:sha256-hex`, what `install` prints and `approveformyorg --package-id` takes.
    pub package_id: String,
}

/// Extra files for `code.tar.gz`, e.g. CouchDB index definitions under
/// `META-INF/statedb/couchdb/indexes/`. Paths are archive paths.
pub type ExtraFiles = Vec<(String, Vec<u8>)>;

/// Writes a chaincode-as-a-service package.
///
/// ```
/// use fabric_contract::package::{ccaas_package, Connection};
/// let package = ccaas_package("basic_1.0", &Connection::plain("basic.example.com:9999"), Vec::new()).unwrap();
/// assert!(package.package_id.starts_with("basic_1.0:"));
/// assert_eq!(package.package_id.len(), "basic_1.0:".len() + 64);
/// ```
pub fn ccaas_package(
    label: &str,
    connection: &Connection,
    extra: ExtraFiles,
) -> Result<Package, PackageError> {
    let json = serde_json::to_vec_pretty(connection).map_err(std::io::Error::other)?;
    let mut files = vec![("connection.json".to_owned(), json, 0o644)];
    files.extend(extra.into_iter().map(|(path, bytes)| (path, bytes, 0o644)));
    build(label, "ccaas", files)
}

/// Writes a binary package holding the chaincode executable at `binary`.
pub fn binary_package(
    label: &str,
    binary: &Path,
    extra: ExtraFiles,
) -> Result<Package, PackageError> {
    let bytes = std::fs::read(binary).map_err(|source| PackageError::Read {
        path: binary.display().to_string(),
        source,
    })?;
    let mut files = vec![("chaincode".to_owned(), bytes, 0o755)];
    files.extend(extra.into_iter().map(|(path, bytes)| (path, bytes, 0o644)));
    build(label, BINARY_PACKAGE_TYPE, files)
}

/// The package ID the peer derives from a package file's bytes.
pub fn package_id(label: &str, package_bytes: &[u8]) -> String {
    format!("{label}:{}", hex::encode(Sha256::digest(package_bytes)))
}

/// Whether `label` is one the peer accepts.
pub fn is_valid_label(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-'))
}

fn build(
    label: &str,
    ty: &str,
    mut code_files: Vec<(String, Vec<u8>, u32)>,
) -> Result<Package, PackageError> {
    if !is_valid_label(label) {
        return Err(PackageError::InvalidLabel(label.into()));
    }
    code_files.sort_by(|a, b| a.0.cmp(&b.0));
    let code = targz(&code_files)?;
    #[derive(Serialize)]
    struct Metadata<'a> {
        label: &'a str,
        path: &'a str,
        r#type: &'a str,
    }
    let metadata = serde_json::to_vec(&Metadata {
        label,
        path: "",
        r#type: ty,
    })
    .map_err(std::io::Error::other)?;
    let bytes = targz(&[
        ("code.tar.gz".into(), code, 0o644),
        ("metadata.json".into(), metadata, 0o644),
    ])?;
    Ok(Package {
        package_id: package_id(label, &bytes),
        bytes,
    })
}

/// A gzip tar of regular files only (the peer rejects directory entries),
/// with zeroed timestamps and owners so the bytes are reproducible.
fn targz(files: &[(String, Vec<u8>, u32)]) -> Result<Vec<u8>, std::io::Error> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (path, bytes, mode) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(*mode);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path, bytes.as_slice())?;
    }
    let mut gz = tar.into_inner()?;
    gz.flush()?;
    gz.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn entries(targz: &[u8]) -> Vec<(String, Vec<u8>, tar::EntryType, u32)> {
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(targz));
        archive
            .entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let path = e.path().unwrap().display().to_string();
                let (ty, mode) = (e.header().entry_type(), e.header().mode().unwrap());
                let mut bytes = Vec::new();
                e.read_to_end(&mut bytes).unwrap();
                (path, bytes, ty, mode)
            })
            .collect()
    }

    #[test]
    fn ccaas_package_has_the_structure_the_peer_expects() {
        let mut connection = Connection::plain("cc.example.com:9999");
        connection.tls_required = true;
        connection.root_cert = Some("-----BEGIN CERTIFICATE-----\n".into());
        let index = br#"{"index":{"fields":["owner"]}}"#.to_vec();
        let extra = vec![(
            "META-INF/statedb/couchdb/indexes/owner.json".to_owned(),
            index.clone(),
        )];
        let package = ccaas_package("basic_1.0", &connection, extra).unwrap();

        let outer = entries(&package.bytes);
        let names: Vec<_> = outer.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names, ["code.tar.gz", "metadata.json"]);
        assert!(outer.iter().all(|e| e.2 == tar::EntryType::Regular));
        let metadata: serde_json::Value = serde_json::from_slice(&outer[1].1).unwrap();
        assert_eq!(
            metadata,
            serde_json::json!({"label": "basic_1.0", "path": "", "type": "ccaas"})
        );

        let code = entries(&outer[0].1);
        assert_eq!(code[0].0, "META-INF/statedb/couchdb/indexes/owner.json");
        assert_eq!(code[0].1, index);
        assert_eq!(code[1].0, "connection.json");
        let json: serde_json::Value = serde_json::from_slice(&code[1].1).unwrap();
        assert_eq!(
            json["tls_required"],
            serde_json::Value::Bool(true),
            "booleans must be JSON booleans"
        );
        assert_eq!(json["dial_timeout"], "10s");
        assert!(json.get("client_key").is_none());
        assert_eq!(
            serde_json::from_slice::<Connection>(&code[1].1).unwrap(),
            connection
        );

        assert_eq!(package.package_id, package_id("basic_1.0", &package.bytes));
        let expected = format!("basic_1.0:{}", hex::encode(Sha256::digest(&package.bytes)));
        assert_eq!(package.package_id, expected);
    }

    #[test]
    fn packages_are_reproducible() {
        let a = ccaas_package("x", &Connection::plain("h:1"), Vec::new()).unwrap();
        let b = ccaas_package("x", &Connection::plain("h:1"), Vec::new()).unwrap();
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.package_id, b.package_id);
    }

    #[test]
    fn binary_package_holds_an_executable() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("cc");
        std::fs::write(&binary, b"\x7fELF...").unwrap();
        let package = binary_package("basic_2", &binary, Vec::new()).unwrap();
        let outer = entries(&package.bytes);
        let metadata: serde_json::Value = serde_json::from_slice(&outer[1].1).unwrap();
        assert_eq!(metadata["type"], BINARY_PACKAGE_TYPE);
        let code = entries(&outer[0].1);
        assert_eq!(
            (code[0].0.as_str(), code[0].1.as_slice(), code[0].3),
            ("chaincode", &b"\x7fELF..."[..], 0o755)
        );
        let missing = binary_package("basic_2", &dir.path().join("nope"), Vec::new()).unwrap_err();
        assert!(missing.to_string().contains("cannot read"), "{missing}");
    }

    #[test]
    fn labels_are_checked_like_the_peer() {
        for good in ["basic", "basic_1.0", "a+b-c.d", "9lives"] {
            assert!(is_valid_label(good), "{good}");
        }
        for bad in ["", "_x", "-x", "a b", "a/b", "a:b"] {
            assert!(!is_valid_label(bad), "{bad}");
            assert!(matches!(
                ccaas_package(bad, &Connection::plain("h:1"), Vec::new()),
                Err(PackageError::InvalidLabel(_))
            ));
        }
    }
}
