//! Parsing and validating a `#[contract]` impl block into its [`ir`](super::ir) model. Every user
//! error is found here (never in codegen), at the user's own tokens, and all of them are
//! reported together.

use std::collections::BTreeMap;

use proc_macro2::Span;
use quote::ToTokens;
use syn::visit::Visit;
use syn::{FnArg, Ident, ImplItem, ImplItemFn, ItemImpl, LitStr, Pat, ReturnType, Type};

use super::ir::{Contract, Event, Hook, HookKind, Param, Require, Tx, TxKind};
use crate::common::attrs::{self, Args, Kind};
use crate::common::determinism;
use crate::common::diagnostics::Errors;

const RESERVED: &str = "org.hyperledger.fabric";

enum Role {
    Tx {
        kind: TxKind,
        init: bool,
        name: Option<LitStr>,
    },
    Hook(HookKind),
}

const ROLE_ATTRS: &[&str] = &["submit", "evaluate", "init", "before", "after", "unknown"];

/// Parses and validates `#[contract(args)] impl … { … }`.
///
/// On failure, the user's block (our attributes removed) comes back with the errors, so the
/// rest of the crate still sees its methods and reports nothing spurious.
pub fn parse(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> Result<Contract, (syn::Error, Option<Box<ItemImpl>>)> {
    let mut errors = Errors::default();
    let contract_args = Args::parse(
        args,
        "#[contract]",
        &[
            ("name", Kind::Str),
            ("default", Kind::Flag),
            ("allow_nondeterminism", Kind::Flag),
            ("context", Kind::Type),
            ("events", Kind::List),
        ],
        &mut errors,
    );
    let context = contract_args.ty("context").cloned();
    let events = match contract_args.list("events") {
        Some(tokens) => parse_events(tokens.clone(), &mut errors),
        None => Vec::new(),
    };
    let mut item: ItemImpl = syn::parse2(item).map_err(|e| {
        let message =
            "`#[contract]` goes on an inherent `impl` block: `#[contract] impl MyContract { … }`";
        (syn::Error::new(e.span(), message), None)
    })?;
    if let Some((_, path, _)) = &item.trait_ {
        errors.at(
            path,
            "`#[contract]` goes on an inherent `impl` block, not on a trait implementation",
        );
    }
    if !item.generics.params.is_empty() || item.generics.where_clause.is_some() {
        errors.at(
            &item.generics,
            "a contract cannot be generic: the chaincode needs one concrete type",
        );
    }

    let name = match contract_args.str("name") {
        Some(lit) => {
            check_name(&lit.value(), lit, "contract", &mut errors);
            lit.value()
        }
        None => match type_name(&item.self_ty) {
            Some(n) => n,
            None => {
                errors.at(
                    &item.self_ty,
                    "cannot name the contract after this type: add `#[contract(name = \"…\")]`",
                );
                String::new()
            }
        },
    };
    let check_determinism = contract_args.flag("allow_nondeterminism").is_none();

    let mut txs = Vec::new();
    let mut hooks: Vec<Hook> = Vec::new();
    let mut roles = 0usize;
    for impl_item in &mut item.items {
        match impl_item {
            ImplItem::Fn(method) => {
                let require = take_requires(method, &mut errors);
                let listed = take_errors(method, &mut errors);
                let Some(role) = take_role(method, &mut errors) else {
                    for (attr, _) in &require {
                        errors.at(attr, "`#[require]` applies to transactions: put it on a `#[submit]`, `#[evaluate]` or `#[init]` method");
                    }
                    if let Some((attr, _)) = &listed {
                        errors.at(attr, "`#[errors]` applies to transactions: put it on a `#[submit]`, `#[evaluate]` or `#[init]` method");
                    }
                    continue;
                };
                roles += 1;
                if check_determinism {
                    determinism::check_body(&method.block, &mut errors);
                }
                match role {
                    Role::Tx { kind, init, name } => {
                        if let Some(mut tx) = parse_tx(method, kind, init, name, &mut errors) {
                            tx.require = require.into_iter().map(|(_, r)| r).collect();
                            if let Some((attr, variants)) = listed {
                                if tx.ok_err.is_none() {
                                    errors.at(&attr, "`#[errors(…)]` names variants of the method's error type: spell the return type `Result<T, MyError>`");
                                }
                                tx.errors = Some(variants);
                            }
                            txs.push(tx);
                        }
                    }
                    Role::Hook(kind) => {
                        for (attr, _) in &require {
                            errors.at(attr, format!("`#[require]` applies to transactions, not to the `#[{}]` hook: check the caller inside the hook", kind.attr()));
                        }
                        if let Some((attr, _)) = &listed {
                            errors.at(attr, format!("`#[errors]` applies to transactions, not to the `#[{}]` hook", kind.attr()));
                        }
                        if let Some(hook) = parse_hook(method, kind, context.is_some(), &mut errors) {
                            if let Some(first) = hooks.iter().find(|h| h.kind == kind) {
                                let mut e = syn::Error::new_spanned(
                                    &hook.ident,
                                    format!("a contract has at most one `#[{}]` hook", kind.attr()),
                                );
                                e.combine(syn::Error::new_spanned(&first.ident, "the first one is here"));
                                errors.push(e);
                            } else {
                                hooks.push(hook);
                            }
                        }
                    }
                }
            }
            ImplItem::Const(_) | ImplItem::Type(_) => {}
            ImplItem::Macro(m) => errors.at(
                m,
                "macro invocations are not allowed in a `#[contract]` block: the macro cannot see the methods they would create; move them to another `impl` block",
            ),
            other => errors.at(other, "unsupported item in a `#[contract]` block"),
        }
    }

    check_duplicates(&txs, &mut errors);
    let inits: Vec<&Tx> = txs.iter().filter(|t| t.init).collect();
    if inits.len() > 1 {
        let mut e = syn::Error::new(
            inits[1].name_span,
            "a chaincode has at most one `#[init]` transaction",
        );
        e.combine(syn::Error::new(
            inits[0].name_span,
            "the first `#[init]` is here",
        ));
        errors.push(e);
    }
    if roles == 0 && item.trait_.is_none() {
        errors.at_span(
            Span::call_site(),
            "a contract needs at least one transaction: mark methods with `#[submit]`, `#[evaluate]` or `#[init]`",
        );
    }
    if let Err(e) = errors.finish() {
        return Err((e, Some(Box::new(item))));
    }

    let docs = attrs::docs(&item.attrs);
    let self_ty = (*item.self_ty).clone();
    Ok(Contract {
        item,
        self_ty,
        name,
        default: contract_args.flag("default").is_some(),
        docs,
        txs,
        hooks,
        events,
        context,
    })
}

/// `Name = Type` or `"name" = Type`, comma separated: the events of `#[contract(events(…))]`.
fn parse_events(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> Vec<Event> {
    struct Decl {
        name: String,
        at: proc_macro2::TokenStream,
        ty: Type,
    }
    impl syn::parse::Parse for Decl {
        fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
            let (name, at) = if input.peek(LitStr) {
                let lit: LitStr = input.parse()?;
                (lit.value(), quote::quote!(#lit))
            } else {
                let ident: Ident = input
                    .parse()
                    .map_err(|e| syn::Error::new(e.span(), "expected `EventName = PayloadType`"))?;
                (ident.to_string(), quote::quote!(#ident))
            };
            input.parse::<syn::Token![=]>().map_err(|e| {
                syn::Error::new(e.span(), format!("expected `{name} = PayloadType`"))
            })?;
            let ty: Type = input.parse()?;
            Ok(Decl { name, at, ty })
        }
    }
    let parsed = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<Decl, syn::Token![,]>::parse_terminated,
        tokens,
    );
    let list = match parsed {
        Ok(list) => list,
        Err(e) => {
            errors.push(e);
            return Vec::new();
        }
    };
    let mut events: Vec<Event> = Vec::new();
    let mut seen: Vec<(String, proc_macro2::TokenStream)> = Vec::new();
    for decl in list {
        if decl.name.is_empty() {
            errors.at(&decl.at, "the event name must not be empty");
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == decl.name) {
            let mut e = syn::Error::new_spanned(
                &decl.at,
                format!("event `{}` is declared twice", decl.name),
            );
            e.combine(syn::Error::new_spanned(first, "first declared here"));
            errors.push(e);
            continue;
        }
        determinism::check_type(&decl.ty, errors);
        seen.push((decl.name.clone(), decl.at));
        events.push(Event {
            name: decl.name,
            ty: decl.ty,
        });
    }
    events
}

/// Finds and removes `#[errors(Variant, …)]` on a method.
fn take_errors(
    method: &mut ImplItemFn,
    errors: &mut Errors,
) -> Option<(syn::Attribute, Vec<Ident>)> {
    let mut found: Vec<syn::Attribute> = Vec::new();
    method.attrs.retain(|attr| {
        if attr.path().is_ident("errors") {
            found.push(attr.clone());
            false
        } else {
            true
        }
    });
    let attr = found.first()?.clone();
    if let Some(second) = found.get(1) {
        let mut e =
            syn::Error::new_spanned(second, "duplicate `#[errors]`: list every variant in one");
        e.combine(syn::Error::new_spanned(&attr, "first given here"));
        errors.push(e);
    }
    let tokens = attrs::inner_tokens(&attr, errors);
    let parsed = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<Ident, syn::Token![,]>::parse_terminated,
        tokens,
    );
    match parsed {
        Ok(list) => Some((attr, list.into_iter().collect())),
        Err(e) => {
            errors.push(syn::Error::new(
                e.span(),
                "expected the error type's variant names: `#[errors(NotFound, AlreadyExists)]`",
            ));
            Some((attr, Vec::new()))
        }
    }
}

/// `T` and `E` of a return type written `Result<T, E>` (any path ending in `Result` with two
/// type arguments).
fn split_result(ty: &Type) -> Option<(Type, Type)> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    });
    let (ok, err) = (types.next()?, types.next()?);
    (types.next().is_none() && args.args.len() == 2).then_some((ok, err))
}

fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn check_name(name: &str, at: &LitStr, what: &str, errors: &mut Errors) {
    if name.is_empty() {
        errors.at(at, format!("the {what} name must not be empty"));
    } else if name.contains(':') {
        errors.at(
            at,
            format!("the {what} name must not contain `:`: clients send `Contract:Function`"),
        );
    } else if name == RESERVED {
        errors.at(
            at,
            format!("`{RESERVED}` is reserved for the system contract"),
        );
    } else if name.chars().any(char::is_whitespace) {
        errors.at(at, format!("the {what} name must not contain whitespace"));
    }
}

/// Finds and removes the `#[require(…)]` attributes of a method, each checked:
/// `msp = "Org1MSP"` (or `"Org1MSP,Org2MSP"`: any of them), `attr = "name=value"`,
/// `role = "value"` (the `role` attribute), `ou = "client"`.
fn take_requires(method: &mut ImplItemFn, errors: &mut Errors) -> Vec<(syn::Attribute, Require)> {
    let mut found = Vec::new();
    method.attrs.retain(|attr| {
        if attr.path().is_ident("require") {
            found.push(attr.clone());
            false
        } else {
            true
        }
    });
    found
        .into_iter()
        .map(|attr| {
            let tokens = attrs::inner_tokens(&attr, errors);
            let bare = tokens.is_empty();
            let kinds = [("msp", Kind::Str), ("attr", Kind::Str), ("role", Kind::Str), ("ou", Kind::Str)];
            let args = Args::parse(tokens, "#[require]", &kinds, errors);
            let mut require = Require::default();
            if let Some(lit) = args.str("msp") {
                require.msp = lit.value().split(',').map(|m| m.trim().to_string()).collect();
                if require.msp.iter().any(String::is_empty) {
                    errors.at(lit, "expected one or more MSP ids separated by commas, e.g. `msp = \"Org1MSP,Org2MSP\"`");
                }
            }
            if let Some(lit) = args.str("attr") {
                match lit.value().split_once('=') {
                    Some((name, value)) if !name.trim().is_empty() => {
                        require.attrs.push((name.trim().to_string(), value.trim().to_string()));
                    }
                    _ => errors.at(lit, "expected `attr = \"name=value\"`, e.g. `attr = \"hf.Type=client\"`"),
                }
            }
            if let Some(lit) = args.str("role") {
                if lit.value().trim().is_empty() {
                    errors.at(lit, "the required role must not be empty");
                }
                require.attrs.push(("role".to_string(), lit.value().trim().to_string()));
            }
            if let Some(lit) = args.str("ou") {
                if lit.value().trim().is_empty() {
                    errors.at(lit, "the required organizational unit must not be empty");
                }
                require.ous.push(lit.value().trim().to_string());
            }
            if bare {
                errors.at(&attr, "`#[require]` needs at least one condition: `msp = \"…\"`, `attr = \"name=value\"`, `role = \"…\"` or `ou = \"…\"`");
            }
            (attr, require)
        })
        .collect()
}

