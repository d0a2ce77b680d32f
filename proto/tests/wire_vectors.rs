//! Wire test vectors: every message must encode to exactly these bytes and
//! decode back to the same value. The bytes were computed with Go's protobuf
//! runtime from the fabric-protos definitions (`peer/chaincode_shim.proto`,
//! `peer/proposal.proto`, `common/common.proto`, `msp/identities.proto`) and the
//! short ones checked by hand; fields serialize in field-number order.

use fabric_contract_proto::common::{ChannelHeader, Header, SignatureHeader};
use fabric_contract_proto::msp::SerializedIdentity;
use fabric_contract_proto::protos::{
    ChaincodeAdditionalParams, ChaincodeEvent, ChaincodeId, ChaincodeInput,
    ChaincodeInvocationSpec, ChaincodeMessage, ChaincodeProposalPayload, ChaincodeSpec, GetState,
    GetStateByRange, GetStateMultiple, GetStateMultipleResult, Proposal, PutState,
    PutStateMetadata, QueryMetadata, QueryResponse, QueryResponseMetadata, QueryResultBytes,
    QueryStateNext, Response, SignedProposal, StateMetadata, WriteBatchState, WriteRecord,
    chaincode_message::Type, write_record,
};
use fabric_contract_proto::queryresult::Kv;
use fabric_contract_proto::{Message, Timestamp};
use sha2::{Digest, Sha256};

/// Encodes `value`, compares with `hex`, and decodes the bytes back to `value`.
fn check<M: Message + Default + PartialEq + std::fmt::Debug>(value: &M, expected_hex: &str) {
    let bytes = value.encode_to_vec();
    assert_eq!(hex::encode(&bytes), expected_hex, "encoding of {value:?}");
    let decoded = M::decode(bytes.as_slice()).expect("decodes");
    assert_eq!(&decoded, value, "round trip of {expected_hex}");
}

fn msg(ty: Type, payload: Vec<u8>, txid: &str, channel: &str) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: ty as i32,
        payload,
        txid: txid.into(),
        channel_id: channel.into(),
        ..Default::default()
    }
}

fn cc_id(name: &str) -> ChaincodeId {
    ChaincodeId {
        name: name.into(),
        ..Default::default()
    }
}

fn params(batch: bool, multi: bool) -> ChaincodeAdditionalParams {
    ChaincodeAdditionalParams {
        use_write_batch: batch,
        max_size_write_batch: 1000,
        use_get_multiple_keys: multi,
        max_size_get_multiple_keys: 1000,
    }
}

fn input(args: &[&str], is_init: bool) -> ChaincodeInput {
    ChaincodeInput {
        args: args.iter().map(|a| a.as_bytes().to_vec()).collect(),
        is_init,
        ..Default::default()
    }
}

#[test]
fn handshake_vectors() {
    check(&cc_id("mycc:1.0"), "12086d7963633a312e30");
    let register = msg(Type::Register, cc_id("mycc:1.0").encode_to_vec(), "", "");
    check(&register, "08011a0a12086d7963633a312e30");
    // #3: the same message in a gRPC frame (flag byte, big-endian length).
    let body = register.encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&body);
    assert_eq!(hex::encode(frame), "000000000e08011a0a12086d7963633a312e30");
    check(&msg(Type::Registered, vec![], "", ""), "0802");
    check(&msg(Type::Ready, vec![], "", ""), "0804");
    check(&params(true, true), "080110e807180120e807");
    check(
        &msg(Type::Ready, params(true, true).encode_to_vec(), "", ""),
        "08041a0a080110e807180120e807",
    );
    check(
        &msg(Type::Ready, params(false, false).encode_to_vec(), "", ""),
        "08041a0610e80720e807",
    );
    check(&msg(Type::Keepalive, vec![], "", ""), "0812");
}

#[test]
fn state_vectors() {
    let get_a = GetState {
        key: "a".into(),
        collection: String::new(),
    };
    check(&get_a, "0a0161");
    check(
        &msg(Type::GetState, get_a.encode_to_vec(), "tx1", "mychannel"),
        "08081a030a016122037478313a096d796368616e6e656c",
    );
    check(
        &msg(Type::Response, b"100".to_vec(), "tx1", "mychannel"),
        "080d1a0331303022037478313a096d796368616e6e656c",
    );
    check(
        &msg(Type::Response, vec![], "tx1", "mychannel"),
        "080d22037478313a096d796368616e6e656c",
    );
    check(
        &GetState {
            key: "a".into(),
            collection: "pdc1".into(),
        },
        "0a0161120470646331",
    );
    let put = PutState {
        key: "a".into(),
        value: b"100".to_vec(),
        collection: String::new(),
    };
    check(&put, "0a01611203313030");
    check(
        &msg(Type::PutState, put.encode_to_vec(), "tx1", "mychannel"),
        "08091a080a0161120331303022037478313a096d796368616e6e656c",
    );
    let meta = PutStateMetadata {
        key: "a".into(),
        collection: String::new(),
        metadata: Some(StateMetadata {
            metakey: "VALIDATION_PARAMETER".into(),
            value: vec![1],
        }),
    };
    check(
        &meta,
        "0a016122190a1456414c49444154494f4e5f504152414d45544552120101",
    );
    let batch = WriteBatchState {
        rec: vec![
            WriteRecord {
                key: "a".into(),
                value: b"1".to_vec(),
                r#type: write_record::Type::PutState as i32,
                ..Default::default()
            },
            WriteRecord {
                key: "b".into(),
                r#type: write_record::Type::DelState as i32,
                ..Default::default()
            },
        ],
    };
    check(&batch, "0a080a016112013128090a050a0162280a");
    check(
        &GetStateMultiple {
            keys: vec!["a".into(), "b".into()],
            collection: String::new(),
        },
        "0a01610a0162",
    );
    check(
        &GetStateMultipleResult {
            values: vec![b"1".to_vec(), vec![]],
        },
        "0a01310a00",
    );
}

