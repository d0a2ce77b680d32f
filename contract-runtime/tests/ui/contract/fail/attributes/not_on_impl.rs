use fabric_contract::contract;

#[contract]
pub struct Assets;

fn main() {}
