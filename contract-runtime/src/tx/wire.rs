//! Reading protobuf messages field by field over a plain slice, for the few messages the shim
//! reads on every transaction (the proposal's, the chaincode input) and the records of query
//! replies.
//!
//! prost decodes a message into owned fields, through its generic `Buf` code; the shim needs a
//! handful of fields, several of them only as slices of bytes it already holds. Here each message
//! is walked once with prost's own wire primitives (keys, varints, skipping unknown fields), and
//! the caller keeps slices. Wire types are checked as prost checks them, so bytes prost refuses
//! are refused here too; the readers built on this are tested against prost.

use prost::DecodeError;
use prost::encoding::{DecodeContext, WireType, decode_key, decode_varint, skip_field};

/// What was wrong in one message's bytes.
#[derive(Debug, thiserror::Error)]
pub(super) enum WireError {
    #[error(transparent)]
    Prost(#[from] DecodeError),
    #[error("field {tag} is {found:?}, expected {expected:?}")]
    WireType {
        tag: u32,
        found: WireType,
        expected: WireType,
    },
    #[error("field {tag} claims {claimed} bytes, {left} are left")]
    Truncated { tag: u32, claimed: u64, left: usize },
    #[error("a map key is not UTF-8")]
    KeyNotText,
    #[error("field {tag} is a string that is not UTF-8")]
    NotText { tag: u32 },
}

/// Why a message could not be read, naming it.
#[derive(Debug, thiserror::Error)]
#[error("{message} does not decode: {cause}")]
pub(crate) struct MessageError {
    message: &'static str,
    cause: WireError,
}

/// One field's value, read or skipped by the caller as its schema says.
pub(super) struct Value<'a, 'b> {
    wire_type: WireType,
    tag: u32,
    rest: &'b mut &'a [u8],
}

impl<'a> Value<'a, '_> {
    /// A length-delimited field (bytes, string, message), as a slice of the input.
    pub(super) fn bytes(self) -> Result<&'a [u8], WireError> {
        self.expect(WireType::LengthDelimited)?;
        let claimed = decode_varint(self.rest)?;
        let rest: &'a [u8] = self.rest;
        let len = usize::try_from(claimed)
            .ok()
            .filter(|&len| len <= rest.len())
            .ok_or(WireError::Truncated {
                tag: self.tag,
                claimed,
                left: rest.len(),
            })?;
        let (value, tail) = rest.split_at(len);
        *self.rest = tail;
        Ok(value)
    }

    /// A string field, checked as UTF-8 as prost checks it.
    pub(super) fn text(self) -> Result<&'a str, WireError> {
        let tag = self.tag;
        std::str::from_utf8(self.bytes()?).map_err(|_| WireError::NotText { tag })
    }

    /// A varint field (bool, int32, int64, uint64, enum).
    pub(super) fn varint(self) -> Result<u64, WireError> {
        self.expect(WireType::Varint)?;
        Ok(decode_varint(self.rest)?)
    }

    /// A field the shim does not read.
    pub(super) fn skip(self) -> Result<(), WireError> {
        Ok(skip_field(
            self.wire_type,
            self.tag,
            self.rest,
            DecodeContext::default(),
        )?)
    }

    fn expect(&self, expected: WireType) -> Result<(), WireError> {
        if self.wire_type == expected {
            Ok(())
        } else {
            Err(WireError::WireType {
                tag: self.tag,
                found: self.wire_type,
                expected,
            })
        }
    }
}

/// Calls `field` for every field of the message in `input`, in order.
pub(super) fn walk<'a>(
    input: &'a [u8],
    mut field: impl FnMut(u32, Value<'a, '_>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, wire_type) = decode_key(&mut rest)?;
        field(
            tag,
            Value {
                wire_type,
                tag,
                rest: &mut rest,
            },
        )?;
    }
    Ok(())
}

/// [`walk`] over a whole message, naming it in the error.
pub(super) fn walk_message<'a>(
    message: &'static str,
    input: &'a [u8],
    field: impl FnMut(u32, Value<'a, '_>) -> Result<(), WireError>,
) -> Result<(), MessageError> {
    walk(input, field).map_err(|cause| MessageError { message, cause })
}

/// One entry of a `map<string, bytes>` field: its key (1) and value (2), each empty when absent.
pub(super) fn string_bytes_entry(entry: &[u8]) -> Result<(&str, &[u8]), WireError> {
    let (mut key, mut value) = (&[][..], &[][..]);
    walk(entry, |tag, field| match tag {
        1 => field.bytes().map(|b| key = b),
        2 => field.bytes().map(|b| value = b),
        _ => field.skip(),
    })?;
    let key = std::str::from_utf8(key).map_err(|_| WireError::KeyNotText)?;
    Ok((key, value))
}

/// What the readers' tests share: comparing a reader with prost on damaged input.
#[cfg(test)]
pub(super) mod check {
    use std::fmt::Debug;

    use proptest::prelude::*;
    use proptest::sample::Index;

    /// Both readers read the same value, or both refuse.
    pub(crate) fn agree<T: PartialEq + Debug>(
        ours: Result<T, impl Debug>,
        prost: Result<T, impl Debug>,
    ) -> Result<(), TestCaseError> {
        match (ours, prost) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs),
            (Err(_), Err(_)) => {}
            (ours, theirs) => {
                prop_assert!(
                    false,
                    "the readers disagree: ours {ours:?}, prost {theirs:?}"
                )
            }
        }
        Ok(())
    }

    /// Byte flips for [`damaged`], as many as `count` allows: each picks a byte and a non-zero mask.
    pub(crate) fn flips(count: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(Index, u8)>> {
        proptest::collection::vec((any::<Index>(), 1..=255u8), count)
    }

    /// Runs `compare` on `wire` as it is, with `flips` applied (each XORs a byte with its mask),
    /// and then cut short at `cut`.
    pub(crate) fn damaged(
        mut wire: Vec<u8>,
        flips: Vec<(Index, u8)>,
        cut: Index,
        compare: impl Fn(&[u8]) -> Result<(), TestCaseError>,
    ) -> Result<(), TestCaseError> {
        compare(&wire)?;
        if !wire.is_empty() {
            for (at, mask) in flips {
                let at = at.index(wire.len());
                wire[at] ^= mask;
            }
        }
        compare(&wire)?;
        wire.truncate(cut.index(wire.len() + 1));
        compare(&wire)
    }
}
