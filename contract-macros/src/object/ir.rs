//! The validated model of an `#[object]` type.

use syn::DeriveInput;

/// An `#[object]` struct or fieldless enum.
pub struct Object {
    /// The user's item, unchanged.
    pub input: DeriveInput,
    /// Named-field structs reject unknown fields (Go's strict decoding of parameters).
    pub deny_unknown: bool,
    /// The named fields, in declaration order.
    pub fields: Vec<Field>,
}

/// One field of a named-field or tuple struct.
pub struct Field {
    /// Its type, with the user's span: the field-type check points here.
    pub ty: syn::Type,
    /// An `Option<T>` field of a named-field struct without its own `skip_serializing_if`:
    /// `None` is left out of the JSON, so results validate against the published schema, where
    /// the field is optional (not `required`) and never `null`.
    pub omit_none: bool,
}
