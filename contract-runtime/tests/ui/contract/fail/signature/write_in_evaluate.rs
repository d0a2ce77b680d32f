use fabric_contract::{EvaluateCtx, StubError, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn sneaky(&self, ctx: &EvaluateCtx) -> Result<(), StubError> {
        ctx.put_state("k", b"v").await
    }
}

fn main() {}
