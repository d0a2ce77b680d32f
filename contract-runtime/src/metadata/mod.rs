//! The contract metadata document: built once from the contracts' descriptions, lowered to the
//! dialect of Fabric's official schemas, served by `org.hyperledger.fabric:GetMetadata`.

pub mod doc;
mod lower;

use std::collections::BTreeMap;

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use doc::{Components, ContractDoc, Info, MetadataDoc, TransactionDoc};

/// The system contract every chaincode serves.
pub const SYSTEM_CONTRACT: &str = "org.hyperledger.fabric";

const COMPONENTS: &str = "#/components/schemas/";

/// Why the metadata cannot be built: a type in the interface has no Fabric representation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// A schema uses a construct the official metadata schemas reject.
    #[error("the metadata cannot describe {at}: it uses {what}")]
    Unsupported {
        /// Where: contract, transaction and parameter, or component.
        at: String,
        /// The construct.
        what: String,
    },
    /// Two contracts describe themselves under one name.
    #[error("two contracts are named {0}")]
    DuplicateContract(String),
}

/// The schema generator the generated `describe` functions receive: references point into
/// `#/components/schemas/`, and there is no `$schema` key.
pub(crate) fn generator() -> SchemaGenerator {
    SchemaSettings::draft07()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

/// What a metadata document is built from: the contracts as the contract layer describes them
/// (this module knows nothing of contract sets).
pub(crate) struct Sources<'a> {
    /// Describes every contract of the set, in order, into the generator.
    pub(crate) describe: &'a dyn Fn(&mut SchemaGenerator) -> Vec<ContractDoc>,
    /// The contract clients reach without a `Contract:` prefix.
    pub(crate) default_index: usize,
    /// The package name and version of the first contract (`info`), if there is one.
    pub(crate) package: Option<(&'static str, &'static str)>,
}

/// Builds the metadata document of a contract set.
pub(crate) fn build(sources: &Sources<'_>) -> Result<MetadataDoc, MetadataError> {
    let mut generator = generator();
    let raw = (sources.describe)(&mut generator);
    let definitions = generator.take_definitions(true);
    let (objects, inline) = split_definitions(definitions);

    let mut contracts = BTreeMap::new();
    for (index, mut contract) in raw.into_iter().enumerate() {
        // Without a `default` mark the first contract is the default (as in Go).
        contract.default = index == sources.default_index;
        for tx in &mut contract.transactions {
            lower_transaction(tx, &contract.name, &inline)?;
        }
        contract.transactions.sort_by(|a, b| a.name.cmp(&b.name));
        let name = contract.name.clone();
        if contracts.insert(name.clone(), contract).is_some() || name == SYSTEM_CONTRACT {
            return Err(MetadataError::DuplicateContract(name));
        }
    }
    contracts.insert(SYSTEM_CONTRACT.to_string(), system_contract());

    let mut schemas = BTreeMap::new();
    for (name, mut schema) in objects {
        inline_refs(&mut schema, &inline, 0);
        let at = format!("component {name}");
        lower::lower_schema(&mut schema, &at)?;
        if let Value::Object(map) = &mut schema {
            map.insert("$id".into(), Value::String(name.clone()));
            map.entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
        }
        schemas.insert(name, schema);
    }

    Ok(MetadataDoc {
        info: Info {
            title: sources.package.map_or("undefined", |p| p.0).to_string(),
            version: sources.package.map_or("latest", |p| p.1).to_string(),
            description: None,
        },
        contracts,
        components: Components { schemas },
    })
}

/// The metadata document as canonical JSON (the `GetMetadata` payload).
pub(crate) fn to_json(sources: &Sources<'_>) -> Result<String, MetadataError> {
    let doc = build(sources)?;
    crate::json::to_canonical_string(&doc).map_err(|e| MetadataError::Unsupported {
        at: "the document".into(),
        what: e.to_string(),
    })
}

fn system_contract() -> ContractDoc {
    ContractDoc {
        info: Info {
            title: SYSTEM_CONTRACT.into(),
            version: "latest".into(),
            description: None,
        },
        name: SYSTEM_CONTRACT.into(),
        transactions: vec![TransactionDoc {
            name: "GetMetadata".into(),
            tag: vec!["evaluate".into(), "EVALUATE".into()],
            parameters: Vec::new(),
            returns: Some(serde_json::json!({"type": "string"})),
            description: None,
            transient: Vec::new(),
            errors: Vec::new(),
            require: Vec::new(),
        }],
        default: false,
    }
}

fn lower_transaction(
    tx: &mut TransactionDoc,
    contract: &str,
    inline: &BTreeMap<String, Value>,
) -> Result<(), MetadataError> {
    let at = |what: &str| format!("{contract}:{} {what}", tx.name);
    let fix = |schema: &mut Value, what: String| {
        inline_refs(schema, inline, 0);
        lower::lower_schema(schema, &what)
    };
    for p in &mut tx.parameters {
        fix(&mut p.schema, at(&format!("parameter {}", p.name)))?;
    }
    for p in &mut tx.transient {
        fix(&mut p.schema, at(&format!("transient {}", p.name)))?;
    }
    if let Some(r) = &mut tx.returns {
        fix(r, at("return value"))?;
    }
    Ok(())
}

/// Object types stay components; everything else (newtypes, unit enums) is inlined where it is
/// used, since the official schemas require every component to have `properties`.
fn split_definitions(
    definitions: Map<String, Value>,
) -> (BTreeMap<String, Value>, BTreeMap<String, Value>) {
    let mut objects = BTreeMap::new();
    let mut inline = BTreeMap::new();
    for (name, schema) in definitions {
        let is_object = schema.get("properties").is_some()
            || (schema.get("type").and_then(Value::as_str) == Some("object")
                && schema
                    .get("additionalProperties")
                    .is_none_or(|a| !a.is_object()));
        if is_object {
            objects.insert(name, schema);
        } else {
            inline.insert(name, schema);
        }
    }
    (objects, inline)
}

fn inline_refs(schema: &mut Value, inline: &BTreeMap<String, Value>, depth: usize) {
    match schema {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(COMPONENTS))
                .and_then(|name| inline.get(name));
            if let Some(body) = target
                && depth < 32
            {
                map.remove("$ref");
                if let Value::Object(body) = body.clone() {
                    for (k, v) in body {
                        map.entry(k).or_insert(v);
                    }
                }
                inline_refs(schema, inline, depth + 1);
                return;
            }
            for v in map.values_mut() {
                inline_refs(v, inline, depth + 1);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| inline_refs(v, inline, depth + 1)),
        _ => {}
    }
}
