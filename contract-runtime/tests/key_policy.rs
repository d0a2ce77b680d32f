//! Key-level endorsement through the emulated peer, the way Go chaincode does
//! it with `statebased`: read the key's policy, edit it, write it back. The
//! stored bytes must be the ones Go's `Policy()` writes.

use fabric_contract::identity::ClientIdentity;
use fabric_contract::prelude::*;
use fabric_contract::state::policy::{KeyEndorsementPolicy, Role};
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::network::{TestNetwork, anonymous};

/// `Claim key`: writes the key and requires the caller's organisation (its
/// peers) to endorse later changes. `Add key ROLE org…`, `Del key org…`:
/// edit the policy. `Raw key`: the stored policy as hex.
struct Endorsers;

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Stub(#[from] StubError),
    #[error(transparent)]
    Policy(#[from] fabric_contract::state::policy::PolicyError),
    #[error(transparent)]
    Identity(#[from] fabric_contract::identity::IdentityError),
    #[error("expected a key argument")]
    NoKey,
    #[error("unknown function {0}")]
    Unknown(String),
}

async fn edit(
    stub: &Stub,
    key: &str,
    change: impl FnOnce(&mut KeyEndorsementPolicy) -> Result<(), Failure>,
) -> Result<Vec<u8>, Failure> {
    let stored = stub.get_state_validation_parameter(key).await?;
    let mut policy = KeyEndorsementPolicy::from_bytes(&stored.unwrap_or_default())?;
    change(&mut policy)?;
    stub.set_state_validation_parameter(key, &policy.to_bytes())
        .await?;
    Ok(serde_json::to_vec(&policy.list_orgs()).expect("a list of strings"))
}

impl Endorsers {
    async fn run(&self, stub: &Stub) -> Result<Vec<u8>, Failure> {
        let (function, params) = stub.function_and_params();
        let key = params.first().ok_or(Failure::NoKey)?.clone();
        let rest = &params[1..];
        match function.as_str() {
            "Claim" => {
                let caller = ClientIdentity::from_creator(stub.creator())?;
                stub.put_state(&key, caller.id().as_bytes()).await?;
                edit(stub, &key, |p| {
                    p.add_orgs(Role::Peer, [caller.msp_id()]);
                    Ok(())
                })
                .await
            }
            "Add" => {
                let role = rest.first().map(String::as_str).unwrap_or("");
                let role: Role = role.parse()?;
                edit(stub, &key, |p| {
                    p.add_orgs(role, rest[1..].iter().cloned());
                    Ok(())
                })
                .await
            }
            "Del" => {
                edit(stub, &key, |p| {
                    p.del_orgs(rest);
                    Ok(())
                })
                .await
            }
            "Raw" => Ok(stub
                .get_state_validation_parameter(&key)
                .await?
                .map(hex::encode)
                .unwrap_or_default()
                .into_bytes()),
            "Corrupt" => {
                stub.set_state_validation_parameter(&key, &[0xff, 0x01])
                    .await?;
                Ok(Vec::new())
            }
            other => Err(Failure::Unknown(other.into())),
        }
    }
}

impl Chaincode for Endorsers {
    async fn init(&self, _stub: &Stub) -> Response {
        Response::success(Vec::new())
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        match self.run(stub).await {
            Ok(payload) => Response::success(payload),
            Err(e) => Response::error(e.to_string()),
        }
    }
}

#[tokio::test]
async fn policies_round_trip_through_the_peer_with_go_bytes() {
    let net = TestNetwork::new()
        .chaincode("ep", Endorsers)
        .start()
        .await
        .unwrap();
    let org2 = TestCa::new("Org2MSP").identity().cn("bob").build();
    let org1 = anonymous("Org1MSP");

    let claimed = net
        .call(&org2, "ep", "Claim", ["asset1"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        (claimed.status, claimed.text()),
        (200, r#"["Org2MSP"]"#.into())
    );

    let added = net
        .call(&org1, "ep", "Add", ["asset1", "MEMBER", "Org1MSP"])
        .submit()
        .await
        .unwrap();
    assert_eq!(added.text(), r#"["Org1MSP","Org2MSP"]"#);
    // Org1 MEMBER and Org2 PEER: what Go's statebased stores (tests/go/policy).
    let raw = net
        .call(&org1, "ep", "Raw", ["asset1"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(
        raw.text(),
        "120c120a080212020800120208011a0b12090a074f7267314d53501a0d120b0a074f7267324d53501003"
    );

    let refused = net
        .call(&org1, "ep", "Add", ["asset1", "ADMIN", "Org3MSP"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        (refused.status, refused.message.as_str()),
        (500, "role type ADMIN does not exist")
    );

    let removed = net
        .call(&org1, "ep", "Del", ["asset1", "Org2MSP", "Org9MSP"])
        .submit()
        .await
        .unwrap();
    assert_eq!(removed.text(), r#"["Org1MSP"]"#);

    // A caller without a certificate cannot claim; the chaincode keeps serving.
    let anonymous_claim = net
        .call(&org1, "ep", "Claim", ["asset2"])
        .submit()
        .await
        .unwrap();
    assert_eq!(anonymous_claim.status, 500);
    assert!(
        anonymous_claim
            .message
            .starts_with("cannot determine identity"),
        "{}",
        anonymous_claim.message
    );

    net.call(&org1, "ep", "Corrupt", ["asset1"])
        .submit()
        .await
        .unwrap();
    let broken = net
        .call(&org1, "ep", "Del", ["asset1", "Org1MSP"])
        .submit()
        .await
        .unwrap();
    assert_eq!(broken.status, 500);
    assert!(
        broken
            .message
            .starts_with("the key's endorsement policy is not a SignaturePolicyEnvelope"),
        "{}",
        broken.message
    );
}
