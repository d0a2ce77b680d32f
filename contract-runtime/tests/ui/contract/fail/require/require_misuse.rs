use fabric_contract::{EvaluateCtx, contract};

#[derive(Default)]
pub struct Guarded;

#[contract]
impl Guarded {
    #[evaluate]
    #[require(org = "Org1MSP")]
    async fn unknown_key(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[evaluate]
    #[require(msp = "Org1MSP,")]
    async fn empty_msp(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[evaluate]
    #[require(attr = "role")]
    async fn attribute_without_value(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[evaluate]
    #[require]
    async fn no_condition(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }

    #[evaluate]
    #[require(msp = "Org1MSP", msp = "Org2MSP")]
    async fn duplicate_key(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {}
