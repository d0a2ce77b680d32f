use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract(name = "org.hyperledger.fabric")]
impl Assets {
    #[evaluate(name = "Asset:Read")]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[evaluate(name = "")]
    async fn empty(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
