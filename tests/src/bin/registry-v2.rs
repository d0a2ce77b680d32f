//! Version 2 of the registry: records carry a schema version and a contact
//! object. `Migrate` rewrites every version-1 record it finds; `Get` reads both.

use fabric_contract::prelude::*;

/// How to reach a person.
#[object]
pub struct Contact {
    /// E-mail address.
    pub email: String,
}

/// A person as version 2 stores it.
#[object]
pub struct Person {
    /// Their name, also the key.
    pub name: String,
    /// How to reach them.
    pub contact: Contact,
    /// Record schema version (2).
    pub version: u32,
}

/// A version-1 record.
#[derive(serde::Deserialize)]
struct PersonV1 {
    name: String,
    email: String,
}

fn decode(bytes: &[u8]) -> Result<(Person, bool), ContractError> {
    if let Ok(person) = serde_json::from_slice::<Person>(bytes) {
        return Ok((person, false));
    }
    let old: PersonV1 = serde_json::from_slice(bytes)
        .map_err(|e| ContractError::new(format!("unreadable record: {e}")))?;
    Ok((
        Person {
            name: old.name,
            contact: Contact { email: old.email },
            version: 2,
        },
        true,
    ))
}

/// The version-2 registry.
#[derive(Default)]
pub struct Registry;

#[contract(name = "Registry")]
impl Registry {
    /// Rewrites every version-1 record in the version-2 form; returns how many it migrated.
    #[submit(name = "Migrate")]
    async fn migrate(&self, ctx: &SubmitCtx) -> Result<u32, ContractError> {
        let records = ctx.get_state_by_range("", "").await?.collect_all().await?;
        let mut migrated = 0;
        for record in records {
            let (person, was_old) = decode(&record.value)?;
            if was_old {
                let bytes = fabric_contract::json::to_canonical_vec(&person)
                    .map_err(|e| ContractError::new(e.to_string()))?;
                ctx.put_state(&record.key, &bytes).await?;
                migrated += 1;
            }
        }
        Ok(migrated)
    }

    /// Reads a person in either stored form.
    #[evaluate(name = "Get")]
    async fn get(&self, ctx: &EvaluateCtx, name: String) -> Result<Person, ContractError> {
        let bytes = ctx
            .get_state(&name)
            .await?
            .ok_or_else(|| ContractError::new(format!("{name} is not registered")))?;
        Ok(decode(&bytes)?.0)
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run::<Registry>()
}
