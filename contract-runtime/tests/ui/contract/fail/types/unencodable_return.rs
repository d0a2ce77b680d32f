use fabric_contract::{EvaluateCtx, contract};

pub struct NotAnObject;

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> NotAnObject {
        NotAnObject
    }
}

fn main() {}
