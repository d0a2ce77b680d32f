//! Test identities: a certificate authority per MSP and user certificates with
//! chosen subject and Fabric CA attributes, minted in memory with `rcgen`, so
//! identity and access-control tests need no files.
//!
//! ```
//! use fabric_contract::identity::ClientIdentity;
//! use fabric_contract::testing::identity::TestCa;
//!
//! let org1 = TestCa::new("Org1MSP");
//! let alice = org1.identity().cn("alice").attr("role", "admin").build();
//! let parsed = ClientIdentity::from_creator(&alice.creator()).unwrap();
//! assert_eq!(parsed.msp_id(), "Org1MSP");
//! assert_eq!(parsed.attr("role"), Some("admin"));
//! assert_eq!(
//!     parsed.id_text(),
//!     "x509::CN=alice,OU=client,O=Hyperledger,ST=North Carolina,C=US::CN=ca.org1.example.com,O=org1.example.com,L=Durham,ST=North Carolina,C=US"
//! );
//! ```

use std::collections::BTreeMap;

use fabric_contract_proto::Message;
use fabric_contract_proto::msp::SerializedIdentity;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer,
    KeyPair,
};

/// The OID arcs of Fabric CA's attribute extension (1.2.3.4.5.6.7.8.1).
const ATTRIBUTES_OID: [u64; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 1];

/// A certificate authority standing for one organisation's MSP.
pub struct TestCa {
    msp_id: String,
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCa")
            .field("msp_id", &self.msp_id)
            .finish()
    }
}

impl TestCa {
    /// A CA for `msp_id`, named like the test network's: `Org1MSP` gets
    /// `CN=ca.org1.example.com,O=org1.example.com,L=Durham,ST=North Carolina,C=US`.
    pub fn new(msp_id: &str) -> Self {
        let org = msp_id.strip_suffix("MSP").unwrap_or(msp_id).to_lowercase();
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "US");
        dn.push(DnType::StateOrProvinceName, "North Carolina");
        dn.push(DnType::LocalityName, "Durham");
        dn.push(DnType::OrganizationName, format!("{org}.example.com"));
        dn.push(DnType::CommonName, format!("ca.{org}.example.com"));
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("generating an ECDSA P-256 key");
        let cert = params
            .self_signed(&key)
            .expect("self-signing a CA certificate");
        Self {
            msp_id: msp_id.into(),
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
        }
    }

    /// The MSP this CA stands for.
    pub fn msp_id(&self) -> &str {
        &self.msp_id
    }

    /// The CA certificate (PEM).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// Starts a user certificate issued by this CA (`CN=user`, `OU=client`, `O=Hyperledger` by default).
    pub fn identity(&self) -> IdentityBuilder<'_> {
        IdentityBuilder {
            ca: self,
            cn: "user".into(),
            ou: Some("client".into()),
            organization: "Hyperledger".into(),
            attrs: BTreeMap::new(),
        }
    }
}

/// Chooses the subject and attributes of a test identity.
///
/// The subject holds at most one value per attribute type (rcgen keeps names
/// as a map), so a certificate with several OUs, as Fabric CA issues for
/// affiliations, needs a fixture file (see tests/fixtures/identity/two_ous.pem).
/// Validity is rcgen's fixed window (1975 to 4096), so minted identities never
/// expire and do not depend on the clock.
#[derive(Debug)]
pub struct IdentityBuilder<'a> {
    ca: &'a TestCa,
    cn: String,
    ou: Option<String>,
    organization: String,
    attrs: BTreeMap<String, String>,
}

impl IdentityBuilder<'_> {
    /// The common name.
    pub fn cn(mut self, cn: &str) -> Self {
        self.cn = cn.into();
        self
    }

    /// The organizational unit (`client`, `admin`, `peer` …).
    pub fn ou(mut self, ou: &str) -> Self {
        self.ou = Some(ou.into());
        self
    }

    /// No organizational unit at all.
    pub fn no_ou(mut self) -> Self {
        self.ou = None;
        self
    }

    /// The organization (`O=`).
    pub fn organization(mut self, organization: &str) -> Self {
        self.organization = organization.into();
        self
    }

    /// A Fabric CA attribute, carried in the certificate's attribute extension.
    pub fn attr(mut self, name: &str, value: &str) -> Self {
        self.attrs.insert(name.into(), value.into());
        self
    }

    /// Issues the certificate.
    pub fn build(self) -> TestIdentity {
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "US");
        dn.push(DnType::StateOrProvinceName, "North Carolina");
        dn.push(DnType::OrganizationName, self.organization.as_str());
        if let Some(ou) = &self.ou {
            dn.push(DnType::OrganizationalUnitName, ou.as_str());
        }
        dn.push(DnType::CommonName, self.cn.as_str());
        params.distinguished_name = dn;
        if !self.attrs.is_empty() {
            let json = serde_json::json!({ "attrs": self.attrs }).to_string();
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    &ATTRIBUTES_OID,
                    json.into_bytes(),
                ));
        }
        let key = KeyPair::generate().expect("generating an ECDSA P-256 key");
        let cert = params
            .signed_by(&key, &self.ca.issuer)
            .expect("signing a user certificate");
        TestIdentity {
            msp_id: self.ca.msp_id.clone(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// A minted user: MSP id, certificate and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestIdentity {
    msp_id: String,
    cert_pem: String,
    key_pem: String,
}

impl TestIdentity {
    /// The identity's MSP.
    pub fn msp_id(&self) -> &str {
        &self.msp_id
    }

    /// Its certificate (PEM).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// Its private key (PKCS#8 PEM).
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// The serialized `SerializedIdentity` a proposal carries as its creator.
    pub fn creator(&self) -> Vec<u8> {
        SerializedIdentity {
            mspid: self.msp_id.clone(),
            id_bytes: self.cert_pem.clone().into_bytes(),
        }
        .encode_to_vec()
    }

    /// The Go-format client id text (`x509::<subject>::<issuer>`).
    pub fn id_text(&self) -> String {
        crate::identity::ClientIdentity::from_creator(&self.creator())
            .map(|id| id.id_text())
            .unwrap_or_default()
    }
}
