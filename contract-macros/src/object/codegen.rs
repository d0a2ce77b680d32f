//! Code for a validated `#[object]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ir::{Object, SkipIf};

pub fn object(o: &Object, krate: &TokenStream) -> TokenStream {
    let mut input = o.input.clone();
    let omit = format!("{krate}::__private::Option::is_none").replace(' ', "");
    if let syn::Data::Struct(s) = &mut input.data {
        for (field, model) in s.fields.iter_mut().zip(&o.fields) {
            if model.omit_none {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(skip_serializing_if = #omit)]));
            }
        }
    }
    let ident = &input.ident;
    let serde_path = format!("{krate}::__private::serde").replace(' ', "");
    let schemars_path = format!("{krate}::__private::schemars").replace(' ', "");
    let deny = o
        .deny_unknown
        .then(|| quote!(#[serde(deny_unknown_fields)]));
    // Checked first, at each field's type, so a type lacking serde or schemars support is
    // reported at the user's field with the fix instead of inside the derives.
    let writer = writer(o);
    let scanner = scanner(o);
    let field_checks = o.fields.iter().map(|f| {
        let ty = &f.ty;
        quote_spanned!(ty.span()=> __fc::assert_object_field::<#ty>();)
    });
    quote! {
        #[derive(#krate::__private::Serialize, #krate::__private::Deserialize, #krate::__private::JsonSchema)]
        #[serde(crate = #serde_path)]
        #[schemars(crate = #schemars_path)]
        #deny
        #input

        const _: () = {
            use #krate::__private as __fc;

            #[allow(dead_code)]
            fn __field_types() {
                #(#field_checks)*
            }

            impl __fc::Object for #ident {}

            impl __fc::TxArg for #ident {
                fn decode(raw: &[u8]) -> __fc::Result<Self, __fc::ArgFault> {
                    __fc::decode_object(raw)
                }
                fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Schema {
                    generator.subschema_for::<Self>()
                }
            }

            impl __fc::TxArgElem for #ident {}

            #writer

            #scanner

            impl __fc::TxReturn for #ident {
                fn encode(self) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
                    __fc::encode_object(&self, __WRITER)
                }
                fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Option<__fc::Schema> {
                    __fc::Some(generator.subschema_for::<Self>())
                }
            }

            impl __fc::TxReturnElem for #ident {
                fn encode_vec(
                    items: __fc::Vec<Self>,
                ) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
                    __fc::encode_objects(&items, __WRITER)
                }
            }
        };
    }
}

/// `__WRITER`: the type's JSON writer (see `fabric_contract::json`'s `object` module), `None`
/// when serde alone decides its JSON or a key needs escaping.
fn writer(o: &Object) -> TokenStream {
    let ident = &o.input.ident;
    let Some(fields) = &o.writer else {
        return quote!(const __WRITER: __fc::Option<__fc::WriteObject<#ident>> = __fc::None;);
    };
    let keys = fields.iter().map(|f| &f.key);
    let writes = fields.iter().map(|f| {
        let field = &f.ident;
        let key = f.quoted_key();
        let write = quote_spanned!(f.ty.span()=> writer.field(#key, &value.#field)?;);
        match &f.skip_if {
            SkipIf::Never => write,
            SkipIf::None => quote!(if !__fc::Option::is_none(&value.#field) { #write }),
            SkipIf::Path(path) => quote!(if !#path(&value.#field) { #write }),
        }
    });
    quote! {
        fn __write_json(
            value: &#ident,
            writer: &mut __fc::ObjectWriter,
        ) -> __fc::Result<(), __fc::JsonError> {
            writer.open();
            #(#writes)*
            writer.close();
            __fc::Ok(())
        }

        const __WRITER: __fc::Option<__fc::WriteObject<#ident>> =
            if __fc::keys_are_plain(&[#(#keys),*]) { __fc::Some(__write_json) } else { __fc::None };
    }
}

/// The type's `CanonicalJson`: its JSON is recognised field by field in the writer's order, or,
/// for a type whose writer's output does not read back as written, never.
fn scanner(o: &Object) -> TokenStream {
    let ident = &o.input.ident;
    let body = match &o.writer {
        Some(fields) if o.reads_back => {
            let steps = fields.iter().map(|f| {
                let key = f.quoted_key();
                let ty = &f.ty;
                let value = quote_spanned!(ty.span()=> |value: &[u8]| (&__fc::Probe::<#ty>::NEW).canonical_len(value));
                match f.skip_if {
                    SkipIf::None => quote!(scan.optional(#key, #value)?;),
                    _ => quote!(scan.field(#key, #value)?;),
                }
            });
            quote! {
                use __fc::{ViaCanonical as _, ViaUnknown as _};
                // No writer: a key needs escaping, so the prepared keys are not what is stored.
                __WRITER?;
                let mut scan = __fc::ObjectScan::open(text)?;
                #(#steps)*
                scan.close()
            }
        }
        _ => quote!(__fc::None),
    };
    quote! {
        impl __fc::CanonicalJson for #ident {
            fn canonical_len(text: &[u8]) -> __fc::Option<usize> {
                #body
            }
        }
    }
}
