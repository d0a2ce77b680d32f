use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate(nam = "Read")]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
