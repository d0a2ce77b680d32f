//! The generated Rust client's error decoding and proposal building, on a contract that publishes
//! error codes (`coded/client.rs`, generated from `clientgen/tests/fixtures/coded.metadata.json`
//! and drift-checked by `clientgen/tests/fixtures.rs`): Gateway errors as the Gateway reports a
//! chaincode's refusal become the code's variant with its values, or keep the raw answer.

// Generated, formatted by the generator; only its error type is exercised here.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "coded/client.rs"]
mod coded;

use coded::LedgerError;
use fabric_dev_gateway::client::{ClientError, Code, GatewayErrorDetail};

fn refused(detail: &str) -> ClientError {
    ClientError::Rpc {
        code: Code::Aborted,
        message: "failed to endorse transaction, see attached details for more info".into(),
        details: vec![GatewayErrorDetail {
            address: "peer0.org1.example.com:7051".into(),
            msp_id: "Org1MSP".into(),
            message: detail.into(),
        }],
    }
}

#[test]
fn published_codes_decode_into_their_variants_with_values() {
    let err = LedgerError::from(refused(
        "chaincode response 409, SAME_OWNER: Tom already owns asset1",
    ));
    assert_eq!(err.to_string(), "SAME_OWNER: Tom already owns asset1");
    match err {
        LedgerError::SameOwner(owner, item) => {
            assert_eq!((owner.as_str(), item.as_str()), ("Tom", "asset1"))
        }
        other => panic!("expected SameOwner, got {other:?}"),
    }
    let err = LedgerError::from(refused(
        "chaincode response 400, LOW_BALANCE: balance 5 is below 7 {units}",
    ));
    assert_eq!(err.to_string(), "LOW_BALANCE: balance 5 is below 7 {units}");
    match err {
        LedgerError::LowBalance { have, want } => {
            assert_eq!((have.as_str(), want.as_str()), ("5", "7"))
        }
        other => panic!("expected LowBalance, got {other:?}"),
    }
    assert!(matches!(
        LedgerError::from(refused("chaincode response 404, GONE: gone")),
        LedgerError::Gone
    ));
}

#[test]
fn other_answers_keep_the_raw_message_and_transport_errors_stay_gateway_errors() {
    for (detail, status, code, message) in [
        (
            "chaincode response 400, LOW_BALANCE: out of money",
            400,
            Some("LOW_BALANCE"),
            "out of money",
        ),
        (
            "chaincode response 404, GONE: gone for good",
            404,
            Some("GONE"),
            "gone for good",
        ),
        (
            "chaincode response 500, NOT_LISTED: x",
            500,
            Some("NOT_LISTED"),
            "x",
        ),
        (
            "chaincode response 500, the asset a1 does not exist",
            500,
            None,
            "the asset a1 does not exist",
        ),
    ] {
        match LedgerError::from(refused(detail)) {
            LedgerError::Chaincode(f) => assert_eq!(
                (f.status, f.code.as_deref(), f.message.as_str()),
                (status, code, message),
                "{detail}"
            ),
            other => panic!("{detail}: expected the raw answer, got {other:?}"),
        }
    }
    let err = LedgerError::from(refused(
        "access denied: channel [mychannel] creator org unknown",
    ));
    assert!(
        matches!(
            err,
            LedgerError::Gateway(ClientError::Rpc {
                code: Code::Aborted,
                ..
            })
        ),
        "{err:?}"
    );
    let err = LedgerError::from(ClientError::Protocol("no prepared transaction".into()));
    assert!(std::error::Error::source(&err).is_some());
}
