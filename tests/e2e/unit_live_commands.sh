#!/usr/bin/env bash
# unit_live_commands.sh — `next`, `paths` and `validate` as a statistician types them on the
# reference study: first lines of `next`, its JSON, bad outcome strings (exit 2, a caret under the
# character, nothing on stdout); `paths` files, its tree only for K <= 4, whole-trial leaf
# probabilities equal to `exact`'s; `validate` writes nothing and exits 2 on a bad config.
# Usage: bash tests/e2e/unit_live_commands.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
repo=$2
cfg="$repo/configs/nct05563545.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

first_line() { "$doseval" next "$cfg" --design "$1" --outcomes "$2" | head -n 1; }
[[ "$(first_line BOIN '1NNN 2NTN')" == "next dose: 2 (2e+07 CAR+ NK cells/kg)" ]] ||
  fail "BOIN after 1NNN 2NTN: $(first_line BOIN '1NNN 2NTN')"
[[ "$(first_line BOIN '1TTT')" == "stop: no MTD" ]] || fail "BOIN after 1TTT"
[[ "$(first_line 3+3 '1NNN 2NNN 3NNN 3NTN')" == "stop: MTD 3 (3e+07 CAR+ NK cells/kg)" ]] ||
  fail "3+3 after 1/6 at the top: $(first_line 3+3 '1NNN 2NNN 3NNN 3NTN')"
[[ "$(first_line 3+3 '')" == "next dose: 1 (1e+07 CAR+ NK cells/kg)" ]] || fail "3+3 at the start"
"$doseval" next "$cfg" --design CRM --outcomes "1NNN 3NTN" >"$tmp/dev.txt"
grep -Fq "deviation: cohort 2: dose 3 given; the design said dose 2" "$tmp/dev.txt" ||
  fail "the deviation is not reported: $(cat "$tmp/dev.txt")"

"$doseval" next "$cfg" --design "CRM start 2" --outcomes "2NNN 3TTT" --json >"$tmp/next.json"
python3 - "$tmp/next.json" <<'PY' || fail "next --json"
import json, sys
o = json.load(open(sys.argv[1]))
for key in ("design", "outcomes", "continue", "dose", "mtd", "reason"):
    assert key in o, key
assert o["design"] == "CRM start 2" and o["outcomes"] == "2NNN 3TTT"
assert o["continue"] is True and o["mtd"] is None and o["dose"] in (1, 2), o
assert o["counts"][2] == {"dose": 3, "n": 3, "dlt": 3}, o["counts"]
PY

for bad in "1NXN" "0NNN" "4NNN" "2" "1NNN 2"; do
  rc=0
  "$doseval" next "$cfg" --design BOIN --outcomes "$bad" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc -eq 2 ]] || fail "next --outcomes '$bad' exited $rc, expected 2"
  [[ ! -s "$tmp/out" ]] || fail "next --outcomes '$bad' printed on stdout"
  grep -q '\^$' "$tmp/err" || fail "next --outcomes '$bad': no caret line: $(cat "$tmp/err")"
  grep -q "allowed: " "$tmp/err" || fail "next --outcomes '$bad': $(cat "$tmp/err")"
done
rc=0
"$doseval" next "$cfg" --design "BOIN 2" --outcomes "1NNN" >/dev/null 2>"$tmp/err" || rc=$?
[[ $rc -eq 2 ]] && grep -q "BOIN 2" "$tmp/err" || fail "an unknown design: exit $rc"

# paths: two cohorts of BOIN, files and tree
"$doseval" paths "$cfg" --design BOIN --cohorts 2 --out "$tmp/p2" >"$tmp/p2.txt"
[[ -s "$tmp/p2/paths.csv" && -s "$tmp/p2/paths.html" ]] || fail "paths: files missing"
head -n 1 "$tmp/p2/paths.csv" | grep -qx "path,cohort,dose,dlts,next_dose,stop,mtd" ||
  fail "paths.csv header: $(head -n 1 "$tmp/p2/paths.csv")"
n=$(grep -Eo '^[0-9]+ paths' "$tmp/p2.txt" | grep -Eo '^[0-9]+')
last=$(tail -n 1 "$tmp/p2/paths.csv" | cut -d, -f1)
[[ "$n" == "$last" ]] || fail "paths: $n paths said, $last in paths.csv"
grep -q "<svg" "$tmp/p2/paths.html" || fail "paths.html has no tree"
"$doseval" paths "$cfg" --design BOIN --cohorts 5 --out "$tmp/p5" >/dev/null
[[ -s "$tmp/p5/paths.csv" && ! -e "$tmp/p5/paths.html" ]] || fail "paths: a tree for 5 cohorts"

# from a history after which the trial has stopped: no paths, said so
"$doseval" paths "$cfg" --design BOIN --cohorts 2 --outcomes "1TTT" --out "$tmp/p0" >"$tmp/p0.txt"
grep -q "the trial has stopped (stop, no MTD, lowest_dose_eliminated): there are no paths" \
  "$tmp/p0.txt" || fail "paths after a stop: $(cat "$tmp/p0.txt")"

# the whole CRM trial under a scenario: the leaves are exact's selection
"$doseval" paths "$cfg" --design CRM --cohorts 7 --scenario "MTD at dose 2" --out "$tmp/p7" \
  >"$tmp/p7.txt"
"$doseval" exact "$cfg" --out "$tmp/exact" >/dev/null
python3 - "$tmp/p7.txt" "$tmp/exact/oc.csv" <<'PY' || fail "paths leaves differ from exact"
import csv, re, sys
line = [l for l in open(sys.argv[1]) if l.startswith("at the leaves")][0]
leaves = {0: float(re.search(r"no MTD\) ([0-9.]+)", line).group(1))}
for d, v in re.findall(r"MTD (\d)\) ([0-9.]+)", line):
    leaves[int(d)] = float(v)
for r in csv.DictReader(open(sys.argv[2])):
    if r["scenario"] == "MTD at dose 2" and r["design"] == "CRM" and r["metric"] == "sel":
        d = int(r["dose"])
        assert abs(leaves[d] - float(r["value"])) <= 5e-7, (d, leaves[d], r["value"])
assert re.search(r"still treating\) 0\.000000", line), line
PY

# validate: writes nothing; a bad config exits 2
cd "$tmp"
"$doseval" validate "$cfg" >"$tmp/v.txt"
head -n 1 "$tmp/v.txt" | grep -q ": valid$" || fail "validate: $(head -n 1 "$tmp/v.txt")"
grep -q "true MTD dose 2" "$tmp/v.txt" || fail "validate lists no true MTD"
grep -q "skeleton 0.2040 0.3000 0.4018" "$tmp/v.txt" || fail "validate: the calibrated skeleton"
[[ ! -e "$tmp/results" ]] || fail "validate wrote results/"
rc=0
"$doseval" validate "$repo/tests/data/bad/rule_unknown.yaml" >"$tmp/out" 2>"$tmp/err" || rc=$?
[[ $rc -eq 2 && ! -s "$tmp/out" ]] || fail "validate on a bad config: exit $rc"
grep -q "stop_sometimes: not a rule" "$tmp/err" || fail "validate: $(cat "$tmp/err")"
echo "ok: next, paths and validate"
