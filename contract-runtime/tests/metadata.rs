//! The metadata document validates against all three official schemas (Go draft-07, Node and
//! Java draft-04) from `<workspace>/../shared/spec/schema`, and constructs the schemas reject
//! are refused with an error that names the place.

#![allow(missing_docs)]

use std::path::PathBuf;

use fabric_contract::contract::{ArgFault, Object, TxArg, decode_json};
use fabric_contract::metadata::MetadataError;
use fabric_contract::metadata_json;
use fabric_contract::prelude::*;
use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

mod common;

const SCHEMAS: [&str; 3] = [
    "go-metadata-schema.json",
    "node-contract-schema.json",
    "java-contract-schema.json",
];

/// The official schemas, or `None` (with a message) when the shared spec folder is absent.
fn schema_dir() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.parent()?.to_path_buf();
    let candidates = [
        workspace.join("../shared/spec/schema"),
        workspace.join("../../shared/spec/schema"),
    ];
    let found = candidates
        .into_iter()
        .find(|p| p.join(SCHEMAS[0]).is_file());
    if found.is_none() {
        eprintln!(
            "SKIPPED: the official metadata schemas were not found at <workspace>/../shared/spec/schema; \
             metadata is not validated against them in this run"
        );
    }
    found
}

fn validate_all(doc: &Value) -> Vec<String> {
    let Some(dir) = schema_dir() else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    for name in SCHEMAS {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{name} does not compile: {e}"));
        for error in validator.iter_errors(doc) {
            failures.push(format!("{name}: {error} at {}", error.instance_path()));
        }
    }
    failures
}

#[test]
fn contract_metadata_validates_against_every_official_schema() {
    let json = metadata_json::<common::Set>().unwrap();
    let doc: Value = serde_json::from_str(&json).unwrap();
    let failures = validate_all(&doc);
    assert!(failures.is_empty(), "{failures:#?}\n{json}");
}

/// A contract with access requirements: `x-require` stays within what the schemas allow.
#[derive(Default)]
struct Guarded;

#[contract(name = "Guarded")]
impl Guarded {
    #[evaluate(name = "Audit")]
    #[require(msp = "Org1MSP,Org2MSP", role = "auditor")]
    #[require(ou = "client")]
    async fn audit(&self, _ctx: &EvaluateCtx) -> String {
        "ok".into()
    }
}

#[test]
fn access_requirements_validate_against_every_official_schema() {
    let doc: Value = serde_json::from_str(&metadata_json::<Guarded>().unwrap()).unwrap();
    assert!(doc["contracts"]["Guarded"]["transactions"][0]["x-require"].is_array());
    let failures = validate_all(&doc);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_validator_is_not_vacuous() {
    if schema_dir().is_none() {
        return;
    }
    let json = metadata_json::<common::Set>().unwrap();
    let mut doc: Value = serde_json::from_str(&json).unwrap();
    // A parameter key the schemas forbid, and a component without `$id`.
    doc["contracts"]["AssetTransfer"]["transactions"][0]["parameters"][0]["x"] = Value::Bool(true);
    doc["components"]["schemas"]["Asset"]
        .as_object_mut()
        .unwrap()
        .remove("$id");
    let failures = validate_all(&doc);
    for name in SCHEMAS {
        assert!(
            failures.iter().any(|f| f.starts_with(name)),
            "{name} accepted a broken document"
        );
    }
}

#[test]
fn metadata_matches_go_shapes() {
    let doc: Value = serde_json::from_str(&metadata_json::<common::Set>().unwrap()).unwrap();
    assert_eq!(doc["info"]["title"], "fabric-contract");
    let system = &doc["contracts"]["org.hyperledger.fabric"];
    assert_eq!(
        system["transactions"],
        serde_json::json!([{"name": "GetMetadata", "tag": ["evaluate", "EVALUATE"], "returns": {"type": "string"}}])
    );
    let txs = doc["contracts"]["AssetTransfer"]["transactions"]
        .as_array()
        .unwrap();
    let create = txs.iter().find(|t| t["name"] == "CreateAsset").unwrap();
    assert_eq!(create["description"], "Creates an asset.");
    assert_eq!(
        create["parameters"],
        serde_json::json!([
            {"name": "id", "schema": {"type": "string"}},
            {"name": "color", "schema": {"type": "string"}},
            {"name": "size", "schema": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295u64}},
            {"name": "owner", "schema": {"type": "string"}},
            {"name": "appraised_value", "schema": {"type": "integer", "format": "uint64", "minimum": 0}}
        ])
    );
    assert!(create.get("returns").is_none());
    let transfer = txs.iter().find(|t| t["name"] == "TransferAsset").unwrap();
    assert_eq!(
        transfer["x-errors"],
        serde_json::json!([{"code": "SAME_OWNER", "status": 409, "message": "{0} already owns it"}]),
        "codes of the error type, from #[derive(ContractError)]"
    );
    let echo = txs.iter().find(|t| t["name"] == "echo").unwrap();
    assert!(
        echo.get("x-errors").is_none(),
        "an infallible method has no x-errors"
    );
    let read = txs.iter().find(|t| t["name"] == "ReadAsset").unwrap();
    assert_eq!(
        read["returns"],
        serde_json::json!({"$ref": "#/components/schemas/Asset"})
    );
    assert_eq!(read["tag"], serde_json::json!(["evaluate", "EVALUATE"]));
    let echo = txs.iter().find(|t| t["name"] == "echo").unwrap();
    assert_eq!(
        echo["parameters"][3]["schema"],
        serde_json::json!({"type": "string", "format": "byte"})
    );
    assert_eq!(echo["parameters"][4]["required"], false);
    let nothing = txs.iter().find(|t| t["name"] == "Nothing").unwrap();
    assert_eq!(
        nothing["returns"],
        serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/Asset"}})
    );
    // Option fields are not required and carry no null.
    let asset = &doc["components"]["schemas"]["Asset"];
    assert_eq!(
        asset["properties"]["Note"],
        serde_json::json!({"type": "string"})
    );
}

