#[contract(name = "AssetTransfer", default)]
impl AssetTransfer {
    /// Seeds the ledger.
    #[init(name = "InitLedger")]
    async fn init_ledger(&self, ctx: &SubmitCtx) -> Result<(), AssetError> {
        Ok(())
    }

    #[submit(name = "TransferAsset")]
    #[require(msp = "Org1MSP")]
    async fn transfer(
        &self,
        ctx: &SubmitCtx,
        id: String,
        new_owner: String,
        #[transient] price: Option<u64>,
    ) -> Result<String, AssetError> {
        Ok(new_owner)
    }

    #[evaluate(name = "ReadAsset")]
    async fn read(&self, ctx: &EvaluateCtx, id: String) -> Result<Asset, AssetError> {
        Err(AssetError::Missing(id))
    }

    #[evaluate(name = "GetAssetsPage")]
    async fn page(&self, ctx: &EvaluateCtx, size: u32, bookmark: Option<String>) -> Option<Vec<Asset>> {
        None
    }

    fn helper(&self) -> usize {
        0
    }

    #[before]
    async fn audit(&self, ctx: &EvaluateCtx) -> Result<(), AssetError> {
        Ok(())
    }
}
