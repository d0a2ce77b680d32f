use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read<T: Default>(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
