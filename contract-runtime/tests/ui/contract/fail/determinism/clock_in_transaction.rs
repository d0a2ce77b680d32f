use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn now(&self, _ctx: &EvaluateCtx) -> u64 {
        let t = std::time::SystemTime::now();
        t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    }
}

fn main() {}
