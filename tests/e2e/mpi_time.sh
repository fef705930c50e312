#!/usr/bin/env bash
# mpi_time.sh — a study with time (SPEC section 11) gives the same oc.csv on 1, 2 and 3 ranks, as
# 3 shards merged, and after a SIGTERM and --resume on another number of ranks: the arrival gaps
# and onsets come from each trial's own segment of the time stream, and the time counters are
# integers that sum exactly (README, "How randomness is assigned").
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$repo/tests/e2e/lib/same_bits.sh"
# the reference study, timed since issue 28 (a 28-day window, poisson arrivals every 15.2 days,
# Weibull onset)
config="$repo/configs/nct05563545.yaml"
grep -q 'dlt_window: 28' "$config" || fail "no time in $config"

same_bits 20000 300000 "$config"
grep -q ',duration_mean,' "$tmp/one/oc.csv" || fail "no duration_mean in oc.csv"
grep -q ',duration_q,90,' "$tmp/one/oc.csv" || fail "no duration_q 90 in oc.csv"
grep -q ',turned_away_mean,' "$tmp/one/oc.csv" || fail "no turned_away_mean in oc.csv"
grep -q ',duration_mean_diff,' "$tmp/one/oc.csv" || fail "no duration_mean_diff in oc.csv"
grep -q '"duration_mean"' "$tmp/one/summary.json" || fail "no duration_mean in summary.json"
echo "ok: time is the same bits on 1, 2, 3 ranks, 3 shards merged, and resumed"
