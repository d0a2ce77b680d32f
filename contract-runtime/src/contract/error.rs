//! How a transaction method's error type becomes a [`ContractError`], and how it documents its
//! codes.

use crate::ContractError;

/// What a transaction method's error type must implement: a conversion into [`ContractError`](struct@ContractError).
///
/// Implemented for every `E: Into<ContractError>`: `String`, `&str`, [`ContractError`](struct@ContractError) and enums
/// deriving `ContractError`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a transaction error",
    label = "this error type cannot be converted into a `ContractError`",
    note = "derive it with `#[derive(ContractError)]`, or implement `From<{Self}> for ContractError`"
)]
pub trait IntoContractError {
    /// Performs the conversion.
    fn into_contract_error(self) -> ContractError;
}

impl<E: Into<ContractError>> IntoContractError for E {
    fn into_contract_error(self) -> ContractError {
        self.into()
    }
}

/// An error type that documents its codes in the metadata (`x-errors`); implemented by
/// `#[derive(ContractError)]` for the variants that declare a `code`.
pub trait ErrorCodes {
    /// The codes, in declaration order, each with the name of the variant declaring it (so a
    /// transaction's `#[errors(…)]` can select its own).
    fn error_codes() -> Vec<(&'static str, crate::metadata::doc::ErrorDoc)>;
}
