//! Micro-benchmarks of the per-transaction codec work of the `#[contract]`
//! path: argument decoding, result encoding, composite-key encoding, and
//! metadata generation (once per `GetMetadata`).
//!
//! `cargo bench -p fabric-contract-bench --features criterion --bench codec` (criterion is optional,
//! so the workspace's test builds do not compile it).

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fabric_contract::contract::{TxArg, TxReturn};
use fabric_contract::ledger::{create_composite_key, split_composite_key};
use fabric_contract::metadata_json;
use fabric_contract::prelude::*;

/// The asset of asset-transfer-basic.
#[object]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Asset {
    #[serde(rename = "ID")]
    pub id: String,
    pub color: String,
    pub size: u32,
    pub owner: String,
    pub appraised_value: u64,
}

fn asset(i: usize) -> Asset {
    Asset {
        id: format!("asset{i}"),
        color: "blue".into(),
        size: 5,
        owner: "Tomoko".into(),
        appraised_value: 300,
    }
}

/// Enough of asset-transfer-basic's interface for a realistic metadata document.
#[derive(Default)]
pub struct Basic;

#[contract(name = "Basic", default)]
impl Basic {
    /// Creates an asset.
    #[submit(name = "CreateAsset")]
    async fn create(
        &self,
        _ctx: &SubmitCtx,
        id: String,
        color: String,
        size: u32,
        owner: String,
        appraised_value: u64,
    ) -> Result<(), StubError> {
        black_box((id, color, size, owner, appraised_value));
        Ok(())
    }

    /// Reads an asset.
    #[evaluate(name = "ReadAsset")]
    async fn read(&self, _ctx: &EvaluateCtx, id: String) -> Result<Asset, StubError> {
        Ok(Asset { id, ..asset(0) })
    }

    /// Changes the owner.
    #[submit(name = "TransferAsset")]
    async fn transfer(
        &self,
        _ctx: &SubmitCtx,
        id: String,
        new_owner: String,
    ) -> Result<String, StubError> {
        Ok(format!("{id}{new_owner}"))
    }

    /// Every asset.
    #[evaluate(name = "GetAllAssets")]
    async fn all(&self, _ctx: &EvaluateCtx) -> Result<Vec<Asset>, StubError> {
        Ok(Vec::new())
    }
}

fn arguments(c: &mut Criterion) {
    let mut g = c.benchmark_group("args");
    g.bench_function("string", |b| {
        b.iter(|| String::decode(black_box(b"asset12345")).unwrap())
    });
    g.bench_function("u32", |b| {
        b.iter(|| u32::decode(black_box(b"300")).unwrap())
    });
    let json = serde_json::to_vec(&asset(7)).unwrap();
    g.bench_function("object", |b| {
        b.iter(|| Asset::decode(black_box(&json)).unwrap())
    });
    g.finish();
}

fn results(c: &mut Criterion) {
    let mut g = c.benchmark_group("results");
    g.bench_function("object", |b| {
        b.iter_batched(
            || asset(7),
            |a| a.encode().unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("vec_100_objects", |b| {
        b.iter_batched(
            || (0..100).map(asset).collect::<Vec<_>>(),
            |v| v.encode().unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("string", |b| {
        b.iter_batched(
            || String::from("Tomoko"),
            |s| s.encode().unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn keys(c: &mut Criterion) {
    let mut g = c.benchmark_group("keys");
    g.bench_function("create_composite", |b| {
        b.iter(|| {
            create_composite_key(black_box("asset"), black_box(&["blue", "asset12345"])).unwrap()
        })
    });
    let key = create_composite_key("asset", &["blue", "asset12345"]).unwrap();
    g.bench_function("split_composite", |b| {
        b.iter(|| split_composite_key(black_box(&key)).unwrap())
    });
    g.finish();
}

fn metadata(c: &mut Criterion) {
    c.bench_function("metadata/basic_contract", |b| {
        b.iter(|| metadata_json::<Basic>().unwrap())
    });
}

criterion_group!(benches, arguments, results, keys, metadata);
criterion_main!(benches);
