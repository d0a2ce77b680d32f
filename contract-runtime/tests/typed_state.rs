//! Typed state through a real transaction: one test chaincode using every collection type,
//! and scenarios written once and run over both the in-memory and the loopback gRPC transport.

use std::sync::Arc;

use fabric_contract::prelude::*;
use fabric_contract::state::{Index, Item, Map, PrivateMap, Raw, StateError, Text, transient_json};
use fabric_contract::testing::ledger::WriteKind;
use fabric_contract::testing::network::{Outcome, TestNetwork, Transport, anonymous};
use fabric_contract::testing::peer::ChaincodeDefinition;
use fabric_contract_proto::Timestamp;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Asset {
    #[serde(rename = "ID")]
    id: String,
    owner: String,
    size: u64,
}

const ASSETS: Map<String, Asset> = Map::simple();
const BY_OWNER: Index<(String, String)> = Index::new("owner~id");
const TAGS: Map<(String, String), String, Text> = Map::new("tag");
const COUNT: Item<u64> = Item::new("count");
const BLOBS: Map<String, Vec<u8>, Raw> = Map::new("blob");
const SECRETS: PrivateMap<String, Asset> = PrivateMap::new("secrets");

/// A raw chaincode whose every function exercises one part of the typed state API.
struct StateCc;

fn ok(v: serde_json::Value) -> Response {
    Response::success(fabric_contract::json::to_canonical_vec(&v).unwrap())
}

fn arg(params: &[String], i: usize) -> String {
    params.get(i).cloned().unwrap_or_default()
}

