//! The organisations the dev peer trusts: for each MSP id, the CA certificates
//! its members' certificates must be issued by. A creator is accepted as a
//! Fabric MSP accepts it: known MSP id, a certificate issued by one of that
//! MSP's CAs, and a valid low-S ECDSA signature by the certificate's key.

use std::collections::BTreeMap;
use std::path::Path;

use fabric_contract_proto::Message;
use fabric_contract_proto::msp::SerializedIdentity;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::crypto;

/// Why an MSP folder or certificate could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MspError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file holds no PEM certificate.
    #[error("{0} holds no PEM certificate")]
    NoCertificate(String),
    /// An MSP folder has no CA certificate.
    #[error(
        "the MSP folder {0} has no CA certificate (expected PEM files in cacerts/ or intermediatecerts/)"
    )]
    NoCa(String),
}

/// Why a creator was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// Not a `SerializedIdentity`, an unknown MSP or not a certificate.
    Malformed,
    /// A known MSP, but the certificate or the signature does not check out.
    Denied {
        /// The creator's MSP id.
        msp_id: String,
    },
}

/// Trusted CA certificates (DER) by MSP id.
#[derive(Debug, Clone, Default)]
pub struct MspRegistry {
    roots: BTreeMap<String, Vec<Vec<u8>>>,
}

/// Every certificate in a PEM text, as DER.
fn pem_certificates(pem: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = pem;
    rustls_pemfile::certs(&mut reader)
        .filter_map(Result::ok)
        .map(|der| der.as_ref().to_vec())
        .collect()
}

impl MspRegistry {
    /// An empty registry (trusts no one).
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts certificates issued by the CA in `ca_pem` for `msp_id`.
    pub fn add_ca_pem(&mut self, msp_id: &str, ca_pem: &str) -> Result<(), MspError> {
        let certs = pem_certificates(ca_pem.as_bytes());
        if certs.is_empty() {
            return Err(MspError::NoCertificate(format!("the CA of {msp_id}")));
        }
        self.roots
            .entry(msp_id.to_string())
            .or_default()
            .extend(certs);
        Ok(())
    }

    /// Trusts the CAs of an MSP folder (`cacerts/`, `intermediatecerts/`), as
    /// Fabric CA enrolment and cryptogen write it.
    pub fn add_msp_dir(&mut self, msp_id: &str, dir: &Path) -> Result<(), MspError> {
        let mut found = Vec::new();
        for sub in ["cacerts", "intermediatecerts"] {
            let folder = dir.join(sub);
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read(&path).map_err(|source| MspError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                found.extend(pem_certificates(&text));
            }
        }
        if found.is_empty() {
            return Err(MspError::NoCa(dir.display().to_string()));
        }
        self.roots
            .entry(msp_id.to_string())
            .or_default()
            .extend(found);
        Ok(())
    }

    /// The MSP ids trusted.
    pub fn msp_ids(&self) -> impl Iterator<Item = &str> {
        self.roots.keys().map(String::as_str)
    }

    /// Checks that `creator` (a serialized `SerializedIdentity`) is a member of
    /// a trusted MSP and signed `data` with `signature`; returns its MSP id.
    pub fn verify(
        &self,
        creator: &[u8],
        data: &[u8],
        signature: &[u8],
    ) -> Result<String, AuthError> {
        let identity = SerializedIdentity::decode(creator).map_err(|_| AuthError::Malformed)?;
        let roots = self
            .roots
            .get(&identity.mspid)
            .ok_or(AuthError::Malformed)?;
        let der = pem_certificates(&identity.id_bytes)
            .into_iter()
            .next()
            .ok_or(AuthError::Malformed)?;
        let (_, cert) = X509Certificate::from_der(&der).map_err(|_| AuthError::Malformed)?;
        let denied = || AuthError::Denied {
            msp_id: identity.mspid.clone(),
        };
        let issued = roots.iter().any(|root| {
            X509Certificate::from_der(root).is_ok_and(|(_, ca)| {
                ca.subject() == cert.issuer()
                    && cert.verify_signature(Some(ca.public_key())).is_ok()
            })
        });
        if !issued {
            return Err(denied());
        }
        let point = &cert.public_key().subject_public_key.data;
        if !crypto::verify(point, data, signature) {
            return Err(denied());
        }
        Ok(identity.mspid)
    }
}
