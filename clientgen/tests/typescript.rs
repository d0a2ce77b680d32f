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
    // Too long for one line: one parameter per line, as Prettier breaks it.
    assert!(ts.contains(
        "    async submitCreateAsset(\n        id: string,\n        color: string,\n        size: number | bigint,\n        owner: string,\n        appraisedValue: number | bigint,\n    ): Promise<void> {\n"
    ));
    assert!(ts.contains(
        "const args: string[] = [id, color, String(size), owner, String(appraisedValue)];"
    ));
    assert!(ts.contains("this.#contract.submit(this.#name('CreateAsset'), { arguments: args })"));
    assert!(ts.contains("async evaluateReadAsset(id: string): Promise<Asset> {"));
    assert!(ts.contains("return json<Asset>(bytes);"));
    assert!(ts.contains("async evaluateAssetExists(id: string): Promise<boolean> {"));
    assert!(ts.contains("return text(bytes) === 'true';"));
    assert!(ts.contains("async evaluateGetAllAssets(): Promise<Asset[]> {"));
    assert!(ts.contains("return json<Asset[]>(bytes, []);"));
    assert!(
        ts.contains("async submitTransferAsset(id: string, newOwner: string): Promise<string> {")
    );
    assert!(ts.contains("): Promise<{ result: string; commit: SubmittedTransaction }> {"));
    assert!(ts.contains("return { result: text(bytes), commit };"));
    assert!(ts.contains("async submitAsyncUpdateAsset("));
    // No published codes: no error subclasses, only the base class.
    assert!(!ts.contains("extends ContractError"));
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

const CODED: &str = r##"{"info":{"title":"t","version":"2"},
  "components":{"schemas":{"Pair":{"$id":"Pair","properties":{"b":{"type":"integer","format":"int64"}},"required":["b"]}}},
  "contracts":{"Other":{"name":"Other","default":false,"transactions":[
    {"name":"Put","tag":["submit"],"parameters":[{"name":"p","schema":{"$ref":"#/components/schemas/Pair"}},
      {"name":"n","schema":{"type":"integer","format":"int32"},"required":false}],
     "x-transient":[{"name":"secret_pair","schema":{"$ref":"#/components/schemas/Pair"}},
       {"name":"note","schema":{"type":"string"},"required":false}],
     "x-errors":[{"code":"SAME_OWNER","status":409,"message":"{0} already owns {1}"},
       {"code":"LOW","status":400,"message":"balance {have} < {want} ({{units}}) of {have}"},
       {"code":"GONE","status":404,"message":"gone"}]},
    {"name":"Count","tag":["evaluate"],"returns":{"type":"integer","format":"int64"}}]}}}"##;

#[test]
fn error_classes_transient_data_and_bigint() {
    let ts = fabric_contract_clientgen::typescript(CODED).unwrap();
    if let Some(path) = std::env::var_os("CLIENTGEN_DUMP") {
        std::fs::write(path, &ts).unwrap();
    }
    // JSON fields stay numbers; text-encoded 64-bit results are bigints.
    assert!(
        ts.contains("export interface Pair {\n    b: number;\n}"),
        "{ts}"
    );
    assert!(ts.contains("async evaluateCount(): Promise<bigint> {"));
    assert!(ts.contains("return BigInt(text(bytes));"));
    // Optional trailing argument, transient entries (required and optional).
    assert!(ts.contains(
        "async submitPut(p: Pair, n: number | undefined, secretPair: Pair, note?: string): Promise<void> {"
    ), "{ts}");
    assert!(ts.contains(
        "        if (n !== undefined) {\n            args.push(String(n));\n        }\n"
    ));
    assert!(ts.contains("        const transientData = {\n            secret_pair: JSON.stringify(secretPair),\n            ...(note === undefined ? {} : { note: note }),\n        };\n"), "{ts}");
    assert!(
        ts.contains("this.#contract.submit(this.#name('Put'), { arguments: args, transientData })")
    );
    // One class per code, with the values of its template.
    assert!(ts.contains("export class SameOwnerError extends ContractError {\n    /** The values the message carries, in the template's order. */\n    readonly data: readonly [string, string];\n"), "{ts}");
    assert!(ts.contains("export class LowError extends ContractError {"));
    assert!(ts.contains("readonly data: { readonly have: string; readonly want: string };"));
    assert!(ts.contains("export class GoneError extends ContractError {\n    constructor(status: number | undefined, detail: string, options?: { cause?: unknown }) {\n        super(status, 'GONE', detail, options);"), "{ts}");
    assert!(ts.contains("const m = /^balance ([\\s\\S]*?) < ([\\s\\S]*?) \\(\\{units\\}\\) of ([\\s\\S]*?)$/.exec(f.detail);"), "{ts}");
    assert!(
        ts.contains(
            "return new LowError(f.status, f.detail, { have: m[1], want: m[2] }, options);"
        )
    );
    assert!(ts.contains("return new SameOwnerError(f.status, f.detail, [m[1], m[2]], options);"));
    assert!(ts.contains("if (f.detail === 'gone') {\n                return new GoneError(f.status, f.detail, options);"));
}

#[test]
fn bad_metadata_is_a_typed_error() {
    let e = fabric_contract_clientgen::typescript("not json").unwrap_err();
    assert!(matches!(e, fabric_contract_clientgen::Error::Json(_)));
    let e = fabric_contract_clientgen::typescript("{}").unwrap_err();
    assert!(e.to_string().contains("expected an `info` object"), "{e}");
}
