impl Assets {
    async fn Delete(&self, ctx: &SubmitCtx, id: String) {}
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
                    name: "Delete",
                    kind: __fc::TxKind::Submit,
                    init: false,
                    require: &[
                        __fc::Requirement {
                            msp: &["Org1MSP", "Org2MSP"],
                            attrs: &[],
                            ous: &[],
                        },
                        __fc::Requirement {
                            msp: &[],
                            attrs: &[("role", "admin")],
                            ous: &["client"],
                        },
                    ],
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
                        const TX: &str = "Delete";
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
                        <() as __fc::TxReturn>::encode_returned(
                            self
                                .Delete(
                                    <SubmitCtx as __fc::IsSubmitCtx<Self::Context>>::get(ctx),
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
