#!/usr/bin/env bash
# run.sh SECONDS — builds the libFuzzer targets (clang, into build-fuzz/) and runs each for
# SECONDS: fuzz_config on the configs of configs/ and tests/data/ (bad ones too), fuzz_counters on
# counter files made now by the gcc build (so they follow the current format), fuzz_outcomes on
# outcome strings. They run side by side. Exits 1 if any finds a crash, a leak, a timeout (-timeout=10) or
# runs out of memory (-rss_limit_mb=2048), printing the reproducer's path. Every input in
# tests/fuzz/regress/TARGET/ is replayed first. See tests/fuzz/README.md.
# Usage: bash tests/fuzz/run.sh SECONDS
set -euo pipefail
if [[ $# -ne 1 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 SECONDS" >&2
  exit 2
fi
seconds=$1
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
fuzz="$repo/tests/fuzz"
out="$repo/build-fuzz"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

cmake -S . -B "$out" -DFUZZ=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$out" -j "$(nproc)" --target fuzz_config fuzz_counters fuzz_outcomes >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target doseval >/dev/null

# Seeds, fresh each time; the corpora in build-fuzz/corpus/ grow from run to run.
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/fuzz_config" "$seeds/fuzz_counters" "$seeds/fuzz_outcomes" \
  "$out/corpus/fuzz_config" "$out/corpus/fuzz_counters" "$out/corpus/fuzz_outcomes"
for s in "1NNN 2NTN" "1NNTN 3TTT 2N" "0NNN" "1NXN" "2" "16TTTTTTTT 1N"; do
  printf '%s' "$s" >"$seeds/fuzz_outcomes/$(printf '%s' "$s" | md5sum | cut -c1-12)"
done
cp configs/*.yaml tests/data/*.yaml tests/data/bad/*.yaml "$seeds/fuzz_config/"
gen="$seeds/gen"
build/doseval run configs/nct05563545.yaml --trials 50 --quiet --out "$gen/ref" >/dev/null
build/doseval run tests/data/valid_defaults.yaml --trials 5 --shard 1/2 --quiet \
  --out "$gen/shard" >/dev/null
cp "$gen/ref/counters.dvc" "$seeds/fuzz_counters/ref.dvc"
cp "$gen/shard/counters.dvc" "$seeds/fuzz_counters/shard.dvc"
# a checkpoint of several parts: the run killed at its 4th rename (the first of its result set,
# after the three that put its first checkpoint in place)
if command -v strace >/dev/null; then
  (strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
    -e inject=rename,renameat,renameat2:signal=SIGKILL:when=4 \
    build/doseval run configs/nct05563545.yaml --trials 50000 --quiet --out "$gen/parts") \
    >/dev/null 2>&1 || true
  [ -f "$gen/parts/counters.dvc" ] && cp "$gen/parts/counters.dvc" "$seeds/fuzz_counters/parts.dvc"
fi
rm -rf "$gen"

status=0
for t in fuzz_config fuzz_counters fuzz_outcomes; do
  shopt -s nullglob
  regress=("$fuzz/regress/$t"/*)
  shopt -u nullglob
  if [[ ${#regress[@]} -gt 0 ]]; then
    if ! "$out/tests/fuzz/$t" -timeout=10 -rss_limit_mb=2048 "${regress[@]}" >"$out/$t.regress.log" 2>&1; then
      echo "FAIL: $t: a regression input crashes again (tests/fuzz/regress/$t/):" >&2
      tail -40 "$out/$t.regress.log" >&2
      status=1
    fi
  fi
done
[[ $status -eq 0 ]] || exit 1

declare -A pid
for t in fuzz_config fuzz_counters fuzz_outcomes; do
  dict="$fuzz/config.dict"
  [[ $t == fuzz_counters ]] && dict="$fuzz/counters.dict"
  [[ $t == fuzz_outcomes ]] && dict="$fuzz/outcomes.dict"
  rm -rf "$out/artifacts/$t"
  mkdir -p "$out/artifacts/$t"
  "$out/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="$dict" -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 \
    "$out/corpus/$t" "$seeds/$t" >"$out/$t.log" 2>&1 &
  pid[$t]=$!
done
for t in fuzz_config fuzz_counters fuzz_outcomes; do
  rc=0
  wait "${pid[$t]}" || rc=$?
  found=$(find "$out/artifacts/$t" -type f | sort)
  if [[ $rc -ne 0 || -n $found ]]; then
    echo "FAIL: $t exited $rc; its log: $out/$t.log" >&2
    grep -E '^==[0-9]+==ERROR|^SUMMARY|^#[0-9]+ *DONE' "$out/$t.log" >&2 || tail -20 "$out/$t.log" >&2
    for f in $found; do
      echo "  reproducer: $f (replay: $out/tests/fuzz/$t $f)" >&2
    done
    status=1
  else
    runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$out/$t.log" | grep -oE '[0-9]+$' || echo "?")
    echo "ok: $t: $runs inputs in ${seconds} s, no crash ($(ls "$out/corpus/$t" | wc -l) in its corpus)"
  fi
done
exit $status
