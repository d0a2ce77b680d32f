//! The shim against the emulated peer, end to end: every stub call's round
//! trip, 200 concurrent transactions, Fabric 3.1 batching on and off, dropped
//! iterators closed, a panicking handler, and the handshake in both launch
//! modes with and without TLS over real loopback gRPC.

mod shim_common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use fabric_contract::prelude::*;
use fabric_contract::shim::{
    ClientTls, Registration, ServerTls, serve_client, serve_server_on, serve_stream,
};
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, FabricVersion, Invocation, PeerOptions, RuntimeParams,
    TxOutcome,
};
use serde_json::{Value, json};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

const CC: &str = "everything";
const COLLECTION: &str = "pdc";

/// A raw chaincode with one function per stub call.
struct Everything;

fn text(v: Option<Vec<u8>>) -> Value {
    v.map_or(Value::Null, |v| {
        Value::String(String::from_utf8_lossy(&v).into_owned())
    })
}

async fn dispatch(stub: &Stub) -> Result<Vec<u8>, String> {
    let (function, params) = stub.function_and_params();
    let p: Vec<&str> = params.iter().map(String::as_str).collect();
    let e = |e: fabric_contract::StubError| e.to_string();
    let json = |v: Value| Ok(v.to_string().into_bytes());
    match (function.as_str(), p.as_slice()) {
        ("put", [k, v]) => stub
            .put_state(k, v.as_bytes())
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("get", [k]) => Ok(stub.get_state(k).await.map_err(e)?.unwrap_or_default()),
        ("del", [k]) => stub.del_state(k).await.map_err(e).map(|()| vec![]),
        ("multi", keys) => json(
            stub.get_state_multiple(keys)
                .await
                .map_err(e)?
                .into_iter()
                .map(text)
                .collect(),
        ),
        ("pmulti", keys) => json(
            stub.get_private_data_multiple(COLLECTION, keys)
                .await
                .map_err(e)?
                .into_iter()
                .map(text)
                .collect(),
        ),
        ("pput", [k, v]) => stub
            .put_private_data(COLLECTION, k, v.as_bytes())
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("pget", [k]) => Ok(stub
            .get_private_data(COLLECTION, k)
            .await
            .map_err(e)?
            .unwrap_or_default()),
        ("phash", [k]) => Ok(hex::encode(
            stub.get_private_data_hash(COLLECTION, k)
                .await
                .map_err(e)?
                .unwrap_or_default(),
        )
        .into_bytes()),
        ("pdel", [k]) => stub
            .del_private_data(COLLECTION, k)
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("ppurge", [k]) => stub
            .purge_private_data(COLLECTION, k)
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("setep", [k, policy]) => stub
            .set_state_validation_parameter(k, policy.as_bytes())
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("getep", [k]) => Ok(stub
            .get_state_validation_parameter(k)
            .await
            .map_err(e)?
            .unwrap_or_default()),
        ("psetep", [k, policy]) => stub
            .set_private_data_validation_parameter(COLLECTION, k, policy.as_bytes())
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("pgetep", [k]) => Ok(stub
            .get_private_data_validation_parameter(COLLECTION, k)
            .await
            .map_err(e)?
            .unwrap_or_default()),
        ("range", [s, end]) => {
            let all = stub
                .get_state_by_range(s, end)
                .await
                .map_err(e)?
                .collect_all()
                .await
                .map_err(e)?;
            json(all.into_iter().map(|kv| Value::String(kv.key)).collect())
        }
        ("page", [s, end, size, bookmark]) => {
            let size = size.parse().map_err(|_| "size")?;
            let (it, meta) = stub
                .get_state_by_range_with_pagination(s, end, size, bookmark)
                .await
                .map_err(e)?;
            let keys: Vec<String> = it
                .collect_all()
                .await
                .map_err(e)?
                .into_iter()
                .map(|kv| kv.key)
                .collect();
            json(
                json!({"keys": keys, "bookmark": meta.bookmark, "fetched": meta.fetched_records_count}),
            )
        }
        ("ckey", [ty, attr, v]) => {
            let key = fabric_contract::ledger::create_composite_key(ty, &[attr]).map_err(e)?;
            stub.put_state(&key, v.as_bytes())
                .await
                .map_err(e)
                .map(|()| vec![])
        }
        ("partial", [ty]) => {
            let all = stub
                .get_state_by_partial_composite_key(ty, &[])
                .await
                .map_err(e)?
                .collect_all()
                .await
                .map_err(e)?;
            let parts: Vec<Value> = all
                .iter()
                .map(|kv| {
                    json!(
                        fabric_contract::ledger::split_composite_key(&kv.key)
                            .unwrap()
                            .1
                    )
                })
                .collect();
            json(Value::Array(parts))
        }
        ("rich", [query]) => {
            let all = stub
                .get_query_result(query)
                .await
                .map_err(e)?
                .collect_all()
                .await
                .map_err(e)?;
            json(all.into_iter().map(|kv| Value::String(kv.key)).collect())
        }
        ("history", [k]) => {
            let all = stub
                .get_history_for_key(k)
                .await
                .map_err(e)?
                .collect_all()
                .await
                .map_err(e)?;
            json(
                all.into_iter()
                    .map(|m| {
                        if m.is_delete {
                            Value::Null
                        } else {
                            text(Some(m.value))
                        }
                    })
                    .collect(),
            )
        }
        ("call", [cc, args @ ..]) => {
            let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            let r = stub.invoke_chaincode(cc, &args, None).await.map_err(e)?;
            json(json!({"status": r.status, "payload": String::from_utf8_lossy(&r.payload)}))
        }
        ("event", [name, payload]) => stub
            .set_event_raw(name, payload.as_bytes().to_vec())
            .map_err(e)
            .map(|()| vec![]),
        ("dropiter", [s, end]) => {
            let mut it = stub.get_state_by_range(s, end).await.map_err(e)?;
            let first = it.next().await.ok_or("no records")?.map_err(e)?;
            Ok(first.key.into_bytes()) // `it` is dropped unclosed here
        }
        ("facts", []) => json(json!({
            "tx": stub.tx_id(),
            "channel": stub.channel_id(),
            "transient": stub.transient().iter().map(|(k, v)| (k.clone(), text(Some(v.clone())))).collect::<BTreeMap<_, _>>(),
            "binding": stub.binding().map(|b| b.len()),
            "seconds": stub.timestamp().map(|t| t.seconds),
            "creator": !stub.creator().is_empty(),
            "proposal": stub.signed_proposal().is_some(),
        })),
        ("meta", [collection, k, metakey, v]) => stub
            .put_state_metadata(collection_arg(collection), k, metakey, v.as_bytes())
            .await
            .map_err(e)
            .map(|()| vec![]),
        ("getmeta", [collection, k]) => json(json!(
            stub.get_state_metadata(collection_arg(collection), k)
                .await
                .map_err(e)?
                .into_iter()
                .map(|(key, v)| (key, text(Some(v))))
                .collect::<BTreeMap<_, _>>()
        )),
        ("cpage", [ty, size, bookmark]) => {
            let size = size.parse().map_err(|_| "size")?;
            let (it, meta) = stub
                .get_state_by_partial_composite_key_with_pagination(ty, &[], size, bookmark)
                .await
                .map_err(e)?;
            page_json(it, meta).await.map_err(e)
        }
        ("richpage", [query, size, bookmark]) => {
            let size = size.parse().map_err(|_| "size")?;
            let (it, meta) = stub
                .get_query_result_with_pagination(query, size, bookmark)
                .await
                .map_err(e)?;
            page_json(it, meta).await.map_err(e)
        }
        ("putpage", [k, s, end]) => {
            stub.put_state(k, b"w").await.map_err(e)?;
            let (it, meta) = stub
                .get_state_by_range_with_pagination(s, end, 10, "")
                .await
                .map_err(e)?;
            page_json(it, meta).await.map_err(e)
        }
        ("pckey", [ty, attr, v]) => {
            let key = fabric_contract::ledger::create_composite_key(ty, &[attr]).map_err(e)?;
            stub.put_private_data(COLLECTION, &key, v.as_bytes())
                .await
                .map_err(e)
                .map(|()| vec![])
        }
        ("prange", [s, end]) => keys_json(
            stub.get_private_data_by_range(COLLECTION, s, end)
                .await
                .map_err(e)?,
        )
        .await
        .map_err(e),
        ("ppartial", [ty]) => keys_json(
            stub.get_private_data_by_partial_composite_key(COLLECTION, ty, &[])
                .await
                .map_err(e)?,
        )
        .await
        .map_err(e),
        ("prich", [query]) => keys_json(
            stub.get_private_data_query_result(COLLECTION, query)
                .await
                .map_err(e)?,
        )
        .await
        .map_err(e),
        ("callch", [cc, channel, args @ ..]) => {
            let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            let r = stub
                .invoke_chaincode(cc, &args, Some(channel))
                .await
                .map_err(e)?;
            json(json!({"status": r.status, "payload": String::from_utf8_lossy(&r.payload)}))
        }
        ("mix", [k, v]) => {
            // Several requests per transaction, so concurrent transactions interleave on the stream.
            let seed = stub.get_state("seed").await.map_err(e)?;
            stub.put_state(k, v.as_bytes()).await.map_err(e)?;
            let own = stub.get_state(k).await.map_err(e)?;
            let range = stub
                .get_state_by_range("seed", "seee")
                .await
                .map_err(e)?
                .collect_all()
                .await
                .map_err(e)?;
            json(json!({
                "tx": stub.tx_id(), "seed": text(seed), "own": text(own), "range": range.len()
            }))
        }
        ("sleep", [ms, k]) => {
            let ms = ms.parse().map_err(|_| "ms")?;
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(stub.get_state(k).await.map_err(e)?.unwrap_or_default())
        }
        ("fn", rest) => json(json!({
            "function": stub.function_and_params().0,
            "params": rest,
            "args": stub.args().len(),
            "init": stub.is_init(),
            "decorations": stub.decorations().len(),
            "binding": stub.binding().map(hex::encode),
            "timestamp": stub.timestamp().map(|t| (t.seconds, t.nanos)),
        })),
        ("panic", []) => panic!("the handler panicked on purpose"),
        (other, _) => Err(format!("unknown function {other} or wrong arguments")),
    }
}

