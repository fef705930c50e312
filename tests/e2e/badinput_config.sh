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

# 3. Issue 27, item 8: messages name the option or file, what was given (a byte that is not
# printable ASCII shown as \xHH, never raw) and what is allowed.
ref="$repo/configs/nct05563545.yaml"
raw_free() { # LABEL: stderr holds no control byte but newline, and no byte >= 0x80
  if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f\x80-\xff]' "$tmp/stderr"; then
    fail "$1: a raw byte on stderr: $(od -c "$tmp/stderr" | head -5)"
  fi
}
# the reference study keeps time (issue 28), so next also names pending patients, P<days>
run_case 2 "next --outcomes with UTF-8" "--outcomes: '\xc3' at character 4; allowed: N (no DLT), T (DLT) or P<days> (pending)" \
  '  1NN\xc3\xa9' -- next "$ref" --design BOIN --outcomes "1NN$(printf '\xc3\xa9')"
raw_free "next --outcomes with UTF-8"
run_case 2 "paths --outcomes with a control byte" "--outcomes: '\x1b' at character 3" -- \
  paths "$ref" --design BOIN --cohorts 2 --outcomes "1N$(printf '\x1b')[31m" --out "$tmp/out"
raw_free "paths --outcomes with a control byte"
run_case 2 "--design with control and UTF-8 bytes" "--design: 'B\x07\xc3\xa9' is not in $ref" \
  "allowed: '3+3', 'BOIN'" -- exact "$ref" --design "B$(printf '\a\xc3\xa9')" --out "$tmp/out"
raw_free "--design with control and UTF-8 bytes"
run_case 2 "--seed with a control byte" "--seed: '1\x1b' is not a decimal number" -- \
  run "$ref" --trials 10 --seed "1$(printf '\x1b')" --out "$tmp/out"
raw_free "--seed with a control byte"
mkdir -p "$tmp/a-folder.yaml"
for cmd in validate run exact; do
  extra=()
  [[ $cmd != validate ]] && extra=(--out "$tmp/out")
  run_case 2 "$cmd on a folder" "$tmp/a-folder.yaml: is a directory (a folder); allowed: a config file" -- \
    $cmd "$tmp/a-folder.yaml" "${extra[@]}"
  grep -q "Input/output error" "$tmp/stderr" && fail "$cmd on a folder: $(cat "$tmp/stderr")"
done
skel=(skeleton --halfwidth 0.05 --prior-mtd 2 --levels 4)
run_case 2 "skeleton --target 1e400" "--target: '1e400' is out of range; allowed: a decimal number" \
  "0 < T < 1" -- "${skel[@]}" --target 1e400
run_case 2 "boundaries --target 1e400" "--target: '1e400' is out of range; allowed: a decimal number" \
  "0 < T < 1" -- boundaries --target 1e400 --cohort-size 3 --cohorts 3
for c in 1e308 -1e308; do
  run_case 2 "skeleton --intercept $c" "--intercept: ${c/e/e+}: the skeleton's value of dose 2 of 4" \
    "allowed: an intercept" -- "${skel[@]}" --target 0.25 --model logistic --intercept $c
done
# and the limit it states works
"$doseval" "${skel[@]}" --target 0.25 --model logistic --intercept "$(grep -o 'at least [-0-9.e+]*' "$tmp/stderr" | cut -d' ' -f3)" >/dev/null ||
  fail "skeleton: the intercept the message allows fails"
run_case 2 "design option with a control byte" "--p-saf: 'x\x01'; allowed: 0 < p_saf < target" -- \
  boundaries --target 0.3 --cohort-size 3 --cohorts 3 --p-saf "x$(printf '\x01')"
raw_free "design option with a control byte"

