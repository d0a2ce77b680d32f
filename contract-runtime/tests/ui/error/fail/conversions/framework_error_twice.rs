use fabric_contract::{ContractError, StubError};

#[derive(Debug, ContractError)]
pub enum AuctionError {
    #[error("ledger: {0}")]
    Ledger(#[from] StubError),
    #[error(transparent)]
    Other(#[from] ContractError),
}

fn main() {}
