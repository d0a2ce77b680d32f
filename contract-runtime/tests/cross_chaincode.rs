//! Calling another chaincode with a typed result: `EvaluateCtx::call_chaincode`.

use fabric_contract::prelude::*;
use fabric_contract::testing::network::{TestNetwork, anonymous};

/// The callee: balances under plain keys.
#[derive(Default)]
pub struct Bank;

#[contract(name = "Bank")]
impl Bank {
    #[submit(name = "Deposit")]
    async fn deposit(
        &self,
        ctx: &SubmitCtx,
        who: String,
        amount: u64,
    ) -> Result<(), ContractError> {
        ctx.put_state(&who, amount.to_string().as_bytes()).await?;
        Ok(())
    }

    #[evaluate(name = "Balance")]
    async fn balance(&self, ctx: &EvaluateCtx, who: String) -> Result<u64, ContractError> {
        let bytes = ctx
            .get_state(&who)
            .await?
            .ok_or_else(|| ContractError::new(format!("{who} has no account")).with_status(404))?;
        String::from_utf8_lossy(&bytes)
            .parse()
            .map_err(|_| ContractError::new("corrupt balance"))
    }
}

/// The caller.
#[derive(Default)]
pub struct Shop;

#[contract(name = "Shop")]
impl Shop {
    /// Whether `who` can afford `price`, asking the bank chaincode.
    #[evaluate(name = "CanAfford")]
    async fn can_afford(
        &self,
        ctx: &EvaluateCtx,
        who: String,
        price: u64,
    ) -> Result<bool, ContractError> {
        let balance: u64 = ctx.call_chaincode("bank", "Balance", &[&who]).await?;
        Ok(balance >= price)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_results_and_propagated_errors() {
    let net = TestNetwork::new()
        .chaincode("bank", ContractChaincode::new(Bank))
        .chaincode("shop", ContractChaincode::new(Shop))
        .start()
        .await
        .unwrap();
    let who = anonymous("Org1MSP");
    assert_eq!(
        net.call(&who, "bank", "Deposit", ["alice", "50"])
            .submit()
            .await
            .unwrap()
            .status,
        200
    );
    let yes = net
        .call(&who, "shop", "CanAfford", ["alice", "40"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(yes.text(), "true");
    let no = net
        .call(&who, "shop", "CanAfford", ["alice", "60"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(no.text(), "false");
    let missing = net
        .call(&who, "shop", "CanAfford", ["bob", "1"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(
        (missing.status, missing.message.as_str()),
        (404, "bob has no account"),
        "the callee's status and message"
    );
}
