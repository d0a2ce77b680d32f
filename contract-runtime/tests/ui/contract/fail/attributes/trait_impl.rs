use fabric_contract::contract;

pub trait Named {
    fn name(&self) -> String;
}

#[derive(Default)]
pub struct Assets;

#[contract]
impl Named for Assets {
    fn name(&self) -> String {
        String::new()
    }
}

fn main() {}
