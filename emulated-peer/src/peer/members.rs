//! Member-only access to private data collections (`memberOnlyRead`, `memberOnlyWrite` of a
//! collection definition): the peer refuses a private read or write whose transaction creator
//! is not in one of the collection's member organisations, with the message Fabric's chaincode
//! handler uses (`core/chaincode/handler.go`). Private data *hashes* stay readable by everyone.

use std::collections::{BTreeMap, BTreeSet};

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    DelState, GetQueryResult, GetState, GetStateByRange, GetStateMetadata, GetStateMultiple,
    PurgePrivateState, PutState, PutStateMetadata, SignedProposal, WriteBatchState,
};
use serde::Deserialize;

use super::ChaincodeDefinition;
use crate::proposal::creator_msp_id;

/// Who may read and write a collection's private data on the emulated peer.
///
/// ```
/// use fabric_emulated_peer::peer::{ChaincodeDefinition, CollectionAccess};
///
/// let def = ChaincodeDefinition::new("private").collection_access(
///     "Org1AndOrg2",
///     CollectionAccess::members(["Org1MSP", "Org2MSP"]).member_only_read(true),
/// );
/// assert!(def.collections.contains("Org1AndOrg2"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionAccess {
    /// The member organisations' MSP ids (those named in the collection's policy).
    pub members: BTreeSet<String>,
    /// Only members' transactions may read the private data (`memberOnlyRead`).
    pub member_only_read: bool,
    /// Only members' transactions may write the private data (`memberOnlyWrite`).
    pub member_only_write: bool,
}

