//! The JSON keys serde gives a named-field struct, worked out from its `#[serde]` attributes so
//! `#[object]` can write them as prepared bytes.
//!
//! Only a plain subset is understood: `rename` on fields, `rename_all` on the struct, skipping,
//! and attributes that only affect decoding. Anything else (`flatten`, `serialize_with`, `tag`,
//! `into`, …) gives `None`, and the type is encoded through serde alone.

use syn::ext::IdentExt;
use syn::{Attribute, DeriveInput, Fields, LitStr};

use super::ir::{SkipIf, WrittenField};

/// The fields the generated writer writes, sorted by key; `None` when serde's own output could
/// differ from what the writer would produce.
pub fn written_fields(input: &DeriveInput, omit_none: &[bool]) -> Option<Vec<WrittenField>> {
    let syn::Data::Struct(data) = &input.data else {
        return None;
    };
    let Fields::Named(named) = &data.fields else {
        return None;
    };
    let rule = container_rule(&input.attrs)?;
    let mut fields = Vec::new();
    for (field, &omit_none) in named.named.iter().zip(omit_none) {
        let ident = field.ident.clone()?;
        let attrs = field_attrs(&field.attrs)?;
        if attrs.skip {
            continue;
        }
        let key = match attrs.rename {
            Some(name) => name,
            None => rule.apply(&ident.unraw().to_string()),
        };
        let skip_if = match attrs.skip_if {
            Some(path) => SkipIf::Path(path),
            None if omit_none => SkipIf::None,
            None => SkipIf::Never,
        };
        fields.push(WrittenField {
            ident,
            ty: field.ty.clone(),
            key,
            skip_if,
        });
    }
    fields.sort_by(|a, b| a.key.cmp(&b.key));
    // Two fields with one key: serde writes both, the canonical form keeps one.
    if fields.windows(2).any(|pair| pair[0].key == pair[1].key) {
        return None;
    }
    Some(fields)
}

/// Whether decoding the writer's output reads every written field back under its key, as the
/// type it is, so the writer's output is also exactly what decoding and re-encoding it gives.
/// Only asked of types that have a writer.
pub fn reads_back(input: &DeriveInput) -> bool {
    let syn::Data::Struct(data) = &input.data else {
        return false;
    };
    data.fields.iter().all(|field| {
        field_attrs(&field.attrs)
            .is_some_and(|attrs| !attrs.reads_otherwise && attrs.skip_if.is_none())
    })
}

