//! Parsing and validating `#[object]` into its [`ir`](super::ir) model.

use proc_macro2::TokenStream;
use syn::{Data, DeriveInput, Fields};

use super::ir::{Field, Object};
use super::keys;
use crate::common::attrs::Args;
use crate::common::determinism;
use crate::common::diagnostics::Errors;

pub fn parse(args: TokenStream, item: TokenStream) -> syn::Result<Object> {
    let mut errors = Errors::default();
    Args::parse(args, "#[object]", &[], &mut errors);
    let input: DeriveInput = syn::parse2(item).map_err(|e| {
        syn::Error::new(e.span(), "`#[object]` goes on a struct or a fieldless enum")
    })?;
    if !input.generics.params.is_empty() {
        errors.at(&input.generics, "an `#[object]` type cannot be generic: its metadata component needs one concrete schema");
    }
    let mut deny_unknown = false;
    let mut fields = Vec::new();
    match &input.data {
        Data::Struct(s) => {
            let named = matches!(s.fields, Fields::Named(_));
            deny_unknown = named;
            for field in &s.fields {
                determinism::check_type(&field.ty, &mut errors);
                fields.push(Field {
                    ty: field.ty.clone(),
                    omit_none: named && is_option(&field.ty) && !skips_itself(&field.attrs),
                });
            }
        }
        Data::Enum(e) => {
            for variant in &e.variants {
                if !matches!(variant.fields, Fields::Unit) {
                    errors.at(
                        &variant.ident,
                        "`#[object]` enums must be fieldless: a variant with data has no representation in Fabric metadata (no `oneOf`); use a struct with optional fields",
                    );
                }
            }
        }
        Data::Union(u) => errors.at(
            u.union_token,
            "`#[object]` goes on a struct or a fieldless enum, not a union",
        ),
    }
    errors.finish()?;
    let omit_none: Vec<bool> = fields.iter().map(|f| f.omit_none).collect();
    let writer = keys::written_fields(&input, &omit_none);
    let reads_back = writer.is_some() && keys::reads_back(&input);
    Ok(Object {
        input,
        deny_unknown,
        fields,
        writer,
        reads_back,
    })
}

/// `Option<T>` as written (`Option`, `std::option::Option`, …). A type alias of an `Option` is
/// not seen through: such a field serialises `None` as `null` unless it says otherwise.
fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|s| {
            s.ident == "Option" && matches!(s.arguments, syn::PathArguments::AngleBracketed(_))
        }),
        _ => false,
    }
}

/// Whether the field already decides how it serialises when empty.
fn skips_itself(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("serde")
            && matches!(&a.meta, syn::Meta::List(list)
                if list.tokens.to_string().contains("skip_serializing"))
    })
}
