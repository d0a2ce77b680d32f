//! Code for a validated contract. Never fails: every check happened in `ir`.
//!
//! Trait requirements on user types are written as `__fc::ArgOf::<UserType>` etc. with the user's
//! span, so rustc reports a missing trait once, at the user's type, with our explanation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ir::{Contract, HookKind, Tx, TxKind};

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
        quote!(__fc::TxInfo { name: #tx_name, kind: #kind, init: #init })
    });
    let describe_txs = c.txs.iter().enumerate().map(|(i, tx)| describe_tx(i, tx));
    let arms = c.txs.iter().enumerate().map(|(i, tx)| call_arm(i, tx));
    let optional_checks = c.txs.iter().map(optional_check);
    let hooks = c.hooks.iter().map(|h| {
        let ident = &h.ident;
        let ctx_ty = &h.ctx_ty;
        let ret = &h.ret;
        let ctx = quote_spanned!(ctx_ty.span()=> __fc::EvaluateParam::<#ctx_ty>::view(ctx));
        let finish = quote_spanned!(ret.span()=> __fc::HookOf::<#ret>::finish);
        let encode = quote_spanned!(ret.span()=> __fc::OutputOf::<#ret>::encode);
        match h.kind {
            HookKind::Before => quote! {
                fn before<'a>(&'a self, ctx: &'a __fc::EvaluateCtx) -> __fc::TxFuture<'a, ()> {
                    __fc::Box::pin(async move { #finish(self.#ident(#ctx).await) })
                }
            },
            HookKind::After => quote! {
                fn after<'a>(&'a self, ctx: &'a __fc::EvaluateCtx, payload: &'a [u8]) -> __fc::TxFuture<'a, ()> {
                    __fc::Box::pin(async move { #finish(self.#ident(#ctx, payload).await) })
                }
            },
            HookKind::Unknown => quote! {
                fn unknown<'a>(&'a self, ctx: &'a __fc::EvaluateCtx, function: &'a str)
                    -> __fc::Option<__fc::TxFuture<'a, __fc::Vec<u8>>> {
                    __fc::Some(__fc::Box::pin(async move { #encode(self.#ident(#ctx, function).await) }))
                }
            },
        }
    });
    let docs = opt_str(c.docs.as_deref());
    quote! {
        #item

        const _: () = {
            use #krate::__private as __fc;

            #(#optional_checks)*

            impl __fc::Contract for #self_ty {
                const INFO: __fc::ContractInfo = __fc::ContractInfo {
                    name: #name,
                    default: #default,
                    transactions: &[#(#infos),*],
                    package: ::core::env!("CARGO_PKG_NAME"),
                    version: ::core::env!("CARGO_PKG_VERSION"),
                };

                fn describe(generator: &mut __fc::SchemaGenerator) -> __fc::ContractDoc {
                    let info = &<Self as __fc::Contract>::INFO;
                    __fc::contract(info, #docs, __fc::Vec::from([#(#describe_txs),*]))
                }

                fn call<'a>(
                    &'a self,
                    index: usize,
                    ctx: &'a __fc::SubmitCtx,
                    args: &'a [__fc::Vec<u8>],
                ) -> __fc::TxFuture<'a, __fc::Vec<u8>> {
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

fn positional(tx: &Tx) -> impl Iterator<Item = &crate::ir::Param> {
    tx.params.iter().filter(|p| p.transient.is_none())
}

fn optional_flags(tx: &Tx) -> Vec<TokenStream> {
    positional(tx)
        .map(|p| {
            let ty = &p.ty;
            quote_spanned!(ty.span()=> __fc::ArgOf::<#ty>::OPTIONAL)
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
    let describe = |p: &crate::ir::Param, name: &str| {
        let ty = &p.ty;
        quote_spanned!(ty.span()=> __fc::ArgOf::<#ty>::param(generator, #name, __fc::None))
    };
    let params = positional(tx)
        .map(|p| describe(p, &p.ident.to_string().trim_start_matches("r#").to_string()));
    let transient = tx
        .params
        .iter()
        .filter_map(|p| p.transient.as_ref().map(|key| describe(p, key)));
    let ret = &tx.ret;
    let returns = quote_spanned!(ret.span()=> __fc::OutputOf::<#ret>::returns(generator));
    let docs = opt_str(tx.docs.as_deref());
    quote! {
        __fc::transaction(
            &info.transactions[#index],
            #docs,
            __fc::Vec::from([#(#params),*]),
            __fc::Vec::from([#(#transient),*]),
            #returns,
        )
    }
}

fn call_arm(index: usize, tx: &Tx) -> TokenStream {
    let tx_name = &tx.name;
    let ident = &tx.ident;
    let ctx_ty = &tx.ctx_ty;
    let ctx = match tx.kind {
        TxKind::Submit => quote_spanned!(ctx_ty.span()=> __fc::SubmitParam::<#ctx_ty>::get(ctx)),
        TxKind::Evaluate => {
            quote_spanned!(ctx_ty.span()=> __fc::EvaluateParam::<#ctx_ty>::get(ctx))
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
            Some(key) => quote_spanned!(ty.span()=> __fc::ArgOf::<#ty>::transient(TX, ctx, #key)),
            None => {
                let at = position;
                position += 1;
                quote_spanned!(ty.span()=> __fc::ArgOf::<#ty>::decode(TX, args, #at, #name))
            }
        };
        decodes.push(quote!(let #var = #decode?;));
        vars.push(var);
    }
    let ret = &tx.ret;
    let encode = quote_spanned!(ret.span()=> __fc::OutputOf::<#ret>::encode);
    quote! {
        #index => __fc::Box::pin(async move {
            const TX: &str = #tx_name;
            const REQUIRED: usize = __fc::required_count(&[#(#flags),*]);
            __fc::check_count(args, REQUIRED, #total)?;
            #(#decodes)*
            #encode(self.#ident(#ctx, #(#vars),*).await)
        }),
    }
}
