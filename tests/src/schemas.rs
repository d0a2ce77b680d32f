//! Validation of a metadata document against the official contract-metadata
//! schemas kept in `../shared/spec/schema` (Go draft-07, Node and Java draft-04).

use std::path::PathBuf;

use serde_json::Value;

/// The official schema files, in the order they are checked.
pub const SCHEMAS: [&str; 3] = [
    "go-metadata-schema.json",
    "node-contract-schema.json",
    "java-contract-schema.json",
];

/// Where the schemas are, or `None` (after printing why) when the shared
/// folder is absent: CI and developers' machines have it beside the checkout.
pub fn schema_dir() -> Option<PathBuf> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let found = [
        workspace.join("../shared/spec/schema"),
        workspace.join("../../shared/spec/schema"),
    ]
    .into_iter()
    .find(|dir| dir.join(SCHEMAS[0]).is_file());
    if found.is_none() {
        eprintln!(
            "SKIPPED: the official metadata schemas are not at <workspace>/../shared/spec/schema; not validated in this run"
        );
    }
    found
}

/// Every violation of every official schema by `document` (empty when valid),
/// or `None` when the schemas are not available.
pub fn violations(document: &Value) -> Option<Vec<String>> {
    let dir = schema_dir()?;
    let mut failures = Vec::new();
    for name in SCHEMAS {
        let text = std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let schema: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{name} does not compile: {e}"));
        failures.extend(
            validator
                .iter_errors(document)
                .map(|e| format!("{name}: {e} at {}", e.instance_path())),
        );
    }
    Some(failures)
}

/// The checks every example makes of its metadata: valid against the official
/// schemas (when available) and equal to the `metadata.json` committed in
/// `manifest_dir`, so interface drift shows up in review.
pub fn check_example_metadata(document: &str, manifest_dir: &str, package: &str) {
    let value: Value = serde_json::from_str(document).expect("the metadata is JSON");
    if let Some(violations) = violations(&value) {
        assert!(violations.is_empty(), "{violations:#?}");
    }
    let path = PathBuf::from(manifest_dir).join("metadata.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed.trim_end(),
        document,
        "{} is out of date: run `cargo run -p {package} -- metadata --out {}`",
        path.display(),
        path.display()
    );
}

/// Why a transaction's result does not match the `returns` schema its contract publishes in
/// `metadata` (empty when it does). `$ref`s resolve to the document's `components`.
///
/// The payload is read as the contract API encodes it: raw text for a `string` schema, JSON
/// otherwise; an empty payload is "no value" (Go's nil) and always passes.
pub fn result_violations(
    metadata: &Value,
    contract: &str,
    transaction: &str,
    payload: &[u8],
) -> Vec<String> {
    let Some(tx) = metadata["contracts"][contract]["transactions"]
        .as_array()
        .and_then(|txs| txs.iter().find(|t| t["name"] == transaction))
    else {
        return vec![format!("{contract}:{transaction} is not in the metadata")];
    };
    let Some(returns) = tx.get("returns") else {
        return if payload.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "{transaction} publishes no return value but answered {payload:?}"
            )]
        };
    };
    if payload.is_empty() {
        return Vec::new();
    }
    let value = if returns["type"] == "string" && returns.get("format").is_none() {
        match std::str::from_utf8(payload) {
            Ok(text) => Value::String(text.to_string()),
            Err(e) => return vec![format!("{transaction}: a string result is not UTF-8: {e}")],
        }
    } else {
        match serde_json::from_slice(payload) {
            Ok(v) => v,
            Err(e) => return vec![format!("{transaction}: the result is not JSON: {e}")],
        }
    };
    schema_violations(metadata, returns, &value)
        .into_iter()
        .map(|e| format!("{transaction}: {e}"))
        .collect()
}

/// Why `value` does not match `schema`, a schema taken from `metadata` (a `returns`, an
/// `x-events` entry); `$ref`s resolve to the document's components.
pub fn schema_violations(metadata: &Value, schema: &Value, value: &Value) -> Vec<String> {
    // The schema with the components beside it, so `#/components/schemas/X` resolves.
    // Components carry `$id`s naming themselves, which would move the base of references inside
    // them; they are dropped here since every reference in the document is absolute.
    let mut components = metadata["components"].clone();
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for schema in schemas.values_mut() {
            if let Value::Object(map) = schema {
                map.remove("$id");
            }
        }
    }
    let mut root = schema.clone();
    if let Value::Object(map) = &mut root {
        map.insert("components".into(), components);
    }
    let validator = match jsonschema::validator_for(&root) {
        Ok(v) => v,
        Err(e) => return vec![format!("the schema does not compile: {e}")],
    };
    validator
        .iter_errors(value)
        .map(|e| format!("{value} does not match: {e} at {}", e.instance_path()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata() -> Value {
        json!({
            "contracts": {"C": {"transactions": [
                {"name": "Read", "returns": {"$ref": "#/components/schemas/Auction"}},
                {"name": "Owner", "returns": {"type": "string"}},
                {"name": "Nothing"}
            ]}},
            "components": {"schemas": {"Auction": {
                "$id": "Auction",
                "type": "object",
                "properties": {"id": {"type": "string"}, "winner": {"type": "string"}},
                "required": ["id"],
                "additionalProperties": false
            }}}
        })
    }

    #[test]
    fn results_are_checked_against_resolved_references() {
        let m = metadata();
        assert!(result_violations(&m, "C", "Read", br#"{"id":"a1"}"#).is_empty());
        assert!(result_violations(&m, "C", "Read", br#"{"id":"a1","winner":"bob"}"#).is_empty());
        assert!(!result_violations(&m, "C", "Read", br#"{"id":"a1","winner":null}"#).is_empty());
        assert!(!result_violations(&m, "C", "Read", br#"{"winner":"bob"}"#).is_empty());
        assert!(result_violations(&m, "C", "Owner", b"raw text").is_empty());
        assert!(result_violations(&m, "C", "Read", b"").is_empty());
        assert!(!result_violations(&m, "C", "Nothing", b"x").is_empty());
        assert!(!result_violations(&m, "C", "Missing", b"").is_empty());
    }
}
