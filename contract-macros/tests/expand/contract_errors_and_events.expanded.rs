impl Auction {
    async fn CreateAuction(
        &self,
        ctx: &SubmitCtx,
        id: String,
    ) -> Result<(), AuctionError> {
        Ok(())
    }
    async fn GetAuction(
        &self,
        ctx: &EvaluateCtx,
        id: String,
    ) -> Result<Auction, AuctionError> {
        Err(AuctionError::NotFound(id))
    }
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    use __fc::{ViaCodes as _, ViaNone as _};
    #[allow(dead_code, non_snake_case)]
    fn __errors_of_CreateAuction(error: &AuctionError) {
        let _ = ::core::matches!(error, AuctionError::AuctionExists { .. });
    }
    impl __fc::Contract for Auction {
        type Context = __fc::SubmitCtx;
        const INFO: __fc::ContractInfo = __fc::ContractInfo {
            name: "Auction",
            default: false,
            transactions: &[
                __fc::TxInfo {
                    name: "CreateAuction",
                    kind: __fc::TxKind::Submit,
                    init: false,
                    require: &[],
                },
                __fc::TxInfo {
                    name: "GetAuction",
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
                        ]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(<() as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<Result<(), AuctionError>>::new())
                                .error_codes(),
                            __fc::Some(&["AuctionExists"]),
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
                        ]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(
                            <Auction as __fc::TxReturn>::schema(generator),
                        ),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<Result<Auction, AuctionError>>::new())
                                .error_codes(),
                            __fc::None,
                        ),
                    ),
                ]),
                __fc::Vec::from([
                    ("Transfer", __fc::event_schema::<TransferEvent>(generator)),
                    ("asset-deleted", __fc::event_schema::<Asset>(generator)),
                ]),
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
                        const TX: &str = "CreateAuction";
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
                        match self
                            .CreateAuction(
                                <SubmitCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
                                __arg0,
                            )
                            .await
                        {
                            __fc::Ok(value) => {
                                <() as __fc::TxReturn>::encode_returned(value)
                            }
                            __fc::Err(error) => {
                                __fc::Err(
                                    <AuctionError as __fc::IntoContractError>::into_contract_error(
                                        error,
                                    ),
                                )
                            }
                        }
                    })
                }
                1usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "GetAuction";
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
                        match self
                            .GetAuction(
                                <EvaluateCtx as __fc::IsEvaluateCtx<
                                    Self::Context,
                                >>::get(ctx),
                                __arg0,
                            )
                            .await
                        {
                            __fc::Ok(value) => {
                                <Auction as __fc::TxReturn>::encode_returned(value)
                            }
                            __fc::Err(error) => {
                                __fc::Err(
                                    <AuctionError as __fc::IntoContractError>::into_contract_error(
                                        error,
                                    ),
                                )
                            }
                        }
                    })
                }
                _ => __fc::no_such_transaction(index),
            }
        }
    }
};
