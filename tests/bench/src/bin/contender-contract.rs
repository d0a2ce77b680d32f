//! Contender 3: the `#[contract]` asset-transfer-basic example, plus a `Bench`
//! contract holding the fixed-cost `Noop` transaction the example itself must
//! not have (its interface is the Go sample's). `SmartContract` stays the
//! default, so every workload but noop calls it exactly as a client would.

use asset_transfer_basic::{Asset, SmartContract};
use fabric_contract::prelude::*;

/// The example's assets: the same map (plain world-state keys) it declares.
const ASSETS: Map<String, Asset> = Map::simple();

/// The benchmark's extra contract.
#[derive(Default)]
pub struct Bench;

#[contract(name = "Bench")]
impl Bench {
    /// Does nothing: the runtime's fixed cost per transaction.
    #[evaluate(name = "Noop")]
    async fn noop(&self, _ctx: &EvaluateCtx) {}

    /// The assets of a comma-separated list of ids that exist, in the order
    /// asked: one multi-key read (GET_STATE_MULTIPLE where the peer offers it).
    #[evaluate(name = "ReadMany")]
    async fn read_many(
        &self,
        ctx: &EvaluateCtx,
        ids: String,
    ) -> Result<Vec<Stored<Asset>>, StateError> {
        let ids: Vec<String> = ids.split(',').map(str::to_owned).collect();
        let found = ASSETS.stored().load_many(ctx, &ids).await?;
        Ok(found.into_iter().flatten().collect())
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run::<(SmartContract, Bench)>()
}
