use fabric_contract::{EvaluateCtx, contract};

macro_rules! reader {
    () => {
        #[evaluate]
        async fn read(&self, _ctx: &EvaluateCtx) -> String {
            String::new()
        }
    };
}

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    reader!();
}

fn main() {}
