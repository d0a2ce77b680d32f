//! Code for a validated contract. Never fails: every check happened in `parse`.
//!
//! Trait requirements on user types are written as `<UserType as __fc::TxArg>::…` with the
//! user's span, so rustc reports a missing trait at the user's type, with our explanation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ir::{Contract, HookKind, Param, Tx, TxKind};

/// The whole expansion: the user's impl block (our attributes removed) and the generated impl.
pub fn contract(c: &Contract, krate: &TokenStream) -> TokenStream {
    let item = &c.item;
    let self_ty = &c.self_ty;
    let name = &c.name;
    let default = c.default;
    let infos = c.txs.iter().map(|tx| {
        let tx_name = &tx.name;
        let kind = match tx.kind {
            TxKind::Submit => quote!(__fc::TxKind::Submit),
            TxKind::Evaluate => quote!(__fc::TxKind::Evaluate),
        };
        let init = tx.init;
        let require = tx.require.iter().map(|r| {
            let msp = &r.msp;
            let ous = &r.ous;
            let attrs = r.attrs.iter().map(|(k, v)| quote!((#k, #v)));
            quote!(__fc::Requirement { msp: &[#(#msp),*], attrs: &[#(#attrs),*], ous: &[#(#ous),*] })
        });
        quote!(__fc::TxInfo { name: #tx_name, kind: #kind, init: #init, require: &[#(#require),*] })
    });
    let describe_txs = c.txs.iter().enumerate().map(|(i, tx)| describe_tx(i, tx));
    let arms = c.txs.iter().enumerate().map(|(i, tx)| call_arm(i, tx));
    let optional_checks = c.txs.iter().map(optional_check);
    let context = match &c.context {
        Some(ty) => quote!(#ty),
        None => quote!(__fc::SubmitCtx),
    };
    // Without hooks the runtime skips calling the default ones (each would box a future).
    let hooked = (!c.hooks.is_empty()).then(|| {
        quote!(
            const HOOKED: bool = true;
        )
    });
    let hooks = c.hooks.iter().map(|h| {
        let ident = &h.ident;
        let ctx_ty = &h.ctx_ty;
        let ret = &h.ret;
        let ctx = if h.ctx_mut {
            // `&mut` is accepted only when the contract has its own context (checked in `ir`);
            // the annotation makes rustc report another type at the user's parameter.
            quote_spanned!(ctx_ty.span()=> { let ctx: &mut #ctx_ty = ctx; ctx })
        } else {
            quote_spanned!(ctx_ty.span()=> <#ctx_ty as __fc::IsHookCtx<Self::Context>>::get(ctx))
        };
        let hook_name = format!("{}'s #[{}] hook", c.name, h.kind.attr());
        let mut decodes = Vec::new();
        let mut vars = Vec::new();
        for (i, p) in h.transient.iter().enumerate() {
            let var = format_ident!("__transient{}", i);
            let ty = &p.ty;
            let key = p.transient.as_deref().unwrap_or_default();
            decodes.push(quote_spanned! {ty.span()=>
                let #var = __fc::transient_arg(HOOK, __fc::base(&*ctx), #key, <#ty as __fc::TxArg>::decode, <#ty as __fc::TxArg>::absent)?;
            });
            vars.push(var);
        }
        let hook_const = (!decodes.is_empty()).then(|| quote!(const HOOK: &str = #hook_name;));
        let finish = quote_spanned!(ret.span()=> <#ret as __fc::HookOutput>::finish);
        let encode = quote_spanned!(ret.span()=> <#ret as __fc::TxOutput>::into_returned);
        match h.kind {
            HookKind::Before => quote! {
                fn before<'a>(&'a self, ctx: &'a mut Self::Context) -> __fc::TxFuture<'a, ()> {
                    __fc::Box::pin(async move {
                        #hook_const
                        #(#decodes)*
                        #finish(self.#ident(#ctx, #(#vars),*).await)
                    })
                }
            },
            HookKind::After => {
                let extra = h.extra.as_ref().map(|ty| {
                    quote_spanned!(ty.span()=> <#ty as __fc::AfterArg>::get(returned))
                });
                quote! {
                    fn after<'a>(&'a self, ctx: &'a Self::Context, returned: &'a __fc::Returned) -> __fc::TxFuture<'a, ()> {
                        __fc::Box::pin(async move {
                            #hook_const
                            #(#decodes)*
                            #finish(self.#ident(#ctx, #extra, #(#vars),*).await)
                        })
                    }
                }
            }
            HookKind::Unknown => quote! {
                fn unknown<'a>(&'a self, ctx: &'a Self::Context, function: &'a str)
                    -> __fc::Option<__fc::TxFuture<'a, __fc::Returned>> {
                    __fc::Some(__fc::Box::pin(async move {
                        #hook_const
                        #(#decodes)*
                        #encode(self.#ident(#ctx, function, #(#vars),*).await)
                    }))
                }
            },
        }
    });
    let docs = opt_str(c.docs.as_deref());
    let events = c.events.iter().map(|e| {
        let name = &e.name;
        let ty = &e.ty;
        quote_spanned!(ty.span()=> (#name, __fc::event_schema::<#ty>(generator)))
    });
    let error_checks = c.txs.iter().filter_map(error_check);
    quote! {
        #item

        const _: () = {
            use #krate::__private as __fc;
            use __fc::{ViaCodes as _, ViaNone as _};

            #(#optional_checks)*
            #(#error_checks)*

            impl __fc::Contract for #self_ty {
                type Context = #context;

                const INFO: __fc::ContractInfo = __fc::ContractInfo {
                    name: #name,
                    default: #default,
                    transactions: &[#(#infos),*],
                    package: ::core::env!("CARGO_PKG_NAME"),
                    version: ::core::env!("CARGO_PKG_VERSION"),
                    about: __fc::PackageAbout {
                        description: ::core::env!("CARGO_PKG_DESCRIPTION"),
                        license: ::core::env!("CARGO_PKG_LICENSE"),
                        authors: ::core::env!("CARGO_PKG_AUTHORS"),
                        homepage: ::core::env!("CARGO_PKG_HOMEPAGE"),
                        repository: ::core::env!("CARGO_PKG_REPOSITORY"),
                    },
                };

                fn describe(generator: &mut __fc::SchemaGenerator) -> __fc::ContractDoc {
                    let info = &<Self as __fc::Contract>::INFO;
                    __fc::contract(
                        info,
                        #docs,
                        __fc::Vec::from([#(#describe_txs),*]),
                        __fc::Vec::from([#(#events),*]),
                    )
                }

                #hooked

                fn call<'a>(
                    &'a self,
                    index: usize,
                    ctx: &'a Self::Context,
                    args: &'a [__fc::Bytes],
                ) -> __fc::TxFuture<'a, __fc::Returned> {
                    match index {
                        #(#arms)*
                        _ => __fc::no_such_transaction(index),
                    }
                }

                #(#hooks)*
            }
        };
    }
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(__fc::Some(#s)),
        None => quote!(__fc::None),
    }
}

fn positional(tx: &Tx) -> impl Iterator<Item = &Param> {
    tx.params.iter().filter(|p| p.transient.is_none())
}

fn optional_flags(tx: &Tx) -> Vec<TokenStream> {
    positional(tx)
        .map(|p| {
            let ty = &p.ty;
            quote_spanned!(ty.span()=> <#ty as __fc::TxArg>::OPTIONAL)
        })
        .collect()
}

/// Compile-time: optional parameters only at the end.
fn optional_check(tx: &Tx) -> TokenStream {
    let flags = optional_flags(tx);
    if flags.len() < 2 {
        return TokenStream::new();
    }
    let span = tx.name_span;
    quote_spanned! {span=>
        const _: () = __fc::assert_trailing_optional(&[#(#flags),*]);
    }
}

fn describe_tx(index: usize, tx: &Tx) -> TokenStream {
    let describe = |p: &Param, name: &str| {
        let ty = &p.ty;
        quote_spanned! {ty.span()=>
            __fc::param_doc(#name, <#ty as __fc::TxArg>::schema(generator), <#ty as __fc::TxArg>::OPTIONAL)
        }
    };
    let params = positional(tx).map(|p| describe(p, p.ident.to_string().trim_start_matches("r#")));
    let transient = tx
        .params
        .iter()
        .filter_map(|p| p.transient.as_ref().map(|key| describe(p, key)));
    let ret = &tx.ret;
    let returns = match output(tx) {
        Output::Split(ok, _) | Output::Plain(ok) => {
            quote_spanned!(ok.span()=> __fc::returns_doc(<#ok as __fc::TxReturn>::schema(generator)))
        }
        Output::Opaque(ret) => {
            quote_spanned!(ret.span()=> __fc::returns_doc(<#ret as __fc::TxOutput>::schema(generator)))
        }
    };
    let docs = opt_str(tx.docs.as_deref());
    let only = match &tx.errors {
        Some(variants) => {
            let names = variants.iter().map(|v| v.to_string());
            quote!(__fc::Some(&[#(#names),*]))
        }
        None => quote!(__fc::None),
    };
    let errors =
        quote!(__fc::select_errors((&&__fc::ErrorsOf::<#ret>::new()).error_codes(), #only));
    quote! {
        __fc::transaction(
            &info.transactions[#index],
            #docs,
            __fc::Vec::from([#(#params),*]),
            __fc::Vec::from([#(#transient),*]),
            #returns,
            #errors,
        )
    }
}

fn call_arm(index: usize, tx: &Tx) -> TokenStream {
    let tx_name = &tx.name;
    let ident = &tx.ident;
    let ctx_ty = &tx.ctx_ty;
    let ctx = match tx.kind {
        TxKind::Submit => {
            quote_spanned!(ctx_ty.span()=> <#ctx_ty as __fc::IsSubmitCtx<Self::Context>>::get(ctx))
        }
        TxKind::Evaluate => {
            quote_spanned!(ctx_ty.span()=> <#ctx_ty as __fc::IsEvaluateCtx<Self::Context>>::get(ctx))
        }
    };
    let flags = optional_flags(tx);
    let total = flags.len();
    let mut position = 0usize;
    let mut decodes = Vec::new();
    let mut vars = Vec::new();
    for (i, p) in tx.params.iter().enumerate() {
        let var = format_ident!("__arg{}", i);
        let ty = &p.ty;
        let name = p.ident.to_string().trim_start_matches("r#").to_string();
        let decode = match &p.transient {
            Some(key) => quote_spanned! {ty.span()=>
                __fc::transient_arg(TX, __fc::base(ctx), #key, <#ty as __fc::TxArg>::decode, <#ty as __fc::TxArg>::absent)
            },
            None => {
                let at = position;
                position += 1;
                quote_spanned! {ty.span()=>
                    __fc::decode_arg(TX, args, #at, #name, <#ty as __fc::TxArg>::decode, <#ty as __fc::TxArg>::absent)
                }
            }
        };
        decodes.push(quote!(let #var = #decode?;));
        vars.push(var);
    }
    let call = quote!(self.#ident(#ctx, #(#vars),*).await);
    let finish = match output(tx) {
        Output::Split(ok, err) => {
            let encode = quote_spanned!(ok.span()=> <#ok as __fc::TxReturn>::encode_returned);
            let convert =
                quote_spanned!(err.span()=> <#err as __fc::IntoContractError>::into_contract_error);
            quote! {
                match #call {
                    __fc::Ok(value) => #encode(value),
                    __fc::Err(error) => __fc::Err(#convert(error)),
                }
            }
        }
        Output::Plain(ret) => {
            let encode = quote_spanned!(ret.span()=> <#ret as __fc::TxReturn>::encode_returned);
            quote!(#encode(#call))
        }
        Output::Opaque(ret) => {
            let encode = quote_spanned!(ret.span()=> <#ret as __fc::TxOutput>::into_returned);
            quote!(#encode(#call))
        }
    };
    quote! {
        #index => __fc::Box::pin(async move {
            const TX: &str = #tx_name;
            const REQUIRED: usize = __fc::required_count(&[#(#flags),*]);
            __fc::check_count(args, REQUIRED, #total)?;
            #(#decodes)*
            #finish
        }),
    }
}

/// How a transaction's return type is taken apart. Bounds are written on the smallest user type
/// (`T` and `E` of `Result<T, E>`), so a missing `#[object]` or error conversion is reported at
/// that type, with the trait's own explanation.
enum Output<'a> {
    /// `Result<T, E>` as written.
    Split(&'a syn::Type, &'a syn::Type),
    /// A value type.
    Plain(&'a syn::Type),
    /// A `Result` alias with hidden parameters: only the combined bound can be written.
    Opaque(&'a syn::Type),
}

fn output(tx: &Tx) -> Output<'_> {
    if let Some((ok, err)) = &tx.ok_err {
        return Output::Split(ok, err);
    }
    let named_result = match &tx.ret {
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Result"),
        _ => false,
    };
    if named_result {
        Output::Opaque(&tx.ret)
    } else {
        Output::Plain(&tx.ret)
    }
}

/// Compile-time: every variant named in `#[errors(…)]` exists on the error type.
fn error_check(tx: &Tx) -> Option<TokenStream> {
    let variants = tx.errors.as_ref()?;
    let (_, err) = tx.ok_err.as_ref()?;
    let checks = variants
        .iter()
        .map(|v| quote!(let _ = ::core::matches!(error, #err::#v { .. });));
    let check = format_ident!("__errors_of_{}", tx.ident);
    Some(quote! {
        #[allow(dead_code, non_snake_case)]
        fn #check(error: &#err) {
            #(#checks)*
        }
    })
}
