//! Client identity: ids equal to what Fabric's Go client-identity library
//! returns (vectors computed with Go, see tests/go/README.md), attributes, and
//! clear errors for creators that are not X.509 certificates.

use fabric_contract::identity::{ClientIdentity, IdentityError};
use fabric_contract::testing::identity::TestCa;
use fabric_contract_proto::Message;
use fabric_contract_proto::msp::SerializedIdentity;
use proptest::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/identity");

fn creator(msp: &str, id_bytes: &[u8]) -> Vec<u8> {
    SerializedIdentity {
        mspid: msp.into(),
        id_bytes: id_bytes.to_vec(),
    }
    .encode_to_vec()
}

#[test]
fn identity_go_vectors() {
    let table = std::fs::read_to_string(format!("{FIXTURES}/go-ids.tsv")).unwrap();
    let mut checked = 0;
    for line in table.lines() {
        let [file, text, base64] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("bad line {line:?}")
        };
        let pem = std::fs::read(format!("{FIXTURES}/{file}")).unwrap();
        let id = ClientIdentity::from_creator(&creator("Org1MSP", &pem)).unwrap();
        assert_eq!(id.id_text(), text, "{file}");
        assert_eq!(id.id(), base64, "{file}");
        checked += 1;
    }
    assert_eq!(checked, 15);
}

#[test]
fn the_spec_example_id_is_base64_of_its_text() {
    // Go's decoded and encoded forms of one certificate's id (fabric-chaincode-go `pkg/cid/cid.go`).
    let text = "x509::CN=Smith\\, John,OU=client+OU=org1,O=Hyperledger,ST=North Carolina,C=US::CN=ca.org1.example.com,O=org1.example.com,L=Durham,ST=North Carolina,C=US";
    let encoded = "eDUwOTo6Q049U21pdGhcLCBKb2huLE9VPWNsaWVudCtPVT1vcmcxLE89SHlwZXJsZWRnZXIsU1Q9Tm9ydGggQ2Fyb2xpbmEsQz1VUzo6Q049Y2Eub3JnMS5leGFtcGxlLmNvbSxPPW9yZzEuZXhhbXBsZS5jb20sTD1EdXJoYW0sU1Q9Tm9ydGggQ2Fyb2xpbmEsQz1VUw==";
    // two_ous.pem has that subject (plus an emailAddress Go drops) and that issuer.
    let pem = std::fs::read(format!("{FIXTURES}/two_ous.pem")).unwrap();
    let id = ClientIdentity::from_creator(&creator("Org1MSP", &pem)).unwrap();
    assert_eq!((id.id_text().as_str(), id.id().as_str()), (text, encoded));
    assert!(id.has_ou("client") && id.has_ou("org1") && !id.has_ou("org2"));
}

#[test]
fn fabric_ca_attributes() {
    let pem = std::fs::read(format!("{FIXTURES}/attrs.pem")).unwrap();
    let id = ClientIdentity::from_creator(&creator("Org1MSP", &pem)).unwrap();
    assert_eq!(id.attr("role"), Some("auditor"));
    assert_eq!(id.attr("hf.EnrollmentID"), Some("user1"));
    assert_eq!(id.attrs().len(), 4);
    assert_eq!(id.assert_attr("role", "auditor"), Ok(()));
    assert_eq!(
        id.assert_attr("role", "admin").unwrap_err().to_string(),
        "attribute 'role' equals 'auditor', not 'admin'"
    );
    assert_eq!(
        id.assert_attr("nope", "x").unwrap_err().to_string(),
        "attribute 'nope' was not found"
    );
    let plain = ClientIdentity::from_creator(&creator(
        "Org1MSP",
        &std::fs::read(format!("{FIXTURES}/plain.pem")).unwrap(),
    ))
    .unwrap();
    assert!(plain.attrs().is_empty());
}

#[test]
fn minted_identities_parse_back() {
    let org2 = TestCa::new("Org2MSP");
    let bob = org2
        .identity()
        .cn("bob")
        .ou("admin")
        .attr("role", "auditor")
        .attr("dept", "sales")
        .build();
    let id = ClientIdentity::from_creator(&bob.creator()).unwrap();
    assert_eq!(id.msp_id(), "Org2MSP");
    assert_eq!(
        id.subject(),
        "CN=bob,OU=admin,O=Hyperledger,ST=North Carolina,C=US"
    );
    assert_eq!(
        id.issuer(),
        "CN=ca.org2.example.com,O=org2.example.com,L=Durham,ST=North Carolina,C=US"
    );
    assert_eq!(
        (id.attr("role"), id.attr("dept")),
        (Some("auditor"), Some("sales"))
    );
    assert_eq!(id.certificate_pem(), bob.cert_pem());
    assert!(id.certificate_der().starts_with(&[0x30]));
}

