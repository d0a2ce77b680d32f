// The whole ledger API is in scope, yet an evaluate context has no write half.
use fabric_contract::prelude::*;

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn sneaky(&self, ctx: &EvaluateCtx) -> Result<(), StubError> {
        ctx.put_state("k", b"v").await
    }

    #[evaluate]
    async fn sneaky_event(&self, ctx: &EvaluateCtx) -> Result<(), StubError> {
        ctx.set_event_raw("e", Vec::new())
    }

    #[evaluate]
    async fn sneaky_state(&self, ctx: &EvaluateCtx) -> Result<(), StateError> {
        const COUNT: Item<u64> = Item::new("count");
        COUNT.save(ctx, &1).await
    }
}

fn main() {}
