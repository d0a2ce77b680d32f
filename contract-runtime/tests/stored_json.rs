//! `Stored<V>` passes a stored value through only when its bytes are exactly what decoding and
//! re-encoding it would give: the recogniser `#[object]` generates never says yes to anything
//! else (checked on mutated texts), says yes to everything the writer writes for types it
//! covers, and the response bytes equal returning the decoded value either way.

#![allow(missing_docs)]

use fabric_contract::contract::{Object, TxReturn, TxReturnElem};
use fabric_contract::json::{CanonicalJson, from_slice_strict};
use fabric_contract::prelude::*;
use fabric_contract::state::{Codec, Json, Stored};
use proptest::prelude::*;
use sample_asset::{Asset, asset, text};

mod sample_asset;

/// Every kind of field the recogniser covers, declared out of key order: an omitted `None`, a
/// skipped field, a list, nested objects, an `Option` of an object, small integers.
#[object]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub zeta_count: u64,
    pub note: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip)]
    pub cache: u8,
    pub alpha: bool,
    pub inner: Inner,
    pub nested: Vec<Inner>,
    pub maybe: Option<Inner>,
    #[serde(rename = "Z")]
    pub upper: Option<i8>,
}

/// Declared out of key order.
#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Inner {
    pub b: u8,
    pub a: String,
}

/// Fields the recogniser does not cover: never recognised, always decoded.
#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct WithFloat {
    pub price: f64,
    pub id: String,
}

#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct WithOwnSkipRule {
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub id: String,
}

#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct WithAlias {
    #[serde(alias = "identifier")]
    pub id: String,
}

#[object]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Colour {
    Blue,
}

#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct WithEnum {
    pub colour: Colour,
}

fn encoded<T: TxReturn>(value: T) -> Vec<u8> {
    value.encode().expect("encodes")
}

fn stored<V: Object + CanonicalJson>(bytes: &[u8]) -> Result<Stored<V>, String> {
    <Json as Codec<Stored<V>>>::decode(bytes)
}

/// Whether `text` is recognised as a whole.
fn recognised<V: CanonicalJson>(text: &[u8]) -> bool {
    V::canonical_len(text) == Some(text.len())
}

/// Recognised text must decode and re-encode to itself.
fn assert_sound<V: Object + CanonicalJson + TxReturn>(text: &[u8]) -> Result<(), TestCaseError> {
    if recognised::<V>(text) {
        let value: V = from_slice_strict(text).map_err(|e| {
            TestCaseError::fail(format!(
                "recognised but does not decode: {e}: {}",
                String::from_utf8_lossy(text)
            ))
        })?;
        let again = encoded(value);
        prop_assert_eq!(
            String::from_utf8_lossy(&again),
            String::from_utf8_lossy(text)
        );
    }
    Ok(())
}

fn inner() -> impl Strategy<Value = Inner> {
    (any::<u8>(), text()).prop_map(|(b, a)| Inner { b, a })
}

prop_compose! {
    fn profile()(
        zeta_count in any::<u64>(),
        note in proptest::option::of(text()),
        tags in proptest::collection::vec(text(), 0..3),
        alpha in any::<bool>(),
        inner in inner(),
        nested in proptest::collection::vec(inner(), 0..3),
        maybe in proptest::option::of(inner()),
        upper in proptest::option::of(any::<i8>()),
    ) -> Profile {
        Profile { zeta_count, note, tags, cache: 0, alpha, inner, nested, maybe, upper }
    }
}

/// One byte inserted, removed or replaced, from the characters that matter to JSON; half the
/// time where a value or key starts, where most of the rules are.
fn mutated(text: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = text.len();
    let starts: Vec<usize> = (0..len)
        .filter(|&at| at == 0 || matches!(text[at - 1], b':' | b',' | b'[' | b'{'))
        .collect();
    let at = prop_oneof![0..=len, proptest::sample::select(starts)];
    let byte = prop_oneof![
        proptest::sample::select(b"0-".to_vec()),
        proptest::sample::select(b"0123456789-+.eE\"\\,:{}[]nultrefas <&\xe2\x80\xa8\xff".to_vec()),
    ];
    (at, 0..3u8, byte).prop_map(move |(at, kind, byte)| {
        let mut text = text.clone();
        match kind {
            0 => text.insert(at, byte),
            1 if at < len => {
                text.remove(at);
            }
            _ if at < len => text[at] = byte,
            _ => text.push(byte),
        }
        text
    })
}

