# dfcrm's titesim (TITE-CRM) on the reference study: peer numbers for issue 28 (time).
#
# A peer to compare against, never a dependency of doseval or its tests (shared notes, r-peers.md).
# Usage: Rscript bench/peers/dfcrm_titesim.R [NSIM] [SEED]   (dfcrm in /tmp/rlib)
# Two runs of the same design: titesim(nsim = NSIM) itself (dfcrm's own aggregate, timed), and NSIM
# one-trial titesim calls with seeds SEED + r, which keep each trial so every mean has an MCSE.

.libPaths(c("/tmp/rlib", .libPaths()))
suppressPackageStartupMessages(library(dfcrm))

args <- commandArgs(trailingOnly = TRUE)
nsim <- if (length(args) >= 1) as.integer(args[1]) else 2000L
seed <- if (length(args) >= 2) as.integer(args[2]) else 20261124L

p_true <- c(0.12, 0.30, 0.45) # scenario "MTD at dose 2"
target <- 0.30
# configs/nct05563545.yaml's CRM: empiric skeleton, halfwidth 0.05, prior MTD dose 2, prior sd
# 1.1576 = dfcrm's default scale sqrt(1.34).
skeleton <- getprior(halfwidth = 0.05, target = target, nu = 2, nlevel = 3, model = "empiric")
window <- 28 # days
gap <- 15.2 # days between arrivals: 2 patients a month
n <- 21

cpu <- function(t) unname(t["user.self"] + t["sys.self"] + t["user.child"] + t["sys.child"])
mcse_p <- function(p, m) sqrt(p * (1 - p) / m)

cat(sprintf("dfcrm %s, R %s; nsim %d, seed %d\n", packageVersion("dfcrm"), getRversion(), nsim, seed))
cat(sprintf("skeleton %s\n", paste(format(skeleton, digits = 7), collapse = " ")))

# 1. dfcrm's own multi-trial titesim.
t0 <- proc.time()
agg <- titesim(p_true, skeleton, target, n, x0 = 1, nsim = nsim, restrict = TRUE,
  obswin = window, rate = window / gap, accrual = "fixed", surv = "uniform",
  scheme = "linear", count = FALSE, method = "bayes", model = "empiric", seed = seed)
t_agg <- proc.time() - t0
cat("\n1. titesim(nsim) (dfcrm's aggregate)\n")
for (k in 1:3) cat(sprintf("  P(select dose %d) = %.4f (MCSE %.4f)\n", k, agg$MTD[k], mcse_p(agg$MTD[k], nsim)))
cat(sprintf("  mean N at doses 1-3 = %s\n", paste(sprintf("%.3f", agg$level), collapse = " ")))
cat(sprintf("  mean DLTs at doses 1-3 = %s\n", paste(sprintf("%.3f", agg$tox), collapse = " ")))
cat(sprintf("  mean Duration = %.2f days (sd %.3f, MCSE %.3f)\n", mean(agg$Duration), sd(agg$Duration),
  sd(agg$Duration) / sqrt(nsim)))
cat(sprintf("  CPU %.1f s, wall %.1f s: %.4f CPU s and %.4f wall s per trial\n",
  cpu(t_agg), t_agg[["elapsed"]], cpu(t_agg) / nsim, t_agg[["elapsed"]] / nsim))

# 2. One trial a call (titesim with nsim = 1 is dfcrm's onetite), kept trial by trial.
t0 <- proc.time()
one <- lapply(seq_len(nsim), function(r) {
  s <- titesim(p_true, skeleton, target, n, x0 = 1, nsim = 1, restrict = TRUE,
    obswin = window, rate = window / gap, accrual = "fixed", surv = "uniform",
    scheme = "linear", method = "bayes", model = "empiric", seed = seed + r)
  c(mtd = s$MTD, n1 = sum(s$level == 1), n2 = sum(s$level == 2), n3 = sum(s$level == 3),
    dlt = sum(s$tox), n = length(s$level), dur = max(s$arrival) + window)
})
t_one <- proc.time() - t0
m <- do.call(rbind, one)
cat("\n2. one-trial titesim calls, seeds seed + 1 .. seed + nsim\n")
for (k in 1:3) {
  p <- mean(m[, "mtd"] == k)
  cat(sprintf("  P(select dose %d) = %.4f (MCSE %.4f)\n", k, p, mcse_p(p, nsim)))
}
for (col in c("n1", "n2", "n3", "dlt", "n", "dur")) {
  cat(sprintf("  mean %-3s = %8.3f (MCSE %.3f)\n", col, mean(m[, col]), sd(m[, col]) / sqrt(nsim)))
}
cat(sprintf("  CPU %.1f s, wall %.1f s: %.4f CPU s and %.4f wall s per trial\n",
  cpu(t_one), t_one[["elapsed"]], cpu(t_one) / nsim, t_one[["elapsed"]] / nsim))
