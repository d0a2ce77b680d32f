//! The conformance chaincodes against the suite's interface files and behaviour table.
//!
//! - metadata: each chaincode's `GetMetadata` document validates against the suite's
//!   `contract-schema.json` and the official schemas, equals its committed `metadata/<name>.json`,
//!   and has exactly the contracts, transactions, parameters, returns and components of the
//!   suite's JSON file (with the corrections of the suite's scenarios: `existsState` in `simple`,
//!   `sent` for every `advancedtypes` parameter, the string `passAfterValue` returns);
//! - behaviour: every transaction, error and transient-data path, through the testing kit over
//!   both transports (in memory and loopback gRPC), and `ccaas` as a real process dialled by the
//!   emulated peer.
//!
//! The suite's files are read from `<workspace>/../shared/spec/conformance`; the checks needing
//! them are skipped, with a message, when that folder is absent.

#![allow(missing_docs)]

use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use conformance::advancedtypes::AdvancedTypesContract;
use conformance::private::PrivateContract;
use conformance::simple::SimpleContract;
use conformance::transactionhooks::TransactionHookContract;
use fabric_contract::ContractChaincode;
use fabric_contract::contract::ContractSet;
use fabric_contract::testing::network::{Outcome, TestNetwork, Transport, anonymous};
use fabric_contract::testing::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Metadata

/// The suite's files, or `None` (after saying so) when the shared folder is absent.
fn conformance_dir() -> Option<PathBuf> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let found = [
        workspace.join("../shared/spec/conformance"),
        workspace.join("../../shared/spec/conformance"),
    ]
    .into_iter()
    .find(|dir| dir.join("contract-schema.json").is_file());
    if found.is_none() {
        eprintln!(
            "SKIPPED: the conformance suite's files are not at <workspace>/../shared/spec/conformance; \
             the interface comparison does not run"
        );
    }
    found
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The document, checked against the committed file and every schema; returned parsed.
fn checked_metadata<S: ContractSet>(name: &str) -> Value {
    let document = fabric_contract::metadata_json::<S>().unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("metadata/{name}.json"));
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed.trim_end(),
        document,
        "{} is out of date: run `cargo run -p conformance --bin {name} -- metadata --out {}`",
        path.display(),
        path.display()
    );
    let value: Value = serde_json::from_str(&document).unwrap();
    if let Some(violations) = fabric_contract_tests::schemas::violations(&value) {
        assert!(violations.is_empty(), "{name}: {violations:#?}");
    }
    if let Some(dir) = conformance_dir() {
        let schema = read_json(dir.join("contract-schema.json"));
        let validator = jsonschema::validator_for(&schema).expect("contract-schema.json compiles");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} against contract-schema.json: {errors:#?}"
        );
    }
    value
}

/// The suite's description of a chaincode, with the corrections its scenarios make.
fn expected_interface(file: &str) -> Option<Value> {
    let mut expected = read_json(conformance_dir()?.join(file));
    let contracts = expected["contracts"].as_object_mut().unwrap();
    for contract in contracts.values_mut() {
        let txs = contract["transactions"].as_array_mut().unwrap();
        if file == "simple.json" {
            txs.push(json!({
                "name": "existsState",
                "parameters": [{"name": "key", "schema": {"type": "string"}}],
                "returns": {"type": "boolean"},
                "tag": []
            }));
        }
        if file == "transactionhooks.json" {
            // The file leaves out what its own description says: it returns `passToAfter`.
            for tx in txs.iter_mut().filter(|t| t["name"] == "passAfterValue") {
                tx["returns"] = json!({"type": "string"});
            }
        }
        if file == "advancedtypes.json" {
            for tx in txs.iter_mut() {
                for p in tx["parameters"].as_array_mut().into_iter().flatten() {
                    p["name"] = json!("sent");
                }
            }
        }
    }
    Some(expected)
}

