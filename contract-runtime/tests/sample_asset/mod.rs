//! asset-transfer-basic's asset, and generated assets, for the JSON tests.

use fabric_contract::prelude::*;
use proptest::prelude::*;

/// asset-transfer-basic's asset: declared in key order, every key renamed.
#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    #[serde(rename = "AppraisedValue")]
    pub appraised_value: i64,
    #[serde(rename = "Color")]
    pub color: String,
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Owner")]
    pub owner: String,
    #[serde(rename = "Size")]
    pub size: u32,
}

/// Short strings with characters Go escapes (`<`, `&`, quotes, controls, U+2028) among plain
/// ASCII and multi-byte ones.
pub fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 <>&\"\\\\\\n\\u{1}\\u{e9}\\u{2028}\\u{20ac}]{0,10}")
        .unwrap()
}

pub fn asset() -> impl Strategy<Value = Asset> {
    (any::<i64>(), text(), text(), text(), any::<u32>()).prop_map(
        |(appraised_value, color, id, owner, size)| Asset {
            appraised_value,
            color,
            id,
            owner,
            size,
        },
    )
}