/// Finds and removes our role attribute on a method; reports conflicts and `#[cfg]`.
fn take_role(method: &mut ImplItemFn, errors: &mut Errors) -> Option<Role> {
    let mut found: Vec<(syn::Attribute, String)> = Vec::new();
    method.attrs.retain(|attr| {
        let Some(ident) = attr.path().get_ident() else {
            return true;
        };
        let name = ident.to_string();
        if ROLE_ATTRS.contains(&name.as_str()) {
            found.push((attr.clone(), name));
            false
        } else {
            true
        }
    });
    let (attr, name) = found.first()?.clone();
    if let Some((second, other)) = found.get(1) {
        let mut e = syn::Error::new_spanned(
            second,
            format!("`#[{other}]` conflicts with `#[{name}]`: a method has one role"),
        );
        e.combine(syn::Error::new_spanned(
            &attr,
            format!("`#[{name}]` given here"),
        ));
        errors.push(e);
    }
    for a in &method.attrs {
        if a.path().is_ident("cfg") || a.path().is_ident("cfg_attr") {
            errors.at(a, "`#[cfg]` is not allowed on a transaction: the routing table and the metadata would disagree with the code; put conditional code inside the method");
        }
    }
    let tokens = attrs::inner_tokens(&attr, errors);
    let role = match name.as_str() {
        "submit" | "evaluate" | "init" => {
            let args = Args::parse(
                tokens,
                &format!("#[{name}]"),
                &[("name", Kind::Str)],
                errors,
            );
            let kind = if name == "evaluate" {
                TxKind::Evaluate
            } else {
                TxKind::Submit
            };
            Role::Tx {
                kind,
                init: name == "init",
                name: args.str("name").cloned(),
            }
        }
        hook => {
            Args::parse(tokens, &format!("#[{hook}]"), &[], errors);
            Role::Hook(match hook {
                "before" => HookKind::Before,
                "after" => HookKind::After,
                _ => HookKind::Unknown,
            })
        }
    };
    Some(role)
}

