const _: () = {
    use ::fabric_contract::__private as __fc;
    impl __fc::ErrorCodes for AuctionError {
        fn error_codes() -> __fc::Vec<(&'static str, __fc::ErrorDoc)> {
            __fc::Vec::from([
                (
                    "AuctionExists",
                    __fc::error_doc("AUCTION_EXISTS", 409, "auction {0} already exists"),
                ),
                (
                    "BadBid",
                    __fc::error_doc(
                        "BAD_BID",
                        500u16,
                        "expected {expected}, got {actual}",
                    ),
                ),
            ])
        }
    }
    impl ::core::fmt::Display for AuctionError {
        #[allow(unused_variables)]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                AuctionError::AuctionExists(_0) => {
                    ::core::write!(f, "auction {_0} already exists")
                }
                AuctionError::BadBid { expected, actual } => {
                    ::core::write!(f, "expected {expected}, got {actual:?}")
                }
                AuctionError::Framework(_0) => ::core::fmt::Display::fmt(_0, f),
            }
        }
    }
    impl ::std::error::Error for AuctionError {
        #[allow(unused_variables)]
        fn source(
            &self,
        ) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                AuctionError::AuctionExists(_0) => ::core::option::Option::None,
                AuctionError::BadBid { expected, actual } => ::core::option::Option::None,
                AuctionError::Framework(_0) => {
                    ::core::option::Option::Some(
                        _0 as &(dyn ::std::error::Error + 'static),
                    )
                }
            }
        }
    }
    impl ::core::convert::From<ContractError> for AuctionError {
        fn from(source: ContractError) -> Self {
            AuctionError::Framework(source)
        }
    }
    impl ::core::convert::From<__fc::framework::StubError> for AuctionError {
        fn from(error: __fc::framework::StubError) -> Self {
            <Self as ::core::convert::From<
                __fc::ContractError,
            >>::from(::core::convert::From::from(error))
        }
    }
    impl ::core::convert::From<__fc::framework::EventError> for AuctionError {
        fn from(error: __fc::framework::EventError) -> Self {
            <Self as ::core::convert::From<
                __fc::ContractError,
            >>::from(::core::convert::From::from(error))
        }
    }
    impl ::core::convert::From<__fc::framework::JsonError> for AuctionError {
        fn from(error: __fc::framework::JsonError) -> Self {
            <Self as ::core::convert::From<
                __fc::ContractError,
            >>::from(::core::convert::From::from(error))
        }
    }
    impl ::core::convert::From<__fc::framework::IdentityError> for AuctionError {
        fn from(error: __fc::framework::IdentityError) -> Self {
            <Self as ::core::convert::From<
                __fc::ContractError,
            >>::from(::core::convert::From::from(error))
        }
    }
    impl ::core::convert::From<__fc::framework::StateError> for AuctionError {
        fn from(error: __fc::framework::StateError) -> Self {
            <Self as ::core::convert::From<
                __fc::ContractError,
            >>::from(::core::convert::From::from(error))
        }
    }
    impl ::core::convert::From<__fc::framework::ArgError> for AuctionError {
        fn from(error: __fc::framework::ArgError) -> Self {
            <Self as ::core::convert::From<
                __fc::ContractError,
            >>::from(::core::convert::From::from(error))
        }
    }
    impl ::core::convert::From<AuctionError> for __fc::ContractError {
        #[allow(unused_variables)]
        fn from(error: AuctionError) -> Self {
            let (code, status): (::core::option::Option<&'static str>, u16) = match &error {
                AuctionError::AuctionExists(_0) => {
                    (::core::option::Option::Some("AUCTION_EXISTS"), 409)
                }
                AuctionError::BadBid { expected, actual } => {
                    (::core::option::Option::Some("BAD_BID"), 500u16)
                }
                AuctionError::Framework(_0) => (::core::option::Option::None, 500u16),
            };
            let message = ::std::string::ToString::to_string(&error);
            let built = __fc::ContractError::new(message).with_status(status);
            match code {
                ::core::option::Option::Some(code) => built.with_code(code),
                ::core::option::Option::None => built,
            }
        }
    }
};
