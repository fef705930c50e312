#!/usr/bin/env bash
# badinput_live.sh — `paths` and `next` on inputs a live trial's statistician may give (issue 27,
# items 4, 7, 8, 9): a `paths` request too big to build is refused at once (exit 2, within a
# bounded memory) naming the most cohorts that fit, and that many do fit; refusals leave no
# output folder and nothing on stdout.
# Item 7: a trial that has stopped, or a table that cannot be written, leaves no folder.
# Usage: bash tests/e2e/badinput_live.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
repo="$(cd "$2" && pwd)"
config="$repo/configs/nct05563545.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cases=0

fail() {
  echo "FAIL: $*" >&2
  [ -s "$tmp/stderr" ] && { echo "--- stderr:" >&2; head -c 2000 "$tmp/stderr" >&2; }
  exit 1
}

# refuse LABEL NEEDLE... -- ARGS...: doseval ARGS in an empty working directory exits 2 within
# 60 s with every NEEDLE on stderr, nothing on stdout, no $tmp/out and no file in the working
# directory. The peak memory (when /usr/bin/time is there) lands in $tmp/rss (KB).
refuse() {
  local label=$1
  shift
  local -a needles=()
  while [[ $1 != -- ]]; do needles+=("$1"); shift; done
  shift
  rm -rf "$tmp/out" "$tmp/cwd"
  mkdir "$tmp/cwd"
  local rc=0
  local -a timer=()
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -o "$tmp/rss" -f "%M")
  (cd "$tmp/cwd" && exec timeout 60 "${timer[@]}" "$doseval" "$@") >"$tmp/stdout" 2>"$tmp/stderr" ||
    rc=$?
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

# Item 4: an 8-dose CRM in cohorts of 1 up to 255 patients has billions of states within 255
# cohorts; it ran for minutes and took gigabytes before saying anything. Now it is refused after
# building at most the bound (2^21 states, about 150 MB), naming the most cohorts that fit.
cat >"$tmp/crm8.yaml" <<'EOF'
study:
  name: "CRM, 8 doses, cohorts of 1"
  doses: [1, 2, 3, 4, 5, 6, 7, 8]
  dose_unit: "level"
  target: 0.25
  cohort_size: 1
  max_n: 255
designs:
  - {name: "CRM", type: crm, model: empiric, skeleton: {halfwidth: 0.05, prior_mtd: 4}}
  - {name: "BOIN", type: boin}
scenarios:
  - {name: "MTD at 4", p_tox: [0.02, 0.05, 0.12, 0.25, 0.40, 0.55, 0.70, 0.80]}
simulation: {trials: 1000, seed: 19}
EOF
for design in CRM BOIN; do
  refuse "paths $design, 255 cohorts of 1 at 8 doses" "--cohorts 255: more than 2097152 states" \
    "allowed: --cohorts 1 to " -- paths "$tmp/crm8.yaml" --design $design --cohorts 255 \
    --out "$tmp/out"
  if [[ -s "$tmp/rss" ]]; then
    [[ $(tail -n 1 "$tmp/rss") -lt 600000 ]] || fail "paths $design: peak memory $(cat "$tmp/rss") KB"
  fi
  # what the message says fits does fit, in the states it says; one more does not
  fit=$(grep -Eo 'allowed: --cohorts 1 to [0-9]+ \([0-9]+ cohorts: [0-9]+ states' "$tmp/stderr")
  k=$(echo "$fit" | sed -E 's/.* to ([0-9]+) .*/\1/')
  states=$(echo "$fit" | sed -E 's/.*: ([0-9]+) states/\1/')
  [[ -n "$k" && -n "$states" ]] || fail "paths $design: no fit in the message"
  "$doseval" paths "$tmp/crm8.yaml" --design $design --cohorts "$k" --out "$tmp/fits" \
    >"$tmp/fits.txt" 2>"$tmp/stderr" || fail "paths $design --cohorts $k (said to fit) failed"
  grep -q " paths through $states states$" "$tmp/fits.txt" ||
    fail "paths $design --cohorts $k: $(sed -n 2p "$tmp/fits.txt"), the refusal said $states states"
  refuse "paths $design, one cohort more than fits" "--cohorts $((k + 1)): more than" \
    "allowed: --cohorts 1 to $k ($k cohorts: $states states)" -- \
    paths "$tmp/crm8.yaml" --design $design --cohorts $((k + 1)) --out "$tmp/out"
