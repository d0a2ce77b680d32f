//! Lowering schemars output to the dialect the official metadata schemas accept
//! (fabric-contract-api-go `metadata/schema/schema.json`, fabric-contract-api's
//! `schema/contract-schema.json`): a closed vocabulary, no `anyOf`/`oneOf`/`const`/`null`, no empty
//! `required`, Go's integer formats.

use serde_json::{Map, Value};

use super::MetadataError;

/// Keywords every official schema accepts in parameter and return schemas.
const ALLOWED: &[&str] = &[
    "$ref",
    "type",
    "format",
    "title",
    "description",
    "default",
    "enum",
    "multipleOf",
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "items",
    "additionalProperties",
    "allOf",
    "properties",
    "discriminator",
    "readOnly",
    "example",
];

/// Keywords that change what a value may be: dropping them would describe a different type.
const UNSUPPORTED: &[&str] = &[
    "anyOf",
    "oneOf",
    "not",
    "patternProperties",
    "if",
    "then",
    "else",
    "prefixItems",
    "propertyNames",
    "contains",
    "dependencies",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Rewrites `schema` in place; `at` names it in errors.
pub fn lower_schema(schema: &mut Value, at: &str) -> Result<(), MetadataError> {
    match schema {
        Value::Bool(true) => {
            *schema = Value::Object(Map::new());
            Ok(())
        }
        Value::Bool(false) => Err(MetadataError::Unsupported {
            at: at.to_string(),
            what: "the schema `false` (a type with no values)".into(),
        }),
        Value::Object(map) => lower_object(map, at),
        _ => Err(MetadataError::Unsupported {
            at: at.to_string(),
            what: "a non-object schema".into(),
        }),
    }
}

fn lower_object(map: &mut Map<String, Value>, at: &str) -> Result<(), MetadataError> {
    // Option<T> is "T or null"; the metadata models absence by leaving the key out instead.
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(variants)) = map.get(key) {
            let non_null: Vec<Value> = variants
                .iter()
                .filter(|v| !is_null_schema(v))
                .cloned()
                .collect();
            if non_null.len() == 1 && non_null.len() < variants.len() {
                map.remove(key);
                if let Value::Object(inner) = non_null.into_iter().next().unwrap_or_default() {
                    for (k, v) in inner {
                        map.entry(k).or_insert(v);
                    }
                }
            } else if !non_null.is_empty() && non_null.iter().all(is_const_variant) {
                // A unit enum whose variants carry doc comments: one `enum` of the values.
                let values: Vec<Value> = non_null.iter().filter_map(const_value).collect();
                map.remove(key);
                map.insert("type".into(), Value::String("string".into()));
                map.insert("enum".into(), Value::Array(values));
            }
        }
    }
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(types)) = map.get("type") {
        let kept: Vec<Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .cloned()
            .collect();
        let new = match kept.len() {
            1 => kept.into_iter().next().unwrap_or_default(),
            _ => Value::Array(kept),
        };
        map.insert("type".into(), new);
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }
    if matches!(map.get("required"), Some(Value::Array(r)) if r.is_empty()) {
        map.remove("required");
    }
    if matches!(map.get("enum"), Some(Value::Array(e)) if e.is_empty()) {
        return Err(MetadataError::Unsupported {
            at: at.into(),
            what: "an empty enum".into(),
        });
    }
    lower_format(map);
    if let Some(bad) = UNSUPPORTED.iter().find(|k| map.contains_key(**k)) {
        return Err(MetadataError::Unsupported {
            at: at.to_string(),
            what: format!(
                "`{bad}` (data-carrying enums, untagged unions and similar are not expressible)"
            ),
        });
    }
    map.retain(|k, _| ALLOWED.contains(&k.as_str()));

    if let Some(items) = map.get_mut("items") {
        match items {
            Value::Array(list) => {
                for (i, item) in list.iter_mut().enumerate() {
                    lower_schema(item, &format!("{at}.items[{i}]"))?;
                }
            }
            other => lower_schema(other, &format!("{at}.items"))?,
        }
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            lower_schema(prop, &format!("{at}.{name}"))?;
        }
    }
    if let Some(extra) = map.get_mut("additionalProperties")
        && extra.is_object()
    {
        lower_schema(extra, &format!("{at}.additionalProperties"))?;
    }
    if let Some(Value::Array(all)) = map.get_mut("allOf") {
        for (i, part) in all.iter_mut().enumerate() {
            lower_schema(part, &format!("{at}.allOf[{i}]"))?;
        }
    }
    Ok(())
}

/// Go's formats for unsigned integers (fabric-contract-api-go `metadata/metadata.go`), so metadata-driven clients treat
/// Rust and Go chaincode alike. `u64` stays an integer (`uint64`): Go's `number`/`double` cannot
/// express its range exactly.
fn lower_format(map: &mut Map<String, Value>) {
    let Some(format) = map.get("format").and_then(Value::as_str) else {
        return;
    };
    let (go_format, max): (&str, Option<u64>) = match format {
        "uint8" => ("int32", Some(u64::from(u8::MAX))),
        "uint16" => ("int64", Some(u64::from(u16::MAX))),
        "uint32" => ("int64", Some(u64::from(u32::MAX))),
        "uint" => ("uint64", None),
        "float" | "double" | "int8" | "int16" | "int32" | "int64" | "uint64" | "byte" => return,
        _ => return,
    };
    map.insert("format".into(), Value::String(go_format.into()));
    map.entry("minimum").or_insert(Value::from(0));
    if let Some(max) = max {
        map.entry("maximum").or_insert(Value::from(max));
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        || v.get("const").is_some_and(Value::is_null)
}

fn is_const_variant(v: &Value) -> bool {
    v.get("const").is_some_and(Value::is_string)
        || v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].is_string())
}

fn const_value(v: &Value) -> Option<Value> {
    v.get("const")
        .cloned()
        .or_else(|| v.get("enum").and_then(|e| e.get(0)).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lowered(mut v: Value) -> Value {
        lower_schema(&mut v, "t").unwrap();
        v
    }

    #[test]
    fn options_lose_their_null() {
        assert_eq!(
            lowered(json!({"type": ["string", "null"]})),
            json!({"type": "string"})
        );
        assert_eq!(
            lowered(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"$ref": "#/components/schemas/A"})
        );
    }

    #[test]
    fn unsigned_formats_follow_go() {
        assert_eq!(
            lowered(json!({"type": "integer", "format": "uint32", "minimum": 0})),
            json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295u64})
        );
        assert_eq!(
            lowered(json!({"type": "integer", "format": "uint8", "minimum": 0, "maximum": 255})),
            json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255})
        );
    }

    #[test]
    fn unsupported_keywords_are_errors_and_annotations_dropped() {
        let mut v = json!({"oneOf": [{"type": "object"}, {"type": "string"}]});
        let e = lower_schema(&mut v, "param0").unwrap_err();
        assert!(e.to_string().contains("param0"), "{e}");
        assert_eq!(
            lowered(
                json!({"type": "string", "deprecated": true, "$comment": "x", "examples": ["a"]})
            ),
            json!({"type": "string", "example": "a"})
        );
        assert_eq!(
            lowered(json!({"type": "object", "required": []})),
            json!({"type": "object"})
        );
    }

    #[test]
    fn documented_unit_enums_become_enums() {
        let v = json!({"oneOf": [{"const": "A", "description": "a"}, {"type": "string", "const": "B"}]});
        assert_eq!(lowered(v), json!({"type": "string", "enum": ["A", "B"]}));
    }
}
