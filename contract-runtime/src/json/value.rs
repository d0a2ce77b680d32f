//! The sorting path: a `serde_json::Value` written with its object keys sorted.

use serde_json::{Number, Value};

use super::JsonError;
use super::text::{format_float, write_i64, write_string, write_u64};

/// Writes an already built [`Value`] canonically.
pub fn write_value(value: &Value, out: &mut Vec<u8>) -> Result<(), JsonError> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => {
            write_string(s, out);
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write_value(item, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_number(n: &Number, out: &mut Vec<u8>) -> Result<(), JsonError> {
    if let Some(i) = n.as_i64() {
        write_i64(i, out);
    } else if let Some(u) = n.as_u64() {
        write_u64(u, out);
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        out.extend_from_slice(format_float(f)?.as_bytes());
    }
    Ok(())
}
