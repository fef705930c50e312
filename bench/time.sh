#!/usr/bin/env bash
# bench/time.sh — what time (SPEC section 11) costs the designs that wait for complete cohorts
# (issue 28: at most 1.5x). The reference study as it is, with its time (dlt_window, accrual,
# dlt_onset), against the same study with those three keys taken out, every design, one rank.
# Each measurement is made REPS times, the two runs of a rep one after the other, so that a ratio
# compares runs made under the same conditions. Reported:
#  * "cpu": user + system CPU seconds of the whole run (what `/usr/bin/time -f %U` shows; the
#    graphs' building and the start-up included), median and best of REPS;
#  * "trials/s per core": trials x scenarios / (CPU seconds less the start-up, the median CPU
#    time of three 1-trial runs), median and best;
#  * the ratios timed / untimed of both (the goal is on the whole run's CPU time).
# usage: bash bench/time.sh [path/to/doseval]   (env: CONFIG, TRIALS, REPS)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
cd "$(dirname "$0")/.."
config=${CONFIG:-configs/nct05563545.yaml}
trials=${TRIALS:-200000}
reps=${REPS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the untimed study: the reference config without its three time keys
grep -Ev '^[[:space:]]*(dlt_window|accrual|dlt_onset):' "$config" >"$tmp/untimed.yaml"
if cmp -s "$config" "$tmp/untimed.yaml"; then
  echo "bench/time.sh: $config has no time (dlt_window); nothing to compare" >&2
  exit 2
fi
cp "$config" "$tmp/timed.yaml"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
least() { sort -g | head -1; }
most() { sort -g | tail -1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

# run KEY TRIALS: one run of $tmp/KEY.yaml; appends its CPU seconds to $tmp/KEY.cpu (or .start)
run() {
  local key=$1 n=$2 file=$3
  local TIMEFORMAT='%U %S'
  { time "$doseval" run "$tmp/$key.yaml" --trials "$n" --quiet --out "$tmp/out" >/dev/null; } \
    2>"$tmp/time"
  awk '{print $1 + $2}' "$tmp/time" >>"$tmp/$file"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg)"
for key in untimed timed; do
  for r in 1 2 3; do run "$key" 1 "$key.start"; done
done
for r in $(seq "$reps"); do
  run untimed "$trials" untimed.cpu
  run timed "$trials" timed.cpu
done
n_scen=$(sed -n '/^scenarios:/,/^[a-z]/p' "$config" | grep -c 'p_tox')
echo "$config, every design, $trials trials x $n_scen scenarios, 1 rank, $reps runs each"
printf "%-10s %12s %12s %20s %20s\n" "" "cpu median" "cpu best" "trials/s median" "trials/s best"
for key in untimed timed; do
  start=$(median <"$tmp/$key.start")
  awk -v n="$trials" -v s="$n_scen" -v z="$start" '{print n * s / ($1 - z)}' "$tmp/$key.cpu" \
    >"$tmp/$key.rate"
  printf "%-10s %11.2fs %11.2fs %20.0f %20.0f\n" "$key" "$(median <"$tmp/$key.cpu")" \
    "$(least <"$tmp/$key.cpu")" "$(median <"$tmp/$key.rate")" "$(most <"$tmp/$key.rate")"
done
printf "time overhead: x %s cpu (median), x %s (best); x %s trials/s per core (median), x %s (best); goal <= 1.50 cpu\n" \
  "$(div "$(median <"$tmp/timed.cpu")" "$(median <"$tmp/untimed.cpu")")" \
  "$(div "$(least <"$tmp/timed.cpu")" "$(least <"$tmp/untimed.cpu")")" \
  "$(div "$(median <"$tmp/untimed.rate")" "$(median <"$tmp/timed.rate")")" \
  "$(div "$(most <"$tmp/untimed.rate")" "$(most <"$tmp/timed.rate")")"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
