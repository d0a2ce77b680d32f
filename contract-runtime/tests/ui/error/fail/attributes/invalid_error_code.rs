use fabric_contract::ContractError;

#[derive(Debug, ContractError)]
pub enum AssetError {
    #[error("the asset {0} does not exist", code = "not-found")]
    Missing(String),
    #[error("too late", status = 200)]
    Late,
    Unmarked,
}

fn main() {}
