//! Procedural macros of `fabric-contract`. Use them through `fabric_contract`,
//! which re-exports them; generated code targets `::fabric_contract::__private`.
