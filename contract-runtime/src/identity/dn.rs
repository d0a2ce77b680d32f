//! Distinguished names written the way Go's `crypto/x509/pkix` writes them,
//! which is what Fabric's Go client-identity library puts into client ids.
//!
//! Go first folds a name into `pkix.Name`: it keeps only C, ST, L, STREET,
//! POSTALCODE, O, OU (all values, in certificate order), CN and SERIALNUMBER
//! (single-valued: the last one wins), and drops every other attribute type
//! (emailAddress, DC, UID …). It then rebuilds one multi-valued RDN per type in
//! the fixed order C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER and
//! prints them in reverse, `,` between RDNs and `+` inside one, escaping as
//! RFC 2253 asks.
//!
//! Values are decoded as Go's certificate parser decodes them, not as
//! x509-parser's `as_str` does: BMPString (UTF-16) and T61String (bytes kept
//! as they are, printed with one U+FFFD per non-UTF-8 byte) count too, and a
//! value Go refuses (bad PrintableString, non-string type …) makes the whole
//! certificate unreadable, as it does for Go (the vectors in
//! tests/fixtures/identity were computed with Go; Node and Java were not checked).

use x509_parser::asn1_rs::{Class, Tag};
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// Attribute types Go keeps, in `pkix.Name.ToRDNSequence` order: (OID, name, single-valued).
const KEPT: [(&str, &str, bool); 9] = [
    ("2.5.4.6", "C", false),
    ("2.5.4.8", "ST", false),
    ("2.5.4.7", "L", false),
    ("2.5.4.9", "STREET", false),
    ("2.5.4.17", "POSTALCODE", false),
    ("2.5.4.10", "O", false),
    ("2.5.4.11", "OU", false),
    ("2.5.4.3", "CN", true),
    ("2.5.4.5", "SERIALNUMBER", true),
];

/// A name decoded the way Go's `x509.ParseCertificate` decodes it: every
/// attribute (OID, text) in certificate order.
pub(super) struct GoName {
    attributes: Vec<(String, String)>,
}

