//! Several contracts in one chaincode: `ContractChaincode<(AssetTransfer, Admin)>`.

use prost::bytes::Bytes;
use schemars::SchemaGenerator;

use super::{Contract, ContractContext, ContractInfo, TxFuture};
use crate::ContractError;
use crate::ctx::{EvaluateCtx, SubmitCtx};
use crate::metadata::doc::ContractDoc;
use crate::metadata::{self, MetadataError, Package, SYSTEM_CONTRACT, Sources};

/// The object-safe part of [`Contract`], for routing among a set.
pub trait DynContract: Send + Sync {
    /// See [`Contract::INFO`].
    fn info(&self) -> &'static ContractInfo;

    /// Runs `function` as one transaction of this contract over `ctx`: a fresh context of the
    /// contract's own type, the `#[before]` hook, the lookup, the `#[require]` checks, the method
    /// (or the `#[unknown]` handler), the `#[after]` hook. Returns the response payload.
    fn run<'a>(
        &'a self,
        ctx: SubmitCtx,
        function: &'a str,
        args: &'a [Bytes],
    ) -> TxFuture<'a, Vec<u8>>;
}

impl<C: Contract> DynContract for C {
    fn info(&self) -> &'static ContractInfo {
        &C::INFO
    }

    fn run<'a>(
        &'a self,
        ctx: SubmitCtx,
        function: &'a str,
        args: &'a [Bytes],
    ) -> TxFuture<'a, Vec<u8>> {
        Box::pin(async move {
            let mut ctx = C::Context::create(ctx);
            if C::HOOKED {
                self.before(&mut ctx).await?;
            }
            let info = &C::INFO;
            let returned = match info.find(function) {
                Some(tx) => {
                    check_access(&info.transactions[tx], ctx.base().read_only())?;
                    self.call(tx, &ctx, args).await?
                }
                None => match self.unknown(&ctx, function) {
                    Some(handler) => handler.await?,
                    None => {
                        return Err(ContractError::new(format!(
                            "Function {function} not found in contract {}",
                            info.name
                        )));
                    }
                },
            };
            if C::HOOKED {
                self.after(&ctx, &returned).await?;
            }
            Ok(returned.into_payload())
        })
    }
}

/// Every `#[require(…)]` of a transaction, before its arguments are decoded.
fn check_access(tx: &super::TxInfo, ctx: &EvaluateCtx) -> Result<(), ContractError> {
    tx.require
        .iter()
        .try_for_each(|requirement| requirement.check(tx.name, ctx))
}

/// One contract or a tuple of up to eight: what a chaincode serves.
///
/// The set is checked at compile time when a [`ContractChaincode`](crate::ContractChaincode) is
/// built from it: no two contracts share a name, at most one is marked `default`, at most one
/// `#[init]` transaction exists.
pub trait ContractSet: Send + Sync + 'static {
    /// The contracts' descriptions, in order.
    const CONTRACTS: &'static [&'static ContractInfo];

    /// Fails compilation (a post-monomorphisation const panic) for an inconsistent set.
    const CHECK: () = check_set(Self::CONTRACTS);

    /// Contract `index` of [`Self::CONTRACTS`].
    fn contract(&self, index: usize) -> Option<&dyn DynContract>;

    /// The contracts' metadata, raw.
    fn describe(generator: &mut SchemaGenerator) -> Vec<ContractDoc>;

    /// The index of the default contract: the one marked `default`, else the first (as Go).
    fn default_index() -> usize {
        Self::CONTRACTS.iter().position(|c| c.default).unwrap_or(0)
    }
}

/// The metadata document of a contract set as canonical JSON: the payload of
/// `org.hyperledger.fabric:GetMetadata`, and what `<binary> metadata` prints.
///
/// ```
/// use fabric_contract::prelude::*;
///
/// #[derive(Default)]
/// pub struct Greeter;
///
/// #[contract]
/// impl Greeter {
///     #[evaluate]
///     async fn greet(&self, _ctx: &EvaluateCtx, name: String) -> String {
///         format!("hello {name}")
///     }
/// }
///
/// let json = fabric_contract::metadata_json::<Greeter>().unwrap();
/// assert!(json.contains(r#""name":"greet""#));
/// ```
pub fn metadata_json<S: ContractSet>() -> Result<String, MetadataError> {
    let first = S::CONTRACTS.first();
    metadata::to_json(&Sources {
        describe: &S::describe,
        default_index: S::default_index(),
        package: first.map(|c| Package {
            name: c.package,
            version: c.version,
            about: c.about,
        }),
    })
}

