//! The fabric-samples `asset-transfer-private-data` chaincode (Go version),
//! written with `#[contract]`: the same transactions, transient inputs,
//! collections, error texts and stored bytes.
//!
//! Values are stored exactly as Go's `json.Marshal` writes them (struct field
//! order, not sorted keys): `TransferAsset` compares the hash of the owner's
//! stored `{"assetID":…,"appraisedValue":…}` with the hash of the bytes the
//! buyer sent, so the encoding must be Go's to the byte. Deliberate
//! differences: results are canonical JSON (sorted keys) rather than Go's field
//! order, read-only transactions are tagged `evaluate`, and parameters keep
//! their Rust names.
//!
//! State lives in typed [`PrivateMap`]s with the sample's layout: assets under
//! their id in `assetCollection`, transfer agreements under the composite key
//! `\0transferAgreement\0<id>\0` there (the buyer's id as raw text), and
//! appraised values in `<MSP>PrivateCollection`.

use std::ops::Bound;

use fabric_contract::prelude::*;
use fabric_contract::state::{Codec, Raw};
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The shared collection holding assets and transfer agreements.
pub const ASSET_COLLECTION: &str = "assetCollection";

/// Assets by id.
const ASSETS: PrivateMap<String, Asset, GoJson> = PrivateMap::new(ASSET_COLLECTION);
/// Transfer agreements by asset id: the buyer's client id, as raw text.
const AGREEMENTS: PrivateMap<String, Vec<u8>, Raw> =
    PrivateMap::composite(ASSET_COLLECTION, "transferAgreement");

/// Values as Go's `json.Marshal` writes them (see `go_json` below); read with serde.
#[derive(Debug, Clone, Copy)]
pub struct GoJson;

impl<V: Serialize + DeserializeOwned> Codec<V> for GoJson {
    fn encode(value: &V) -> Result<Vec<u8>, String> {
        go_json(value)
    }

    fn decode(bytes: &[u8]) -> Result<V, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

/// An asset in `assetCollection` (field order as the Go struct's).
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Asset type, e.g. `ValuableAsset`.
    #[serde(rename = "objectType")]
    pub object_type: String,
    /// The asset id, also its key.
    #[serde(rename = "assetID")]
    pub id: String,
    /// Colour.
    pub color: String,
    /// Size.
    pub size: i64,
    /// The owner's Go client-identity text (`x509::…::…`, not base64).
    pub owner: String,
}

/// The appraised value, in the owning organisation's collection.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetPrivateDetails {
    /// The asset id.
    #[serde(rename = "assetID")]
    pub id: String,
    /// Appraised value.
    #[serde(rename = "appraisedValue")]
    pub appraised_value: i64,
}

/// Who agreed to buy an asset.
#[object]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferAgreement {
    /// The asset id.
    #[serde(rename = "assetID")]
    pub id: String,
    /// The buyer's Go client-identity text.
    #[serde(rename = "buyerID")]
    pub buyer_id: String,
}

#[derive(Deserialize)]
struct AssetInput {
    #[serde(rename = "objectType", default)]
    object_type: String,
    #[serde(rename = "assetID", default)]
    id: String,
    #[serde(default)]
    color: String,
    #[serde(default)]
    size: i64,
    #[serde(rename = "appraisedValue", default)]
    appraised_value: i64,
}

#[derive(Deserialize)]
struct IdInput {
    #[serde(rename = "assetID", default)]
    id: String,
    #[serde(rename = "buyerMSP", default)]
    buyer_msp: String,
    #[serde(rename = "appraisedValue", default)]
    appraised_value: i64,
}

fn err(message: impl Into<String>) -> ContractError {
    ContractError::new(message)
}

/// Bytes as Go's `json.Marshal` writes them: fields in declaration order and
/// `<`, `>`, `&`, U+2028, U+2029 escaped.
fn go_json<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let text = serde_json::to_string(value).map_err(|e| format!("failed to marshal JSON: {e}"))?;
    let escaped = text
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    Ok(escaped.into_bytes())
}

fn transient<'a>(
    ctx: &'a EvaluateCtx,
    key: &str,
    missing: &str,
) -> Result<&'a [u8], ContractError> {
    ctx.transient()
        .get(key)
        .map(Vec::as_slice)
        .ok_or_else(|| err(missing))
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ContractError> {
    serde_json::from_slice(bytes).map_err(|e| err(format!("failed to unmarshal JSON: {e}")))
}

