#!/usr/bin/env bash
# mpi_pending_time.sh — the designs that read pending patients (TITE-BOIN, TITE-CRM, rolling 6;
# SPEC sections 11 and 12) in `doseval run` on the reference study with time
# (configs/nct05563545_time.yaml), beside the protocol's 3+3: the same oc.csv on 1, 2 and 3 ranks,
# as 3 shards merged, and after a SIGTERM and --resume on 2 ranks (every trial reads only its own
# segments of the patients' and the time streams; the counters are integers). The pending designs'
# duration and turned-away rows are there, and `exact` refuses them with a message (exit 2).
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$repo/tests/e2e/lib/same_bits.sh"
config="$repo/configs/nct05563545_time.yaml"
sel=(--design "3+3" --design "TITE-BOIN" --design "TITE-CRM" --design "rolling 6")
trials=4000

same_bits $trials 40000 "$config" "${sel[@]}"
for d in TITE-BOIN TITE-CRM "rolling 6"; do
  for m in duration_mean duration_sd turned_away_mean; do
    grep -q "^MTD at dose 2,$d,$m,," "$tmp/one/oc.csv" || fail "no $m of $d in oc.csv"
  done
done
grep -q ',3+3 vs rolling 6,duration_mean_diff,,' "$tmp/one/oc.csv" || fail "no paired duration with rolling 6"

# exact has no clock: a clear refusal, no output
set +e
"$doseval" exact "$config" "${sel[@]}" --out "$tmp/exact" >/dev/null 2>"$tmp/exact.err"
code=$?
set -e
[ $code -eq 2 ] || fail "exact with a pending design on a timed study: exit $code, want 2"
grep -q "reads pending patients" "$tmp/exact.err" || fail "exact's message: $(cat "$tmp/exact.err")"
[ ! -e "$tmp/exact/oc.csv" ] || fail "exact left an oc.csv"
echo "ok: pending designs with time are the same bits on 1, 2, 3 ranks, 3 shards merged, resumed"
