use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx, (a, b): (String, String)) -> String {
        a + &b
    }
}

fn main() {}
