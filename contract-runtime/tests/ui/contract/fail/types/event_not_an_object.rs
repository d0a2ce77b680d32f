use fabric_contract::{SubmitCtx, contract};

pub struct Transfer {
    pub from: String,
}

#[derive(Default)]
pub struct Token;

#[contract(events(Transfer = Transfer))]
impl Token {
    #[submit]
    async fn mint(&self, _ctx: &SubmitCtx) {}
}

fn main() {}
