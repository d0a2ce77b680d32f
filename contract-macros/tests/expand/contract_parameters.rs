#[contract]
impl Assets {
    #[submit]
    async fn Transfer(
        &self,
        ctx: &SubmitCtx,
        id: String,
        #[transient] price: u64,
        #[transient("secret")] note: Option<String>,
        memo: Option<String>,
    ) {}
}
