//! The TypeScript generator on the asset-transfer-basic metadata.

use std::path::Path;

fn basic_metadata() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/asset-transfer-basic/metadata.json");
    std::fs::read_to_string(path).expect("asset-transfer-basic metadata.json")
}

#[test]
fn committed_asset_transfer_basic_client_is_current() {
    let generated = fabric_contract_clientgen::typescript(&basic_metadata()).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/asset-transfer-basic/clients/ts/client.ts");
    if std::env::var_os("CLIENTGEN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).expect("committed client");
    assert_eq!(
        committed, generated,
        "the committed client is stale; regenerate with CLIENTGEN_BLESS=1"
    );
}

#[test]
fn typed_methods_match_tags_and_wire_format() {
    let ts = fabric_contract_clientgen::typescript(&basic_metadata()).unwrap();
    assert!(ts.contains("// Chaincode: asset-transfer-basic 1.0.0\n"));
    assert!(ts.contains("// Metadata sha256: "));
    assert!(ts.contains("export interface Asset {\n"));
    assert!(ts.contains("    AppraisedValue: number;\n"));
    assert!(ts.contains("export class SmartContractClient {"));
    assert!(!ts.contains("GetMetadata"), "system contract excluded");
    assert!(ts.contains(
        "async submitCreateAsset(id: string, color: string, size: number, owner: string, appraisedValue: number): Promise<void>"
    ));
    assert!(ts.contains("String(size)"));
    assert!(ts.contains("async evaluateReadAsset(id: string): Promise<Asset>"));
    assert!(ts.contains("async evaluateAssetExists(id: string): Promise<boolean>"));
    assert!(ts.contains("return utf8.decode(bytes) === 'true';"));
    assert!(ts.contains("async evaluateGetAllAssets(): Promise<Asset[]>"));
    assert!(
        ts.contains("async submitTransferAsset(id: string, newOwner: string): Promise<string>")
    );
    assert!(ts.contains("async submitAsyncUpdateAsset("));
    assert!(!ts.contains("submitReadAsset"));
    assert!(ts.ends_with("}\n") && !ts.ends_with("\n\n"));
}

#[test]
fn output_is_deterministic_and_named_contracts_are_prefixed() {
    let md = r##"{"info":{"title":"t","version":"2"},"components":{"schemas":{"Pair":{"properties":{"b":{"type":"integer"},"a":{"type":"string"}},"required":["a"]}}},
      "contracts":{"Other":{"name":"Other","default":false,"transactions":[{"name":"Put","tag":["submit"],"parameters":[{"name":"p","schema":{"$ref":"#/components/schemas/Pair"}}]}]}}}"##;
    let a = fabric_contract_clientgen::typescript(md).unwrap();
    assert_eq!(a, fabric_contract_clientgen::typescript(md).unwrap());
    assert!(a.contains("    a: string;\n    b?: number;\n"), "{a}");
    assert!(a.contains("return 'Other:' + transaction;"));
    assert!(a.contains("JSON.stringify(p)"));
}

#[test]
fn bad_metadata_is_a_typed_error() {
    let e = fabric_contract_clientgen::typescript("not json").unwrap_err();
    assert!(matches!(e, fabric_contract_clientgen::Error::Json(_)));
    let e = fabric_contract_clientgen::typescript("{}").unwrap_err();
    assert!(e.to_string().contains("expected an `info` object"), "{e}");
}
