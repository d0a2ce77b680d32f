use fabric_contract::{SubmitCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[init]
    async fn first(&self, _ctx: &SubmitCtx) {}

    #[init]
    async fn second(&self, _ctx: &SubmitCtx) {}
}

fn main() {}
