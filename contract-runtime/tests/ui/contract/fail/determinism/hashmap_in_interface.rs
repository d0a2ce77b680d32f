use std::collections::HashMap;

use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx, filter: HashMap<String, String>) -> Vec<String> {
        filter.into_keys().collect()
    }
}

fn main() {}
