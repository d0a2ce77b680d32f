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

use x509_parser::x509::X509Name;

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

/// The values of one attribute type, in certificate order.
fn values<'a>(name: &'a X509Name<'_>, oid: &str) -> Vec<&'a str> {
    name.iter_attributes()
        .filter(|attr| attr.attr_type().to_id_string() == oid)
        // Go drops values that are not ASN.1 strings.
        .filter_map(|attr| attr.as_str().ok())
        .collect()
}

/// The organizational units of a name, in certificate order.
pub(super) fn organizational_units(name: &X509Name<'_>) -> Vec<String> {
    values(name, "2.5.4.11")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The name as Go's Fabric client-identity library prints it.
pub(super) fn go_dn(name: &X509Name<'_>) -> String {
    let mut rdns: Vec<String> = Vec::new();
    for (oid, short, single) in KEPT {
        let mut found = values(name, oid);
        if single && found.len() > 1 {
            found = found.split_off(found.len() - 1);
        }
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
    use super::escape;

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
}
