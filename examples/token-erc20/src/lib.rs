//! The fabric-samples `token-erc-20` chaincode (Go version), written with
//! `#[contract]`: same transactions, state layout, events, error texts and
//! quirks, so it can replace the Go original under the sample's README
//! commands. Accounts are Go client ids (base64 of `x509::<subject>::<issuer>`).
//!
//! Deliberate differences: read-only transactions are tagged `evaluate` in the
//! metadata, parameters keep their Rust names, and amounts are decoded strictly
//! (an empty amount is an error, where Go reads 0).

use fabric_contract::prelude::*;

const NAME_KEY: &str = "name";
const SYMBOL_KEY: &str = "symbol";
const DECIMALS_KEY: &str = "decimals";
const TOTAL_SUPPLY_KEY: &str = "totalSupply";
const ALLOWANCE_PREFIX: &str = "allowance";
/// The MSP allowed to initialize, mint and burn.
const MINTER_MSP: &str = "Org1MSP";
/// The account standing for "no one" in mint and burn events.
const ZERO_ACCOUNT: &str = "0x0";

/// The payload of `Transfer` and (as in the Go sample) `Approval` events.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferEvent {
    /// Sender (or owner, for approvals).
    pub from: String,
    /// Recipient (or spender, for approvals).
    pub to: String,
    /// Amount.
    pub value: i64,
}

fn err(message: impl Into<String>) -> ContractError {
    ContractError::new(message)
}

fn ledger(e: StubError) -> ContractError {
    err(format!("failed to read from world state: {e}"))
}

