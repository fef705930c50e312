#!/usr/bin/env bash
# bench/writers.sh — the writers stay linear in the number of scenarios: a study with SCENARIOS
# scenarios (default 10000) x 3 designs (3+3, BOIN, CRM) and one with a tenth of them, through
# `doseval run` with TRIALS trials (default 10); prints the time spent writing (whole run minus
# simulation minus start-up), which should grow about tenfold.
# usage: bash bench/writers.sh [path/to/doseval]
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
n=${SCENARIOS:-10000}
trials=${TRIALS:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make_config() { # scenarios file
  {
    echo 'study: {name: "writers", doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}'
    echo 'designs:'
    echo '  - {name: "3+3", type: threeplusthree}'
    echo '  - {name: "BOIN", type: boin}'
    echo '  - {name: "CRM", type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}'
    echo 'scenarios:'
    awk -v n="$1" 'BEGIN { srand(7); for (i = 1; i <= n; i++) {
      a = rand() * 0.3; b = a + rand() * 0.3; c = b + rand() * 0.3
      printf "  - {name: \"s%d\", p_tox: [%.3f, %.3f, %.3f]}\n", i, a, b, c } }'
    echo "simulation: {trials: $trials, seed: 1}"
  } >"$2"
}
seconds() { # command...: wall seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}'
}
make_config "$n" "$tmp/big.yaml"
make_config $((n / 10)) "$tmp/small.yaml"
# writers = whole run - simulation (summary.json's wall_seconds) - loading the config and
# starting up (the same config, one scenario, one trial)
writers() { # config
  local total load sim
  total=$(seconds "$doseval" run "$1" --quiet --out "$tmp/o")
  sim=$(sed -n 's/^  "wall_seconds": \([0-9.e+-]*\),$/\1/p' "$tmp/o/summary.json")
  load=$(seconds "$doseval" run "$1" --quiet --out "$tmp/o1" --scenario s1 --trials 1)
  awk -v t="$total" -v s="$sim" -v l="$load" 'BEGIN {printf "%.2f %.2f %.2f %.2f", t, s, l, t - s - l}'
}
printf "%-12s %10s %12s %12s %10s\n" scenarios "run, s" "simulate, s" "load, s" "writers, s"
for f in small big; do
  read -r total sim load w <<<"$(writers "$tmp/$f.yaml")"
  printf "%-12s %10s %12s %12s %10s\n" "$(grep -c '^  - {name: "s' "$tmp/$f.yaml")" "$total" "$sim" "$load" "$w"
done
echo "($(wc -l <"$tmp/o/oc.csv") rows of oc.csv for the larger; writers: oc.csv, summary.json, the stdout table)"
