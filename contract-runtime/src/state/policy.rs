//! Key-level (state-based) endorsement policies, serialized exactly as
//! fabric-chaincode-go's `pkg/statebased` does, so a policy set by a Rust
//! chaincode is byte-identical to one set by Go chaincode for the same
//! organisations (and endorsements from both agree).
//!
//! The value is a `common.SignaturePolicyEnvelope`: version 0, one ROLE
//! principal per organisation (sorted by MSP id), and a rule requiring a
//! signature from every one of them (`n_out_of` with n = the number of
//! organisations).
//!
//! ```
//! use fabric_contract::state::policy::{KeyEndorsementPolicy, Role};
//!
//! let mut policy = KeyEndorsementPolicy::new();
//! policy.add_orgs(Role::Member, ["Org2MSP", "Org1MSP"]);
//! assert_eq!(policy.list_orgs(), ["Org1MSP", "Org2MSP"]);
//! let bytes = policy.to_bytes();
//! assert_eq!(KeyEndorsementPolicy::from_bytes(&bytes).unwrap(), policy);
//! ```

use std::collections::BTreeMap;

use fabric_contract_proto::Message;
use fabric_contract_proto::common::msp_principal::Classification;
use fabric_contract_proto::common::msp_role::MspRoleType;
use fabric_contract_proto::common::signature_policy::{NOutOf, Type as Rule};
use fabric_contract_proto::common::{
    MspPrincipal, MspRole, SignaturePolicy, SignaturePolicyEnvelope,
};

/// Which members of an organisation may endorse: Go's statebased accepts these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Any member of the organisation.
    Member,
    /// A peer of the organisation.
    Peer,
}

impl Role {
    fn to_wire(self) -> MspRoleType {
        match self {
            Role::Member => MspRoleType::Member,
            Role::Peer => MspRoleType::Peer,
        }
    }
}

/// Why a stored policy could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The bytes are not a `SignaturePolicyEnvelope`.
    #[error("the key's endorsement policy is not a SignaturePolicyEnvelope: {0}")]
    Malformed(String),
    /// A principal's role is neither MEMBER nor PEER (Go's text).
    #[error("role type {0} does not exist")]
    UnsupportedRole(String),
}

/// The organisations whose endorsement a key requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyEndorsementPolicy {
    orgs: BTreeMap<String, Role>,
}

impl KeyEndorsementPolicy {
    /// A policy requiring no organisation yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a stored policy (`get_state_validation_parameter`). Like Go, only
    /// ROLE principals are kept; an empty value is an empty policy.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PolicyError> {
        let envelope = SignaturePolicyEnvelope::decode(bytes)
            .map_err(|e| PolicyError::Malformed(e.to_string()))?;
        let mut orgs = BTreeMap::new();
        for principal in envelope.identities {
            if principal.principal_classification != Classification::Role as i32 {
                continue;
            }
            let role = MspRole::decode(principal.principal.as_slice())
                .map_err(|e| PolicyError::Malformed(e.to_string()))?;
            let kind = match MspRoleType::try_from(role.role) {
                Ok(MspRoleType::Member) => Role::Member,
                Ok(MspRoleType::Peer) => Role::Peer,
                Ok(other) => {
                    return Err(PolicyError::UnsupportedRole(other.as_str_name().to_owned()));
                }
                Err(_) => return Err(PolicyError::UnsupportedRole(role.role.to_string())),
            };
            orgs.insert(role.msp_identifier, kind);
        }
        Ok(Self { orgs })
    }

    /// Requires endorsement by these organisations in `role` (replacing an earlier role).
    pub fn add_orgs<I: IntoIterator<Item = S>, S: Into<String>>(
        &mut self,
        role: Role,
        msp_ids: I,
    ) -> &mut Self {
        self.orgs
            .extend(msp_ids.into_iter().map(|id| (id.into(), role)));
        self
    }

    /// No longer requires these organisations.
    pub fn del_orgs<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, msp_ids: I) -> &mut Self {
        for id in msp_ids {
            self.orgs.remove(id.as_ref());
        }
        self
    }

    /// The organisations required, sorted by MSP id.
    pub fn list_orgs(&self) -> Vec<String> {
        self.orgs.keys().cloned().collect()
    }

    /// The envelope Go's `Policy()` produces: every listed organisation must endorse.
    pub fn to_bytes(&self) -> Vec<u8> {
        let identities = self
            .orgs
            .iter()
            .map(|(id, role)| MspPrincipal {
                principal_classification: Classification::Role as i32,
                principal: MspRole {
                    msp_identifier: id.clone(),
                    role: role.to_wire() as i32,
                }
                .encode_to_vec(),
            })
            .collect::<Vec<_>>();
        let rules = (0..identities.len())
            .map(|i| SignaturePolicy {
                r#type: Some(Rule::SignedBy(i as i32)),
            })
            .collect();
        let rule = SignaturePolicy {
            r#type: Some(Rule::NOutOf(NOutOf {
                n: identities.len() as i32,
                rules,
            })),
        };
        SignaturePolicyEnvelope {
            version: 0,
            rule: Some(rule),
            identities,
        }
        .encode_to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// envelope{rule{n_out_of{n: 2, rules: [signed_by 0, signed_by 1]}},
    /// identities: [ROLE MSPRole{Org1MSP, MEMBER}, ROLE MSPRole{Org2MSP, PEER}]},
    /// serialized by the reference protobuf library (Python `protobuf`, from our
    /// .proto files) — the oneof keeps `signed_by: 0` on the wire, enum zeros
    /// (ROLE, MEMBER) are omitted.
    const TWO_ORGS: &str =
        "120c120a080212020800120208011a0b12090a074f7267314d53501a0d120b0a074f7267324d53501003";

    #[test]
    fn bytes_equal_go_statebased() {
        // ANCHOR: policy
        let mut policy = KeyEndorsementPolicy::new();
        policy
            .add_orgs(Role::Peer, ["Org2MSP"])
            .add_orgs(Role::Member, ["Org1MSP"]);
        assert_eq!(
            hex::encode(policy.to_bytes()),
            TWO_ORGS,
            "orgs sorted by MSP id, whatever the insertion order"
        );
        // ANCHOR_END: policy
    }

    #[test]
    fn reads_back_and_edits() {
        let mut policy = KeyEndorsementPolicy::from_bytes(&hex::decode(TWO_ORGS).unwrap()).unwrap();
        assert_eq!(policy.list_orgs(), ["Org1MSP", "Org2MSP"]);
        policy.del_orgs(["Org2MSP"]);
        let mut expected = KeyEndorsementPolicy::new();
        expected.add_orgs(Role::Member, ["Org1MSP"]);
        assert_eq!(policy, expected);
        assert_eq!(
            KeyEndorsementPolicy::from_bytes(&[]).unwrap(),
            KeyEndorsementPolicy::new()
        );
    }

    #[test]
    fn other_roles_and_garbage_are_errors() {
        let admin = SignaturePolicyEnvelope {
            identities: vec![MspPrincipal {
                principal_classification: Classification::Role as i32,
                principal: MspRole {
                    msp_identifier: "Org1MSP".into(),
                    role: MspRoleType::Admin as i32,
                }
                .encode_to_vec(),
            }],
            ..Default::default()
        };
        assert_eq!(
            KeyEndorsementPolicy::from_bytes(&admin.encode_to_vec())
                .unwrap_err()
                .to_string(),
            "role type ADMIN does not exist"
        );
        assert!(matches!(
            KeyEndorsementPolicy::from_bytes(&[0xff, 0x01]),
            Err(PolicyError::Malformed(_))
        ));
    }
}
