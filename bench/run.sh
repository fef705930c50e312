#!/usr/bin/env bash
# bench/run.sh — throughput of each design on the reference study, one design at a time on one
# rank, as design-trials per second per core (median of REPS runs), and each design's ratio to
# the 3+3 measured in the same run; then the wall time of `doseval exact` on the whole study.
# usage: bash bench/run.sh [path/to/doseval]   (env: TRIALS, REPS, DESIGNS)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
cd "$(dirname "$0")/.."
config=${CONFIG:-configs/nct05563545.yaml}
trials=${TRIALS:-1000000}
reps=${REPS:-5}
designs=${DESIGNS:-"3+3 BOIN CRM"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

field() { sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "reference study: $config, $trials trials per scenario, median of $reps runs, 1 rank"
printf "%-12s %22s %14s\n" design "trials/s per core" "vs 3+3"
base=""
for d in $designs; do
  for r in $(seq "$reps"); do
    "$doseval" run "$config" --design "$d" --trials "$trials" --quiet --out "$tmp/$r" >/dev/null
    field trials_per_second_per_core "$tmp/$r/summary.json"
  done | median >"$tmp/median"
  m=$(cat "$tmp/median")
  [ -z "$base" ] && base=$m
  printf "%-12s %22.0f %14.2f\n" "$d" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN {print a / b}')"
done
for r in $(seq "$reps"); do
  "$doseval" exact "$config" --out "$tmp/exact" >/dev/null
  field wall_seconds "$tmp/exact/summary.json"
done | median >"$tmp/exact_median"
echo "exact, every design and scenario: $(cat "$tmp/exact_median") s (median of $reps)"
