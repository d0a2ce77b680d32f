use fabric_contract::contract::TxContext;
use fabric_contract::{EvaluateCtx, SubmitCtx, contract};

pub struct MyCtx(SubmitCtx);

impl TxContext for MyCtx {
    fn new(ctx: SubmitCtx) -> Self {
        Self(ctx)
    }
    fn submit_ctx(&self) -> &SubmitCtx {
        &self.0
    }
}

#[derive(Default)]
pub struct Undeclared;

#[contract]
impl Undeclared {
    #[submit]
    async fn write(&self, _ctx: &MyCtx) {}

    #[after]
    async fn check(&self, _ctx: &EvaluateCtx, _returned: &String) {}
}

fn main() {}