#[test]
fn transaction_vectors() {
    check(
        &input(&["invoke", "a", "b", "10"], false),
        "0a06696e766f6b650a01610a01620a023130",
    );
    check(&input(&["init"], true), "0a04696e69741801");
    check(
        &msg(
            Type::Transaction,
            input(&["get", "a"], false).encode_to_vec(),
            "tx1",
            "mychannel",
        ),
        "08051a080a036765740a016122037478313a096d796368616e6e656c",
    );
    check(
        &msg(
            Type::Init,
            input(&["init"], true).encode_to_vec(),
            "tx1",
            "mychannel",
        ),
        "08031a080a04696e6974180122037478313a096d796368616e6e656c",
    );
    let ok = Response {
        status: 200,
        payload: b"ok".to_vec(),
        ..Default::default()
    };
    check(&ok, "08c8011a026f6b");
    check(&Response::error("boom"), "08f4031204626f6f6d");
    let event = ChaincodeEvent {
        event_name: "evt".into(),
        payload: b"x".to_vec(),
        ..Default::default()
    };
    check(&event, "1a03657674220178");
    let mut completed = msg(Type::Completed, ok.encode_to_vec(), "tx1", "mychannel");
    completed.chaincode_event = Some(event);
    check(
        &completed,
        "08061a0708c8011a026f6b220374783132081a036576742201783a096d796368616e6e656c",
    );
    check(
        &msg(Type::Error, b"boom".to_vec(), "tx1", "mychannel"),
        "08071a04626f6f6d22037478313a096d796368616e6e656c",
    );
}

#[test]
fn query_vectors() {
    check(
        &GetStateByRange {
            start_key: "\x01".into(),
            ..Default::default()
        },
        "0a0101",
    );
    let partial = "\u{0}asset\u{0}blue\u{0}";
    assert_eq!(
        hex::encode(format!("{partial}1\u{0}")),
        "00617373657400626c7565003100"
    );
    check(
        &GetStateByRange {
            start_key: partial.into(),
            end_key: format!("{partial}\u{10FFFF}"),
            ..Default::default()
        },
        "0a0c00617373657400626c756500121000617373657400626c756500f48fbfbf",
    );
    let page = QueryMetadata {
        page_size: 10,
        bookmark: String::new(),
    };
    check(&page, "080a");
    check(
        &GetStateByRange {
            start_key: "a".into(),
            end_key: "z".into(),
            collection: String::new(),
            metadata: QueryMetadata {
                page_size: 10,
                bookmark: "k".into(),
            }
            .encode_to_vec(),
        },
        "0a016112017a2205080a12016b",
    );
    let kv = Kv {
        namespace: "mycc".into(),
        key: "a".into(),
        value: b"100".to_vec(),
    };
    check(&kv, "0a046d7963631201611a03313030");
    check(
        &QueryResponse {
            results: vec![QueryResultBytes {
                result_bytes: kv.encode_to_vec(),
            }],
            has_more: false,
            id: "it1".into(),
            metadata: vec![],
        },
        "0a100a0e0a046d7963631201611a033130301a03697431",
    );
    check(
        &QueryResponse {
            id: "it1".into(),
            ..Default::default()
        },
        "1a03697431",
    );
    check(
        &QueryResponseMetadata {
            fetched_records_count: 1,
            bookmark: "b".into(),
        },
        "0801120162",
    );
    check(&QueryStateNext { id: "it1".into() }, "0a03697431");
}

#[test]
fn invoke_chaincode_vectors() {
    let spec = ChaincodeSpec {
        chaincode_id: Some(cc_id("other/ch2")),
        input: Some(input(&["get", "a"], false)),
        ..Default::default()
    };
    check(&spec, "120b12096f746865722f6368321a080a036765740a0161");
    check(
        &msg(
            Type::InvokeChaincode,
            spec.encode_to_vec(),
            "tx1",
            "mychannel",
        ),
        "080b1a17120b12096f746865722f6368321a080a036765740a016122037478313a096d796368616e6e656c",
    );
    let callee = msg(
        Type::Completed,
        Response {
            status: 200,
            payload: b"100".to_vec(),
            ..Default::default()
        }
        .encode_to_vec(),
        "tx1",
        "ch2",
    );
    check(&callee, "08061a0808c8011a0331303022037478313a03636832");
    check(
        &msg(Type::Response, callee.encode_to_vec(), "tx1", "mychannel"),
        "080d1a1608061a0808c8011a0331303022037478313a0363683222037478313a096d796368616e6e656c",
    );
}

