//! `fabric_contract::run::<C>()`: a `#[contract]` chaincode binary's `main`.

use std::marker::PhantomData;
use std::process::ExitCode;

use super::{ContractChaincode, ContractSet};
use crate::cli::{Program, run_program};
use crate::metadata::metadata_json;

/// A contract set as a command-line [`Program`]: serves [`ContractChaincode<S>`] and prints its
/// metadata.
pub struct ContractProgram<S>(PhantomData<fn() -> S>);

impl<S> Default for ContractProgram<S> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<S: ContractSet + Default> Program for ContractProgram<S> {
    type Chaincode = ContractChaincode<S>;

    fn chaincode(&self) -> ContractChaincode<S> {
        ContractChaincode::default()
    }

    fn metadata(&self) -> Option<String> {
        metadata_json::<S>().ok()
    }
}

/// Runs a chaincode made of the contract set `S` (one `#[contract]` type or a tuple of them)
/// with the full command line (`serve` by default, `metadata`, `package`) and returns the exit
/// code.
///
/// Like the Go contract API, it refuses to start (exit code 2) when the metadata cannot be
/// built, naming the type that has no Fabric representation.
///
/// ```no_run
/// use fabric_contract::{EvaluateCtx, contract};
///
/// #[derive(Default)]
/// pub struct Hello;
///
/// #[contract]
/// impl Hello {
///     #[evaluate]
///     async fn greet(&self, _ctx: &EvaluateCtx, name: String) -> String {
///         format!("hello {name}")
///     }
/// }
///
/// fn main() -> std::process::ExitCode {
///     fabric_contract::run::<Hello>()
/// }
/// ```
pub fn run<S: ContractSet + Default>() -> ExitCode {
    if let Err(e) = metadata_json::<S>() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    run_program(ContractProgram::<S>::default())
}
