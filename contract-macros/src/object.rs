//! `#[object]`: a type that travels as JSON in arguments, results, events and state.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit::Visit;
use syn::{Data, DeriveInput, Fields};

use crate::attrs::Args;
use crate::errors::Errors;

pub fn expand(
    args: TokenStream,
    item: TokenStream,
    krate: &TokenStream,
) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    Args::parse(args, "#[object]", &[], &mut errors);
    let input: DeriveInput = syn::parse2(item).map_err(|e| {
        syn::Error::new(e.span(), "`#[object]` goes on a struct or a fieldless enum")
    })?;
    if !input.generics.params.is_empty() {
        errors.at(&input.generics, "an `#[object]` type cannot be generic: its metadata component needs one concrete schema");
    }
    let mut deny_unknown = false;
    match &input.data {
        Data::Struct(s) => {
            deny_unknown = matches!(s.fields, Fields::Named(_));
            for field in &s.fields {
                check_field_type(&field.ty, &mut errors);
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
            &u.union_token,
            "`#[object]` goes on a struct or a fieldless enum, not a union",
        ),
    }
    errors.finish()?;

    let ident = &input.ident;
    let serde_path = format!("{krate}::__private::serde").replace(' ', "");
    let schemars_path = format!("{krate}::__private::schemars").replace(' ', "");
    let deny = deny_unknown.then(|| quote!(#[serde(deny_unknown_fields)]));
    Ok(quote! {
        #[derive(#krate::__private::Serialize, #krate::__private::Deserialize, #krate::__private::JsonSchema)]
        #[serde(crate = #serde_path)]
        #[schemars(crate = #schemars_path)]
        #deny
        #input

        impl #krate::__private::Object for #ident {}
    })
}

fn check_field_type(ty: &syn::Type, errors: &mut Errors) {
    struct V<'e>(&'e mut Errors);
    impl<'ast> Visit<'ast> for V<'_> {
        fn visit_path_segment(&mut self, seg: &'ast syn::PathSegment) {
            let name = seg.ident.to_string();
            if name == "HashMap" || name == "HashSet" {
                let fix = if name == "HashMap" {
                    "BTreeMap"
                } else {
                    "BTreeSet"
                };
                self.0.at(&seg.ident, format!("`{name}` iterates in random order, so stored and returned JSON would differ between peers: use `{fix}`"));
            }
            syn::visit::visit_path_segment(self, seg);
        }
    }
    V(errors).visit_type(ty);
}