/// Exactly the contracts, transactions, parameters, returns, submit tags and components of the
/// suite's file. Descriptions, `info` and our `x-` extensions are not part of the interface.
fn assert_interface(actual: &Value, file: &str) {
    let Some(expected) = expected_interface(file) else {
        return;
    };
    let ours: Vec<&String> = actual["contracts"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "org.hyperledger.fabric")
        .collect();
    // The files key a contract by an arbitrary label (private.json says `SimpleContract`); the
    // contract's name is what clients and the suite use.
    let theirs: Vec<&Value> = expected["contracts"]
        .as_object()
        .unwrap()
        .values()
        .collect();
    assert_eq!(ours.len(), theirs.len(), "{file}: contracts {ours:?}");
    for want in theirs {
        let name = want["name"].as_str().unwrap();
        let got = &actual["contracts"][name];
        assert!(
            got.is_object(),
            "{file}: no contract {name} (have {ours:?})"
        );
        let mut want_txs: Vec<&Value> = want["transactions"].as_array().unwrap().iter().collect();
        let mut got_txs: Vec<&Value> = got["transactions"].as_array().unwrap().iter().collect();
        want_txs.sort_by_key(|t| t["name"].as_str().unwrap().to_string());
        got_txs.sort_by_key(|t| t["name"].as_str().unwrap().to_string());
        let names = |txs: &[&Value]| -> Vec<String> {
            txs.iter()
                .map(|t| t["name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            names(&got_txs),
            names(&want_txs),
            "{file}: transactions of {name}"
        );
        for (got, want) in got_txs.iter().zip(&want_txs) {
            let tx = want["name"].as_str().unwrap();
            let params = |t: &Value| -> Vec<Value> {
                t["parameters"]
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| json!({"name": p["name"], "schema": p["schema"]}))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            assert_eq!(params(got), params(want), "{file}: parameters of {tx}");
            assert_eq!(
                got.get("returns"),
                want.get("returns"),
                "{file}: returns of {tx}"
            );
            let submits = |t: &Value| {
                t["tag"]
                    .as_array()
                    .is_some_and(|tags| tags.iter().any(|x| x == "submit"))
            };
            assert_eq!(
                submits(got),
                submits(want),
                "{file}: {tx} is submit in one only"
            );
        }
    }
    let empty = json!({});
    let want_components = expected["components"]
        .get("schemas")
        .unwrap_or(&empty)
        .as_object()
        .unwrap();
    let got_components = actual["components"]["schemas"].as_object().unwrap();
    assert_eq!(
        got_components.keys().collect::<Vec<_>>(),
        want_components.keys().collect::<Vec<_>>(),
        "{file}: components"
    );
    for (component, want) in want_components {
        let got = &got_components[component];
        for key in ["$id", "properties", "required", "additionalProperties"] {
            assert_eq!(
                got.get(key),
                want.get(key),
                "{file}: {key} of component {component}"
            );
        }
        for (key, value) in got.as_object().unwrap() {
            let extra_ok = (key == "type" && value == "object") || key == "description";
            assert!(
                want.get(key).is_some() || extra_ok,
                "{file}: component {component} has {key} = {value}"
            );
        }
    }
}

#[test]
fn simple_metadata_is_the_suites_interface() {
    assert_interface(&checked_metadata::<SimpleContract>("simple"), "simple.json");
}

#[test]
fn advancedtypes_metadata_is_the_suites_interface() {
    let doc = checked_metadata::<AdvancedTypesContract>("advancedtypes");
    assert_interface(&doc, "advancedtypes.json");
    // What the suite's metadata feature checks, independent of the shared files.
    let tx = |name: &str| {
        doc["contracts"]["AdvancedTypesContract"]["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .cloned()
            .unwrap()
    };
    let int64 = json!({"type": "integer", "format": "int64"});
    assert_eq!(
        tx("callAndResponseInt")["parameters"],
        json!([{"name": "sent", "schema": int64}])
    );
    assert_eq!(tx("callAndResponseInt")["returns"], int64);
    assert_eq!(
        tx("getFloat")["returns"],
        json!({"type": "number", "format": "double"})
    );
    assert_eq!(
        tx("callAndResponseComplexAsset")["returns"],
        json!({"$ref": "#/components/schemas/ComplexAsset"})
    );
    let complex = &doc["components"]["schemas"]["ComplexAsset"];
    assert_eq!(
        complex["properties"]["description"],
        json!({"$ref": "Description"})
    );
    assert_eq!(complex["required"], json!(["id", "value", "description"]));
}

#[test]
fn transactionhooks_metadata_is_the_suites_interface() {
    let doc = checked_metadata::<TransactionHookContract>("transactionhooks");
    assert_interface(&doc, "transactionhooks.json");
}

#[test]
fn private_metadata_is_the_suites_interface() {
    assert_interface(
        &checked_metadata::<PrivateContract>("private"),
        "private.json",
    );
}

// ---------------------------------------------------------------------------------------------
// Behaviour

const TRANSPORTS: [Transport; 2] = [Transport::Memory, Transport::Grpc];

fn org(n: u8) -> Vec<u8> {
    anonymous(&format!("Org{n}MSP"))
}

#[track_caller]
fn ok(outcome: &Outcome) -> String {
    assert_eq!(outcome.status, 200, "expected success: {}", outcome.message);
    outcome.text()
}

#[track_caller]
fn failed(outcome: &Outcome) -> &str {
    assert_eq!(outcome.status, 500, "expected an error: {outcome:?}");
    assert!(
        outcome.writes.is_empty(),
        "a failed transaction writes nothing"
    );
    &outcome.message
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The `simple` scenarios, over any way of submitting (`true`) or evaluating a call.
async fn simple_scenario<F, Fut>(call: F)
where
    F: Fn(bool, Vec<String>) -> Fut,
    Fut: Future<Output = Outcome>,
{
    assert_eq!(ok(&call(false, args(&["helloWorld"])).await), "Hello World");
    assert_eq!(
        ok(&call(false, args(&["callAndResponse", "Ping"])).await),
        "Ping"
    );
    let put = call(true, args(&["putState", "KEY_1", "VALUE_1"])).await;
    assert_eq!((ok(&put), put.writes.len()), (String::new(), 1));
    assert_eq!(
        ok(&call(false, args(&["getState", "KEY_1"])).await),
        "VALUE_1"
    );
    assert_eq!(
        ok(&call(false, args(&["existsState", "KEY_1"])).await),
        "true"
    );
    ok(&call(true, args(&["deleteState", "KEY_1"])).await);
    assert_eq!(
        ok(&call(false, args(&["existsState", "KEY_1"])).await),
        "false"
    );
    assert_eq!(ok(&call(false, args(&["getState", "KEY_1"])).await), "");
    // Errors: wrong argument counts, unknown functions, a key the peer refuses.
    let short = call(true, args(&["putState", "KEY_1"])).await;
    assert!(
        failed(&short).contains("incorrect number of params"),
        "{}",
        short.message
    );
    let unknown = call(false, args(&["goodbyeWorld"])).await;
    assert_eq!(
        failed(&unknown),
        "Function goodbyeWorld not found in contract SimpleContract"
    );
    let empty_key = call(true, args(&["putState", "", "v"])).await;
    assert!(!failed(&empty_key).is_empty());
}

async fn network<C: fabric_contract::Chaincode>(
    transport: Transport,
    def: ChaincodeDefinition,
    chaincode: C,
) -> TestNetwork {
    TestNetwork::new()
        .transport(transport)
        .chaincode_with(def, chaincode)
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_over_both_transports() {
    for transport in TRANSPORTS {
        let net = network(
            transport,
            ChaincodeDefinition::new("simple"),
            ContractChaincode::new(SimpleContract),
        )
        .await;
        let who = org(1);
        simple_scenario(|submit, args| {
            let call = net.call(&who, "simple", &args[0], &args[1..]);
            async move {
                if submit {
                    call.submit().await.unwrap()
                } else {
                    call.evaluate().await.unwrap()
                }
            }
        })
        .await;
    }
}

/// Kills the chaincode process when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ccaas_serves_simple_as_a_service() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let id = "ccaas_1.0:0000";
    let child = Command::new(env!("CARGO_BIN_EXE_ccaas"))
        .env("CHAINCODE_SERVER_ADDRESS", &address)
        .env("CHAINCODE_ID", id)
        .env_remove("CORE_CHAINCODE_ID_NAME")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let _process = Process(child);
    let peer = EmulatedPeer::new(
        PeerOptions::default().chaincode(ChaincodeDefinition::new("ccaas").registration_id(id)),
    );
    let target = format!("http://{address}");
    let mut connected = Err(String::new());
    for _ in 0..200 {
        connected = peer
            .connect_ccaas(&target, None)
            .await
            .map_err(|e| e.to_string());
        if connected.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    connected.expect("the peer reaches the ccaas chaincode");
    peer.wait_registered(id, Duration::from_secs(20))
        .await
        .unwrap();
    simple_scenario(|submit, args| {
        let invocation = if submit {
            Invocation::submit("ccaas", &args)
        } else {
            Invocation::evaluate("ccaas", &args)
        };
        let peer = &peer;
        async move { Outcome::from(peer.invoke(invocation).await.unwrap()) }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advancedtypes_over_both_transports() {
    for transport in TRANSPORTS {
        let net = network(
            transport,
            ChaincodeDefinition::new("advancedtypes"),
            ContractChaincode::new(AdvancedTypesContract),
        )
        .await;
        let who = org(1);
        let eval = |function: &str, args: &[&str]| {
            net.call(&who, "advancedtypes", function, args.to_vec())
                .evaluate()
        };
        let text = |outcome: Result<Outcome, _>| ok(&outcome.unwrap());
        let json = |outcome: Result<Outcome, _>| -> Value {
            serde_json::from_str(&text(outcome)).unwrap()
        };
        assert_eq!(text(eval("getInt", &[]).await), "1");
        assert_eq!(text(eval("getFloat", &[]).await), "1.1");
        assert_eq!(text(eval("getBool", &[]).await), "true");
        assert_eq!(text(eval("getArray", &[]).await), "[1,2,3]");
        assert_eq!(
            json(eval("getBasicAsset", &[]).await),
            json!({"id": "OBJECT_1", "value": 100})
        );
        assert_eq!(
            json(eval("getComplexAsset", &[]).await),
            json!({"id": "OBJECT_2", "value": 100, "description": {"colour": "Vermillion", "owners": ["Alice", "Bob"]}})
        );
        assert_eq!(text(eval("callAndResponseInt", &["2"]).await), "3");
        assert_eq!(text(eval("callAndResponseInt", &["-9"]).await), "-8");
        assert_eq!(text(eval("callAndResponseBool", &["false"]).await), "true");
        assert_eq!(text(eval("callAndResponseBool", &["true"]).await), "false");
        assert_eq!(text(eval("callAndResponseFloat", &["2.5"]).await), "2.5");
        assert_eq!(
            text(eval("callAndResponseArray", &["[true,false]"]).await),
            "[true,false]"
        );
        let basic = r#"{"id": "OBJECT_3", "value": 200}"#;
        assert_eq!(
            json(eval("callAndResponseBasicAsset", &[basic]).await),
            json!({"id": "OBJECT_3", "value": 200})
        );
        let complex = r#"{"id": "OBJECT_4", "value": 200, "description": {"colour": "red", "owners": ["andy", "matthew"]}}"#;
        assert_eq!(
            json(eval("callAndResponseComplexAsset", &[complex]).await),
            serde_json::from_str::<Value>(complex).unwrap()
        );
        // Bad input is an error response, never a crash.
        let overflow = eval("callAndResponseInt", &["9223372036854775807"])
            .await
            .unwrap();
        assert_eq!(
            failed(&overflow),
            "9223372036854775807 + 1 does not fit in a 64-bit integer"
        );
        let not_int = eval("callAndResponseInt", &["two"]).await.unwrap();
        assert!(
            failed(&not_int).contains("parameter sent"),
            "{}",
            not_int.message
        );
        let not_array = eval("callAndResponseArray", &["[1]"]).await.unwrap();
        assert!(!failed(&not_array).is_empty());
        let missing = eval("callAndResponseBasicAsset", &[r#"{"id": "X"}"#])
            .await
            .unwrap();
        assert!(failed(&missing).contains("value"), "{}", missing.message);
        let extra = r#"{"id": "X", "value": 1, "colour": "red"}"#;
        let extra = eval("callAndResponseBasicAsset", &[extra]).await.unwrap();
        assert!(failed(&extra).contains("colour"), "{}", extra.message);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactionhooks_over_both_transports() {
    for transport in TRANSPORTS {
        let net = network(
            transport,
            ChaincodeDefinition::new("hooks"),
            ContractChaincode::new(TransactionHookContract),
        )
        .await;
        let who = org(1);
        let call = |function: &str, args: &[&str], transient: &[(&str, &str)]| {
            transient.iter().fold(
                net.call(&who, "hooks", function, args.to_vec()),
                |call, (k, v)| call.transient(k, v),
            )
        };
        let kept = [("before_key", "KEY_1"), ("before_value", "VALUE_1")];
        let with = |extra: (&'static str, &'static str)| {
            let mut all = kept.to_vec();
            all.push(extra);
            all
        };

        let before = call("writeBeforeValue", &[], &[("fail", "BEFORE")])
            .evaluate()
            .await;
        assert_eq!(failed(&before.unwrap()), "Before transaction failed");
        let named = call("writeBeforeValue", &[], &with(("fail", "NAMED")))
            .evaluate()
            .await;
        assert_eq!(failed(&named.unwrap()), "Named transaction failed");
        let after = call("writeBeforeValue", &[], &with(("fail", "AFTER")))
            .evaluate()
            .await;
        assert_eq!(failed(&after.unwrap()), "After transaction failed");
        // A submitted transaction the after hook fails is not committed.
        let after = call("writeBeforeValue", &[], &with(("fail", "AFTER")))
            .submit()
            .await;
        assert_eq!(failed(&after.unwrap()), "After transaction failed");
        assert_eq!(net.state("hooks", "KEY_1"), None);
        let nothing = call("writeBeforeValue", &[], &[]).submit().await.unwrap();
        assert_eq!(
            failed(&nothing),
            "writeBeforeValue needs the transient entries before_key and before_value"
        );

        // The before hook's context reaches the method; a method returning nothing gives the
        // after hook no value to store.
        let written = call("writeBeforeValue", &[], &with(("after_key", "KEY_3")))
            .submit()
            .await;
        assert_eq!(ok(&written.unwrap()), "");
        assert_eq!(
            net.state("hooks", "KEY_1").as_deref(),
            Some(&b"VALUE_1"[..])
        );
        assert_eq!(net.state("hooks", "KEY_3"), None);

        // The after hook stores the returned value under after_key.
        let passed = call(
            "passAfterValue",
            &["VALUE_2"],
            &with(("after_key", "KEY_2")),
        )
        .submit()
        .await;
        assert_eq!(ok(&passed.unwrap()), "VALUE_2");
        assert_eq!(
            net.state("hooks", "KEY_2").as_deref(),
            Some(&b"VALUE_2"[..])
        );
        let plain = call("passAfterValue", &["VALUE_4"], &[])
            .submit()
            .await
            .unwrap();
        assert_eq!((ok(&plain), plain.writes.len()), ("VALUE_4".to_string(), 0));
        let named = call("passAfterValue", &["x"], &[("fail", "NAMED")])
            .submit()
            .await
            .unwrap();
        assert_eq!(ok(&named), "x", "only writeBeforeValue fails on NAMED");
    }
}

/// The collection as the suite defines it (memberOnlyRead), from the file committed here.
fn private_definition(member_only_write: bool) -> ChaincodeDefinition {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("collections_config.json");
    let mut config: Value = read_json(path);
    config[0]["memberOnlyWrite"] = json!(member_only_write);
    ChaincodeDefinition::new("private")
        .collections_config(&config.to_string())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_over_both_transports() {
    for transport in TRANSPORTS {
        let net = network(
            transport,
            private_definition(false),
            ContractChaincode::new(PrivateContract),
        )
        .await;
        let private = |key: &str| {
            net.ledger()
                .get_private_data(net.channel(), "private", "Org1AndOrg2", key)
        };
        let put = net.call(&org(1), "private", "putPrivateState", ["KEY_1", "VALUE_1"]);
        ok(&put.submit().await.unwrap());
        assert_eq!(private("KEY_1").as_deref(), Some(&b"VALUE_1"[..]));
        for member in [1, 2] {
            let read = net.call(&org(member), "private", "getPrivateState", ["KEY_1"]);
            assert_eq!(ok(&read.evaluate().await.unwrap()), "VALUE_1");
        }
        let outsider = net.call(&org(3), "private", "getPrivateState", ["KEY_1"]);
        assert_eq!(
            failed(&outsider.evaluate().await.unwrap()),
            "Could not read private collection Org1AndOrg2"
        );
        let missing = net.call(&org(2), "private", "getPrivateState", ["KEY_9"]);
        assert_eq!(ok(&missing.evaluate().await.unwrap()), "");
        // Writing is not member-only in the suite's collection.
        let by_org3 = net.call(&org(3), "private", "putPrivateState", ["KEY_3", "VALUE_3"]);
        ok(&by_org3.submit().await.unwrap());
        let delete = net.call(&org(2), "private", "deletePrivateState", ["KEY_1"]);
        ok(&delete.submit().await.unwrap());
        assert_eq!(private("KEY_1"), None);
        let short = net.call(&org(1), "private", "putPrivateState", ["KEY_1"]);
        assert!(failed(&short.submit().await.unwrap()).contains("incorrect number of params"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_only_write_refuses_outsiders() {
    let net = network(
        Transport::Memory,
        private_definition(true),
        ContractChaincode::new(PrivateContract),
    )
    .await;
    let by_org3 = net.call(&org(3), "private", "putPrivateState", ["KEY_3", "VALUE_3"]);
    let refused = by_org3.submit().await.unwrap();
    assert!(
        failed(&refused).contains(
            "tx creator does not have write access permission on privatedata in chaincodeName:private collectionName: Org1AndOrg2"
        ),
        "{}",
        refused.message
    );
    let delete = net.call(&org(3), "private", "deletePrivateState", ["KEY_3"]);
    assert!(failed(&delete.submit().await.unwrap()).contains("write access permission"));
    let by_org2 = net.call(&org(2), "private", "putPrivateState", ["KEY_2", "VALUE_2"]);
    ok(&by_org2.submit().await.unwrap());
    assert_eq!(
        net.ledger()
            .get_private_data(net.channel(), "private", "Org1AndOrg2", "KEY_2")
            .as_deref(),
        Some(&b"VALUE_2"[..])
    );
}
