//! The fabric-samples `token-erc-20` chaincode (Go version), written with
//! `#[contract]`: same transactions, state layout, events, error texts and
//! quirks, so it can replace the Go original under the sample's README
//! commands. Accounts are Go client ids (base64 of `x509::<subject>::<issuer>`).
//!
//! Deliberate differences: read-only transactions are tagged `evaluate` in the
//! metadata, parameters keep their Rust names, and amounts are decoded strictly
//! (an empty amount is an error, where Go reads 0).
//!
//! State lives in typed collections laid out as Go lays it out: balances under
//! the plain account id, allowances under the composite key
//! `\0allowance\0owner\0spender\0`, the token options and the total supply
//! under fixed keys; numbers are decimal text.

use fabric_contract::prelude::*;
use fabric_contract::state::{Codec, Raw};

/// Go's `strconv.Itoa` on write and `strconv.Atoi` with its error ignored on read: decimal
/// text, and a malformed stored number counts as 0, as in the sample.
#[derive(Debug, Clone, Copy)]
pub struct GoDecimal;

impl Codec<i64> for GoDecimal {
    fn encode(value: &i64) -> Result<Vec<u8>, String> {
        Ok(value.to_string().into_bytes())
    }

    fn decode(bytes: &[u8]) -> Result<i64, String> {
        Ok(std::str::from_utf8(bytes)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0))
    }
}

/// Balances by account id.
const BALANCES: Map<String, i64, GoDecimal> = Map::simple();
/// Allowances by (owner, spender).
const ALLOWANCES: Map<(String, String), i64, GoDecimal> = Map::new("allowance");
/// The token options, stored as the raw bytes of the strings Initialize received (Go returns them
/// as `string(bytes)`, so reads stay lossless whatever is stored).
const NAME: Item<Vec<u8>, Raw> = Item::new("name");
const SYMBOL: Item<Vec<u8>, Raw> = Item::new("symbol");
const DECIMALS: Item<Vec<u8>, Raw> = Item::new("decimals");
const TOTAL_SUPPLY: Item<i64, GoDecimal> = Item::new("totalSupply");
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

fn ledger(e: StateError) -> ContractError {
    err(format!("failed to read from world state: {e}"))
}

fn put_failed(e: StateError) -> ContractError {
    err(format!("failed to put to world state: {e}"))
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
    match NAME.may_load(ctx).await.map_err(ledger)? {
        Some(_) => Ok(()),
        None => Err(err(
            "Contract options need to be set before calling any function, call Initialize() to initialize contract",
        )),
    }
}

fn allowance_key(owner: &str, spender: &str) -> (String, String) {
    (owner.to_owned(), spender.to_owned())
}

async fn balance(ctx: &EvaluateCtx, account: &str) -> Result<Option<i64>, ContractError> {
    BALANCES
        .may_load(ctx, &account.to_owned())
        .await
        .map_err(ledger)
}

async fn set_balance(ctx: &SubmitCtx, account: &str, value: i64) -> Result<(), ContractError> {
    BALANCES
        .save(ctx, &account.to_owned(), &value)
        .await
        .map_err(put_failed)
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
    let Some(from_balance) = balance(ctx.read_only(), from).await? else {
        return Err(err(format!("client account {from} has no balance")));
    };
    if from_balance < value {
        return Err(err(format!("client account {from} has insufficient funds")));
    }
    let to_balance = balance(ctx.read_only(), to).await?.unwrap_or(0);
    let from_updated = sub(from_balance, value)?;
    let to_updated = add(to_balance, value)?;
    set_balance(ctx, from, from_updated).await?;
    set_balance(ctx, to, to_updated).await
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

#[contract(name = "SmartContract", events(Transfer = TransferEvent, Approval = TransferEvent))]
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
        if NAME.may_load(ctx).await.map_err(ledger)?.is_some() {
            return Err(err(
                "contract options are already set, client is not authorized to change them",
            ));
        }
        for (item, value) in [(NAME, name), (SYMBOL, symbol), (DECIMALS, decimals)] {
            item.save(ctx, &value.into_bytes())
                .await
                .map_err(|e| err(format!("failed to set token {}: {e}", item.key())))?;
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
            balance(ctx.read_only(), &minter).await?.unwrap_or(0),
            amount,
        )?;
        set_balance(ctx, &minter, balance).await?;
        let supply = add(
            TOTAL_SUPPLY
                .may_load(ctx)
                .await
                .map_err(ledger)?
                .unwrap_or(0),
            amount,
        )?;
        TOTAL_SUPPLY.save(ctx, &supply).await.map_err(put_failed)?;
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
        let Some(current) = balance(ctx.read_only(), &minter).await? else {
            return Err(err("The balance does not exist"));
        };
        set_balance(ctx, &minter, sub(current, amount)?).await?;
        let Some(supply) = TOTAL_SUPPLY.may_load(ctx).await.map_err(ledger)? else {
            return Err(err("totalSupply does not exist"));
        };
        let supply = sub(supply, amount)?;
        TOTAL_SUPPLY.save(ctx, &supply).await.map_err(put_failed)?;
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
        balance(ctx, &account)
            .await?
            .ok_or_else(|| err(format!("the account {account} does not exist")))
    }

    /// The caller's balance.
    #[evaluate(name = "ClientAccountBalance")]
    async fn client_account_balance(&self, ctx: &EvaluateCtx) -> Result<i64, ContractError> {
        check_initialized(ctx).await?;
        let id = ctx.client()?.id();
        balance(ctx, &id)
            .await?
            .ok_or_else(|| err(format!("the account {id} does not exist")))
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
        Ok(TOTAL_SUPPLY
            .may_load(ctx)
            .await
            .map_err(ledger)?
            .unwrap_or(0))
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
        ALLOWANCES
            .save(ctx, &allowance_key(&owner, &spender), &value)
            .await
            .map_err(put_failed)?;
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
        Ok(ALLOWANCES
            .may_load(ctx, &allowance_key(&owner, &spender))
            .await
            .map_err(ledger)?
            .unwrap_or(0))
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
        let key = allowance_key(&from, &spender);
        let current = ALLOWANCES
            .may_load(ctx.read_only(), &key)
            .await
            .map_err(ledger)?
            .unwrap_or(0);
        if current < value {
            return Err(err("spender does not have enough allowance for transfer"));
        }
        transfer_helper(ctx, &from, &to, value)
            .await
            .map_err(|e| err(format!("failed to transfer: {}", e.message())))?;
        ALLOWANCES
            .save(ctx, &key, &sub(current, value)?)
            .await
            .map_err(put_failed)?;
        emit(ctx, "Transfer", &from, &to, value)
    }

    /// The token's name.
    #[evaluate(name = "Name")]
    async fn name(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        check_initialized(ctx).await?;
        let bytes = NAME
            .may_load(ctx)
            .await
            .map_err(ledger)?
            .unwrap_or_default();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The token's symbol.
    #[evaluate(name = "Symbol")]
    async fn symbol(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        check_initialized(ctx).await?;
        let bytes = SYMBOL
            .may_load(ctx)
            .await
            .map_err(ledger)?
            .unwrap_or_default();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