/// Checks what every role shares: `async`, no generics, `&self`, `ctx: &Ctx`. Returns the
/// context type and the remaining parameters.
fn check_signature<'a>(
    method: &'a mut ImplItemFn,
    what: &str,
    ctx_hint: &str,
    errors: &mut Errors,
) -> Option<(Type, bool, Vec<&'a mut syn::PatType>)> {
    let sig = &method.sig;
    let mut ok = true;
    if sig.asyncness.is_none() {
        errors.at(sig.fn_token, format!("{what} must be `async fn`"));
        ok = false;
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.at(&sig.generics, format!("{what} cannot have generic parameters or lifetimes: the router calls it with concrete types"));
        ok = false;
    }
    if let Some(c) = &sig.constness {
        errors.at(c, format!("{what} cannot be `const`"));
    }
    if let Some(v) = &sig.variadic {
        errors.at(v, format!("{what} cannot be variadic"));
    }
    let ident = sig.ident.clone();
    let mut inputs = method.sig.inputs.iter_mut();
    match inputs.next() {
        Some(FnArg::Receiver(r))
            if r.reference.is_some() && r.mutability.is_none() && r.colon_token.is_none() => {}
        Some(FnArg::Receiver(r)) => {
            errors.at(
                &*r,
                format!("{what} takes `&self`: the contract is shared by concurrent transactions"),
            );
            ok = false;
        }
        _ => {
            errors.at(
                &ident,
                format!("{what} takes `&self` as its first parameter"),
            );
            return None;
        }
    }
    let (ctx_ty, ctx_mut) = match inputs.next() {
        Some(FnArg::Typed(pt)) => match &*pt.ty {
            Type::Reference(r) if !is_plain_value(&r.elem) => {
                if let Some(a) = pt.attrs.first() {
                    errors.at(a, "the context parameter takes no attributes");
                }
                ((*r.elem).clone(), r.mutability.is_some())
            }
            _ => {
                // `fn read(&self, id: String)`: the context was left out, so the first value
                // parameter sits where the context belongs. Say what to add, and where.
                let first = pt.pat.to_token_stream().to_string();
                errors.at(
                    &pt.pat,
                    format!("{what} is missing its transaction context: add `{ctx_hint}` between `&self` and `{first}`"),
                );
                return None;
            }
        },
        _ => {
            errors.at(
                &ident,
                format!("{what} takes the transaction context after `&self`: `{ctx_hint}`"),
            );
            return None;
        }
    };
    let rest: Vec<&mut syn::PatType> = inputs
        .filter_map(|a| match a {
            FnArg::Typed(pt) => Some(pt),
            FnArg::Receiver(_) => None,
        })
        .collect();
    ok.then_some((ctx_ty, ctx_mut, rest))
}

