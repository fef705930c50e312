#!/usr/bin/env bash
# badinput_pending.sh — `next` and `paths` with pending patients written wrong (SPEC 12): P without
# days, days past the window, P without a DLT window, a bad --dlt-window, more ways for the pending
# outcomes to resolve than `paths` lists. Each exits 2 with a message naming --outcomes (or the
# flag), the character and what is allowed, prints nothing and (paths) writes no folder.
# Usage: bash tests/e2e/badinput_pending.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
config="$2/tests/data/live/pending.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; cat "$tmp/err" >&2; exit 1; }
command=next
refuse() { # refuse NEEDLE -- ARGS...   ($command: next, or paths with --cohorts and --out)
  local needle=$1
  shift 2
  local rc=0
  if [ "$command" = next ]; then
    "$doseval" next "$config" --design TITE-CRM "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  else
    "$doseval" paths "$config" --design TITE-CRM --cohorts 2 --out "$tmp/p" "$@" >"$tmp/out" \
      2>"$tmp/err" || rc=$?
    [ ! -e "$tmp/p" ] || fail "paths $*: wrote $tmp/p"
  fi
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
refuse "needs a DLT window (--dlt-window DAYS, or study.dlt_window in the config)" -- --outcomes "1P3"
refuse "--dlt-window: 0; allowed: days, 0 < W <= 3650" -- --dlt-window 0 --outcomes "1NNN 2NP3"
refuse "--dlt-window: -5" -- --dlt-window -5 --outcomes "1NNN"
command=paths
refuse "'P' (a pending patient) at character 8" -- --outcomes "1NNN 2NP3"
refuse "--outcomes: P28 (28 days)" -- --dlt-window 28 --outcomes "1NNN 2NP28"
refuse "--dlt-window: 0; allowed: days, 0 < W <= 3650" -- --dlt-window 0 --outcomes "1NNN 2NP3"
# 13 cohorts of one pending patient: 2^13 ways, past the 4096 paths lists
refuse "--outcomes: 13 pending patients resolve in more than 4096 ways" -- --dlt-window 28 \
  --outcomes "$(printf '1P1 %.0s' $(seq 13))"
echo "ok: 12 bad pending inputs refused with exit 2"
