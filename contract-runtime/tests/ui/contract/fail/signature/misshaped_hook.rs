use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[before]
    async fn audit(&self, _ctx: &EvaluateCtx, _extra: String) {}

    #[after]
    async fn after_one(&self, _ctx: &EvaluateCtx, _payload: &[u8]) {}

    #[after]
    async fn after_two(&self, _ctx: &EvaluateCtx, _payload: &[u8]) {}
}

fn main() {}
