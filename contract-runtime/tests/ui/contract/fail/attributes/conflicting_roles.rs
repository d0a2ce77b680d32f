use fabric_contract::{SubmitCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[submit]
    #[evaluate]
    async fn read(&self, _ctx: &SubmitCtx) -> String {
        String::new()
    }
}

fn main() {}
