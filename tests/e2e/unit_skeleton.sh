#!/usr/bin/env bash
# unit_skeleton.sh — end-to-end check of `doseval skeleton` (SPEC 4, 6): the reference skeleton of
# Lee & Cheung's calibration (dfcrm getprior(0.05, 0.3, 2, 3) = 0.2040 0.3000 0.4018), --help, and
# usage errors that exit 2 with a message naming the option and nothing on stdout.
# Usage: bash tests/e2e/unit_skeleton.sh /path/to/doseval /path/to/repo
set -euo pipefail

doseval=${1:?usage: unit_skeleton.sh /path/to/doseval /path/to/repo}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "unit_skeleton: FAIL: $*" >&2
  exit 1
}

# 1. The reference skeleton: one line holding 0.2040, 0.3000 and 0.4018 in that order.
"$doseval" skeleton --target 0.3 --halfwidth 0.05 --prior-mtd 2 --levels 3 >"$tmp/out" 2>"$tmp/err" ||
  fail "exit status $? for a valid call; stderr: $(cat "$tmp/err")"
grep -Eq '(^|[^0-9.])0\.2040[^0-9]+0\.3000[^0-9]+0\.4018([^0-9]|$)' "$tmp/out" ||
  fail "expected 0.2040 0.3000 0.4018 in order; got: $(cat "$tmp/out")"

# 2. The logistic model gives a different skeleton with the prior MTD at the target.
"$doseval" skeleton --target 0.3 --halfwidth 0.05 --prior-mtd 2 --levels 3 --model logistic \
  >"$tmp/out" 2>"$tmp/err" || fail "exit status $? for --model logistic"
grep -Eq '^0\.[0-9]{4} 0\.3000 0\.[0-9]{4}$' "$tmp/out" ||
  fail "logistic: expected three values with 0.3000 in the middle; got: $(cat "$tmp/out")"

# 3. --help succeeds and prints the usage on stdout.
"$doseval" skeleton --help >"$tmp/out" 2>"$tmp/err" || fail "--help exited $?"
grep -q 'usage: doseval skeleton' "$tmp/out" || fail "--help printed no usage"

# 4. Usage errors: exit 2, the option named on stderr, nothing on stdout.
expect_usage_error() {
  local option=$1
  shift
  local rc=0
  "$doseval" skeleton "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 2 ] || fail "'skeleton $*' exited $rc, expected 2"
  grep -q -- "$option" "$tmp/err" || fail "'skeleton $*': stderr does not name $option: $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "'skeleton $*' wrote to stdout: $(cat "$tmp/out")"
}
expect_usage_error --halfwidth --target 0.3 --halfwidth 0.5 --prior-mtd 2 --levels 3
expect_usage_error --prior-mtd --target 0.3 --halfwidth 0.05 --prior-mtd 4 --levels 3
expect_usage_error --levels --target 0.3 --halfwidth 0.05 --prior-mtd 2
expect_usage_error --target --target 1.5 --halfwidth 0.05 --prior-mtd 2 --levels 3
expect_usage_error --model --target 0.3 --halfwidth 0.05 --prior-mtd 2 --levels 3 --model probit
expect_usage_error --bogus --target 0.3 --halfwidth 0.05 --prior-mtd 2 --levels 3 --bogus 1

echo "unit_skeleton: ok"
