//! Routing one INIT or TRANSACTION to a contract's transaction, following fabric-contract-api-go's
//! `contractapi/contract_chaincode.go` (name grammar, default contract, order of checks).

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use prost::bytes::Bytes;

use super::ContractSet;
use super::set::metadata_json;
use crate::ContractError;
use crate::chaincode::{Chaincode, Response};
use crate::ctx::SubmitCtx;
use crate::ledger::LedgerRead;
use crate::ledger::stub::Stub;
use crate::metadata::{MetadataError, SYSTEM_CONTRACT};

/// Go's payload for an INIT that names no function.
const DEFAULT_INIT_PAYLOAD: &[u8] = b"Default initiator successful.";

/// A [`Chaincode`] serving a [`ContractSet`]: splits `Contract:Function` at the last `:`, runs
/// the hooks, decodes arguments, encodes results and errors, answers the system contract
/// `org.hyperledger.fabric:GetMetadata`, and turns a panic into a 500 for that transaction only.
///
/// ```
/// use fabric_contract::{ContractChaincode, EvaluateCtx, contract};
///
/// #[derive(Default)]
/// pub struct Greeter;
///
/// #[contract(default)]
/// impl Greeter {
///     /// Says hello.
///     #[evaluate(name = "Greet")]
///     async fn greet(&self, _ctx: &EvaluateCtx, name: String) -> String {
///         format!("hello {name}")
///     }
/// }
///
/// let chaincode = ContractChaincode::new(Greeter);
/// let metadata = std::str::from_utf8(chaincode.metadata().unwrap()).unwrap();
/// assert!(metadata.contains(r#""name":"Greet""#));
/// ```
pub struct ContractChaincode<S> {
    set: S,
    metadata: Result<Vec<u8>, MetadataError>,
}

impl<S: ContractSet> ContractChaincode<S> {
    /// Serves `set`. The set's rules are checked at compile time; the metadata is built once here.
    pub fn new(set: S) -> Self {
        #[allow(clippy::let_unit_value)]
        let () = S::CHECK;
        let metadata = metadata_json::<S>().map(String::into_bytes);
        if let Err(e) = &metadata {
            tracing::error!(error = %e, "the contract metadata cannot be built");
        }
        Self { set, metadata }
    }

    /// The metadata document, or why it could not be built.
    pub fn metadata(&self) -> Result<&[u8], &MetadataError> {
        self.metadata.as_deref()
    }

    async fn route(&self, stub: &Stub) -> Response {
        let outcome = AssertUnwindSafe(self.dispatch(stub)).catch_unwind().await;
        match outcome {
            Ok(Ok(payload)) => Response::success(payload),
            Ok(Err(e)) => {
                tracing::debug!(tx = stub.tx_id(), status = e.status(), error = %e, "transaction failed");
                error_response(&e)
            }
            Err(panic) => {
                let text = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(tx = stub.tx_id(), panic = %text, "transaction panicked");
                error_response(&ContractError::new("transaction panicked"))
            }
        }
    }

    async fn dispatch(&self, stub: &Stub) -> Result<Vec<u8>, ContractError> {
        let Some((first, params)) = stub.arg_slices().split_first() else {
            return if stub.is_init() {
                Ok(DEFAULT_INIT_PAYLOAD.to_vec())
            } else {
                Err(ContractError::new("Blank function name passed"))
            };
        };
        if first.is_empty() && stub.is_init() {
            return self.run_init(stub, params).await;
        }
        let name = std::str::from_utf8(first)
            .map_err(|_| ContractError::new("the function name is not valid UTF-8"))?;
        // A byte search: ':' is ASCII, and a `char` search costs more than the rest of routing.
        let (namespace, function) = match name.bytes().rposition(|b| b == b':') {
            Some(i) => (Some(&name[..i]), &name[i + 1..]),
            None => (None, name),
        };
        if namespace == Some(SYSTEM_CONTRACT) {
            return self.system(function);
        }
        let index = match namespace {
            None => S::default_index(),
            Some(ns) => S::CONTRACTS
                .iter()
                .position(|c| c.name == ns)
                .ok_or_else(|| ContractError::new(format!("Contract not found with name {ns}")))?,
        };
        if function.is_empty() {
            return Err(ContractError::new("Blank function name passed"));
        }
        let contract = self
            .set
            .contract(index)
            .ok_or_else(|| ContractError::new("the contract set is inconsistent"))?;
        contract
            .run(SubmitCtx::new(stub.clone()), function, params)
            .await
    }

    /// An INIT naming no function runs the `#[init]` transaction, or answers like Go without one.
    async fn run_init(&self, stub: &Stub, params: &[Bytes]) -> Result<Vec<u8>, ContractError> {
        for (index, info) in S::CONTRACTS.iter().enumerate() {
            if let Some(tx) = info.init() {
                let contract = self
                    .set
                    .contract(index)
                    .ok_or_else(|| ContractError::new("the contract set is inconsistent"))?;
                let name = info.transactions[tx].name;
                let payload = contract
                    .run(SubmitCtx::new(stub.clone()), name, params)
                    .await?;
                return Ok(payload);
            }
        }
        Ok(DEFAULT_INIT_PAYLOAD.to_vec())
    }

    fn system(&self, function: &str) -> Result<Vec<u8>, ContractError> {
        match function {
            "GetMetadata" => self
                .metadata
                .clone()
                .map_err(|e| ContractError::new(e.to_string())),
            "" => Err(ContractError::new("Blank function name passed")),
            other => Err(ContractError::new(format!(
                "Function {other} not found in contract {SYSTEM_CONTRACT}"
            ))),
        }
    }
}

impl<S: ContractSet + Default> Default for ContractChaincode<S> {
    fn default() -> Self {
        Self::new(S::default())
    }
}

fn error_response(e: &ContractError) -> Response {
    Response {
        status: i32::from(e.status()),
        message: e.wire_message(),
        payload: e.wire_payload(),
    }
}

impl<S: ContractSet> Chaincode for ContractChaincode<S> {
    async fn init(&self, stub: &Stub) -> Response {
        self.route(stub).await
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        self.route(stub).await
    }
}
