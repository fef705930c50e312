#!/usr/bin/env bash
# unit_calibrate_shards.sh — a calibration split with --shard I/N and joined by `merge` writes the
# same bytes as one unsharded calibration (calibration.csv and calibration.part; SPEC section 15),
# whatever N (more shards than points too) and the order the folders are given in. On the
# reference study's CRM over half-width x prior MTD, with 8 random curves added.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ cat "$repo/configs/nct05563545.yaml"; echo "random_scenarios: {count: 8, method: pseudo-uniform}"; } \
  >"$tmp/cfg.yaml"
grid=(--design CRM --grid skeleton.halfwidth=0.02,0.04,0.06,0.08,0.10,0.12 --grid skeleton.prior_mtd=1,2,3
  --max-overdose 33)
"$doseval" calibrate "$tmp/cfg.yaml" "${grid[@]}" --out "$tmp/whole" >"$tmp/whole.txt"
[[ $(wc -l <"$tmp/whole/calibration.csv") -eq 19 ]] || { echo "FAIL: not 18 points" >&2; exit 1; }
for n in 4 25; do
  dirs=()
  for ((i = n - 1; i >= 0; i--)); do # given in reverse order to merge
    "$doseval" calibrate "$tmp/cfg.yaml" "${grid[@]}" --shard "$i/$n" --out "$tmp/s$n-$i" >/dev/null
    [[ ! -e $tmp/s$n-$i/calibration.csv ]] || { echo "FAIL: a shard wrote calibration.csv" >&2; exit 1; }
    dirs+=("$tmp/s$n-$i")
  done
  "$doseval" merge "${dirs[@]}" --out "$tmp/merged$n" >"$tmp/merged$n.txt"
  for f in calibration.csv calibration.part; do
    cmp "$tmp/whole/$f" "$tmp/merged$n/$f" ||
      { echo "FAIL: $n shards merge to another $f" >&2; diff "$tmp/whole/$f" "$tmp/merged$n/$f" | head >&2; exit 1; }
  done
  # the table on stdout is the same but for the files it names
  diff <(grep -Ev '^(table|report):' "$tmp/whole.txt") <(grep -Ev '^(table|report):' "$tmp/merged$n.txt") >&2 ||
    { echo "FAIL: merge prints another table" >&2; exit 1; }
  # the merged set merges again (it is a whole calibration's)
  "$doseval" merge "$tmp/merged$n" --out "$tmp/again$n" >/dev/null
  cmp "$tmp/whole/calibration.csv" "$tmp/again$n/calibration.csv"
done
grep -q '^best: point ' "$tmp/whole.txt" || { echo "FAIL: no best point" >&2; exit 1; }
echo "ok: 4 and 25 shards of an 18-point calibration merge to the unsharded calibration.csv and calibration.part, byte for byte"
