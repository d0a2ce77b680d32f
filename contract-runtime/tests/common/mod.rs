//! The contracts the integration tests share.

#![allow(missing_docs, dead_code)]

use std::collections::BTreeMap;
use std::sync::Mutex;

use fabric_contract::prelude::*;

#[object]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Asset {
    #[serde(rename = "ID")]
    pub id: String,
    pub color: String,
    pub size: u32,
    pub owner: String,
    pub appraised_value: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

// ANCHOR: errors
#[derive(Debug, fabric_contract::ContractError)]
pub enum AssetError {
    #[error("the asset {0} already exists")]
    Exists(String),
    #[error("the asset {0} does not exist")]
    Missing(String),
    #[error("{0} already owns it", code = "SAME_OWNER", status = 409)]
    SameOwner(String),
    #[error("stored asset {id} is corrupt")]
    Corrupt { id: String },
    #[error(transparent)]
    Ledger(#[from] StubError),
}
// ANCHOR_END: errors

/// Transfers assets.
#[derive(Default)]
pub struct AssetTransfer;

#[contract(name = "AssetTransfer", default)]
impl AssetTransfer {
    /// Seeds the ledger.
    #[init(name = "InitLedger")]
    async fn init_ledger(&self, ctx: &SubmitCtx) -> Result<(), AssetError> {
        self.create(ctx, "a0".into(), "red".into(), 1, "Zed".into(), 10)
            .await
    }

    /// Creates an asset.
    #[submit(name = "CreateAsset")]
    async fn create(
        &self,
        ctx: &SubmitCtx,
        id: String,
        color: String,
        size: u32,
        owner: String,
        appraised_value: u64,
    ) -> Result<(), AssetError> {
        if ctx.get_state(&id).await?.is_some() {
            return Err(AssetError::Exists(id));
        }
        let asset = Asset {
            id: id.clone(),
            color,
            size,
            owner,
            appraised_value,
            note: None,
        };
        let bytes = fabric_contract::json::to_canonical_vec(&asset)
            .map_err(|_| AssetError::Corrupt { id: id.clone() })?;
        ctx.put_state(&id, &bytes).await?;
        Ok(())
    }

    #[evaluate(name = "ReadAsset")]
    async fn read(&self, ctx: &EvaluateCtx, id: String) -> Result<Asset, AssetError> {
        let bytes = ctx
            .get_state(&id)
            .await?
            .ok_or_else(|| AssetError::Missing(id.clone()))?;
        serde_json::from_slice(&bytes).map_err(|_| AssetError::Corrupt { id })
    }

    #[submit(name = "TransferAsset")]
    async fn transfer(
        &self,
        ctx: &SubmitCtx,
        id: String,
        new_owner: String,
        #[transient] price: Option<u64>,
    ) -> Result<String, AssetError> {
        let mut asset = self.read(ctx.read_only(), id.clone()).await?;
        if asset.owner == new_owner {
            return Err(AssetError::SameOwner(new_owner));
        }
        let old = std::mem::replace(&mut asset.owner, new_owner);
        asset.note = price.map(|p| format!("sold for {p}"));
        let bytes = fabric_contract::json::to_canonical_vec(&asset)
            .map_err(|_| AssetError::Corrupt { id: id.clone() })?;
        ctx.put_state(&id, &bytes).await?;
        ctx.set_event("Transfer", &asset)
            .map_err(|e| AssetError::Ledger(StubError::InvalidArgument(e.to_string())))?;
        Ok(old)
    }

    #[evaluate]
    async fn echo(
        &self,
        _ctx: &EvaluateCtx,
        flag: bool,
        n: i32,
        tags: Vec<String>,
        raw: Vec<u8>,
        label: Option<String>,
    ) -> String {
        format!("{flag} {n} {tags:?} {raw:?} {label:?}")
    }

    #[evaluate(name = "Panics")]
    async fn panics(&self, _ctx: &EvaluateCtx) -> u32 {
        panic!("boom")
    }

    #[evaluate(name = "Nothing")]
    async fn nothing(&self, _ctx: &EvaluateCtx) -> Option<Vec<Asset>> {
        None
    }

    #[evaluate(name = "Map")]
    async fn map(&self, _ctx: &EvaluateCtx, m: BTreeMap<String, u8>) -> BTreeMap<String, u8> {
        m
    }

    #[evaluate(name = "Float")]
    async fn float(&self, _ctx: &EvaluateCtx, x: f64) -> f64 {
        x * 2.0
    }
}

/// Administration, with hooks.
#[derive(Default)]
pub struct Admin {
    seen: Mutex<Vec<String>>,
}

#[contract]
impl Admin {
    #[evaluate(name = "Seen")]
    async fn seen(&self, _ctx: &EvaluateCtx) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    #[evaluate(name = "Fail")]
    async fn fail(&self, _ctx: &EvaluateCtx) -> Result<(), ContractError> {
        Err(ContractError::new("nope")
            .with_code("NOPE")
            .with_status(403))
    }

    #[before]
    async fn before(&self, ctx: &EvaluateCtx) {
        self.seen
            .lock()
            .unwrap()
            .push(format!("before {}", ctx.tx_id()));
    }

    #[after]
    async fn after(&self, _ctx: &EvaluateCtx, payload: &[u8]) -> Result<(), String> {
        if payload == b"forbidden" {
            return Err("the after hook refused the result".into());
        }
        self.seen
            .lock()
            .unwrap()
            .push(format!("after {}", payload.len()));
        Ok(())
    }

    #[unknown]
    async fn unknown(&self, _ctx: &EvaluateCtx, function: &str) -> Result<String, String> {
        if function == "Forbidden" {
            return Ok("forbidden".into());
        }
        Ok(format!("no {function} here"))
    }
}

pub type Set = (AssetTransfer, Admin);
