//! TLS for both launch modes (rustls through tonic).
//!
//! rustls only speaks TLS 1.2 and 1.3, so the 1.2 minimum Fabric asks for
//! holds by construction. tonic offers ALPN `h2` on both sides, which peers
//! built with gRPC-Go ≥ 1.67 require of a CCaaS server.

use base64::Engine as _;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer};
use tonic::transport::{Certificate, ClientTlsConfig, Identity};

use super::settings::{ClientTls, ServerTls};

/// TLS material that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    /// A certificate or CA PEM cannot be used by the CCaaS server.
    #[error("the {what} is not usable: {reason}")]
    Certificate {
        /// Which file (e.g. "server certificate", "client CA").
        what: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// The private key PEM holds no key rustls can load.
    #[error(
        "the {what} private key is not usable: {reason}; expected a PEM PKCS#8, SEC1 (EC) or PKCS#1 (RSA) key"
    )]
    Key {
        /// Which key (e.g. "client", "server").
        what: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// Rewrites a private-key PEM so rustls reads it by the right label.
///
/// Fabric peers hand chaincode a PKCS#8 key under an `EC PRIVATE KEY` label
/// (which normally means SEC1), and rustls trusts labels. So the DER is tried
/// as PKCS#8 first whatever the label says, then as SEC1; other key kinds
/// (e.g. `RSA PRIVATE KEY`) pass through unchanged.
pub fn normalize_private_key_pem(pem: &[u8], what: &'static str) -> Result<Vec<u8>, TlsError> {
    let bad = |reason: String| TlsError::Key { what, reason };
    let text = std::str::from_utf8(pem).map_err(|_| bad("the PEM file is not text".into()))?;
    let (label, der) = first_pem_block(text).ok_or_else(|| bad("no PEM block found".into()))?;
    if !label.ends_with("PRIVATE KEY") {
        return Err(bad(format!("the PEM block is labelled {label:?}")));
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(der)
        .map_err(|e| bad(format!("the PEM body is not base64: {e}")))?;
    let loads =
        |key: PrivateKeyDer<'_>| rustls::crypto::ring::sign::any_supported_type(&key).is_ok();
    let label = if loads(PrivatePkcs8KeyDer::from(der.as_slice()).into()) {
        "PRIVATE KEY"
    } else if loads(PrivateSec1KeyDer::from(der.as_slice()).into()) {
        "EC PRIVATE KEY"
    } else if label == "RSA PRIVATE KEY" {
        return Ok(pem.to_vec());
    } else {
        return Err(bad(format!(
            "the {label:?} block holds neither a PKCS#8 nor a SEC1 key"
        )));
    };
    Ok(encode_pem(label, &der).into_bytes())
}

/// The label and the base64 body (whitespace removed) of the first PEM block.
fn first_pem_block(text: &str) -> Option<(&str, String)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let body_and_more = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_and_more.find(&end_marker)?;
    let body = body_and_more[..body_end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    Some((label, body))
}

fn encode_pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The client-mode TLS configuration: trust the peer's chaincode CA, present
/// the peer-issued client certificate, verify the server name `domain`.
pub fn client_config(tls: &ClientTls, domain: &str) -> Result<ClientTlsConfig, TlsError> {
    let key = normalize_private_key_pem(&tls.client_key_pem, "client")?;
    Ok(ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&tls.root_cert_pem))
        .identity(Identity::from_pem(&tls.client_cert_pem, key))
        .domain_name(domain)
        // The peer's listener advertises h2; older gRPC-Go stacks may not
        // negotiate it, and the stream is HTTP/2 either way.
        .assume_http2(true))
}

