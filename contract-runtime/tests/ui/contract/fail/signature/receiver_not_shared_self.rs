use fabric_contract::{EvaluateCtx, SubmitCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[submit]
    async fn write(&mut self, _ctx: &SubmitCtx) {}

    #[evaluate]
    async fn read(self, _ctx: &EvaluateCtx) {}

    #[evaluate]
    async fn free(_ctx: &EvaluateCtx) {}
}

fn main() {}