#[test]
fn metadata_is_deterministic() {
    let a = metadata_json::<common::Set>().unwrap();
    let b = metadata_json::<common::Set>().unwrap();
    assert_eq!(a, b);
}

/// A data-carrying enum made a parameter by hand (`#[object]` refuses it at compile time).
#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub enum Shape {
    Circle { r: u32 },
    Square(u32),
}
impl Object for Shape {}

impl TxArg for Shape {
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        decode_json(raw)
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<Self>()
    }
}

#[derive(Default)]
pub struct Shapes;

#[contract]
impl Shapes {
    #[evaluate]
    async fn area(&self, _ctx: &EvaluateCtx, shape: Shape) -> u32 {
        match shape {
            Shape::Circle { r } => 3 * r * r,
            Shape::Square(s) => s * s,
        }
    }
}

#[test]
fn inexpressible_types_are_metadata_errors() {
    let err = metadata_json::<Shapes>().unwrap_err();
    assert!(matches!(err, MetadataError::Unsupported { .. }));
    let text = err.to_string();
    assert!(text.contains("Shapes:area parameter shape"), "{text}");
    assert!(text.contains("oneOf"), "{text}");
    // The transaction still works: decoding does not depend on metadata.
    assert!(Shape::decode(br#"{"Square":3}"#).is_ok());
}

/// An object nesting another, directly and in a list.
#[fabric_contract::object]
pub struct Outer {
    /// Kept first in `required`.
    pub value: i64,
    pub ratio: f64,
    pub inner: Inner,
    pub more: Vec<Inner>,
    pub note: Option<String>,
}

/// The nested object.
#[fabric_contract::object]
pub struct Inner {
    pub id: String,
}

#[derive(Default)]
pub struct Nesting;

#[contract]
impl Nesting {
    #[evaluate]
    async fn echo(&self, _ctx: &EvaluateCtx, outer: Outer) -> Outer {
        outer
    }
}

#[test]
fn components_reference_nested_components_by_bare_name_and_list_required_in_order() {
    let doc: Value = serde_json::from_str(&metadata_json::<Nesting>().unwrap()).unwrap();
    let echo = &doc["contracts"]["Nesting"]["transactions"][0];
    let outer_ref = serde_json::json!({"$ref": "#/components/schemas/Outer"});
    assert_eq!(echo["parameters"][0]["schema"], outer_ref);
    assert_eq!(echo["returns"], outer_ref);
    let outer = &doc["components"]["schemas"]["Outer"];
    assert_eq!(outer["$id"], "Outer");
    assert_eq!(outer["additionalProperties"], false);
    assert_eq!(
        outer["required"],
        serde_json::json!(["value", "ratio", "inner", "more"])
    );
    let props = &outer["properties"];
    assert_eq!(props["inner"], serde_json::json!({"$ref": "Inner"}));
    assert_eq!(
        props["more"],
        serde_json::json!({"type": "array", "items": {"$ref": "Inner"}})
    );
    assert_eq!(
        props["ratio"],
        serde_json::json!({"type": "number", "format": "double"})
    );
    assert_eq!(props["note"], serde_json::json!({"type": "string"}));
    assert_eq!(
        doc["components"]["schemas"]["Inner"]["required"],
        serde_json::json!(["id"])
    );
    let failures = validate_all(&doc);
    assert!(failures.is_empty(), "{failures:#?}");
}
