//! `private`: reads and writes in the private data collection `Org1AndOrg2`.
//!
//! The collection is defined with `memberOnlyRead`, so the peer refuses a read by a client of an
//! organisation outside it; the contract answers that (and any other failed read) with the
//! suite's error text.

use fabric_contract::prelude::*;

/// The collection every transaction uses.
pub const COLLECTION: &str = "Org1AndOrg2";

/// The suite's `PrivateContract`.
#[derive(Debug, Default)]
pub struct PrivateContract;

#[contract(name = "PrivateContract")]
impl PrivateContract {
    /// Writes `value` under `key` in the collection.
    #[submit(name = "putPrivateState")]
    async fn put_private_state(
        &self,
        ctx: &SubmitCtx,
        key: String,
        value: String,
    ) -> Result<(), ContractError> {
        Ok(ctx
            .put_private_data(COLLECTION, &key, value.as_bytes())
            .await?)
    }

    /// The collection's value of `key` as text (empty when absent); any failed read is the
    /// error `Could not read private collection Org1AndOrg2`.
    #[evaluate(name = "getPrivateState")]
    async fn get_private_state(
        &self,
        ctx: &EvaluateCtx,
        key: String,
    ) -> Result<String, ContractError> {
        let unreadable =
            || ContractError::new(format!("Could not read private collection {COLLECTION}"));
        let value = ctx
            .get_private_data(COLLECTION, &key)
            .await
            .map_err(|e| {
                tracing::debug!(error = %e, key, "private read refused");
                unreadable()
            })?
            .unwrap_or_default();
        String::from_utf8(value).map_err(|_| unreadable())
    }

    /// Deletes `key` from the collection.
    #[submit(name = "deletePrivateState")]
    async fn delete_private_state(
        &self,
        ctx: &SubmitCtx,
        key: String,
    ) -> Result<(), ContractError> {
        Ok(ctx.del_private_data(COLLECTION, &key).await?)
    }
}