/// The CCaaS server's rustls configuration (the server runs TLS itself so
/// that the handshake has a deadline): ALPN `h2`, and with a client CA,
/// required and verified client certificates.
pub(crate) fn rustls_server_config(tls: &ServerTls) -> Result<rustls::ServerConfig, TlsError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let certs =
        |pem: &[u8], what: &'static str| -> Result<Vec<CertificateDer<'static>>, TlsError> {
            let bad = |reason: String| TlsError::Certificate { what, reason };
            let certs = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| bad(format!("the PEM does not parse: {e}")))?;
            if certs.is_empty() {
                return Err(bad("no CERTIFICATE block found".into()));
            }
            Ok(certs)
        };
    let chain = certs(&tls.cert_pem, "server certificate")?;
    let key_pem = normalize_private_key_pem(&tls.key_pem, "server")?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| TlsError::Key {
        what: "server",
        reason: e.to_string(),
    })?;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Certificate {
            what: "TLS configuration",
            reason: e.to_string(),
        })?;
    let builder = match &tls.client_ca_pem {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in certs(ca, "client CA")? {
                roots.add(cert).map_err(|e| TlsError::Certificate {
                    what: "client CA",
                    reason: e.to_string(),
                })?;
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                std::sync::Arc::new(roots),
                provider,
            )
            .build()
            .map_err(|e| TlsError::Certificate {
                what: "client CA",
                reason: e.to_string(),
            })?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Certificate {
            what: "server certificate",
            reason: format!("it does not go with the server key: {e}"),
        })?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p256() -> rcgen::KeyPair {
        rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap()
    }

    #[test]
    fn pkcs8_under_ec_label_is_relabelled() {
        let key = p256();
        let lying = encode_pem("EC PRIVATE KEY", &key.serialize_der());
        let fixed = normalize_private_key_pem(lying.as_bytes(), "client").unwrap();
        let fixed = String::from_utf8(fixed).unwrap();
        assert!(
            fixed.starts_with("-----BEGIN PRIVATE KEY-----\n"),
            "{fixed}"
        );
        let (_, body) = first_pem_block(&fixed).unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap(),
            key.serialize_der()
        );
        // What tonic/rustls will do with it: read by label and load.
        let parsed = rustls::pki_types::pem::PemObject::from_pem_slice(fixed.as_bytes());
        let parsed: PrivateKeyDer<'_> = parsed.unwrap();
        assert!(rustls::crypto::ring::sign::any_supported_type(&parsed).is_ok());
    }

    #[test]
    fn honest_pkcs8_stays_pkcs8() {
        let key = p256();
        let fixed = normalize_private_key_pem(key.serialize_pem().as_bytes(), "server").unwrap();
        assert_eq!(String::from_utf8(fixed).unwrap(), key.serialize_pem());
    }

    /// One DER TLV at the start of `der`: (content, rest).
    fn tlv(der: &[u8]) -> (&[u8], &[u8]) {
        let (len, header) = match der[1] {
            n if n < 0x80 => (n as usize, 2),
            0x81 => (der[2] as usize, 3),
            0x82 => (((der[2] as usize) << 8) | der[3] as usize, 4),
            other => panic!("unexpected DER length byte {other:#x}"),
        };
        (&der[header..header + len], &der[header + len..])
    }

    /// The SEC1 `ECPrivateKey` inside a PKCS#8 `PrivateKeyInfo`.
    fn sec1_of(pkcs8: &[u8]) -> Vec<u8> {
        let (info, _) = tlv(pkcs8);
        let (_version, rest) = tlv(info);
        let (_algorithm, rest) = tlv(rest);
        let (sec1, _) = tlv(rest);
        sec1.to_vec()
    }

    #[test]
    fn sec1_under_ec_label_is_kept() {
        let sec1 = sec1_of(&p256().serialize_der());
        assert_eq!(sec1[0], 0x30, "ECPrivateKey is a SEQUENCE");
        let pem = encode_pem("EC PRIVATE KEY", &sec1);
        let fixed = String::from_utf8(normalize_private_key_pem(pem.as_bytes(), "client").unwrap())
            .unwrap();
        assert_eq!(fixed, pem);
        let parsed: PrivateKeyDer<'_> =
            rustls::pki_types::pem::PemObject::from_pem_slice(fixed.as_bytes()).unwrap();
        assert!(matches!(parsed, PrivateKeyDer::Sec1(_)));
        assert!(rustls::crypto::ring::sign::any_supported_type(&parsed).is_ok());
    }

    #[test]
    fn garbage_keys_are_errors_naming_the_key() {
        let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let err = normalize_private_key_pem(cert.as_bytes(), "server").unwrap_err();
        assert!(err.to_string().contains("server private key"), "{err}");
        assert!(err.to_string().contains("CERTIFICATE"), "{err}");
        let junk = encode_pem("EC PRIVATE KEY", b"\x30\x03\x02\x01\x00");
        let err = normalize_private_key_pem(junk.as_bytes(), "client").unwrap_err();
        assert!(
            err.to_string().contains("neither a PKCS#8 nor a SEC1"),
            "{err}"
        );
        let err =
            normalize_private_key_pem(b"-----BEGIN PRIVATE KEY-----\n", "client").unwrap_err();
        assert!(err.to_string().contains("no PEM block"), "{err}");
    }
}
