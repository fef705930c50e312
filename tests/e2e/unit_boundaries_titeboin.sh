#!/usr/bin/env bash
# unit_boundaries_titeboin.sh — `doseval boundaries --design titeboin` prints the table a TITE-BOIN
# protocol shows: for each n, y and m pending the decision or the STFT where it changes. The cells
# published by Yuan et al. (2018, target 0.2) must appear: n = 9, y = 1: m = 3 escalates iff
# STFT >= 0.77, m = 4 iff >= 2.15; y = 2, m = 1..4 stays iff STFT > 0.52, 1.59, 2.66, 3.73.
# Usage: bash tests/e2e/unit_boundaries_titeboin.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$doseval" boundaries --design titeboin --target 0.2 --cohort-size 3 --cohorts 4 >"$tmp/table.txt" \
  || fail "boundaries --design titeboin exited $?"
for want in \
  "   9    1    3  escalate if STFT >= 0.77, else stay" \
  "   9    1    4  escalate if STFT >= 2.15, else stay" \
  "   9    2    1  stay if STFT > 0.52, else de-escalate" \
  "   9    2    2  stay if STFT > 1.59, else de-escalate" \
  "   9    2    3  stay if STFT > 2.66, else de-escalate" \
  "   9    2    4  stay if STFT > 3.73, else de-escalate"; do
  grep -qxF -- "$want" "$tmp/table.txt" || { cat "$tmp/table.txt" >&2; fail "no line '$want'"; }
done
grep -q "^max_pending 0.5000" "$tmp/table.txt" || fail "the header does not state max_pending"
grep -q "^Escalate if # of DLT <= " "$tmp/table.txt" || fail "BOIN's table is missing"

# The CSV: every (n, y, m); the published thresholds to 4 decimals, suspend past max_pending.
"$doseval" boundaries --design titeboin --target 0.2 --cohort-size 3 --cohorts 4 --csv \
  >"$tmp/table.csv" || fail "--csv exited $?"
[ "$(head -1 "$tmp/table.csv")" = "n,y,m,below,threshold,above" ] || fail "CSV header: $(head -1 "$tmp/table.csv")"
rows=$(($(wc -l <"$tmp/table.csv") - 1))
want_rows=0
for n in 3 6 9 12; do want_rows=$((want_rows + (n + 1) * (n + 2) / 2)); done
[ "$rows" -eq "$want_rows" ] || fail "CSV has $rows rows; every (n, y, m) with m <= n - y is $want_rows"
awk -F, '$1 == 9 && $2 == 1 && $3 == 3 {exit !($4 == "stay" && $5 + 0 >= 0.765 && $5 + 0 < 0.775 && $6 == "escalate")}' \
  "$tmp/table.csv" || fail "9,1,3: $(grep '^9,1,3,' "$tmp/table.csv")"
awk -F, '$1 == 9 && $2 == 2 && $3 == 4 {t = substr($5, 2); exit !($4 == "de-escalate" && substr($5, 1, 1) == ">" && t >= 3.725 && t < 3.735 && $6 == "stay")}' \
  "$tmp/table.csv" || fail "9,2,4: $(grep '^9,2,4,' "$tmp/table.csv")"
grep -qx "9,0,5,suspend,,suspend" "$tmp/table.csv" || fail "9,0,5 should suspend (5 > 0.5 x 9)"
grep -qx "9,3,1,de-escalate,,de-escalate" "$tmp/table.csv" || fail "9,3,1 should de-escalate (3/9 >= lambda_d)"

# A bad option is a usage error naming the flag.
set +e
"$doseval" boundaries --design titeboin --target 0.2 --cohort-size 3 --cohorts 4 --max-pending 2 \
  >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "--max-pending 2 exited $rc, expected 2"
grep -q -- "--max-pending" "$tmp/err" || fail "the message does not name --max-pending: $(cat "$tmp/err")"
echo "ok: boundaries --design titeboin prints the published cells, the CSV every (n, y, m)"
