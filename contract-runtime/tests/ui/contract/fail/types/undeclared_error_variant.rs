use fabric_contract::{ContractError, EvaluateCtx, contract};

#[derive(Debug, ContractError)]
pub enum AuctionError {
    #[error("auction {0} not found", code = "NOT_FOUND", status = 404)]
    NotFound(String),
}

#[derive(Default)]
pub struct Auctions;

#[contract]
impl Auctions {
    #[evaluate]
    #[errors(NotFound, AuctionExists)]
    async fn get(&self, _ctx: &EvaluateCtx, id: String) -> Result<String, AuctionError> {
        Err(AuctionError::NotFound(id))
    }
}

fn main() {}