# 4. Issue 27, item 9: what was silently accepted. An option that takes one value, given twice,
# is refused naming it (run, exact and validate take several --design / --scenario, by SPEC 4).
twice() { # LABEL OPTION A B -- ARGS...: ARGS plus OPTION A OPTION B is refused naming OPTION
  local label=$1 opt=$2 a=$3 b=$4
  shift 5
  run_case 2 "$label" "$opt: given twice ('$a', '$b'); allowed: once" -- "$@" "$opt" "$a" "$opt" "$b"
}
twice "run --out twice" --out "$tmp/out" "$tmp/out2" -- run "$ref" --trials 10 --quiet
[[ ! -e "$tmp/out2" ]] || fail "run --out twice wrote $tmp/out2"
twice "run --trials twice" --trials 10 20 -- run "$ref" --quiet --out "$tmp/out"
twice "run --seed twice" --seed 1 2 -- run "$ref" --trials 10 --quiet --out "$tmp/out"
twice "run --shard twice" --shard 0/2 1/2 -- run "$ref" --trials 10 --quiet --out "$tmp/out"
twice "run --checkpoint-every twice" --checkpoint-every 5 6 -- run "$ref" --trials 10 --quiet --out "$tmp/out"
twice "exact --out twice" --out "$tmp/out" "$tmp/out2" -- exact "$ref"
twice "next --outcomes twice" --outcomes 1NNN 1NNT -- next "$ref" --design BOIN
twice "paths --outcomes twice" --outcomes 1NNN 1NNT -- paths "$ref" --design BOIN --cohorts 2 --out "$tmp/out"
twice "paths --cohorts twice" --cohorts 2 3 -- paths "$ref" --design BOIN --out "$tmp/out"
twice "merge --out twice" --out "$tmp/out" "$tmp/out2" -- merge "$tmp"
twice "skeleton --target twice" --target 0.25 0.3 -- "${skel[@]}"
twice "boundaries --target twice" --target 0.25 0.3 -- boundaries --cohort-size 3 --cohorts 3
twice "boundaries design option twice" --p-saf 0.1 0.12 -- boundaries --target 0.3 --cohort-size 3 --cohorts 3
run_case 2 "--out=A --out B" "--out: given twice ('$tmp/out', '$tmp/out2')" -- \
  exact "$ref" --out="$tmp/out" --out "$tmp/out2"
# run takes several --design and --scenario (SPEC 4): still accepted
run_case 0 "run with two --design and two --scenario" -- run "$ref" --trials 10 --quiet \
  --design BOIN --design CRM --scenario "MTD at dose 1" --scenario Flat --out "$tmp/out"
# padded or signed numbers, hexadecimal floats: refused, not read as something else
for v in " 1/2" "+1/2" "1/ 2" "1/+2" "0x1/2" "1/2 "; do
  run_case 2 "--shard '$v'" "--shard: '$v'; allowed: I/N with 0 <= I < N <= 1000000, each decimal digits only" -- \
    run "$ref" --trials 10 --quiet --shard "$v" --out "$tmp/out"
done
for v in " -5" "-5" "+5" " 5" "5 " "0x10" "1e3"; do
  run_case 2 "--seed '$v'" "--seed: '$v' is not a decimal number; allowed: a whole number from 0 to 2^64-1" -- \
    run "$ref" --trials 10 --quiet --seed "$v" --out "$tmp/out"
  run_case 2 "--trials '$v'" "--trials: '$v'" "allowed: a whole number from 1 to 2^40" -- \
    run "$ref" --quiet --trials "$v" --out "$tmp/out"
done
run_case 2 "--seed 2^64" "--seed: '18446744073709551616' is out of range" -- \
  run "$ref" --trials 10 --quiet --seed 18446744073709551616 --out "$tmp/out"
run_case 2 "--checkpoint-every ' 5'" "--checkpoint-every: ' 5' is not a decimal number" -- \
  run "$ref" --trials 10 --quiet --checkpoint-every " 5" --out "$tmp/out"
for v in "+2" " 2" "0x2"; do
  run_case 2 "paths --cohorts '$v'" "--cohorts: '$v' is not a decimal number; allowed: a decimal whole number" -- \
    paths "$ref" --design BOIN --cohorts "$v" --out "$tmp/out"
done
for v in 0x1p-2 " 0.25" "0.25 " inf nan 0x.4p0; do
  run_case 2 "skeleton --target '$v'" "--target: '$v' is not a decimal number; allowed: a decimal number" -- \
    "${skel[@]}" --target "$v"
done
run_case 2 "boundaries design option in hex" "--p-saf: '0x1p-3' is not written in decimal" -- \
  boundaries --target 0.3 --cohort-size 3 --cohorts 3 --p-saf 0x1p-3
run_case 0 "control: decimal forms still read" -- "${skel[@]}" --target .25 --model logistic --intercept 3e0

echo "badinput_config: all $cases cases passed"