#[test]
fn header_vectors() {
    let ts = Timestamp {
        seconds: 1_700_000_000,
        nanos: 123,
    };
    check(&ts, "0880e2cfaa06107b");
    check(
        &ChannelHeader {
            r#type: 3,
            timestamp: Some(ts),
            channel_id: "mychannel".into(),
            tx_id: "tx1".into(),
            ..Default::default()
        },
        "08031a080880e2cfaa06107b22096d796368616e6e656c2a03747831",
    );
}

const CREATOR_HEX: &str =
    "0a074f7267314d5350121c2d2d2d2d2d424547494e2043455254494649434154452d2d2d2d2d0a";
const TXID: &str = "a43210668f3686adbbcd1946c6edefb58fbb56f6af54fb2f01a58a56900f3851";
const FULL_TRANSACTION: &str = "08051a080a036765740a01612240613433323130363638663336383661646262636431393436633665646566623538666262353666366166353466623266303161353861353639303066333835312ad0010acd010aa8010a6108031a060880e2cfaa0622096d796368616e6e656c2a40613433323130363638663336383661646262636431393436633665646566623538666262353666366166353466623266303161353861353639303066333835313a08120612046d79636312430a270a074f7267314d5350121c2d2d2d2d2d424547494e2043455254494649434154452d2d2d2d2d0a1218000102030405060708090a0b0c0d0e0f101112131415161712200a160a140801120612046d7963631a080a036765740a016112060a016b1201763a096d796368616e6e656c";

fn nonce() -> Vec<u8> {
    (0u8..24).collect()
}

#[test]
fn identity_txid_and_binding_vectors() {
    let creator = SerializedIdentity {
        mspid: "Org1MSP".into(),
        id_bytes: b"-----BEGIN CERTIFICATE-----\n".to_vec(),
    };
    check(&creator, CREATOR_HEX);
    let creator = creator.encode_to_vec();
    let txid = hex::encode(
        Sha256::new()
            .chain_update(nonce())
            .chain_update(&creator)
            .finalize(),
    );
    assert_eq!(txid, TXID);
    let binding = |epoch: u64| {
        hex::encode(
            Sha256::new()
                .chain_update(nonce())
                .chain_update(&creator)
                .chain_update(epoch.to_le_bytes())
                .finalize(),
        )
    };
    assert_eq!(
        binding(0),
        "d1c775ba0994adf1e64ae613b4914fe576f3baac10057513c49e9d1a2e29f224"
    );
    assert_eq!(
        binding(1),
        "0b9df26a46d0a323ae0c4971145d1e21f5142d6325359884f27208e03fc6e767"
    );
}

/// The 300-byte TRANSACTION vector, built from its parts and taken apart again.
#[test]
fn full_transaction_vector() {
    let creator = hex::decode(CREATOR_HEX).unwrap();
    let channel_header = ChannelHeader {
        r#type: 3,
        timestamp: Some(Timestamp {
            seconds: 1_700_000_000,
            nanos: 0,
        }),
        channel_id: "mychannel".into(),
        tx_id: TXID.into(),
        extension: fabric_contract_proto::protos::ChaincodeHeaderExtension {
            chaincode_id: Some(cc_id("mycc")),
        }
        .encode_to_vec(),
        ..Default::default()
    };
    let header = Header {
        channel_header: channel_header.encode_to_vec(),
        signature_header: SignatureHeader {
            creator,
            nonce: nonce(),
        }
        .encode_to_vec(),
    };
    let invocation = ChaincodeInvocationSpec {
        chaincode_spec: Some(ChaincodeSpec {
            r#type: fabric_contract_proto::protos::chaincode_spec::Type::Golang as i32,
            chaincode_id: Some(cc_id("mycc")),
            input: Some(input(&["get", "a"], false)),
            ..Default::default()
        }),
    };
    let payload = ChaincodeProposalPayload {
        input: invocation.encode_to_vec(),
        transient_map: [("k".to_string(), b"v".to_vec())].into_iter().collect(),
    };
    let proposal = Proposal {
        header: header.encode_to_vec(),
        payload: payload.encode_to_vec(),
        extension: vec![],
    };
    let mut message = msg(
        Type::Transaction,
        input(&["get", "a"], false).encode_to_vec(),
        TXID,
        "mychannel",
    );
    message.proposal = Some(SignedProposal {
        proposal_bytes: proposal.encode_to_vec(),
        signature: vec![],
    });
    assert_eq!(message.encoded_len(), 300);
    check(&message, FULL_TRANSACTION);
}
