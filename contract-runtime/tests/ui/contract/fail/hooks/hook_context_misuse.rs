use fabric_contract::contract::Returned;
use fabric_contract::{EvaluateCtx, SubmitCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[submit]
    async fn write(&self, _ctx: &mut SubmitCtx) {}

    #[before]
    async fn fill(&self, _ctx: &mut SubmitCtx) {}

    #[after]
    async fn check(
        &self,
        _ctx: &EvaluateCtx,
        #[transient] _fail: Option<String>,
        _returned: &Returned,
    ) {
    }
}

#[derive(Default)]
pub struct Named;

#[contract(context = "NamedCtx")]
impl Named {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) {}
}

fn main() {}
