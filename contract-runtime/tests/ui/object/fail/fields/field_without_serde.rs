use fabric_contract::object;

pub struct Bid {
    pub amount: u64,
}

#[object]
pub struct Auction {
    pub id: String,
    pub highest: Bid,
}

fn main() {}
