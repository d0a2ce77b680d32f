//! What the three macros share: the attribute grammar, error collection and the determinism lint.

pub mod attrs;
pub mod determinism;
pub mod diagnostics;
