#[contract]
impl Assets {
    #[evaluate]
    async fn Ping(&self, ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[before]
    async fn audit(&self, ctx: &EvaluateCtx) -> Result<(), ContractError> {
        Ok(())
    }

    #[after]
    async fn log(&self, ctx: &EvaluateCtx, payload: &[u8]) {}

    #[unknown]
    async fn fallback(&self, ctx: &EvaluateCtx, function: &str) -> Result<String, ContractError> {
        Ok(function.to_string())
    }
}
