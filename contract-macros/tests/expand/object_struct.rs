/// Optional fields are left out of the JSON when `None`.
#[object]
pub struct Asset {
    pub id: String,
    pub size: u32,
    pub winner: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Every field reads back as written: its stored JSON is recognised field by field.
#[object]
pub struct Owner {
    pub name: String,
    pub since: Option<u64>,
}
