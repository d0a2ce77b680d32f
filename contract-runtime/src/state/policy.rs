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
    fn to_wire(self) -> i32 {
        match self {
            Role::Member => MspRoleType::Member as i32,
            Role::Peer => MspRoleType::Peer as i32,
        }
    }
}

/// Go's `RoleType` strings: `MEMBER` and `PEER`; anything else is Go's
/// `role type <x> does not exist`.
///
/// ```
/// use fabric_contract::state::policy::Role;
///
/// assert_eq!("PEER".parse::<Role>(), Ok(Role::Peer));
/// assert_eq!(
///     "ADMIN".parse::<Role>().unwrap_err().to_string(),
///     "role type ADMIN does not exist"
/// );
/// ```
impl std::str::FromStr for Role {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "MEMBER" => Ok(Role::Member),
            "PEER" => Ok(Role::Peer),
            other => Err(PolicyError::UnsupportedRole(other.to_owned())),
        }
    }
}

/// Why a stored policy could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The bytes are not a `SignaturePolicyEnvelope`.
    #[error("the key's endorsement policy is not a SignaturePolicyEnvelope: {0}")]
    Malformed(String),
    /// A role name other than `MEMBER` or `PEER` (Go's `AddOrgs` text).
    #[error("role type {0} does not exist")]
    UnsupportedRole(String),
}

/// The organisations whose endorsement a key requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyEndorsementPolicy {
    /// MSP id → `MSPRole.MSPRoleType` as on the wire: a stored policy may
    /// carry roles [`Role`] cannot add (ADMIN, CLIENT …), which Go keeps.
    orgs: BTreeMap<String, i32>,
}

