#[contract]
impl Assets {
    #[submit]
    #[require(msp = "Org1MSP,Org2MSP")]
    #[require(role = "admin", ou = "client")]
    async fn Delete(&self, ctx: &SubmitCtx, id: String) {}
}
