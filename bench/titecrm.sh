#!/usr/bin/env bash
# bench/titecrm.sh — TITE-CRM's speed (issue 28, "Speed"): its decision alone, bench_titecrm on
# the pending views of two studies (bench/titecrm.c says how they are made and timed):
#  - bench/titecrm_reference.yaml, the reference study as dfcrm's titesim simulates it (fixed
#    accrual, uniform onset, no stopping rule);
#  - bench/titecrm_poisson.yaml, the reference study's own time keys (poisson accrual, Weibull
#    onset) and the reference CRM's stop_toxic, so more patients pending and the tail probability.
# Each line gives the design's decision (the fixed rule) and the adaptive rule's in the same
# process, ns a decision of CPU time and their ratio, and how many decisions differ (must be 0:
# the program exits 1 otherwise).
# usage: bash bench/titecrm.sh [path/to/doseval]   (env: VIEWS, default 20000; TITECRM, the
# bench_titecrm binary, default beside doseval)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
bin=${TITECRM:-$(dirname "$doseval")/bench/bench_titecrm}
cd "$(dirname "$0")/.."
views=${VIEWS:-20000}
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg)"
for cfg in bench/titecrm_reference.yaml bench/titecrm_poisson.yaml; do
  "$bin" "$cfg" --views "$views"
done
