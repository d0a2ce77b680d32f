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
    /// What the generated JSON writer writes, in key order; `None` leaves the type's results to
    /// serde alone (see [`keys`](super::keys)).
    pub writer: Option<Vec<WrittenField>>,
    /// The writer's output is also what decoding and re-encoding it gives, so stored values in
    /// that form can be recognised and passed through (see [`keys::reads_back`]).
    ///
    /// [`keys::reads_back`]: super::keys::reads_back
    pub reads_back: bool,
}

/// A field as the generated writer writes it.
pub struct WrittenField {
    pub ident: syn::Ident,
    /// Its type, whose span the write takes: a type without `Serialize` is reported there.
    pub ty: syn::Type,
    /// The key serde gives it.
    pub key: String,
    pub skip_if: SkipIf,
}

impl WrittenField {
    /// The quoted key and its colon, as the writer writes them and the recogniser expects them.
    pub fn quoted_key(&self) -> syn::LitByteStr {
        syn::LitByteStr::new(format!("\"{}\":", self.key).as_bytes(), self.ident.span())
    }
}

/// When serde leaves a field out.
pub enum SkipIf {
    Never,
    /// `#[object]`'s own rule for `Option` fields.
    None,
    /// The user's `skip_serializing_if`.
    Path(syn::ExprPath),
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
