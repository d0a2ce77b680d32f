impl AssetTransfer {
    /// Seeds the ledger.
    async fn init_ledger(&self, ctx: &SubmitCtx) -> Result<(), AssetError> {
        Ok(())
    }
    async fn transfer(
        &self,
        ctx: &SubmitCtx,
        id: String,
        new_owner: String,
        price: Option<u64>,
    ) -> Result<String, AssetError> {
        Ok(new_owner)
    }
    async fn read(&self, ctx: &EvaluateCtx, id: String) -> Result<Asset, AssetError> {
        Err(AssetError::Missing(id))
    }
    async fn page(
        &self,
        ctx: &EvaluateCtx,
        size: u32,
        bookmark: Option<String>,
    ) -> Option<Vec<Asset>> {
        None
    }
    fn helper(&self) -> usize {
        0
    }
    async fn audit(&self, ctx: &EvaluateCtx) -> Result<(), AssetError> {
        Ok(())
    }
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    use __fc::{ViaCodes as _, ViaNone as _};
    const _: () = __fc::assert_trailing_optional(
        &[<String as __fc::TxArg>::OPTIONAL, <String as __fc::TxArg>::OPTIONAL],
    );
    const _: () = __fc::assert_trailing_optional(
        &[<u32 as __fc::TxArg>::OPTIONAL, <Option<String> as __fc::TxArg>::OPTIONAL],
    );
    impl __fc::Contract for AssetTransfer {
        type Context = __fc::SubmitCtx;
        const INFO: __fc::ContractInfo = __fc::ContractInfo {
            name: "AssetTransfer",
            default: true,
            transactions: &[
                __fc::TxInfo {
                    name: "InitLedger",
                    kind: __fc::TxKind::Submit,
                    init: true,
                    require: &[],
                },
                __fc::TxInfo {
                    name: "TransferAsset",
                    kind: __fc::TxKind::Submit,
                    init: false,
                    require: &[
                        __fc::Requirement {
                            msp: &["Org1MSP"],
                            attrs: &[],
                            ous: &[],
                        },
                    ],
                },
                __fc::TxInfo {
                    name: "ReadAsset",
                    kind: __fc::TxKind::Evaluate,
                    init: false,
                    require: &[],
                },
                __fc::TxInfo {
                    name: "GetAssetsPage",
                    kind: __fc::TxKind::Evaluate,
                    init: false,
                    require: &[],
                },
            ],
            package: ::core::env!("CARGO_PKG_NAME"),
            version: ::core::env!("CARGO_PKG_VERSION"),
        };
        fn describe(generator: &mut __fc::SchemaGenerator) -> __fc::ContractDoc {
            let info = &<Self as __fc::Contract>::INFO;
            __fc::contract(
                info,
                __fc::None,
                __fc::Vec::from([
                    __fc::transaction(
                        &info.transactions[0usize],
                        __fc::Some("Seeds the ledger."),
                        __fc::Vec::from([]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(
                            <Result<(), AssetError> as __fc::TxOutput>::schema(generator),
                        ),
                        (&&__fc::ErrorsOf::<Result<(), AssetError>>::new()).error_codes(),
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
                                "new_owner",
                                <String as __fc::TxArg>::schema(generator),
                                <String as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::Vec::from([
                            __fc::param_doc(
                                "price",
                                <Option<u64> as __fc::TxArg>::schema(generator),
                                <Option<u64> as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::returns_doc(
                            <Result<
                                String,
                                AssetError,
                            > as __fc::TxOutput>::schema(generator),
                        ),
                        (&&__fc::ErrorsOf::<Result<String, AssetError>>::new())
                            .error_codes(),
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
                        __fc::returns_doc(
                            <Result<
                                Asset,
                                AssetError,
                            > as __fc::TxOutput>::schema(generator),
                        ),
                        (&&__fc::ErrorsOf::<Result<Asset, AssetError>>::new())
                            .error_codes(),
                    ),
                    __fc::transaction(
                        &info.transactions[3usize],
                        __fc::None,
                        __fc::Vec::from([
                            __fc::param_doc(
                                "size",
                                <u32 as __fc::TxArg>::schema(generator),
                                <u32 as __fc::TxArg>::OPTIONAL,
                            ),
                            __fc::param_doc(
                                "bookmark",
                                <Option<String> as __fc::TxArg>::schema(generator),
                                <Option<String> as __fc::TxArg>::OPTIONAL,
                            ),
                        ]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(
                            <Option<Vec<Asset>> as __fc::TxOutput>::schema(generator),
                        ),
                        (&&__fc::ErrorsOf::<Option<Vec<Asset>>>::new()).error_codes(),
                    ),
                ]),
            )
        }
        fn call<'a>(
            &'a self,
            index: usize,
            ctx: &'a Self::Context,
            args: &'a [__fc::Vec<u8>],
        ) -> __fc::TxFuture<'a, __fc::Returned> {
            match index {
                0usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "InitLedger";
                        const REQUIRED: usize = __fc::required_count(&[]);
                        __fc::check_count(args, REQUIRED, 0usize)?;
                        <Result<
                            (),
                            AssetError,
                        > as __fc::TxOutput>::into_returned(
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
                        const TX: &str = "TransferAsset";
                        const REQUIRED: usize = __fc::required_count(
                            &[
                                <String as __fc::TxArg>::OPTIONAL,
                                <String as __fc::TxArg>::OPTIONAL,
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
                            "new_owner",
                            <String as __fc::TxArg>::decode,
                            <String as __fc::TxArg>::absent,
                        )?;
                        let __arg2 = __fc::transient_arg(
                            TX,
                            __fc::base(ctx),
                            "price",
                            <Option<u64> as __fc::TxArg>::decode,
                            <Option<u64> as __fc::TxArg>::absent,
                        )?;
                        <Result<
                            String,
                            AssetError,
                        > as __fc::TxOutput>::into_returned(
                            self
                                .transfer(
                                    <SubmitCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
                                    __arg0,
                                    __arg1,
                                    __arg2,
                                )
                                .await,
                        )
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
                        <Result<
                            Asset,
                            AssetError,
                        > as __fc::TxOutput>::into_returned(
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
                3usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "GetAssetsPage";
                        const REQUIRED: usize = __fc::required_count(
                            &[
                                <u32 as __fc::TxArg>::OPTIONAL,
                                <Option<String> as __fc::TxArg>::OPTIONAL,
                            ],
                        );
                        __fc::check_count(args, REQUIRED, 2usize)?;
                        let __arg0 = __fc::decode_arg(
                            TX,
                            args,
                            0usize,
                            "size",
                            <u32 as __fc::TxArg>::decode,
                            <u32 as __fc::TxArg>::absent,
                        )?;
                        let __arg1 = __fc::decode_arg(
                            TX,
                            args,
                            1usize,
                            "bookmark",
                            <Option<String> as __fc::TxArg>::decode,
                            <Option<String> as __fc::TxArg>::absent,
                        )?;
                        <Option<
                            Vec<Asset>,
                        > as __fc::TxOutput>::into_returned(
                            self
                                .page(
                                    <EvaluateCtx as __fc::IsEvaluateCtx<
                                        Self::Context,
                                    >>::get(ctx),
                                    __arg0,
                                    __arg1,
                                )
                                .await,
                        )
                    })
                }
                _ => __fc::no_such_transaction(index),
            }
        }
        fn before<'a>(&'a self, ctx: &'a mut Self::Context) -> __fc::TxFuture<'a, ()> {
            __fc::Box::pin(async move {
                <Result<
                    (),
                    AssetError,
                > as __fc::HookOutput>::finish(
                    self
                        .audit(<EvaluateCtx as __fc::IsHookCtx<Self::Context>>::get(ctx))
                        .await,
                )
            })
        }
    }
};
