use fabric_contract::{ContractChaincode, EvaluateCtx, contract};

#[derive(Default)]
pub struct A;

#[contract(name = "Assets")]
impl A {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

#[derive(Default)]
pub struct B;

#[contract(name = "Assets")]
impl B {
    #[evaluate]
    async fn read(&self, _ctx: &EvaluateCtx) -> String {
        String::new()
    }
}

fn main() {
    let _chaincode = ContractChaincode::new((A, B));
}
