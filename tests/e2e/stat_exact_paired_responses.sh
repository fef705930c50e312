#!/usr/bin/env bash
# stat_exact_paired_responses.sh — `doseval exact` pairs a design that reads responses with the
# others (issue 30): on configs/nct05563545_efficacy.yaml (BOIN12 beside the protocol's 3+3 and
# BOIN, six scenarios) the exact paired terms (pcs_diff, p_disagree of every pair) agree with
# `doseval run`'s Monte Carlo within 4 of its MCSE, and each design's own rows in the paired
# exact are those of its single-design exact, to the printed digit.
# Usage: bash tests/e2e/stat_exact_paired_responses.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
repo=$2
config="$repo/configs/nct05563545_efficacy.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

three=(--design 3+3 --design BOIN --design BOIN12)
"$doseval" exact "$config" "${three[@]}" --out "$tmp/exact" >/dev/null ||
  fail "exact on the efficacy config"
for d in "3+3" "BOIN" "BOIN12"; do
  "$doseval" exact "$config" --design "$d" --out "$tmp/alone-$d" >/dev/null
done
"$doseval" run "$config" "${three[@]}" --trials 40000 --quiet --out "$tmp/run" >/dev/null
python3 - "$tmp" <<'PY' || fail "exact and run differ"
import csv, sys
tmp = sys.argv[1]
def rows(path):
    return {(r["scenario"], r["design"], r["metric"], r["dose"]): r
            for r in csv.DictReader(open(path))}
exact, run = rows(f"{tmp}/exact/oc.csv"), rows(f"{tmp}/run/oc.csv")
# each design's own rows: those of its exact alone
own = 0
for d in ("3+3", "BOIN", "BOIN12"):
    for key, r in rows(f"{tmp}/alone-{d}/oc.csv").items():
        if key[1] != d:
            continue
        assert exact[key]["value"] == r["value"], (key, exact[key]["value"], r["value"])
        own += 1
# the paired terms: exact within 4 MCSE of the Monte Carlo estimate
paired = 0
for key, r in exact.items():
    if key[2] not in ("pcs_diff", "p_disagree"):
        continue
    m = run[key]
    x, v, se = float(r["value"]), float(m["value"]), float(m["mcse"])
    assert float(r["mcse"]) == 0.0, key
    assert se > 0 or abs(x - v) < 1e-12, (key, x, v, se)
    assert abs(x - v) <= 4 * se + 1e-12, f"{key}: exact {x:.6f}, run {v:.6f} (mcse {se:.6f})"
    paired += 1
assert paired == 6 * 3 * 2, paired
print(f"ok   {own} own rows as alone; {paired} paired terms within 4 MCSE of 40,000 trials")
PY
echo "ok: exact pairs BOIN12 with the others"
