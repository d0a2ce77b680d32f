//! The scenarios' driver on the emulated peer (`fabric_contract::testing::peer`):
//! the same peer the dev console and the testing kit use, here checked against
//! chaincode no one on this project wrote.

use std::net::SocketAddr;
use std::time::Duration;

use fabric_contract::testing::identity::{TestCa, TestIdentity};
use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions, TxOutcome,
};
use fabric_contract_proto::protos::chaincode_message::Type;

use super::scenario::{ChaincodeUnderTest, TxResult};

/// The channel every scenario runs on.
pub const CHANNEL: &str = "mychannel";

/// A chaincode registered with an emulated peer, called as `User1@org1.example.com`.
pub struct EmulatedConnection {
    peer: EmulatedPeer,
    chaincode: String,
    identity: TestIdentity,
}

/// An emulated peer serving loopback gRPC for `name` and its address. With
/// `init_required` (Fabric's `--init-required`) the first call must be INIT.
pub async fn start_peer(name: &str, init_required: bool) -> (EmulatedPeer, SocketAddr) {
    let definition = ChaincodeDefinition::new(name).init_required(init_required);
    let peer = EmulatedPeer::new(PeerOptions::default().chaincode(definition));
    let address = peer
        .serve_tcp("127.0.0.1:0")
        .await
        .expect("the emulated peer listens");
    (peer, address)
}

impl EmulatedConnection {
    /// Waits until `name` has registered with `peer`.
    pub async fn accept(peer: EmulatedPeer, name: &str) -> Self {
        peer.wait_registered(name, Duration::from_secs(60))
            .await
            .expect("the chaincode registers");
        let identity = TestCa::new("Org1MSP")
            .identity()
            .cn("User1@org1.example.com")
            .organization("org1.example.com")
            .no_ou()
            .build();
        Self {
            peer,
            chaincode: name.into(),
            identity,
        }
    }

    /// The calling identity.
    pub fn identity(&self) -> &TestIdentity {
        &self.identity
    }

    /// The peer the chaincode is registered with.
    pub fn peer(&self) -> &EmulatedPeer {
        &self.peer
    }

    /// Runs an invocation of this chaincode built by `build` (transient data,
    /// nonce, timestamp …) as the connection's identity.
    pub async fn call(&mut self, build: impl FnOnce(Invocation) -> Invocation) -> TxResult {
        let invocation = build(Invocation::submit(&self.chaincode, Vec::<Vec<u8>>::new()));
        self.run(invocation).await
    }

    async fn run(&mut self, invocation: Invocation) -> TxResult {
        let outcome = self
            .peer
            .invoke(invocation.creator(self.identity.creator()))
            .await
            .expect("the peer runs it");
        to_result(outcome)
    }
}

fn to_result(outcome: TxOutcome) -> TxResult {
    let completed = outcome.message_type == Type::Completed;
    TxResult {
        tx_id: outcome.tx_id,
        error: (!completed).then(|| outcome.response.message.clone()),
        event: outcome.event.filter(|_| outcome.response.status < 400),
        response: completed.then_some(outcome.response),
        requests: outcome.requests,
    }
}

impl ChaincodeUnderTest for EmulatedConnection {
    async fn init(&mut self, args: &[&str]) -> TxResult {
        let invocation = Invocation::submit(&self.chaincode, args).init();
        self.run(invocation).await
    }

    async fn invoke(&mut self, args: &[&str]) -> TxResult {
        let invocation = Invocation::submit(&self.chaincode, args);
        self.run(invocation).await
    }

    fn committed(&self, key: &str) -> Option<Vec<u8>> {
        self.peer.ledger().get_state(CHANNEL, &self.chaincode, key)
    }
}