impl KeyEndorsementPolicy {
    /// A policy requiring no organisation yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a stored policy (`get_state_validation_parameter`). Like Go's
    /// `NewStateEP`, only ROLE principals are kept (others are dropped), every
    /// role is kept as stored, even those [`add_orgs`](Self::add_orgs) cannot
    /// set, and an empty value is an empty policy.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PolicyError> {
        let envelope = SignaturePolicyEnvelope::decode(bytes)
            .map_err(|e| PolicyError::Malformed(e.to_string()))?;
        let mut orgs = BTreeMap::new();
        for principal in envelope.identities {
            if principal.principal_classification != Classification::Role as i32 {
                continue;
            }
            let role = MspRole::decode(principal.principal.as_slice()).map_err(|e| {
                PolicyError::Malformed(format!("a ROLE principal is not an MSPRole: {e}"))
            })?;
            orgs.insert(role.msp_identifier, role.role);
        }
        Ok(Self { orgs })
    }

    /// The role required of an organisation, by its protobuf name (`MEMBER`,
    /// `PEER`, or whatever a stored policy carried, e.g. `ADMIN`).
    pub fn role_of(&self, msp_id: &str) -> Option<String> {
        self.orgs.get(msp_id).map(|&wire| {
            MspRoleType::try_from(wire)
                .map(|r| r.as_str_name().to_owned())
                .unwrap_or_else(|_| wire.to_string())
        })
    }

    /// Requires endorsement by these organisations in `role` (replacing an earlier role).
    pub fn add_orgs<I: IntoIterator<Item = S>, S: Into<String>>(
        &mut self,
        role: Role,
        msp_ids: I,
    ) -> &mut Self {
        self.orgs
            .extend(msp_ids.into_iter().map(|id| (id.into(), role.to_wire())));
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
                    role: *role,
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
    /// serialized by the reference protobuf libraries (Python `protobuf`, and Go's
    /// `proto.Marshal` in tests/go/policy, both from our .proto files) — the oneof
    /// keeps `signed_by: 0` on the wire, enum zeros (ROLE, MEMBER) are omitted.
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
    fn bytes_equal_go_protobuf_output() {
        // Printed by tests/go/policy (statebased's Policy() over Go's proto.Marshal):
        //   go run . "org1=0" "Zeta=3,alpha=0,Ärger=0,B.msp=3"
        let mut one = KeyEndorsementPolicy::new();
        one.add_orgs(Role::Member, ["org1"]);
        assert_eq!(
            hex::encode(one.to_bytes()),
            "120812060801120208001a0812060a046f726731"
        );
        // Sorted as Go's sort.Strings does, by bytes: uppercase, lowercase, then non-ASCII.
        let mut four = KeyEndorsementPolicy::new();
        four.add_orgs(Role::Peer, ["Zeta", "B.msp"])
            .add_orgs(Role::Member, ["alpha", "Ärger"]);
        assert_eq!(four.list_orgs(), ["B.msp", "Zeta", "alpha", "Ärger"]);
        assert_eq!(
            hex::encode(four.to_bytes()),
            concat!(
                "121412120804120208001202080112020802120208031a0b12090a05422e6d7370",
                "10031a0a12080a045a65746110031a0912070a05616c7068611a0a12080a06c38472676572"
            )
        );
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

    fn envelope(principals: &[(Classification, &str, i32)]) -> Vec<u8> {
        SignaturePolicyEnvelope {
            identities: principals
                .iter()
                .map(|&(class, msp, role)| MspPrincipal {
                    principal_classification: class as i32,
                    principal: MspRole {
                        msp_identifier: msp.into(),
                        role,
                    }
                    .encode_to_vec(),
                })
                .collect(),
            ..Default::default()
        }
        .encode_to_vec()
    }

    #[test]
    fn stored_roles_survive_like_in_go() {
        // Go's NewStateEP keeps any MSPRole it reads and Policy() writes it back;
        // non-ROLE principals are dropped.
        let stored = envelope(&[
            (Classification::Role, "Org3MSP", MspRoleType::Admin as i32),
            (Classification::Identity, "ignored", 0),
            (Classification::Role, "Org1MSP", 42),
        ]);
        let mut policy = KeyEndorsementPolicy::from_bytes(&stored).unwrap();
        assert_eq!(policy.list_orgs(), ["Org1MSP", "Org3MSP"]);
        assert_eq!(policy.role_of("Org3MSP").as_deref(), Some("ADMIN"));
        assert_eq!(policy.role_of("Org1MSP").as_deref(), Some("42"));
        assert_eq!(policy.role_of("ignored"), None);
        policy.add_orgs(Role::Peer, ["Org2MSP"]);
        // envelope{rule{n_out_of{n: 3, rules: [signed_by 0..2]}}, identities:
        // [ROLE {Org1MSP, 42}, ROLE {Org2MSP, PEER}, ROLE {Org3MSP, ADMIN}]}: rule (field 2)
        // wraps a SignaturePolicy whose n_out_of (field 2) holds n and the rules;
        // derived by hand from common/policies.proto and msp/msp_principal.proto.
        assert_eq!(
            hex::encode(policy.to_bytes()),
            concat!(
                "1210120e0803120208001202080112020802", // rule: 3 of [signed_by 0, 1, 2]
                "1a0d120b0a074f7267314d5350102a",       // ROLE {Org1MSP, 42}
                "1a0d120b0a074f7267324d53501003",       // ROLE {Org2MSP, PEER}
                "1a0d120b0a074f7267334d53501001",       // ROLE {Org3MSP, ADMIN}
            )
        );
    }

    #[test]
    fn an_empty_policy_is_none_of_none() {
        // Go's Policy() with no orgs: rule n_out_of{n: 0, rules: []}; the empty
        // oneof message is still written (tag 0x12, length 0), n = 0 is not.
        assert_eq!(
            hex::encode(KeyEndorsementPolicy::new().to_bytes()),
            "12021200"
        );
        let mut policy = KeyEndorsementPolicy::new();
        policy
            .add_orgs(Role::Member, ["Org1MSP"])
            .del_orgs(["Org1MSP", "Org9MSP"]);
        assert_eq!(policy.to_bytes(), KeyEndorsementPolicy::new().to_bytes());
        assert!(policy.list_orgs().is_empty());
    }

    use proptest::prelude::*;

    fn role() -> impl Strategy<Value = Role> {
        prop_oneof![Just(Role::Member), Just(Role::Peer)]
    }

    proptest! {
        #[test]
        fn bytes_depend_only_on_the_org_set(
            orgs in proptest::collection::btree_map("[A-Za-z0-9.é-]{1,10}", role(), 0..6),
            seed in any::<u64>(),
        ) {
            let mut forward = KeyEndorsementPolicy::new();
            let mut backward = KeyEndorsementPolicy::new();
            let entries: Vec<_> = orgs.iter().collect();
            for (id, role) in &entries {
                forward.add_orgs(**role, [id.as_str()]);
            }
            // Another insertion order, with a detour through the other role.
            let mut shuffled = entries.clone();
            shuffled.rotate_left(seed as usize % entries.len().max(1));
            for (id, role) in &shuffled {
                let other = if **role == Role::Member { Role::Peer } else { Role::Member };
                backward.add_orgs(other, [id.as_str()]).add_orgs(**role, [id.as_str()]);
            }
            let bytes = forward.to_bytes();
            prop_assert_eq!(&bytes, &backward.to_bytes());
            prop_assert_eq!(&KeyEndorsementPolicy::from_bytes(&bytes).unwrap(), &forward);

            // The envelope requires every listed org, each by its own principal, in MSP id order.
            let envelope = SignaturePolicyEnvelope::decode(bytes.as_slice()).unwrap();
            let ids: Vec<String> = envelope
                .identities
                .iter()
                .map(|p| MspRole::decode(p.principal.as_slice()).unwrap().msp_identifier)
                .collect();
            prop_assert_eq!(&ids, &orgs.keys().cloned().collect::<Vec<_>>());
            let Some(SignaturePolicy { r#type: Some(Rule::NOutOf(rule)) }) = envelope.rule else {
                panic!("the rule is not n_out_of");
            };
            prop_assert_eq!(rule.n as usize, orgs.len());
            let signers: Vec<_> = rule.rules.iter().map(|r| r.r#type.clone()).collect();
            let expected: Vec<_> = (0..orgs.len() as i32).map(|i| Some(Rule::SignedBy(i))).collect();
            prop_assert_eq!(signers, expected);
        }
    }

    #[test]
    fn other_roles_and_garbage_are_errors() {
        assert_eq!(
            "ADMIN".parse::<Role>().unwrap_err().to_string(),
            "role type ADMIN does not exist"
        );
        assert_eq!("MEMBER".parse::<Role>(), Ok(Role::Member));
        assert!(matches!(
            KeyEndorsementPolicy::from_bytes(&[0xff, 0x01]),
            Err(PolicyError::Malformed(_))
        ));
        // A ROLE principal whose bytes are not an MSPRole.
        let broken = SignaturePolicyEnvelope {
            identities: vec![MspPrincipal {
                principal_classification: Classification::Role as i32,
                principal: vec![0x0a, 0x05, b'x'],
            }],
            ..Default::default()
        };
        assert!(matches!(
            KeyEndorsementPolicy::from_bytes(&broken.encode_to_vec()),
            Err(PolicyError::Malformed(_))
        ));
    }
}
