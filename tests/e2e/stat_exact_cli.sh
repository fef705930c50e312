#!/usr/bin/env bash
# stat_exact_cli.sh — `doseval exact` on the reference study writes the same rows as `run`
# (same scenario, design, metric and dose keys, same order), every mcse 0 (p_disagree a number)
# but the time metrics' (NA: exact computes no duration, SPEC 11),
# and each design's selection probabilities summing to 1 (to the 12 printed decimals).
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$doseval" exact "$config" --out "$tmp/exact" >/dev/null
"$doseval" run "$config" --trials 1000 --quiet --out "$tmp/run" >/dev/null
keys() { cut -d, -f1-4 "$1"; }
if ! diff <(keys "$tmp/run/oc.csv") <(keys "$tmp/exact/oc.csv") >/dev/null; then
  echo "FAIL: exact and run write different rows" >&2
  diff <(keys "$tmp/run/oc.csv") <(keys "$tmp/exact/oc.csv") | head -5 >&2
  exit 1
fi
# mcse 0 everywhere, p_disagree included (each pair's joint chain, src/engine/joint.c): a probability;
# the reference study keeps time, whose metrics exact writes as NA, value and mcse (SPEC 11)
awk -F, 'NR > 1 && $3 == "p_disagree" && ($5 == "NA" || $5 < 0 || $5 > 1) { print "FAIL: exact p_disagree: " $0; bad = 1 }
  NR > 1 && $3 ~ /^(duration_|turned_away_)/ { if ($5 != "NA" || $6 != "NA") { print "FAIL: exact time metric not NA: " $0; bad = 1 }; t++; next }
  NR > 1 && $6 != "0" { print "FAIL: mcse " $6 " in " $0; bad = 1 }
  END { if (t == 0) { print "FAIL: no time metrics in the timed reference study"; bad = 1 }; exit bad }' \
  "$tmp/exact/oc.csv" >&2
awk -F, 'NR > 1 && $3 == "sel" { s[$1 "/" $2] += $5 }
  END { for (k in s) if (s[k] < 1 - 1e-9 || s[k] > 1 + 1e-9) { print "FAIL: sel sums to " s[k] " for " k; bad = 1 }
        exit bad }' "$tmp/exact/oc.csv" >&2
grep -q '"command": "exact"' "$tmp/exact/summary.json" || { echo "FAIL: summary.json" >&2; exit 1; }
echo "ok: exact writes run's $(($(wc -l <"$tmp/exact/oc.csv") - 1)) rows with mcse 0; sel sums to 1"
