use std::collections::BTreeMap;

use fabric_contract::prelude::*;

#[object]
#[derive(Debug, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct Asset {
    #[serde(rename = "ID")]
    pub id: String,
    pub owner: String,
    pub tags: Vec<String>,
    pub attributes: BTreeMap<String, i64>,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Kinds of assets.
#[object]
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A physical thing.
    Physical,
    /// A digital thing.
    Digital,
}

#[derive(Debug, ContractError)]
pub enum AssetError {
    #[error("the asset {0} does not exist")]
    Missing(String),
    #[error("{owner} already owns {id}", code = "SAME_OWNER", status = 409)]
    SameOwner { id: String, owner: String },
    #[error(transparent)]
    Ledger(#[from] StubError),
}

#[derive(Default)]
pub struct Assets;

#[contract(name = "Assets", default)]
impl Assets {
    const PREFIX: &'static str = "asset";

    #[init(name = "InitLedger")]
    async fn init_ledger(&self, ctx: &SubmitCtx) -> Result<(), AssetError> {
        ctx.put_state(Self::PREFIX, b"1").await?;
        Ok(())
    }

    #[submit(name = "TransferAsset")]
    async fn transfer(
        &self,
        ctx: &SubmitCtx,
        id: String,
        new_owner: String,
        #[transient("price")] price: Option<u64>,
    ) -> Result<String, AssetError> {
        let asset = self.read(ctx.read_only(), id.clone()).await?;
        if asset.owner == new_owner {
            return Err(AssetError::SameOwner { id, owner: new_owner });
        }
        let _ = price;
        Ok(asset.owner)
    }

    #[evaluate(name = "ReadAsset")]
    async fn read(&self, ctx: &EvaluateCtx, id: String) -> Result<Asset, AssetError> {
        let bytes = ctx.get_state(&id).await?.ok_or_else(|| AssetError::Missing(id.clone()))?;
        serde_json::from_slice(&bytes).map_err(|_| AssetError::Missing(id))
    }

    #[evaluate]
    async fn page(
        &self,
        _ctx: &EvaluateCtx,
        size: u32,
        bookmark: Option<String>,
    ) -> Result<Option<Vec<Asset>>, ContractError> {
        let _ = (size, bookmark);
        Ok(None)
    }

    #[evaluate]
    async fn raw(&self, _ctx: &EvaluateCtx, data: Vec<u8>, flag: bool, ratio: f64) -> Vec<u8> {
        let _ = (flag, ratio);
        data
    }

    fn helper(&self) -> usize {
        Self::PREFIX.len()
    }

    #[before]
    async fn audit(&self, ctx: &EvaluateCtx) -> Result<(), AssetError> {
        let _ = (ctx.tx_id(), self.helper());
        Ok(())
    }

    #[unknown]
    async fn fallback(&self, _ctx: &EvaluateCtx, function: &str) -> Result<(), ContractError> {
        Err(ContractError::new(format!("no {function}")))
    }
}

#[derive(Default)]
pub struct Admin;

#[contract]
impl Admin {
    #[evaluate(name = "Version")]
    async fn version(&self, _ctx: &EvaluateCtx) -> &'static str {
        "1"
    }
}

fn main() {
    let chaincode = ContractChaincode::new((Assets, Admin));
    let metadata = chaincode.metadata().expect("metadata builds");
    let doc: serde_json::Value = serde_json::from_slice(metadata).unwrap();
    assert_eq!(doc["contracts"]["Assets"]["default"], true);
    assert_eq!(
        doc["components"]["schemas"]["Asset"]["properties"]["Kind"],
        serde_json::json!({"type": "string", "enum": ["Physical", "Digital"], "description": "Kinds of assets."})
    );
}
