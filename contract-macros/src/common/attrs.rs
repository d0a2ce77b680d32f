//! Our attribute grammar: `flag` and `key = "text"` entries separated by commas. Unknown,
//! duplicate and malformed entries are errors at their own tokens.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use crate::common::diagnostics::Errors;

/// One entry.
pub struct Entry {
    pub key: Ident,
    pub value: Option<LitStr>,
    /// `key = Type` (a type instead of a string).
    pub ty: Option<syn::Type>,
    /// The tokens of `key(…)`.
    pub list: Option<TokenStream>,
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = input.call(Ident::parse_any)?;
        if input.peek(syn::token::Paren) {
            let inner;
            syn::parenthesized!(inner in input);
            let list: TokenStream = inner.parse()?;
            return Ok(Entry {
                key,
                value: None,
                ty: None,
                list: Some(list),
            });
        }
        let (mut value, mut ty) = (None, None);
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            if input.peek(LitStr) {
                value = Some(input.parse::<LitStr>()?);
            } else {
                ty = Some(input.parse::<syn::Type>().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        format!("expected a string literal or a type: `{key} = \"…\"`"),
                    )
                })?);
            }
        }
        Ok(Entry {
            key,
            value,
            ty,
            list: None,
        })
    }
}

/// Which entries an attribute accepts.
#[derive(Clone, Copy)]
pub enum Kind {
    Flag,
    Str,
    /// `key = SomeType`.
    Type,
    /// `key(…)`, parsed by the caller.
    List,
}

/// The parsed, checked entries of one attribute.
pub struct Args {
    entries: Vec<Entry>,
}

impl Args {
    /// Parses `tokens` (the inside of the attribute's parentheses) against `allowed`.
    pub fn parse(
        tokens: TokenStream,
        what: &str,
        allowed: &[(&str, Kind)],
        errors: &mut Errors,
    ) -> Args {
        let parsed =
            syn::parse::Parser::parse2(Punctuated::<Entry, Token![,]>::parse_terminated, tokens);
        let list = match parsed {
            Ok(list) => list,
            Err(e) => {
                errors.push(e);
                return Args {
                    entries: Vec::new(),
                };
            }
        };
        let mut entries: Vec<Entry> = Vec::new();
        for entry in list {
            let key = entry.key.to_string();
            let Some((_, kind)) = allowed.iter().find(|(k, _)| *k == key) else {
                let names: Vec<String> = allowed.iter().map(|(k, _)| format!("`{k}`")).collect();
                let expected = if names.is_empty() {
                    format!("`{what}` takes no arguments")
                } else {
                    format!("expected {}", names.join(", "))
                };
                errors.at(
                    &entry.key,
                    format!("unknown argument `{key}` of `{what}`: {expected}"),
                );
                continue;
            };
            match (kind, &entry.value, &entry.ty, &entry.list) {
                (Kind::Flag, Some(v), _, _) => {
                    errors.at(v, format!("`{key}` is a flag and takes no value"));
                    continue;
                }
                (Kind::Flag, _, Some(t), _) => {
                    errors.at(t, format!("`{key}` is a flag and takes no value"));
                    continue;
                }
                (Kind::Flag | Kind::Str, _, _, Some(_)) => {
                    errors.at(
                        &entry.key,
                        format!("`{key}` takes no list: write `{key}` or `{key} = \"…\"`"),
                    );
                    continue;
                }
                (Kind::List, _, _, None) => {
                    errors.at(&entry.key, format!("`{key}` needs a list: `{key}(…)`"));
                    continue;
                }
                (Kind::Str, None, _, None) => {
                    errors.at(
                        &entry.key,
                        format!("`{key}` needs a value: `{key} = \"…\"`"),
                    );
                    continue;
                }
                (Kind::Type, _, None, _) => {
                    errors.at(
                        &entry.key,
                        format!("`{key}` needs a type: `{key} = MyType`"),
                    );
                    continue;
                }
                _ => {}
            }
            if let Some(first) = entries.iter().find(|e| e.key == entry.key) {
                let mut e = syn::Error::new_spanned(
                    &entry.key,
                    format!("duplicate argument `{key}` of `{what}`"),
                );
                e.combine(syn::Error::new_spanned(
                    &first.key,
                    format!("`{key}` first given here"),
                ));
                errors.push(e);
                continue;
            }
            entries.push(entry);
        }
        Args { entries }
    }

    /// The value of a string entry.
    pub fn str(&self, key: &str) -> Option<&LitStr> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| e.value.as_ref())
    }

    /// The value of a type entry.
    pub fn ty(&self, key: &str) -> Option<&syn::Type> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| e.ty.as_ref())
    }

    /// The tokens of a list entry.
    pub fn list(&self, key: &str) -> Option<&TokenStream> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| e.list.as_ref())
    }

    /// The span of a flag, if given.
    pub fn flag(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.key.span())
    }
}

/// The tokens inside an attribute's parentheses (empty for a bare `#[name]`).
pub fn inner_tokens(attr: &syn::Attribute, errors: &mut Errors) -> TokenStream {
    match &attr.meta {
        syn::Meta::Path(_) => TokenStream::new(),
        syn::Meta::List(list) => list.tokens.clone(),
        syn::Meta::NameValue(nv) => {
            errors.at(nv, "expected `#[name]` or `#[name(…)]`");
            TokenStream::new()
        }
    }
}

/// The doc comment of an item, lines joined, or `None`.
pub fn docs(attrs: &[syn::Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            lines.push(s.value().trim().to_string());
        }
    }
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}
