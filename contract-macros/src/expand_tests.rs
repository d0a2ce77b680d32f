//! Expansion snapshot of a realistic contract: `tests/expand/*.rs` expands to the committed
//! `*.expanded.rs`. Regenerate on purpose with `UPDATE_EXPAND=1`.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

fn expand(source: &str) -> String {
    let item: syn::ItemImpl = syn::parse_str(source).expect("the input parses");
    let attr = item
        .attrs
        .iter()
        .find(|a| a.path().is_ident("contract"))
        .expect("#[contract]");
    let args = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    let mut body = item.clone();
    body.attrs.retain(|a| !a.path().is_ident("contract"));
    let model = match crate::ir::parse(args, quote!(#body)) {
        Ok(model) => model,
        Err((e, _)) => panic!("the snapshot contract must be valid: {e}"),
    };
    let tokens = crate::codegen::contract(&model, &quote!(::fabric_contract));
    prettyplease::unparse(&syn::parse2(tokens).expect("generated code parses as a file"))
}

#[test]
fn asset_transfer_expansion_is_stable() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let source = std::fs::read_to_string(dir.join("asset_transfer.rs")).unwrap();
    let actual = expand(&source);
    let path = dir.join("asset_transfer.expanded.rs");
    if std::env::var_os("UPDATE_EXPAND").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "the expansion changed; review and regenerate with UPDATE_EXPAND=1:\n{actual}"
    );
}

#[test]
fn generated_code_names_only_the_private_module() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let actual = expand(&std::fs::read_to_string(dir.join("asset_transfer.rs")).unwrap());
    for line in actual.lines().filter(|l| l.contains("fabric_contract")) {
        assert!(line.contains("::fabric_contract::__private"), "{line}");
    }
}
