//! The JSON writer `#[object]` generates for a plain struct writes the bytes the general path
//! (`to_canonical_vec`) writes, for every kind of field it takes, and hands over to that path
//! whenever it could differ.

#![allow(missing_docs)]

use std::collections::BTreeMap;

use fabric_contract::contract::{TxReturn, TxReturnElem};
use fabric_contract::json::to_canonical_vec;
use fabric_contract::prelude::*;
use proptest::prelude::*;
use sample_asset::{Asset, asset, text};

mod sample_asset;

/// Declared out of key order (the general path sorts it through `serde_json::Value`), with
/// `rename_all`, an omitted `None`, a user's `skip_serializing_if`, a skipped field, a float and
/// nested values.
#[object]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub zeta_value: f64,
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<String>,
    #[serde(skip)]
    pub cache: u8,
    pub alpha: bool,
    pub counts: BTreeMap<String, u64>,
    pub inner: Inner,
    #[serde(rename = "Z")]
    pub upper: Option<i8>,
}

#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Inner {
    pub a: String,
    pub b: u8,
}

/// Its own keys arrive out of order: written inside a `Holder`, it makes the writer hand over.
#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Unsorted {
    pub b: u8,
    pub a: String,
}

#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub x: u8,
    pub inner: Unsorted,
}

/// A key Go escapes: no generated writer, the general path only.
#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Escaped {
    #[serde(rename = "a<b")]
    pub value: u8,
    pub plain: String,
}

fn record() -> impl Strategy<Value = Record> {
    (
        prop_oneof![
            Just(0.0),
            Just(-1.5e300),
            Just(1e21),
            Just(1e-7),
            any::<f64>()
        ],
        proptest::option::of(text()),
        proptest::collection::vec(text(), 0..3),
        any::<bool>(),
        proptest::collection::btree_map(text(), any::<u64>(), 0..3),
        (any::<u8>(), text()),
        proptest::option::of(any::<i8>()),
    )
        .prop_map(
            |(zeta_value, note, tags, alpha, counts, (b, a), upper)| Record {
                zeta_value,
                note,
                tags,
                cache: 7,
                alpha,
                counts,
                inner: Inner { b, a },
                upper,
            },
        )
}

/// One value and a list of them, both ways.
fn same<T: TxReturn + TxReturnElem + serde::Serialize + Clone>(
    items: Vec<T>,
) -> Result<(), TestCaseError> {
    for item in &items {
        prop_assert_eq!(
            item.clone().encode().map_err(|e| e.to_string()),
            to_canonical_vec(item).map_err(|e| e.to_string())
        );
    }
    prop_assert_eq!(
        T::encode_vec(items.clone()).map_err(|e| e.to_string()),
        to_canonical_vec(&items).map_err(|e| e.to_string())
    );
    Ok(())
}

proptest! {
    #[test]
    fn assets_are_written_as_the_general_path_writes_them(
        assets in proptest::collection::vec(asset(), 0..4),
    ) {
        same(assets)?;
    }

    #[test]
    fn every_kind_of_field_is_written_as_the_general_path_writes_it(
        records in proptest::collection::vec(record(), 0..3),
    ) {
        same(records)?;
    }

    #[test]
    fn a_value_with_keys_out_of_order_leaves_the_type_to_the_general_path(
        x in any::<u8>(),
        (b, a) in (any::<u8>(), text()),
    ) {
        same(vec![Holder { x, inner: Unsorted { b, a } }])?;
    }

    #[test]
    fn keys_that_need_escaping_leave_the_type_to_the_general_path(
        value in any::<u8>(),
        plain in text(),
    ) {
        same(vec![Escaped { value, plain }])?;
    }
}

#[test]
fn the_written_bytes_are_canonical() {
    let asset = Asset {
        appraised_value: 300,
        color: "blue".into(),
        id: "asset1".into(),
        owner: "Tomoko <tk>".into(),
        size: 5,
    };
    assert_eq!(
        asset.clone().encode().unwrap(),
        br#"{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko \u003ctk\u003e","Size":5}"#
    );
    let one = asset.clone().encode().unwrap();
    assert_eq!(
        Asset::encode_vec(vec![asset.clone(), asset]).unwrap(),
        [&b"["[..], &one, b",", &one, b"]"].concat()
    );
    assert_eq!(Asset::encode_vec(Vec::new()).unwrap(), b"[]");
}

#[test]
fn a_value_json_cannot_hold_is_refused_with_the_general_paths_error() {
    let record = Record {
        zeta_value: f64::NAN,
        note: None,
        tags: Vec::new(),
        cache: 0,
        alpha: true,
        counts: BTreeMap::new(),
        inner: Inner {
            b: 1,
            a: String::new(),
        },
        upper: None,
    };
    let ours = record.clone().encode().unwrap_err().to_string();
    assert_eq!(
        ours,
        ContractError::from(to_canonical_vec(&record).unwrap_err()).to_string()
    );
    assert!(ours.contains("NaN"), "{ours}");
}
