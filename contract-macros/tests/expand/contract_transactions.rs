/// Submit, evaluate and init transactions, named and renamed.
#[contract(name = "Assets", default)]
impl Assets {
    /// Seeds the ledger.
    #[init(name = "InitLedger")]
    async fn init_ledger(&self, ctx: &SubmitCtx) {}

    #[submit]
    async fn CreateAsset(&self, ctx: &SubmitCtx, id: String, size: u32) -> Result<(), ContractError> {
        Ok(())
    }

    #[evaluate(name = "ReadAsset")]
    async fn read(&self, ctx: &EvaluateCtx, id: String) -> Asset {
        Asset::default()
    }

    fn helper(&self) -> usize {
        0
    }
}
