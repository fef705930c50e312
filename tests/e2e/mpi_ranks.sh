#!/usr/bin/env bash
# mpi_ranks.sh — the same config and seed give byte-identical oc.csv on 1, 2 and 4 ranks, and
# selecting scenarios or designs does not change their rows (SPEC section 7: integer counters,
# fixed streams).
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run() { # ranks outdir
  mpirun --oversubscribe -np "$1" "$doseval" run "$config" --trials 20011 --quiet --out "$2" >/dev/null
}
run 1 "$tmp/r1"
run 2 "$tmp/r2"
run 4 "$tmp/r4"
"$doseval" run "$config" --trials 20011 --quiet --out "$tmp/single" >/dev/null
for d in r2 r4 single; do
  if ! cmp "$tmp/r1/oc.csv" "$tmp/$d/oc.csv"; then
    echo "FAIL: oc.csv differs between 1 rank and $d" >&2
    diff "$tmp/r1/oc.csv" "$tmp/$d/oc.csv" | head -5 >&2
    exit 1
  fi
done
# filters do not change the numbers: a scenario's stream is fixed by its place in the file
mpirun --oversubscribe -np 2 "$doseval" run "$config" --trials 20011 --quiet --out "$tmp/filtered" \
  --scenario "MTD at dose 2" --design "3+3" >/dev/null
extra=$(tail -n +2 "$tmp/filtered/oc.csv" | grep -vxFf "$tmp/r1/oc.csv" || true)
[ -z "$extra" ] || { echo "FAIL: --scenario/--design changed rows:" >&2; echo "$extra" | head -3 >&2; exit 1; }
grep -q '"ranks": 4' "$tmp/r4/summary.json" || { echo "FAIL: summary.json does not say 4 ranks" >&2; exit 1; }
echo "ok: oc.csv identical on 1, 2 and 4 ranks ($(wc -l <"$tmp/r1/oc.csv") lines)"
