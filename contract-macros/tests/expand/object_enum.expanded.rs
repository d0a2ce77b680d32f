#[derive(
    ::fabric_contract::__private::Serialize,
    ::fabric_contract::__private::Deserialize,
    ::fabric_contract::__private::JsonSchema
)]
#[serde(crate = "::fabric_contract::__private::serde")]
#[schemars(crate = "::fabric_contract::__private::schemars")]
pub enum Status {
    Open,
    Closed,
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    #[allow(dead_code)]
    fn __field_types() {}
    impl __fc::Object for Status {}
    impl __fc::TxArg for Status {
        fn decode(raw: &[u8]) -> __fc::Result<Self, __fc::ArgFault> {
            __fc::decode_object(raw)
        }
        fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Schema {
            generator.subschema_for::<Self>()
        }
    }
    impl __fc::TxArgElem for Status {}
    const __WRITER: __fc::Option<__fc::WriteObject<Status>> = __fc::None;
    impl __fc::CanonicalJson for Status {
        fn canonical_len(text: &[u8]) -> __fc::Option<usize> {
            __fc::None
        }
    }
    impl __fc::TxReturn for Status {
        fn encode(self) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
            __fc::encode_object(&self, __WRITER)
        }
        fn schema(generator: &mut __fc::SchemaGenerator) -> __fc::Option<__fc::Schema> {
            __fc::Some(generator.subschema_for::<Self>())
        }
    }
    impl __fc::TxReturnElem for Status {
        fn encode_vec(
            items: __fc::Vec<Self>,
        ) -> __fc::Result<__fc::Vec<u8>, __fc::ContractError> {
            __fc::encode_objects(&items, __WRITER)
        }
    }
};
