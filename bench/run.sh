#!/usr/bin/env bash
# bench/run.sh — Monte Carlo speed against the random-number floor (issue 19), then the wall time
# of `doseval exact` on the reference study. Each measurement is made REPS times, the runs of one
# table interleaved, so that a ratio compares runs made under the same conditions:
#  1. the reference study on one rank: the floor (bench_floor: the trials' random numbers and
#     nothing else), each of DESIGNS alone, and all of them together (common random numbers, the
#     benchmark and the paired counters included), as trials/s and as a ratio to the floor; then
#     the same ratios for the loop alone, block by block in one process (bench_loop);
#  2. 2-rank efficiency (trials/s per core on 2 ranks / on 1) on the reference study and on the
#     6-dose / 36-patient study bench/mc_6x36.yaml, every design of each;
#  3. 2 ranks of the reference study with a busy loop on rank 0's core, against without it;
#  4. Monte Carlo CRM at 8 doses / 60 patients (bench/mc_crm_8x60.yaml), trials/s on one rank;
#  5. exact on the whole reference study;
#  6. BLRM: its loop against the floor, and exact of the reference study's BLRM alone.
# "wall" is doseval's own trials_per_second_per_core (the trial loop's wall time); "cpu" divides by
# the process's CPU time less its start-up (MPI_Init, the config: a 1-trial run's CPU time), which
# holds still when other processes share the cores. Both are medians of REPS runs; "best" is the
# fastest run, the least disturbed on a shared machine (on a quiet one all three agree). The
# floor, a latency-bound chain of multiplications, barely feels a busy neighbour; the designs'
# loop, which keeps the core's execution units full, does: on a shared machine read the best
# column. 2-rank efficiency can only be measured in wall time, and only on a quiet machine.
# usage: bash bench/run.sh [path/to/doseval]   (env: TRIALS, REPS, DESIGNS, TRIALS_8X60; FLOOR and
# LOOP, the bench_floor and bench_loop binaries, default to those beside doseval)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
floor_bin=${FLOOR:-$(dirname "$doseval")/bench/bench_floor}
loop_bin=${LOOP:-$(dirname "$doseval")/bench/bench_loop}
cd "$(dirname "$0")/.."
config=${CONFIG:-configs/nct05563545.yaml}
trials=${TRIALS:-1000000}
reps=${REPS:-5}
read -r -a designs <<<"${DESIGNS:-3+3 BOIN CRM}"
trials_8x60=${TRIALS_8X60:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The reference study is timed (issue 28). These ratios are the designs' own speed against the
# floor, as before it was: by default they run on its copy without the three time keys
# (bench/time.sh measures what time costs).
if [ -z "${CONFIG:-}" ]; then
  grep -Ev '^[[:space:]]*(dlt_window|accrual|dlt_onset):' "$config" >"$tmp/reference_untimed.yaml"
  config=$tmp/reference_untimed.yaml
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

field() { sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best() { sort -g | tail -1; }
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
floor_best=$(awk '{print $2}' "$tmp/floor" | best)

echo "reference study $config: $trials trials per scenario x $n_scen scenarios, 1 rank, $reps runs"
printf "%-34s %41s %21s\n" "" "trials/s ------------------------------" "x floor -----------"
printf "%-34s %13s %13s %13s %10s %10s\n" "" "wall median" "cpu median" "cpu best" "cpu median" \
  "cpu best"
printf "%-34s %13.0f %13.0f %13.0f\n" "floor ($patients uniforms a trial)" "$floor_wall" "$floor_cpu" \
  "$floor_best"
# show NAME KEY DESIGNS_PER_TRIAL START_KEY: the rates of trials (all designs of a trial = one)
show() {
  local wall cpu top start
  wall=$(awk -v k="$3" '{print $1 / k}' "$tmp/$2.wall" | median)
  start=$(median <"$tmp/$4.cpu")
  awk -v n="$trials" -v s="$n_scen" -v z="$start" '{print n * s / ($1 - z)}' "$tmp/$2.cpu" \
    >"$tmp/$2.rate"
  cpu=$(median <"$tmp/$2.rate")
  top=$(best <"$tmp/$2.rate")
  printf "%-34s %13.0f %13.0f %13.0f %10s %10s\n" "$1" "$wall" "$cpu" "$top" \
    "$(div "$floor_cpu" "$cpu")" "$(div "$floor_best" "$top")"
}
for i in $(seq ${#designs[@]}); do show "${designs[$((i - 1))]}" "d$i" 1 "start$i"; done
show "$(echo "${designs[*]}" | sed 's/ / + /g') (a trial)" all ${#designs[@]} start_all
echo "goals: each design alone <= 2.00 x floor; together <= 3.00 x floor"

# The same ratios for the loop alone (graphs built first), block by block in one process
# (bench_loop): the 10th percentile of 300 blocks leaves out a busy neighbour.
echo "the loop against the floor in one process (bench_loop: 10th percentiles of 8192-trial blocks, graphs built), $reps runs"
printf "%-34s %10s %10s %10s %10s\n" "" "floor ns" "loop ns" "x median" "x best"
loop_row() { # NAME ARGS...
  local name=$1
  shift
  for r in $(seq "$reps"); do "$loop_bin" "$config" "$@"; done |
    sed -n 's/^loop: floor \([0-9.]*\) ns a trial, designs \([0-9.]*\) ns a trial, ratio \([0-9.]*\).*/\1 \2 \3/p' \
      >"$tmp/loop"
  printf "%-34s %10.1f %10.1f %10.2f %10.2f\n" "$name" "$(awk '{print $1}' "$tmp/loop" | median)" \
    "$(awk '{print $2}' "$tmp/loop" | median)" "$(awk '{print $3}' "$tmp/loop" | median)" \
    "$(awk '{print $3}' "$tmp/loop" | sort -g | head -1)"
}
for d in "${designs[@]}"; do loop_row "$d" --design "$d"; done
loop_row "$(echo "${designs[*]}" | sed 's/ / + /g') (a trial)" "${dargs[@]}"

# 2 ranks against 1, interleaved: every design of each study.
for study in "$config" bench/mc_6x36.yaml; do
  key=$(basename "$study" .yaml)
  for r in $(seq "$reps"); do
    run "$key.np1" "$trials" 1 "$study"
    run "$key.np2" "$trials" 2 "$study"
  done
  one=$(median <"$tmp/$key.np1.wall")
  two=$(median <"$tmp/$key.np2.wall")
  one_best=$(best <"$tmp/$key.np1.wall")
  two_best=$(best <"$tmp/$key.np2.wall")
  printf "2-rank efficiency, %-26s %5s median, %5s best  (design-trials/s per core: %.0f, %.0f on 1 rank; %.0f, %.0f on 2)\n" \
    "$study:" "$(div "$two" "$one")" "$(div "$two_best" "$one_best")" "$one" "$one_best" "$two" \
    "$two_best"
done
echo "goal: 2-rank efficiency >= 0.90"

# 2 ranks of the reference study with a busy loop on rank 0's core (--bind-to core: rank k on
# core k), against the same with nothing else running: the shares by pace (src/cli/cli_run.c) give
# the slowed rank fewer blocks, so the pair takes about 4/3 of the time, not twice.
if [ "$(nproc)" -ge 2 ]; then
  for r in $(seq "$reps"); do
    mpirun -np 2 --bind-to core "$doseval" run "$config" --trials "$trials" --quiet --out "$tmp/out" \
      >/dev/null
    field wall_seconds "$tmp/out/summary.json" >>"$tmp/quiet.wall"
    taskset -c 0 sh -c 'while :; do :; done' &
    hog=$!
    mpirun -np 2 --bind-to core "$doseval" run "$config" --trials "$trials" --quiet --out "$tmp/out" \
      >/dev/null
    kill "$hog"
    wait "$hog" 2>/dev/null || true
    field wall_seconds "$tmp/out/summary.json" >>"$tmp/hog.wall"
  done
  printf "2 ranks, a busy loop on rank 0's core: %.2f s wall, %.2f s without it (medians; x %s; an even split would take x 2)\n" \
    "$(median <"$tmp/hog.wall")" "$(median <"$tmp/quiet.wall")" \
    "$(div "$(median <"$tmp/hog.wall")" "$(median <"$tmp/quiet.wall")")"
fi

run crm8 "$trials_8x60" 1 bench/mc_crm_8x60.yaml
printf "Monte Carlo CRM, 8 doses / 60 patients: %.0f trials/s per core (1 rank, %s trials per scenario; goal >= 100000)\n" \
  "$(median <"$tmp/crm8.wall")" "$trials_8x60"

for r in $(seq "$reps"); do
  "$doseval" exact "$config" --out "$tmp/exact" >/dev/null
  field wall_seconds "$tmp/exact/summary.json"
done | median >"$tmp/exact_median"
echo "exact, every design and scenario: $(cat "$tmp/exact_median") s (median of $reps)"
# BLRM (issue 29): its loop against the floor, and exact of the reference study's BLRM alone
# (bench/blrm_reference.yaml), whose time is nearly all the posterior integrals (one per counts).
loop_row "BLRM (loop, graph built)" --design BLRM
for r in $(seq "$reps"); do
  TIMEFORMAT='%U %S'
  { time "$doseval" exact bench/blrm_reference.yaml --out "$tmp/exact" >/dev/null; } 2>"$tmp/time"
  awk '{print $1 + $2}' "$tmp/time"
done | median >"$tmp/blrm_exact"
echo "exact, the reference study's BLRM alone: $(cat "$tmp/blrm_exact") s CPU (median of $reps; goal well under 1 s)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
