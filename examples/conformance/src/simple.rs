//! `simple` (and `ccaas`): strings in, strings out, and world-state reads and writes.

use fabric_contract::prelude::*;

/// The suite's `SimpleContract`.
#[derive(Debug, Default)]
pub struct SimpleContract;

#[contract(name = "SimpleContract")]
impl SimpleContract {
    /// Answers `Hello World`.
    #[evaluate(name = "helloWorld")]
    async fn hello_world(&self, _ctx: &EvaluateCtx) -> &'static str {
        "Hello World"
    }

    /// Answers `value` unchanged.
    #[evaluate(name = "callAndResponse")]
    async fn call_and_response(&self, _ctx: &EvaluateCtx, value: String) -> String {
        value
    }

    /// Writes `value` under `key` in the world state.
    #[submit(name = "putState")]
    async fn put_state(
        &self,
        ctx: &SubmitCtx,
        key: String,
        value: String,
    ) -> Result<(), ContractError> {
        Ok(ctx.put_state(&key, value.as_bytes()).await?)
    }

    /// The world-state value of `key` as text; empty when the key does not exist (as the Go
    /// and Node conformance chaincodes answer).
    #[evaluate(name = "getState")]
    async fn get_state(&self, ctx: &EvaluateCtx, key: String) -> Result<String, ContractError> {
        let value = ctx.get_state(&key).await?.unwrap_or_default();
        String::from_utf8(value)
            .map_err(|_| ContractError::new(format!("the value of {key} is not UTF-8 text")))
    }

    /// Whether `key` exists in the world state.
    #[evaluate(name = "existsState")]
    async fn exists_state(&self, ctx: &EvaluateCtx, key: String) -> Result<bool, ContractError> {
        Ok(ctx.get_state(&key).await?.is_some())
    }

    /// Deletes `key` from the world state.
    #[submit(name = "deleteState")]
    async fn delete_state(&self, ctx: &SubmitCtx, key: String) -> Result<(), ContractError> {
        Ok(ctx.del_state(&key).await?)
    }
}
