use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[cfg(debug_assertions)]
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
