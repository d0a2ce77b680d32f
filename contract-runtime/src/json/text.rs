//! The leaves of canonical JSON: strings escaped as Go's `encoding/json` escapes them, integers,
//! and floats in Go's format. Both writers (the direct serializer and the `Value` writer) use
//! these, so the two paths cannot disagree on a leaf.

use super::JsonError;

/// What a byte asks for when it appears in a string.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Copied as it is (almost every byte).
    None,
    /// A two-character escape such as `\n`; the byte is the character after the backslash.
    Short(u8),
    /// `\u00XX`: other control characters, and `<`, `>`, `&`, which Go escapes for HTML safety.
    Unicode,
    /// 0xE2 starts U+2028 and U+2029, which Go escapes, but also many characters it does not.
    MaybeSeparator,
}

const ESCAPES: [Escape; 256] = {
    let mut table = [Escape::None; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = Escape::Unicode;
        byte += 1;
    }
    table[b'\n' as usize] = Escape::Short(b'n');
    table[b'\r' as usize] = Escape::Short(b'r');
    table[b'\t' as usize] = Escape::Short(b't');
    table[0x08] = Escape::Short(b'b');
    table[0x0c] = Escape::Short(b'f');
    table[b'"' as usize] = Escape::Short(b'"');
    table[b'\\' as usize] = Escape::Short(b'\\');
    table[b'<' as usize] = Escape::Unicode;
    table[b'>' as usize] = Escape::Unicode;
    table[b'&' as usize] = Escape::Unicode;
    table[0xE2] = Escape::MaybeSeparator;
    table
};

/// `ESCAPES[byte] != Escape::None` as one byte per entry, for the scan.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = !matches!(ESCAPES[byte], Escape::None);
        byte += 1;
    }
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether [`write_string`] writes `text` as it is between its quotes (nothing to escape).
/// Conservative on 0xE2: a string with `…` or `€` counts as not plain.
pub(super) const fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if SPECIAL[bytes[at] as usize] {
            return false;
        }
        at += 1;
    }
    true
}

/// Writes `text` as a quoted JSON string with Go's escaping.
///
/// Returns whether anything was escaped: an escaped map key no longer sorts by its written bytes.
pub(super) fn write_string(text: &str, out: &mut Vec<u8>) -> bool {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut escaped = false;
    let mut at = 0;
    // The common case, nothing to escape, is one tight scan and one copy.
    while let Some(offset) = bytes[at..]
        .iter()
        .position(|&byte| SPECIAL[usize::from(byte)])
    {
        at += offset;
        let byte = bytes[at];
        let (replacement, width): (&[u8], usize) = match ESCAPES[usize::from(byte)] {
            Escape::Short(letter) => (&[b'\\', letter], 1),
            Escape::Unicode => (
                &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ],
                1,
            ),
            Escape::MaybeSeparator if matches!(bytes.get(at + 1..at + 3), Some([0x80, 0xA8])) => {
                (b"\\u2028", 3)
            }
            Escape::MaybeSeparator if matches!(bytes.get(at + 1..at + 3), Some([0x80, 0xA9])) => {
                (b"\\u2029", 3)
            }
            // Another character starting with 0xE2 (`…`, `€`): copied as it is.
            Escape::MaybeSeparator | Escape::None => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[copied..at]);
        out.extend_from_slice(replacement);
        at += width;
        copied = at;
        escaped = true;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
    escaped
}

/// The length of the quoted string at the start of `text` if [`write_string`] would write its
/// content back unchanged: valid UTF-8 with nothing Go escapes, and so no escapes to read either.
pub(super) fn plain_string_len(text: &[u8]) -> Option<usize> {
    if text.first() != Some(&b'"') {
        return None;
    }
    // One loop over bytes: stored strings are short, and mostly ASCII, which needs no UTF-8 check.
    let mut ascii = true;
    let mut at = 1;
    loop {
        let byte = *text.get(at)?;
        if byte == b'"' {
            break;
        }
        if SPECIAL[usize::from(byte)]
            && (byte != 0xE2 || matches!(text.get(at + 1..at + 3), Some([0x80, 0xA8 | 0xA9])))
        {
            return None;
        }
        ascii &= byte.is_ascii();
        at += 1;
    }
    if !ascii {
        std::str::from_utf8(&text[1..at]).ok()?;
    }
    Some(at + 1)
}

/// Writes a signed integer in decimal.
pub(super) fn write_i64(value: i64, out: &mut Vec<u8>) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Writes an unsigned integer in decimal.
pub(super) fn write_u64(value: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Formats a float the way Go's `encoding/json` (and `fmt.Sprint` for results) does: the
/// shortest text that reads back to the same value, in positional notation for magnitudes in
/// `[1e-6, 1e21)` and as `1e+21` / `1e-7` outside.
pub fn format_float(f: f64) -> Result<String, JsonError> {
    if !f.is_finite() {
        return Err(JsonError::NonFinite(f));
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        // Rust's Display is already the shortest round-trip form, never with an exponent.
        let text = format!("{f}");
        // `-0` prints as "-0" in both languages.
        Ok(text)
    } else {
        let text = format!("{f:e}");
        // Rust writes "1e21" / "1e-7"; Go writes "1e+21" / "1e-07" cleaned up to "1e-7".
        Ok(match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> (String, bool) {
        let mut out = Vec::new();
        let escaped = write_string(text, &mut out);
        (String::from_utf8(out).unwrap(), escaped)
    }

    /// Go's escaping, one character at a time.
    fn reference(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\u{0}'..='\u{1f}' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                    out.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest::proptest! {
        #[test]
        fn escapes_as_go_does_wherever_the_character_falls(
            text in "[a-z<>&\"\\\\\n\u{1}\u{2028}\u{2029}€…é]{0,40}",
        ) {
            proptest::prop_assert_eq!(written(&text).0, reference(&text));
        }
    }

    #[test]
    fn plain_text_is_copied_and_reported_unescaped() {
        assert_eq!(written("Tomoko €…é"), ("\"Tomoko €…é\"".into(), false));
    }

    #[test]
    fn every_escape_go_writes() {
        let (text, escaped) =
            written("a<b>&c\u{2028}\u{2029}\"\\\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}\u{2027}");
        let expected = r#""a\u003cb\u003e\u0026c\u2028\u2029\"\\\n\r\t\b\f\u0001\u001f"#;
        assert_eq!(text, format!("{expected}\u{7f}\u{2027}\""));
        assert!(escaped);
    }
}