impl CollectionAccess {
    /// A collection of these member organisations, open to every reader and writer.
    pub fn members<I: IntoIterator<Item = S>, S: Into<String>>(msp_ids: I) -> Self {
        Self {
            members: msp_ids.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Sets `memberOnlyRead`.
    pub fn member_only_read(mut self, on: bool) -> Self {
        self.member_only_read = on;
        self
    }

    /// Sets `memberOnlyWrite`.
    pub fn member_only_write(mut self, on: bool) -> Self {
        self.member_only_write = on;
        self
    }
}

/// Why a collection configuration file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CollectionConfigError {
    /// The file is not a JSON array of collection definitions.
    #[error("the collection configuration is not a JSON array of collections: {0}")]
    Json(#[from] serde_json::Error),
    /// A collection's policy names no organisation.
    #[error("the policy {policy:?} of collection {name} names no organisation ('<MSP id>.<role>')")]
    NoMembers {
        /// The collection.
        name: String,
        /// Its policy.
        policy: String,
    },
}

/// One entry of a collection configuration file, as `peer lifecycle` reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CollectionJson {
    name: String,
    policy: String,
    #[serde(default)]
    member_only_read: bool,
    #[serde(default)]
    member_only_write: bool,
}

/// The collections of a configuration file (`collections_config.json`): member organisations are
/// the MSP ids the policy names (`OR('Org1MSP.member', 'Org2MSP.member')`).
pub(super) fn parse_config(
    json: &str,
) -> Result<BTreeMap<String, CollectionAccess>, CollectionConfigError> {
    let entries: Vec<CollectionJson> = serde_json::from_str(json)?;
    let mut out = BTreeMap::new();
    for entry in entries {
        let members = policy_members(&entry.policy);
        if members.is_empty() {
            return Err(CollectionConfigError::NoMembers {
                name: entry.name,
                policy: entry.policy,
            });
        }
        out.insert(
            entry.name,
            CollectionAccess {
                members,
                member_only_read: entry.member_only_read,
                member_only_write: entry.member_only_write,
            },
        );
    }
    Ok(out)
}

/// The MSP ids of the quoted principals `'<MSP id>.<role>'` of a signature policy.
fn policy_members(policy: &str) -> BTreeSet<String> {
    policy
        .split(['\'', '"'])
        .skip(1)
        .step_by(2)
        .filter_map(|principal| principal.rsplit_once('.'))
        .map(|(msp, _role)| msp.trim().to_string())
        .filter(|msp| !msp.is_empty())
        .collect()
}

/// The private collections a request reads and writes.
fn touched(ty: Type, payload: &[u8]) -> (Vec<String>, Vec<String>) {
    fn one<M: Message + Default>(payload: &[u8], f: impl Fn(M) -> String) -> Vec<String> {
        M::decode(payload).map(f).into_iter().collect()
    }
    let reads = match ty {
        Type::GetState => one(payload, |r: GetState| r.collection),
        Type::GetStateMultiple => one(payload, |r: GetStateMultiple| r.collection),
        Type::GetStateByRange => one(payload, |r: GetStateByRange| r.collection),
        Type::GetQueryResult => one(payload, |r: GetQueryResult| r.collection),
        Type::GetStateMetadata => one(payload, |r: GetStateMetadata| r.collection),
        _ => Vec::new(),
    };
    let writes = match ty {
        Type::PutState => one(payload, |r: PutState| r.collection),
        Type::DelState => one(payload, |r: DelState| r.collection),
        Type::PutStateMetadata => one(payload, |r: PutStateMetadata| r.collection),
        Type::PurgePrivateData => one(payload, |r: PurgePrivateState| r.collection),
        Type::WriteBatchState => WriteBatchState::decode(payload)
            .map(|b| b.rec.into_iter().map(|r| r.collection).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let private = |v: Vec<String>| v.into_iter().filter(|c| !c.is_empty()).collect();
    (private(reads), private(writes))
}

/// Refuses a request touching a member-only collection when the transaction's creator is not a
/// member. Requests that do not decode are left to the request handler to report.
pub(super) fn check(
    def: &ChaincodeDefinition,
    proposal: Option<&SignedProposal>,
    ty: Type,
    payload: &[u8],
) -> Result<(), String> {
    if def.collection_access.is_empty() {
        return Ok(());
    }
    let (reads, writes) = touched(ty, payload);
    let creator_msp = || proposal.and_then(creator_msp_id);
    let refused = |collection: &String, write: bool| {
        let access = def.collection_access.get(collection)?;
        let member_only = if write {
            access.member_only_write
        } else {
            access.member_only_read
        };
        let member = creator_msp().is_some_and(|msp| access.members.contains(&msp));
        (member_only && !member).then(|| {
            format!(
                "tx creator does not have {} access permission on privatedata in chaincodeName:{} collectionName: {collection}",
                if write { "write" } else { "read" },
                def.name
            )
        })
    };
    let denial = reads
        .iter()
        .find_map(|c| refused(c, false))
        .or_else(|| writes.iter().find_map(|c| refused(c, true)));
    denial.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::{ProposalSpec, serialized_identity};

    fn def() -> ChaincodeDefinition {
        ChaincodeDefinition::new("cc")
            .collections_config(
                r#"[{"name":"Both","policy":"OR('Org1MSP.member', \"Org2MSP.peer\")","requiredPeerCount":0,"maxPeerCount":1,"blockToLive":0,"memberOnlyRead":true,"memberOnlyWrite":true},
                    {"name":"Open","policy":"OR('Org1MSP.member')"}]"#,
            )
            .unwrap()
    }

    fn proposal(msp: &str) -> SignedProposal {
        ProposalSpec::new("ch", "cc", serialized_identity(msp, b""))
            .build()
            .signed_proposal
    }

    fn get(collection: &str) -> Vec<u8> {
        GetState {
            key: "k".into(),
            collection: collection.into(),
        }
        .encode_to_vec()
    }

    #[test]
    fn the_policy_names_the_members() {
        let access = &def().collection_access["Both"];
        assert_eq!(
            access.members,
            BTreeSet::from(["Org1MSP".to_string(), "Org2MSP".to_string()])
        );
        assert!(access.member_only_read && access.member_only_write);
        assert!(!def().collection_access["Open"].member_only_read);
        let bad =
            ChaincodeDefinition::new("cc").collections_config(r#"[{"name":"X","policy":"OR()"}]"#);
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("names no organisation")
        );
    }

    #[test]
    fn outsiders_cannot_read_or_write_member_only_collections() {
        let def = def();
        let org3 = proposal("Org3MSP");
        let refused = check(&def, Some(&org3), Type::GetState, &get("Both")).unwrap_err();
        assert_eq!(
            refused,
            "tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: Both"
        );
        let put = PutState {
            key: "k".into(),
            value: b"v".to_vec(),
            collection: "Both".into(),
        }
        .encode_to_vec();
        assert!(
            check(&def, Some(&org3), Type::PutState, &put)
                .unwrap_err()
                .contains("write access")
        );
        let batch = WriteBatchState {
            rec: vec![fabric_contract_proto::protos::WriteRecord {
                key: "k".into(),
                collection: "Both".into(),
                ..Default::default()
            }],
        }
        .encode_to_vec();
        assert!(check(&def, Some(&org3), Type::WriteBatchState, &batch).is_err());
        assert!(
            check(&def, None, Type::GetState, &get("Both")).is_err(),
            "no creator, no member"
        );
    }

    #[test]
    fn members_open_collections_world_state_and_hashes_pass() {
        let def = def();
        let org2 = proposal("Org2MSP");
        let org3 = proposal("Org3MSP");
        assert!(check(&def, Some(&org2), Type::GetState, &get("Both")).is_ok());
        assert!(check(&def, Some(&org3), Type::GetState, &get("Open")).is_ok());
        assert!(check(&def, Some(&org3), Type::GetState, &get("")).is_ok());
        assert!(check(&def, Some(&org3), Type::GetPrivateDataHash, &get("Both")).is_ok());
    }
}