done

# Item 7: no partial output. A trial that has stopped has no paths: said, and no folder made.
rm -rf "$tmp/out"
"$doseval" paths "$config" --design BOIN --cohorts 2 --outcomes "1TTT" --out "$tmp/out/p" \
  >"$tmp/stdout" 2>"$tmp/stderr" || fail "paths after a stop: exit $?"
grep -q "there are no paths; no file written" "$tmp/stdout" || fail "paths after a stop: $(cat "$tmp/stdout")"
[[ ! -e "$tmp/out" ]] || fail "paths after a stop left $(find "$tmp/out")"
echo "ok   paths after a stop: no paths, no folder"
cases=$((cases + 1))
# a table that cannot be written: exit 1 and neither paths.csv nor paths.html
rc=0
"$doseval" paths "$config" --design BOIN --cohorts 2 --out "$tmp/out/p" >/dev/full 2>"$tmp/stderr" || rc=$?
[[ $rc -eq 1 ]] || fail "paths > /dev/full: exit $rc, expected 1"
grep -q "cannot write to standard output: .*; no file written" "$tmp/stderr" || fail "paths > /dev/full: no message"
[[ $(grep -c "cannot write to standard output" "$tmp/stderr") -eq 1 ]] || fail "paths > /dev/full: said twice"
[[ ! -e "$tmp/out" ]] || fail "paths > /dev/full wrote $(find "$tmp/out")"
echo "ok   paths > /dev/full: exit 1, no file"
cases=$((cases + 1))

# BOIN12 reads escalation's letters E (response only), T, B (both), N (SPEC 13; issue 30): the
# paper's trajectory gives dose 2; a letter that is none of them, E for a design that reads DLTs
# only, and paths for BOIN12 from pending patients (their responses are unknown too) are refused
# with what is allowed.
cat >"$tmp/b12.yaml" <<'EOF'
study: {name: "BOIN12", doses: [1, 2, 3, 4, 5], target: 0.3, cohort_size: 3, max_n: 36}
designs:
  - {name: "BOIN12", type: boin12}
  - {name: "BOIN", type: boin}
scenarios:
  - {name: "s", p_tox: [0.05, 0.1, 0.15, 0.3, 0.45], p_eff: [0.1, 0.2, 0.45, 0.5, 0.55]}
EOF
"$doseval" next "$tmp/b12.yaml" --design BOIN12 --outcomes "1NNN 2ENT 3ETT 2EEN" >"$tmp/stdout" \
  2>"$tmp/stderr" || fail "next BOIN12 on the paper's trajectory: exit $?"
grep -q "^next dose: 2 " "$tmp/stdout" || fail "next BOIN12: $(head -n 1 "$tmp/stdout"), the paper's 2"
echo "ok   next BOIN12 1NNN 2ENT 3ETT 2EEN: dose 2"
cases=$((cases + 1))
refuse "next BOIN12, a letter that is no outcome" "'X' at character 9" \
  "allowed: E (response only), T (DLT only), B (both) or N (neither)" -- \
  next "$tmp/b12.yaml" --design BOIN12 --outcomes "1NNN 2ENX"
refuse "next BOIN, a response letter" "'E' at character 7" \
  "E and B (responses) only for a design that reads responses" -- \
  next "$tmp/b12.yaml" --design BOIN --outcomes "1NNN 2ENT"
refuse "paths BOIN12 with a pending patient" "--outcomes: 1 pending patient (P)" \
  "'BOIN12' (boin12) reads responses" "allowed: complete cohorts only (E, T, B, N)" \
  -- paths "$tmp/b12.yaml" --design BOIN12 --cohorts 2 --outcomes "1NNN 2ENP3" --dlt-window 28 \
  --out "$tmp/out"

echo "badinput_live: all $cases cases passed"
