#!/usr/bin/env bash
# unit_paths_responses.sh — `paths` for a design that reads responses (BOIN12; SPEC 4 and 13,
# issue 30): the pathways branch on (DLTs, responses) per cohort, written in escalation's BOIN12
# letters (E response only, T DLT only, B both, N neither). Checked against independent answers:
# * each listed cohort, pasted after --outcomes into `doseval next`, gives the decision the path
#   holds, at every step of every path (and from a history);
# * under a scenario with correlated tolerances (the Gaussian copula) the whole trial's leaves sum
#   to 1 and, added up by selected dose, equal `doseval exact`'s sel for the design, to the
#   precision each prints;
# * pending patients are refused for such a design (badinput_live.sh holds the message);
# * a stop names BOIN12's selection the OBD (design_type.selects), in `paths` and `next`.
# Usage: bash tests/e2e/unit_paths_responses.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# three doses, cohorts of 2, 6 patients: the whole trial is 3 cohorts of 9 outcomes each
cat >"$tmp/small.yaml" <<'YAML'
study: {name: "BOIN12 small", doses: [1, 2, 3], target: 0.3, cohort_size: 2, max_n: 6,
        eff_tox_correlation: 0.4}
designs:
  - {name: "BOIN12", type: boin12}
scenarios:
  - {name: "s", p_tox: [0.1, 0.25, 0.45], p_eff: [0.2, 0.45, 0.6]}
YAML
# the reference study's doses with cohorts of 3 (16 outcomes a cohort), for a history
cat >"$tmp/five.yaml" <<'YAML'
study: {name: "BOIN12", doses: [1, 2, 3, 4, 5], target: 0.3, cohort_size: 3, max_n: 36}
designs:
  - {name: "BOIN12", type: boin12}
scenarios:
  - {name: "s", p_tox: [0.05, 0.1, 0.15, 0.3, 0.45], p_eff: [0.1, 0.2, 0.45, 0.5, 0.55]}
YAML

# BOIN12 selects the OBD and says so: 3/3 DLTs at dose 1 eliminate it and every dose above
first=$("$doseval" next "$tmp/five.yaml" --design BOIN12 --outcomes "1TTT" | head -1)
[ "$first" = "stop: no OBD" ] || fail "next after 1TTT says \"$first\", not \"stop: no OBD\""

# every step of every path against `next`: the history before the step plus the step's cohort
check_next() { # CONFIG OUTCOMES CSV
  python3 - "$doseval" "$1" "$2" "$3" <<'PY'
import csv, json, subprocess, sys
doseval, cfg, before, path_csv = sys.argv[1:5]
rows = list(csv.DictReader(open(path_csv)))
assert rows and set(("responses", "outcome")) <= set(rows[0]), "no response columns"
paths = {}
for r in rows:
    paths.setdefault(r["path"], []).append(r)
seen, checked = {}, 0
for steps in paths.values():
    history = before.split()
    for r in steps:
        cohort = r["outcome"]
        letters = cohort.lstrip("0123456789")
        assert cohort[: len(cohort) - len(letters)] == r["dose"], cohort
        assert letters.count("T") + letters.count("B") == int(r["dlts"]), cohort
        assert letters.count("E") + letters.count("B") == int(r["responses"]), cohort
        history.append(cohort)
        text = " ".join(history)
        want = (r["stop"] == "1", int(r["mtd"] or 0) if r["stop"] == "1" else int(r["next_dose"]))
        if text in seen:
            assert seen[text] == want, (text, seen[text], want)
            continue
        out = json.loads(subprocess.run([doseval, "next", cfg, "--design", "BOIN12", "--outcomes",
                                         text, "--json"], check=True, capture_output=True,
                                        text=True).stdout)
        got = (not out["continue"], out["mtd"] if not out["continue"] else out["dose"])
        assert got == want, f"after {text!r}: next says {got}, the path {want}"
        seen[text] = want
        checked += 1
print(f"ok   {len(paths)} paths, {checked} histories: each decision is next's")
PY
}

