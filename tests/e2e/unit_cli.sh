#!/usr/bin/env bash
# unit_cli.sh — one argument parser serves every command (issue 18, item 10): each has a --help
# written from its option table, takes --name=value as well as --name value, and refuses an
# unknown option or a missing argument with exit 2, naming it.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
fail() { echo "FAIL: $*" >&2; exit 1; }
for c in run exact merge boundaries skeleton next paths validate; do
  out=$("$doseval" $c --help) || fail "$c --help exited $?"
  grep -q "^usage: doseval $c" <<<"$out" || fail "$c --help: no usage line"
  grep -q -- "--help  *print this help" <<<"$out" || fail "$c --help: no option list"
  "$doseval" $c --frobnicate=1 >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "$c --frobnicate=1: not exit 2"
  grep -q -- "--frobnicate=1: unknown option; allowed:" "$tmp/err" || fail "$c: $(cat "$tmp/err")"
done
"$doseval" exact --out="$tmp/e" "$config" >/dev/null || fail "exact --out=DIR refused"
[ -s "$tmp/e/oc.csv" ] || fail "exact --out=DIR wrote nothing"
"$doseval" run "$config" --trials=500 --quiet --out="$tmp/r" --shard=0/1 >/dev/null || fail "run --name=value refused"
"$doseval" merge "$tmp/r" --out="$tmp/m" >/dev/null || fail "merge --out=DIR refused"
"$doseval" boundaries --target=0.3 --cohort-size=3 --cohorts=2 >/dev/null || fail "boundaries --name=value refused"
"$doseval" next "$config" --design=BOIN --outcomes="1NNN" >/dev/null || fail "next --name=value refused"
"$doseval" --help | grep -q "doseval validate CONFIG" || fail "doseval --help does not list validate"
"$doseval" exact >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "expected CONFIG" "$tmp/err" || fail "exact with no CONFIG: $(cat "$tmp/err")"
"$doseval" run "$config" "$config" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "unexpected argument" "$tmp/err" || fail "run with two CONFIGs: $(cat "$tmp/err")"
echo "ok: all eight commands share one parser (--help, --name=value, refusals)"
