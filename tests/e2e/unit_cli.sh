#!/usr/bin/env bash
# unit_cli.sh — one argument parser serves every command (issue 18, item 10): each has a --help
# written from its option table, takes --name=value as well as --name value, and refuses an
# unknown option or a missing argument with exit 2, naming it. One table of commands (issue 26)
# feeds `doseval --help`, each command's usage line and the "not a command" message; its
# synopses name exactly the options each command's table has. Help and version on a full disk
# fail (issue 27, item 6).
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
fail() { echo "FAIL: $*" >&2; exit 1; }
# The synopses in `doseval --help`, one line per command (continuation lines joined).
"$doseval" --help >"$tmp/help" || fail "doseval --help exited $?"
awk '/^usage:$/{on=1; next} on && !/^  /{exit} on && /^  doseval /{if (l) print l; l=$0; next}
     on{l = l " " $0} END{if (l) print l}' "$tmp/help" | tr -s ' ' | sed 's/^ //' >"$tmp/synopses"
commands=$(awk '{print $2}' "$tmp/synopses" | xargs)
[ "$(wc -l <"$tmp/synopses")" -ge 8 ] || fail "doseval --help lists $(wc -l <"$tmp/synopses") commands"
for c in run exact merge boundaries skeleton next paths validate; do
  grep -q "^doseval $c " "$tmp/synopses" || grep -q "^doseval $c\$" "$tmp/synopses" ||
    fail "doseval --help does not list $c"
done
"$doseval" frobnicate >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "doseval frobnicate: not exit 2"
for c in $commands; do
  grep -qE "[ ,]$c([,( ]|$)" "$tmp/err" || fail "'not a command' does not name $c: $(cat "$tmp/err")"
done
for c in $commands; do
  out=$("$doseval" $c --help) || fail "$c --help exited $?"
  grep -q "^usage: doseval $c" <<<"$out" || fail "$c --help: no usage line"
  grep -q -- "--help  *print this help" <<<"$out" || fail "$c --help: no option list"
  # its usage line is the table's synopsis
  usage=$(awk '/^usage:/{on=1} on && /^$/{exit} on && !/^[A-Z]/{print} /^[A-Z]/{exit}' <<<"$out" |
    tr '\n' ' ' | tr -s ' ' | sed -e 's/^usage: //' -e 's/ $//')
  want=$(grep -E "^doseval $c( |\$)" "$tmp/synopses")
  [ "$usage" = "$want" ] || fail "$c --help: usage '$usage'; doseval --help: '$want'"
  # the options of its table are those of the synopsis (boundaries adds the design's own)
  listed=$(sed -n '/^options:/,$p' <<<"$out" | grep -oE '^  --[a-z-]+' | sed 's/^  //' |
    grep -vx -- --help | sort -u)
  named=$(grep -oE -- '--[a-z][a-z-]*' <<<"$want" | sort -u)
  missing=$(comm -13 <(echo "$listed") <(echo "$named"))
  [ -z "$missing" ] || fail "$c: the synopsis names $missing, which its option table lacks"
  extra=$(comm -23 <(echo "$listed") <(echo "$named"))
  if [ "$c" = boundaries ]; then
    grep -q "the design's options" <<<"$want" || fail "boundaries: the synopsis omits the design's options"
  else
    [ -z "$extra" ] || fail "$c: its option table has $extra, which the synopsis lacks"
  fi
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
for args in --help -h --version; do
  "$doseval" $args >/dev/full 2>"$tmp/err"
  rc=$?
  [ $rc -eq 1 ] || fail "doseval $args > /dev/full: exit $rc, expected 1"
  grep -q "cannot write to standard output" "$tmp/err" || fail "$args > /dev/full: $(cat "$tmp/err")"
done
"$doseval" validate "$config" >/dev/full 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^doseval validate: cannot write to standard output" "$tmp/err" ||
  fail "validate > /dev/full: $(cat "$tmp/err")"
"$doseval" exact >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "expected CONFIG" "$tmp/err" || fail "exact with no CONFIG: $(cat "$tmp/err")"
"$doseval" run "$config" "$config" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "unexpected argument" "$tmp/err" || fail "run with two CONFIGs: $(cat "$tmp/err")"
echo "ok: every command ($commands) in one table and one parser (--help, --name=value, refusals)"
