use fabric_contract::{EvaluateCtx, SubmitCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &SubmitCtx) -> String {
        String::new()
    }

    #[submit]
    async fn write(&self, _ctx: &EvaluateCtx) {}
}

fn main() {}