/// Go's `strconv.Atoi` of a stored balance; the sample ignores its error, so a
/// malformed value counts as 0.
fn number(bytes: Option<Vec<u8>>) -> i64 {
    bytes
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The sample's checked addition.
fn add(b: i64, q: i64) -> Result<i64, ContractError> {
    let c = b.wrapping_add(q);
    if (c > b) == (q > 0) {
        Ok(c)
    } else {
        Err(err(format!("Math: addition overflow occurred {b} + {q}")))
    }
}

/// The sample's checked subtraction (which also refuses q <= 0).
fn sub(b: i64, q: i64) -> Result<i64, ContractError> {
    if q <= 0 {
        return Err(err(format!(
            "Error: the subtraction number is {q}, it should be greater than 0"
        )));
    }
    if b < q {
        return Err(err(format!(
            "Error: the number {b} is not enough to be subtracted by {q}"
        )));
    }
    Ok(b - q)
}

async fn check_initialized(ctx: &EvaluateCtx) -> Result<(), ContractError> {
    match ctx.get_state(NAME_KEY).await.map_err(ledger)? {
        Some(_) => Ok(()),
        None => Err(err(
            "Contract options need to be set before calling any function, call Initialize() to initialize contract",
        )),
    }
}

async fn put_number(ctx: &SubmitCtx, key: &str, value: i64) -> Result<(), ContractError> {
    ctx.put_state(key, value.to_string().as_bytes())
        .await
        .map_err(|e| err(format!("failed to put to world state: {e}")))
}

fn allowance_key(owner: &str, spender: &str) -> Result<String, ContractError> {
    fabric_contract::ledger::create_composite_key(ALLOWANCE_PREFIX, &[owner, spender]).map_err(
        |e| {
            err(format!(
                "failed to create the composite key for prefix {ALLOWANCE_PREFIX}: {e}"
            ))
        },
    )
}

/// Moves `value` from one account to another, with the sample's checks in its order.
async fn transfer_helper(
    ctx: &SubmitCtx,
    from: &str,
    to: &str,
    value: i64,
) -> Result<(), ContractError> {
    if from == to {
        return Err(err("cannot transfer to and from same client account"));
    }
    if value < 0 {
        return Err(err("transfer amount cannot be negative"));
    }
    let Some(from_bytes) = ctx.get_state(from).await.map_err(ledger)? else {
        return Err(err(format!("client account {from} has no balance")));
    };
    let from_balance = number(Some(from_bytes));
    if from_balance < value {
        return Err(err(format!("client account {from} has insufficient funds")));
    }
    let to_balance = number(ctx.get_state(to).await.map_err(ledger)?);
    let from_updated = sub(from_balance, value)?;
    let to_updated = add(to_balance, value)?;
    put_number(ctx, from, from_updated).await?;
    put_number(ctx, to, to_updated).await
}

fn emit(
    ctx: &SubmitCtx,
    name: &str,
    from: &str,
    to: &str,
    value: i64,
) -> Result<(), ContractError> {
    let event = TransferEvent {
        from: from.into(),
        to: to.into(),
        value,
    };
    ctx.set_event(name, &event)
        .map_err(|e| err(format!("failed to set event: {e}")))
}

/// The ERC-20 token contract.
#[derive(Debug, Default)]
pub struct SmartContract;

#[contract(name = "SmartContract")]
impl SmartContract {
    /// Sets the token's name, symbol and decimals; only once, only by Org1.
    #[submit(name = "Initialize")]
    async fn initialize(
        &self,
        ctx: &SubmitCtx,
        name: String,
        symbol: String,
        decimals: String,
    ) -> Result<bool, ContractError> {
        if ctx.client_msp_id()? != MINTER_MSP {
            return Err(err("client is not authorized to initialize contract"));
        }
        if ctx.get_state(NAME_KEY).await.map_err(ledger)?.is_some() {
            return Err(err(
                "contract options are already set, client is not authorized to change them",
            ));
        }
        for (key, value) in [
            (NAME_KEY, name),
            (SYMBOL_KEY, symbol),
            (DECIMALS_KEY, decimals),
        ] {
            ctx.put_state(key, value.as_bytes())
                .await
                .map_err(|e| err(format!("failed to set token {key}: {e}")))?;
        }
        Ok(true)
    }

    /// Creates tokens in the caller's account (Org1 only).
    #[submit(name = "Mint")]
    async fn mint(&self, ctx: &SubmitCtx, amount: i64) -> Result<(), ContractError> {
        check_initialized(ctx.read_only()).await?;
        if ctx.client_msp_id()? != MINTER_MSP {
            return Err(err("client is not authorized to mint new tokens"));
        }
        let minter = ctx.client()?.id();
        if amount <= 0 {
            return Err(err("mint amount must be a positive integer"));
        }
        let balance = add(
            number(ctx.get_state(&minter).await.map_err(ledger)?),
            amount,
        )?;
        put_number(ctx, &minter, balance).await?;
        let supply = add(
            number(ctx.get_state(TOTAL_SUPPLY_KEY).await.map_err(ledger)?),
            amount,
        )?;
        put_number(ctx, TOTAL_SUPPLY_KEY, supply).await?;
        emit(ctx, "Transfer", ZERO_ACCOUNT, &minter, amount)
    }

    /// Destroys tokens from the caller's account (Org1 only).
    #[submit(name = "Burn")]
    async fn burn(&self, ctx: &SubmitCtx, amount: i64) -> Result<(), ContractError> {
        check_initialized(ctx.read_only()).await?;
        if ctx.client_msp_id()? != MINTER_MSP {
            return Err(err("client is not authorized to mint new tokens"));
        }
        let minter = ctx.client()?.id();
        if amount <= 0 {
            return Err(err("burn amount must be a positive integer"));
        }
        let Some(current) = ctx.get_state(&minter).await.map_err(ledger)? else {
            return Err(err("The balance does not exist"));
        };
        let balance = sub(number(Some(current)), amount)?;
        put_number(ctx, &minter, balance).await?;
        let Some(supply) = ctx.get_state(TOTAL_SUPPLY_KEY).await.map_err(ledger)? else {
            return Err(err("totalSupply does not exist"));
        };
        let supply = sub(number(Some(supply)), amount)?;
        put_number(ctx, TOTAL_SUPPLY_KEY, supply).await?;
        emit(ctx, "Transfer", &minter, ZERO_ACCOUNT, amount)
    }

    /// Sends tokens from the caller to `recipient`.
    #[submit(name = "Transfer")]
    async fn transfer(
        &self,
        ctx: &SubmitCtx,
        recipient: String,
        amount: i64,
    ) -> Result<(), ContractError> {
        check_initialized(ctx.read_only()).await?;
        let sender = ctx.client()?.id();
        transfer_helper(ctx, &sender, &recipient, amount)
            .await
            .map_err(|e| err(format!("failed to transfer: {}", e.message())))?;
        emit(ctx, "Transfer", &sender, &recipient, amount)
    }

    /// The balance of `account`.
    #[evaluate(name = "BalanceOf")]
    async fn balance_of(&self, ctx: &EvaluateCtx, account: String) -> Result<i64, ContractError> {
        check_initialized(ctx).await?;
        match ctx.get_state(&account).await.map_err(ledger)? {
            Some(bytes) => Ok(number(Some(bytes))),
            None => Err(err(format!("the account {account} does not exist"))),
        }
    }

    /// The caller's balance.
    #[evaluate(name = "ClientAccountBalance")]
    async fn client_account_balance(&self, ctx: &EvaluateCtx) -> Result<i64, ContractError> {
        check_initialized(ctx).await?;
        let id = ctx.client()?.id();
        match ctx.get_state(&id).await.map_err(ledger)? {
            Some(bytes) => Ok(number(Some(bytes))),
            None => Err(err(format!("the account {id} does not exist"))),
        }
    }

    /// The caller's account id (Go's base64 client id).
    #[evaluate(name = "ClientAccountID")]
    async fn client_account_id(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        check_initialized(ctx).await?;
        Ok(ctx.client()?.id())
    }

    /// All tokens in existence; 0 before the first mint.
    #[evaluate(name = "TotalSupply")]
    async fn total_supply(&self, ctx: &EvaluateCtx) -> Result<i64, ContractError> {
        check_initialized(ctx).await?;
        Ok(number(
            ctx.get_state(TOTAL_SUPPLY_KEY).await.map_err(ledger)?,
        ))
    }

    /// Lets `spender` move up to `value` of the caller's tokens (overwrites; no checks, as Go).
    #[submit(name = "Approve")]
    async fn approve(
        &self,
        ctx: &SubmitCtx,
        spender: String,
        value: i64,
    ) -> Result<(), ContractError> {
        check_initialized(ctx.read_only()).await?;
        let owner = ctx.client()?.id();
        put_number(ctx, &allowance_key(&owner, &spender)?, value).await?;
        emit(ctx, "Approval", &owner, &spender, value)
    }

    /// What `spender` may still move from `owner`'s account; 0 without an approval.
    #[evaluate(name = "Allowance")]
    async fn allowance(
        &self,
        ctx: &EvaluateCtx,
        owner: String,
        spender: String,
    ) -> Result<i64, ContractError> {
        check_initialized(ctx).await?;
        Ok(number(
            ctx.get_state(&allowance_key(&owner, &spender)?)
                .await
                .map_err(ledger)?,
        ))
    }

    /// The caller, as spender, moves `value` from `from` to `to`.
    #[submit(name = "TransferFrom")]
    async fn transfer_from(
        &self,
        ctx: &SubmitCtx,
        from: String,
        to: String,
        value: i64,
    ) -> Result<(), ContractError> {
        check_initialized(ctx.read_only()).await?;
        let spender = ctx.client()?.id();
        let key = allowance_key(&from, &spender)?;
        let current = number(ctx.get_state(&key).await.map_err(ledger)?);
        if current < value {
            return Err(err("spender does not have enough allowance for transfer"));
        }
        transfer_helper(ctx, &from, &to, value)
            .await
            .map_err(|e| err(format!("failed to transfer: {}", e.message())))?;
        put_number(ctx, &key, sub(current, value)?).await?;
        emit(ctx, "Transfer", &from, &to, value)
    }

    /// The token's name.
    #[evaluate(name = "Name")]
    async fn name(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        check_initialized(ctx).await?;
        let bytes = ctx
            .get_state(NAME_KEY)
            .await
            .map_err(ledger)?
            .unwrap_or_default();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The token's symbol.
    #[evaluate(name = "Symbol")]
    async fn symbol(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        check_initialized(ctx).await?;
        let bytes = ctx
            .get_state(SYMBOL_KEY)
            .await
            .map_err(ledger)?
            .unwrap_or_default();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
