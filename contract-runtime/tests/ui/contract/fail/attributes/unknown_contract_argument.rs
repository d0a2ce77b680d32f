use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract(nmae = "Assets")]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
