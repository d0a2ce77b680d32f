//! The `#[contract]` counterpart of `tests/node/contract.js`: the same contracts (`assets`, the
//! default, and `plain`), transactions, payloads and error texts, so
//! `support::contract_cases` runs the same invocations against both. Where our rules follow Go
//! rather than Node, the expected answers differ (`RUST_ASSET_CASES`). `WhoAmI` is left out
//! until client identity lands.

use fabric_contract::prelude::*;

/// An asset; fields declared in key order like the Node side's.
#[object]
#[derive(Debug, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct Asset {
    /// Appraised value.
    pub appraised_value: u64,
    /// Colour.
    pub color: String,
    /// Identifier.
    #[serde(rename = "ID")]
    pub id: String,
    /// Owner.
    pub owner: String,
    /// Size.
    pub size: u32,
}

/// Errors with the Node contract's texts.
#[derive(Debug, fabric_contract::ContractError)]
pub enum AssetError {
    /// Create of an existing id.
    #[error("the asset {0} already exists")]
    Exists(String),
    /// Read of a missing id.
    #[error("the asset {0} does not exist")]
    Missing(String),
    /// Stored bytes that are not an asset.
    #[error("the asset {0} is not valid JSON")]
    Corrupt(String),
    /// A ledger call failed.
    #[error(transparent)]
    Ledger(#[from] StubError),
    /// The event could not be set.
    #[error(transparent)]
    Event(#[from] fabric_contract::ledger::EventError),
}

/// The `assets` contract.
#[derive(Default)]
pub struct Assets;

#[contract(name = "assets", default)]
impl Assets {
    #[submit(name = "CreateAsset")]
    async fn create_asset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        color: String,
        size: u32,
        owner: String,
        appraised_value: u64,
    ) -> Result<(), AssetError> {
        if self.asset_exists(ctx.read_only(), id.clone()).await? {
            return Err(AssetError::Exists(id));
        }
        let asset = Asset {
            appraised_value,
            color,
            id,
            owner,
            size,
        };
        self.save(ctx, &asset).await?;
        ctx.set_event("CreateAsset", &asset)?;
        Ok(())
    }

    #[evaluate(name = "ReadAsset")]
    async fn read_asset(&self, ctx: &EvaluateCtx, id: String) -> Result<Asset, AssetError> {
        let bytes = ctx
            .get_state(&id)
            .await?
            .ok_or_else(|| AssetError::Missing(id.clone()))?;
        serde_json::from_slice(&bytes).map_err(|_| AssetError::Corrupt(id))
    }

    #[evaluate(name = "AssetExists")]
    async fn asset_exists(&self, ctx: &EvaluateCtx, id: String) -> Result<bool, AssetError> {
        Ok(ctx.get_state(&id).await?.is_some())
    }

    #[submit(name = "TransferAsset")]
    async fn transfer_asset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        new_owner: String,
    ) -> Result<String, AssetError> {
        let mut asset = self.read_asset(ctx.read_only(), id).await?;
        let old = std::mem::replace(&mut asset.owner, new_owner);
        self.save(ctx, &asset).await?;
        Ok(old)
    }

    #[submit(name = "UpdateAsset")]
    async fn update_asset(&self, ctx: &SubmitCtx, updated: Asset) -> Result<Asset, AssetError> {
        self.read_asset(ctx.read_only(), updated.id.clone()).await?;
        self.save(ctx, &updated).await?;
        Ok(updated)
    }

    #[submit(name = "DeleteAsset")]
    async fn delete_asset(&self, ctx: &SubmitCtx, id: String) -> Result<(), AssetError> {
        self.read_asset(ctx.read_only(), id.clone()).await?;
        Ok(ctx.del_state(&id).await?)
    }

    #[evaluate(name = "GetAllAssets")]
    async fn get_all_assets(&self, ctx: &EvaluateCtx) -> Result<Vec<Asset>, AssetError> {
        let mut it = ctx.get_state_by_range("", "").await?;
        let mut all = Vec::new();
        while let Some(kv) = it.next().await {
            let kv = kv?;
            all.push(serde_json::from_slice(&kv.value).map_err(|_| AssetError::Corrupt(kv.key))?);
        }
        it.close().await?;
        Ok(all)
    }

    #[evaluate(name = "Double")]
    async fn double(&self, _ctx: &EvaluateCtx, n: f64) -> f64 {
        n * 2.0
    }

    #[evaluate(name = "Negate")]
    async fn negate(&self, _ctx: &EvaluateCtx, flag: bool) -> bool {
        !flag
    }

    async fn save(&self, ctx: &SubmitCtx, asset: &Asset) -> Result<(), AssetError> {
        let bytes = fabric_contract::json::to_canonical_vec(asset)
            .map_err(|_| AssetError::Corrupt(asset.id.clone()))?;
        Ok(ctx.put_state(&asset.id, &bytes).await?)
    }
}

/// The `plain` contract.
#[derive(Default)]
pub struct Plain;

#[contract(name = "plain")]
impl Plain {
    #[submit(name = "Echo")]
    async fn echo(&self, _ctx: &SubmitCtx, a: String, b: String) -> String {
        format!("{a}|{b}")
    }

    #[submit(name = "Fail")]
    async fn fail(&self, _ctx: &SubmitCtx, message: String) -> Result<(), ContractError> {
        Err(ContractError::new(message))
    }

    #[submit(name = "Emit")]
    async fn emit(
        &self,
        ctx: &SubmitCtx,
        name: String,
        payload: String,
    ) -> Result<String, StubError> {
        ctx.set_event_raw(&name, payload.into_bytes())?;
        Ok("emitted".into())
    }

    #[unknown]
    async fn unknown(&self, _ctx: &EvaluateCtx, function: &str) -> Result<(), ContractError> {
        Err(ContractError::new(format!(
            "plain has no transaction plain:{function}"
        )))
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run::<(Assets, Plain)>()
}
