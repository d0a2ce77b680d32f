#[derive(Debug, ContractError)]
pub enum AuctionError {
    #[error("auction {0} already exists", code = "AUCTION_EXISTS", status = 409)]
    AuctionExists(String),
    #[error("expected {expected}, got {actual:?}", code = "BAD_BID")]
    BadBid { expected: u64, actual: u64 },
    #[error(transparent)]
    Framework(#[from] ContractError),
}
