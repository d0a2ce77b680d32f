//! The Gateway service without chaincode: who may open an event stream (console identities, MSP
//! folders given on the command line, strangers), the events request's checks, and TLS from given
//! certificate files.

use std::path::Path;

use fabric_contract::testing::identity::TestCa;
use fabric_dev_gateway::client::{ClientError, Code, Gateway, Signer};
use fabric_dev_gateway::{DevGateway, GatewayOptions, TlsMode};

/// Writes an MSP folder as Fabric CA enrolment does: signcerts/, keystore/, cacerts/.
fn write_msp(dir: &Path, ca: &TestCa, cn: &str) {
    let user = ca.identity().cn(cn).build();
    for (sub, name, text) in [
        ("signcerts", "cert.pem", user.cert_pem()),
        ("keystore", "key_sk", user.key_pem()),
        ("cacerts", "ca.pem", ca.cert_pem()),
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join(name), text).unwrap();
    }
}

async fn events_open(
    gateway: &DevGateway,
    tls: Option<&str>,
    signer: Signer,
) -> Result<(), ClientError> {
    let client = Gateway::connect(&gateway.address().to_string(), tls, signer).await?;
    client
        .chaincode_events("mychannel", "basic", None)
        .await
        .map(|_| ())
}

#[tokio::test(flavor = "multi_thread")]
async fn msp_folders_given_are_trusted_and_strangers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let wallet_ca = TestCa::new("Org3MSP");
    write_msp(&dir.path().join("wallet"), &wallet_ca, "carol");
    let gateway = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .msp_dir("Org3MSP", dir.path().join("wallet"))
            .crypto_dir(dir.path().join("crypto")),
    )
    .await
    .unwrap();

    // The application's own wallet.
    let carol = Signer::from_msp_dir("Org3MSP", &dir.path().join("wallet")).unwrap();
    events_open(&gateway, None, carol).await.unwrap();
    // The console identity written to the crypto folder.
    let admin =
        Signer::from_msp_dir("Org1MSP", &dir.path().join("crypto/admin@Org1MSP/msp")).unwrap();
    events_open(&gateway, None, admin).await.unwrap();
    // Same MSP id, another CA: refused as the peer's ACL check refuses it.
    let impostor = TestCa::new("Org3MSP").identity().cn("mallory").build();
    let impostor = Signer::new("Org3MSP", impostor.cert_pem(), impostor.key_pem()).unwrap();
    match events_open(&gateway, None, impostor).await {
        Err(ClientError::Rpc { code, message, .. }) => {
            assert_eq!(code, Code::PermissionDenied);
            assert!(message.contains("'Writers' sub-policies"), "{message}");
        }
        other => panic!("expected PermissionDenied, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_from_given_files_and_plain_clients_cannot_connect() {
    let dir = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert = dir.path().join("server.crt");
    let key = dir.path().join("server.key");
    std::fs::write(&cert, generated.cert.pem()).unwrap();
    std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
    let gateway = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .crypto_dir(dir.path().join("crypto"))
            .tls(TlsMode::Files { cert, key }),
    )
    .await
    .unwrap();
    assert_eq!(gateway.tls_ca_pem(), Some(generated.cert.pem().as_str()));
    let signer =
        || Signer::from_msp_dir("Org1MSP", &dir.path().join("crypto/admin@Org1MSP/msp")).unwrap();
    events_open(&gateway, gateway.tls_ca_pem(), signer())
        .await
        .unwrap();
    assert!(events_open(&gateway, None, signer()).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn events_request_checks_match_the_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let gateway = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .crypto_dir(dir.path()),
    )
    .await
    .unwrap();
    let signer = Signer::from_msp_dir("Org1MSP", &dir.path().join("admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&gateway.address().to_string(), None, signer)
        .await
        .unwrap();
    match client.commit_status("nochannel", "tx").await {
        Err(ClientError::Rpc { code, .. }) => assert_eq!(code, Code::NotFound),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match client.chaincode_events("nochannel", "basic", Some(0)).await {
        Err(ClientError::Rpc { code, .. }) => assert_eq!(code, Code::NotFound),
        Err(other) => panic!("expected NotFound, got {other}"),
        Ok(_) => panic!("expected NotFound, got a stream"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_options_are_reported() {
    let err = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .fabric("4.0"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown Fabric release `4.0` (expected 2.2, 2.5, 3.0 or 3.1)"
    );
    let err = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .identity("alice"),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("expected user@MSP"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let err = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .msp_dir("Org3MSP", dir.path()),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("has no CA certificate"), "{err}");
}
