//! The fabric-samples `asset-transfer-basic` chaincode, written with
//! `#[contract]`: a drop-in replacement for the Go original. Same contract
//! name (`SmartContract`), transaction names, parameter order, world-state keys
//! and values, result bytes and error texts, so the unchanged sample
//! applications work against it, and it may even endorse next to the Go
//! chaincode on another organisation's peer.
//!
//! Deliberate differences (all invisible to the sample applications):
//! - read-only transactions are tagged `evaluate` in the metadata (Go tags
//!   every method `submit`), and parameters carry their real names instead of
//!   `param0`, `param1`, …;
//! - arguments are decoded strictly: an empty or signed-plus size is refused
//!   where Go reads it as 0, and surplus arguments are an error where Go
//!   ignores them;
//! - a stored value that is not an asset is an error naming the key, where Go
//!   would silently drop unknown fields.
//!
//! Assets live in a typed [`Map`] with plain string keys: the asset id is the
//! world-state key and the value is the asset's JSON, exactly where and how the
//! Go chaincode stores them.

use fabric_contract::prelude::*;
use futures_util::TryStreamExt;

/// An asset. Fields serialize in alphabetical order, as the Go struct declares
/// them, so the JSON bytes equal Go's.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Appraised value.
    #[serde(rename = "AppraisedValue")]
    pub appraised_value: i64,
    /// Colour.
    #[serde(rename = "Color")]
    pub color: String,
    /// The asset's id, also its world-state key.
    #[serde(rename = "ID")]
    pub id: String,
    /// Current owner.
    #[serde(rename = "Owner")]
    pub owner: String,
    /// Size.
    #[serde(rename = "Size")]
    pub size: i64,
}

/// The assets, keyed by id (plain world-state keys, as in Go).
const ASSETS: Map<String, Asset> = Map::simple();

/// Errors, worded exactly as the Go chaincode words them.
#[derive(Debug, fabric_contract::ContractError)]
pub enum AssetError {
    /// CreateAsset on an existing id.
    #[error("the asset {0} already exists")]
    Exists(String),
    /// Any transaction on a missing id.
    #[error("the asset {0} does not exist")]
    Missing(String),
    /// A ledger read failed, or a stored value is not an asset (the error names the key).
    #[error("failed to read from world state: {0}")]
    Read(StateError),
    /// A ledger write failed.
    #[error("failed to put to world state. {0}")]
    Write(StateError),
}

// ANCHOR: contract
/// The contract: the eight transactions of the Go sample.
#[derive(Debug, Default)]
pub struct SmartContract;

#[contract(name = "SmartContract")]
impl SmartContract {
    /// Puts the six sample assets (re-runnable: no existence check, as in Go).
    #[submit(name = "InitLedger")]
    async fn init_ledger(&self, ctx: &SubmitCtx) -> Result<(), AssetError> {
        let seed = [
            ("asset1", "blue", 5, "Tomoko", 300),
            ("asset2", "red", 5, "Brad", 400),
            ("asset3", "green", 10, "Jin Soo", 500),
            ("asset4", "yellow", 10, "Max", 600),
            ("asset5", "black", 15, "Adriana", 700),
            ("asset6", "white", 15, "Michel", 800),
        ];
        for (id, color, size, owner, appraised_value) in seed {
            let asset = Asset {
                appraised_value,
                color: color.into(),
                id: id.into(),
                owner: owner.into(),
                size,
            };
            save(ctx, &asset).await?;
        }
        Ok(())
    }

    /// Creates an asset; fails if the id exists.
    #[submit(name = "CreateAsset")]
    async fn create_asset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        color: String,
        size: i64,
        owner: String,
        appraised_value: i64,
    ) -> Result<(), AssetError> {
        if self.asset_exists(ctx.read_only(), id.clone()).await? {
            return Err(AssetError::Exists(id));
        }
        save(
            ctx,
            &Asset {
                appraised_value,
                color,
                id,
                owner,
                size,
            },
        )
        .await
    }

    /// Returns the asset stored under `id`.
    #[evaluate(name = "ReadAsset")]
    async fn read_asset(&self, ctx: &EvaluateCtx, id: String) -> Result<Stored<Asset>, AssetError> {
        // Returned as stored (see `get_all_assets`).
        found(ASSETS.stored().may_load(ctx, &id).await, id)
    }

    /// Replaces every field of an existing asset.
    #[submit(name = "UpdateAsset")]
    async fn update_asset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        color: String,
        size: i64,
        owner: String,
        appraised_value: i64,
    ) -> Result<(), AssetError> {
        if !self.asset_exists(ctx.read_only(), id.clone()).await? {
            return Err(AssetError::Missing(id));
        }
        save(
            ctx,
            &Asset {
                appraised_value,
                color,
                id,
                owner,
                size,
            },
        )
        .await
    }

    /// Deletes an existing asset.
    #[submit(name = "DeleteAsset")]
    async fn delete_asset(&self, ctx: &SubmitCtx, id: String) -> Result<(), AssetError> {
        if !self.asset_exists(ctx.read_only(), id.clone()).await? {
            return Err(AssetError::Missing(id));
        }
        ASSETS.remove(ctx, &id).await.map_err(AssetError::Write)
    }

    /// Whether an asset with this id exists.
    #[evaluate(name = "AssetExists")]
    async fn asset_exists(&self, ctx: &EvaluateCtx, id: String) -> Result<bool, AssetError> {
        ASSETS.has(ctx, &id).await.map_err(AssetError::Read)
    }

    /// Gives the asset a new owner and returns the previous owner (raw text, as Go).
    #[submit(name = "TransferAsset")]
    async fn transfer_asset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        new_owner: String,
    ) -> Result<String, AssetError> {
        let mut asset = found(ASSETS.may_load(ctx, &id).await, id)?;
        let old_owner = std::mem::replace(&mut asset.owner, new_owner);
        save(ctx, &asset).await?;
        Ok(old_owner)
    }

    /// Every asset, in key order; an empty payload when there are none (Go's nil slice).
    #[evaluate(name = "GetAllAssets")]
    async fn get_all_assets(
        &self,
        ctx: &EvaluateCtx,
    ) -> Result<Option<Vec<Stored<Asset>>>, AssetError> {
        // Returned as stored: an asset already in the JSON the response carries is checked and
        // copied rather than decoded and encoded again. The response bytes and the metadata are
        // those of returning `Vec<Asset>`.
        let assets: Vec<Stored<Asset>> = ASSETS
            .stored()
            .range(ctx, ..)
            .await
            .map_err(AssetError::Read)?
            .map_ok(|(_, asset)| asset)
            .try_collect()
            .await
            .map_err(AssetError::Read)?;
        Ok((!assets.is_empty()).then_some(assets))
    }
}
// ANCHOR_END: contract

/// The value read for `id`, or Go's error when there is none.
fn found<V>(read: Result<Option<V>, StateError>, id: String) -> Result<V, AssetError> {
    read.map_err(AssetError::Read)?
        .ok_or(AssetError::Missing(id))
}

async fn save(ctx: &SubmitCtx, asset: &Asset) -> Result<(), AssetError> {
    ASSETS
        .save(ctx, &asset.id, asset)
        .await
        .map_err(AssetError::Write)
}
