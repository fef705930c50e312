#!/usr/bin/env bash
# badinput_pending.sh — `next` with pending patients written wrong (SPEC 12): P without days,
# days past the window, P without a DLT window, a bad --dlt-window. Each exits 2 with a message
# naming --outcomes (or the flag), the character and what is allowed, and prints nothing.
# Usage: bash tests/e2e/badinput_pending.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
config="$2/tests/data/live/pending.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; cat "$tmp/err" >&2; exit 1; }
refuse() { # refuse NEEDLE -- ARGS...
  local needle=$1
  shift 2
  local rc=0
  "$doseval" next "$config" --design TITE-CRM "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 2 ] || fail "next $*: exit $rc, expected 2"
  [ ! -s "$tmp/out" ] || fail "next $*: wrote to stdout"
  grep -qF -- "$needle" "$tmp/err" || fail "next $*: no '$needle'"
  grep -qF "allowed: " "$tmp/err" || fail "next $*: no 'allowed: '"
}
refuse "--outcomes: 'P' without days at character 11" -- --dlt-window 28 --outcomes "1NNN 2NP21P"
refuse "--outcomes: P30 (30 days) at character 8" -- --dlt-window 28 --outcomes "1NNN 2NP30"
refuse "--outcomes: P28 (28 days)" -- --dlt-window 28 --outcomes "1NNN 2NP28"
refuse "--outcomes: T40 (40 days)" -- --dlt-window 28 --outcomes "1NNN 2NT40"
refuse "'P' (a pending patient) at character 8" -- --outcomes "1NNN 2NP3"
refuse "--dlt-window: 0; allowed: days, 0 < W <= 3650" -- --dlt-window 0 --outcomes "1NNN 2NP3"
refuse "--dlt-window: -5" -- --dlt-window -5 --outcomes "1NNN"
echo "ok: 7 bad pending inputs refused with exit 2"
