#!/usr/bin/env bash
# badinput_config.sh — end-to-end bad input: every tests/data/bad/*.yaml under `doseval run` and
# `doseval exact` exits 2, names the file and the .expect substring on stderr, and writes nothing;
# so do a missing config, an unknown option and a bad --trials (SPEC 4, 5; STYLE "Tests").
# Usage: bash tests/e2e/badinput_config.sh /path/to/doseval /path/to/repo
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 /path/to/doseval /path/to/repo" >&2
  exit 2
fi
[[ -f "$1" && -x "$1" ]] || { echo "FAIL: $1 is not an executable" >&2; exit 1; }
[[ -d "$2/tests/data/bad" ]] || { echo "FAIL: $2/tests/data/bad is not a directory" >&2; exit 1; }
# absolute paths: the commands run in a scratch working directory
doseval="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
repo="$(cd "$2" && pwd)"
bad="$repo/tests/data/bad"
valid="$repo/tests/data/valid_overrides.yaml" # 3+3 only: loads in every build
export OMPI_ALLOW_RUN_AS_ROOT="${OMPI_ALLOW_RUN_AS_ROOT:-1}"
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}"

tmp=$(mktemp -d) || { echo "FAIL: mktemp -d" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT
cases=0

fail() {
  echo "FAIL: $*" >&2
  if [[ -s "$tmp/stderr" ]]; then
    echo "--- stderr:" >&2
    cat "$tmp/stderr" >&2
  fi
  exit 1
}

# run_case STATUS LABEL NEEDLE... -- ARGS...: runs doseval ARGS in an empty working directory and
# checks the exit status; for status 2 also that stderr holds every NEEDLE, that $tmp/out was not
# created and that nothing appeared in the working directory.
run_case() {
  local want=$1 label=$2
  shift 2
  local -a needles=()
  while [[ $# -gt 0 && $1 != -- ]]; do
    needles+=("$1")
    shift
  done
  shift
  rm -rf "$tmp/out" "$tmp/cwd"
  mkdir "$tmp/cwd"
  local status=0
  (cd "$tmp/cwd" && exec timeout 120 "$doseval" "$@") >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
  [[ $status -eq $want ]] || fail "$label: exit status $status, expected $want (doseval $*)"
  local n
  for n in "${needles[@]}"; do
    grep -qF -- "$n" "$tmp/stderr" || fail "$label: stderr does not contain '$n' (doseval $*)"
  done
  if [[ $want -eq 2 ]]; then
    [[ ! -e "$tmp/out" ]] || fail "$label: $tmp/out was created (partial output) (doseval $*)"
    [[ -z "$(ls -A "$tmp/cwd")" ]] ||
      fail "$label: files appeared in the working directory: $(ls -A "$tmp/cwd") (doseval $*)"
  fi
  cases=$((cases + 1))
  echo "ok   $label"
}

# 0. Controls: the valid fixture runs, so an exit 2 below comes from the bad input.
run_case 0 "control: run valid_overrides.yaml" -- run "$valid" --trials 10 --out "$tmp/out" --quiet
[[ -s "$tmp/out/oc.csv" ]] || fail "control: run wrote no $tmp/out/oc.csv"
run_case 0 "control: exact valid_overrides.yaml" -- exact "$valid" --out "$tmp/out"
[[ -s "$tmp/out/oc.csv" ]] || fail "control: exact wrote no $tmp/out/oc.csv"

# 1. Every bad config, under both commands.
shopt -s nullglob
files=("$bad"/*.yaml)
[[ ${#files[@]} -gt 0 ]] || fail "no fixtures in $bad"
for f in "${files[@]}"; do
  name=$(basename "$f")
  [[ -f "${f%.yaml}.expect" ]] || fail "$name: no ${name%.yaml}.expect next to it"
  expect=$(<"${f%.yaml}.expect")
  [[ -n "$expect" ]] || fail "$name: ${name%.yaml}.expect is empty"
  run_case 2 "run   $name" "$name" "$expect" -- run "$f" --trials 10 --out "$tmp/out"
  run_case 2 "exact $name" "$name" "$expect" -- exact "$f" --out "$tmp/out"
done

# 2. Command-line errors.
run_case 2 "run   missing config" "no_such_config.yaml" -- \
  run "$tmp/no_such_config.yaml" --trials 10 --out "$tmp/out"
run_case 2 "exact missing config" "no_such_config.yaml" -- \
  exact "$tmp/no_such_config.yaml" --out "$tmp/out"
run_case 2 "run   unknown option" "--frobnicate" -- \
  run "$valid" --frobnicate --trials 10 --out "$tmp/out"
run_case 2 "exact unknown option" "--frobnicate" -- exact "$valid" --frobnicate --out "$tmp/out"
run_case 2 "run   --trials 0" "--trials" -- run "$valid" --trials 0 --out "$tmp/out"
run_case 2 "run   --trials abc" "--trials" "abc" -- run "$valid" --trials abc --out "$tmp/out"
run_case 2 "run   --trials without a value" -- run "$valid" --out "$tmp/out" --trials

echo "badinput_config: all $cases cases passed"
