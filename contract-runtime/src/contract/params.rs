//! A transaction's parameter list: the count check, and where each parameter's bytes come from
//! (a positional argument or a transient entry). [`args`](super::args) decodes one value.

use prost::bytes::Bytes;

use super::args::{ArgError, ArgFault, preview};
use crate::ContractError;
use crate::ctx::SubmitCtx;
use crate::ledger::LedgerRead;

/// Decodes positional argument `index` with `T`'s decoder (absent optional parameters become
/// `None`). Generated code passes `<T as TxArg>::decode` so a missing trait is reported at the
/// user's type.
pub fn decode_arg<T>(
    tx: &str,
    args: &[Bytes],
    index: usize,
    name: &str,
    decode: impl FnOnce(&[u8]) -> Result<T, ArgFault>,
    absent: impl FnOnce() -> Option<T>,
) -> Result<T, ContractError> {
    match args.get(index) {
        Some(raw) => decode(raw).map_err(|fault| {
            ArgError::Bad {
                index: Some(index),
                name: name.to_string(),
                tx: tx.to_string(),
                value: preview(raw),
                fault,
            }
            .into()
        }),
        // check_count ran first, so only optional parameters can be missing.
        None => absent().ok_or_else(|| {
            ArgError::Count {
                expected: (index + 1).to_string(),
                received: args.len(),
            }
            .into()
        }),
    }
}

/// Decodes the transient entry `key`.
pub fn transient_arg<T>(
    tx: &str,
    ctx: &SubmitCtx,
    key: &str,
    decode: impl FnOnce(&[u8]) -> Result<T, ArgFault>,
    absent: impl FnOnce() -> Option<T>,
) -> Result<T, ContractError> {
    match ctx.transient().get(key) {
        Some(raw) => decode(raw).map_err(|fault| {
            ArgError::Bad {
                index: None,
                name: key.to_string(),
                tx: tx.to_string(),
                value: preview(raw),
                fault,
            }
            .into()
        }),
        None => absent().ok_or_else(|| {
            ArgError::MissingTransient {
                key: key.to_string(),
                tx: tx.to_string(),
            }
            .into()
        }),
    }
}

/// Checks the argument count: at least the required parameters, at most all of them.
pub fn check_count(args: &[Bytes], required: usize, total: usize) -> Result<(), ContractError> {
    let n = args.len();
    if n < required || n > total {
        let expected = if required == total {
            total.to_string()
        } else {
            format!("{required} to {total}")
        };
        return Err(ArgError::Count {
            expected,
            received: n,
        }
        .into());
    }
    Ok(())
}

/// How many leading parameters are required, from each parameter's `OPTIONAL` flag.
pub const fn required_count(optional: &[bool]) -> usize {
    let mut required = 0;
    let mut i = 0;
    while i < optional.len() {
        if !optional[i] {
            required = i + 1;
        }
        i += 1;
    }
    required
}

/// Fails compilation when an optional parameter precedes a required one.
pub const fn assert_trailing_optional(optional: &[bool]) {
    let mut seen_optional = false;
    let mut i = 0;
    while i < optional.len() {
        if optional[i] {
            seen_optional = true;
        } else if seen_optional {
            panic!(
                "an `Option` parameter is followed by a required parameter: only trailing parameters may be optional"
            );
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_allow_trailing_optionals_only() {
        assert_eq!(required_count(&[false, false, true]), 2);
        assert_eq!(required_count(&[true, true]), 0);
        assert_eq!(required_count(&[]), 0);
        let args = [Bytes::from_static(b"a"), Bytes::from_static(b"b")];
        assert!(check_count(&args, 2, 3).is_ok());
        let e = check_count(&args, 3, 3).unwrap_err();
        assert_eq!(
            e.message(),
            "incorrect number of params. Expected 3, received 2"
        );
        let e = check_count(&args, 0, 1).unwrap_err();
        assert_eq!(
            e.message(),
            "incorrect number of params. Expected 0 to 1, received 2"
        );
    }

    #[test]
    fn absent_optionals_become_none_and_bad_values_name_the_parameter() {
        let args = [Bytes::from_static(b"x")];
        let absent: Result<Option<u32>, _> =
            decode_arg("T", &args, 1, "n", |_| Ok(Some(1)), || Some(None));
        assert_eq!(absent.unwrap(), None);
        let bad: Result<u32, _> = decode_arg(
            "T",
            &args,
            0,
            "n",
            |_| Err(ArgFault::conversion("u32", "expected digits")),
            || None,
        );
        let message = bad.unwrap_err().message().to_string();
        assert!(
            message.starts_with("error managing parameter param0."),
            "{message}"
        );
        assert!(
            message.contains("(parameter n of transaction T)"),
            "{message}"
        );
    }
}
