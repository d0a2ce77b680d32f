#[derive(
    ::fabric_contract::__private::Serialize,
    ::fabric_contract::__private::Deserialize,
    ::fabric_contract::__private::JsonSchema
)]
#[serde(crate = "::fabric_contract::__private::serde")]
#[schemars(crate = "::fabric_contract::__private::schemars")]
#[serde(deny_unknown_fields)]
/// Optional fields are left out of the JSON when `None`.
pub struct Asset {
    pub id: String,
    pub size: u32,
    #[serde(skip_serializing_if = "::fabric_contract::__private::Option::is_none")]
    pub winner: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    #[allow(dead_code)]
    fn __field_types() {
        __fc::assert_object_field::<String>();
        __fc::assert_object_field::<u32>();
        __fc::assert_object_field::<Option<String>>();
        __fc::assert_object_field::<String>();
    }
    impl __fc::Object for Asset {}
    impl __fc::TxArg for Asset {
        fn decode(raw: &[u8]) -> __fc::Result<Self, __fc::ArgFault> {
            __fc::decode_object(raw)
        }
        fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Schema {
            generator.subschema_for::<Self>()
        }
    }
    impl __fc::TxArgElem for Asset {}
    fn __write_json(
        value: &Asset,
        writer: &mut __fc::ObjectWriter,
    ) -> __fc::Result<(), __fc::JsonError> {
        writer.open();
        writer.field(b"\"id\":", &value.id)?;
        if !String::is_empty(&value.note) {
            writer.field(b"\"note\":", &value.note)?;
        }
        writer.field(b"\"size\":", &value.size)?;
        if !__fc::Option::is_none(&value.winner) {
            writer.field(b"\"winner\":", &value.winner)?;
        }
        writer.close();
        __fc::Ok(())
    }
    const __WRITER: __fc::Option<__fc::WriteObject<Asset>> = if __fc::keys_are_plain(
        &["id", "note", "size", "winner"],
    ) {
        __fc::Some(__write_json)
    } else {
        __fc::None
    };
    impl __fc::CanonicalJson for Asset {
        fn canonical_len(text: &[u8]) -> __fc::Option<usize> {
            __fc::None
        }
    }
    impl __fc::TxReturn for Asset {
        fn encode(self) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
            __fc::encode_object(&self, __WRITER)
        }
        fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Option<__fc::Schema> {
            __fc::Some(generator.subschema_for::<Self>())
        }
    }
    impl __fc::TxReturnElem for Asset {
        fn encode_vec(
            items: __fc::Vec<Self>,
        ) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
            __fc::encode_objects(&items, __WRITER)
        }
    }
};
#[derive(
    ::fabric_contract::__private::Serialize,
    ::fabric_contract::__private::Deserialize,
    ::fabric_contract::__private::JsonSchema
)]
#[serde(crate = "::fabric_contract::__private::serde")]
#[schemars(crate = "::fabric_contract::__private::schemars")]
#[serde(deny_unknown_fields)]
/// Every field reads back as written: its stored JSON is recognised field by field.
pub struct Owner {
    pub name: String,
    #[serde(skip_serializing_if = "::fabric_contract::__private::Option::is_none")]
    pub since: Option<u64>,
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    #[allow(dead_code)]
    fn __field_types() {
        __fc::assert_object_field::<String>();
        __fc::assert_object_field::<Option<u64>>();
    }
    impl __fc::Object for Owner {}
    impl __fc::TxArg for Owner {
        fn decode(raw: &[u8]) -> __fc::Result<Self, __fc::ArgFault> {
            __fc::decode_object(raw)
        }
        fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Schema {
            generator.subschema_for::<Self>()
        }
    }
    impl __fc::TxArgElem for Owner {}
    fn __write_json(
        value: &Owner,
        writer: &mut __fc::ObjectWriter,
    ) -> __fc::Result<(), __fc::JsonError> {
        writer.open();
        writer.field(b"\"name\":", &value.name)?;
        if !__fc::Option::is_none(&value.since) {
            writer.field(b"\"since\":", &value.since)?;
        }
        writer.close();
        __fc::Ok(())
    }
    const __WRITER: __fc::Option<__fc::WriteObject<Owner>> = if __fc::keys_are_plain(
        &["name", "since"],
    ) {
        __fc::Some(__write_json)
    } else {
        __fc::None
    };
    impl __fc::CanonicalJson for Owner {
        fn canonical_len(text: &[u8]) -> __fc::Option<usize> {
            use __fc::{ViaCanonical as _, ViaUnknown as _};
            __WRITER?;
            let mut scan = __fc::ObjectScan::open(text)?;
            scan.field(
                b"\"name\":",
                |value: &[u8]| (&__fc::Probe::<String>::NEW).canonical_len(value),
            )?;
            scan.optional(
                b"\"since\":",
                |value: &[u8]| (&__fc::Probe::<Option<u64>>::NEW).canonical_len(value),
            )?;
            scan.close()
        }
    }
    impl __fc::TxReturn for Owner {
        fn encode(self) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
            __fc::encode_object(&self, __WRITER)
        }
        fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Option<__fc::Schema> {
            __fc::Some(generator.subschema_for::<Self>())
        }
    }
    impl __fc::TxReturnElem for Owner {
        fn encode_vec(
            items: __fc::Vec<Self>,
        ) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
            __fc::encode_objects(&items, __WRITER)
        }
    }
};
