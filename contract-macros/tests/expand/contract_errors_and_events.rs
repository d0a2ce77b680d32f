#[contract(events(Transfer = TransferEvent, "asset-deleted" = Asset))]
impl Auction {
    #[submit]
    #[errors(AuctionExists)]
    async fn CreateAuction(&self, ctx: &SubmitCtx, id: String) -> Result<(), AuctionError> {
        Ok(())
    }

    #[evaluate]
    async fn GetAuction(&self, ctx: &EvaluateCtx, id: String) -> Result<Auction, AuctionError> {
        Err(AuctionError::NotFound(id))
    }
}
