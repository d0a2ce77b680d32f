use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