impl StateCc {
    async fn run(&self, stub: &Stub) -> Result<Response, StateError> {
        let (function, p) = stub.function_and_params();
        let submit = SubmitCtx::new(stub.clone());
        let eval = EvaluateCtx::new(stub.clone());
        Ok(match function.as_str() {
            "Create" => {
                let asset = Asset {
                    id: arg(&p, 0),
                    owner: arg(&p, 1),
                    size: arg(&p, 2).parse().unwrap_or(0),
                };
                if ASSETS.has(&submit, &asset.id).await? {
                    return Ok(Response::error(format!("asset {} exists", asset.id)));
                }
                ASSETS.save(&submit, &asset.id, &asset).await?;
                BY_OWNER
                    .insert(&submit, &(asset.owner.clone(), asset.id.clone()))
                    .await?;
                COUNT
                    .update(&submit, |n| Ok::<_, StateError>(n.unwrap_or(0) + 1))
                    .await?;
                submit
                    .set_event("Ignored", &json!({"first": true}))
                    .unwrap();
                submit.set_event("Created", &asset).unwrap();
                ok(json!(asset))
            }
            "Read" => ok(json!(ASSETS.load(&eval, &arg(&p, 0)).await?)),
            "MaybeRead" => ok(json!(ASSETS.may_load(&eval, &arg(&p, 0)).await?)),
            "Count" => ok(json!(COUNT.may_load(&eval).await?)),
            "Transfer" => {
                let id = arg(&p, 0);
                let to = arg(&p, 1);
                let mut from = String::new();
                ASSETS
                    .update(&submit, &id, |a| {
                        let mut a = a.ok_or(StateError::NotFound { key: id.clone() })?;
                        from = std::mem::replace(&mut a.owner, to.clone());
                        Ok::<_, StateError>(a)
                    })
                    .await?;
                BY_OWNER.remove(&submit, &(from, id.clone())).await?;
                BY_OWNER.insert(&submit, &(to, id)).await?;
                ok(json!(null))
            }
            "Delete" => {
                ASSETS.remove(&submit, &arg(&p, 0)).await?;
                ok(json!(null))
            }
            "ByOwner" => {
                let mut ids = Vec::new();
                let mut s = BY_OWNER.prefix(&eval, &arg(&p, 0)).await?;
                while let Some(entry) = s.next().await {
                    ids.push(entry?.1);
                }
                ok(json!(ids))
            }
            "Range" => {
                let (a, b) = (arg(&p, 0), arg(&p, 1));
                let s = ASSETS.range(&eval, a..b).await?;
                let ids: Vec<String> = s
                    .map(|r| r.map(|(k, _)| k))
                    .collect::<Vec<_>>()
                    .await
                    .into_iter()
                    .collect::<Result<_, _>>()?;
                ok(json!(ids))
            }
            "RangeInclusive" => {
                let (a, b) = (arg(&p, 0), arg(&p, 1));
                let s = ASSETS.range(&eval, a..=b).await?;
                let ids: Vec<String> = s
                    .map(|r| r.map(|(k, _)| k))
                    .collect::<Vec<_>>()
                    .await
                    .into_iter()
                    .collect::<Result<_, _>>()?;
                ok(json!(ids))
            }
            "FirstN" => {
                // Keys from "k" on (the item "count" shares the simple key space).
                // Stops early: the stream is dropped with the iterator still open on the peer.
                let n: usize = arg(&p, 0).parse().unwrap_or(1);
                let s = ASSETS.range(&eval, "k".to_string()..).await?;
                let first: Vec<String> = s
                    .take(n)
                    .map(|r| r.map(|(k, _)| k))
                    .collect::<Vec<_>>()
                    .await
                    .into_iter()
                    .collect::<Result<_, _>>()?;
                ok(json!(first))
            }
            "Page" => {
                let size: i32 = arg(&p, 0).parse().unwrap_or(1);
                let page = ASSETS
                    .range_page(&eval, "k".to_string().., size, &arg(&p, 1))
                    .await?;
                let ids: Vec<&String> = page.items.iter().map(|(k, _)| k).collect();
                ok(json!({"ids": ids, "bookmark": page.bookmark, "fetched": page.fetched}))
            }
            "Query" => {
                let mut found = Vec::new();
                let mut s = ASSETS.query(&eval, &arg(&p, 0)).await?;
                while let Some(item) = s.next().await {
                    found.push(item?.1);
                }
                ok(json!(found))
            }
            "QueryPage" => {
                let page = ASSETS
                    .query_page(&eval, &arg(&p, 0), 2, &arg(&p, 1))
                    .await?;
                let ids: Vec<&String> = page.items.iter().map(|(k, _)| k).collect();
                ok(json!({"ids": ids, "bookmark": page.bookmark, "fetched": page.fetched}))
            }
            "History" => {
                let mut out = Vec::new();
                let mut s = ASSETS.history(&eval, &arg(&p, 0)).await?;
                while let Some(h) = s.next().await {
                    let h = h?;
                    out.push(json!({"tx": h.tx_id, "owner": h.value.map(|a| a.owner)}));
                }
                ok(json!(out))
            }
            "Many" => {
                let keys: Vec<String> = p.clone();
                let values = ASSETS.load_many(&eval, &keys).await?;
                ok(json!(
                    values
                        .into_iter()
                        .map(|v| v.map(|a| a.owner))
                        .collect::<Vec<_>>()
                ))
            }
            "Tag" => {
                TAGS.save(&submit, &(arg(&p, 0), arg(&p, 1)), &arg(&p, 2))
                    .await?;
                ok(json!(null))
            }
            "Tags" => {
                let mut out = Vec::new();
                let mut s = TAGS.prefix(&eval, &arg(&p, 0)).await?;
                while let Some(e) = s.next().await {
                    let ((_, t), v) = e?;
                    out.push(format!("{t}={v}"));
                }
                ok(json!(out))
            }
            "Blob" => {
                BLOBS.save(&submit, &arg(&p, 0), &vec![0, 159, 255]).await?;
                ok(json!(hex::encode(
                    BLOBS.load(&eval, &arg(&p, 0)).await.unwrap_or_default()
                )))
            }
            "Corrupt" => {
                stub.put_state(&arg(&p, 0), b"{not json").await?;
                ok(json!(null))
            }
            "CorruptIndex" => {
                // An index entry with one attribute where two are expected.
                stub.put_state("\0owner~id\0lonely\0", &[0]).await?;
                ok(json!(null))
            }
            "Policy" => {
                ASSETS
                    .set_key_policy(&submit, &arg(&p, 0), b"policy-bytes")
                    .await?;
                ok(json!(null))
            }
            "ReadPolicy" => {
                let policy = ASSETS.key_policy(&eval, &arg(&p, 0)).await?;
                ok(json!(policy.map(hex::encode)))
            }
            "PutSecret" => {
                let asset: Asset = transient_json(&submit, "asset")?;
                SECRETS.save(&submit, &asset.id, &asset).await?;
                let mine = PrivateMap::<String, u64>::implicit("Org1MSP");
                mine.save(&submit, &asset.id, &asset.size).await?;
                ok(json!(null))
            }
            "GetSecret" => ok(json!(SECRETS.may_load(&eval, &arg(&p, 0)).await?)),
            "ManySecrets" => {
                let found = SECRETS.load_many(&eval, &p).await?;
                ok(json!(
                    found
                        .into_iter()
                        .map(|v| v.map(|a| a.owner))
                        .collect::<Vec<_>>()
                ))
            }
            "SecretHash" => {
                let hash = SECRETS.hash(&eval, &arg(&p, 0)).await?;
                ok(json!(hash.map(hex::encode)))
            }
            "MySize" => {
                let mine = PrivateMap::<String, u64>::implicit("Org1MSP");
                ok(json!(mine.load(&eval, &arg(&p, 0)).await?))
            }
            "SizeIn" => {
                let named = PrivateMap::<String, u64>::in_collection(arg(&p, 0));
                ok(json!(named.may_load(&eval, &arg(&p, 1)).await?))
            }
            "SecretPolicy" => {
                SECRETS
                    .set_key_policy(&submit, &arg(&p, 0), b"private-policy")
                    .await?;
                ok(json!(null))
            }
            "ReadSecretPolicy" => {
                let policy = SECRETS.key_policy(&eval, &arg(&p, 0)).await?;
                ok(json!(policy.map(hex::encode)))
            }
            "PurgeSecret" => {
                SECRETS.purge(&submit, &arg(&p, 0)).await?;
                ok(json!(null))
            }
            "Secrets" => {
                let mut out = Vec::new();
                let mut s = SECRETS.range(&eval, ..).await?;
                while let Some(e) = s.next().await {
                    out.push(e?.0);
                }
                ok(json!(out))
            }
            other => Response::error(format!("unknown function {other}")),
        })
    }
}

