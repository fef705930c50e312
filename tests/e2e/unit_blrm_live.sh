#!/usr/bin/env bash
# unit_blrm_live.sh — the BLRM protocol of the reference study and its amendment in the live
# commands, which serve it with no BLRM code of their own (issue 29): `next` (first line, the
# posterior interval probabilities in its reasoning, EWOC's stop and the stopping rule, --json),
# and `paths` over the whole trial under a scenario, whose leaves are `exact`'s selection.
# Usage: bash tests/e2e/unit_blrm_live.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
repo=$2
cfg="$repo/configs/nct05563545.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

first_line() { "$doseval" next "$cfg" --design "$1" --outcomes "$2" | head -n 1; }
[[ "$(first_line BLRM '')" == "next dose: 1 (1e+07 CAR+ NK cells/kg)" ]] || fail "BLRM at the start"
[[ "$(first_line BLRM '1NNN')" == "next dose: 2 (2e+07 CAR+ NK cells/kg)" ]] ||
  fail "BLRM after 1NNN: $(first_line BLRM '1NNN')"
# 3/3 at the lowest dose: P(overdose) 0.80 there, no dose left under EWOC
"$doseval" next "$cfg" --design BLRM --outcomes "1TTT" >"$tmp/stop.txt"
head -n 1 "$tmp/stop.txt" | grep -qx "stop: no MTD" || fail "BLRM after 1TTT: $(cat "$tmp/stop.txt")"
grep -q "^stopped by: no_eligible_dose$" "$tmp/stop.txt" || fail "no_eligible_dose: $(cat "$tmp/stop.txt")"
grep -q "1: 0.040/0.162/0.798\*" "$tmp/stop.txt" || fail "the probabilities: $(cat "$tmp/stop.txt")"
# the stopping rule: 18 patients, 6 at dose 2 and P(target) 0.531 there
h="1NNN 2NNN 3NNN 3TNN 3TTT 2TTN"
"$doseval" next "$cfg" --design BLRM --outcomes "$h" >"$tmp/rule.txt"
head -n 1 "$tmp/rule.txt" | grep -qx "stop: MTD 2 (2e+07 CAR+ NK cells/kg)" ||
  fail "BLRM after $h: $(cat "$tmp/rule.txt")"
grep -q "^stopped by: target_probability$" "$tmp/rule.txt" || fail "target_probability"

"$doseval" next "$cfg" --design "BLRM 24 pts" --outcomes "1NNN 2NNN" --json >"$tmp/next.json"
python3 - "$tmp/next.json" <<'PY' || fail "next --json"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["design"] == "BLRM 24 pts" and o["type"] == "blrm", o
assert o["continue"] is True and o["dose"] == 3 and o["mtd"] is None, o
assert "P(DLT rate < 0.2 / in [0.2, 0.35) / >= 0.35)" in o["reason"], o["reason"]
PY

# the whole trial (7 cohorts of 3) of each BLRM under a scenario: the leaves are exact's selection
"$doseval" exact "$cfg" --out "$tmp/exact" >/dev/null
for design in "BLRM" "BLRM 24 pts"; do
  cohorts=7
  [[ "$design" == "BLRM 24 pts" ]] && cohorts=8
  "$doseval" paths "$cfg" --design "$design" --cohorts $cohorts --scenario "MTD at dose 2" \
    --out "$tmp/paths" >"$tmp/paths.txt"
  python3 - "$tmp/paths.txt" "$tmp/exact/oc.csv" "$design" <<'PY' || fail "$design: paths leaves differ from exact"
import csv, re, sys
line = [l for l in open(sys.argv[1]) if l.startswith("at the leaves")][0]
leaves = {0: float(re.search(r"no MTD\) ([0-9.]+)", line).group(1))}
for d, v in re.findall(r"MTD (\d)\) ([0-9.]+)", line):
    leaves[int(d)] = float(v)
seen = 0
for r in csv.DictReader(open(sys.argv[2])):
    if r["scenario"] == "MTD at dose 2" and r["design"] == sys.argv[3] and r["metric"] == "sel":
        d = int(r["dose"])
        assert abs(leaves[d] - float(r["value"])) <= 5e-7, (d, leaves[d], r["value"])
        seen += 1
assert seen == 4, seen
assert re.search(r"still treating\) 0\.000000", line), line
PY
done
# validate shows, for each outcome of the first cohort, what next says after it (the action and
# the same reasoning: the interval probabilities and EWOC)
"$doseval" validate "$cfg" --design BLRM >"$tmp/validate.txt"
for y in 0 1 2 3; do
  outcomes=1
  for i in 1 2 3; do if [ "$i" -le "$y" ]; then outcomes+=T; else outcomes+=N; fi; done
  line=$(grep -E "^    $y/3 DLTs: " "$tmp/validate.txt") || fail "validate has no line for $y/3"
  why=$("$doseval" next "$cfg" --design BLRM --outcomes "$outcomes" | sed -n 's/^reason: //p')
  [[ "$line" == *"; $why" ]] || fail "validate after $y/3: '$line'; next after $outcomes: '$why'"
  case "$(first_line BLRM "$outcomes")" in
  "next dose: "*) want="treat at dose $(first_line BLRM "$outcomes" | cut -d' ' -f3)" ;;
  "stop: no MTD") want="stop with no MTD" ;;
  *) fail "next after $outcomes: $(first_line BLRM "$outcomes")" ;;
  esac
  [[ "$line" == "    $y/3 DLTs: $want; "* ]] || fail "validate after $y/3 says '$line', next '$want'"
done
echo "ok: next and paths serve BLRM; validate shows next's decision after each first cohort"
