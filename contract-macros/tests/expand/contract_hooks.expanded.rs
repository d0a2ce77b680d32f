impl Assets {
    async fn Ping(&self, ctx: &EvaluateCtx) -> String {
        String::new()
    }
    async fn audit(&self, ctx: &EvaluateCtx) -> Result<(), ContractError> {
        Ok(())
    }
    async fn log(&self, ctx: &EvaluateCtx, payload: &[u8]) {}
    async fn fallback(
        &self,
        ctx: &EvaluateCtx,
        function: &str,
    ) -> Result<String, ContractError> {
        Ok(function.to_string())
    }
}
const _: () = {
    use ::fabric_contract::__private as __fc;
    use __fc::{ViaCodes as _, ViaNone as _};
    impl __fc::Contract for Assets {
        type Context = __fc::SubmitCtx;
        const INFO: __fc::ContractInfo = __fc::ContractInfo {
            name: "Assets",
            default: false,
            transactions: &[
                __fc::TxInfo {
                    name: "Ping",
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
                        __fc::Vec::from([]),
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
                        const TX: &str = "Ping";
                        const REQUIRED: usize = __fc::required_count(&[]);
                        __fc::check_count(args, REQUIRED, 0usize)?;
                        <String as __fc::TxReturn>::encode_returned(
                            self
                                .Ping(
                                    <EvaluateCtx as __fc::IsEvaluateCtx<
                                        Self::Context,
                                    >>::get(ctx),
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
                    ContractError,
                > as __fc::HookOutput>::finish(
                    self
                        .audit(<EvaluateCtx as __fc::IsHookCtx<Self::Context>>::get(ctx))
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
                <() as __fc::HookOutput>::finish(
                    self
                        .log(
                            <EvaluateCtx as __fc::IsHookCtx<Self::Context>>::get(ctx),
                            <[u8] as __fc::AfterArg>::get(returned),
                        )
                        .await,
                )
            })
        }
        fn unknown<'a>(
            &'a self,
            ctx: &'a Self::Context,
            function: &'a str,
        ) -> __fc::Option<__fc::TxFuture<'a, __fc::Returned>> {
            __fc::Some(
                __fc::Box::pin(async move {
                    <Result<
                        String,
                        ContractError,
                    > as __fc::TxOutput>::into_returned(
                        self
                            .fallback(
                                <EvaluateCtx as __fc::IsHookCtx<Self::Context>>::get(ctx),
                                function,
                            )
                            .await,
                    )
                }),
            )
        }
    }
};
