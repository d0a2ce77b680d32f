//! ECDSA P-256 signatures as Fabric makes and checks them: SHA-256 digests,
//! ASN.1 DER signatures, and only "low-S" signatures accepted (Fabric's BCCSP
//! refuses an `S` above half the curve order, and its clients normalise).

use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_ASN1, ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, UnparsedPublicKey,
};

/// Half the order of P-256, big-endian: the largest `S` Fabric accepts.
const HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
];

/// The order of P-256, big-endian.
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Why a private key could not be used for signing.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file holds no PEM `PRIVATE KEY` block.
    #[error(
        "no PKCS#8 `PRIVATE KEY` PEM block found (expected an ECDSA P-256 key as Fabric CA and cryptogen write)"
    )]
    NoKey,
    /// The key is not a P-256 PKCS#8 key ring can load.
    #[error("the private key is not a usable ECDSA P-256 PKCS#8 key: {0}")]
    Rejected(String),
}

/// An ECDSA P-256 signing key.
pub struct SigningKey {
    pair: EcdsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Loads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let mut reader = pem.as_bytes();
        let der = rustls_pemfile::pkcs8_private_keys(&mut reader)
            .next()
            .ok_or(KeyError::NoKey)?
            .map_err(|e| KeyError::Rejected(e.to_string()))?;
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            der.secret_pkcs8_der(),
            &rng,
        )
        .map_err(|e| KeyError::Rejected(e.to_string()))?;
        Ok(Self { pair, rng })
    }

    /// Signs SHA-256(`message`), returning a low-S DER signature.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        // ring only fails on an internal RNG error, which leaves nothing to sign with.
        let signature = self
            .pair
            .sign(&self.rng, message)
            .expect("the system random number generator failed");
        to_low_s(signature.as_ref())
    }
}

/// Whether `signature` is a valid low-S signature of `message` by the P-256
/// public key `point` (uncompressed SEC1).
pub fn verify(point: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Some((_, s)) = split_der(signature) else {
        return false;
    };
    if compare(&pad32(s), &HALF_ORDER) == std::cmp::Ordering::Greater {
        return false;
    }
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point)
        .verify(message, signature)
        .is_ok()
}

/// `r` and `s` of a DER `ECDSA-Sig-Value`, without leading zero bytes.
fn split_der(signature: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&tag, rest) = signature.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || usize::from(len) != body.len() {
        return None;
    }
    let (r, body) = der_integer(body)?;
    let (s, body) = der_integer(body)?;
    body.is_empty().then_some((r, s))
}

fn der_integer(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let len = usize::from(len);
    if tag != 0x02 || len == 0 || len > 33 || rest.len() < len {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    let trimmed = value
        .iter()
        .position(|&b| b != 0)
        .map_or(&value[len - 1..], |i| &value[i..]);
    (trimmed.len() <= 32).then_some((trimmed, rest))
}

fn pad32(value: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[32 - value.len()..].copy_from_slice(value);
    out
}

fn compare(a: &[u8; 32], b: &[u8; 32]) -> std::cmp::Ordering {
    a.cmp(b)
}

/// `n - s` for a 256-bit big-endian `s < n`.
fn negate(s: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(ORDER[i]) - i16::from(s[i]) - borrow;
        borrow = 0;
        if d < 0 {
            d += 256;
            borrow = 1;
        }
        out[i] = d as u8;
    }
    out
}

fn encode_integer(value: &[u8; 32], out: &mut Vec<u8>) {
    let start = value.iter().position(|&b| b != 0).unwrap_or(31);
    let digits = &value[start..];
    let pad = digits[0] & 0x80 != 0;
    out.push(0x02);
    out.push((digits.len() + usize::from(pad)) as u8);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

/// The same signature with `S` replaced by `n - S` when `S` is above half the order.
pub fn to_low_s(signature: &[u8]) -> Vec<u8> {
    let Some((r, s)) = split_der(signature) else {
        return signature.to_vec();
    };
    let s = pad32(s);
    if compare(&s, &HALF_ORDER) != std::cmp::Ordering::Greater {
        return signature.to_vec();
    }
    let mut body = Vec::with_capacity(72);
    encode_integer(&pad32(r), &mut body);
    encode_integer(&negate(&s), &mut body);
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_s_is_negated_and_low_s_kept() {
        let r = [1u8; 32];
        let mut high = HALF_ORDER;
        high[31] += 1;
        let mut sig = Vec::new();
        let mut body = Vec::new();
        encode_integer(&r, &mut body);
        encode_integer(&high, &mut body);
        sig.push(0x30);
        sig.push(body.len() as u8);
        sig.extend(body);
        let low = to_low_s(&sig);
        let (_, s) = split_der(&low).unwrap();
        // n - (n/2 + 1) = n/2 (n is odd, so floor(n/2) = (n - 1) / 2).
        assert_eq!(pad32(s), HALF_ORDER);
        assert_eq!(to_low_s(&low), low);
    }
}
