//! The metadata document's types (what `org.hyperledger.fabric:GetMetadata` returns).
//!
//! Serde is their only dependency so a client generator can read them back. Field names follow the
//! Go contract API; our extensions (`x-errors`, `x-transient`, `x-require`, `x-events`,
//! `description`) sit only where all three official schemas allow extra keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetadataDoc {
    /// Title and version of the chaincode (from the user crate's Cargo.toml).
    pub info: Info,
    /// Every contract by name, the system contract `org.hyperledger.fabric` included.
    pub contracts: BTreeMap<String, ContractDoc>,
    /// The named types referenced as `#/components/schemas/<Name>`.
    pub components: Components,
}

/// `info` of the document or of one contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// The title.
    pub title: String,
    /// The version.
    pub version: String,
    /// A description: the crate's `description` for the document, doc comments for a contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who to contact: the crate's first author and its homepage (or repository).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The crate's licence (an SPDX expression).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
}

/// `info.contact`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// A person or organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Their web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Their e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `info.license`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// The licence, e.g. `Apache-2.0`.
    pub name: String,
    /// Where its text is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractDoc {
    /// Title (the contract name) and version.
    pub info: Info,
    /// The contract name used in `Contract:Function`.
    pub name: String,
    /// The transactions, sorted by name as Go sorts them.
    pub transactions: Vec<TransactionDoc>,
    /// Whether unprefixed function names route here.
    pub default: bool,
    /// The events the contract declares (`#[contract(events(Name = Type))]`): name → payload
    /// schema.
    #[serde(
        rename = "x-events",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub events: BTreeMap<String, Value>,
}

/// One transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionDoc {
    /// The name clients send.
    pub name: String,
    /// `["submit","SUBMIT"]` or `["evaluate","EVALUATE"]`, as Go writes them.
    pub tag: Vec<String>,
    /// Positional parameters (left out when there are none, as Go does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterDoc>,
    /// The return schema; absent for no value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Value>,
    /// The method's doc comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Parameters read from the transient map (key and schema).
    #[serde(rename = "x-transient", default, skip_serializing_if = "Vec::is_empty")]
    pub transient: Vec<ParameterDoc>,
    /// The error codes the method's error type declares (`#[derive(ContractError)]`).
    #[serde(rename = "x-errors", default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorDoc>,
    /// `#[require(…)]` access conditions: who may call the transaction.
    #[serde(rename = "x-require", default, skip_serializing_if = "Vec::is_empty")]
    pub require: Vec<RequirementDoc>,
}

/// One `#[require(…)]` of a transaction, as clients read it from the metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementDoc {
    /// The caller's MSP must be one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub msp: Vec<String>,
    /// Fabric CA attributes the caller must carry, with these values.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attrs: std::collections::BTreeMap<String, String>,
    /// Organizational units the caller's certificate must list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ou: Vec<String>,
}

/// One parameter (only these four keys are allowed by the official schemas).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterDoc {
    /// The Rust parameter name (Go writes `param<i>`; real names are more useful to clients).
    pub name: String,
    /// Its schema.
    pub schema: Value,
    /// Doc text, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `false` for optional (`Option<T>`) parameters; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// `components`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Components {
    /// Named object schemas; each has `$id` and `properties`.
    pub schemas: BTreeMap<String, Value>,
}

/// One error code a transaction may answer with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDoc {
    /// `[A-Z][A-Z0-9_]*`; the response message starts with `CODE: `.
    pub code: String,
    /// The response status.
    pub status: u16,
    /// The message template of `#[error("…")]`: `{field}` / `{0}` placeholders without Rust's
    /// format specs (`{actual:?}` is published as `{actual}`); `{{` and `}}` are literal braces.
    pub message: String,
}