impl<C: Contract> ContractSet for C {
    const CONTRACTS: &'static [&'static ContractInfo] = &[&C::INFO];

    fn contract(&self, index: usize) -> Option<&dyn DynContract> {
        (index == 0).then_some(self as &dyn DynContract)
    }

    fn describe(generator: &mut SchemaGenerator) -> Vec<ContractDoc> {
        vec![C::describe(generator)]
    }
}

macro_rules! tuple_set {
    ($($name:ident : $idx:tt),+) => {
        impl<$($name: Contract),+> ContractSet for ($($name,)+) {
            const CONTRACTS: &'static [&'static ContractInfo] = &[$(&$name::INFO),+];

            fn contract(&self, index: usize) -> Option<&dyn DynContract> {
                match index {
                    $($idx => Some(&self.$idx as &dyn DynContract),)+
                    _ => None,
                }
            }

            fn describe(generator: &mut SchemaGenerator) -> Vec<ContractDoc> {
                vec![$($name::describe(generator)),+]
            }
        }
    };
}
tuple_set!(A: 0, B: 1);
tuple_set!(A: 0, B: 1, C: 2);
tuple_set!(A: 0, B: 1, C: 2, D: 3);
tuple_set!(A: 0, B: 1, C: 2, D: 3, E: 4);
tuple_set!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);
tuple_set!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6);
tuple_set!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7);

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const MESSAGE_CAPACITY: usize = 512;

/// `two contracts of this chaincode are named `X`: …`, built at compile time (const panics take
/// one `&str`, no formatting). Names too long for the buffer are cut.
const fn duplicate_name_message<'b>(name: &str, buffer: &'b mut [u8; MESSAGE_CAPACITY]) -> &'b str {
    let parts: [&[u8]; 3] = [
        b"two contracts of this chaincode are both named `",
        name.as_bytes(),
        b"`: give one another name with `#[contract(name = \"...\")]` on its impl block",
    ];
    let mut len = 0;
    let mut p = 0;
    while p < parts.len() {
        let part = parts[p];
        let mut i = 0;
        while i < part.len() && len < MESSAGE_CAPACITY {
            buffer[len] = part[i];
            len += 1;
            i += 1;
        }
        p += 1;
    }
    let (used, _) = buffer.split_at(len);
    // A name cut inside a character leaves invalid UTF-8: fall back to the text without it.
    match core::str::from_utf8(used) {
        Ok(text) => text,
        Err(_) => {
            "two contracts of this chaincode have the same name: rename one with `#[contract(name = \"...\")]`"
        }
    }
}

/// The rules of a contract set, evaluated at compile time.
pub const fn check_set(contracts: &[&ContractInfo]) {
    let mut defaults = 0;
    let mut inits = 0;
    let mut i = 0;
    while i < contracts.len() {
        if contracts[i].default {
            defaults += 1;
        }
        let mut t = 0;
        while t < contracts[i].transactions.len() {
            if contracts[i].transactions[t].init {
                inits += 1;
            }
            t += 1;
        }
        if str_eq(contracts[i].name, SYSTEM_CONTRACT) {
            panic!(
                "the contract name `org.hyperledger.fabric` is reserved for the system contract"
            );
        }
        let mut j = i + 1;
        while j < contracts.len() {
            if str_eq(contracts[i].name, contracts[j].name) {
                let mut buffer = [0u8; MESSAGE_CAPACITY];
                let message = duplicate_name_message(contracts[i].name, &mut buffer);
                panic!("{}", message);
            }
            j += 1;
        }
        i += 1;
    }
    if defaults > 1 {
        panic!("more than one contract of this chaincode is marked `default`");
    }
    if inits > 1 {
        panic!(
            "more than one `#[init]` transaction in this chaincode; a chaincode has at most one"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_names_are_named_in_the_message() {
        let mut buffer = [0u8; MESSAGE_CAPACITY];
        assert_eq!(
            duplicate_name_message("Assets", &mut buffer),
            "two contracts of this chaincode are both named `Assets`: give one another name with `#[contract(name = \"...\")]` on its impl block"
        );
        let long = "é".repeat(400);
        let mut buffer = [0u8; MESSAGE_CAPACITY];
        assert!(duplicate_name_message(&long, &mut buffer).starts_with("two contracts"));
    }
}
