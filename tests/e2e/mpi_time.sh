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
config="$tmp/timed.yaml"
# the reference study with time (a 28-day window, poisson arrivals every 15.2 days, Weibull
# onset); the reference config itself once it has them
if grep -q '^  dlt_window:' "$repo/configs/nct05563545.yaml"; then
  cp "$repo/configs/nct05563545.yaml" "$config"
else
  sed 's/^  start_dose: 1$/  start_dose: 1\n  dlt_window: 28\n  accrual: {mean_interval: 15.2, process: poisson}\n  dlt_onset: {distribution: weibull, late_fraction: 0.5}/' \
    "$repo/configs/nct05563545.yaml" >"$config"
fi
grep -q 'dlt_window: 28' "$config" || fail "no time in $config"
trials=20000

"$doseval" run "$config" --trials $trials --quiet --out "$tmp/one" >/dev/null
grep -q ',duration_mean,' "$tmp/one/oc.csv" || fail "no duration_mean in oc.csv"
grep -q ',duration_q,90,' "$tmp/one/oc.csv" || fail "no duration_q 90 in oc.csv"
grep -q ',turned_away_mean,' "$tmp/one/oc.csv" || fail "no turned_away_mean in oc.csv"
grep -q ',duration_mean_diff,' "$tmp/one/oc.csv" || fail "no duration_mean_diff in oc.csv"
grep -q '"duration_mean"' "$tmp/one/summary.json" || fail "no duration_mean in summary.json"
for np in 2 3; do
  mpirun --oversubscribe -np $np "$doseval" run "$config" --trials $trials --quiet \
    --out "$tmp/np$np" >/dev/null
  cmp "$tmp/one/oc.csv" "$tmp/np$np/oc.csv" || fail "$np ranks differ from 1"
done
for i in 0 1 2; do
  "$doseval" run "$config" --trials $trials --shard $i/3 --quiet --out "$tmp/shard$i" >/dev/null
done
"$doseval" merge "$tmp/shard0" "$tmp/shard1" "$tmp/shard2" --out "$tmp/merged" >/dev/null
cmp "$tmp/one/oc.csv" "$tmp/merged/oc.csv" || fail "3 shards merged differ from the whole run"

# killed once a checkpoint exists, resumed on 2 ranks
big=300000
"$doseval" run "$config" --trials $big --quiet --out "$tmp/whole" >/dev/null
"$doseval" run "$config" --trials $big --quiet --out "$tmp/killed" --checkpoint-every 1 \
  >/dev/null 2>"$tmp/err" &
pid=$!
for _ in $(seq 400); do
  [ -f "$tmp/killed/counters.dvc" ] && break
  sleep 0.05
done
kill -TERM $pid 2>/dev/null || true
wait $pid || true
[ -f "$tmp/killed/counters.dvc" ] || fail "no checkpoint to resume from"
mpirun --oversubscribe -np 2 "$doseval" run "$config" --trials $big --quiet --out "$tmp/killed" \
  --resume >/dev/null
cmp "$tmp/whole/oc.csv" "$tmp/killed/oc.csv" || fail "resumed run differs from the whole run"
echo "ok: time is the same bits on 1, 2, 3 ranks, 3 shards merged, and resumed"
