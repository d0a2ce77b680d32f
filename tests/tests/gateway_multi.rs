//! Several chaincodes on one dev Gateway peer: a chaincode calls another through invoke_chaincode,
//! the callee's writes commit with the caller's transaction, and its failures come back to the client
//! as the Gateway reports chaincode errors. The peer emulates Fabric 3.1 here (write batching on).

use fabric_dev_gateway::client::{Call, ClientError, Gateway, Signer};
use fabric_dev_gateway::{ChaincodeLaunch, DevGateway, GatewayOptions};

#[tokio::test(flavor = "multi_thread")]
async fn a_chaincode_calls_another_through_the_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let gateway = DevGateway::start(
        GatewayOptions::default()
            .listen("127.0.0.1:0")
            .fabric("3.1")
            .chaincode(ChaincodeLaunch::new(
                "caller",
                env!("CARGO_BIN_EXE_gateway-caller"),
            ))
            .chaincode(ChaincodeLaunch::new(
                "store",
                env!("CARGO_BIN_EXE_rust-raw-crosscheck"),
            ))
            .crypto_dir(dir.path()),
    )
    .await
    .unwrap();
    let signer = Signer::from_msp_dir("Org1MSP", &dir.path().join("admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&gateway.address().to_string(), None, signer)
        .await
        .unwrap();
    let caller = client.contract("mychannel", "caller");
    let store = client.contract("mychannel", "store");

    caller
        .submit(Call::new("call").args(["store", "put", "color", "blue"]))
        .await
        .unwrap();
    assert_eq!(
        store.evaluate(Call::new("get").arg("color")).await.unwrap(),
        b"blue"
    );
    assert_eq!(
        caller
            .evaluate(Call::new("call").args(["store", "get", "color"]))
            .await
            .unwrap(),
        b"blue"
    );
    match caller
        .submit(Call::new("call").args(["store", "fail", "on purpose"]))
        .await
    {
        Err(ClientError::Rpc { details, .. }) => {
            assert_eq!(details.len(), 1);
            assert_eq!(details[0].message, "chaincode response 500, on purpose");
        }
        other => panic!("expected the callee's failure, got {other:?}"),
    }
}