/// serde's `rename_all` rules, as it applies them to field names.
#[derive(Clone, Copy)]
enum Rule {
    Keep,
    Upper,
    Pascal,
    Camel,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl Rule {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "lowercase" | "snake_case" => Rule::Keep,
            "UPPERCASE" => Rule::Upper,
            "PascalCase" => Rule::Pascal,
            "camelCase" => Rule::Camel,
            "SCREAMING_SNAKE_CASE" => Rule::ScreamingSnake,
            "kebab-case" => Rule::Kebab,
            "SCREAMING-KEBAB-CASE" => Rule::ScreamingKebab,
            _ => return None,
        })
    }

    fn apply(self, field: &str) -> String {
        match self {
            Rule::Keep => field.to_owned(),
            Rule::Upper | Rule::ScreamingSnake => field.to_ascii_uppercase(),
            Rule::Pascal => pascal(field),
            Rule::Camel => {
                let pascal = pascal(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            Rule::Kebab => field.replace('_', "-"),
            Rule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

/// Each `_` dropped and the letter after it (and the first) upper-cased.
fn pascal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The struct's `rename_all` rule (`Keep` without one); `None` for an attribute this module
/// does not understand.
fn container_rule(attrs: &[Attribute]) -> Option<Rule> {
    let mut rule = Rule::Keep;
    each_serde_item(attrs, |meta| {
        match item_name(&meta).as_str() {
            "rename_all" => {
                let name: LitStr = meta.value()?.parse()?;
                rule = Rule::parse(&name.value()).ok_or_else(|| meta.error("unknown rule"))?;
            }
            // The type's own name, decoding, bounds: no effect on the keys.
            "rename" | "deny_unknown_fields" | "default" | "bound" | "crate" => skip_value(&meta)?,
            _ => return Err(meta.error("not understood")),
        }
        Ok(())
    })?;
    Some(rule)
}

#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    skip: bool,
    skip_if: Option<syn::ExprPath>,
    /// Decoding reads the field other than as written: another name, another function, or not
    /// at all while encoding writes it (or the reverse, `skip_serializing` alone).
    reads_otherwise: bool,
}

fn field_attrs(attrs: &[Attribute]) -> Option<FieldAttrs> {
    let mut out = FieldAttrs::default();
    each_serde_item(attrs, |meta| {
        match item_name(&meta).as_str() {
            // `rename(serialize = …)` and friends are not followed: the value must be a string.
            "rename" => out.rename = Some(meta.value()?.parse::<LitStr>()?.value()),
            "skip" => out.skip = true,
            "skip_serializing" => {
                out.skip = true;
                out.reads_otherwise = true;
            }
            "skip_serializing_if" => {
                let path: LitStr = meta.value()?.parse()?;
                out.skip_if = Some(path.parse()?);
            }
            // Decoding only.
            "default" | "bound" => skip_value(&meta)?,
            "alias" | "skip_deserializing" | "deserialize_with" => {
                out.reads_otherwise = true;
                skip_value(&meta)?
            }
            _ => return Err(meta.error("not understood")),
        }
        Ok(())
    })?;
    Some(out)
}

/// Runs `item` on each item of the `#[serde(…)]` attributes; `None` when one is refused.
fn each_serde_item(
    attrs: &[Attribute],
    mut item: impl FnMut(syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) -> Option<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(&mut item).ok()?;
    }
    Some(())
}

/// The item's name (`rename` in `rename = "x"`); empty for a path of several segments.
fn item_name(meta: &syn::meta::ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Consumes `= value` after a path, if there is one.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(item: &str) -> Option<Vec<String>> {
        let input: DeriveInput = syn::parse_str(item).unwrap();
        let count = match &input.data {
            syn::Data::Struct(s) => s.fields.len(),
            _ => 0,
        };
        written_fields(&input, &vec![false; count])
            .map(|fields| fields.into_iter().map(|f| f.key).collect())
    }

    #[test]
    fn keys_follow_serde_naming_and_are_sorted() {
        assert_eq!(
            keys(
                "struct A { size: u8, #[serde(rename = \"ID\")] id: String, appraised_value: u8 }"
            ),
            Some(vec!["ID".into(), "appraised_value".into(), "size".into()])
        );
        let rules = [
            ("PascalCase", "AppraisedValue"),
            ("camelCase", "appraisedValue"),
            ("snake_case", "appraised_value"),
            ("lowercase", "appraised_value"),
            ("UPPERCASE", "APPRAISED_VALUE"),
            ("SCREAMING_SNAKE_CASE", "APPRAISED_VALUE"),
            ("kebab-case", "appraised-value"),
            ("SCREAMING-KEBAB-CASE", "APPRAISED-VALUE"),
        ];
        for (rule, key) in rules {
            let item = format!(
                "#[serde(rename_all = \"{rule}\", deny_unknown_fields)] struct A {{ r#appraised_value: u8, #[serde(skip)] x: u8 }}"
            );
            assert_eq!(keys(&item), Some(vec![key.to_owned()]), "{rule}");
        }
    }

    #[test]
    fn fields_read_back_as_written_unless_decoding_names_skips_or_reads_them_otherwise() {
        let reads_back = |item: &str| reads_back(&syn::parse_str(item).unwrap());
        assert!(reads_back(
            "#[serde(rename_all = \"camelCase\", default)] struct A { #[serde(rename = \"X\", default)] a: u8, #[serde(skip)] b: u8 }"
        ));
        for item in [
            "struct A { #[serde(alias = \"b\")] a: u8 }",
            "struct A { #[serde(skip_deserializing)] a: u8 }",
            "struct A { #[serde(deserialize_with = \"f\")] a: u8 }",
            "struct A { #[serde(skip_serializing)] a: u8 }",
            "struct A { #[serde(skip_serializing_if = \"f\")] a: u8 }",
            "struct A { #[serde(flatten)] a: B }",
        ] {
            assert!(!reads_back(item), "{item}");
        }
    }

    #[test]
    fn anything_else_leaves_the_type_to_serde() {
        for item in [
            "#[serde(tag = \"t\")] struct A { a: u8 }",
            "#[serde(rename_all(serialize = \"camelCase\"))] struct A { a: u8 }",
            "#[serde(rename_all = \"Train-Case\")] struct A { a: u8 }",
            "struct A { #[serde(flatten)] a: B }",
            "struct A { #[serde(serialize_with = \"f\")] a: u8 }",
            "struct A { #[serde(rename(serialize = \"b\"))] a: u8 }",
            "struct A { a: u8, #[serde(rename = \"a\")] b: u8 }",
            "struct A(u8);",
            "enum A { B }",
        ] {
            assert!(keys(item).is_none(), "{item}");
        }
        assert!(
            keys(
                "struct A { #[serde(default, alias = \"b\", skip_serializing_if = \"f\")] a: u8 }"
            )
            .is_some()
        );
    }
}
