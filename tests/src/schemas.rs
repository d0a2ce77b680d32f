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