/// Whether a string is one the writer copies as it is (nothing Go escapes).
fn plain(text: &str) -> bool {
    !text
        .chars()
        .any(|c| matches!(c, '"' | '\\' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}') || c < ' ')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn what_the_writer_writes_is_recognised_when_nothing_in_it_is_escaped(
        asset in asset(),
        profile in profile(),
    ) {
        let asset_text = encoded(asset.clone());
        let strings = [&asset.color, &asset.id, &asset.owner];
        prop_assert_eq!(recognised::<Asset>(&asset_text), strings.iter().all(|s| plain(s)));
        let profile_text = encoded(profile.clone());
        let all_plain = profile.note.iter().chain(&profile.tags).all(|s| plain(s))
            && std::iter::once(&profile.inner).chain(&profile.nested).chain(&profile.maybe)
                .all(|inner| plain(&inner.a));
        prop_assert_eq!(recognised::<Profile>(&profile_text), all_plain);
        assert_sound::<Asset>(&asset_text)?;
        assert_sound::<Profile>(&profile_text)?;
    }

    #[test]
    fn a_mutated_asset_is_recognised_only_if_it_reads_back_as_written(
        text in asset().prop_flat_map(|asset| mutated(encoded(asset))),
    ) {
        assert_sound::<Asset>(&text)?;
    }

    #[test]
    fn a_mutated_profile_is_recognised_only_if_it_reads_back_as_written(
        text in profile().prop_flat_map(|profile| mutated(encoded(profile))),
    ) {
        assert_sound::<Profile>(&text)?;
    }

    #[test]
    fn returning_stored_values_gives_the_bytes_of_returning_the_values(
        assets in proptest::collection::vec(asset(), 0..4),
        spaced in proptest::collection::vec(any::<bool>(), 4),
    ) {
        // Some stored with whitespace (as another writer might store them): decoded instead.
        let texts: Vec<Vec<u8>> = assets.iter().zip(&spaced).map(|(asset, &spaced)| {
            let text = encoded(asset.clone());
            if spaced { serde_json::to_vec_pretty(asset).unwrap() } else { text }
        }).collect();
        let read: Vec<Stored<Asset>> =
            texts.iter().map(|text| stored::<Asset>(text).unwrap()).collect();
        for (one, text) in read.iter().zip(&texts) {
            prop_assert_eq!(one.json().is_some(), recognised::<Asset>(text));
        }
        let expected = <Asset as TxReturnElem>::encode_vec(assets.clone()).unwrap();
        let got = <Stored<Asset> as TxReturnElem>::encode_vec(read).unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected));
        for (asset, text) in assets.iter().zip(&texts) {
            let one = encoded(stored::<Asset>(text).unwrap());
            prop_assert_eq!(one, encoded(asset.clone()));
            prop_assert_eq!(&stored::<Asset>(text).unwrap().into_value().unwrap(), asset);
        }
    }
}

#[test]
fn the_stored_form_of_an_asset_is_kept_as_it_is() {
    let text = br#"{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko","Size":5}"#;
    let one = stored::<Asset>(text).unwrap();
    assert_eq!(one.json(), Some(&text[..]));
    assert_eq!(encoded(one), text);
    // Unsorted, escaped, or with a leading zero: decoded and written canonically.
    for other in [
        &br#"{"Color":"blue","AppraisedValue":300,"ID":"asset1","Owner":"Tomoko","Size":5}"#[..],
        br#"{"AppraisedValue":300,"Color":"bl\u0075e","ID":"asset1","Owner":"Tomoko","Size":5}"#,
        br#"{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko","Size":5.0}"#,
    ] {
        let one = stored::<Asset>(other);
        if let Ok(one) = one {
            assert!(one.json().is_none(), "{}", String::from_utf8_lossy(other));
            assert_eq!(encoded(one), text);
        }
    }
}

