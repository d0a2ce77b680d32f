use fabric_contract::{EvaluateCtx, contract};

#[derive(Debug)]
pub struct MyError;

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> Result<String, MyError> {
        Err(MyError)
    }
}

fn main() {}
