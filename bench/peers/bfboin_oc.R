# bfboin's get.oc.bf with backfill off (BOIN with time) on BF-BOIN's Table 4 setting: peer numbers
# for issue 28 (time).
#
# A peer to compare against, never a dependency of doseval or its tests (shared notes, r-peers.md).
# Usage: Rscript bench/peers/bfboin_oc.R [NTRIAL] [SEED]   (bfboin, BOIN in /tmp/rlib)
# Setting (Zhao, Yuan, Korn & Freidlin 2024, Clin Cancer Res 30:673, Table 4; bfboin's vignette
# "Compare to publication"): target 0.25, 5 doses, 10 cohorts of 3, n.earlystop 9, 3 patients a
# month, a 1-month DLT window, Weibull onset with half the DLTs in the window's second half (bfboin
# fits the Weibull to P(DLT by window) = p and P(DLT by half window) = p / 2).
# Backfill off: every response rate 0, so no dose ever opens for backfill (bfboin's own check
# against BOIN::get.oc does the same with 1e-5).
# get.oc.bf returns means only; bfboin_trials.R runs its trials one by one, so the numbers are
# get.oc.bf's and each has an MCSE, and checks that their means equal get.oc.bf's own output.

.libPaths(c("/tmp/rlib", .libPaths()))
suppressPackageStartupMessages(library(bfboin))
# bfboin_trials() (bfboin_trials.R, next to this script) runs the trials
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))
source(file.path(here, "bfboin_trials.R"))

args <- commandArgs(trailingOnly = TRUE)
ntrial <- if (length(args) >= 1) as.integer(args[1]) else 10000L
seed <- if (length(args) >= 2) as.integer(args[2]) else 20261124L

scenarios <- list(
  "scenario 1" = c(0.25, 0.41, 0.45, 0.49, 0.53),
  "scenario 4" = c(0.02, 0.06, 0.10, 0.25, 0.40)
)
target <- 0.25
common <- list(target = target, ncohort = 10, cohortsize = 3, n.earlystop = 9, startdose = 1,
  titration = FALSE, p.saf = 0.6 * target, p.tox = 1.4 * target, cutoff.eli = 0.95,
  extrasafe = FALSE, offset = 0.05, boundMTD = FALSE, n.cap = 12, end.backfill = TRUE,
  n.per.month = 3, dlt.window = 1, three.plus.three = FALSE, backfill.assign = "highest")

cat(sprintf("bfboin %s, BOIN %s, purrr %s, R %s; ntrial %d, seed %d\n", packageVersion("bfboin"),
  packageVersion("BOIN"), packageVersion("purrr"), getRversion(), ntrial, seed))

for (accrual in c("uniform", "poisson")) {
  for (sc in names(scenarios)) {
    p_true <- scenarios[[sc]]
    a <- c(common, list(p.true = p_true, p.response.true = rep(0, 5), accrual = accrual))
    r <- bfboin_trials(a, ntrial, seed)
    cat(sprintf("\n%s, DLT %s, accrual %s (equals get.oc.bf's own output: %s)\n", sc,
      paste(p_true, collapse = " "), accrual, r$same))
    print_selection(r, ntrial)
    cat(sprintf("  mean N = %.3f (MCSE %.3f); mean DLTs = %.3f (MCSE %.3f)\n", mean(r$n_tot),
      sd(r$n_tot) / sqrt(ntrial), mean(r$y_tot), sd(r$y_tot) / sqrt(ntrial)))
    print_duration_cpu(r, ntrial)
  }
}
