#!/usr/bin/env bash
# bench/run.sh — Monte Carlo speed against the random-number floor (issue 19), then the wall time
# of `doseval exact` on the reference study. Every number is a median of REPS runs, and the runs
# of one table are interleaved, so a ratio compares runs made under the same load.
#  1. the reference study on one rank: the floor (bench_floor: the trials' random numbers and
#     nothing else), each of DESIGNS alone, and all of them together (common random numbers, the
#     benchmark and the paired counters included), as trials/s and as a ratio to the floor;
#  2. 2-rank efficiency (trials/s per core on 2 ranks / on 1) on the reference study and on the
#     6-dose / 36-patient study bench/mc_6x36.yaml, every design of each;
#  3. Monte Carlo CRM at 8 doses / 60 patients (bench/mc_crm_8x60.yaml), trials/s on one rank;
#  4. exact on the whole reference study.
# Rates are given twice: "wall" is doseval's own trials_per_second_per_core (wall time of the
# trial loop); "cpu" divides by the process's CPU time less its start-up (MPI_Init, loading the
# config: the CPU time of a 1-trial run), which holds still when other processes share the cores.
# On a quiet machine the two agree; 2-rank efficiency can only be measured in wall time.
# usage: bash bench/run.sh [path/to/doseval]   (env: TRIALS, REPS, DESIGNS, TRIALS_8X60)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
floor_bin=$(dirname "$doseval")/bench/bench_floor
cd "$(dirname "$0")/.."
config=${CONFIG:-configs/nct05563545.yaml}
trials=${TRIALS:-1000000}
reps=${REPS:-5}
read -r -a designs <<<"${DESIGNS:-3+3 BOIN CRM}"
trials_8x60=${TRIALS_8X60:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

field() { sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

# run KEY TRIALS NP CONFIG [--design NAME]...: one doseval run; appends its wall rate (trials/s
# per core, per design-trial) to $tmp/KEY.wall and its CPU seconds to $tmp/KEY.cpu.
run() {
  local key=$1 n=$2 np=$3 cfg=$4
  shift 4
  local launch=("$doseval")
  [ "$np" -gt 1 ] && launch=(mpirun -np "$np" "$doseval")
  local TIMEFORMAT='%U %S'
  { time "${launch[@]}" run "$cfg" "$@" --trials "$n" --quiet --out "$tmp/out" >/dev/null; } \
    2>"$tmp/time"
  field trials_per_second_per_core "$tmp/out/summary.json" >>"$tmp/$key.wall"
  awk '{print $1 + $2}' "$tmp/time" >>"$tmp/$key.cpu"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg)"
dargs=()
for d in "${designs[@]}"; do dargs+=(--design "$d"); done
# The start-up each CPU time carries: median CPU time of three 1-trial runs of each design set.
for i in $(seq ${#designs[@]}); do
  for r in 1 2 3; do run "start$i" 1 1 "$config" --design "${designs[$((i - 1))]}"; done
done
for r in 1 2 3; do run start_all 1 1 "$config" "${dargs[@]}"; done
for r in $(seq "$reps"); do
  "$floor_bin" "$config" --trials "$trials" "${dargs[@]}" >"$tmp/floor_line"
  sed -n 's/^floor: \([0-9]*\) trials\/s wall, \([0-9]*\) trials\/s cpu.*/\1 \2/p' "$tmp/floor_line" \
    >>"$tmp/floor"
  for i in $(seq ${#designs[@]}); do
    run "d$i" "$trials" 1 "$config" --design "${designs[$((i - 1))]}"
  done
  run all "$trials" 1 "$config" "${dargs[@]}"
done
patients=$(sed -n 's/.*(\([0-9]*\) patients a trial.*/\1/p' "$tmp/floor_line")
n_scen=$(sed -n 's/.* patients a trial, \([0-9]*\) trials.*/\1/p' "$tmp/floor_line")
n_scen=$((n_scen / trials))
floor_wall=$(awk '{print $1}' "$tmp/floor" | median)
floor_cpu=$(awk '{print $2}' "$tmp/floor" | median)

echo "reference study $config: $trials trials per scenario x $n_scen scenarios, 1 rank, median of $reps runs"
printf "%-34s %13s %13s %9s %9s\n" "" "trials/s wall" "trials/s cpu" "x floor" "x floor"
printf "%-34s %13s %13s %9s %9s\n" "" "" "" "(wall)" "(cpu)"
printf "%-34s %13.0f %13.0f\n" "floor ($patients uniforms a trial)" "$floor_wall" "$floor_cpu"
# show NAME KEY DESIGNS_PER_TRIAL START_KEY: the rates of trials (all designs of a trial = one)
show() {
  local wall cpu start
  wall=$(awk -v k="$3" '{print $1 / k}' "$tmp/$2.wall" | median)
  start=$(median <"$tmp/$4.cpu")
  cpu=$(awk -v n="$trials" -v s="$n_scen" -v z="$start" '{print n * s / ($1 - z)}' "$tmp/$2.cpu" |
    median)
  printf "%-34s %13.0f %13.0f %9s %9s\n" "$1" "$wall" "$cpu" "$(div "$floor_wall" "$wall")" \
    "$(div "$floor_cpu" "$cpu")"
}
for i in $(seq ${#designs[@]}); do show "${designs[$((i - 1))]}" "d$i" 1 "start$i"; done
show "$(echo "${designs[*]}" | sed 's/ / + /g') (a trial)" all ${#designs[@]} start_all
echo "goals: each design alone <= 2.00 x floor; together <= 3.00 x floor"

# 2 ranks against 1, interleaved: every design of each study.
for study in "$config" bench/mc_6x36.yaml; do
  key=$(basename "$study" .yaml)
  for r in $(seq "$reps"); do
    run "$key.np1" "$trials" 1 "$study"
    run "$key.np2" "$trials" 2 "$study"
  done
  one=$(median <"$tmp/$key.np1.wall")
  two=$(median <"$tmp/$key.np2.wall")
  printf "2-rank efficiency, %-34s %5s  (%.0f design-trials/s per core on 1 rank, %.0f on 2)\n" \
    "$study:" "$(div "$two" "$one")" "$one" "$two"
done
echo "goal: 2-rank efficiency >= 0.90"

run crm8 "$trials_8x60" 1 bench/mc_crm_8x60.yaml
printf "Monte Carlo CRM, 8 doses / 60 patients: %.0f trials/s per core (1 rank, %s trials per scenario; goal >= 100000)\n" \
  "$(median <"$tmp/crm8.wall")" "$trials_8x60"

for r in $(seq "$reps"); do
  "$doseval" exact "$config" --out "$tmp/exact" >/dev/null
  field wall_seconds "$tmp/exact/summary.json"
done | median >"$tmp/exact_median"
echo "exact, every design and scenario: $(cat "$tmp/exact_median") s (median of $reps)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