fn non_empty_id(id: &str) -> Result<(), ContractError> {
    if id.is_empty() {
        Err(err("assetID field must be a non-empty string"))
    } else {
        Ok(())
    }
}

/// The caller's decoded Go client id, as the sample stores owners.
fn client_id(ctx: &EvaluateCtx) -> Result<String, ContractError> {
    Ok(ctx.client()?.id_text())
}

/// The caller's organisation collection: `<MSP>PrivateCollection`.
fn org_collection(ctx: &EvaluateCtx) -> Result<String, ContractError> {
    Ok(format!("{}PrivateCollection", ctx.client_msp_id()?))
}

/// An organisation's appraised values.
fn details_in(collection: String) -> PrivateMap<String, AssetPrivateDetails, GoJson> {
    PrivateMap::in_collection(collection)
}

/// The caller's organisation's appraised values.
fn own_details(
    ctx: &EvaluateCtx,
) -> Result<PrivateMap<String, AssetPrivateDetails, GoJson>, ContractError> {
    Ok(details_in(org_collection(ctx)?))
}

/// A range bound, `""` being an open end as in the Go shim's range calls.
fn bound(key: String, closed: fn(String) -> Bound<String>) -> Bound<String> {
    if key.is_empty() {
        Bound::Unbounded
    } else {
        closed(key)
    }
}

fn all<T>(items: Result<Vec<T>, StateError>) -> Result<Vec<T>, ContractError> {
    items.map_err(ContractError::from)
}

/// The contract. `peer_msp` stands for `CORE_PEER_LOCALMSPID` when set (tests run
/// one instance per emulated organisation in one process).
#[derive(Debug, Default)]
pub struct SmartContract {
    peer_msp: Option<String>,
}

impl SmartContract {
    /// The contract as run on a peer of `msp` (instead of reading `CORE_PEER_LOCALMSPID`).
    pub fn on_peer_of(msp: &str) -> Self {
        Self {
            peer_msp: Some(msp.into()),
        }
    }

    /// Private data may only be written through a peer of the caller's own organisation.
    fn verify_client_org_matches_peer_org(
        &self,
        ctx: &EvaluateCtx,
        tx: &str,
    ) -> Result<(), ContractError> {
        let client = ctx.client_msp_id()?;
        let peer = match &self.peer_msp {
            Some(msp) => msp.clone(),
            None => std::env::var("CORE_PEER_LOCALMSPID")
                .map_err(|_| err(format!("{tx} cannot be performed: Error failed getting peer's orgID: 'CORE_PEER_LOCALMSPID' is not set")))?,
        };
        if client != peer {
            return Err(err(format!(
                "{tx} cannot be performed: Error client from org {client} is not authorized to read or write private data from an org {peer} peer"
            )));
        }
        Ok(())
    }

    async fn read(&self, ctx: &EvaluateCtx, id: &str) -> Result<Option<Asset>, ContractError> {
        Ok(ASSETS.may_load(ctx, &id.to_owned()).await?)
    }

    async fn query(&self, ctx: &EvaluateCtx, query: &str) -> Result<Vec<Asset>, ContractError> {
        let stream = ASSETS.query(ctx, query).await?;
        all(stream.map_ok(|(_, asset)| asset).try_collect().await)
    }
}

#[contract(name = "SmartContract")]
impl SmartContract {
    /// Creates an asset from transient `asset_properties`; the caller becomes its owner.
    #[submit(name = "CreateAsset")]
    async fn create_asset(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        let input: AssetInput = parse(transient(
            ctx,
            "asset_properties",
            "asset not found in the transient map input",
        )?)?;
        if input.object_type.is_empty() {
            return Err(err("objectType field must be a non-empty string"));
        }
        non_empty_id(&input.id)?;
        if input.color.is_empty() {
            return Err(err("color field must be a non-empty string"));
        }
        if input.size <= 0 {
            return Err(err("size field must be a positive integer"));
        }
        if input.appraised_value <= 0 {
            return Err(err("appraisedValue field must be a positive integer"));
        }
        if self.read(ctx, &input.id).await?.is_some() {
            return Err(err(format!("this asset already exists: {}", input.id)));
        }
        let owner = client_id(ctx)?;
        self.verify_client_org_matches_peer_org(ctx, "CreateAsset")?;
        let asset = Asset {
            object_type: input.object_type,
            id: input.id.clone(),
            color: input.color,
            size: input.size,
            owner,
        };
        ASSETS.save(ctx, &input.id, &asset).await?;
        let details = AssetPrivateDetails {
            id: input.id.clone(),
            appraised_value: input.appraised_value,
        };
        own_details(ctx)?.save(ctx, &input.id, &details).await?;
        Ok(())
    }

