#[object]
pub enum Status {
    Open,
    Closed,
}
