//! `?` on every framework error inside a method returning the user's error enum, through its
//! `#[from] ContractError` case.
use fabric_contract::prelude::*;

#[object]
pub struct Created {
    pub id: String,
}

#[derive(Debug, ContractError)]
pub enum AuctionError {
    #[error("auction {0} already exists", code = "AUCTION_EXISTS", status = 409)]
    AuctionExists(String),
    #[error(transparent)]
    Framework(#[from] ContractError),
}

#[derive(Default)]
pub struct Auctions;

#[contract]
impl Auctions {
    #[submit]
    async fn create(&self, ctx: &SubmitCtx, id: String) -> Result<(), AuctionError> {
        if ctx.get_state(&id).await?.is_some() {
            return Err(AuctionError::AuctionExists(id));
        }
        ctx.set_event("Created", &Created { id: id.clone() })?;
        let _caller = ctx.client()?;
        let _json = fabric_contract::json::to_canonical_vec(&Created { id })?;
        Ok(())
    }
}

fn conversions(
    stub: fabric_contract::StubError,
    state: fabric_contract::state::StateError,
    identity: fabric_contract::identity::IdentityError,
) -> [AuctionError; 3] {
    [stub.into(), state.into(), identity.into()]
}

fn main() {
    let _ = conversions;
}
