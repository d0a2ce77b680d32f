use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate(name = "ReadAsset")]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[evaluate(name = "readAsset")]
    async fn read_again(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
