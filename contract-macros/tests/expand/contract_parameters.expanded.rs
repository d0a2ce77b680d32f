impl Assets {
    async fn Transfer(
        &self,
        ctx: &SubmitCtx,
        id: String,
        price: u64,
        note: Option<String>,
        memo: Option<String>,
    ) {}
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    use __fc::{ViaCodes as _, ViaNone as _};
    const _: () = __fc::assert_trailing_optional(
        &[<String as __fc::TxArg>::OPTIONAL, <Option<String> as __fc::TxArg>::OPTIONAL],
    );
    impl __fc::Contract for Assets {
        type Context = __fc::SubmitCtx;
        const INFO: __fc::ContractInfo = __fc::ContractInfo {
            name: "Assets",
            default: false,
            transactions: &[
                __fc::TxInfo {
                    name: "Transfer",
                    kind: __fc::TxKind::Submit,
                    init: false,
                    require: &[],
                },
            ],
            package: ::core::env!("CARGO_PKG_NAME"),
            version: ::core::env!("CARGO_PKG_VERSION"),
            about: __fc::PackageAbout {
                description: ::core::env!("CARGO_PKG_DESCRIPTION"),
                license: ::core::env!("CARGO_PKG_LICENSE"),
                authors: ::core::env!("CARGO_PKG_AUTHORS"),
                homepage: ::core::env!("CARGO_PKG_HOMEPAGE"),
                repository: ::core::env!("CARGO_PKG_REPOSITORY"),
            },
        };
        fn describe(generator: &mut __fc::SchemaGenerator) -> __fc::ContractDoc {
            let info = &<Self as __fc::Contract>::INFO;
            __fc::contract(
                info,
                __fc::None,
                __fc::Vec::from([
                    __fc::transaction(
                        &info.transactions[0usize],
                        __fc::None,
                        __fc::Vec::from([
                            __fc::param_doc(
                                "id",
                                <String as __fc::TxArg>::schema(generator),
                                <String as __fc::TxArg>::OPTIONAL,
                            ),
                            __fc::param_doc(
                                "memo",
                                <Option<String> as __fc::TxArg>::schema(generator),
                                <Option<String> as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::Vec::from([
                            __fc::param_doc(
                                "price",
                                <u64 as __fc::TxArg>::schema(generator),
                                <u64 as __fc::TxArg>::OPTIONAL,
                            ),
                            __fc::param_doc(
                                "secret",
                                <Option<String> as __fc::TxArg>::schema(generator),
                                <Option<String> as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::returns_doc(<() as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<()>::new()).error_codes(),
                            __fc::None,
                        ),
                    ),
                ]),
                __fc::Vec::from([]),
            )
        }
        fn call<'a>(
            &'a self,
            index: usize,
            ctx: &'a Self::Context,
            args: &'a [__fc::Bytes],
        ) -> __fc::TxFuture<'a, __fc::Returned> {
            match index {
                0usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "Transfer";
                        const REQUIRED: usize = __fc::required_count(
                            &[
                                <String as __fc::TxArg>::OPTIONAL,
                                <Option<String> as __fc::TxArg>::OPTIONAL,
                            ],
                        );
                        __fc::check_count(args, REQUIRED, 2usize)?;
                        let __arg0 = __fc::decode_arg(
                            TX,
                            args,
                            0usize,
                            "id",
                            <String as __fc::TxArg>::decode,
                            <String as __fc::TxArg>::absent,
                        )?;
                        let __arg1 = __fc::transient_arg(
                            TX,
                            __fc::base(ctx),
                            "price",
                            <u64 as __fc::TxArg>::decode,
                            <u64 as __fc::TxArg>::absent,
                        )?;
                        let __arg2 = __fc::transient_arg(
                            TX,
                            __fc::base(ctx),
                            "secret",
                            <Option<String> as __fc::TxArg>::decode,
                            <Option<String> as __fc::TxArg>::absent,
                        )?;
                        let __arg3 = __fc::decode_arg(
                            TX,
                            args,
                            1usize,
                            "memo",
                            <Option<String> as __fc::TxArg>::decode,
                            <Option<String> as __fc::TxArg>::absent,
                        )?;
                        <() as __fc::TxReturn>::encode_returned(
                            self
                                .Transfer(
                                    <SubmitCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
                                    __arg0,
                                    __arg1,
                                    __arg2,
                                    __arg3,
                                )
                                .await,
                        )
                    })
                }
                _ => __fc::no_such_transaction(index),
            }
        }
    }
};
