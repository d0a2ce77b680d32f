//! The identity of the client that submitted a transaction, as Fabric's
//! client-identity libraries present it.
//!
//! The creator of a proposal is a serialized `msp.SerializedIdentity`: an MSP
//! id plus, for X.509 identities, a PEM certificate. [`ClientIdentity`] parses
//! it once and answers the usual questions: which organisation, which user
//! ([`ClientIdentity::id`]), which Fabric CA attributes.
//!
//! # Which library we follow
//! The three official contract APIs print the caller's id differently (Go:
//! fabric-chaincode-go `pkg/cid/cid.go`; Node: fabric-shim `lib/chaincode.js`;
//! Java: `ClientIdentity.java`): Go base64-encodes `x509::<subject>::<issuer>`
//! with its own DN formatting; Node prints `/`-separated DNs in certificate
//! order without base64; Java uses the JDK's DN form. We follow **Go**, the
//! sample chaincodes' language, so data written by a Go chaincode (token
//! balances keyed by client id, private-data owners) stays readable:
//! [`ClientIdentity::id`] is Go's `GetID()`, [`ClientIdentity::id_text`] its
//! decoded text.

mod dn;

use std::collections::BTreeMap;

use base64::Engine;
use fabric_contract_proto::Message;
use fabric_contract_proto::msp::SerializedIdentity;
use x509_parser::prelude::{FromDer, X509Certificate};

/// The X.509 extension in which Fabric CA puts enrolment attributes.
pub const ATTRIBUTES_OID: &str = "1.2.3.4.5.6.7.8.1";

/// Why a creator could not be read as an identity, or an attribute check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// The creator bytes are not a serialized `SerializedIdentity`.
    #[error("the transaction creator is not a serialized identity: {0}")]
    NotSerializedIdentity(String),
    /// The identity is not an X.509 certificate (e.g. idemix); Go says the same.
    #[error(
        "cannot determine identity: the creator of MSP {msp_id} is not an X.509 certificate ({reason})"
    )]
    NotX509 {
        /// The creator's MSP.
        msp_id: String,
        /// What was found instead.
        reason: String,
    },
    /// The Fabric CA attribute extension is not the expected JSON.
    #[error(
        "the certificate's attribute extension (OID 1.2.3.4.5.6.7.8.1) is not {{\"attrs\":{{…}}}} JSON: {0}"
    )]
    BadAttributes(String),
    /// `assert_attr` found no such attribute (Go's text).
    #[error("attribute '{0}' was not found")]
    AttributeNotFound(String),
    /// `assert_attr` found another value (Go's text).
    #[error("attribute '{name}' equals '{actual}', not '{expected}'")]
    AttributeMismatch {
        /// The attribute.
        name: String,
        /// Its value.
        actual: String,
        /// The value required.
        expected: String,
    },
}

/// The submitting client: MSP id, certificate, distinguished names, attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    msp_id: String,
    certificate_der: Vec<u8>,
    certificate_pem: String,
    subject: String,
    issuer: String,
    organizational_units: Vec<String>,
    attributes: BTreeMap<String, String>,
}

impl ClientIdentity {
    /// Parses the creator bytes of a transaction (`Stub::creator`).
    pub fn from_creator(creator: &[u8]) -> Result<Self, IdentityError> {
        let identity = SerializedIdentity::decode(creator)
            .map_err(|e| IdentityError::NotSerializedIdentity(e.to_string()))?;
        let not_x509 = |reason: String| IdentityError::NotX509 {
            msp_id: identity.mspid.clone(),
            reason,
        };
        let (_, pem) = x509_parser::pem::parse_x509_pem(&identity.id_bytes)
            .map_err(|e| not_x509(format!("no PEM block: {e}")))?;
        // Like Go (pkg/cid and the peer's MSP), the PEM label is not checked:
        // whatever the first block holds must parse as a certificate.
        let (_, cert) = X509Certificate::from_der(&pem.contents).map_err(|e| {
            not_x509(format!(
                "a PEM block labelled {:?} that is not a certificate: {e}",
                pem.label
            ))
        })?;
        let subject_name = dn::GoName::parse(cert.subject())
            .map_err(|e| not_x509(format!("an unreadable certificate: subject {e}")))?;
        let issuer_name = dn::GoName::parse(cert.issuer())
            .map_err(|e| not_x509(format!("an unreadable certificate: issuer {e}")))?;
        let subject = subject_name.go_dn();
        let issuer = issuer_name.go_dn();
        let organizational_units = subject_name.organizational_units();
        let attributes = attributes(&cert)?;
        Ok(Self {
            msp_id: identity.mspid.clone(),
            certificate_pem: String::from_utf8_lossy(&identity.id_bytes).into_owned(),
            certificate_der: pem.contents.clone(),
            subject,
            issuer,
            organizational_units,
            attributes,
        })
    }

    /// The MSP the client belongs to, e.g. `Org1MSP`.
    pub fn msp_id(&self) -> &str {
        &self.msp_id
    }

    /// Go's `GetID()`: base64 (standard, padded) of [`id_text`](Self::id_text).
    pub fn id(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.id_text())
    }

    /// `x509::<subject DN>::<issuer DN>` with Go's DN formatting.
    pub fn id_text(&self) -> String {
        format!("x509::{}::{}", self.subject, self.issuer)
    }

    /// The subject DN in Go's form, e.g. `CN=alice,OU=client,O=Org1`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer DN in Go's form.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The certificate, DER-encoded.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The certificate as the creator carried it (PEM).
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// Whether the subject lists this organizational unit (Go's `HasOUValue`).
    pub fn has_ou(&self, ou: &str) -> bool {
        self.organizational_units.iter().any(|v| v == ou)
    }

    /// A Fabric CA attribute, e.g. `hf.EnrollmentID` or a custom `role`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// All Fabric CA attributes, sorted by name.
    pub fn attrs(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }

    /// Fails unless attribute `name` equals `value`, with Go's error texts.
    pub fn assert_attr(&self, name: &str, value: &str) -> Result<(), IdentityError> {
        match self.attr(name) {
            None => Err(IdentityError::AttributeNotFound(name.into())),
            Some(actual) if actual == value => Ok(()),
            Some(actual) => Err(IdentityError::AttributeMismatch {
                name: name.into(),
                actual: actual.into(),
                expected: value.into(),
            }),
        }
    }
}

/// Reads the Fabric CA attribute extension: `{"attrs": {"name": "value", …}}`.
fn attributes(cert: &X509Certificate<'_>) -> Result<BTreeMap<String, String>, IdentityError> {
    #[derive(serde::Deserialize)]
    struct Attributes {
        #[serde(default)]
        attrs: BTreeMap<String, String>,
    }
    let Some(extension) = cert
        .extensions()
        .iter()
        .find(|e| e.oid.to_id_string() == ATTRIBUTES_OID)
    else {
        return Ok(BTreeMap::new());
    };
    let parsed: Attributes = serde_json::from_slice(extension.value)
        .map_err(|e| IdentityError::BadAttributes(e.to_string()))?;
    Ok(parsed.attrs)
}
