#!/usr/bin/env bash
# unit_selections.sh — `exact` and `validate` take --design / --scenario as `run` does (SPEC 4;
# issue 26): exact on a selection writes the rows of those designs and scenarios, each the same
# number as in exact on the whole config, and the same rows as run on that selection; validate
# shows only the selected designs and scenarios.
# Usage: bash tests/e2e/unit_selections.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
repo=$2
config="$repo/configs/nct05563545.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
sel=(--design BOIN --design CRM --scenario "MTD at dose 2" --scenario Flat)

"$doseval" exact "$config" --out "$tmp/all" >/dev/null || fail "exact on the whole config"
"$doseval" exact "$config" "${sel[@]}" --out "$tmp/sel" >/dev/null || fail "exact ${sel[*]}"
"$doseval" run "$config" "${sel[@]}" --trials 300 --quiet --out "$tmp/run" >/dev/null ||
  fail "run ${sel[*]}"
python3 - "$tmp" <<'EOF' || fail "the selected rows differ (above)"
import csv, sys
tmp = sys.argv[1]
def rows(name):
    with open(f"{tmp}/{name}/oc.csv") as f:
        return {(r["scenario"], r["design"], r["metric"], r["dose"]): r["value"]
                for r in csv.DictReader(f)}
full, sel, run = rows("all"), rows("sel"), rows("run")
scen, des = {"MTD at dose 2", "Flat"}, {"BOIN", "CRM", "BOIN vs CRM", "benchmark"}
assert sel, "exact on the selection wrote no rows"
for k, v in sel.items():
    assert k[0] in scen and k[1] in des, f"a row outside the selection: {k}"
    assert k in full and full[k] == v, f"{k}: {v} on the selection, {full.get(k)} on the whole"
want = {k for k in full if k[0] in scen and k[1] in des}
assert set(sel) == want, f"missing rows: {sorted(want - set(sel))[:5]}"
assert set(run) == set(sel), f"run and exact select different rows: {sorted(set(run) ^ set(sel))[:5]}"
print(f"ok: exact on the selection: {len(sel)} rows, each as in exact on the whole config and as run's")
EOF

out=$("$doseval" validate "$config" "${sel[@]}") || fail "validate ${sel[*]}"
designs=$(grep -oE '^[^ ].*: .* \(type [a-z0-9]+\)$' <<<"$out" | sed 's/: .*//' | tr '\n' '|')
[ "$designs" = "BOIN|CRM|" ] || fail "validate ${sel[*]} shows the designs '$designs'"
scenarios=$(sed -n '/^scenarios:/,$p' <<<"$out" | grep -oE '^  [^ ].*: p\(DLT\)' | sed -e 's/^  //' \
  -e 's/: p(DLT)//' | tr '\n' '|')
[ "$scenarios" = "MTD at dose 2|Flat|" ] || fail "validate ${sel[*]} shows the scenarios '$scenarios'"
all=$("$doseval" validate "$config" | grep -cE '\(type [a-z0-9]+\)$')
# the config's own count: the entries of its designs: list, one a line from '  - {name:'
want=$(sed -n '/^designs:/,/^[a-z_]*:/p' "$config" | grep -cE '^  - ')
[ "$want" -ge 2 ] || fail "found $want designs in $config"
[ "$all" -eq "$want" ] || fail "validate without a selection shows $all designs, expected $want"
echo "ok: validate shows the selected designs and scenarios only"
