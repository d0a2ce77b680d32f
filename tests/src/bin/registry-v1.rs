//! Version 1 of a small registry contract: stores `{"email","name"}` records.
//! The upgrade test runs it, then replaces it with `registry-v2`.

use fabric_contract::prelude::*;

/// A person as version 1 stores it.
#[object]
pub struct Person {
    /// Their name, also the key.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
}

/// The version-1 registry.
#[derive(Default)]
pub struct Registry;

#[contract(name = "Registry")]
impl Registry {
    /// Stores a person.
    #[submit(name = "Register")]
    async fn register(
        &self,
        ctx: &SubmitCtx,
        name: String,
        email: String,
    ) -> Result<(), ContractError> {
        let bytes = fabric_contract::json::to_canonical_vec(&Person {
            name: name.clone(),
            email,
        })
        .map_err(|e| ContractError::new(e.to_string()))?;
        ctx.put_state(&name, &bytes).await?;
        Ok(())
    }

    /// Reads a person.
    #[evaluate(name = "Get")]
    async fn get(&self, ctx: &EvaluateCtx, name: String) -> Result<Person, ContractError> {
        let bytes = ctx
            .get_state(&name)
            .await?
            .ok_or_else(|| ContractError::new(format!("{name} is not registered")))?;
        serde_json::from_slice(&bytes).map_err(|e| ContractError::new(e.to_string()))
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run::<Registry>()
}
