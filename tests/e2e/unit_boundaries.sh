#!/usr/bin/env bash
# unit_boundaries.sh — end-to-end check of `doseval boundaries`: the SPEC section 6 table (target
# 0.3, cohorts of 3, 10 cohorts; also get.boundary() of the R package BOIN) as exact CSV text, and
# a usage error that exits 2. Usage: bash tests/e2e/unit_boundaries.sh /path/to/doseval /path/to/repo
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 /path/to/doseval /path/to/repo" >&2
  exit 2
fi
doseval=$1
repo=$2
[[ -x "$doseval" ]] || { echo "FAIL: $doseval is not an executable" >&2; exit 1; }
[[ -d "$repo" ]] || { echo "FAIL: $repo is not a directory" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/expected.csv" <<'CSV'
n,escalate,deescalate,eliminate
3,0,2,3
6,1,3,4
9,2,4,5
12,2,5,7
15,3,6,8
18,4,7,9
21,4,8,10
24,5,9,11
27,6,10,12
30,7,11,14
CSV

# 1. The SPEC table, byte for byte.
status=0
"$doseval" boundaries --target 0.3 --cohort-size 3 --cohorts 10 --csv >"$tmp/got.csv" \
  2>"$tmp/got.err" || status=$?
if [[ $status -ne 0 ]]; then
  echo "FAIL: doseval boundaries --target 0.3 --cohort-size 3 --cohorts 10 --csv exited $status" >&2
  cat "$tmp/got.err" >&2
  exit 1
fi
if ! cmp -s "$tmp/expected.csv" "$tmp/got.csv"; then
  echo "FAIL: boundaries CSV differs from the SPEC section 6 table (- expected, + got):" >&2
  diff -u "$tmp/expected.csv" "$tmp/got.csv" >&2 || true
  exit 1
fi

# 2. The text table carries the same rows.
"$doseval" boundaries --target 0.3 --cohort-size 3 --cohorts 10 >"$tmp/got.txt"
for row in "Escalate if # of DLT <= +0 +1 +2 +2 +3 +4 +4 +5 +6 +7\$" \
  "De-escalate if # of DLT >= +2 +3 +4 +5 +6 +7 +8 +9 +10 +11\$" \
  "Eliminate if # of DLT >= +3 +4 +5 +7 +8 +9 +10 +11 +12 +14\$"; do
  if ! grep -Eq "^$row" "$tmp/got.txt"; then
    echo "FAIL: text table lacks a row matching: $row" >&2
    cat "$tmp/got.txt" >&2
    exit 1
  fi
done

# 3. Usage errors exit 2 with a message naming the option, and print nothing on stdout.
expect_usage_error() {
  local option=$1
  shift
  local rc=0
  "$doseval" boundaries "$@" >"$tmp/usage.out" 2>"$tmp/usage.err" || rc=$?
  if [[ $rc -ne 2 ]]; then
    echo "FAIL: doseval boundaries $* exited $rc, expected 2" >&2
    exit 1
  fi
  if ! grep -q -- "$option" "$tmp/usage.err"; then
    echo "FAIL: doseval boundaries $*: stderr does not name $option:" >&2
    cat "$tmp/usage.err" >&2
    exit 1
  fi
  if [[ -s "$tmp/usage.out" ]]; then
    echo "FAIL: doseval boundaries $*: printed on stdout despite the error" >&2
    exit 1
  fi
}
expect_usage_error --target --target 1.5 --cohort-size 3 --cohorts 10
expect_usage_error --cohorts --target 0.3 --cohort-size 3
expect_usage_error --p-saf --target 0.3 --cohort-size 3 --cohorts 10 --p-saf 0.4
expect_usage_error --frobnicate --target 0.3 --cohort-size 3 --cohorts 10 --frobnicate

# BF-BOIN: the header states the backfill rules with the cap and the assignment given; the
# decision table is BOIN's, unchanged; without a cap nothing is said of backfill
"$doseval" boundaries --target 0.3 --cohort-size 3 --cohorts 7 >"$tmp/plain.txt" ||
  { echo "FAIL: boundaries without backfill" >&2; exit 1; }
"$doseval" boundaries --target 0.3 --cohort-size 3 --cohorts 7 --backfill-cap 9 \
  --backfill-assign lowest >"$tmp/bf.txt" || { echo "FAIL: boundaries --backfill-cap 9" >&2; exit 1; }
if grep -qi backfill "$tmp/plain.txt"; then
  echo "FAIL: boundaries without a cap speaks of backfill" >&2
  exit 1
fi
if ! grep -q "^backfill    BF-BOIN" "$tmp/bf.txt" || ! grep -q "the lowest open dose" "$tmp/bf.txt" ||
  ! tr '\n' ' ' <"$tmp/bf.txt" | tr -s ' ' | grep -q "fewer than 9 patients"; then
  echo "FAIL: boundaries --backfill-cap 9 --backfill-assign lowest: the header does not state the rule:" >&2
  cat "$tmp/bf.txt" >&2
  exit 1
fi
if ! diff <(sed -n '/^Number of patients/,$p' "$tmp/plain.txt") \
  <(sed -n '/^Number of patients/,$p' "$tmp/bf.txt") >/dev/null; then
  echo "FAIL: backfill changed BOIN's decision table" >&2
  exit 1
fi

echo "PASS: doseval boundaries"
