//! The Rust generator (on `fabric_dev_gateway::client`).
//!
//! The code is built as tokens and printed by `prettyplease`, so it is formatted the same way
//! on every machine without calling `rustfmt`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::{
    Document, Error, ErrorCode, Piece, error_codes, is_bytes, is_json, is_submit, ref_name,
    schema_type, shape, snake_case, str_field, template, transactions, upper_camel,
};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "try", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof",
    "unsized", "virtual", "yield",
];

/// A Rust identifier for `name` (already cased): raw for keywords, `_`-suffixed where a raw
/// identifier is not allowed, `_`-prefixed when it starts with a digit.
fn ident(name: &str) -> Ident {
    match name {
        "self" | "Self" | "super" | "crate" | "_" | "" => format_ident!("{name}_"),
        n if n.starts_with(|c: char| c.is_ascii_digit()) => format_ident!("_{n}"),
        n if KEYWORDS.contains(&n) => Ident::new_raw(n, Span::call_site()),
        n => Ident::new(n, Span::call_site()),
    }
}

/// The names a generated method body uses besides its parameters: a parameter spelled the same
/// is renamed with a trailing `_` (which `snake_case` never produces) so it cannot shadow them.
const BODY_NAMES: &[&str] = &[
    "call",
    "bytes",
    "submitted",
    "text",
    "parse",
    "boolean",
    "json",
    "json_list",
    "to_json",
];

fn param_ident(name: &str) -> Ident {
    let snake = snake_case(name);
    if BODY_NAMES.contains(&snake.as_str()) {
        format_ident!("{snake}_")
    } else {
        ident(&snake)
    }
}

fn type_ident(name: &str) -> Ident {
    ident(&upper_camel(name))
}

fn docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

fn description(schema: &Value) -> Option<&str> {
    schema.get("description").and_then(Value::as_str)
}

