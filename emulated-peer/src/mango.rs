//! A subset of CouchDB's Mango query language, evaluated over JSON values.
//!
//! Fabric serves `GET_QUERY_RESULT` only with a CouchDB state database; the
//! in-memory ledger answers rich queries with this evaluator instead. It covers
//! what chaincode uses in practice and refuses everything else by name, so a
//! query never silently means something different from CouchDB.
//!
//! Supported: `$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin`,
//! `$exists`, `$and`, `$or`, `$not`, implicit equality, nested fields (dotted
//! paths or nested objects), and the query fields `selector`, `sort`, `limit`,
//! `skip`; `fields`, `use_index` and `execution_stats` are accepted and ignored
//! (records are always whole values). Values compare with CouchDB's collation
//! across types (null < false < true < numbers < strings < arrays < objects);
//! strings compare by code point rather than ICU collation.
//!
//! ```
//! use fabric_emulated_peer::mango::Query;
//! let q = Query::parse(r#"{"selector":{"color":"blue","size":{"$gt":3}}}"#).unwrap();
//! assert!(q.matches(br#"{"color":"blue","size":5}"#));
//! assert!(!q.matches(br#"{"color":"blue","size":2}"#));
//! assert!(!q.matches(b"not json"));
//! ```

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// Why a rich query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MangoError {
    /// The query text is not a JSON object.
    #[error("rich query is not a JSON object: {0}")]
    NotJson(String),
    /// The query has no `selector` object.
    #[error("rich query has no \"selector\" object")]
    MissingSelector,
    /// An operator outside the supported subset.
    #[error(
        "unsupported Mango operator `{0}` (supported: $eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $not)"
    )]
    UnsupportedOperator(String),
    /// An unknown top-level query field.
    #[error(
        "unsupported rich query field `{0}` (supported: selector, sort, limit, skip, fields, use_index)"
    )]
    UnsupportedField(String),
    /// An operator or field with an argument of the wrong shape.
    #[error("invalid argument for `{what}`: expected {expected}")]
    BadArgument {
        /// The operator or query field.
        what: String,
        /// What the argument should have been.
        expected: &'static str,
    },
}

/// A condition on the value at a field path.
#[derive(Debug, Clone, PartialEq)]
enum FieldOp {
    Eq(Value),
    Ne(Value),
    Cmp(Ordering, bool, Value), // (direction, or-equal, operand)
    In(Vec<Value>),
    Nin(Vec<Value>),
    Exists(bool),
}

/// A compiled selector.
#[derive(Debug, Clone, PartialEq)]
enum Selector {
    And(Vec<Selector>),
    Or(Vec<Selector>),
    Not(Box<Selector>),
    Field(Vec<String>, FieldOp),
}

/// One sort criterion: a field path and whether it is descending.
#[derive(Debug, Clone, PartialEq)]
struct SortKey {
    path: Vec<String>,
    descending: bool,
}

/// A parsed rich query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    selector: Selector,
    sort: Vec<SortKey>,
    limit: Option<usize>,
    skip: usize,
}

impl Query {
    /// Parses a CouchDB query document, refusing anything outside the subset.
    pub fn parse(text: &str) -> Result<Self, MangoError> {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| MangoError::NotJson(e.to_string()))?;
        let Value::Object(doc) = doc else {
            return Err(MangoError::NotJson("top level is not an object".into()));
        };
        let mut selector = None;
        let mut sort = Vec::new();
        let mut limit = None;
        let mut skip = 0;
        for (field, value) in &doc {
            match field.as_str() {
                "selector" => {
                    let Value::Object(obj) = value else {
                        return Err(MangoError::MissingSelector);
                    };
                    selector = Some(parse_object(obj, &[])?);
                }
                "sort" => sort = parse_sort(value)?,
                "limit" => limit = Some(parse_count("limit", value)?),
                "skip" => skip = parse_count("skip", value)?,
                "fields" | "use_index" | "execution_stats" | "bookmark" => {}
                other => return Err(MangoError::UnsupportedField(other.to_string())),
            }
        }
        Ok(Self {
            selector: selector.ok_or(MangoError::MissingSelector)?,
            sort,
            limit,
            skip,
        })
    }

    /// Whether a stored value matches the selector. Values that are not JSON
    /// objects never match, as CouchDB does not index them as documents.
    pub fn matches(&self, value: &[u8]) -> bool {
        match serde_json::from_slice::<Value>(value) {
            Ok(doc @ Value::Object(_)) => eval(&self.selector, &doc),
            _ => false,
        }
    }

    /// Filters, sorts (ties by key, so output is deterministic), then applies
    /// `skip` and `limit`. Input is `(key, value)` pairs in key order.
    pub fn run(&self, records: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
        let mut hits: Vec<(String, Vec<u8>, Value)> = records
            .into_iter()
            .filter_map(|(k, v)| match serde_json::from_slice::<Value>(&v) {
                Ok(doc @ Value::Object(_)) if eval(&self.selector, &doc) => Some((k, v, doc)),
                _ => None,
            })
            .collect();
        if !self.sort.is_empty() {
            hits.sort_by(|a, b| {
                for key in &self.sort {
                    let ord = cmp_opt(lookup(&a.2, &key.path), lookup(&b.2, &key.path));
                    let ord = if key.descending { ord.reverse() } else { ord };
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                a.0.cmp(&b.0)
            });
        }
        let iter = hits.into_iter().skip(self.skip).map(|(k, v, _)| (k, v));
        match self.limit {
            Some(n) => iter.take(n).collect(),
            None => iter.collect(),
        }
    }
}

