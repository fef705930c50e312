#!/usr/bin/env bash
# bench/titecrm_run.sh — TITE-CRM on the reference study in `doseval run` (issue 28, "Speed": at
# least 10^5 trials/s per core and at least 1,000 times dfcrm's titesim, side by side in the same
# run). The study is bench/titecrm_reference.yaml, scenario "MTD at dose 2", titesim's setting
# (bench/peers/README.md has the R call; fixed accrual every 15.2 days, a 28-day window, uniform
# onset, linear weights, 21 patients one at a time, a decision at each arrival).
#  - doseval: CPU seconds (user + sys) of REPS runs of TRIALS trials, less the start-up (the median
#    CPU time of three 1-trial runs), as trials/s per core; median and best;
#  - titesim: dfcrm's titesim(nsim = NSIM) in the exact call of bench/peers/README.md, CPU seconds
#    a trial from R's proc.time. R and dfcrm are never a dependency: where Rscript or dfcrm (in
#    /tmp/rlib or R's own library; ../shared/notes/r-peers.md) is missing, that side is skipped
#    with a message, and only doseval's rate is printed.
# usage: bash bench/titecrm_run.sh [path/to/doseval]   (env: TRIALS 200000, REPS 3, NSIM 200)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
cd "$(dirname "$0")/.."
config=bench/titecrm_reference.yaml
scenario="MTD at dose 2"
trials=${TRIALS:-200000}
reps=${REPS:-3}
nsim=${NSIM:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# cpu N: CPU seconds of one doseval run of N trials of the scenario
cpu() {
  local TIMEFORMAT='%U %S'
  { time "$doseval" run "$config" --scenario "$scenario" --trials "$1" --quiet --out "$tmp/out" \
    >/dev/null; } 2>"$tmp/time"
  awk '{print $1 + $2}' "$tmp/time"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg)"
if ! "$doseval" run "$config" --scenario "$scenario" --trials 1 --quiet --out "$tmp/out" \
  >/dev/null 2>"$tmp/err"; then
  echo "doseval TITE-CRM: skipped, doseval run refused $config: $(cat "$tmp/err")"
  exit 0
fi
start=$(for r in 1 2 3; do cpu 1; done | median)
for r in $(seq "$reps"); do cpu "$trials"; done |
  awk -v n="$trials" -v z="$start" '{print n / ($1 - z)}' >"$tmp/rates"
rate=$(median <"$tmp/rates")
best=$(sort -g "$tmp/rates" | tail -1)
printf "doseval TITE-CRM, %s, \"%s\": %d trials x %d runs: %.0f trials/s per core (median CPU), %.0f best (start-up %.3f s taken off)\n" \
  "$config" "$scenario" "$trials" "$reps" "$rate" "$best" "$start"

rlib=/tmp/rlib
if ! command -v Rscript >/dev/null 2>&1; then
  echo "titesim: skipped (no Rscript; R is never a dependency, see ../shared/notes/r-peers.md)"
  exit 0
fi
cat >"$tmp/titesim.R" <<'REOF'
.libPaths(c(Sys.getenv("RLIB"), .libPaths()))
if (!suppressPackageStartupMessages(requireNamespace("dfcrm", quietly = TRUE))) quit(status = 3)
suppressPackageStartupMessages(library(dfcrm))
nsim <- as.integer(Sys.getenv("NSIM"))
skeleton <- getprior(halfwidth = 0.05, target = 0.30, nu = 2, nlevel = 3, model = "empiric")
t0 <- proc.time()
invisible(titesim(c(0.12, 0.30, 0.45), skeleton, 0.30, 21, x0 = 1, nsim = nsim, restrict = TRUE,
  obswin = 28, rate = 28 / 15.2, accrual = "fixed", surv = "uniform", scheme = "linear",
  count = FALSE, method = "bayes", model = "empiric", seed = 20261124))
t <- proc.time() - t0
cat(sprintf("%.6f %s\n", (t[["user.self"]] + t[["sys.self"]]) / nsim, packageVersion("dfcrm")))
REOF
if ! RLIB=$rlib NSIM=$nsim Rscript "$tmp/titesim.R" >"$tmp/r_out" 2>"$tmp/r_err"; then
  echo "titesim: skipped (dfcrm is not installed in $rlib or R's library; R is never a dependency, see ../shared/notes/r-peers.md)"
  exit 0
fi
read -r per version <"$tmp/r_out"
awk -v per="$per" -v v="$version" -v n="$nsim" -v rate="$rate" -v best="$best" 'BEGIN {
  printf "dfcrm %s titesim, the same setting: nsim %d, %.4f CPU s a trial = %.0f trials/s per core\n", v, n, per, 1 / per
  printf "doseval / titesim: %.0fx (median), %.0fx (best); goals: >= 100000 trials/s per core, >= 1000x\n", rate * per, best * per
}'
