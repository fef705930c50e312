#!/usr/bin/env bash
# unit_concurrent_shards.sh — shards started together (a Slurm array's tasks) each make their
# folder OUT/shard-I inside one new OUT: none may fail because another's check that OUT is
# writable (atomic_writable, which removes the empty folders it made) removed OUT between its own
# mkdir of OUT and of OUT/shard-I. 8 calibration shards and 4 run shards at once, 12 rounds; before
# the fix about 40% of the shards failed with "cannot create: No such file or directory".
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config=$repo/configs/nct05563545.yaml
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
pids=()
for r in $(seq 1 12); do
  for i in 0 1 2 3 4 5 6 7; do
    "$doseval" calibrate "$config" --design BOIN --grid cutoff_eli=0.9,0.95 --shard "$i/8" \
      --out "$tmp/cal$r/sweep/shard-$i" >/dev/null 2>>"$tmp/err" &
    pids+=($!)
  done
  for i in 0 1 2 3; do
    "$doseval" run "$config" --trials 40 --design BOIN --quiet --shard "$i/4" \
      --out "$tmp/run$r/sweep/shard-$i" >/dev/null 2>>"$tmp/err" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  pids=()
done
if [[ -s $tmp/err ]]; then
  echo "FAIL: $(wc -l <"$tmp/err") shards failed; the first:" >&2
  head -3 "$tmp/err" >&2
  exit 1
fi
n=$(ls -d "$tmp"/cal*/sweep/shard-*/calibration.part "$tmp"/run*/sweep/shard-*/counters.dvc | wc -l)
[[ $n -eq 144 ]] || { echo "FAIL: $n shard files, want 144" >&2; exit 1; }
echo "ok: 144 shards started 12 at a time into new folders all wrote their files"
