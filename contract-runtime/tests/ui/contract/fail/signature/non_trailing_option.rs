use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx, page: Option<u32>, owner: String) -> String {
        format!("{page:?} {owner}")
    }
}

fn main() {}