/// The Rust type of a schema, as a field or an owned value.
fn rust_type(schema: &Value) -> TokenStream {
    if let Some(r) = ref_name(schema) {
        let t = type_ident(r);
        return quote!(#t);
    }
    let format = schema.get("format").and_then(Value::as_str);
    match schema_type(schema) {
        Some("string") => quote!(String),
        Some("boolean") => quote!(bool),
        Some("integer") => match format {
            Some("int8") => quote!(i8),
            Some("int16") => quote!(i16),
            Some("int32") => quote!(i32),
            Some("uint8") => quote!(u8),
            Some("uint16") => quote!(u16),
            Some("uint32") => quote!(u32),
            Some("uint64") | Some("uint") => quote!(u64),
            _ => quote!(i64),
        },
        Some("number") => match format {
            Some("float") => quote!(f32),
            _ => quote!(f64),
        },
        Some("array") => {
            let item = schema
                .get("items")
                .map(rust_type)
                .unwrap_or_else(|| quote!(serde_json::Value));
            quote!(Vec<#item>)
        }
        Some("object") => match schema.get("additionalProperties") {
            Some(v @ Value::Object(_)) => {
                let v = rust_type(v);
                quote!(std::collections::BTreeMap<String, #v>)
            }
            _ => quote!(serde_json::Value),
        },
        _ => quote!(serde_json::Value),
    }
}

/// Whether values of the schema can be compared with `Eq` (no floats, no JSON values).
fn is_eq(
    schema: &Value,
    schemas: &serde_json::Map<String, Value>,
    seen: &mut BTreeSet<String>,
) -> bool {
    if let Some(r) = ref_name(schema) {
        if !seen.insert(r.to_string()) {
            return true;
        }
        return schemas
            .get(r)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .is_some_and(|props| props.values().all(|p| is_eq(p, schemas, seen)));
    }
    match schema_type(schema) {
        Some("string") | Some("boolean") | Some("integer") => true,
        Some("array") => schema.get("items").is_some_and(|i| is_eq(i, schemas, seen)),
        Some("object") => match schema.get("additionalProperties") {
            Some(v @ Value::Object(_)) => is_eq(v, schemas, seen),
            _ => false,
        },
        _ => false,
    }
}

fn component(name: &str, schema: &Value, schemas: &serde_json::Map<String, Value>) -> TokenStream {
    let ty = type_ident(name);
    let doc =
        docs(description(schema).unwrap_or(&format!("`{name}`, as the contract defines it.")));
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let empty = serde_json::Map::new();
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let fields = props.iter().map(|(prop, ps)| {
        let field = ident(&snake_case(prop));
        let doc = docs(description(ps).unwrap_or(&format!("`{prop}`.")));
        let mut attrs = Vec::new();
        if field.to_string().trim_start_matches("r#") != prop.as_str() {
            attrs.push(quote!(rename = #prop));
        }
        let mut ty = rust_type(ps);
        if !required.contains(&prop.as_str()) {
            attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
            ty = quote!(Option<#ty>);
        }
        let serde = if attrs.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#(#attrs),*)])
        };
        quote! {
            #doc
            #serde
            pub #field: #ty,
        }
    });
    let eq = if is_eq(&quote_ref(name), schemas, &mut BTreeSet::new()) {
        quote!(, Eq)
    } else {
        quote!()
    };
    // No `deny_unknown_fields` even where the schema closes the object: a client should keep
    // working when a newer chaincode version adds a field.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #eq, serde::Serialize, serde::Deserialize)]
        pub struct #ty {
            #(#fields)*
        }
    }
}

fn quote_ref(name: &str) -> Value {
    serde_json::json!({ "$ref": name })
}

/// How one value is encoded for the wire (an argument or a transient entry).
fn encode(
    schema: &Value,
    value: &TokenStream,
    tx: &str,
    helpers: &mut BTreeSet<&'static str>,
) -> TokenStream {
    if is_json(schema) {
        helpers.insert("to_json");
        quote!(to_json(#tx, #value)?)
    } else if is_bytes(schema) || schema_type(schema) == Some("string") {
        quote!(#value)
    } else {
        quote!(#value.to_string())
    }
}

/// The parameter type in a method signature: borrowed for strings, bytes and JSON values.
fn param_type(schema: &Value) -> TokenStream {
    if is_bytes(schema) {
        return quote!(&[u8]);
    }
    if schema_type(schema) == Some("string") && ref_name(schema).is_none() {
        return quote!(&str);
    }
    if schema_type(schema) == Some("array") && ref_name(schema).is_none() {
        let item = schema
            .get("items")
            .map(rust_type)
            .unwrap_or_else(|| quote!(serde_json::Value));
        return quote!(&[#item]);
    }
    if is_json(schema) {
        let t = rust_type(schema);
        return quote!(&#t);
    }
    rust_type(schema)
}

/// The result type of a transaction and the expression decoding `bytes` into it (`None` for
/// a transaction without a result).
fn result(
    tx: &Value,
    tname: &str,
    helpers: &mut BTreeSet<&'static str>,
) -> (TokenStream, Option<TokenStream>) {
    let (ty, decode) = decoded(tx, tname, helpers);
    (ty, (!decode.is_empty()).then_some(decode))
}

fn decoded(
    tx: &Value,
    tname: &str,
    helpers: &mut BTreeSet<&'static str>,
) -> (TokenStream, TokenStream) {
    let Some(schema) = tx.get("returns") else {
        return (quote!(()), quote!());
    };
    if is_bytes(schema) {
        return (quote!(Vec<u8>), quote!(bytes));
    }
    let ty = rust_type(schema);
    if is_json(schema) {
        if schema_type(schema) == Some("array") && ref_name(schema).is_none() {
            // An empty payload is Go's nil slice.
            helpers.insert("json_list");
            return (ty, quote!(json_list(#tname, bytes)?));
        }
        helpers.insert("json");
        return (ty, quote!(json(#tname, bytes)?));
    }
    match schema_type(schema) {
        Some("string") => {
            helpers.insert("text");
            (ty, quote!(text(#tname, bytes)?))
        }
        Some("boolean") => {
            helpers.insert("boolean");
            (ty, quote!(boolean(#tname, bytes)?))
        }
        Some("integer") | Some("number") => {
            helpers.insert("parse");
            (ty, quote!(parse(#tname, bytes)?))
        }
        _ => (quote!(Vec<u8>), quote!(bytes)),
    }
}

/// One `x-errors` code of a contract, as an error variant.
struct Coded {
    code: String,
    status: u64,
    message: String,
    variant: Ident,
}

fn coded_errors(txs: &[&Value]) -> Vec<Coded> {
    error_codes(txs)
        .into_iter()
        .map(
            |ErrorCode {
                 code,
                 status,
                 message,
             }| {
                let mut name = upper_camel(&code);
                if matches!(name.as_str(), "Chaincode" | "Gateway" | "Wire") {
                    name.push_str("Code");
                }
                Coded {
                    variant: ident(&name),
                    code,
                    status,
                    message,
                }
            },
        )
        .collect()
}

/// The per-contract error enum: a variant per published code, the raw chaincode answer, the
/// Gateway's own failures and wire mismatches.
fn error_enum(contract: &str, error: &Ident, coded: &[Coded]) -> TokenStream {
    let mut variants = Vec::new();
    let mut displays = Vec::new();
    let mut decodes = Vec::new();
    for c in coded {
        let pieces = template(&c.message);
        let v = &c.variant;
        let doc = docs(&format!(
            "`{}` (status {}): `{}`.",
            c.code,
            c.status,
            c.message.replace('`', "'")
        ));
        let mut names: Vec<String> = Vec::new();
        let mut literals = vec![String::new()];
        let mut format = format!("{}: ", c.code);
        let mut bindings = Vec::new();
        for p in &pieces {
            match p {
                Piece::Text(t) => {
                    if let Some(l) = literals.last_mut() {
                        l.push_str(t);
                    }
                    format.push_str(&t.replace('{', "{{").replace('}', "}}"));
                }
                Piece::Field(name) => {
                    literals.push(String::new());
                    let seen = names.iter().position(|n| n == name);
                    let index = seen.unwrap_or(names.len());
                    format.push_str(&format!("{{field{index}}}"));
                    let binding = format_ident!("field{index}");
                    if seen.is_none() {
                        names.push(name.clone());
                        bindings.push(quote!(#binding));
                    } else {
                        bindings.push(quote!(_));
                    }
                }
            }
        }
        let positional = names.iter().all(|n| n.bytes().all(|b| b.is_ascii_digit()));
        let field_idents: Vec<Ident> = names
            .iter()
            .map(|n| {
                if positional {
                    format_ident!("field{n}")
                } else {
                    ident(&snake_case(n))
                }
            })
            .collect();
        let all: Vec<Ident> = (0..names.len())
            .map(|i| format_ident!("field{i}"))
            .collect();
        let n = proc_macro2::Literal::usize_unsuffixed(literals.len() - 1);
        let (decl, pattern, build) = if names.is_empty() {
            (quote!(#v), quote!(Self::#v), quote!(Self::#v))
        } else if positional {
            let tys = names.iter().map(|_| quote!(String));
            (
                quote!(#v(#(#tys),*)),
                quote!(Self::#v(#(#all),*)),
                quote!(Self::#v(#(#all),*)),
            )
        } else {
            let fields = names.iter().zip(&field_idents).map(|(name, f)| {
                let d = docs(&format!("`{{{name}}}` in the message."));
                quote!(#d #f: String)
            });
            (
                quote!(#v { #(#fields),* }),
                quote!(Self::#v { #(#field_idents: #all),* }),
                quote!(Self::#v { #(#field_idents: #all),* }),
            )
        };
        variants.push(quote!(#doc #decl));
        displays.push(quote!(#pattern => write!(f, #format)));
        let code = &c.code;
        decodes.push(if names.is_empty() {
            let lit = &literals[0];
            quote! {
                Some(#code) if failure.message == #lit => return #build,
            }
        } else {
            quote! {
                Some(#code) => {
                    if let Some(Ok([#(#bindings),*])) = failure.fields(&[#(#literals),*]).map(<[String; #n]>::try_from) {
                        return #build;
                    }
                }
            }
        });
    }
    let doc = docs(&format!(
        "Why a transaction of the `{contract}` contract failed: a variant per error code the\n\
         metadata publishes (with the values its message carries), then the chaincode's other\n\
         answers as they came."
    ));
    let decode = if decodes.is_empty() {
        quote!()
    } else {
        quote! {
            match failure.code.as_deref() {
                #(#decodes)*
                _ => {}
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug)]
        pub enum #error {
            #(#variants,)*
            /// The chaincode refused the transaction with an answer that has no published code
            /// (or whose message does not have the code's template): status, code and message
            /// as they came.
            Chaincode(ChaincodeFailure),
            /// The Gateway call failed without a chaincode answer (connection, identity,
            /// endorsement, or the transaction committed invalid).
            Gateway(ClientError),
            /// An argument or the result does not have the shape the metadata describes.
            Wire(WireError),
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#displays,)*
                    Self::Chaincode(failure) => failure.fmt(f),
                    Self::Gateway(err) => err.fmt(f),
                    Self::Wire(err) => err.fmt(f),
                }
            }
        }

        impl std::error::Error for #error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::Gateway(err) => Some(err),
                    Self::Wire(err) => Some(err),
                    _ => None,
                }
            }
        }

        impl From<ClientError> for #error {
            fn from(err: ClientError) -> Self {
                let Some(failure) = err.chaincode_failure() else {
                    return Self::Gateway(err);
                };
                #decode
                Self::Chaincode(failure)
            }
        }

        impl From<WireError> for #error {
            fn from(err: WireError) -> Self {
                Self::Wire(err)
            }
        }
    }
}

fn contract_client(
    name: &str,
    contract: &Value,
    helpers: &mut BTreeSet<&'static str>,
) -> Result<TokenStream, Error> {
    let base = upper_camel(name);
    let client = format_ident!("{base}Client");
    let error = format_ident!("{base}Error");
    let is_default = contract
        .get("default")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let txs = transactions(contract)?;
    let coded = coded_errors(&txs);
    let mut methods = Vec::new();
    for tx in &txs {
        let tname = str_field(tx, "name", "a transaction `name`")?;
        let wire_name = if is_default {
            tname.to_string()
        } else {
            format!("{name}:{tname}")
        };
        let empty = Vec::new();
        let params = tx
            .get("parameters")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let transient = tx
            .get("x-transient")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let mut sig = Vec::new();
        let mut names = Vec::new();
        let mut build = Vec::new();
        for (p, is_transient) in params
            .iter()
            .map(|p| (p, false))
            .chain(transient.iter().map(|p| (p, true)))
        {
            let pname = str_field(p, "name", "a parameter `name`")?;
            let schema = p
                .get("schema")
                .ok_or_else(|| shape("a parameter `schema`"))?;
            let id = param_ident(pname);
            let optional = p.get("required") == Some(&Value::Bool(false));
            let ty = param_type(schema);
            let value = quote!(#id);
            let encoded = encode(schema, &value, tname, helpers);
            let add = if is_transient {
                quote!(call = call.transient(#pname, #encoded);)
            } else {
                quote!(call = call.arg(#encoded);)
            };
            if optional {
                sig.push(quote!(#id: Option<#ty>));
                build.push(quote!(if let Some(#id) = #id { #add }));
            } else {
                sig.push(quote!(#id: #ty));
                build.push(add);
            }
            names.push(id);
        }
        let (ret, decode) = result(tx, tname, helpers);
        let snake = snake_case(tname);
        let builder = format_ident!("{snake}_call");
        let many = if sig.len() > 6 {
            quote!(#[allow(clippy::too_many_arguments)])
        } else {
            quote!()
        };
        let mutable = if build.is_empty() {
            quote!()
        } else {
            quote!(mut)
        };
        methods.push(quote! {
            #many
            fn #builder(#(#sig),*) -> Result<Call, WireError> {
                let #mutable call = Call::new(#wire_name);
                #(#build)*
                Ok(call)
            }
        });
        let doc = docs(description(tx).unwrap_or(&format!("`{tname}`.")));
        let (evaluate_body, submit_body, async_body) = match decode {
            Some(decode) => (
                quote! {
                    let bytes = self.contract.evaluate(call).await?;
                    Ok(#decode)
                },
                quote! {
                    let bytes = self.contract.submit(call).await?;
                    Ok(#decode)
                },
                quote! {
                    let submitted = self.contract.submit_async(call).await?;
                    let bytes = submitted.result.clone();
                    let result = #decode;
                    Ok(Pending::new(self.contract.gateway().clone(), submitted, result))
                },
            ),
            None => (
                quote! {
                    self.contract.evaluate(call).await?;
                    Ok(())
                },
                quote! {
                    self.contract.submit(call).await?;
                    Ok(())
                },
                quote! {
                    let submitted = self.contract.submit_async(call).await?;
                    Ok(Pending::new(self.contract.gateway().clone(), submitted, ()))
                },
            ),
        };
        if is_submit(tx) {
            let method = format_ident!("submit_{snake}");
            let method_async = format_ident!("submit_async_{snake}");
            let async_doc = docs(&format!(
                "Submits `{tname}` without waiting for its commit: the result now, the commit\n\
                 status from [`Pending::commit_status`]."
            ));
            methods.push(quote! {
                #doc
                #many
                pub async fn #method(&self, #(#sig),*) -> Result<#ret, #error> {
                    let call = Self::#builder(#(#names),*)?;
                    #submit_body
                }

                #async_doc
                #many
                pub async fn #method_async(&self, #(#sig),*) -> Result<Pending<#ret>, #error> {
                    let call = Self::#builder(#(#names),*)?;
                    #async_body
                }
            });
        } else {
            let method = format_ident!("evaluate_{snake}");
            methods.push(quote! {
                #doc
                #many
                pub async fn #method(&self, #(#sig),*) -> Result<#ret, #error> {
                    let call = Self::#builder(#(#names),*)?;
                    #evaluate_body
                }
            });
        }
    }
    let enum_tokens = error_enum(name, &error, &coded);
    let doc = docs(&format!(
        "Typed client of the `{name}` contract: `submit_*` for submit-tagged transactions\n\
         (waiting for the commit; `submit_async_*` does not), `evaluate_*` for evaluate-tagged\n\
         ones."
    ));
    Ok(quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #client {
            contract: Contract,
        }

        impl #client {
            /// A client of the contract on `contract` (a chaincode on a channel, from
            /// `Gateway::contract`).
            pub fn new(contract: Contract) -> Self {
                Self { contract }
            }

            /// The chaincode this client calls.
            pub fn contract(&self) -> &Contract {
                &self.contract
            }

            #(#methods)*
        }

        #enum_tokens
    })
}

/// The Rust client for every contract of `doc`.
pub(crate) fn generate(doc: &Document) -> Result<String, Error> {
    let mut helpers = BTreeSet::new();
    let mut items = Vec::new();
    for (name, schema) in &doc.schemas {
        items.push(component(name, schema, &doc.schemas));
    }
    for (name, contract) in &doc.contracts {
        items.push(contract_client(name, contract, &mut helpers)?);
    }
    // The decoders and the encoder this file calls, from the client crate's `typed` module.
    let helpers: Vec<_> = helpers.iter().map(|h| format_ident!("{h}")).collect();
    let decoders = if helpers.is_empty() {
        quote!()
    } else {
        quote!(use fabric_dev_gateway::client::typed::{#(#helpers),*};)
    };
    let title = &doc.title;
    let version = &doc.version;
    let hash = &doc.hash;
    let tokens = quote! {
        use fabric_dev_gateway::client::{Call, ChaincodeFailure, ClientError, Contract};
        pub use fabric_dev_gateway::client::typed::{Pending, WireError};
        #decoders

        /// The chaincode this client was generated for.
        pub const CHAINCODE: &str = #title;
        /// The chaincode version this client was generated for.
        pub const VERSION: &str = #version;
        /// SHA-256 of the metadata document this client was generated from.
        pub const METADATA_SHA256: &str = #hash;

        #(#items)*
    };
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::Shape(format!("a name the generated code cannot use: {e}")))?;
    let mut out = String::new();
    out.push_str("// Generated by fabric-contract-clientgen. Do not edit.\n");
    out.push_str(&format!("// Chaincode: {title} {version}\n"));
    out.push_str(&format!("// Metadata sha256: {hash}\n\n"));
    out.push_str(&spaced(&prettyplease::unparse(&file)));
    Ok(out)
}

/// prettyplease prints items back to back; rustfmt keeps the blank lines a person writes
/// between them. Puts one before each item (and its docs) of the file and of `impl` blocks.
fn spaced(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev: Option<&str> = None;
    for line in code.lines() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let starts_item = ["///", "#[", "pub ", "fn ", "impl", "use ", "async fn"]
            .iter()
            .any(|p| body.starts_with(p));
        // Consecutive imports stay together, as rustfmt leaves them.
        let is_import = |l: &str| l.starts_with("use ") || l.starts_with("pub use ");
        if let Some(p) = prev {
            let p_body = p.trim_start();
            let p_indent = p.len() - p_body.len();
            let item_ended = p_indent == indent
                && (p_body == "}" || (p_body.ends_with(';') && !p_body.starts_with("//")));
            let import_pair = is_import(body) && is_import(p_body);
            if starts_item && indent <= 4 && item_ended && !import_pair {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}