fn parse_count(what: &str, value: &Value) -> Result<usize, MangoError> {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(MangoError::BadArgument {
            what: what.into(),
            expected: "a non-negative integer",
        })
}

fn parse_sort(value: &Value) -> Result<Vec<SortKey>, MangoError> {
    let bad = || MangoError::BadArgument {
        what: "sort".into(),
        expected: "an array of field names or {\"field\": \"asc\"|\"desc\"} objects",
    };
    let Value::Array(items) = value else {
        return Err(bad());
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(f) => Ok(SortKey {
                path: split_path(f, &[]),
                descending: false,
            }),
            Value::Object(o) if o.len() == 1 => {
                let (f, dir) = o.iter().next().ok_or_else(bad)?;
                let descending = match dir.as_str() {
                    Some("asc") => false,
                    Some("desc") => true,
                    _ => return Err(bad()),
                };
                Ok(SortKey {
                    path: split_path(f, &[]),
                    descending,
                })
            }
            _ => Err(bad()),
        })
        .collect()
}

fn split_path(field: &str, prefix: &[String]) -> Vec<String> {
    let mut path = prefix.to_vec();
    path.extend(field.split('.').map(str::to_string));
    path
}

/// Compiles a selector object whose fields sit under `prefix`.
fn parse_object(obj: &Map<String, Value>, prefix: &[String]) -> Result<Selector, MangoError> {
    let mut parts = Vec::new();
    for (key, value) in obj {
        if let Some(op) = key.strip_prefix('$') {
            parts.push(parse_combinator(op, value, prefix)?);
        } else {
            parts.push(parse_field(split_path(key, prefix), value)?);
        }
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Selector::And(parts)
    })
}

fn parse_combinator(op: &str, value: &Value, prefix: &[String]) -> Result<Selector, MangoError> {
    let sub = |v: &Value| match v {
        Value::Object(o) => parse_object(o, prefix),
        _ => Err(MangoError::BadArgument {
            what: format!("${op}"),
            expected: "a selector object",
        }),
    };
    match op {
        "and" | "or" => {
            let Value::Array(items) = value else {
                return Err(MangoError::BadArgument {
                    what: format!("${op}"),
                    expected: "an array of selector objects",
                });
            };
            let parts = items.iter().map(sub).collect::<Result<Vec<_>, _>>()?;
            Ok(if op == "and" {
                Selector::And(parts)
            } else {
                Selector::Or(parts)
            })
        }
        "not" => Ok(Selector::Not(Box::new(sub(value)?))),
        _ => Err(MangoError::UnsupportedOperator(format!("${op}"))),
    }
}

