//! `#[derive(ContractError)]`: `Display` from `#[error("…")]` templates, `std::error::Error`,
//! `From` for `#[from]` fields, and the conversion into `ContractError` with optional code and
//! status.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Data, DeriveInput, Fields, Ident, LitInt, LitStr, Token};

use crate::errors::Errors;

struct Spec {
    message: Message,
    code: Option<LitStr>,
    status: Option<LitInt>,
}

enum Message {
    Template(LitStr),
    Transparent(Span),
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

/// One variant (or the struct itself), ready for codegen.
struct Case {
    pattern: TokenStream,
    spec: Spec,
    source: Option<Ident>,
    from: Option<(syn::Type, TokenStream)>,
}

pub fn expand(input: TokenStream, krate: &TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() {
        errors.at(
            &input.generics,
            "`#[derive(ContractError)]` does not support generic types",
        );
    }
    let ident = &input.ident;
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
            if let Some(case) = case(quote!(#ident), &input.attrs, &s.fields, ident, &mut errors) {
                cases.push(case);
            }
        }
        Data::Union(u) => errors.at(
            &u.union_token,
            "`#[derive(ContractError)]` goes on an enum or a struct",
        ),
    }
    errors.finish()?;

    let display_arms = cases.iter().map(|c| {
        let pattern = &c.pattern;
        match &c.spec.message {
            Message::Template(lit) => {
                let text = LitStr::new(&rewrite_positional(&lit.value()), lit.span());
                quote!(#pattern => ::core::write!(f, #text),)
            }
            Message::Transparent(_) => {
                let inner = c.source.as_ref().expect("transparent has one field");
                quote!(#pattern => ::core::fmt::Display::fmt(#inner, f),)
            }
        }
    });
    let source_arms = cases.iter().map(|c| {
        let pattern = &c.pattern;
        match &c.source {
            Some(inner) => quote!(#pattern => ::core::option::Option::Some(#inner as &(dyn ::std::error::Error + 'static)),),
            None => quote!(#pattern => ::core::option::Option::None,),
        }
    });
    let contract_arms = cases.iter().map(|c| {
        let pattern = &c.pattern;
        let status = c
            .spec
            .status
            .as_ref()
            .map_or_else(|| quote!(500u16), |s| quote!(#s));
        let code = match &c.spec.code {
            Some(code) => quote!(::core::option::Option::Some(#code)),
            None => quote!(::core::option::Option::None),
        };
        quote!(#pattern => (#code, #status),)
    });
    let froms = cases.iter().filter_map(|c| {
        let (ty, build) = c.from.as_ref()?;
        Some(quote! {
            impl ::core::convert::From<#ty> for #ident {
                fn from(source: #ty) -> Self { #build }
            }
        })
    });
    Ok(quote! {
        const _: () = {
            use #krate::__private as __fc;

            impl ::core::fmt::Display for #ident {
                #[allow(unused_variables)]
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    match self { #(#display_arms)* }
                }
            }

            impl ::std::error::Error for #ident {
                #[allow(unused_variables)]
                fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                    match self { #(#source_arms)* }
                }
            }

            #(#froms)*

            impl ::core::convert::From<#ident> for __fc::ContractError {
                #[allow(unused_variables)]
                fn from(error: #ident) -> Self {
                    let (code, status): (::core::option::Option<&'static str>, u16) = match &error { #(#contract_arms)* };
                    let message = ::std::string::ToString::to_string(&error);
                    let built = __fc::ContractError::new(message).with_status(status);
                    match code {
                        ::core::option::Option::Some(code) => built.with_code(code),
                        ::core::option::Option::None => built,
                    }
                }
            }
        };
    })
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
        pattern,
        spec,
        source,
        from,
    })
}

/// `{0}` → `{_0}`: positional fields are bound as `_0`, `_1`, … so the template can capture them.
fn rewrite_positional(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 4);
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '{' {
            if chars.peek() == Some(&'{') {
                out.push(chars.next().unwrap_or('{'));
                continue;
            }
            if chars.peek().is_some_and(char::is_ascii_digit) {
                out.push('_');
            }
        }
    }
    out
}
