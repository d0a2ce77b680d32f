//! `advancedtypes`: 64-bit integers, doubles, booleans, arrays and nested objects, each as a
//! constant and echoed back.
//!
//! The objects' fields carry plain comments, not doc comments: a doc comment would become the
//! property's `description` in the metadata, and the suite compares property schemas exactly.

use fabric_contract::prelude::*;

/// An asset with an id and a value.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicAsset {
    id: String,
    value: i64,
}

/// An asset with a nested description.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplexAsset {
    id: String,
    value: i64,
    description: Description,
}

/// The nested part of a complex asset.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    colour: String,
    owners: Vec<String>,
}

/// The suite's `AdvancedTypesContract`. Every parameter is named `sent`.
#[derive(Debug, Default)]
pub struct AdvancedTypesContract;

#[contract(name = "AdvancedTypesContract")]
impl AdvancedTypesContract {
    /// Answers `1`.
    #[evaluate(name = "getInt")]
    async fn get_int(&self, _ctx: &EvaluateCtx) -> i64 {
        1
    }

    /// Answers `sent + 1`.
    #[evaluate(name = "callAndResponseInt")]
    async fn call_and_response_int(
        &self,
        _ctx: &EvaluateCtx,
        sent: i64,
    ) -> Result<i64, ContractError> {
        sent.checked_add(1).ok_or_else(|| {
            ContractError::new(format!("{sent} + 1 does not fit in a 64-bit integer"))
        })
    }

    /// Answers `1.1`.
    #[evaluate(name = "getFloat")]
    async fn get_float(&self, _ctx: &EvaluateCtx) -> f64 {
        1.1
    }

    /// Answers `sent` unchanged.
    #[evaluate(name = "callAndResponseFloat")]
    async fn call_and_response_float(&self, _ctx: &EvaluateCtx, sent: f64) -> f64 {
        sent
    }

    /// Answers `true`.
    #[evaluate(name = "getBool")]
    async fn get_bool(&self, _ctx: &EvaluateCtx) -> bool {
        true
    }

    /// Answers the negation of `sent`.
    #[evaluate(name = "callAndResponseBool")]
    async fn call_and_response_bool(&self, _ctx: &EvaluateCtx, sent: bool) -> bool {
        !sent
    }

    /// Answers `[1,2,3]`.
    #[evaluate(name = "getArray")]
    async fn get_array(&self, _ctx: &EvaluateCtx) -> Vec<i64> {
        vec![1, 2, 3]
    }

    /// Answers `sent` unchanged.
    #[evaluate(name = "callAndResponseArray")]
    async fn call_and_response_array(&self, _ctx: &EvaluateCtx, sent: Vec<bool>) -> Vec<bool> {
        sent
    }

    /// Answers `{"id":"OBJECT_1","value":100}`.
    #[evaluate(name = "getBasicAsset")]
    async fn get_basic_asset(&self, _ctx: &EvaluateCtx) -> BasicAsset {
        BasicAsset {
            id: "OBJECT_1".into(),
            value: 100,
        }
    }

    /// Answers `sent` unchanged.
    #[evaluate(name = "callAndResponseBasicAsset")]
    async fn call_and_response_basic_asset(
        &self,
        _ctx: &EvaluateCtx,
        sent: BasicAsset,
    ) -> BasicAsset {
        sent
    }

    /// Answers `OBJECT_2` with value 100, coloured Vermillion and owned by Alice and Bob.
    #[evaluate(name = "getComplexAsset")]
    async fn get_complex_asset(&self, _ctx: &EvaluateCtx) -> ComplexAsset {
        ComplexAsset {
            id: "OBJECT_2".into(),
            value: 100,
            description: Description {
                colour: "Vermillion".into(),
                owners: vec!["Alice".into(), "Bob".into()],
            },
        }
    }

    /// Answers `sent` unchanged.
    #[evaluate(name = "callAndResponseComplexAsset")]
    async fn call_and_response_complex_asset(
        &self,
        _ctx: &EvaluateCtx,
        sent: ComplexAsset,
    ) -> ComplexAsset {
        sent
    }
}