impl Chaincode for StateCc {
    async fn init(&self, _: &Stub) -> Response {
        Response::success(Vec::new())
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        match self.run(stub).await {
            Ok(r) => r,
            Err(e) => Response::error(e.to_string()),
        }
    }
}

async fn network(transport: Transport) -> TestNetwork {
    TestNetwork::new()
        .transport(transport)
        .chaincode_with(
            ChaincodeDefinition::new("state").collection("secrets"),
            StateCc,
        )
        .start()
        .await
        .unwrap()
}

async fn call(net: &TestNetwork, f: &str, args: &[&str]) -> Outcome {
    net.call(&anonymous("Org1MSP"), "state", f, args)
        .submit()
        .await
        .unwrap()
}

async fn json_of(net: &TestNetwork, f: &str, args: &[&str]) -> serde_json::Value {
    let out = net
        .call(&anonymous("Org1MSP"), "state", f, args)
        .evaluate()
        .await
        .unwrap();
    assert_eq!(out.status, 200, "{f}: {}", out.message);
    out.json().unwrap()
}

/// Maps, items, indexes, events, updates and errors.
async fn collections_scenario(net: &TestNetwork) {
    let created = call(net, "Create", &["a2", "alice", "5"]).await;
    assert_eq!(created.status, 200, "{}", created.message);
    // One event per transaction: the last one set wins.
    let event = created.event.expect("event");
    assert_eq!(event.event_name, "Created");
    assert_eq!(event.payload, br#"{"ID":"a2","owner":"alice","size":5}"#);
    // Canonical JSON in the ledger, composite index entry with Go's one-byte value.
    assert_eq!(
        net.state("state", "a2").unwrap(),
        br#"{"ID":"a2","owner":"alice","size":5}"#
    );
    assert_eq!(net.state("state", "\0owner~id\0alice\0a2\0").unwrap(), [0]);
    for (id, owner) in [("a1", "bob"), ("a3", "alice"), ("b1", "carol")] {
        assert_eq!(call(net, "Create", &[id, owner, "1"]).await.status, 200);
    }
    let dup = call(net, "Create", &["a1", "x", "1"]).await;
    assert_eq!(dup.status, 500);
    assert!(dup.event.is_none() && dup.writes.is_empty());

    assert_eq!(json_of(net, "Count", &[]).await, json!(4));
    assert_eq!(json_of(net, "Read", &["a1"]).await["owner"], "bob");
    assert_eq!(json_of(net, "MaybeRead", &["zz"]).await, json!(null));
    let missing = net
        .call(&anonymous("Org1MSP"), "state", "Read", ["zz"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(missing.status, 500);
    assert!(missing.message.contains("\"zz\""), "{}", missing.message);

    assert_eq!(
        json_of(net, "ByOwner", &["alice"]).await,
        json!(["a2", "a3"])
    );
    assert_eq!(call(net, "Transfer", &["a2", "bob"]).await.status, 200);
    assert_eq!(json_of(net, "ByOwner", &["alice"]).await, json!(["a3"]));
    assert_eq!(json_of(net, "ByOwner", &["bob"]).await, json!(["a1", "a2"]));
    assert_eq!(call(net, "Transfer", &["nope", "bob"]).await.status, 500);

    assert_eq!(
        json_of(net, "Many", &["a1", "zz", "b1"]).await,
        json!(["bob", null, "carol"])
    );

    // Composite-key maps keep their own key space and decode tuples back.
    call(net, "Tag", &["a1", "colour", "red"]).await;
    call(net, "Tag", &["a1", "shape", "round"]).await;
    call(net, "Tag", &["a10", "colour", "blue"]).await;
    assert_eq!(
        json_of(net, "Tags", &["a1"]).await,
        json!(["colour=red", "shape=round"])
    );
    assert_eq!(json_of(net, "Blob", &["x"]).await, json!(""));
    assert_eq!(call(net, "Blob", &["x"]).await.status, 200);
    assert_eq!(net.state("state", "\0blob\0x\0").unwrap(), [0, 159, 255]);

    // Malformed stored data is an error naming the key, and the chaincode keeps serving.
    call(net, "Corrupt", &["bad"]).await;
    let bad = net
        .call(&anonymous("Org1MSP"), "state", "Read", ["bad"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(bad.status, 500);
    assert!(bad.message.contains("\"bad\""), "{}", bad.message);
    call(net, "CorruptIndex", &[]).await;
    let bad = net
        .call(&anonymous("Org1MSP"), "state", "ByOwner", ["lonely"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(bad.status, 500);
    assert!(bad.message.contains("lonely"), "{}", bad.message);
    assert_eq!(json_of(net, "Read", &["a1"]).await["owner"], "bob");

    // Key-level endorsement goes to the key's metadata.
    let set = call(net, "Policy", &["a1"]).await;
    assert!(set.writes.iter().any(|w| w.key == "a1"
        && matches!(&w.kind, WriteKind::Metadata(m) if m.get("VALIDATION_PARAMETER").map(Vec::as_slice) == Some(&b"policy-bytes"[..]))),
        "{:?}", set.writes);
    assert_eq!(
        json_of(net, "ReadPolicy", &["a1"]).await,
        json!(hex::encode("policy-bytes"))
    );
}

/// Ranges, early stop, pagination, rich queries and history.
async fn iteration_scenario(net: &TestNetwork) {
    for i in 0..130 {
        let id = format!("k{i:03}");
        let owner = if i % 2 == 0 { "even" } else { "odd" };
        assert_eq!(
            call(net, "Create", &[&id, owner, &i.to_string()])
                .await
                .status,
            200
        );
    }
    assert_eq!(
        json_of(net, "Range", &["k010", "k013"]).await,
        json!(["k010", "k011", "k012"])
    );
    assert_eq!(
        json_of(net, "RangeInclusive", &["k010", "k012"]).await,
        json!(["k010", "k011", "k012"])
    );
    // Stopping after 3 of 130 (more than one batch) still completes the transaction cleanly.
    assert_eq!(
        json_of(net, "FirstN", &["3"]).await,
        json!(["k000", "k001", "k002"])
    );
    assert_eq!(net.peer().concurrent_request_violations(), 0);

    // Paging with bookmarks walks every key exactly once.
    let mut seen = Vec::new();
    let mut bookmark = String::new();
    loop {
        let page = json_of(net, "Page", &["50", &bookmark]).await;
        let ids = page["ids"].as_array().unwrap().clone();
        assert_eq!(page["fetched"], json!(ids.len()));
        seen.extend(ids.into_iter().map(|v| v.as_str().unwrap().to_owned()));
        bookmark = page["bookmark"].as_str().unwrap().to_owned();
        if bookmark.is_empty() || seen.len() >= 130 {
            break;
        }
    }
    let expected: Vec<String> = (0..130).map(|i| format!("k{i:03}")).collect();
    assert_eq!(seen, expected);

    // Rich queries: index entries and other key spaces are skipped, not errors.
    let sel = r#"{"selector":{"owner":"odd","size":{"$lt":6}}}"#;
    let found = json_of(net, "Query", &[sel]).await;
    let ids: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ID"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["k001", "k003", "k005"]);
    let first = json_of(net, "QueryPage", &[sel, ""]).await;
    assert_eq!(first["ids"], json!(["k001", "k003"]));
    let second = json_of(
        net,
        "QueryPage",
        &[sel, first["bookmark"].as_str().unwrap()],
    )
    .await;
    assert_eq!(second["ids"], json!(["k005"]));

    // History: newest first, deletions as null.
    let t1 = call(net, "Transfer", &["k007", "zed"]).await.tx_id;
    let t2 = call(net, "Delete", &["k007"]).await.tx_id;
    let history = json_of(net, "History", &["k007"]).await;
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0], json!({"tx": t2, "owner": null}));
    assert_eq!(history[1], json!({"tx": t1, "owner": "zed"}));
    assert_eq!(history[2]["owner"], "odd");
}

/// Private data, hashes, purge, implicit collections and transient data.
async fn private_scenario(net: &TestNetwork) {
    let asset = br#"{"ID":"p1","owner":"dan","size":9}"#;
    let missing = call(net, "PutSecret", &[]).await;
    assert_eq!(missing.status, 500);
    assert!(missing.message.contains("\"asset\""), "{}", missing.message);
    let put = net
        .call(&anonymous("Org1MSP"), "state", "PutSecret", [""; 0])
        .transient("asset", asset)
        .submit()
        .await
        .unwrap();
    assert_eq!(put.status, 200, "{}", put.message);
    assert!(
        put.writes
            .iter()
            .any(|w| w.collection.as_deref() == Some("_implicit_org_Org1MSP"))
    );
    assert_eq!(json_of(net, "GetSecret", &["p1"]).await["owner"], "dan");
    assert_eq!(
        json_of(net, "ManySecrets", &["nope", "p1"]).await,
        json!([null, "dan"]),
        "private values in the order asked"
    );
    assert_eq!(json_of(net, "MySize", &["p1"]).await, json!(9));
    // A collection named at run time is the same collection as one named in a const.
    assert_eq!(
        json_of(net, "SizeIn", &["_implicit_org_Org1MSP", "p1"]).await,
        json!(9)
    );
    assert_eq!(
        json_of(net, "SizeIn", &["secrets", "nope"]).await,
        json!(null)
    );
    let expected_hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(
            br#"{"ID":"p1","owner":"dan","size":9}"#,
        ))
    };
    assert_eq!(
        json_of(net, "SecretHash", &["p1"]).await,
        json!(expected_hash)
    );
    assert_eq!(json_of(net, "Secrets", &[]).await, json!(["p1"]));
    // A private key's endorsement policy is its own, not the public key's of the same name.
    assert_eq!(json_of(net, "ReadSecretPolicy", &["p1"]).await, json!(null));
    assert_eq!(call(net, "SecretPolicy", &["p1"]).await.status, 200);
    assert_eq!(
        json_of(net, "ReadSecretPolicy", &["p1"]).await,
        json!(hex::encode(b"private-policy"))
    );
    assert_eq!(json_of(net, "ReadPolicy", &["p1"]).await, json!(null));
    // The world state does not see private keys.
    assert!(net.state("state", "p1").is_none());
    assert_eq!(call(net, "PurgeSecret", &["p1"]).await.status, 200);
    assert_eq!(json_of(net, "GetSecret", &["p1"]).await, json!(null));
    assert_eq!(json_of(net, "SecretHash", &["p1"]).await, json!(null));
}

/// Harness features: fixed nonce (tx id), timestamps, MVCC conflicts, determinism.
async fn harness_scenario(net: &TestNetwork) {
    let who = anonymous("Org1MSP");
    let nonce = b"fixed-nonce".to_vec();
    let out = net
        .call(&who, "state", "Create", ["h1", "erin", "1"])
        .nonce(nonce.clone())
        .timestamp(Timestamp {
            seconds: 1_700_000_000,
            nanos: 0,
        })
        .submit()
        .await
        .unwrap();
    assert_eq!(
        out.tx_id,
        fabric_contract::testing::proposal::tx_id(&nonce, &who)
    );
    let e1 = net
        .endorse(&who, "state", "Transfer", ["h1", "x"])
        .await
        .unwrap();
    let e2 = net
        .endorse(&who, "state", "Transfer", ["h1", "y"])
        .await
        .unwrap();
    assert_eq!(net.commit(e1).unwrap().status, 200);
    assert!(
        net.commit(e2).is_err(),
        "the second commit read a stale version"
    );
    assert_eq!(json_of(net, "Read", &["h1"]).await["owner"], "x");
    net.check_deterministic(&who, "state", "Range", ["a", "z"])
        .await
        .unwrap();
}

async fn run_all(transport: Transport) {
    let net = network(transport).await;
    collections_scenario(&net).await;
    private_scenario(&net).await;
    harness_scenario(&net).await;
    let net = network(transport).await;
    iteration_scenario(&net).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_state_in_memory() {
    run_all(Transport::Memory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_state_over_grpc() {
    run_all(Transport::Grpc).await;
}

/// A chaincode whose evaluation reads a counter it also bumps, to prove the determinism
/// check can fail.
struct Clock(Arc<std::sync::atomic::AtomicU64>);

impl Chaincode for Clock {
    async fn init(&self, _: &Stub) -> Response {
        Response::success(Vec::new())
    }
    async fn invoke(&self, _: &Stub) -> Response {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Response::success(n.to_string().into_bytes())
    }
}

#[tokio::test]
async fn determinism_check_catches_varying_answers() {
    let net = TestNetwork::new()
        .chaincode("clock", Clock(Arc::default()))
        .start()
        .await
        .unwrap();
    let err = net
        .check_deterministic(&anonymous("Org1MSP"), "clock", "Now", [""; 0])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not deterministic"), "{err}");
}

/// Order-preserving integer keys: for 10^5 random values per width, sorting
/// the encoded keys sorts the values, and every key decodes back.
mod ordered_keys {
    use fabric_contract::state::{KeyParts, MapKey};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn check<T>(strategy: impl Strategy<Value = Vec<T>>)
    where
        T: KeyParts + MapKey + Ord + Clone + std::fmt::Debug,
    {
        let mut runner = TestRunner::new(Config {
            cases: 1,
            ..Config::default()
        });
        runner
            .run(&strategy, |mut values| {
                let mut encoded: Vec<(String, T)> = values
                    .iter()
                    .map(|v| (v.to_parts().unwrap().remove(0), v.clone()))
                    .collect();
                encoded.sort();
                values.sort();
                let by_key: Vec<T> = encoded.iter().map(|(_, v)| v.clone()).collect();
                prop_assert_eq!(by_key, values);
                for (key, value) in encoded {
                    prop_assert_eq!(T::from_parts(vec![key]).unwrap(), value);
                }
                Ok(())
            })
            .unwrap();
    }

    const N: usize = 100_000;

    #[test]
    fn every_integer_width_keeps_its_order() {
        check(proptest::collection::vec(any::<u8>(), N));
        check(proptest::collection::vec(any::<u16>(), N));
        check(proptest::collection::vec(any::<u32>(), N));
        check(proptest::collection::vec(any::<u64>(), N));
        check(proptest::collection::vec(any::<u128>(), N));
        check(proptest::collection::vec(any::<i8>(), N));
        check(proptest::collection::vec(any::<i16>(), N));
        check(proptest::collection::vec(any::<i32>(), N));
        check(proptest::collection::vec(any::<i64>(), N));
        check(proptest::collection::vec(any::<i128>(), N));
    }

    #[test]
    fn known_encodings_and_malformed_keys() {
        assert_eq!(0u32.to_parts().unwrap(), ["00000000"]);
        assert_eq!((-1i32).to_parts().unwrap(), ["7fffffff"]);
        assert_eq!(i64::MIN.to_parts().unwrap(), ["0000000000000000"]);
        assert_eq!(true.to_parts().unwrap(), ["1"]);
        assert_eq!(
            ("a".to_string(), 7u8, false).to_parts().unwrap(),
            ["a", "07", "0"]
        );
        assert!(
            u32::from_parts(vec!["123".into()])
                .unwrap_err()
                .contains("expected 8 lowercase hex digits")
        );
        assert!(u16::from_parts(vec!["00ZZ".into()]).is_err());
        assert!(
            u16::from_parts(vec!["00FF".into()]).is_err(),
            "one spelling per value"
        );
        assert!(bool::from_parts(vec!["2".into()]).is_err());
        assert_eq!(
            <(String, u8, bool)>::from_parts(vec!["a".into(), "07".into(), "0".into()]).unwrap(),
            ("a".into(), 7, false)
        );
    }
}

/// A range over integer keys comes back in numeric order, through the peer.
mod numeric_ranges {
    use fabric_contract::prelude::*;
    use fabric_contract::state::Map;
    use fabric_contract::testing::network::TestNetwork;
    use futures_util::StreamExt;

    // ANCHOR: typed
    const HEIGHTS: Map<u64, String> = Map::new("height");

    struct Blocks;

    impl Chaincode for Blocks {
        async fn init(&self, _stub: &Stub) -> Response {
            Response::success(Vec::new())
        }

        async fn invoke(&self, stub: &Stub) -> Response {
            let (function, _) = stub.function_and_params();
            let result = match function.as_str() {
                "fill" => {
                    let mut outcome = Ok(Vec::new());
                    for h in [10u64, 9, 1000, 2, 100, u64::MAX, 0] {
                        if let Err(e) = HEIGHTS.save(stub, &h, &format!("block {h}")).await {
                            outcome = Err(e.to_string());
                        }
                    }
                    outcome
                }
                "list" => match HEIGHTS.range(stub, 2..=1000).await {
                    Ok(stream) => {
                        let keys: Vec<String> = stream
                            .map(|e| e.map(|(k, _)| k.to_string()).unwrap_or_default())
                            .collect()
                            .await;
                        Ok(keys.join(",").into_bytes())
                    }
                    Err(e) => Err(e.to_string()),
                },
                other => Err(format!("unknown {other}")),
            };
            result.map_or_else(Response::error, Response::success)
        }
    }
    // ANCHOR_END: typed

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn integer_keys_iterate_in_numeric_order() {
        let net = TestNetwork::new()
            .chaincode("blocks", Blocks)
            .start()
            .await
            .unwrap();
        let who = fabric_contract::testing::network::anonymous("Org1MSP");
        assert_eq!(
            net.call(&who, "blocks", "fill", [""; 0])
                .submit()
                .await
                .unwrap()
                .status,
            200
        );
        let listed = net
            .call(&who, "blocks", "list", [""; 0])
            .evaluate()
            .await
            .unwrap();
        assert_eq!(
            listed.text(),
            "2,9,10,100,1000",
            "numeric order, not text order (10 < 9 as text)"
        );
    }
}