/// Types that are certainly parameters, never a context (`&str`, `&[u8]`, `&String`, numbers).
fn is_plain_value(ty: &Type) -> bool {
    match ty {
        Type::Slice(_) | Type::Array(_) | Type::Tuple(_) => true,
        Type::Path(p) if p.qself.is_none() => p.path.get_ident().is_some_and(|i| {
            matches!(
                i.to_string().as_str(),
                "str"
                    | "String"
                    | "bool"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "f32"
                    | "f64"
                    | "Vec"
            )
        }),
        _ => false,
    }
}

fn parse_tx(
    method: &mut ImplItemFn,
    kind: TxKind,
    init: bool,
    name: Option<LitStr>,
    errors: &mut Errors,
) -> Option<Tx> {
    let ident = method.sig.ident.clone();
    let (tx_name, name_span) = match &name {
        Some(lit) => {
            check_name(&lit.value(), lit, "transaction", errors);
            (lit.value(), lit.span())
        }
        None => (
            ident.to_string().trim_start_matches("r#").to_string(),
            ident.span(),
        ),
    };
    let docs = attrs::docs(&method.attrs);
    let ret = return_type(&method.sig.output, errors);
    let hint = match kind {
        TxKind::Submit => "ctx: &SubmitCtx",
        TxKind::Evaluate => "ctx: &EvaluateCtx",
    };
    let (ctx_ty, ctx_mut, rest) = check_signature(method, "a transaction method", hint, errors)?;
    if ctx_mut {
        errors.at(
            &ctx_ty,
            format!("the context is passed by shared reference: `{hint}`; only a `#[before]` hook receives `&mut` of the contract's own context"),
        );
        return None;
    }
    let mut params = Vec::new();
    let mut failed = false;
    for pt in rest {
        let transient = take_transient(pt, errors);
        check_interface_type(&pt.ty, errors);
        match &*pt.pat {
            Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                let name = pi.ident.to_string().trim_start_matches("r#").to_string();
                let transient = transient.map(|key| key.unwrap_or_else(|| name.clone()));
                params.push(Param {
                    ident: pi.ident.clone(),
                    ty: (*pt.ty).clone(),
                    transient,
                });
            }
            other => {
                errors.at(other, "transaction parameters must be plain names (`id: String`): the name is the parameter's name in the metadata");
                failed = true;
            }
        }
    }
    (!failed).then_some(Tx {
        ident,
        name: tx_name,
        name_span,
        kind,
        init,
        docs,
        ctx_ty,
        params,
        ok_err: split_result(&ret),
        ret,
        errors: None,
        require: Vec::new(),
    })
}

