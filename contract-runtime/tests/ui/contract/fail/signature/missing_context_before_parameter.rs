use fabric_contract::contract;

#[derive(Default)]
pub struct Assets;

#[contract]
impl Assets {
    #[evaluate]
    async fn read(&self, id: String) -> String {
        id
    }
}

fn main() {}