/// `-` selects the world state, anything else names a collection.
fn collection_arg(arg: &str) -> Option<&str> {
    (arg != "-").then_some(arg)
}

async fn keys_json(
    it: fabric_contract::ledger::QueryIterator<fabric_contract_proto::queryresult::Kv>,
) -> Result<Vec<u8>, fabric_contract::StubError> {
    let keys: Vec<String> = it
        .collect_all()
        .await?
        .into_iter()
        .map(|kv| kv.key)
        .collect();
    Ok(json!(keys).to_string().into_bytes())
}

async fn page_json(
    it: fabric_contract::ledger::QueryIterator<fabric_contract_proto::queryresult::Kv>,
    meta: fabric_contract_proto::protos::QueryResponseMetadata,
) -> Result<Vec<u8>, fabric_contract::StubError> {
    let keys: Vec<String> = it
        .collect_all()
        .await?
        .into_iter()
        .map(|kv| kv.key)
        .collect();
    Ok(
        json!({"keys": keys, "bookmark": meta.bookmark, "fetched": meta.fetched_records_count})
            .to_string()
            .into_bytes(),
    )
}

impl Chaincode for Everything {
    async fn init(&self, _stub: &Stub) -> Response {
        Response::success(b"init".to_vec())
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        match dispatch(stub).await {
            Ok(payload) => Response::success(payload),
            Err(message) => Response::error(message),
        }
    }
}