    /// The buyer agrees to a value (transient `asset_value`, stored verbatim).
    #[submit(name = "AgreeToTransfer")]
    async fn agree_to_transfer(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        let buyer = client_id(ctx)?;
        let raw = transient(
            ctx,
            "asset_value",
            "asset_value key not found in the transient map",
        )?
        .to_vec();
        let value: IdInput = parse(&raw)?;
        non_empty_id(&value.id)?;
        if value.appraised_value <= 0 {
            return Err(err("appraisedValue field must be a positive integer"));
        }
        if self.read(ctx, &value.id).await?.is_none() {
            return Err(err(format!("{} does not exist", value.id)));
        }
        self.verify_client_org_matches_peer_org(ctx, "AgreeToTransfer")?;
        // Raw call: the buyer's bytes are stored verbatim, because TransferAsset compares their
        // hash with the owner's and any re-encoding would break that across Go and Rust peers.
        ctx.put_private_data(&org_collection(ctx)?, &value.id, &raw)
            .await?;
        AGREEMENTS.save(ctx, &value.id, &buyer.into_bytes()).await?;
        Ok(())
    }

    /// The owner transfers to the buyer who agreed (transient `asset_owner`).
    #[submit(name = "TransferAsset")]
    async fn transfer_asset(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        let input: IdInput = parse(transient(
            ctx,
            "asset_owner",
            "asset owner not found in the transient map",
        )?)?;
        non_empty_id(&input.id)?;
        if input.buyer_msp.is_empty() {
            return Err(err("buyerMSP field must be a non-empty string"));
        }
        let Some(mut asset) = self.read(ctx, &input.id).await? else {
            return Err(err(format!("{} does not exist", input.id)));
        };
        self.verify_client_org_matches_peer_org(ctx, "TransferAsset")?;
        self.verify_agreement(ctx, &input.id, &asset.owner, &input.buyer_msp)
            .await
            .map_err(|e| err(format!("failed transfer verification: {}", e.message())))?;
        let Some(agreement) = self.read_transfer_agreement(ctx, input.id.clone()).await? else {
            return Err(err(format!(
                "BuyerID not found in TransferAgreement for {}",
                input.id
            )));
        };
        asset.owner = agreement.buyer_id;
        ASSETS.save(ctx, &input.id, &asset).await?;
        own_details(ctx)?.remove(ctx, &input.id).await?;
        AGREEMENTS.remove(ctx, &input.id).await?;
        Ok(())
    }

    /// Deletes an asset the caller's organisation holds (transient `asset_delete`).
    #[submit(name = "DeleteAsset")]
    async fn delete_asset(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        let input: IdInput = parse(transient(
            ctx,
            "asset_delete",
            "asset to delete not found in the transient map",
        )?)?;
        non_empty_id(&input.id)?;
        self.verify_client_org_matches_peer_org(ctx, "DeleteAsset")?;
        if self.read(ctx, &input.id).await?.is_none() {
            return Err(err(format!("asset not found: {}", input.id)));
        }
        let own = own_details(ctx)?;
        if own.may_load(ctx, &input.id).await?.is_none() {
            return Err(err(format!(
                "asset not found in owner's private Collection {}: {}",
                own.collection(),
                input.id
            )));
        }
        ASSETS.remove(ctx, &input.id).await?;
        own.remove(ctx, &input.id).await?;
        Ok(())
    }

    /// Purges an asset and its history (transient `asset_purge`; Fabric 2.5+).
    #[submit(name = "PurgeAsset")]
    async fn purge_asset(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        let input: IdInput = parse(transient(
            ctx,
            "asset_purge",
            "asset to purge not found in the transient map",
        )?)?;
        non_empty_id(&input.id)?;
        self.verify_client_org_matches_peer_org(ctx, "PurgeAsset")?;
        ASSETS.purge(ctx, &input.id).await?;
        own_details(ctx)?.purge(ctx, &input.id).await?;
        Ok(())
    }

