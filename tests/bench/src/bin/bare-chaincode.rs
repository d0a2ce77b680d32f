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

use fabric_contract_bench::floor::{FloorError, message, peer_address};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::chaincode_support_client::ChaincodeSupportClient;
use fabric_contract_proto::protos::{ChaincodeId, Response};
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::transport::Endpoint;

async fn serve(name: String, address: String) -> Result<(), FloorError> {
    let channel = Endpoint::from_shared(format!("http://{address}"))
        .map(|e| e.tcp_nodelay(true))
        .map_err(|source| FloorError::Connect {
            address: address.clone(),
            source,
        })?
        .connect()
        .await
        .map_err(|source| FloorError::Connect {
            address: address.clone(),
            source,
        })?;
    let (outbound, rx) = mpsc::unbounded_channel();
    let register = ChaincodeId {
        name,
        ..Default::default()
    };
    // The peer answers the call only after reading REGISTER, so it is queued first.
    let _ = outbound.send(message(
        Type::Register,
        register.encode_to_vec(),
        String::new(),
        String::new(),
    ));
    let mut inbound = ChaincodeSupportClient::new(channel)
        .register(UnboundedReceiverStream::new(rx))
        .await
        .map_err(FloorError::Register)?
        .into_inner();
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = (|| {
        let name = std::env::var("CORE_CHAINCODE_ID_NAME").map_err(|_| FloorError::NoName)?;
        let address = peer_address(&args).ok_or(FloorError::NoAddress)?;
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(FloorError::Runtime)?
            .block_on(serve(name, address))
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bare-chaincode: {e}");
            ExitCode::FAILURE
        }
    }
}
