#!/usr/bin/env bash
# bench/random_scenarios.sh — issue 17's scale: the reference study's designs under N random
# curves (and no named ones), `exact` and `run --trials T` on one rank, for N = 10^3, 10^4, 10^5:
# wall seconds, seconds per 1,000 curves and peak memory (max RSS, /usr/bin/time). Linear time
# shows as a flat s / 1000 curves column, flat memory as a flat RSS column.
# usage: bash bench/random_scenarios.sh [path/to/doseval]   (env: COUNTS, TRIALS, RUN_COUNTS)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
cd "$(dirname "$0")/.."
counts=${COUNTS:-"1000 10000 100000"}
run_counts=${RUN_COUNTS:-"1000 10000"}
trials=${TRIALS:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config() { # the reference study with N random curves in place of its named scenarios
  sed -e '/^scenarios:/,/^simulation:/{/^simulation:/!d}' configs/nct05563545.yaml |
    sed -e "s/^simulation:/random_scenarios: {count: $1, method: pseudo-uniform}\nsimulation:/" \
      >"$tmp/r$1.yaml"
}
measure() { # command... -> "wall rss_mb"
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null
  awk '{printf "%s %.1f", $1, $2 / 1024}' "$tmp/time"
}
printf "%-6s %8s %10s %14s %10s\n" command curves "wall s" "s/1000 curves" "RSS MB"
for n in $counts; do
  config "$n"
  read -r wall rss <<<"$(measure "$doseval" exact "$tmp/r$n.yaml" --out "$tmp/out")"
  printf "%-6s %8d %10.2f %14.3f %10.1f\n" exact "$n" "$wall" \
    "$(awk -v w="$wall" -v n="$n" 'BEGIN {print w / n * 1000}')" "$rss"
done
for n in $run_counts; do
  config "$n"
  read -r wall rss <<<"$(measure "$doseval" run "$tmp/r$n.yaml" --trials "$trials" --quiet \
    --out "$tmp/out")"
  printf "%-6s %8d %10.2f %14.3f %10.1f   (--trials %d)\n" run "$n" "$wall" \
    "$(awk -v w="$wall" -v n="$n" 'BEGIN {print w / n * 1000}')" "$rss" "$trials"
done
