//! Code for a validated `#[derive(ContractError)]`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::LitStr;

use super::ir::{ErrorType, Message};
use super::parse::FRAMEWORK_ERRORS;

pub fn contract_error(e: &ErrorType, krate: &TokenStream) -> TokenStream {
    let ident = &e.ident;
    let cases = &e.cases;
    let display_arms = cases.iter().map(|c| {
        let pattern = &c.pattern;
        match &c.spec.message {
            Message::Template(lit) => {
                let text = LitStr::new(&rewrite_positional(&lit.value()), lit.span());
                quote!(#pattern => ::core::write!(f, #text),)
            }
            Message::Transparent(_) => match &c.source {
                Some(inner) => quote!(#pattern => ::core::fmt::Display::fmt(#inner, f),),
                None => quote!(#pattern => ::core::result::Result::Ok(()),),
            },
        }
    });
    let source_arms = cases.iter().map(|c| {
        let pattern = &c.pattern;
        match &c.source {
            Some(inner) => quote!(#pattern => ::core::option::Option::Some(#inner as &(dyn ::std::error::Error + 'static)),),
            None => quote!(#pattern => ::core::option::Option::None,),
        }
    });
    let status_of = |c: &super::ir::Case| {
        c.spec
            .status
            .as_ref()
            .map_or_else(|| quote!(500u16), |s| quote!(#s))
    };
    let contract_arms = cases.iter().map(|c| {
        let pattern = &c.pattern;
        let status = status_of(c);
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
    // Every framework error reaches the user's `#[from] ContractError` case, so `?` works on
    // `ctx.set_event(…)`, typed state, identity and JSON calls alike.
    let framework = e.accepts_contract_error.map(|_| {
        let impls = FRAMEWORK_ERRORS.iter().map(|name| {
            let ty = format_ident!("{}", name);
            quote! {
                impl ::core::convert::From<__fc::framework::#ty> for #ident {
                    fn from(error: __fc::framework::#ty) -> Self {
                        <Self as ::core::convert::From<__fc::ContractError>>::from(
                            ::core::convert::From::from(error),
                        )
                    }
                }
            }
        });
        quote!(#(#impls)*)
    });
    let codes = cases.iter().filter_map(|c| {
        let code = c.spec.code.as_ref()?;
        let status = status_of(c);
        let message = match &c.spec.message {
            Message::Template(lit) => clean_template(&lit.value()),
            Message::Transparent(_) => String::new(),
        };
        let variant = c.name.to_string();
        Some(quote!((#variant, __fc::error_doc(#code, #status, #message))))
    });
    quote! {
        const _: () = {
            use #krate::__private as __fc;

            impl __fc::ErrorCodes for #ident {
                fn error_codes() -> __fc::Vec<(&'static str, __fc::ErrorDoc)> {
                    __fc::Vec::from([#(#codes),*])
                }
            }

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

            #framework

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
    }
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

/// The template clients see in the metadata: placeholders name the field (`{actual}`, `{0}`)
/// without Rust's format specs (`{actual:?}`, `{0:>5}`); doubled braces stay literal braces.
pub fn clean_template(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push_str("{{");
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push_str("}}");
            }
            '{' => {
                out.push('{');
                let mut in_spec = false;
                for inner in chars.by_ref() {
                    if inner == '}' {
                        break;
                    }
                    if inner == ':' {
                        in_spec = true;
                    }
                    if !in_spec && !inner.is_whitespace() {
                        out.push(inner);
                    }
                }
                out.push('}');
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clean_template;

    #[test]
    fn templates_lose_format_specs() {
        assert_eq!(
            clean_template("expected {expected}, got {actual:?} ({0:>5})"),
            "expected {expected}, got {actual} ({0})"
        );
        assert_eq!(
            clean_template("literal {{braces}} stay"),
            "literal {{braces}} stay"
        );
        assert_eq!(clean_template("no placeholders"), "no placeholders");
    }
}
