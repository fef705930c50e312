#!/usr/bin/env bash
# unit_calibrate_sim_shards.sh — a *simulated* calibration (SPEC section 15: a design the exact
# engine cannot serve, here TITE-BOIN on the timed reference study, whose decisions depend on
# arrival and onset times) split with --shard I/N and joined by `merge` writes the same bytes as
# one unsharded run: calibration.csv and calibration.part, whose per-point rows for the paired
# MCSEs (batch sums of the named scenarios, one column per random curve) are simulated, not
# exact. Also: every point says `simulation`, the paired MCSE of each difference to the best is
# a positive number and stdout's ranked table shows both, and the point with the config's own
# values is the `doseval run` of that config on the same virtual patients (its mean pcs over the
# named scenarios, from oc.csv).
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 300 trials a scenario, 6 named scenarios and 2 random curves: a few seconds in all
sed -e 's/^simulation: .*/simulation: {trials: 300, seed: 20261206}/' "$repo/configs/nct05563545_time.yaml" \
  >"$tmp/cfg.yaml"
echo "random_scenarios: {count: 2, method: pseudo-uniform}" >>"$tmp/cfg.yaml"
grep -q '^simulation: {trials: 300,' "$tmp/cfg.yaml" || { echo "FAIL: the config's trials were not set" >&2; exit 1; }
grid=(--design TITE-BOIN --grid cutoff_eli=0.9,0.95 --grid max_pending=0.3,0.5 --max-overdose 40)
"$doseval" calibrate "$tmp/cfg.yaml" "${grid[@]}" --out "$tmp/whole" >"$tmp/whole.txt"
csv=$tmp/whole/calibration.csv
[[ $(wc -l <"$csv") -eq 5 ]] || { echo "FAIL: not 4 points" >&2; cat "$csv" >&2; exit 1; }
python3 - "$csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    if r["method"] != "simulation":
        sys.exit("FAIL: point %s is %s, not simulated" % (r["point"], r["method"]))
    if float(r["pcs_mcse"]) <= 0:
        sys.exit("FAIL: point %s: a simulated pcs with MCSE %s" % (r["point"], r["pcs_mcse"]))
    if r["best"] != "1" and not float(r["diff_best_mcse"]) > 0:
        sys.exit("FAIL: point %s: paired MCSE %s" % (r["point"], r["diff_best_mcse"]))
if sum(r["best"] == "1" for r in rows) != 1:
    sys.exit("FAIL: not one best point")
EOF
# stdout's ranked table shows each point's difference to the best and its paired MCSE
python3 - "$csv" "$tmp/whole.txt" <<'EOF'
import csv, sys
rows = {r["point"]: r for r in csv.DictReader(open(sys.argv[1]))}
ranked = [l.split() for l in open(sys.argv[2]) if l[:4].strip().isdigit()]
if len(ranked) != len(rows):
    sys.exit("FAIL: stdout ranks %d points, calibration.csv has %d" % (len(ranked), len(rows)))
for t in ranked:  # rank point cutoff_eli max_pending pcs mcse diff mcse %over p_stop n_mean [note]
    r = rows[t[1]]
    for shown, key in ((t[6], "diff_best"), (t[7], "diff_best_mcse")):
        if abs(float(shown) - float(r[key])) > 0.5e-4 + 1e-9:
            sys.exit("FAIL: point %s: stdout shows %s %s, calibration.csv %s" % (t[1], key, shown, r[key]))
EOF
for n in 3 5; do # 5 shards of 4 points: one shard has none
  dirs=()
  for ((i = n - 1; i >= 0; i--)); do
    "$doseval" calibrate "$tmp/cfg.yaml" "${grid[@]}" --shard "$i/$n" --out "$tmp/s$n-$i" >/dev/null
    dirs+=("$tmp/s$n-$i")
  done
  "$doseval" merge "${dirs[@]}" --out "$tmp/merged$n" >"$tmp/merged$n.txt"
  for f in calibration.csv calibration.part; do
    cmp "$tmp/whole/$f" "$tmp/merged$n/$f" ||
      { echo "FAIL: $n shards of a simulated calibration merge to another $f" >&2; exit 1; }
  done
  diff <(grep -Ev '^(table|report):' "$tmp/whole.txt") <(grep -Ev '^(table|report):' "$tmp/merged$n.txt") >&2 ||
    { echo "FAIL: merge prints another table" >&2; exit 1; }
done
# the point at the config's own values (cutoff_eli 0.95, max_pending 0.5: point 4) against
# `doseval run` of the config without random curves: the same named scenarios' patients
grep -v '^random_scenarios' "$tmp/cfg.yaml" >"$tmp/named.yaml"
"$doseval" calibrate "$tmp/named.yaml" "${grid[@]}" --out "$tmp/named" >/dev/null
"$doseval" run "$tmp/named.yaml" --design TITE-BOIN --out "$tmp/run" >/dev/null 2>&1
python3 - "$tmp/named/calibration.csv" "$tmp/run/oc.csv" <<'EOF'
import csv, sys
point = [r for r in csv.DictReader(open(sys.argv[1])) if r["point"] == "4"][0]
assert (point["cutoff_eli"], point["max_pending"]) == ("0.95", "0.5"), point
pcs = [float(r["value"]) for r in csv.DictReader(open(sys.argv[2]))
       if r["metric"] == "pcs" and r["design"] == "TITE-BOIN"]
if len(pcs) != 6:
    sys.exit("FAIL: oc.csv has %d pcs rows for TITE-BOIN, want 6 (the named scenarios)" % len(pcs))
# oc.csv rounds to 12 decimals: the mean of six within 1e-11
if abs(sum(pcs) / 6 - float(point["pcs"])) > 1e-11:
    sys.exit("FAIL: point 4's pcs %s, doseval run's mean %.17g" % (point["pcs"], sum(pcs) / 6))
EOF
echo "ok: 3 and 5 shards of a simulated 4-point calibration (TITE-BOIN, timed) merge to the unsharded calibration.csv and calibration.part, byte for byte; its point at the config's values is doseval run's"
