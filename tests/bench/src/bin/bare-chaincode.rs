//! The benchmark's floor: a chaincode with no framework at all.
//!
//! It dials the peer with tonic, registers (REGISTER → REGISTERED → READY) and
//! answers every INIT and TRANSACTION with COMPLETED, status 200, at once. It
//! makes no ledger calls, whatever the transaction asks for: it measures the
//! transport (gRPC, HTTP/2, protobuf, tokio) and nothing else, so "raw / floor"
//! is the price of the runtime on top of the cheapest possible chaincode.
//!
//! Started like any chaincode: `CORE_CHAINCODE_ID_NAME=name bare-chaincode
//! -peer.address=127.0.0.1:7052` (also `--peer.address ADDR` or
//! `CORE_PEER_ADDRESS`). No TLS.

use std::process::ExitCode;

use fabric_contract_bench::floor::{self, FloorError, message};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::Response;
use fabric_contract_proto::protos::chaincode_message::Type;

async fn serve(name: String, address: String) -> Result<(), FloorError> {
    let (outbound, mut inbound) = floor::register(name, &address).await?;
    let mut expected = Type::Registered;
    loop {
        let msg = inbound
            .message()
            .await
            .map_err(FloorError::Stream)?
            .ok_or(FloorError::Closed)?;
        match Type::from_wire(msg.r#type) {
            Some(Type::Keepalive) => {
                let _ = outbound.send(msg);
            }
            Some(Type::Transaction | Type::Init) if expected == Type::Transaction => {
                let done = Response::success(Vec::new()).encode_to_vec();
                let _ = outbound.send(message(Type::Completed, done, msg.txid, msg.channel_id));
            }
            Some(got) if got == expected => {
                expected = match got {
                    Type::Registered => Type::Ready,
                    // After READY, `expected` marks the serving state.
                    _ => Type::Transaction,
                };
            }
            // Once serving, replies to requests it never makes cannot arrive; ignore the rest.
            _ if expected == Type::Transaction => {}
            _ => {
                return Err(FloorError::Handshake {
                    expected: expected.as_str_name(),
                    got: msg.r#type,
                });
            }
        }
    }
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    floor::main("bare-chaincode", runtime, serve)
}
