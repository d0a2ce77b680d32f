//! Parsing and validating `#[derive(ContractError)]` into its [`ir`](super::ir) model.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Data, DeriveInput, Fields, Ident, LitInt, LitStr, Token};

use super::ir::{Case, ErrorType, Message, Spec};
use crate::common::diagnostics::Errors;

/// The framework's error types (as re-exported by `__private`) that convert into any error type
/// with a `#[from] ContractError` case. Keep in step with `fabric_contract::__private`.
pub const FRAMEWORK_ERRORS: &[&str] = &[
    "StubError",
    "EventError",
    "JsonError",
    "IdentityError",
    "StateError",
    "ArgError",
];

pub fn parse(input: TokenStream) -> syn::Result<ErrorType> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() {
        errors.at(
            &input.generics,
            "`#[derive(ContractError)]` does not support generic types",
        );
    }
    let ident = input.ident.clone();
    let mut cases = Vec::new();
    match &input.data {
        Data::Enum(e) => {
            for v in &e.variants {
                let vi = &v.ident;
                if let Some(case) = case(
                    quote!(#ident::#vi),
                    &v.attrs,
                    &v.fields,
                    &v.ident,
                    &mut errors,
                ) {
                    cases.push(case);
                }
            }
        }
        Data::Struct(s) => {
            if let Some(case) = case(quote!(#ident), &input.attrs, &s.fields, &ident, &mut errors) {
                cases.push(case);
            }
        }
        Data::Union(u) => errors.at(
            u.union_token,
            "`#[derive(ContractError)]` goes on an enum or a struct",
        ),
    }
    let accepts_contract_error = cases.iter().position(|c| {
        c.from
            .as_ref()
            .is_some_and(|(ty, _)| last_ident(ty).is_some_and(|i| i == "ContractError"))
    });
    if accepts_contract_error.is_some() {
        // `From<StubError>` would be generated twice: once for the user's case, once through
        // `ContractError`. Say so at the user's field rather than as a conflicting impl.
        for c in &cases {
            if let Some((ty, _)) = &c.from
                && let Some(name) = last_ident(ty)
                && FRAMEWORK_ERRORS.contains(&name.as_str())
            {
                errors.at(
                    ty,
                    format!("`{name}` already converts into this type through its `#[from] ContractError` case (every framework error does): remove this `#[from]`, or the one on `ContractError`"),
                );
            }
        }
    }
    errors.finish()?;
    Ok(ErrorType {
        ident,
        cases,
        accepts_contract_error,
    })
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

impl Parse for Spec {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let message = if input.peek(LitStr) {
            Message::Template(input.parse()?)
        } else {
            let ident: Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected `#[error(\"message {0}\")]` or `#[error(transparent)]`",
                )
            })?;
            if ident != "transparent" {
                return Err(syn::Error::new(
                    ident.span(),
                    "expected a message template or `transparent`",
                ));
            }
            Message::Transparent(ident.span())
        };
        let mut spec = Spec {
            message,
            code: None,
            status: None,
        };
        while input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "code" if spec.code.is_none() => {
                    let lit: LitStr = input.parse()?;
                    if !valid_code(&lit.value()) {
                        return Err(syn::Error::new(
                            lit.span(),
                            "error codes match `[A-Z][A-Z0-9_]*` so clients can split `CODE: message`",
                        ));
                    }
                    spec.code = Some(lit);
                }
                "status" if spec.status.is_none() => {
                    let lit: LitInt = input.parse()?;
                    let value: u16 = lit.base10_parse()?;
                    if !(400..=599).contains(&value) {
                        return Err(syn::Error::new(
                            lit.span(),
                            "an error status is from 400 to 599: the peer endorses anything below 400",
                        ));
                    }
                    spec.status = Some(lit);
                }
                "code" | "status" => {
                    return Err(syn::Error::new(key.span(), format!("duplicate `{key}`")));
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown argument `{other}`: expected `code = \"…\"` or `status = 4xx/5xx`"
                        ),
                    ));
                }
            }
        }
        if matches!(spec.message, Message::Transparent(_))
            && (spec.code.is_some() || spec.status.is_some())
        {
            return Err(syn::Error::new(
                Span::call_site(),
                "`transparent` errors take their text from the inner error and no code or status",
            ));
        }
        Ok(spec)
    }
}

fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('A'..='Z'))
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn case(
    path: TokenStream,
    attrs: &[syn::Attribute],
    fields: &Fields,
    at: &Ident,
    errors: &mut Errors,
) -> Option<Case> {
    let error_attrs: Vec<&syn::Attribute> = attrs
        .iter()
        .filter(|a| a.path().is_ident("error"))
        .collect();
    let spec = match error_attrs.as_slice() {
        [] => {
            errors.at(at, "every variant needs `#[error(\"message\")]` (optionally with `code = \"…\"`, `status = …`) or `#[error(transparent)]`");
            return None;
        }
        [attr] => match attr.parse_args::<Spec>() {
            Ok(spec) => spec,
            Err(e) => {
                errors.push(e);
                return None;
            }
        },
        [_, second, ..] => {
            errors.at(second, "duplicate `#[error]`");
            return None;
        }
    };
    let names: Vec<Ident> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| f.ident.clone().unwrap_or_else(|| format_ident!("_{}", i)))
        .collect();
    let pattern = match fields {
        Fields::Named(_) => quote!(#path { #(#names),* }),
        Fields::Unnamed(_) => quote!(#path ( #(#names),* )),
        Fields::Unit => quote!(#path),
    };
    let mut source = None;
    let mut from = None;
    for (i, field) in fields.iter().enumerate() {
        let is_from = field.attrs.iter().any(|a| a.path().is_ident("from"));
        let is_source = field.attrs.iter().any(|a| a.path().is_ident("source"));
        if is_from || is_source {
            source = Some(names[i].clone());
        }
        if is_from {
            if fields.len() != 1 {
                errors.at(
                    &field.ty,
                    "`#[from]` needs the variant to have exactly one field",
                );
                return None;
            }
            let ty = field.ty.clone();
            let build = match &field.ident {
                Some(name) => quote!(#path { #name: source }),
                None => quote!(#path(source)),
            };
            from = Some((ty, build));
        }
    }
    if let Message::Transparent(span) = spec.message {
        if fields.len() != 1 {
            errors.at_span(span, "`#[error(transparent)]` needs exactly one field");
            return None;
        }
        source = Some(names[0].clone());
    }
    Some(Case {
        name: at.clone(),
        pattern,
        spec,
        source,
        from,
    })
}
