use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Guarded;

#[contract]
impl Guarded {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[before]
    #[require(msp = "Org1MSP")]
    async fn audit(&self, _ctx: &EvaluateCtx) -> Result<(), fabric_contract::ContractError> {
        Ok(())
    }

    #[require(role = "admin")]
    async fn helper(&self) {}
}

fn main() {}
