//! A small auction that keys its records with composite keys
//! (`auction·<id>`, `bid·<auction>·<bidder>`): what the dev console tests use
//! to name composite keys and list them by object type.

use fabric_contract::ledger::create_composite_key;
use fabric_contract::prelude::*;

/// The auction contract.
#[derive(Default)]
pub struct Auction;

fn key(object_type: &str, attributes: &[&str]) -> Result<String, ContractError> {
    create_composite_key(object_type, attributes)
        .map_err(|e| ContractError::new(format!("bad key: {e}")))
}

#[contract(name = "Auction")]
impl Auction {
    /// Opens an auction for an item.
    #[submit(name = "CreateAuction")]
    async fn create_auction(
        &self,
        ctx: &SubmitCtx,
        id: String,
        item: String,
    ) -> Result<(), ContractError> {
        let key = key("auction", &[&id])?;
        ctx.put_state(&key, item.as_bytes())
            .await
            .map_err(|e| ContractError::new(e.to_string()))
    }

    /// Records a bid on an auction.
    #[submit(name = "Bid")]
    async fn bid(
        &self,
        ctx: &SubmitCtx,
        auction: String,
        bidder: String,
        amount: u64,
    ) -> Result<(), ContractError> {
        let key = key("bid", &[&auction, &bidder])?;
        ctx.put_state(&key, amount.to_string().as_bytes())
            .await
            .map_err(|e| ContractError::new(e.to_string()))
    }

    /// The item of an auction.
    #[evaluate(name = "GetAuction")]
    async fn get_auction(&self, ctx: &EvaluateCtx, id: String) -> Result<String, ContractError> {
        let key = key("auction", &[&id])?;
        let value = ctx
            .get_state(&key)
            .await
            .map_err(|e| ContractError::new(e.to_string()))?
            .ok_or_else(|| ContractError::new(format!("no auction {id}")))?;
        Ok(String::from_utf8_lossy(&value).into_owned())
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run::<Auction>()
}
