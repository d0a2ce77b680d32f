use fabric_contract::{ContractError, EvaluateCtx, contract};

pub struct Auction {
    pub id: String,
}

#[derive(Default)]
pub struct Auctions;

#[contract]
impl Auctions {
    #[evaluate]
    async fn get(&self, _ctx: &EvaluateCtx, id: String) -> Result<Auction, ContractError> {
        Ok(Auction { id })
    }
}

fn main() {}