fn parse_field(path: Vec<String>, value: &Value) -> Result<Selector, MangoError> {
    let Value::Object(obj) = value else {
        return Ok(Selector::Field(path, FieldOp::Eq(value.clone())));
    };
    let all_ops = obj.keys().all(|k| k.starts_with('$'));
    if obj.is_empty() {
        return Ok(Selector::Field(path, FieldOp::Eq(value.clone())));
    }
    if !all_ops {
        // `{"a": {"b": 1}}` means the nested field a.b equals 1 (operators
        // mixed with sub-fields apply under the same prefix).
        return parse_object(obj, &path);
    }
    let mut parts = Vec::new();
    for (op, arg) in obj {
        let list = |what: &str| match arg {
            Value::Array(items) => Ok(items.clone()),
            _ => Err(MangoError::BadArgument {
                what: what.to_string(),
                expected: "an array",
            }),
        };
        let field_op = match op.as_str() {
            "$eq" => FieldOp::Eq(arg.clone()),
            "$ne" => FieldOp::Ne(arg.clone()),
            "$gt" => FieldOp::Cmp(Ordering::Greater, false, arg.clone()),
            "$gte" => FieldOp::Cmp(Ordering::Greater, true, arg.clone()),
            "$lt" => FieldOp::Cmp(Ordering::Less, false, arg.clone()),
            "$lte" => FieldOp::Cmp(Ordering::Less, true, arg.clone()),
            "$in" => FieldOp::In(list("$in")?),
            "$nin" => FieldOp::Nin(list("$nin")?),
            "$exists" => FieldOp::Exists(arg.as_bool().ok_or(MangoError::BadArgument {
                what: "$exists".into(),
                expected: "true or false",
            })?),
            "$and" | "$or" | "$not" => {
                parts.push(parse_combinator(&op[1..], arg, &path)?);
                continue;
            }
            other => return Err(MangoError::UnsupportedOperator(other.to_string())),
        };
        parts.push(Selector::Field(path.clone(), field_op));
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Selector::And(parts)
    })
}

fn lookup<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, seg| v.as_object()?.get(seg))
}

fn eval(sel: &Selector, doc: &Value) -> bool {
    match sel {
        Selector::And(parts) => parts.iter().all(|p| eval(p, doc)),
        Selector::Or(parts) => parts.iter().any(|p| eval(p, doc)),
        Selector::Not(inner) => !eval(inner, doc),
        Selector::Field(path, op) => {
            let found = lookup(doc, path);
            match (op, found) {
                (FieldOp::Exists(want), v) => v.is_some() == *want,
                // CouchDB: a missing field matches no operator but `$exists: false`.
                (_, None) => false,
                (FieldOp::Eq(x), Some(v)) => collate(v, x) == Ordering::Equal,
                (FieldOp::Ne(x), Some(v)) => collate(v, x) != Ordering::Equal,
                (FieldOp::Cmp(dir, or_eq, x), Some(v)) => {
                    let ord = collate(v, x);
                    ord == *dir || (*or_eq && ord == Ordering::Equal)
                }
                (FieldOp::In(list), Some(v)) => in_list(v, list),
                (FieldOp::Nin(list), Some(v)) => !in_list(v, list),
            }
        }
    }
}

/// `$in` also matches an array field holding one of the listed values.
fn in_list(v: &Value, list: &[Value]) -> bool {
    let eq = |a: &Value| list.iter().any(|x| collate(a, x) == Ordering::Equal);
    eq(v) || matches!(v, Value::Array(items) if items.iter().any(eq))
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(false) => 1,
        Value::Bool(true) => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

fn cmp_opt(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => collate(a, b),
    }
}