"$doseval" paths "$tmp/small.yaml" --design BOIN12 --cohorts 2 --out "$tmp/p2" >"$tmp/p2.txt"
head -n 1 "$tmp/p2/paths.csv" |
  grep -qx "path,cohort,dose,dlts,responses,outcome,next_dose,stop,mtd" ||
  fail "paths.csv header: $(head -n 1 "$tmp/p2/paths.csv")"
grep -q "^81 paths through " "$tmp/p2.txt" || fail "2 cohorts of 2: $(sed -n 2p "$tmp/p2.txt")"
check_next "$tmp/small.yaml" "" "$tmp/p2/paths.csv" || fail "paths from the start and next differ"
# the tree draws the same letters
grep -q ">1TE -&gt; 1" "$tmp/p2/paths.html" || grep -q ">1TE -> 1" "$tmp/p2/paths.html" ||
  fail "paths.html lacks the cohort 1TE"
grep -q "E response only, T DLT only, B both, N neither" "$tmp/p2/paths.html" ||
  fail "paths.html does not say what the letters mean"

"$doseval" paths "$tmp/five.yaml" --design BOIN12 --cohorts 1 --outcomes "1NNN 2ENT" \
  --out "$tmp/h1" >"$tmp/h1.txt"
grep -q "^16 paths through " "$tmp/h1.txt" || fail "1 cohort of 3: $(sed -n 2p "$tmp/h1.txt")"
# the table: one line per path, its cohort in letters (the paper's next cohort goes to dose 3)
grep -Eq "^    1: 3NNN (-> [0-9]|stop)" "$tmp/h1.txt" || fail "the table: $(sed -n 3p "$tmp/h1.txt")"
grep -Eq "^   16: 3BBB " "$tmp/h1.txt" || fail "the table: $(sed -n 18p "$tmp/h1.txt")"
check_next "$tmp/five.yaml" "1NNN 2ENT" "$tmp/h1/paths.csv" ||
  fail "paths after 1NNN 2ENT and next differ"

# the whole trial under the scenario: the leaves sum to 1 and are exact's selection
"$doseval" paths "$tmp/small.yaml" --design BOIN12 --cohorts 3 --scenario s --out "$tmp/p3" \
  >"$tmp/p3.txt"
"$doseval" exact "$tmp/small.yaml" --out "$tmp/exact" >/dev/null
python3 - "$tmp/p3.txt" "$tmp/p3/paths.csv" "$tmp/exact/oc.csv" <<'PY' || fail "paths leaves differ from exact"
import csv, re, sys
line = [l for l in open(sys.argv[1]) if l.startswith("at the leaves")][0]
printed = {0: float(re.search(r"no OBD\) ([0-9.]+)", line).group(1))}
for d, v in re.findall(r"OBD (\d)\) ([0-9.]+)", line):
    printed[int(d)] = float(v)
assert re.search(r"still treating\) 0\.000000", line), line
last = {}
for r in csv.DictReader(open(sys.argv[2])):
    last[r["path"]] = r
listed, total = {}, 0.0
for r in last.values():
    assert r["stop"] == "1", ("a whole trial's leaf has stopped", r)
    d, p = int(r["mtd"] or 0), float(r["probability"])
    listed[d] = listed.get(d, 0.0) + p
    total += p
# paths.csv prints 12 significant digits: a few hundred leaves sum within 1e-9
assert abs(total - 1.0) <= 1e-9, total
exact = {int(r["dose"]): float(r["value"]) for r in csv.DictReader(open(sys.argv[3]))
         if r["design"] == "BOIN12" and r["metric"] == "sel"}
assert len(exact) == 4 and abs(sum(exact.values()) - 1.0) <= 1e-9, exact
for d, v in exact.items():
    # stdout prints 6 decimals: within half a unit of the last; the listed leaves, 12 digits
    assert abs(printed[d] - v) <= 5e-7 + 1e-12, (d, printed[d], v)
    assert abs(listed.get(d, 0.0) - v) <= 1e-9, (d, listed.get(d, 0.0), v)
print(f"ok   {len(last)} leaves sum to {total:.12f}; by selected dose {sorted(listed.items())} = exact")
PY
echo "ok: paths for a design that reads responses"