fn options() -> PeerOptions {
    PeerOptions::default()
        .chaincode(ChaincodeDefinition::new(CC).collection(COLLECTION))
        .chaincode(ChaincodeDefinition::new("other"))
}

/// The chaincode in process on the peer's in-memory stream, under `name`.
async fn attach(peer: &EmulatedPeer, name: &str) {
    let attached = peer.attach();
    let inbound =
        UnboundedReceiverStream::new(attached.from_peer).map(Ok::<_, std::convert::Infallible>);
    let registration = Registration::new(name);
    tokio::spawn(async move {
        let _ = serve_stream(
            Arc::new(Everything),
            &registration,
            inbound,
            attached.to_peer,
        )
        .await;
    });
    peer.wait_registered(name, Duration::from_secs(10))
        .await
        .unwrap();
}

async fn submit(peer: &EmulatedPeer, args: &[&str]) -> TxOutcome {
    peer.invoke(Invocation::submit(CC, args)).await.unwrap()
}

fn ok(outcome: &TxOutcome) -> String {
    assert_eq!(outcome.response.status, 200, "{}", outcome.response.message);
    String::from_utf8(outcome.response.payload.clone()).unwrap()
}

fn ok_json(outcome: &TxOutcome) -> Value {
    serde_json::from_str(&ok(outcome)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_stub_call_round_trips_through_the_emulated_peer() {
    let peer = EmulatedPeer::new(options());
    attach(&peer, CC).await;
    attach(&peer, "other").await;
    let ledger = peer.ledger().clone();

    ok(&submit(&peer, &["put", "a", "1"]).await);
    assert_eq!(ok(&submit(&peer, &["get", "a"]).await), "1");
    assert_eq!(
        ok_json(&submit(&peer, &["multi", "a", "zz"]).await),
        json!(["1", null])
    );
    ok(&submit(&peer, &["del", "a"]).await);
    assert_eq!(ledger.get_state("mychannel", CC, "a"), None);
    assert_eq!(
        ok_json(&submit(&peer, &["history", "a"]).await),
        json!([null, "1"]),
        "newest first"
    );

    ok(&submit(&peer, &["pput", "secret", "42"]).await);
    assert_eq!(ok(&submit(&peer, &["pget", "secret"]).await), "42");
    assert_eq!(
        ok(&submit(&peer, &["phash", "secret"]).await),
        "73475cb40a568e8da8a045ced110137e159f890ac4da883b6b17dc651b3a8049",
        "SHA-256 of the value"
    );
    ok(&submit(&peer, &["psetep", "secret", "pol"]).await);
    assert_eq!(ok(&submit(&peer, &["pgetep", "secret"]).await), "pol");
    ok(&submit(&peer, &["pdel", "secret"]).await);
    assert_eq!(ok(&submit(&peer, &["pget", "secret"]).await), "");
    ok(&submit(&peer, &["pput", "gone", "x"]).await);
    ok(&submit(&peer, &["ppurge", "gone"]).await);
    assert_eq!(
        ledger.get_private_data("mychannel", CC, COLLECTION, "gone"),
        None
    );

    ok(&submit(&peer, &["put", "k", "v"]).await);
    ok(&submit(&peer, &["setep", "k", "policy-bytes"]).await);
    assert_eq!(ok(&submit(&peer, &["getep", "k"]).await), "policy-bytes");

    for i in 0..5 {
        ok(&submit(
            &peer,
            &["put", &format!("r{i}"), &format!(r#"{{"n":{i}}}"#)],
        )
        .await);
    }
    assert_eq!(
        ok_json(&submit(&peer, &["range", "r1", "r4"]).await),
        json!(["r1", "r2", "r3"])
    );
    let first = ok_json(&submit(&peer, &["page", "r", "s", "2", ""]).await);
    assert_eq!(
        first,
        json!({"keys": ["r0", "r1"], "bookmark": "r2", "fetched": 2})
    );
    let second = ok_json(&submit(&peer, &["page", "r", "s", "2", "r2"]).await);
    assert_eq!(second["keys"], json!(["r2", "r3"]));
    assert_eq!(
        ok_json(&submit(&peer, &["rich", r#"{"selector":{"n":{"$gte":3}}}"#]).await),
        json!(["r3", "r4"])
    );

    ok(&submit(&peer, &["ckey", "color", "blue", "1"]).await);
    ok(&submit(&peer, &["ckey", "color", "red", "2"]).await);
    assert_eq!(
        ok_json(&submit(&peer, &["partial", "color"]).await),
        json!([["blue"], ["red"]])
    );
    assert!(
        !ok_json(&submit(&peer, &["range", "", ""]).await)
            .to_string()
            .contains("color"),
        "simple ranges skip composite keys"
    );

    ok(&peer
        .invoke(Invocation::submit("other", ["put", "x", "from-other"]))
        .await
        .unwrap());
    let call = ok_json(&submit(&peer, &["call", "other", "get", "x"]).await);
    assert_eq!(call, json!({"status": 200, "payload": "from-other"}));
    let missing = ok_json(&submit(&peer, &["call", "ghost", "get", "x"]).await);
    assert_eq!(missing["status"], 500);

    let event = submit(&peer, &["event", "created", "p1"]).await;
    let event = event.event.expect("the event travels with COMPLETED");
    assert_eq!(
        (event.event_name.as_str(), event.payload.as_slice()),
        ("created", &b"p1"[..])
    );

    let creator = TestCa::new("Org1MSP")
        .identity()
        .cn("alice")
        .build()
        .creator();
    let facts = peer
        .invoke(
            Invocation::evaluate(CC, ["facts"])
                .transient("t", "secret")
                .creator(creator),
        )
        .await
        .unwrap();
    let facts = ok_json(&facts);
    assert_eq!(facts["channel"], "mychannel");
    assert_eq!(facts["transient"], json!({"t": "secret"}));
    assert_eq!(
        (
            facts["binding"].clone(),
            facts["creator"].clone(),
            facts["proposal"].clone()
        ),
        (json!(32), json!(true), json!(true))
    );
    assert_eq!(
        facts["tx"].as_str().unwrap().len(),
        64,
        "txid = hex(SHA-256(nonce ‖ creator))"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_transactions_with_interleaved_requests() {
    let peer = EmulatedPeer::new(options());
    attach(&peer, CC).await;
    ok(&submit(&peer, &["put", "seed", "s"]).await);
    let keys: Vec<String> = (0..200).map(|i| format!("c{i:03}")).collect();
    let handles: Vec<_> = keys
        .iter()
        .map(|k| {
            let peer = peer.clone();
            let k = k.clone();
            tokio::spawn(async move {
                peer.invoke(Invocation::submit(
                    CC,
                    ["mix", k.as_str(), &format!("v-{k}")],
                ))
                .await
            })
        })
        .collect();
    let mut tx_ids = std::collections::BTreeSet::new();
    for handle in handles {
        let outcome = handle.await.unwrap().unwrap();
        let got = ok_json(&outcome);
        assert_eq!(
            got["tx"],
            outcome.tx_id.as_str(),
            "the reply reached its own transaction"
        );
        assert_eq!(
            (&got["seed"], &got["own"], &got["range"]),
            (&json!("s"), &Value::Null, &json!(1)),
            "committed reads only, own write invisible"
        );
        tx_ids.insert(outcome.tx_id);
    }
    assert_eq!(tx_ids.len(), 200, "distinct transaction ids");
    let reads: Vec<_> = keys
        .iter()
        .map(|k| {
            let peer = peer.clone();
            let k = k.clone();
            tokio::spawn(async move {
                (
                    k.clone(),
                    peer.invoke(Invocation::evaluate(CC, ["multi", k.as_str(), "c000"]))
                        .await,
                )
            })
        })
        .collect();
    for read in reads {
        let (k, outcome) = read.await.unwrap();
        assert_eq!(
            ok_json(&outcome.unwrap()),
            json!([format!("v-{k}"), "v-c000"])
        );
    }
    assert_eq!(
        peer.concurrent_request_violations(),
        0,
        "never two requests in flight for one transaction"
    );
}

/// The same transactions on a Fabric 2.5 peer and a 3.1 peer announcing
/// batching and multi-key reads: the 3.1 run uses them, the results are equal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fabric_3_1_batching_on_and_off() {
    let both = RuntimeParams {
        use_write_batch: true,
        max_size_write_batch: 1000,
        use_get_multiple_keys: true,
        max_size_get_multiple_keys: 1000,
    };
    let mut states = Vec::new();
    for (version, params) in [
        (FabricVersion::V2_5, None),
        (FabricVersion::V3_1, Some(both)),
    ] {
        let mut opts = options().fabric(version);
        if let Some(params) = params {
            opts = opts.runtime_params(params);
        }
        let peer = EmulatedPeer::new(opts);
        attach(&peer, CC).await;
        ok(&submit(&peer, &["put", "a", "1"]).await);
        ok(&submit(&peer, &["put", "b", "2"]).await);
        assert_eq!(
            ok_json(&submit(&peer, &["multi", "a", "b", "c"]).await),
            json!(["1", "2", null])
        );
        ok(&submit(&peer, &["setep", "a", "p"]).await);
        ok(&submit(&peer, &["pput", "s", "42"]).await);
        assert_eq!(
            ok_json(&submit(&peer, &["pmulti", "zz", "s"]).await),
            json!([null, "42"]),
            "private keys in the order asked"
        );
        let counts = peer.request_counts();
        let batched = counts.get("WRITE_BATCH_STATE").copied().unwrap_or(0);
        let multi = counts.get("GET_STATE_MULTIPLE").copied().unwrap_or(0);
        if params.is_some() {
            assert_eq!(
                (batched, multi, counts.get("PUT_STATE")),
                (4, 2, None),
                "{counts:?}"
            );
        } else {
            assert_eq!(
                (batched, multi, counts.get("PUT_STATE")),
                (0, 0, Some(&3)),
                "{counts:?}"
            );
        }
        states.push((
            peer.ledger().state("mychannel", CC),
            peer.ledger()
                .get_entry("mychannel", CC, "a")
                .unwrap()
                .metadata,
        ));
    }
    assert_eq!(states[0], states[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_iterators_are_closed_and_a_panic_fails_one_transaction() {
    let peer = EmulatedPeer::new(options());
    attach(&peer, CC).await;
    for i in 0..150 {
        ok(&submit(&peer, &["put", &format!("d{i:03}"), "x"]).await);
    }
    assert_eq!(ok(&submit(&peer, &["dropiter", "d", "e"]).await), "d000");
    assert_eq!(
        peer.request_counts().get("QUERY_STATE_CLOSE"),
        Some(&1),
        "closed before COMPLETED"
    );

    let panicked = submit(&peer, &["panic"]).await;
    assert_eq!(
        (panicked.response.status, panicked.response.message.as_str()),
        (500, "transaction panicked")
    );
    assert!(panicked.writes.is_empty());
    assert_eq!(
        ok(&submit(&peer, &["get", "d000"]).await),
        "x",
        "the chaincode keeps serving"
    );
}

/// Client mode (the chaincode dials the peer) and chaincode-as-a-service (the
/// peer dials the chaincode), each plain and with mutual TLS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_in_both_modes_with_and_without_tls() {
    use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};
    let pki = shim_common::pki();
    let defs = |id: &str| {
        PeerOptions::default().chaincode(ChaincodeDefinition::new(CC).registration_id(id))
    };

    // Client mode, plain.
    let peer = EmulatedPeer::new(defs("mycc:1.0"));
    let address = peer.serve_tcp("127.0.0.1:0").await.unwrap();
    tokio::spawn(serve_client(
        shim_common::client_settings(address.to_string(), None, Duration::from_secs(10)),
        Everything,
    ));
    peer.wait_registered("mycc:1.0", Duration::from_secs(10))
        .await
        .unwrap();
    ok(&submit(&peer, &["put", "m", "client"]).await);

    // Client mode, mutual TLS, with the peer-style mislabelled PKCS#8 key.
    let peer = EmulatedPeer::new(defs("mycc:1.0"));
    let server_tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(
            &pki.server_cert_pem,
            &pki.server_key_pem,
        ))
        .client_ca_root(Certificate::from_pem(&pki.ca_pem));
    let address = peer.serve_tcp_tls("127.0.0.1:0", server_tls).await.unwrap();
    let tls = ClientTls {
        root_cert_pem: pki.ca_pem.clone().into_bytes(),
        client_cert_pem: pki.client_cert_pem.clone().into_bytes(),
        client_key_pem: pki.client_key_pem_lying.clone().into_bytes(),
    };
    let settings = shim_common::client_settings(
        format!("localhost:{}", address.port()),
        Some(tls),
        Duration::from_secs(10),
    );
    tokio::spawn(serve_client(settings, Everything));
    peer.wait_registered("mycc:1.0", Duration::from_secs(10))
        .await
        .unwrap();
    ok(&submit(&peer, &["put", "m", "client-tls"]).await);

    // Chaincode-as-a-service, plain.
    let peer = EmulatedPeer::new(defs("basic:abc"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(serve_server_on(
        listener,
        shim_common::server_settings(None),
        Everything,
    ));
    peer.connect_ccaas(&format!("http://127.0.0.1:{port}"), None)
        .await
        .unwrap();
    peer.wait_registered("basic:abc", Duration::from_secs(10))
        .await
        .unwrap();
    ok(&submit(&peer, &["put", "m", "ccaas"]).await);

    // Chaincode-as-a-service, mutual TLS: the peer presents its client certificate.
    let peer = EmulatedPeer::new(defs("basic:abc"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = ServerTls {
        cert_pem: pki.server_cert_pem.clone().into_bytes(),
        key_pem: pki.server_key_pem.clone().into_bytes(),
        client_ca_pem: Some(pki.ca_pem.clone().into_bytes()),
    };
    tokio::spawn(serve_server_on(
        listener,
        shim_common::server_settings(Some(server)),
        Everything,
    ));
    let client_tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .identity(Identity::from_pem(
            &pki.client_cert_pem,
            &pki.client_key_pem,
        ))
        .domain_name("localhost");
    peer.connect_ccaas(&format!("https://localhost:{port}"), Some(client_tls))
        .await
        .unwrap();
    peer.wait_registered("basic:abc", Duration::from_secs(10))
        .await
        .unwrap();
    ok(&submit(&peer, &["put", "m", "ccaas-tls"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_paged_queries_private_queries_and_cross_channel_calls() {
    let peer = EmulatedPeer::new(options().channels(["mychannel", "ch2"]));
    attach(&peer, CC).await;
    attach(&peer, "other").await;
    let ledger = peer.ledger().clone();

    // State metadata, public and private, beside the validation parameter.
    ok(&submit(&peer, &["put", "m", "1"]).await);
    ok(&submit(&peer, &["meta", "-", "m", "owner", "alice"]).await);
    assert_eq!(
        ok_json(&submit(&peer, &["getmeta", "-", "m"]).await),
        json!({"owner": "alice"})
    );
    ok(&submit(&peer, &["setep", "m", "pol"]).await);
    assert_eq!(
        ok_json(&submit(&peer, &["getmeta", "-", "m"]).await),
        json!({"VALIDATION_PARAMETER": "pol"}),
        "a metadata write replaces the key's whole metadata map (the peer's HandlePutStateMetadata)"
    );
    ok(&submit(&peer, &["put", "m", "2"]).await);
    assert_eq!(
        ok(&submit(&peer, &["getep", "m"]).await),
        "pol",
        "a value write keeps the metadata"
    );
    ok(&submit(&peer, &["pput", "pm", "1"]).await);
    ok(&submit(&peer, &["meta", COLLECTION, "pm", "tag", "t1"]).await);
    assert_eq!(
        ok_json(&submit(&peer, &["getmeta", COLLECTION, "pm"]).await),
        json!({"tag": "t1"})
    );
    assert_eq!(
        ok_json(&submit(&peer, &["getmeta", "-", "pm"]).await),
        json!({}),
        "private metadata stays in its collection"
    );

    // Paged partial composite keys and rich queries, page by page with bookmarks.
    for (i, color) in ["blue", "green", "red"].iter().enumerate() {
        ok(&submit(&peer, &["ckey", "color", color, &format!(r#"{{"n":{i}}}"#)]).await);
        ok(&submit(
            &peer,
            &["put", &format!("j{i}"), &format!(r#"{{"n":{i}}}"#)],
        )
        .await);
    }
    let first = ok_json(&submit(&peer, &["cpage", "color", "2", ""]).await);
    assert_eq!(
        (first["keys"].as_array().unwrap().len(), &first["fetched"]),
        (2, &json!(2))
    );
    let bookmark = first["bookmark"].as_str().unwrap().to_owned();
    assert!(!bookmark.is_empty());
    let second = ok_json(&submit(&peer, &["cpage", "color", "2", &bookmark]).await);
    assert_eq!(
        (
            second["keys"].as_array().unwrap().len(),
            &second["bookmark"]
        ),
        (1, &json!("")),
        "the last page has no bookmark"
    );
    let query = r#"{"selector":{"n":{"$gte":0}}}"#;
    let mut pages = Vec::new();
    let mut bookmark = String::new();
    loop {
        let page = ok_json(&submit(&peer, &["richpage", query, "2", &bookmark]).await);
        let keys = page["keys"].as_array().unwrap().clone();
        bookmark = page["bookmark"].as_str().unwrap().to_owned();
        if keys.is_empty() {
            break;
        }
        pages.push(keys);
        assert!(pages.len() < 10, "bookmarks make progress");
    }
    let all: Vec<Value> = pages.concat();
    assert_eq!(
        all.len(),
        6,
        "three composite and three simple JSON records: {all:?}"
    );
    assert!(pages.iter().all(|p| p.len() <= 2));
    let after_write = submit(&peer, &["putpage", "w", "j", "k"]).await;
    assert_eq!(after_write.response.status, 500);
    assert!(
        after_write
            .response
            .message
            .contains("read-only transaction"),
        "{}",
        after_write.response.message
    );

    // Private ranges, partial composite keys and rich queries.
    for k in ["pa", "pb", "pc"] {
        ok(&submit(&peer, &["pput", k, &format!(r#"{{"k":"{k}"}}"#)]).await);
    }
    ok(&submit(&peer, &["pckey", "p", "x", "{}"]).await);
    assert_eq!(
        ok_json(&submit(&peer, &["prange", "pa", "pc"]).await),
        json!(["pa", "pb"])
    );
    assert_eq!(
        ok_json(&submit(&peer, &["ppartial", "p"]).await),
        json!(["\u{0}p\u{0}x\u{0}"])
    );
    assert_eq!(
        ok_json(&submit(&peer, &["prich", r#"{"selector":{"k":"pb"}}"#]).await),
        json!(["pb"])
    );

    // invoke_chaincode: same channel (the callee's writes join the caller's
    // transaction) and another channel (reads work, writes are discarded).
    ok(&submit(&peer, &["call", "other", "put", "joined", "yes"]).await);
    assert_eq!(
        ledger.get_state("mychannel", "other", "joined"),
        Some(b"yes".to_vec())
    );
    ok(&peer
        .invoke(Invocation::submit("other", ["put", "x", "on-ch2"]).channel("ch2"))
        .await
        .unwrap());
    assert_eq!(
        ok_json(&submit(&peer, &["callch", "other", "ch2", "get", "x"]).await),
        json!({"status": 200, "payload": "on-ch2"})
    );
    ok(&submit(&peer, &["callch", "other", "ch2", "put", "y", "lost"]).await);
    assert_eq!(ledger.get_state("ch2", "other", "y"), None);
    let unknown = ok_json(&submit(&peer, &["callch", "other", "nochannel", "get", "x"]).await);
    assert_eq!(unknown["status"], 500);

    // Function and parameters, binding and timestamp as the proposal carries them.
    let creator = TestCa::new("Org1MSP")
        .identity()
        .cn("bob")
        .build()
        .creator();
    let nonce = b"0123456789abcdef0123456789".to_vec();
    let stamp = fabric_contract_proto::Timestamp {
        seconds: 1_700_000_123,
        nanos: 456,
    };
    let facts = peer
        .invoke(
            Invocation::evaluate(CC, ["fn", "p1", ""])
                .creator(creator.clone())
                .nonce(nonce.clone())
                .timestamp(stamp),
        )
        .await
        .unwrap();
    use sha2::Digest;
    let binding = sha2::Sha256::new()
        .chain_update(&nonce)
        .chain_update(&creator)
        .chain_update(0u64.to_le_bytes())
        .finalize();
    let tx_id = hex::encode(
        sha2::Sha256::new()
            .chain_update(&nonce)
            .chain_update(&creator)
            .finalize(),
    );
    assert_eq!(facts.tx_id, tx_id, "txid = hex(SHA-256(nonce ‖ creator))");
    assert_eq!(
        ok_json(&facts),
        json!({
            "function": "fn", "params": ["p1", ""], "args": 3, "init": false, "decorations": 0,
            "binding": hex::encode(binding), "timestamp": [1_700_000_123, 456],
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpaged_ranges_fetch_lazily_and_always_close() {
    let peer = EmulatedPeer::new(options());
    attach(&peer, CC).await;
    for i in 0..250 {
        ok(&submit(&peer, &["put", &format!("d{i:03}"), "x"]).await);
    }
    let before = peer.request_counts();
    let outcome = submit(&peer, &["range", "d", "e"]).await;
    assert_eq!(ok_json(&outcome).as_array().unwrap().len(), 250);
    {
        use fabric_contract_proto::protos::chaincode_message::Type;
        assert_eq!(
            outcome.requests,
            [
                Type::GetStateByRange,
                Type::QueryStateNext,
                Type::QueryStateNext,
                Type::QueryStateClose
            ],
            "the transaction's own requests, in order"
        );
    }
    let after = peer.request_counts();
    let delta = |name: &str| after.get(name).unwrap_or(&0) - before.get(name).unwrap_or(&0);
    assert_eq!(
        (
            delta("GET_STATE_BY_RANGE"),
            delta("QUERY_STATE_NEXT"),
            delta("QUERY_STATE_CLOSE")
        ),
        (1, 2, 1),
        "batches of 100: two QUERY_STATE_NEXT, one close"
    );
}

/// A TCP relay between the shim and the peer that can be cut, so the peer
/// "goes away" the way a crashed or restarted peer does.
struct Relay {
    address: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(target: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let (mut inbound, _) = listener.accept().await.unwrap();
            let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
            let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
        });
        Self { address, task }
    }

    /// Drops both sockets.
    async fn cut(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_disconnect_ends_serve_with_an_error() {
    let peer = EmulatedPeer::new(
        PeerOptions::default().chaincode(ChaincodeDefinition::new(CC).registration_id("mycc:1.0")),
    );
    let address = peer.serve_tcp("127.0.0.1:0").await.unwrap();
    let relay = Relay::start(address).await;
    let serving = tokio::spawn(serve_client(
        shim_common::client_settings(relay.address.to_string(), None, Duration::from_secs(10)),
        Everything,
    ));
    peer.wait_registered("mycc:1.0", Duration::from_secs(10))
        .await
        .unwrap();
    ok(&submit(&peer, &["put", "k", "v"]).await);

    // A transaction is in flight when the connection drops.
    let in_flight = {
        let peer = peer.clone();
        tokio::spawn(async move {
            peer.invoke(Invocation::evaluate(CC, ["sleep", "500", "k"]))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    relay.cut().await;

    let ended = tokio::time::timeout(Duration::from_secs(10), serving)
        .await
        .expect("serve returns once the peer is gone")
        .unwrap();
    let error = ended.expect_err("serve only ever returns an error");
    assert!(
        !error.to_string().is_empty(),
        "a clear message for the operator"
    );
    let in_flight = tokio::time::timeout(Duration::from_secs(10), in_flight)
        .await
        .expect("the peer gives up on the transaction")
        .unwrap();
    assert!(in_flight.is_err(), "{in_flight:?}");
    assert!(!peer.is_registered("mycc:1.0"));
}

/// Frames no peer should send (unknown type, undecodable payloads, a reply
/// for no transaction, a request type meant for the peer) are answered with
/// ERROR or dropped; transactions before and after are served normally.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_unknown_frames_leave_the_chaincode_serving() {
    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::chaincode_message::Type;
    use fabric_contract_proto::protos::{ChaincodeInput, ChaincodeMessage, SignedProposal};

    let peer = EmulatedPeer::new(options());
    let attached = peer.attach();
    let (inject, injected) = tokio::sync::mpsc::unbounded_channel::<ChaincodeMessage>();
    let inbound = UnboundedReceiverStream::new(attached.from_peer)
        .merge(UnboundedReceiverStream::new(injected))
        .map(Ok::<_, std::convert::Infallible>);
    // The shim's outbound frames: replies to injected frames are kept here,
    // everything else goes on to the peer.
    let (to_relay, mut from_shim) = tokio::sync::mpsc::unbounded_channel::<ChaincodeMessage>();
    let (replies_tx, mut replies) = tokio::sync::mpsc::unbounded_channel::<ChaincodeMessage>();
    let to_peer = attached.to_peer;
    tokio::spawn(async move {
        while let Some(msg) = from_shim.recv().await {
            if msg.txid.starts_with("inj-") {
                let _ = replies_tx.send(msg);
            } else if to_peer.send(msg).is_err() {
                break;
            }
        }
    });
    let serving = tokio::spawn(async move {
        serve_stream(
            Arc::new(Everything),
            &Registration::new(CC),
            inbound,
            to_relay,
        )
        .await
    });
    peer.wait_registered(CC, Duration::from_secs(10))
        .await
        .unwrap();
    ok(&submit(&peer, &["put", "k", "before"]).await);

    let frame = |ty: i32, txid: &str, payload: Vec<u8>| ChaincodeMessage {
        r#type: ty,
        txid: txid.into(),
        channel_id: "mychannel".into(),
        payload,
        ..ChaincodeMessage::default()
    };
    // The proposal is read when the handler first asks for one of its facts, as `facts` does.
    let input = ChaincodeInput {
        args: vec![b"facts".to_vec()],
        ..ChaincodeInput::default()
    }
    .encode_to_vec();
    let mut bad_proposal = frame(Type::Transaction as i32, "inj-proposal", input);
    bad_proposal.proposal = Some(SignedProposal {
        proposal_bytes: vec![0xff, 0xff, 0xff],
        signature: vec![],
    });
    let frames = [
        frame(999, "inj-unknown", vec![]),
        frame(
            Type::Transaction as i32,
            "inj-payload",
            vec![0xff, 0xff, 0xff],
        ),
        bad_proposal,
        frame(Type::GetState as i32, "inj-direction", vec![]),
        frame(Type::Registered as i32, "inj-registered", vec![]),
        frame(Type::Response as i32, "inj-orphan", vec![1, 2, 3]),
    ];
    for f in frames {
        inject.send(f).unwrap();
    }
    let mut answered = BTreeMap::new();
    while answered.len() < 5 {
        let reply = tokio::time::timeout(Duration::from_secs(10), replies.recv())
            .await
            .expect("every bad frame but the orphan reply is answered")
            .unwrap();
        assert_eq!(reply.r#type, Type::Error as i32, "{reply:?}");
        answered.insert(
            reply.txid.clone(),
            String::from_utf8_lossy(&reply.payload).into_owned(),
        );
    }
    assert_eq!(
        answered.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "inj-direction",
            "inj-payload",
            "inj-proposal",
            "inj-registered",
            "inj-unknown"
        ]
    );
    assert!(
        answered["inj-payload"].contains("ChaincodeInput"),
        "{answered:?}"
    );
    assert!(answered["inj-unknown"].contains("999"), "{answered:?}");

    ok(&submit(&peer, &["put", "k", "after"]).await);
    assert_eq!(ok(&submit(&peer, &["get", "k"]).await), "after");
    assert!(!serving.is_finished(), "the chaincode keeps serving");
    assert!(
        tokio::time::timeout(Duration::from_millis(200), replies.recv())
            .await
            .is_err(),
        "the orphan RESPONSE is dropped, not answered"
    );
}
