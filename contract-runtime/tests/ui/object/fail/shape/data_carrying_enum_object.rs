use fabric_contract::object;

#[object]
pub enum Shape {
    Circle { radius: u32 },
    Square(u32),
    Empty,
}

fn main() {}
