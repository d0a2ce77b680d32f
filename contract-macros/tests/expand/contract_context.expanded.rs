impl Audited {
    async fn Put(&self, ctx: &AuditCtx, id: String) -> Result<String, ContractError> {
        Ok(id)
    }
    async fn Get(&self, ctx: &EvaluateCtx, id: String) -> String {
        id
    }
    async fn fill(&self, ctx: &mut AuditCtx, caller: Option<String>) {}
    async fn check(
        &self,
        ctx: &AuditCtx,
        returned: &Returned,
    ) -> Result<(), ContractError> {
        Ok(())
    }
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    use __fc::{ViaCodes as _, ViaNone as _};
    impl __fc::Contract for Audited {
        type Context = AuditCtx;
        const INFO: __fc::ContractInfo = __fc::ContractInfo {
            name: "Audited",
            default: false,
            transactions: &[
                __fc::TxInfo {
                    name: "Put",
                    kind: __fc::TxKind::Submit,
                    init: false,
                    require: &[],
                },
                __fc::TxInfo {
                    name: "Get",
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
                        __fc::returns_doc(<String as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<Result<String, ContractError>>::new())
                                .error_codes(),
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
                        ]),
                        __fc::Vec::from([]),
                        __fc::returns_doc(<String as __fc::TxReturn>::schema(generator)),
                        __fc::select_errors(
                            (&&__fc::ErrorsOf::<String>::new()).error_codes(),
                            __fc::None,
                        ),
                    ),
                ]),
                __fc::Vec::from([]),
            )
        }
        const HOOKED: bool = true;
        fn call<'a>(
            &'a self,
            index: usize,
            ctx: &'a Self::Context,
            args: &'a [__fc::Bytes],
        ) -> __fc::TxFuture<'a, __fc::Returned> {
            match index {
                0usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "Put";
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
                            .Put(
                                <AuditCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
                                __arg0,
                            )
                            .await
                        {
                            __fc::Ok(value) => {
                                <String as __fc::TxReturn>::encode_returned(value)
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
                1usize => {
                    __fc::Box::pin(async move {
                        const TX: &str = "Get";
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
                        <String as __fc::TxReturn>::encode_returned(
                            self
                                .Get(
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
        fn before<'a>(&'a self, ctx: &'a mut Self::Context) -> __fc::TxFuture<'a, ()> {
            __fc::Box::pin(async move {
                const HOOK: &str = "Audited's #[before] hook";
                let __transient0 = __fc::transient_arg(
                    HOOK,
                    __fc::base(&*ctx),
                    "caller",
                    <Option<String> as __fc::TxArg>::decode,
                    <Option<String> as __fc::TxArg>::absent,
                )?;
                <() as __fc::HookOutput>::finish(
                    self
                        .fill(
                            {
                                let ctx: &mut AuditCtx = ctx;
                                ctx
                            },
                            __transient0,
                        )
                        .await,
                )
            })
        }
        fn after<'a>(
            &'a self,
            ctx: &'a Self::Context,
            returned: &'a __fc::Returned,
        ) -> __fc::TxFuture<'a, ()> {
            __fc::Box::pin(async move {
                <Result<
                    (),
                    ContractError,
                > as __fc::HookOutput>::finish(
                    self
                        .check(
                            <AuditCtx as __fc::IsHookCtx<Self::Context>>::get(ctx),
                            <Returned as __fc::AfterArg>::get(returned),
                        )
                        .await,
                )
            })
        }
    }
};
