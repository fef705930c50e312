#!/usr/bin/env bash
# badinput_calibrate.sh — `calibrate` refuses a bad command line or grid point, and `merge`
# refuses calibration shards that do not belong together: exit 2, a message naming the point,
# key or file and what is allowed, and nothing written (SPEC sections 4, 15).
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
config="$repo/configs/nct05563545.yaml"
other="$tmp/other.yaml"
{ cat "$config"; echo "# one more line: another config's bytes"; } >"$other"
cal() { "$doseval" calibrate "$@" >/dev/null || { echo "FAIL: calibrate $*" >&2; exit 1; }; }
grid=(--design BOIN --grid cutoff_eli=0.85,0.9,0.95 --grid p_saf=0.15,0.18)
for i in 0 1 2; do cal "$config" "${grid[@]}" --shard "$i/3" --out "s$i"; done
cal "$other" "${grid[@]}" --shard 1/3 --out other1
cal "$config" --design BOIN --grid cutoff_eli=0.85,0.9,0.95 --grid p_saf=0.15,0.17 --shard 1/3 --out grid1
cal "$config" "${grid[@]}" --objective pas --shard 1/3 --out objective1
cal "$config" "${grid[@]}" --max-overdose 30 --shard 1/3 --out max1
cal "$config" "${grid[@]}" --shard 1/2 --out half1
cp -r s2 corrupted && sed -i 's/^point 4 /point 5 /' corrupted/calibration.part
cmp -s s2/calibration.part corrupted/calibration.part && { echo "FAIL: the edit changed nothing" >&2; exit 1; }
cp -r s2 truncated && head -c -30 s2/calibration.part >truncated/calibration.part
"$doseval" run "$config" --trials 100 --quiet --shard 0/3 --out run0 >/dev/null || { echo "FAIL: run" >&2; exit 1; }

cases=0
# refuse LABEL NEEDLE... -- ARGS...: exit 2, the needles in stderr, no out, empty stdout
source "$repo/tests/e2e/lib/refuse.sh"
refuse "bad value" "point 5 of 6 (cutoff_eli=1.5, p_saf=0.15)" "cutoff_eli: 1.5; allowed: 0 < cutoff_eli <= 1" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9,0.95,1.5 --grid p_saf=0.15,0.18 --out out
refuse "value of a nested key" "point 2 of 2 (skeleton.prior_mtd=4)" "skeleton.prior_mtd: 4; allowed" -- \
  calibrate "$config" --design CRM --grid skeleton.prior_mtd=1,4 --out out
refuse "a value across keys (configure)" "point 2 of 2 (offset=0.96)" "offset: 0.96; allowed: 0 <= offset < cutoff_eli (0.95)" -- \
  calibrate "$config" --design BOIN --grid offset=0.5,0.96 --out out
refuse "not a number" "point 2 of 2 (n_earlystop=many)" "n_earlystop" -- \
  calibrate "$config" --design BOIN --grid n_earlystop=9,many --out out
refuse "unknown key" "'foo' is not an option of design 'BOIN'" "allowed: one of p_saf, p_tox, cutoff_eli" -- \
  calibrate "$config" --design BOIN --grid foo=1,2 --out out
refuse "list-valued key" "'skeleton' is a list-valued option" "skeleton.halfwidth" -- \
  calibrate "$config" --design CRM --grid skeleton=0.1 --out out
refuse "no values" "--grid: 'cutoff_eli='; allowed: KEY=V1,V2" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli= --out out
refuse "repeated value" "the value '0.9' twice" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9,0.9 --out out
refuse "key twice" "'cutoff_eli' given twice" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9 --grid cutoff_eli=0.95 --out out
refuse "no grid" "--grid KEY=V1,V2,... is required" -- calibrate "$config" --design BOIN --out out
refuse "no design" "--design: missing" "'CRM'" -- calibrate "$config" --grid cutoff_eli=0.9 --out out
refuse "unknown design" "--design" "'BOIN'" -- calibrate "$config" --design NOPE --grid cutoff_eli=0.9 --out out
refuse "objective" "--objective: 'p_stop'; allowed: pcs, pas, accuracy, pct_at_mtd" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9 --objective p_stop --out out
refuse "max overdose" "--max-overdose: 150; allowed: 0 to 100" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9 --max-overdose 150 --out out
refuse "shard" "--shard: '3/3'; allowed: I/N with 0 <= I < N" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9 --shard 3/3 --out out
# issue 27, item 9: padded or signed shard numbers were read as 1/3; an option given twice kept
# the last
for v in " 1/3" "+1/3" "1/ 3"; do
  refuse "shard '$v'" "--shard: '$v'; allowed: I/N with 0 <= I < N <= 1000000, each decimal digits only" -- \
    calibrate "$config" --design BOIN --grid cutoff_eli=0.9 --shard "$v" --out out
done
refuse "--shard twice" "--shard: given twice ('0/3', '1/3'); allowed: once" -- \
  calibrate "$config" --design BOIN --grid cutoff_eli=0.9 --shard 0/3 --shard 1/3 --out out
refuse "bad config" "nowhere.yaml" -- calibrate nowhere.yaml --design BOIN --grid cutoff_eli=0.9 --out out
# merge of calibration shards
refuse "another config" "other1/calibration.part" "another config" -- merge s0 other1 s2 --out out
refuse "another grid" "grid1/calibration.part" "another --grid" -- merge s0 grid1 s2 --out out
refuse "another objective" "objective1/calibration.part" "another --objective" -- merge s0 objective1 s2 --out out
refuse "another max overdose" "max1/calibration.part" "another --max-overdose" -- merge s0 max1 s2 --out out
refuse "another shard count" "half1/calibration.part" "another number of shards" -- merge s0 half1 s2 --out out
refuse "a shard twice" "s1/calibration.part: shard 1/3 again" -- merge s0 s1 s1 s2 --out out
refuse "missing shard" "shard 2/3 of the calibration" "is missing" -- merge s0 s1 --out out
refuse "corrupt" "corrupted/calibration.part" "checksum" -- merge s0 s1 corrupted --out out
refuse "truncated" "truncated/calibration.part" "truncated" -- merge s0 s1 truncated --out out
refuse "a run's shard among them" "hold a calibration's shard, the others a run's" -- merge s0 s1 run0 --out out
"$doseval" merge s0 s1 s2 --out out >/dev/null || { echo "FAIL: the good shards do not merge" >&2; exit 1; }
echo "ok: $cases bad calibrations and merges refused with exit 2 and nothing written; the good shards merge"