impl GoName {
    /// Decodes every attribute value; fails, as Go's certificate parser does,
    /// on a value that is not one of the string types Go reads or is not
    /// valid for its type. Go rejects the whole certificate then, so the
    /// peer's MSP (written in Go) never lets such a creator through either.
    pub(super) fn parse(name: &X509Name<'_>) -> Result<Self, String> {
        let attributes = name
            .iter_attributes()
            .map(|attr| {
                let oid = attr.attr_type().to_id_string();
                go_string(attr)
                    .map(|text| (oid.clone(), text))
                    .map_err(|why| format!("attribute {oid} of a distinguished name {why}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { attributes })
    }

    /// The values of one attribute type, in certificate order.
    fn values(&self, oid: &str) -> Vec<&str> {
        self.attributes
            .iter()
            .filter(|(o, _)| o == oid)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The organizational units, in certificate order.
    pub(super) fn organizational_units(&self) -> Vec<String> {
        self.values("2.5.4.11")
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The name as Go's Fabric client-identity library prints it.
    pub(super) fn go_dn(&self) -> String {
        let mut rdns: Vec<String> = Vec::new();
        for (oid, short, single) in KEPT {
            let mut found = self.values(oid);
            if single && found.len() > 1 {
                found = found.split_off(found.len() - 1);
            }
            // Go keeps an empty C/O/OU… value but skips an empty CN or SERIALNUMBER.
            if found.is_empty() || found.iter().all(|v| single && v.is_empty()) {
                continue;
            }
            let rdn: Vec<String> = found
                .iter()
                .map(|v| format!("{short}={}", escape(v)))
                .collect();
            rdns.push(rdn.join("+"));
        }
        rdns.reverse();
        rdns.join(",")
    }
}

/// One attribute value as Go's `parseASN1String` reads it (crypto/x509/parser.go).
fn go_string(attr: &AttributeTypeAndValue<'_>) -> Result<String, String> {
    let value = attr.attr_value();
    let (header, data) = (&value.header, value.data);
    if header.class() != Class::Universal || header.is_constructed() {
        return Err(format!(
            "is not a string (class {:?}, tag {})",
            header.class(),
            header.tag().0
        ));
    }
    let bad = |kind: &str| Err(format!("is not a valid {kind}"));
    match header.tag() {
        // Go copies the bytes unchecked; printing then shows one U+FFFD per
        // byte that is not UTF-8 (Latin-1 accents, typically).
        Tag::T61String => Ok(go_lossy(data)),
        Tag::PrintableString if data.iter().copied().all(go_printable) => Ok(ascii(data)),
        Tag::PrintableString => bad("PrintableString"),
        Tag::Utf8String => std::str::from_utf8(data)
            .map(str::to_owned)
            .or_else(|_| bad("UTF8String")),
        Tag::Ia5String if data.is_ascii() => Ok(ascii(data)),
        Tag::Ia5String => bad("IA5String"),
        Tag::NumericString if data.iter().all(|b| b.is_ascii_digit() || *b == b' ') => {
            Ok(ascii(data))
        }
        Tag::NumericString => bad("NumericString"),
        Tag::BmpString => bmp_string(data).ok_or_else(|| "is not a valid BMPString".to_owned()),
        other => Err(format!(
            "has ASN.1 tag {}, not one of the string types Go reads",
            other.0
        )),
    }
}

/// Bytes already checked to be ASCII.
fn ascii(data: &[u8]) -> String {
    data.iter().map(|&b| char::from(b)).collect()
}

/// Go's `isPrintable`: the PrintableString set plus `*` and `&`, which Go
/// tolerates because real certificates use them.
fn go_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(&b)
}

/// UTF-16BE with an optional trailing NUL terminator; unpaired surrogates
/// become U+FFFD, as Go's `utf16.Decode` does.
fn bmp_string(data: &[u8]) -> Option<String> {
    if !data.len().is_multiple_of(2) {
        return None;
    }
    let data = data.strip_suffix(&[0, 0]).unwrap_or(data);
    let units = data
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]));
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Go ranging over a string that is not UTF-8: every byte of an invalid
/// sequence reads as its own U+FFFD (Rust's `from_utf8_lossy` would merge
/// some of them).
fn go_lossy(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for chunk in data.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n(
            char::REPLACEMENT_CHARACTER,
            chunk.invalid().len(),
        ));
    }
    out
}

/// RFC 2253 escaping as Go does it: `, + " \ < > ;` anywhere, `#` or a space
/// at the start, a space at the end.
fn escape(value: &str) -> String {
    let last = value.len().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.char_indices() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == ' ' || c == '#'))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{bmp_string, escape, go_lossy, go_printable};

    #[test]
    fn escaping_follows_go() {
        assert_eq!(escape("Smith, John"), "Smith\\, John");
        assert_eq!(escape("a+b\"c\\d<e>f;g"), "a\\+b\\\"c\\\\d\\<e\\>f\\;g");
        assert_eq!(escape("#tag"), "\\#tag");
        assert_eq!(escape("in#side"), "in#side");
        assert_eq!(escape(" padded "), "\\ padded\\ ");
        assert_eq!(escape(" "), "\\ ");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn bmp_strings_decode_like_go() {
        assert_eq!(bmp_string(&[0, b'J', 0, 0xe9]).as_deref(), Some("Jé"));
        // Go strips one NUL terminator.
        assert_eq!(bmp_string(&[0, b'a', 0, 0]).as_deref(), Some("a"));
        // An unpaired surrogate becomes U+FFFD; an odd length is invalid.
        assert_eq!(
            bmp_string(&[0xd8, 0x00, 0, b'x']).as_deref(),
            Some("\u{fffd}x")
        );
        assert_eq!(bmp_string(&[0, b'a', 0]), None);
    }

    #[test]
    fn invalid_bytes_become_one_replacement_each() {
        assert_eq!(go_lossy(b"caf\xe9"), "caf\u{fffd}");
        // A truncated 3-byte sequence: Go yields two U+FFFD, from_utf8_lossy one.
        assert_eq!(go_lossy(b"\xe2\x82A"), "\u{fffd}\u{fffd}A");
        assert_eq!(String::from_utf8_lossy(b"\xe2\x82A"), "\u{fffd}A");
    }

    #[test]
    fn printable_set_matches_go() {
        let accepted: String = (0u8..=127)
            .filter(|b| go_printable(*b))
            .map(char::from)
            .collect();
        assert_eq!(
            accepted,
            " &'()*+,-./0123456789:=?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        );
    }
}
