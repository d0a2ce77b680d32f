//! The raw handler API: a chaincode as two async functions over a [`Stub`],
//! like the Go shim's `Chaincode` interface. `#[contract]` builds on it; use it
//! directly for full control or to measure the runtime without the macro.

use std::future::Future;

pub use fabric_contract_proto::protos::Response;

use crate::ledger::stub::Stub;

/// A chaincode the shim can serve.
///
/// Each INIT and TRANSACTION runs as its own task; a panic inside `init` or
/// `invoke` fails that transaction with status 500 and nothing else.
///
/// ```
/// use fabric_contract::prelude::*;
///
/// struct Counter;
///
/// impl Chaincode for Counter {
///     async fn init(&self, _stub: &Stub) -> Response {
///         Response::success(Vec::new())
///     }
///
///     async fn invoke(&self, stub: &Stub) -> Response {
///         match stub.get_state("count").await {
///             Ok(value) => Response::success(value.unwrap_or_else(|| b"0".to_vec())),
///             Err(e) => Response::error(e.to_string()),
///         }
///     }
/// }
/// ```
pub trait Chaincode: Send + Sync + 'static {
    /// Runs an INIT message.
    fn init(&self, stub: &Stub) -> impl Future<Output = Response> + Send;

    /// Runs a TRANSACTION message.
    fn invoke(&self, stub: &Stub) -> impl Future<Output = Response> + Send;
}
