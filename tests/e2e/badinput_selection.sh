#!/usr/bin/env bash
# badinput_selection.sh — the --design / --scenario selections (SPEC 4; issue 26): every command
# that takes them (run, exact, validate, paths, next) refuses a name the config does not hold
# with exit 2, a message that names it and lists the names allowed, and no output; `paths` and
# `next` show one design (and `paths` one scenario): a second --design, none, or `--scenario
# random` over several curves is refused the same way.
# Usage: bash tests/e2e/badinput_selection.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
repo="$(cd "$2" && pwd)"
config="$repo/configs/nct05563545.yaml"
random="$repo/tests/data/random_scenarios.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cases=0

fail() {
  echo "FAIL: $*" >&2
  [ -s "$tmp/stderr" ] && { echo "--- stderr:" >&2; cat "$tmp/stderr" >&2; }
  exit 1
}

# refuse LABEL NEEDLE... -- ARGS...: doseval ARGS in an empty working directory exits 2 with every
# NEEDLE on stderr, nothing on stdout, no $tmp/out and no file in the working directory.
refuse() {
  local label=$1
  shift
  local -a needles=()
  while [[ $1 != -- ]]; do needles+=("$1"); shift; done
  shift
  rm -rf "$tmp/out" "$tmp/cwd"
  mkdir "$tmp/cwd"
  local rc=0
  (cd "$tmp/cwd" && exec timeout 120 "$doseval" "$@") >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  [[ $rc -eq 2 ]] || fail "$label: exit $rc, expected 2 (doseval $*)"
  local n
  for n in "${needles[@]}"; do
    grep -qF -- "$n" "$tmp/stderr" || fail "$label: stderr lacks '$n' (doseval $*)"
  done
  [[ ! -s "$tmp/stdout" ]] || fail "$label: printed on stdout: $(head -c 300 "$tmp/stdout")"
  [[ ! -e "$tmp/out" ]] || fail "$label: $tmp/out was created (partial output)"
  [[ -z "$(ls -A "$tmp/cwd")" ]] || fail "$label: files appeared: $(ls -A "$tmp/cwd")"
  echo "ok   $label: $(head -n 1 "$tmp/stderr")"
  cases=$((cases + 1))
}

designs="allowed: '3+3', 'BOIN', 'BOIN 24 pts', 'CRM', 'CRM start 2'"
scenarios="allowed: 'MTD at dose 1', 'MTD at dose 2', 'MTD at dose 3', 'All doses safe'"
for cmd in run exact validate; do
  extra=()
  [[ $cmd == run ]] && extra=(--trials 10 --quiet)
  [[ $cmd != validate ]] && extra+=(--out "$tmp/out")
  refuse "$cmd --design Nope" "doseval $cmd: --design: 'Nope' is not in $config" "$designs" -- \
    $cmd "$config" --design BOIN --design Nope "${extra[@]}"
  refuse "$cmd --scenario Nope" "doseval $cmd: --scenario: 'Nope' is not in $config" \
    "$scenarios" -- $cmd "$config" --scenario Nope "${extra[@]}"
  refuse "$cmd --scenario 'random 2'" "'random' for all its random ones" -- \
    $cmd "$random" --scenario "random 2" "${extra[@]}"
done
refuse "validate --scenario x (random ones)" "allowed: 'MTD at dose 2', 'random' (its 3000" -- \
  validate "$random" --scenario x
refuse "paths --design Nope" "doseval paths: --design: 'Nope' is not in" "$designs" -- \
  paths "$config" --design Nope --cohorts 2 --out "$tmp/out"
refuse "paths --scenario Nope" "doseval paths: --scenario: 'Nope' is not in" "$scenarios" -- \
  paths "$config" --design BOIN --cohorts 2 --scenario Nope --out "$tmp/out"
refuse "next --design Nope" "doseval next: --design: 'Nope' is not in" "$designs" -- \
  next "$config" --design Nope --outcomes 1NNN
refuse "paths, two --design" "--design: given twice ('BOIN', 'CRM'); allowed: once" -- \
  paths "$config" --design BOIN --design CRM --cohorts 2 --out "$tmp/out"
refuse "next, two --design" "--design: given twice ('BOIN', 'CRM'); allowed: once" -- \
  next "$config" --design BOIN --design CRM --outcomes 1NNN
refuse "paths, two --scenario" "--scenario: given twice" -- \
  paths "$config" --design BOIN --scenario Flat --scenario "MTD at dose 1" --cohorts 2 --out "$tmp/out"
refuse "paths, no --design" "--design: missing; allowed: a design of $config: '3+3', 'BOIN'" -- \
  paths "$config" --cohorts 2 --out "$tmp/out"
refuse "next, no --design" "--design: missing; allowed: a design of $config: '3+3', 'BOIN'" -- \
  next "$config" --outcomes 1NNN
# 'random' selects every random curve: paths shows one (it read the first named scenario's curve,
# and crashed on a config with only random ones)
refuse "paths --scenario random" "--scenario: 'random' selects 3000 curves; allowed: one scenario" -- \
  paths "$random" --design BOIN --cohorts 2 --scenario random --out "$tmp/out"
sed -e '/^scenarios:/d' -e '/MTD at dose 2/d' "$random" >"$tmp/only_random.yaml"
refuse "paths --scenario random, no named scenario" "'random' selects 3000 curves" -- \
  paths "$tmp/only_random.yaml" --design BOIN --cohorts 2 --scenario random --out "$tmp/out"
# many names: the first ones, then how many more, within one message
{
  sed '/^scenarios:/,$d' "$config"
  echo "scenarios:"
  for i in $(seq 1 200); do echo "  - {name: \"a long scenario name number $i\", p_tox: [0.1, 0.2, 0.3]}"; done
  echo "simulation: {trials: 100, seed: 1}"
} >"$tmp/many.yaml"
refuse "exact --scenario Nope, 200 scenarios" "allowed: 'a long scenario name number 1', " \
  "more" -- exact "$tmp/many.yaml" --scenario Nope --out "$tmp/out"
grep -qE "and 1[0-9]{2} more$" "$tmp/stderr" || fail "200 names: no count of the rest"
echo "badinput_selection: all $cases cases passed"