#[test]
fn non_x509_creators_are_clear_errors() {
    let idemix = creator("IdemixMSP", b"\x0a\x05idemix-credential-bytes");
    let err = ClientIdentity::from_creator(&idemix).unwrap_err();
    assert!(matches!(err, IdentityError::NotX509 { .. }), "{err}");
    assert!(
        err.to_string().starts_with("cannot determine identity"),
        "{err}"
    );

    let key = creator(
        "Org1MSP",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    assert!(
        ClientIdentity::from_creator(&key)
            .unwrap_err()
            .to_string()
            .contains("PRIVATE KEY")
    );

    let bad = creator(
        "Org1MSP",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    assert!(matches!(
        ClientIdentity::from_creator(&bad),
        Err(IdentityError::NotX509 { .. })
    ));

    assert!(matches!(
        ClientIdentity::from_creator(&[0xff, 0xff]),
        Err(IdentityError::NotSerializedIdentity(_))
    ));
}

proptest! {
    #[test]
    fn random_creators_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = ClientIdentity::from_creator(&bytes);
        let _ = ClientIdentity::from_creator(&creator("Org1MSP", &bytes));
    }
}

/// `utf8.pem` with the PrintableString `JP` (its country) rewritten by `patch`, back in PEM.
fn utf8_cert_with_country(patch: impl Fn(&mut [u8])) -> Vec<u8> {
    use base64::Engine;
    let pem = std::fs::read_to_string(format!("{FIXTURES}/utf8.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let mut der = engine.decode(body).unwrap();
    let at = der
        .windows(4)
        .rposition(|w| w == [0x13, 2, b'J', b'P'])
        .unwrap();
    patch(&mut der[at..at + 4]);
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        engine.encode(der)
    )
    .into_bytes()
}

#[test]
fn names_go_cannot_parse_are_errors() {
    // Go 1.19's x509.ParseCertificate rejects both (checked with tests/go): "invalid
    // PrintableString" and "unsupported string type: 4". The signature is not
    // checked by either side, so patching the DER is enough.
    let bad_printable = utf8_cert_with_country(|v| v[2] = b'@');
    let err = ClientIdentity::from_creator(&creator("Org1MSP", &bad_printable)).unwrap_err();
    assert!(
        err.to_string()
            .contains("attribute 2.5.4.6 of a distinguished name is not a valid PrintableString"),
        "{err}"
    );
    let octets = utf8_cert_with_country(|v| v[0] = 0x04);
    let err = ClientIdentity::from_creator(&creator("Org1MSP", &octets)).unwrap_err();
    assert!(matches!(err, IdentityError::NotX509 { .. }), "{err}");
    assert!(err.to_string().contains("ASN.1 tag 4"), "{err}");
    // Unpatched, the same certificate reads fine.
    let fine = utf8_cert_with_country(|_| ());
    let id = ClientIdentity::from_creator(&creator("Org1MSP", &fine)).unwrap();
    assert!(id.subject().ends_with(",C=JP"), "{}", id.subject());
}

#[test]
fn pem_label_and_leading_text_are_ignored_like_go() {
    // Go's pem.Decode skips text before the block and neither pkg/cid nor the
    // peer's MSP looks at the label: only the DER has to be a certificate.
    let pem = std::fs::read_to_string(format!("{FIXTURES}/plain.pem")).unwrap();
    let relabelled = format!(
        "Subject: user1\n{}",
        pem.replace("CERTIFICATE-----", "X509 CERTIFICATE-----")
    );
    let original = ClientIdentity::from_creator(&creator("Org1MSP", pem.as_bytes())).unwrap();
    let id = ClientIdentity::from_creator(&creator("Org1MSP", relabelled.as_bytes())).unwrap();
    assert_eq!(id.id(), original.id());
    assert_eq!(id.certificate_der(), original.certificate_der());
}

#[test]
fn minted_names_with_special_characters_match_go() {
    // The expected text was computed by tests/go/client_id.go from a certificate
    // minted exactly like this (the keys differ per run; the names do not).
    let ca = TestCa::new("Org3MSP");
    let tricky = ca
        .identity()
        .cn("#Smith, John+Co ")
        .ou("a;b")
        .organization(" <Org> \"x\\y\"")
        .build();
    let id = ClientIdentity::from_creator(&tricky.creator()).unwrap();
    let expected = r#"x509::CN=\#Smith\, John\+Co\ ,OU=a\;b,O=\ \<Org\> \"x\\y\",ST=North Carolina,C=US::CN=ca.org3.example.com,O=org3.example.com,L=Durham,ST=North Carolina,C=US"#;
    let go_id = "eDUwOTo6Q049XCNTbWl0aFwsIEpvaG5cK0NvXCAsT1U9YVw7YixPPVwgXDxPcmdcPiBcInhcXHlcIixTVD1Ob3J0aCBDYXJvbGluYSxDPVVTOjpDTj1jYS5vcmczLmV4YW1wbGUuY29tLE89b3JnMy5leGFtcGxlLmNvbSxMPUR1cmhhbSxTVD1Ob3J0aCBDYXJvbGluYSxDPVVT";
    assert_eq!(id.id_text(), expected);
    assert_eq!(id.id(), go_id);
    assert_eq!(tricky.id_text(), expected);
    assert!(id.has_ou("a;b"), "OU values are compared unescaped");
}

/// The DER of a fixture certificate.
fn fixture_der(file: &str) -> Vec<u8> {
    use base64::Engine;
    let pem = std::fs::read_to_string(format!("{FIXTURES}/{file}")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

proptest! {
    /// Random bytes rarely get past the PEM parser; corrupting real certificates
    /// (including the names and the attribute extension) reaches the DN and
    /// attribute decoding. Whatever the damage: an identity or an error, never a panic.
    #[test]
    fn corrupted_certificates_never_panic(
        file in prop_oneof![Just("attrs.pem"), Just("bmp.pem"), Just("t61latin.pem"), Just("ca2.pem")],
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        use base64::Engine;
        let mut der = fixture_der(file);
        for (at, byte) in edits {
            let i = at.index(der.len());
            der[i] = byte;
        }
        if truncate {
            der.truncate(cut.index(der.len()));
        }
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::engine::general_purpose::STANDARD.encode(&der)
        );
        if let Ok(id) = ClientIdentity::from_creator(&creator("Org1MSP", pem.as_bytes())) {
            // Whatever parsed is internally consistent.
            prop_assert!(id.id_text().starts_with("x509::"));
            prop_assert_eq!(id.certificate_der(), der.as_slice());
        }
    }
}