    /// Withdraws the caller's agreement (transient `agreement_delete`; the Go name's typo kept).
    #[submit(name = "DeleteTranferAgreement")]
    async fn delete_transfer_agreement(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        let input: IdInput = parse(transient(
            ctx,
            "agreement_delete",
            "asset to delete not found in the transient map",
        )?)?;
        non_empty_id(&input.id)?;
        self.verify_client_org_matches_peer_org(ctx, "DeleteTranferAgreement")?;
        if AGREEMENTS.may_load(ctx, &input.id).await?.is_none() {
            return Err(err(format!(
                "asset's transfer_agreement does not exist: {}",
                input.id
            )));
        }
        own_details(ctx)?.remove(ctx, &input.id).await?;
        AGREEMENTS.remove(ctx, &input.id).await?;
        Ok(())
    }

    /// The asset, or an empty payload when absent.
    #[evaluate(name = "ReadAsset")]
    async fn read_asset(
        &self,
        ctx: &EvaluateCtx,
        asset_id: String,
    ) -> Result<Option<Asset>, ContractError> {
        self.read(ctx, &asset_id).await
    }

    /// An organisation's private details of an asset, or an empty payload.
    #[evaluate(name = "ReadAssetPrivateDetails")]
    async fn read_asset_private_details(
        &self,
        ctx: &EvaluateCtx,
        collection: String,
        asset_id: String,
    ) -> Result<Option<AssetPrivateDetails>, ContractError> {
        Ok(details_in(collection).may_load(ctx, &asset_id).await?)
    }

    /// The agreement on an asset, or an empty payload.
    #[evaluate(name = "ReadTransferAgreement")]
    async fn read_transfer_agreement(
        &self,
        ctx: &EvaluateCtx,
        asset_id: String,
    ) -> Result<Option<TransferAgreement>, ContractError> {
        let buyer = AGREEMENTS.may_load(ctx, &asset_id).await?;
        Ok(buyer.map(|b| TransferAgreement {
            id: asset_id,
            buyer_id: String::from_utf8_lossy(&b).into_owned(),
        }))
    }

    /// Assets with ids in [start, end); `[]` when none.
    #[evaluate(name = "GetAssetByRange")]
    async fn get_asset_by_range(
        &self,
        ctx: &EvaluateCtx,
        start_key: String,
        end_key: String,
    ) -> Result<Vec<Asset>, ContractError> {
        let bounds = (
            bound(start_key, Bound::Included),
            bound(end_key, Bound::Excluded),
        );
        let stream = ASSETS.range(ctx, bounds).await?;
        all(stream.map_ok(|(_, asset)| asset).try_collect().await)
    }

    /// Assets of a type owned by `owner` (a rich query built as Go builds it, without escaping).
    #[evaluate(name = "QueryAssetByOwner")]
    async fn query_asset_by_owner(
        &self,
        ctx: &EvaluateCtx,
        asset_type: String,
        owner: String,
    ) -> Result<Vec<Asset>, ContractError> {
        let query = format!(r#"{{"selector":{{"objectType":"{asset_type}","owner":"{owner}"}}}}"#);
        self.query(ctx, &query).await
    }

    /// Assets matching a CouchDB query.
    #[evaluate(name = "QueryAssets")]
    async fn query_assets(
        &self,
        ctx: &EvaluateCtx,
        query_string: String,
    ) -> Result<Vec<Asset>, ContractError> {
        self.query(ctx, &query_string).await
    }
}

impl SmartContract {
    /// The caller owns the asset and both organisations hold the same appraised-value hash.
    async fn verify_agreement(
        &self,
        ctx: &EvaluateCtx,
        id: &str,
        owner: &str,
        buyer_msp: &str,
    ) -> Result<(), ContractError> {
        if client_id(ctx)? != owner {
            return Err(err("error: submitting client identity does not own asset"));
        }
        let owner_collection = org_collection(ctx)?;
        let buyer_collection = format!("{buyer_msp}PrivateCollection");
        let id_key = id.to_owned();
        let Some(owner_hash) = details_in(owner_collection.clone())
            .hash(ctx, &id_key)
            .await?
        else {
            return Err(err(format!(
                "hash of appraised value for {id} does not exist in collection {owner_collection}"
            )));
        };
        let Some(buyer_hash) = details_in(buyer_collection.clone())
            .hash(ctx, &id_key)
            .await?
        else {
            return Err(err(format!(
                "hash of appraised value for {id} does not exist in collection {buyer_collection}. AgreeToTransfer must be called by the buyer first"
            )));
        };
        if owner_hash != buyer_hash {
            return Err(err(format!(
                "hash for appraised value for owner {} does not value for seller {}",
                hex(&owner_hash),
                hex(&buyer_hash)
            )));
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
