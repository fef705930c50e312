#!/usr/bin/env bash
# mpi_shards.sh — `--shard I/N` + `doseval merge` give the bytes of the unsharded run, whatever the
# number of shards and of ranks per shard, on the reference study and on a 5-dose study with all
# three designs (SPEC sections 4, 10; README "Running on a cluster").
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() { mpirun --oversubscribe -np "$@"; }

check() { # config trials
  local config=$1 trials=$2 out="$tmp/$(basename "$1" .yaml)"
  mpi 1 "$doseval" run "$config" --trials "$trials" --quiet --out "$out/r1" >/dev/null
  mpi 2 "$doseval" run "$config" --trials "$trials" --quiet --out "$out/r2" >/dev/null
  mpi 3 "$doseval" run "$config" --trials "$trials" --quiet --out "$out/r3" >/dev/null
  # 4 shards on 1, 2, 3 and 1 ranks
  local ranks=(1 2 3 1)
  for i in 0 1 2 3; do
    mpi "${ranks[$i]}" "$doseval" run "$config" --trials "$trials" --quiet --shard "$i/4" \
      --out "$out/shard-$i" >/dev/null
    [ ! -e "$out/shard-$i/oc.csv" ] || { echo "FAIL: a shard wrote oc.csv" >&2; exit 1; }
  done
  "$doseval" merge "$out"/shard-{0,1,2,3} --out "$out/merged" >/dev/null
  # 3 shards, given to merge in another order
  for i in 0 1 2; do
    "$doseval" run "$config" --trials "$trials" --quiet --shard "$i/3" --out "$out/third-$i" >/dev/null
  done
  "$doseval" merge "$out"/third-{2,0,1} --out "$out/merged3" >/dev/null
  # a merged folder is itself a complete counter file: merging it alone changes nothing
  "$doseval" merge "$out/merged" --out "$out/remerged" >/dev/null
  for d in r2 r3 merged merged3 remerged; do
    if ! cmp "$out/r1/oc.csv" "$out/$d/oc.csv"; then
      echo "FAIL: $config: oc.csv of $d differs from the unsharded 1-rank run" >&2
      diff "$out/r1/oc.csv" "$out/$d/oc.csv" | head -5 >&2
      exit 1
    fi
  done
  grep -q '"command": "merge"' "$out/merged/summary.json" || { echo "FAIL: merge wrote no summary.json" >&2; exit 1; }
  echo "ok: $(basename "$config"): 4 shards (1-3 ranks each) + merge = 3 shards + merge = 1, 2, 3 ranks ($(wc -l <"$out/r1/oc.csv") lines)"
}
# odd trial counts, so shards and blocks have unequal sizes
check "$repo/configs/nct05563545.yaml" 30011
check "$repo/tests/data/five_doses.yaml" 9007
