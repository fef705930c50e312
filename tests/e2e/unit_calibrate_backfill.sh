#!/usr/bin/env bash
# unit_calibrate_backfill.sh — `doseval calibrate` on a design with backfill (BF-BOIN on the
# efficacy config; SPEC sections 13 and 15), over its backfill option and one of its own
# (backfill.cap x cutoff_eli): each point equals the `doseval run` of a config with the point's
# values written in (a backfill design is simulated: its counts gain the backfilled patients'
# outcomes as time goes, which no graph holds) and, where cap is 0 (no backfill: BOIN with
# time, whose graph the exact engine sweeps), the `doseval exact` of that config: the means over
# the six named scenarios of pcs, pct_overdosed, p_stop and n_mean, to 1e-9 (both files print 12
# decimals).
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config() { # CAP ELI: the efficacy config, 300 trials a scenario, BF-BOIN with those values
  sed -e 's/^simulation: .*/simulation: {trials: 300, seed: 20261207}/' \
    -e "s/^  - {name: \"BF-BOIN\", type: boin, cutoff_eli: 0.95,/  - {name: \"BF-BOIN\", type: boin, cutoff_eli: $2,/" \
    -e "s/^     backfill: {cap: 12, assign: highest}}/     backfill: {cap: $1, assign: highest}}/" \
    "$repo/configs/nct05563545_efficacy.yaml"
}
config 12 0.95 >"$tmp/cfg.yaml"
cmp -s "$tmp/cfg.yaml" <(sed 's/^simulation: .*/simulation: {trials: 300, seed: 20261207}/' \
  "$repo/configs/nct05563545_efficacy.yaml") ||
  { echo "FAIL: the config's BF-BOIN is not cap 12, cutoff_eli 0.95 (the edits below would miss)" >&2; exit 1; }
config 3 0.9 | grep -q 'cutoff_eli: 0.9, extrasafe: false, offset: 0.05,$' &&
  config 3 0.9 | grep -q 'backfill: {cap: 3, assign: highest}}' ||
  { echo "FAIL: the test's edits of the config changed nothing" >&2; exit 1; }
"$doseval" calibrate "$tmp/cfg.yaml" --design BF-BOIN --grid backfill.cap=0,3,12 \
  --grid cutoff_eli=0.9,0.95 --out "$tmp/cal" >/dev/null
csv=$tmp/cal/calibration.csv
[[ $(wc -l <"$csv") -eq 7 ]] || { echo "FAIL: not 6 points" >&2; cat "$csv" >&2; exit 1; }
point=0
for cap in 0 3 12; do
  for eli in 0.9 0.95; do
    point=$((point + 1))
    config "$cap" "$eli" >"$tmp/p$point.yaml"
    cmd=run
    [ "$cap" = 0 ] && cmd=exact
    "$doseval" "$cmd" "$tmp/p$point.yaml" --design BF-BOIN --out "$tmp/o$point" >/dev/null 2>&1 ||
      { echo "FAIL: doseval $cmd of point $point's config" >&2; exit 1; }
    python3 - "$csv" "$tmp/o$point/oc.csv" "$point" "$cap" "$eli" "$cmd" <<'PY'
import csv, sys
csv_path, oc_path, point, cap, eli, cmd = sys.argv[1:]
row = [r for r in csv.DictReader(open(csv_path)) if r["point"] == point][0]
if (row["backfill.cap"], row["cutoff_eli"]) != (cap, eli):
    sys.exit("FAIL: point %s is %s, want cap %s, cutoff_eli %s" % (point, row, cap, eli))
want_method = "exact" if cmd == "exact" else "simulation"
if row["method"] != want_method:
    sys.exit("FAIL: point %s (cap %s) is %s, want %s" % (point, cap, row["method"], want_method))
oc = list(csv.DictReader(open(oc_path)))
for key in ("pcs", "pct_overdosed", "p_stop", "n_mean"):
    v = [float(r["value"]) for r in oc if r["design"] == "BF-BOIN" and r["metric"] == key]
    if len(v) != 6:
        sys.exit("FAIL: %s's oc.csv has %d %s rows for BF-BOIN, want 6" % (cmd, len(v), key))
    if abs(sum(v) / 6 - float(row[key])) > 1e-9:
        sys.exit("FAIL: point %s (cap %s, cutoff_eli %s): %s %s, doseval %s's mean %.12f"
                 % (point, cap, eli, key, row[key], cmd, sum(v) / 6))
PY
  done
done
echo "ok: the 6 points of a calibration of BF-BOIN over backfill.cap x cutoff_eli equal doseval run of each point's config (doseval exact where cap is 0)"
