//! Contender 3: the `#[contract]` asset-transfer-basic example, plus a `Bench`
//! contract holding the fixed-cost `Noop` transaction the example itself must
//! not have (its interface is the Go sample's). `SmartContract` stays the
//! default, so every workload but noop calls it exactly as a client would.

use asset_transfer_basic::SmartContract;
use fabric_contract::prelude::*;

/// The benchmark's extra contract.
#[derive(Default)]
pub struct Bench;

#[contract(name = "Bench")]
impl Bench {
    /// Does nothing: the runtime's fixed cost per transaction.
    #[evaluate(name = "Noop")]
    async fn noop(&self, _ctx: &EvaluateCtx) {}
}

fn main() -> std::process::ExitCode {
    fabric_contract::run::<(SmartContract, Bench)>()
}
