#!/usr/bin/env bash
# badinput_backfill.sh — the commands without a clock refuse a design that backfills (SPEC 13:
# BF-BOIN's arrivals while a cohort waits depend on arrival, onset and response times): `exact`
# on a config that holds one, and `next` and `paths` on it, each exit 2 with a message naming
# the design and what is allowed, print nothing on stdout and write no folder. `exact` without
# it (--design) still runs. The config: configs/nct05563545_efficacy.yaml (BF-BOIN beside the
# 3+3, BOIN and BOIN12). Bad configs of backfill (no time, cap too large, assign, no p_eff) are
# tests/data/bad/backfill_*.yaml, under badinput_config.sh.
# Usage: bash tests/e2e/badinput_backfill.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
config="$2/configs/nct05563545_efficacy.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*" >&2; cat "$tmp/err" >&2; exit 1; }
refuse() { # refuse LABEL NEEDLE -- ARGS...
  local label=$1 needle=$2
  shift 3
  local rc=0
  rm -rf "$tmp/out"
  "$doseval" "$@" >"$tmp/stdout" 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 2 ] || fail "$label: exit $rc, expected 2"
  [ ! -s "$tmp/stdout" ] || fail "$label: wrote to stdout"
  [ ! -e "$tmp/out" ] || fail "$label: wrote $tmp/out"
  grep -qF -- "$needle" "$tmp/err" || fail "$label: no '$needle'"
  grep -qF "allowed" "$tmp/err" || fail "$label: no 'allowed'"
  echo "ok   $label"
}
refuse "exact with BF-BOIN" \
  "design 'BF-BOIN' (boin) places arrivals at other doses while its cohort's outcomes are pending" \
  -- exact "$config" --out "$tmp/out"
refuse "exact --design BF-BOIN" "design 'BF-BOIN' (boin) places arrivals" -- \
  exact "$config" --design BF-BOIN --out "$tmp/out"
refuse "next --design BF-BOIN" "--design: 'BF-BOIN' (boin) backfills (backfill.cap)" -- \
  next "$config" --design BF-BOIN --outcomes "1NNN"
refuse "paths --design BF-BOIN" "--design: 'BF-BOIN' (boin) backfills (backfill.cap)" -- \
  paths "$config" --design BF-BOIN --cohorts 2 --out "$tmp/out"
"$doseval" exact "$config" --design 3+3 --design BOIN --design BOIN12 --out "$tmp/out" \
  >/dev/null 2>"$tmp/err" || fail "exact without BF-BOIN"
[ -s "$tmp/out/oc.csv" ] || fail "exact without BF-BOIN wrote no oc.csv"
echo "ok: the commands without a clock refuse backfill, and exact runs without it"
