#!/usr/bin/env bash
# Builds the benchmark's chaincode binaries the lean way, into $OUT (default target/lean):
#
#   1. profile `lean` (whole-program LTO, one codegen unit), statically linked, not
#      position-independent: no shared libraries to map and no relocations to write at start-up;
#   2. each binary run under callgrind through every workload (a few hundred transactions per
#      cell, both Fabric profiles) to learn which functions it executes;
#   3. each binary linked again with those functions first (LLD's --symbol-ordering-file), so the
#      code a chaincode runs sits in a few contiguous pages instead of across the whole binary.
#
# Needs valgrind (Debian: apt-get install valgrind) and the Rust toolchain's default LLD linker
# (Rust >= 1.90 on x86_64 Linux). The same steps apply to any chaincode crate: see
# book/src/performance.md, "Lean builds".
#
#   tests/bench/lean-build.sh            # then: target/release/bench with --contender NAME=target/lean/BIN
set -euo pipefail
cd "$(dirname "$0")/../.."

target=x86_64-unknown-linux-gnu
out=${OUT:-target/lean}
target_dir=${CARGO_TARGET_DIR:-target}
bins=(contender-contract contender-raw ledger-floor bare-chaincode)
export RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static"

command -v valgrind >/dev/null || { echo "lean-build: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

# The driver and the ordering tool, built as usual (not static: they are not measured).
env -u RUSTFLAGS cargo build --release -p fabric-contract-bench --bin bench --bin hot-order
bench="$target_dir/release/bench"
hot_order="$target_dir/release/hot-order"

bin_args=()
for bin in "${bins[@]}"; do bin_args+=(--bin "$bin"); done
cargo build --profile lean --target "$target" -p fabric-contract-bench "${bin_args[@]}"

mkdir -p "$out"
profiles=$(mktemp -d)
trap 'rm -rf "$profiles"' EXIT
for bin in "${bins[@]}"; do
    built="$target_dir/$target/lean/$bin"
    for fabric in 2.5 3.1; do
        "$bench" -n 300 --warmup 30 -c 1,32 -f "$fabric" \
            --contender "profiled=valgrind --tool=callgrind --demangle=no --callgrind-out-file=$profiles/$bin.%p $built" \
            >/dev/null
    done
    "$hot_order" "$profiles/$bin.order" "$profiles/$bin".[0-9]*
    cargo rustc --profile lean --target "$target" -p fabric-contract-bench --bin "$bin" -- \
        -C "link-arg=-Wl,--symbol-ordering-file=$profiles/$bin.order" \
        -C "link-arg=-Wl,--no-warn-symbol-ordering"
    cp "$built" "$out/$bin"
done
echo "lean-build: ${bins[*]} in $out"
