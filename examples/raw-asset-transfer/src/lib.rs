//! asset-transfer-basic written against the raw [`Chaincode`] trait: routing,
//! argument parsing and JSON by hand, as with the Go shim without a contract
//! API. It exists to measure and test the runtime on its own; contract authors
//! should prefer `#[contract]` (see `examples/asset-transfer-basic`).

use fabric_contract::prelude::*;
use serde::{Deserialize, Serialize};

/// The asset, with fields in Go's (alphabetical) order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Appraised value.
    #[serde(rename = "AppraisedValue")]
    pub appraised_value: i64,
    /// Colour.
    #[serde(rename = "Color")]
    pub color: String,
    /// Asset id, also its key.
    #[serde(rename = "ID")]
    pub id: String,
    /// Current owner.
    #[serde(rename = "Owner")]
    pub owner: String,
    /// Size.
    #[serde(rename = "Size")]
    pub size: i64,
}

/// The raw chaincode.
#[derive(Debug, Default, Clone, Copy)]
pub struct RawAssetTransfer;

type TxResult = Result<Vec<u8>, String>;

// ANCHOR: raw
impl Chaincode for RawAssetTransfer {
    async fn init(&self, _stub: &Stub) -> Response {
        Response::success(Vec::new())
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        let (function, params) = stub.function_and_params();
        let params: Vec<&str> = params.iter().map(String::as_str).collect();
        let result = match (function.as_str(), params.as_slice()) {
            // The benchmark's fixed-cost transaction (contract `Bench`, as the #[contract] contender names it).
            ("Bench:Noop", []) => Ok(Vec::new()),
            // The benchmark's multi-key read: the assets of comma-separated ids that exist.
            ("Bench:ReadMany", [ids]) => read_many(stub, ids).await,
            ("InitLedger", []) => init_ledger(stub).await,
            ("CreateAsset", [id, color, size, owner, value]) => {
                create(stub, id, color, size, owner, value).await
            }
            ("ReadAsset", [id]) => read(stub, id).await.and_then(|a| to_json(&a)),
            ("TransferAsset", [id, new_owner]) => transfer(stub, id, new_owner).await,
            ("AssetExists", [id]) => exists(stub, id).await.map(|e| e.to_string().into_bytes()),
            ("GetAllAssets", []) => all(stub).await,
            (name, _) => Err(format!(
                "unknown function {name} or wrong number of arguments"
            )),
        };
        match result {
            Ok(payload) => Response::success(payload),
            Err(message) => Response::error(message),
        }
    }
}
// ANCHOR_END: raw

fn ledger(e: StubError) -> String {
    format!("failed to read from world state: {e}")
}

fn to_json(asset: &Asset) -> TxResult {
    serde_json::to_vec(asset).map_err(|e| e.to_string())
}

fn int(name: &str, text: &str) -> Result<i64, String> {
    text.parse()
        .map_err(|_| format!("cannot convert passed value {text} for {name} to int"))
}

async fn exists(stub: &Stub, id: &str) -> Result<bool, String> {
    Ok(stub.get_state(id).await.map_err(ledger)?.is_some())
}

async fn init_ledger(stub: &Stub) -> TxResult {
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
        stub.put_state(id, &to_json(&asset)?)
            .await
            .map_err(|e| format!("failed to put to world state. {e}"))?;
    }
    Ok(Vec::new())
}

async fn create(
    stub: &Stub,
    id: &str,
    color: &str,
    size: &str,
    owner: &str,
    value: &str,
) -> TxResult {
    let asset = Asset {
        appraised_value: int("appraisedValue", value)?,
        color: color.into(),
        id: id.into(),
        owner: owner.into(),
        size: int("size", size)?,
    };
    if exists(stub, id).await? {
        return Err(format!("the asset {id} already exists"));
    }
    stub.put_state(id, &to_json(&asset)?)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Vec::new())
}

async fn read(stub: &Stub, id: &str) -> Result<Asset, String> {
    let bytes = stub
        .get_state(id)
        .await
        .map_err(ledger)?
        .ok_or_else(|| format!("the asset {id} does not exist"))?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

async fn read_many(stub: &Stub, ids: &str) -> TxResult {
    let keys: Vec<&str> = ids.split(',').collect();
    let values = stub.get_state_multiple(&keys).await.map_err(ledger)?;
    let assets = values
        .iter()
        .flatten()
        .map(|bytes| serde_json::from_slice::<Asset>(bytes).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    serde_json::to_vec(&assets).map_err(|e| e.to_string())
}

async fn transfer(stub: &Stub, id: &str, new_owner: &str) -> TxResult {
    let mut asset = read(stub, id).await?;
    let old = std::mem::replace(&mut asset.owner, new_owner.into());
    stub.put_state(id, &to_json(&asset)?)
        .await
        .map_err(|e| e.to_string())?;
    Ok(old.into_bytes())
}

async fn all(stub: &Stub) -> TxResult {
    let records = stub
        .get_state_by_range("", "")
        .await
        .map_err(ledger)?
        .collect_all()
        .await
        .map_err(ledger)?;
    let assets = records
        .iter()
        .map(|kv| serde_json::from_slice::<Asset>(&kv.value).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    if assets.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::to_vec(&assets).map_err(|e| e.to_string())
}
