//! Declarative access control: `#[require(…)]` on a transaction becomes a
//! [`Requirement`] that the router checks before the method runs (after the
//! `#[before]` hook and the function lookup, before argument decoding).
//!
//! A denial is a structured error: status 403, code `ACCESS_DENIED`, and a
//! message naming the transaction, what it requires and what the caller has,
//! e.g. `ACCESS_DENIED: access denied: Mint requires MSP Org1MSP, the caller is
//! of Org2MSP`. Fabric Gateway clients see status and message.

use crate::ctx::EvaluateCtx;
use crate::identity::ClientIdentity;

use crate::ContractError;

/// What a caller must have to run a transaction; every listed condition must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// The caller's MSP must be one of these (empty: any MSP).
    pub msp: &'static [&'static str],
    /// Fabric CA attributes the caller's certificate must carry with exactly these values.
    pub attrs: &'static [(&'static str, &'static str)],
    /// Organizational units the caller's certificate subject must list.
    pub ous: &'static [&'static str],
}

impl Requirement {
    /// Checks the caller of `ctx` against this requirement for transaction `tx`.
    pub fn check(&self, tx: &str, ctx: &EvaluateCtx) -> Result<(), ContractError> {
        let deny = |what: String| {
            ContractError::new(format!("access denied: {tx} {what}"))
                .with_code("ACCESS_DENIED")
                .with_status(403)
        };
        if !self.msp.is_empty() {
            let msp = ctx
                .client_msp_id()
                .map_err(|e| deny(format!("requires MSP {}, but {e}", self.msp.join(" or "))))?;
            if !self.msp.contains(&msp.as_str()) {
                return Err(deny(format!(
                    "requires MSP {}, the caller is of {msp}",
                    self.msp.join(" or ")
                )));
            }
        }
        if self.attrs.is_empty() && self.ous.is_empty() {
            return Ok(());
        }
        let client: &ClientIdentity = ctx.client().map_err(|e| {
            deny(format!(
                "requires certificate attributes, but {}",
                e.message()
            ))
        })?;
        for (name, value) in self.attrs {
            match client.attr(name) {
                Some(actual) if actual == *value => {}
                Some(actual) => {
                    return Err(deny(format!(
                        "requires attribute {name}={value}, the caller has {name}={actual}"
                    )));
                }
                None => {
                    return Err(deny(format!(
                        "requires attribute {name}={value}, the caller has no {name} attribute"
                    )));
                }
            }
        }
        for ou in self.ous {
            if !client.has_ou(ou) {
                return Err(deny(format!(
                    "requires organizational unit {ou}, the caller's certificate does not list it"
                )));
            }
        }
        Ok(())
    }
}
