#[contract(context = AuditCtx)]
impl Audited {
    #[submit]
    async fn Put(&self, ctx: &AuditCtx, id: String) -> Result<String, ContractError> {
        Ok(id)
    }

    #[evaluate]
    async fn Get(&self, ctx: &EvaluateCtx, id: String) -> String {
        id
    }

    #[before]
    async fn fill(&self, ctx: &mut AuditCtx, #[transient] caller: Option<String>) {}

    #[after]
    async fn check(&self, ctx: &AuditCtx, returned: &Returned) -> Result<(), ContractError> {
        Ok(())
    }
}
