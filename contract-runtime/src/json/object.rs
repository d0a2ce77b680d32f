//! The writer `#[object]` generates for a plain struct: its keys, sorted and quoted at compile
//! time, written as prepared bytes, and each value through the direct path.
//!
//! serde hands every field to a serializer with its name, which the direct path quotes, escapes
//! and checks for order each time; for a struct of short strings that was more than half of its
//! encoding. The generated writer produces the same bytes (tests compare the two on every kind of
//! field `#[object]` accepts), and hands over to [`to_canonical_vec`] whenever it could differ:
//! a key that needs escaping, a value whose own keys arrive out of order, or any error.

use serde::Serialize;

use super::direct::{self, Fault, Out};
use super::{JsonError, to_canonical_vec};

/// Writes one struct: `open`, then `field` for each field serde would write, in key order, then
/// `close`.
pub struct ObjectWriter {
    out: Out,
    first: bool,
}

/// The writer `#[object]` generates for a type.
pub type WriteObject<T> = fn(&T, &mut ObjectWriter) -> Result<(), JsonError>;

impl ObjectWriter {
    fn new(capacity: usize) -> Self {
        ObjectWriter {
            out: Out {
                bytes: Vec::with_capacity(capacity),
                unsorted: false,
            },
            first: true,
        }
    }

    /// `{`
    pub fn open(&mut self) {
        self.out.bytes.push(b'{');
        self.first = true;
    }

    /// `"key":value`, after a comma unless it is the first field; `key` is the quoted key and
    /// its colon, as the macro prepared them.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static [u8],
        value: &T,
    ) -> Result<(), JsonError> {
        if !self.first {
            self.out.bytes.push(b',');
        }
        self.first = false;
        self.out.bytes.extend_from_slice(key);
        direct::write(value, &mut self.out).map_err(|Fault(error)| error)
    }

    /// `}`
    pub fn close(&mut self) {
        self.out.bytes.push(b'}');
    }

    /// The bytes, if they are canonical.
    fn finish(self, written: Result<(), JsonError>) -> Option<Vec<u8>> {
        (written.is_ok() && !self.out.unsorted).then_some(self.out.bytes)
    }
}

/// Whether every key is written as it is, between quotes, so the macro's prepared bytes are
/// what the direct path would write. Evaluated at compile time in generated code.
///
/// ```
/// use fabric_contract::json::keys_are_plain;
/// assert!(keys_are_plain(&["AppraisedValue", "ID", "é"]));
/// assert!(!keys_are_plain(&["a<b"]));
/// ```
pub const fn keys_are_plain(keys: &[&str]) -> bool {
    let mut at = 0;
    while at < keys.len() {
        if !super::text::is_plain(keys[at]) {
            return false;
        }
        at += 1;
    }
    true
}

/// Canonical JSON of `value`, through its generated writer when it has one.
pub fn object_to_vec<T: Serialize>(
    value: &T,
    write: Option<WriteObject<T>>,
) -> Result<Vec<u8>, JsonError> {
    through_writer(
        value,
        write.map(|write| move |writer: &mut _| write(value, writer)),
    )
}

/// Canonical JSON of a list of `T`, through `T`'s generated writer when it has one.
pub fn objects_to_vec<T: Serialize>(
    items: &[T],
    write: Option<WriteObject<T>>,
) -> Result<Vec<u8>, JsonError> {
    through_writer(
        items,
        write.map(|write| move |writer: &mut _| write_list(items, write, writer)),
    )
}

/// `value` as `write` writes it, or through the general path when there is no writer or what
/// it wrote is not canonical.
fn through_writer<V: Serialize + ?Sized>(
    value: &V,
    write: Option<impl FnOnce(&mut ObjectWriter) -> Result<(), JsonError>>,
) -> Result<Vec<u8>, JsonError> {
    if let Some(write) = write {
        let mut writer = ObjectWriter::new(128);
        let written = write(&mut writer);
        if let Some(bytes) = writer.finish(written) {
            return Ok(bytes);
        }
    }
    to_canonical_vec(value)
}

fn write_list<T>(
    items: &[T],
    write: WriteObject<T>,
    writer: &mut ObjectWriter,
) -> Result<(), JsonError> {
    writer.out.bytes.push(b'[');
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            writer.out.bytes.push(b',');
        }
        let start = writer.out.bytes.len();
        write(item, writer)?;
        if index == 0 {
            direct::reserve_for_rest(&mut writer.out.bytes, start, items.len() - 1);
        }
    }
    writer.out.bytes.push(b']');
    Ok(())
}
