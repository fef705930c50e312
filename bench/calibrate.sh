#!/usr/bin/env bash
# bench/calibrate.sh — issue 31's scale: `doseval calibrate` of the reference study's three-dose
# CRM over a 10 x 10 grid (skeleton.halfwidth x prior_sd) on 10^4 pseudo-uniform curves (and the
# six named scenarios): 10^6 exact evaluations. Measures the whole grid on one core, then the
# same grid cut into N shards as a Slurm array would run them (each task's CPU and wall time,
# run one after another here), the merge, and checks that the merge gives the whole run's bytes.
# usage: bash bench/calibrate.sh [path/to/doseval]   (env: CURVES (10000), SHARDS ("10 100"))
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
cd "$(dirname "$0")/.."
curves=${CURVES:-10000}
shards=${SHARDS:-"10 100"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ sed '/^simulation:/d' configs/nct05563545.yaml
  echo "random_scenarios: {count: $curves, method: pseudo-uniform}"
  echo "simulation: {trials: 100000, seed: 20261124}"; } >"$tmp/cfg.yaml"
grid=(--design CRM --grid skeleton.halfwidth=0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.10,0.11,0.12
  --grid prior_sd=0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.1576,1.3,1.4)
measure() { # command... -> "wall user rss_mb"
  /usr/bin/time -f "%e %U %M" -o "$tmp/time" "$@" >/dev/null
  awk '{printf "%s %s %.1f", $1, $2, $3 / 1024}' "$tmp/time"
}
read -r wall user rss <<<"$(measure "$doseval" calibrate "$tmp/cfg.yaml" "${grid[@]}" --out "$tmp/whole")"
evals=$((100 * (curves + 6)))
printf "whole grid, one core: %s s wall, %s s CPU, %s MB; %d evaluations, %.1f us CPU each\n" \
  "$wall" "$user" "$rss" "$evals" "$(awk -v u="$user" -v n="$evals" 'BEGIN {print u / n * 1e6}')"
for n in $shards; do
  max=0 sum=0 first=""
  dirs=()
  for ((i = 0; i < n; i++)); do
    read -r w u r <<<"$(measure "$doseval" calibrate "$tmp/cfg.yaml" "${grid[@]}" --shard "$i/$n" --out "$tmp/s$n-$i")"
    dirs+=("$tmp/s$n-$i")
    sum=$(awk -v a="$sum" -v b="$u" 'BEGIN {print a + b}')
    max=$(awk -v a="$max" -v b="$u" 'BEGIN {print (b > a ? b : a)}')
  done
  read -r mw mu mr <<<"$(measure "$doseval" merge "${dirs[@]}" --out "$tmp/m$n")"
  cmp -s "$tmp/whole/calibration.csv" "$tmp/m$n/calibration.csv" || { echo "FAIL: $n shards merge to other bytes" >&2; exit 1; }
  printf "%3d tasks of %3d points: slowest task %s s CPU, all tasks %s s CPU; merge %s s wall (%s MB); calibration.csv identical\n" \
    "$n" $((100 / n)) "$max" "$sum" "$mw" "$mr"
done
