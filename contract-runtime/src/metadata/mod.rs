//! The contract metadata document: built once from the contracts' descriptions, lowered to the
//! dialect of Fabric's official schemas, served by `org.hyperledger.fabric:GetMetadata`.

pub mod doc;
mod lower;

use std::collections::BTreeMap;

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use doc::{Components, Contact, ContractDoc, Info, License, MetadataDoc, TransactionDoc};

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
pub fn generator() -> SchemaGenerator {
    SchemaSettings::draft07()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

/// Cargo metadata of the crate declaring a contract, as `#[contract]` reads it (`CARGO_PKG_*`);
/// empty strings where Cargo.toml leaves a field out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PackageAbout {
    /// `description`.
    pub description: &'static str,
    /// `license` (an SPDX expression).
    pub license: &'static str,
    /// `authors`, joined by `:` as Cargo does.
    pub authors: &'static str,
    /// `homepage`.
    pub homepage: &'static str,
    /// `repository`.
    pub repository: &'static str,
}

/// The crate a metadata document describes: its name, version and the rest of its Cargo metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Package {
    /// `CARGO_PKG_NAME`.
    pub(crate) name: &'static str,
    /// `CARGO_PKG_VERSION`.
    pub(crate) version: &'static str,
    /// The other fields.
    pub(crate) about: PackageAbout,
}

/// What a metadata document is built from: the contracts as the contract layer describes them
/// (this module knows nothing of contract sets).
pub(crate) struct Sources<'a> {
    /// Describes every contract of the set, in order, into the generator.
    pub(crate) describe: &'a dyn Fn(&mut SchemaGenerator) -> Vec<ContractDoc>,
    /// The contract clients reach without a `Contract:` prefix.
    pub(crate) default_index: usize,
    /// The crate of the first contract (`info`), if there is one.
    pub(crate) package: Option<Package>,
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
        for (event, schema) in &mut contract.events {
            inline_refs(schema, &inline, 0);
            lower::lower_schema(schema, &format!("{} event {event}", contract.name))?;
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
        bare_refs(&mut schema);
        if let Value::Object(map) = &mut schema {
            map.insert("$id".into(), Value::String(name.clone()));
            map.entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
        }
        schemas.insert(name, schema);
    }

    Ok(MetadataDoc {
        info: sources.package.as_ref().map_or_else(
            || Info {
                title: "undefined".into(),
                version: "latest".into(),
                ..Info::default()
            },
            package_info,
        ),
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

/// The document's `info`, from the Cargo metadata of the crate that declares the (first)
/// contract: `name`, `version`, `description`, `license`, the first of `authors` and
/// `homepage` (else `repository`). Empty Cargo fields are left out.
fn package_info(c: &Package) -> Info {
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let about = &c.about;
    let (author, email) = about
        .authors
        .split(':')
        .next()
        .map(split_author)
        .unwrap_or((None, None));
    let url = non_empty(about.homepage).or_else(|| non_empty(about.repository));
    let contact = (author.is_some() || email.is_some() || url.is_some()).then_some(Contact {
        name: author,
        url,
        email,
    });
    Info {
        title: c.name.to_string(),
        version: c.version.to_string(),
        description: non_empty(about.description),
        contact,
        license: non_empty(about.license).map(|name| License { name, url: None }),
    }
}

/// `Jane Doe <jane@example.com>` → name and e-mail, as Cargo writes authors.
fn split_author(author: &str) -> (Option<String>, Option<String>) {
    let author = author.trim();
    match (author.find('<'), author.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            let name = author[..open].trim();
            let email = author[open + 1..close].trim();
            (
                (!name.is_empty()).then(|| name.to_string()),
                (email.contains('@')).then(|| email.to_string()),
            )
        }
        _ => ((!author.is_empty()).then(|| author.to_string()), None),
    }
}

fn system_contract() -> ContractDoc {
    ContractDoc {
        info: Info {
            title: SYSTEM_CONTRACT.into(),
            version: "latest".into(),
            ..Info::default()
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
        events: BTreeMap::new(),
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

/// Inside components, references name the target component bare (`{"$ref":"Description"}`),
/// as the Go contract API writes them and Fabric's conformance suite expects: each component
/// has that `$id`. Parameters and returns keep `#/components/schemas/<Name>`.
fn bare_refs(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(name) = target.strip_prefix(COMPONENTS)
            {
                *target = name.to_string();
            }
            map.values_mut().for_each(bare_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(bare_refs),
        _ => {}
    }
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

#[cfg(test)]
mod tests {
    use super::split_author;

    #[test]
    fn authors_split_into_name_and_email() {
        assert_eq!(
            split_author("Jane Doe <jane@example.com>"),
            (Some("Jane Doe".into()), Some("jane@example.com".into()))
        );
        assert_eq!(split_author("Jane Doe"), (Some("Jane Doe".into()), None));
        assert_eq!(split_author("<not-an-email>"), (None, None));
        assert_eq!(split_author(""), (None, None));
    }
}
