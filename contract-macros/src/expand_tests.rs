//! Expansion snapshots, one small file per feature: `tests/expand/<feature>.rs` expands to the
//! committed `<feature>.expanded.rs`. Each input holds items carrying `#[contract(…)]`,
//! `#[object]` or `#[derive(ContractError)]`; other items are left out of the snapshot.
//! Regenerate on purpose with `UPDATE_EXPAND=1`.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

fn krate() -> TokenStream {
    quote!(::fabric_contract)
}

/// The attribute's inner tokens, and the item without it.
fn take_attr(attrs: &mut Vec<syn::Attribute>, name: &str) -> Option<TokenStream> {
    let at = attrs.iter().position(|a| a.path().is_ident(name))?;
    let attr = attrs.remove(at);
    Some(match attr.meta {
        syn::Meta::List(list) => list.tokens,
        _ => TokenStream::new(),
    })
}

fn derives_contract_error(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.meta
                .to_token_stream()
                .to_string()
                .contains("ContractError")
    })
}

fn expand(source: &str) -> String {
    let file: syn::File = syn::parse_str(source).expect("the input parses");
    let mut out = TokenStream::new();
    for item in file.items {
        let tokens = match item {
            syn::Item::Impl(mut imp) => {
                let Some(args) = take_attr(&mut imp.attrs, "contract") else {
                    continue;
                };
                crate::contract::expand_valid(args, imp.to_token_stream(), &krate())
            }
            syn::Item::Struct(mut s) if s.attrs.iter().any(|a| a.path().is_ident("object")) => {
                let args = take_attr(&mut s.attrs, "object").unwrap_or_default();
                crate::object::expand(args, s.to_token_stream(), &krate())
            }
            syn::Item::Enum(mut e) if e.attrs.iter().any(|a| a.path().is_ident("object")) => {
                let args = take_attr(&mut e.attrs, "object").unwrap_or_default();
                crate::object::expand(args, e.to_token_stream(), &krate())
            }
            syn::Item::Enum(e) if derives_contract_error(&e.attrs) => {
                crate::contract_error::expand(e.to_token_stream(), &krate())
            }
            syn::Item::Struct(s) if derives_contract_error(&s.attrs) => {
                crate::contract_error::expand(s.to_token_stream(), &krate())
            }
            _ => continue,
        };
        out.extend(tokens);
    }
    let file: syn::File = syn::parse2(out).expect("generated code parses as a file");
    prettyplease::unparse(&file)
}

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/expand exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rs")
                && !p.to_string_lossy().ends_with(".expanded.rs")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_expansion_is_stable() {
    let update = std::env::var_os("UPDATE_EXPAND").is_some();
    let mut changed = Vec::new();
    for input in inputs() {
        let actual = expand(&std::fs::read_to_string(&input).unwrap());
        let snapshot = input.with_extension("expanded.rs");
        if update {
            std::fs::write(&snapshot, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if actual != expected {
            changed.push(format!("{}:\n{actual}", snapshot.display()));
        }
    }
    assert!(
        changed.is_empty(),
        "expansions changed; review and regenerate with UPDATE_EXPAND=1:\n{}",
        changed.join("\n")
    );
}

#[test]
fn snapshots_cover_each_macro() {
    let names: Vec<String> = inputs()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for prefix in ["contract_", "object_", "error_"] {
        assert!(
            names.iter().any(|n| n.starts_with(prefix)),
            "no snapshot for {prefix}*: {names:?}"
        );
    }
}

#[test]
fn generated_code_names_only_the_private_module() {
    for input in inputs() {
        let actual = expand(&std::fs::read_to_string(&input).unwrap());
        for line in actual.lines().filter(|l| l.contains("fabric_contract")) {
            assert!(
                line.contains("::fabric_contract::__private"),
                "{}: {line}",
                input.display()
            );
        }
    }
}
