#!/usr/bin/env bash
# unit_next_pending.sh — `next` with pending patients (SPEC 12): a design that waits for complete
# cohorts answers suspend while any patient is pending; the designs that read pending patients
# decide from them (TITE-BOIN suspends past max_pending, rolling six at 6 enrolled with too few
# evaluated, TITE-CRM names a dose that moves with the follow-up); nothing pending is the same
# answer as before. The config's study.dlt_window is --dlt-window's default; the option overrides it.
# Usage: bash tests/e2e/unit_next_pending.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
config="$2/tests/data/live/pending.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
first() { "$doseval" next "$config" --dlt-window 28 --design "$1" --outcomes "$2" | head -1; }

[ "$(first 3+3 "1NNN 2NP21P5")" = "suspend: turn arrivals away until more outcomes are known (current dose 2 (2))" ] ||
  fail "3+3 with 2 pending: $(first 3+3 "1NNN 2NP21P5")"
[ "$(first 3+3 "1NNN 2NNN")" = "next dose: 3 (3)" ] || fail "3+3 without pending: $(first 3+3 "1NNN 2NNN")"
[ "$(first TITE-BOIN "1NNN 2NP21P5")" = "suspend: turn arrivals away until more outcomes are known (current dose 2 (2))" ] ||
  fail "TITE-BOIN with 2 of 3 pending (> 0.5 x 3): $(first TITE-BOIN "1NNN 2NP21P5")"
[ "$(first TITE-BOIN "1NNN 2NNP27")" = "next dose: 3 (3)" ] || fail "TITE-BOIN 1 of 3 pending, 0 DLT: $(first TITE-BOIN "1NNN 2NNP27")"
[ "$(first R6 "1N 1N 1N 2N 2P3 2P1 2P0 2P0 2P0")" = "suspend: turn arrivals away until more outcomes are known (current dose 2 (2))" ] ||
  fail "rolling six with 6 at dose 2, 1 evaluated"
[ "$(first R6 "1N 1N 1N 2N 2P3")" = "next dose: 2 (2)" ] || fail "rolling six with 2 at dose 2: enrol there"
# TITE-CRM: 1/3 at dose 2 and a fourth pending there: followed 1 day it weighs little and the
# design stays at dose 2; followed 27 of 28 days without a DLT it lets the design escalate.
early=$(first TITE-CRM "1N 1N 1N 2T 2N 2N 2P1")
late=$(first TITE-CRM "1N 1N 1N 2T 2N 2N 2P27")
[ "$early" = "next dose: 2 (2)" ] || fail "TITE-CRM, pending 1 day: $early"
[ "$late" = "next dose: 3 (3)" ] || fail "TITE-CRM, pending 27 days: $late"
# JSON
json=$("$doseval" next "$config" --dlt-window 28 --design TITE-BOIN --outcomes "1NNN 2NP21P5" --json)
echo "$json" | grep -q '"suspend": true' || fail "JSON: no suspend: $json"
echo "$json" | grep -q '"pending": 2' || fail "JSON: no pending count: $json"
# without pending patients the output is what it was without --dlt-window
cmp <("$doseval" next "$config" --design TITE-CRM --outcomes "1N 1N 1N 2N") \
  <("$doseval" next "$config" --dlt-window 28 --design TITE-CRM --outcomes "1N 1N 1N 2N") ||
  fail "--dlt-window changed a decision without pending patients"
# the study's window: the same answers as --dlt-window 28 on the study without time
sed 's/max_n: 24, start_dose: 1}/max_n: 24, start_dose: 1, dlt_window: 28, accrual: {mean_interval: 14, process: fixed}}/' \
  "$config" >"$tmp/timed.yaml"
grep -q "dlt_window: 28" "$tmp/timed.yaml" || fail "the timed copy of $config has no dlt_window"
for design in 3+3 TITE-CRM TITE-BOIN; do
  for history in "1NNN 2NP21P5" "1N 1N 1N 2T 2N 2N 2P27" "1NNN 2NNP27"; do
    cmp -s <("$doseval" next "$tmp/timed.yaml" --design "$design" --outcomes "$history" --json) \
      <("$doseval" next "$config" --dlt-window 28 --design "$design" --outcomes "$history" --json) ||
      fail "next $design \"$history\": the study's dlt_window is not --dlt-window 28"
  done
done
"$doseval" paths "$tmp/timed.yaml" --design 3+3 --cohorts 2 --outcomes "1NNN 2NP21P5" --scenario s \
  --out "$tmp/pa" >/dev/null
"$doseval" paths "$config" --dlt-window 28 --design 3+3 --cohorts 2 --outcomes "1NNN 2NP21P5" \
  --scenario s --out "$tmp/pb" >/dev/null
cmp -s "$tmp/pa/paths.csv" "$tmp/pb/paths.csv" || fail "paths: the study's dlt_window is not --dlt-window 28"
# an explicit --dlt-window overrides the study's: P30 is past 28 days, within 40
rc=0
"$doseval" next "$tmp/timed.yaml" --design TITE-CRM --outcomes "1N 1N 1N 2P30" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] && grep -qF "P30 (30 days)" "$tmp/err" || fail "P30 with the study's 28-day window: exit $rc"
"$doseval" next "$tmp/timed.yaml" --dlt-window 40 --design TITE-CRM --outcomes "1N 1N 1N 2P30" \
  --json | grep -q '"dlt_window": 40' || fail "--dlt-window 40 did not override the study's 28"
echo "ok: next reads pending patients"
