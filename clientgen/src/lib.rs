//! Typed clients generated from the metadata document a chaincode's `metadata` subcommand prints
//! (the document `org.hyperledger.fabric:GetMetadata` answers): TypeScript on
//! `@hyperledger/fabric-gateway` ([`typescript`]) and Rust on `fabric-dev-gateway`'s Gateway
//! client ([`rust`]).
//!
//! ```
//! let metadata = r#"{"info":{"title":"cc","version":"1"},"contracts":{"C":{"name":"C",
//!   "transactions":[{"name":"Ping","tag":["evaluate"],"returns":{"type":"string"}}]}}}"#;
//! let ts = fabric_contract_clientgen::typescript(metadata).unwrap();
//! assert!(ts.contains("async evaluatePing(): Promise<string>"));
//! let rs = fabric_contract_clientgen::rust(metadata).unwrap();
//! assert!(rs.contains("pub async fn evaluate_ping(&self) -> Result<String, CError>"));
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

mod rust;
mod ts;

/// Why a metadata document could not be turned into a client.
#[derive(Debug)]
pub enum Error {
    /// The document is not JSON.
    Json(serde_json::Error),
    /// The document is JSON but lacks something the generator needs.
    Shape(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Json(e) => write!(f, "metadata is not valid JSON: {e}"),
            Error::Shape(s) => write!(f, "metadata is not a contract metadata document: {s}"),
        }
    }
}

impl std::error::Error for Error {}

fn shape(what: &str) -> Error {
    Error::Shape(format!("expected {what}"))
}

/// Generates the TypeScript client for every contract in `metadata` (the system contract
/// `org.hyperledger.fabric` excluded). The output is deterministic: same metadata, same bytes.
pub fn typescript(metadata: &str) -> Result<String, Error> {
    ts::generate(&Document::parse(metadata)?)
}

/// Generates the Rust client for every contract in `metadata` (the system contract
/// `org.hyperledger.fabric` excluded): a module for a crate depending on `fabric-dev-gateway`,
/// `serde` (with `derive`) and `serde_json`. The output is deterministic and formatted with
/// `prettyplease`; a crate that commits it should mark the module `#[rustfmt::skip]`.
pub fn rust(metadata: &str) -> Result<String, Error> {
    rust::generate(&Document::parse(metadata)?)
}

/// The parts of a metadata document both generators read.
struct Document {
    title: String,
    version: String,
    /// SHA-256 of the document as served.
    hash: String,
    /// Every contract but the system contract, by name (sorted).
    contracts: Vec<(String, Value)>,
    /// `#/components/schemas`, by name (sorted).
    schemas: Map<String, Value>,
}

impl Document {
    fn parse(metadata: &str) -> Result<Self, Error> {
        let doc: Value = serde_json::from_str(metadata).map_err(Error::Json)?;
        // Trailing whitespace excluded: `metadata --out` adds a newline the served document lacks.
        let hash = Sha256::digest(metadata.trim_end().as_bytes());
        let hash: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let info = doc.get("info").ok_or_else(|| shape("an `info` object"))?;
        let text = |key: &str, default: &str| {
            info.get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string()
        };
        let contracts = doc
            .get("contracts")
            .and_then(Value::as_object)
            .ok_or_else(|| shape("a `contracts` object"))?
            .iter()
            .filter(|(name, _)| *name != "org.hyperledger.fabric")
            .map(|(name, c)| (name.clone(), c.clone()))
            .collect();
        // serde_json's Map is a BTreeMap here (no preserve_order), so iteration is sorted.
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        Ok(Self {
            title: text("title", "chaincode"),
            version: text("version", "unknown"),
            hash,
            contracts,
            schemas,
        })
    }
}

/// A contract's transactions, sorted by name.
fn transactions(contract: &Value) -> Result<Vec<&Value>, Error> {
    let txs = contract
        .get("transactions")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("`transactions` in each contract"))?;
    let mut txs: Vec<&Value> = txs.iter().collect();
    txs.sort_by_key(|t| t.get("name").and_then(Value::as_str).unwrap_or(""));
    Ok(txs)
}

/// One `x-errors` code a contract publishes, as its first declaration gives it.
struct ErrorCode {
    code: String,
    status: u64,
    message: String,
}

/// The `x-errors` codes of a contract's transactions, sorted by code; a code several transactions
/// declare keeps its first declaration, and entries without a code or message are skipped.
fn error_codes(txs: &[&Value]) -> Vec<ErrorCode> {
    let mut by_code: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for tx in txs {
        for e in tx
            .get("x-errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(code), Some(message)) = (
                e.get("code").and_then(Value::as_str),
                e.get("message").and_then(Value::as_str),
            ) else {
                continue;
            };
            let status = e.get("status").and_then(Value::as_u64).unwrap_or(500);
            by_code
                .entry(code.to_string())
                .or_insert((status, message.to_string()));
        }
    }
    by_code
        .into_iter()
        .map(|(code, (status, message))| ErrorCode {
            code,
            status,
            message,
        })
        .collect()
}

fn str_field<'a>(v: &'a Value, key: &str, what: &str) -> Result<&'a str, Error> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| shape(what))
}

/// Whether a transaction is submitted (anything not tagged `evaluate`, as Fabric's clients assume).
fn is_submit(tx: &Value) -> bool {
    !tx.get("tag").and_then(Value::as_array).is_some_and(|tags| {
        tags.iter()
            .filter_map(Value::as_str)
            .any(|t| t.eq_ignore_ascii_case("evaluate"))
    })
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(|r| r.rsplit('/').next().unwrap_or(r))
}

fn schema_type(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

/// How a value crosses the wire as an argument or a result: JSON for objects and arrays,
/// plain text otherwise (as contract-runtime's `ret.rs` encodes them), raw bytes for
/// `{"type":"string","format":"byte"}`.
fn is_json(schema: &Value) -> bool {
    ref_name(schema).is_some() || matches!(schema_type(schema), Some("object") | Some("array"))
}

fn is_bytes(schema: &Value) -> bool {
    schema_type(schema) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("byte")
}

/// Words of an identifier: `ClientAccountID` → client, account, id; `new_owner` → new, owner.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !word.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn snake_case(name: &str) -> String {
    words(name).join("_")
}

fn upper_camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// One piece of an `x-errors` message template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(String),
}

/// Splits an `x-errors` template (`{field}` placeholders, `{{`/`}}` literal braces).
fn template(message: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                for n in chars.by_ref() {
                    if n == '}' {
                        break;
                    }
                    name.push(n);
                }
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                pieces.push(Piece::Field(name));
            }
            c => text.push(c),
        }
    }
    pieces.push(Piece::Text(text));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_case_and_separators() {
        assert_eq!(snake_case("ClientAccountID"), "client_account_id");
        assert_eq!(snake_case("GetAllAssets"), "get_all_assets");
        assert_eq!(snake_case("appraised_value"), "appraised_value");
        assert_eq!(snake_case("IDToken2Go"), "id_token2_go");
        assert_eq!(upper_camel("SAME_OWNER"), "SameOwner");
        assert_eq!(upper_camel("org.example-contract"), "OrgExampleContract");
    }

    #[test]
    fn templates_keep_literal_braces() {
        assert_eq!(
            template("{{x}} {0} has {n}"),
            vec![
                Piece::Text("{x} ".into()),
                Piece::Field("0".into()),
                Piece::Text(" has ".into()),
                Piece::Field("n".into()),
                Piece::Text(String::new()),
            ]
        );
        assert_eq!(template("plain"), vec![Piece::Text("plain".into())]);
    }
}