fn parse_hook(
    method: &mut ImplItemFn,
    kind: HookKind,
    has_context: bool,
    errors: &mut Errors,
) -> Option<Hook> {
    let ident = method.sig.ident.clone();
    let ret = return_type(&method.sig.output, errors);
    let (extra, shape) = kind.extra();
    let (ctx_ty, ctx_mut, rest) = check_signature(method, "a hook", "ctx: &EvaluateCtx", errors)?;
    if ctx_mut && (kind != HookKind::Before || !has_context) {
        let why = if kind == HookKind::Before {
            "declare the contract's own context with `#[contract(context = MyCtx)]` to fill it in the `#[before]` hook"
        } else {
            "only the `#[before]` hook fills the context"
        };
        errors.at(
            &ctx_ty,
            format!(
                "a `#[{}]` hook takes its context by shared reference: {why}",
                kind.attr()
            ),
        );
        return None;
    }
    let mut positional = Vec::new();
    let mut transient = Vec::new();
    let mut failed = false;
    for pt in rest {
        match take_transient(pt, errors) {
            Some(key) => {
                check_interface_type(&pt.ty, errors);
                match &*pt.pat {
                    Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                        let name = pi.ident.to_string().trim_start_matches("r#").to_string();
                        transient.push(Param {
                            ident: pi.ident.clone(),
                            ty: (*pt.ty).clone(),
                            transient: Some(key.unwrap_or(name)),
                        });
                    }
                    other => {
                        errors.at(
                            other,
                            "hook parameters must be plain names (`fail: Option<String>`)",
                        );
                        failed = true;
                    }
                }
            }
            None if transient.is_empty() => positional.push((*pt.ty).clone()),
            None => {
                errors.at(
                    &pt.ty,
                    format!("a `#[{}]` hook has this shape: `{shape}`, then only `#[transient]` parameters", kind.attr()),
                );
                failed = true;
            }
        }
    }
    if failed {
        return None;
    }
    if positional.len() != extra {
        errors.at(
            &ident,
            format!("a `#[{}]` hook has this shape: `{shape}`, optionally followed by `#[transient]` parameters", kind.attr()),
        );
        return None;
    }
    let extra = match positional.into_iter().next() {
        None => None,
        Some(Type::Reference(r)) if r.mutability.is_none() => Some((*r.elem).clone()),
        Some(other) => {
            errors.at(
                &other,
                format!("a `#[{}]` hook has this shape: `{shape}`", kind.attr()),
            );
            return None;
        }
    };
    (!failed).then_some(Hook {
        ident,
        kind,
        ctx_ty,
        ctx_mut,
        extra,
        transient,
        ret,
    })
}

fn return_type(output: &ReturnType, errors: &mut Errors) -> Type {
    match output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => {
            check_interface_type(ty, errors);
            (**ty).clone()
        }
    }
}

/// `#[transient]` → `Some(None)`, `#[transient("key")]` → `Some(Some(key))`.
fn take_transient(pt: &mut syn::PatType, errors: &mut Errors) -> Option<Option<String>> {
    let mut found: Option<Option<String>> = None;
    let mut seen: Option<syn::Attribute> = None;
    pt.attrs.retain(|attr| {
        if !attr.path().is_ident("transient") {
            return true;
        }
        if let Some(first) = &seen {
            let mut e = syn::Error::new_spanned(attr, "duplicate `#[transient]`");
            e.combine(syn::Error::new_spanned(first, "first given here"));
            errors.push(e);
            return false;
        }
        seen = Some(attr.clone());
        found = Some(match &attr.meta {
            syn::Meta::Path(_) => None,
            syn::Meta::List(list) => match syn::parse2::<LitStr>(list.tokens.clone()) {
                Ok(lit) if !lit.value().is_empty() => Some(lit.value()),
                Ok(lit) => {
                    errors.at(&lit, "the transient key must not be empty");
                    None
                }
                Err(_) => {
                    errors.at(
                        &list.tokens,
                        "expected `#[transient]` or `#[transient(\"key\")]`",
                    );
                    None
                }
            },
            syn::Meta::NameValue(nv) => {
                errors.at(nv, "expected `#[transient]` or `#[transient(\"key\")]`");
                None
            }
        });
        false
    });
    found
}

/// Rejects types that make results depend on iteration order, and `impl Trait`.
fn check_interface_type(ty: &Type, errors: &mut Errors) {
    determinism::check_type(ty, errors);
    struct ImplTrait<'e> {
        errors: &'e mut Errors,
    }
    impl<'ast> Visit<'ast> for ImplTrait<'_> {
        fn visit_type_impl_trait(&mut self, t: &'ast syn::TypeImplTrait) {
            self.errors.at(
                t,
                "`impl Trait` cannot appear in a transaction's interface: name a concrete type",
            );
        }
    }
    ImplTrait { errors }.visit_type(ty);
}

/// Transaction names must be unique, also under Go's first-letter upper-casing.
fn check_duplicates(txs: &[Tx], errors: &mut Errors) {
    let mut seen: BTreeMap<String, &Tx> = BTreeMap::new();
    for tx in txs {
        let mut chars = tx.name.chars();
        let folded: String = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => continue,
        };
        if let Some(first) = seen.get(&folded) {
            let mut e = syn::Error::new(
                tx.name_span,
                format!(
                    "duplicate transaction name `{}` (names that differ only in the case of the first letter collide, because lookups upper-case it as Go does)",
                    tx.name
                ),
            );
            e.combine(syn::Error::new(
                first.name_span,
                format!("`{}` is defined here first", first.name),
            ));
            errors.push(e);
        } else {
            seen.insert(folded, tx);
        }
    }
}
