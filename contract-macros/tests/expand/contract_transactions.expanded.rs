/// Submit, evaluate and init transactions, named and renamed.
impl Assets {
    /// Seeds the ledger.
    async fn init_ledger(&self, ctx: &SubmitCtx) {}
    async fn CreateAsset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        size: u32,
    ) -> Result<(), ContractError> {
        Ok(())
    }
    async fn read(&self, ctx: &EvaluateCtx, id: String) -> Asset {
        Asset::default()
    }
    fn helper(&self) -> usize {
        0
    }
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    use __fc::{ViaCodes as _, ViaNone as _};
    const _: () = __fc::assert_trailing_optional(
        &[<String as __fc::TxArg>::OPTIONAL, <u32 as __fc::TxArg>::OPTIONAL],
    );
    impl __fc::Contract for Assets {
        type Context = __fc::SubmitCtx;
        const INFO: __fc::ContractInfo = __fc::ContractInfo {
            name: "Assets",
            default: true,
            transactions: &[
                __fc::TxInfo {
                    name: "InitLedger",
                    kind: __fc::TxKind::Submit,
                    init: true,
                    require: &[],
                },
                __fc::TxInfo {
                    name: "CreateAsset",
                    kind: __fc::TxKind::Submit,
                    init: false,
                    require: &[],
                },
                __fc::TxInfo {
                    name: "ReadAsset",
                    kind: __fc::TxKind::Evaluate,
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
                __fc::Some("Submit, evaluate and init transactions, named and renamed."),
                __fc::Vec::from([
                    __fc::transaction(
                        &info.transactions[0usize],
                        __fc::Some("Seeds the ledger."),
                        __fc::Vec::from([]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(<() as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<()>::new()).error_codes(),
                            __fc::None,
                        ),
                    ),
                    __fc::transaction(
                        &info.transactions[1usize],
                        __fc::None,
                        __fc::Vec::from([
                            __fc::param_doc(
                                "id",
                                <String as __fc::TxArg>::schema(generator),
                                <String as __fc::TxArg>::OPTIONAL,
                            ),
                            __fc::param_doc(
                                "size",
                                <u32 as __fc::TxArg>::schema(generator),
                                <u32 as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(<() as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<Result<(), ContractError>>::new())
                                .error_codes(),
                            __fc::None,
                        ),
                    ),
                    __fc::transaction(
                        &info.transactions[2usize],
                        __fc::None,
                        __fc::Vec::from([
                            __fc::param_doc(
                                "id",
                                <String as __fc::TxArg>::schema(generator),
                                <String as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(<Asset as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<Asset>::new()).error_codes(),
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
                        const TX: &str = "InitLedger";
                        const REQUIRED: usize = __fc::required_count(&[]);
                        __fc::check_count(args, REQUIRED, 0usize)?;
                        <() as __fc::TxReturn>::encode_returned(
                            self
                                .init_ledger(
                                    <SubmitCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
                                )
                                .await,
                        )
                    })
                }
                1usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "CreateAsset";
                        const REQUIRED: usize = __fc::required_count(
                            &[
                                <String as __fc::TxArg>::OPTIONAL,
                                <u32 as __fc::TxArg>::OPTIONAL,
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
                        let __arg1 = __fc::decode_arg(
                            TX,
                            args,
                            1usize,
                            "size",
                            <u32 as __fc::TxArg>::decode,
                            <u32 as __fc::TxArg>::absent,
                        )?;
                        match self
                            .CreateAsset(
                                <SubmitCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
                                __arg0,
                                __arg1,
                            )
                            .await
                        {
                            __fc::Ok(value) => {
                                <() as __fc::TxReturn>::encode_returned(value)
                            }
                            __fc::Err(error) => {
                                __fc::Err(
                                    <ContractError as __fc::IntoContractError>::into_contract_error(
                                        error,
                                    ),
                                )
                            }
                        }
                    })
                }
                2usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "ReadAsset";
                        const REQUIRED: usize = __fc::required_count(
                            &[<String as __fc::TxArg>::OPTIONAL],
                        );
                        __fc::check_count(args, REQUIRED, 1usize)?;
                        let __arg0 = __fc::decode_arg(
                            TX,
                            args,
                            0usize,
                            "id",
                            <String as __fc::TxArg>::decode,
                            <String as __fc::TxArg>::absent,
                        )?;
                        <Asset as __fc::TxReturn>::encode_returned(
                            self
                                .read(
                                    <EvaluateCtx as __fc::IsEvaluateCtx<
                                        Self::Context,
                                    >>::get(ctx),
                                    __arg0,
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
