use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Auctions;

#[contract]
impl Auctions {
    #[evaluate]
    #[errors(NotFound)]
    async fn get(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