/// CouchDB's view collation, except strings compare by code point.
fn collate(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let ord = collate(p, q);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            for ((kp, p), (kq, q)) in x.iter().zip(y) {
                let ord = kp.cmp(kq).then_with(|| collate(p, q));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(query: &str, docs: &[(&str, &str)]) -> Vec<String> {
        let q = Query::parse(query).unwrap();
        q.run(
            docs.iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect(),
        )
        .into_iter()
        .map(|(k, _)| k)
        .collect()
    }

    const DOCS: &[(&str, &str)] = &[
        (
            "a1",
            r#"{"color":"blue","size":5,"owner":{"name":"Tom"},"tags":["x","y"]}"#,
        ),
        ("a2", r#"{"color":"red","size":10,"owner":{"name":"Max"}}"#),
        ("a3", r#"{"color":"blue","size":1}"#),
        ("a4", r#"not json"#),
        ("a5", r#"[1,2]"#),
    ];

    #[test]
    fn implicit_and_explicit_equality() {
        assert_eq!(hits(r#"{"selector":{"color":"blue"}}"#, DOCS), ["a1", "a3"]);
        assert_eq!(
            hits(r#"{"selector":{"color":{"$eq":"red"}}}"#, DOCS),
            ["a2"]
        );
    }

    #[test]
    fn ne_requires_the_field() {
        assert_eq!(
            hits(r#"{"selector":{"owner.name":{"$ne":"Tom"}}}"#, DOCS),
            ["a2"]
        );
    }

    #[test]
    fn comparisons() {
        assert_eq!(hits(r#"{"selector":{"size":{"$gt":5}}}"#, DOCS), ["a2"]);
        assert_eq!(
            hits(r#"{"selector":{"size":{"$gte":5}}}"#, DOCS),
            ["a1", "a2"]
        );
        assert_eq!(hits(r#"{"selector":{"size":{"$lt":5}}}"#, DOCS), ["a3"]);
        assert_eq!(
            hits(r#"{"selector":{"size":{"$lte":5}}}"#, DOCS),
            ["a1", "a3"]
        );
        assert_eq!(
            hits(r#"{"selector":{"size":{"$gt":1,"$lt":10}}}"#, DOCS),
            ["a1"]
        );
        // Collation across types: every string sorts after every number.
        assert_eq!(
            hits(r#"{"selector":{"color":{"$gt":100}}}"#, DOCS),
            ["a1", "a2", "a3"]
        );
    }

    #[test]
    fn in_nin_exists() {
        assert_eq!(
            hits(r#"{"selector":{"size":{"$in":[1,10]}}}"#, DOCS),
            ["a2", "a3"]
        );
        assert_eq!(hits(r#"{"selector":{"tags":{"$in":["y"]}}}"#, DOCS), ["a1"]);
        assert_eq!(
            hits(r#"{"selector":{"size":{"$nin":[1,10]}}}"#, DOCS),
            ["a1"]
        );
        assert_eq!(
            hits(r#"{"selector":{"owner":{"$exists":true}}}"#, DOCS),
            ["a1", "a2"]
        );
        assert_eq!(
            hits(r#"{"selector":{"owner":{"$exists":false}}}"#, DOCS),
            ["a3"]
        );
    }

    #[test]
    fn combinators() {
        let or = r#"{"selector":{"$or":[{"size":1},{"color":"red"}]}}"#;
        assert_eq!(hits(or, DOCS), ["a2", "a3"]);
        let and = r#"{"selector":{"$and":[{"color":"blue"},{"size":{"$gt":2}}]}}"#;
        assert_eq!(hits(and, DOCS), ["a1"]);
        let not = r#"{"selector":{"$not":{"color":"blue"}}}"#;
        assert_eq!(hits(not, DOCS), ["a2"]);
    }

    #[test]
    fn nested_fields_by_path_or_object() {
        assert_eq!(hits(r#"{"selector":{"owner.name":"Max"}}"#, DOCS), ["a2"]);
        assert_eq!(
            hits(r#"{"selector":{"owner":{"name":"Max"}}}"#, DOCS),
            ["a2"]
        );
        assert_eq!(
            hits(r#"{"selector":{"owner":{"name":{"$gt":"N"}}}}"#, DOCS),
            ["a1"]
        );
    }

    #[test]
    fn non_objects_never_match() {
        assert!(
            hits(r#"{"selector":{}}"#, DOCS)
                .iter()
                .all(|k| k != "a4" && k != "a5")
        );
        assert_eq!(hits(r#"{"selector":{}}"#, DOCS), ["a1", "a2", "a3"]);
    }

    #[test]
    fn sort_limit_skip() {
        let q = r#"{"selector":{"size":{"$gt":0}},"sort":[{"size":"desc"}]}"#;
        assert_eq!(hits(q, DOCS), ["a2", "a1", "a3"]);
        let q = r#"{"selector":{"size":{"$gt":0}},"sort":["size"],"skip":1,"limit":1,"fields":["size"]}"#;
        assert_eq!(hits(q, DOCS), ["a1"]);
    }

    #[test]
    fn unsupported_operator_is_named() {
        let err = Query::parse(r#"{"selector":{"color":{"$regex":"^b"}}}"#).unwrap_err();
        assert_eq!(err, MangoError::UnsupportedOperator("$regex".into()));
        assert!(err.to_string().contains("$regex"));
        let err = Query::parse(r#"{"selector":{"$nor":[]}}"#).unwrap_err();
        assert_eq!(err, MangoError::UnsupportedOperator("$nor".into()));
        let err = Query::parse(r#"{"selector":{},"r":1}"#).unwrap_err();
        assert_eq!(err, MangoError::UnsupportedField("r".into()));
    }

    #[test]
    fn malformed_queries() {
        assert!(matches!(Query::parse("nope"), Err(MangoError::NotJson(_))));
        assert_eq!(Query::parse("{}"), Err(MangoError::MissingSelector));
        assert!(matches!(
            Query::parse(r#"{"selector":{"a":{"$in":3}}}"#),
            Err(MangoError::BadArgument { .. })
        ));
        assert!(matches!(
            Query::parse(r#"{"selector":{},"limit":-1}"#),
            Err(MangoError::BadArgument { .. })
        ));
    }
}