#[test]
fn a_stored_value_saved_again_writes_the_same_canonical_bytes() {
    let text = br#"{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko","Size":5}"#;
    let kept = stored::<Asset>(text).unwrap();
    assert_eq!(<Json as Codec<Stored<Asset>>>::encode(&kept).unwrap(), text);
    let unsorted =
        br#"{"Size":5,"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko"}"#;
    let decoded = stored::<Asset>(unsorted).unwrap();
    assert!(decoded.json().is_none());
    assert_eq!(
        <Json as Codec<Stored<Asset>>>::encode(&decoded).unwrap(),
        text
    );
    let made = Stored::from(decoded.into_value().unwrap());
    assert_eq!(<Json as Codec<Stored<Asset>>>::encode(&made).unwrap(), text);
}

#[test]
fn a_value_that_is_not_the_type_fails_as_decoding_the_type_fails() {
    for bad in [
        &br#"{"AppraisedValue":300}"#[..],
        br#"{"AppraisedValue":300,"Color":"blue","ID":"a","Owner":"T","Size":5,"X":1}"#,
        br#"{"AppraisedValue":-1,"Color":"blue","ID":"a","Owner":"T","Size":-5}"#,
        br#"{"AppraisedValue":1,"Color":"b","ID":"a","Owner":"T","Size":5}x"#,
        b"[]",
        b"",
    ] {
        let typed = <Json as Codec<Asset>>::decode(bad).unwrap_err();
        assert_eq!(stored::<Asset>(bad).unwrap_err(), typed);
    }
}

#[test]
fn types_outside_the_recognised_kinds_are_always_decoded() {
    assert!(!recognised::<WithFloat>(br#"{"id":"a","price":1}"#));
    assert!(!recognised::<WithOwnSkipRule>(br#"{"id":"a"}"#));
    assert!(!recognised::<WithAlias>(br#"{"id":"a"}"#));
    assert!(!recognised::<WithEnum>(br#"{"colour":"Blue"}"#));
    let decoded = stored::<WithFloat>(br#"{"id":"a","price":1.50}"#).unwrap();
    assert!(decoded.json().is_none());
    assert_eq!(encoded(decoded), br#"{"id":"a","price":1.5}"#);
}

#[test]
fn a_list_of_stored_values_has_the_list_schema_of_the_type() {
    let mut a = schemars::SchemaGenerator::default();
    let mut b = schemars::SchemaGenerator::default();
    assert_eq!(
        <Vec<Stored<Asset>> as TxReturn>::schema(&mut a),
        <Vec<Asset> as TxReturn>::schema(&mut b)
    );
    assert_eq!(a.definitions(), b.definitions());
    assert_eq!(
        <Stored<Profile> as TxReturn>::schema(&mut a),
        <Profile as TxReturn>::schema(&mut b)
    );
}

#[test]
fn a_value_read_in_place_is_kept_as_a_slice_of_the_reply_not_a_copy() {
    let reply = prost::bytes::Bytes::from_static(
        br#"..{"AppraisedValue":1,"Color":"b","ID":"a","Owner":"T","Size":5}..{"Size":5}.."#,
    );
    let value = &reply[2..64];
    let kept = <Json as Codec<Stored<Asset>>>::decode_within(&reply, value).unwrap();
    assert_eq!(kept.json().map(<[u8]>::as_ptr), Some(value.as_ptr()));
    let not_an_asset = &reply[66..76];
    assert_eq!(
        <Json as Codec<Stored<Asset>>>::decode_within(&reply, not_an_asset).unwrap_err(),
        <Json as Codec<Asset>>::decode(not_an_asset).unwrap_err()
    );
}
