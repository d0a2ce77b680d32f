//! Server (CCaaS) mode over real loopback gRPC: the test dials
//! `Chaincode.Connect` as a peer does.

mod shim_common;

use std::time::Duration;

use fabric_contract::shim::{ServerTls, ShimError, serve, serve_client};
use fabric_contract_proto::protos::chaincode_message::Type;
use shim_common::*;
use tonic::transport::{Certificate, ClientTlsConfig, Identity};

#[tokio::test]
async fn handshake_keepalive_and_transactions_over_connect() {
    let port = start_ccaas(None).await;
    let mut peer = dial(format!("http://127.0.0.1:{port}"), None, None)
        .await
        .unwrap();
    peer.send(bare(Type::Keepalive));
    assert_eq!(
        peer.recv().await.r#type,
        Type::Register as i32,
        "REGISTER comes first, even on a peer-opened stream"
    );
    assert_eq!(peer.recv().await, bare(Type::Keepalive));
    peer.send(bare(Type::Registered));
    peer.send(bare(Type::Keepalive));
    assert_eq!(peer.recv().await, bare(Type::Keepalive));
    peer.send(bare(Type::Ready));
    peer.send(bare(Type::Keepalive));
    assert_eq!(peer.recv().await, bare(Type::Keepalive));
    peer.send(transaction("ch", "t", &["get", "a"]));
    let request = peer.recv().await;
    assert_eq!(key_of(&request), "a");
    peer.send(reply(Type::Response, &request, b"100"));
    assert_eq!(response_of(&peer.recv().await).payload, b"100");
}

#[tokio::test]
async fn several_streams_at_once_and_new_ones_after_one_ends() {
    let port = start_ccaas(None).await;
    let uri = format!("http://127.0.0.1:{port}");
    let mut a = dial(uri.clone(), None, None).await.unwrap();
    let mut b = dial(uri.clone(), None, None).await.unwrap();
    assert_eq!(a.handshake(Vec::new()).await, "basic:abc");
    assert_eq!(b.handshake(Vec::new()).await, "basic:abc");
    a.send(transaction("ch", "same", &["echo", "from a"]));
    b.send(transaction("ch", "same", &["echo", "from b"]));
    assert_eq!(response_of(&a.recv().await).payload, b"from a");
    assert_eq!(response_of(&b.recv().await).payload, b"from b");
    a.close();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut c = dial(uri, None, None).await.unwrap();
    c.handshake(Vec::new()).await;
    c.send(transaction("ch", "t", &["echo", "from c"]));
    assert_eq!(response_of(&c.recv().await).payload, b"from c");
    b.send(transaction("ch", "t2", &["echo", "b still"]));
    assert_eq!(response_of(&b.recv().await).payload, b"b still");
}

#[tokio::test]
async fn a_handshake_error_ends_only_that_stream() {
    let port = start_ccaas(None).await;
    let uri = format!("http://127.0.0.1:{port}");
    let mut bad = dial(uri.clone(), None, None).await.unwrap();
    bad.recv().await;
    bad.send(bare(Type::Ready)); // READY before REGISTERED
    let error = bad.recv().await;
    assert_eq!(error.r#type, Type::Error as i32);
    assert!(
        String::from_utf8(error.payload)
            .unwrap()
            .contains("received READY in state created")
    );
    let mut good = dial(uri, None, None).await.unwrap();
    good.handshake(Vec::new()).await;
    good.send(transaction("ch", "t", &["echo", "ok"]));
    assert_eq!(response_of(&good.recv().await).payload, b"ok");
}

#[tokio::test]
async fn client_pings_are_tolerated() {
    let port = start_ccaas(None).await;
    let mut peer = dial(
        format!("http://127.0.0.1:{port}"),
        None,
        Some(Duration::from_millis(50)),
    )
    .await
    .unwrap();
    peer.handshake(Vec::new()).await;
    tokio::time::sleep(Duration::from_millis(600)).await; // ~12 pings while idle
    peer.send(transaction("ch", "t", &["echo", "after pings"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"after pings");
}

#[tokio::test]
async fn two_hundred_sequential_ledger_calls_complete() {
    let port = start_ccaas(None).await;
    let mut peer = dial(format!("http://127.0.0.1:{port}"), None, None)
        .await
        .unwrap();
    peer.handshake(Vec::new()).await;
    peer.send(transaction("ch", "l", &["loop", "200"]));
    loop {
        let msg = peer.recv().await;
        if msg.r#type == Type::Completed as i32 {
            assert_eq!(response_of(&msg).payload, b"200");
            break;
        }
        peer.send(reply(Type::Response, &msg, b"v"));
    }
}

#[tokio::test]
async fn large_messages_up_to_100_mib_pass() {
    let port = start_ccaas(None).await;
    let mut peer = dial(format!("http://127.0.0.1:{port}"), None, None)
        .await
        .unwrap();
    peer.handshake(Vec::new()).await;
    let big = vec![b'y'; 6 * 1024 * 1024];
    peer.send(tx_msg(Type::Transaction, "ch", "big", &[b"echo", &big]));
    assert_eq!(response_of(&peer.recv().await).payload, big);
}

fn server_tls(pki: &Pki, mutual: bool) -> ServerTls {
    ServerTls {
        cert_pem: pki.server_cert_pem.clone().into_bytes(),
        key_pem: pki.server_key_pem.clone().into_bytes(),
        client_ca_pem: mutual.then(|| pki.ca_pem.clone().into_bytes()),
    }
}

#[tokio::test]
async fn tls_with_alpn_h2_and_mutual_authentication() {
    let pki = pki();
    // Plain server TLS: tonic's client refuses a server that does not negotiate h2.
    let port = start_ccaas(Some(server_tls(&pki, false))).await;
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .domain_name("localhost");
    let mut peer = dial(format!("https://127.0.0.1:{port}"), Some(tls), None)
        .await
        .unwrap();
    peer.handshake(Vec::new()).await;
    peer.send(transaction("ch", "t", &["echo", "tls"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"tls");

    // Mutual TLS: a peer with a client certificate from the CA gets in…
    let port = start_ccaas(Some(server_tls(&pki, true))).await;
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .identity(Identity::from_pem(
            &pki.client_cert_pem,
            &pki.client_key_pem,
        ))
        .domain_name("localhost");
    let mut peer = dial(format!("https://127.0.0.1:{port}"), Some(tls), None)
        .await
        .unwrap();
    peer.handshake(Vec::new()).await;
    peer.send(transaction("ch", "t", &["echo", "mtls"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"mtls");
    // …one without a client certificate does not.
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .domain_name("localhost");
    assert!(
        dial(format!("https://127.0.0.1:{port}"), Some(tls), None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn serve_picks_the_mode_and_serve_functions_refuse_the_other_mode() {
    let Err(e) = serve_client(server_settings(None), TestCc).await;
    assert!(
        matches!(
            e,
            ShimError::WrongMode {
                function: "serve_client",
                ..
            }
        ),
        "{e}"
    );
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut settings = server_settings(None);
    if let fabric_contract::shim::Mode::Server(s) = &mut settings.mode {
        s.address = busy.local_addr().unwrap().to_string();
    }
    let Err(e) = serve(settings, TestCc).await;
    assert!(
        matches!(&e, ShimError::Serve { reason, .. } if reason.starts_with("cannot listen")),
        "{e}"
    );
}
