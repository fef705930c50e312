# bfboin's BF-BOIN (backfill on) on the BF-BOIN paper's Table 4 setting: peer numbers for issue 30
# (backfill), beside bfboin_oc.R's backfill-off runs (issue 28).
#
# A peer to compare against, never a dependency of doseval or its tests (shared notes, r-peers.md).
# Usage: Rscript bench/peers/bfboin_backfill.R [NTRIAL] [SEED] [NCAP] [THREE]
#   (bfboin, BOIN in /tmp/rlib; NCAP bfboin's n.cap, default 12; THREE TRUE for
#   three.plus.three, default FALSE)
# Setting (Zhao, Yuan, Korn & Freidlin 2024, Clin Cancer Res 30:673, Table 4): target 0.25, 5
# doses, 10 cohorts of 3, n.earlystop 9, 3 patients a month (poisson, the publication's), a
# 1-month DLT window, Weibull onset with half the DLTs in the window's second half, backfill to the
# highest open dose. bfboin keeps a dose open while (patients there) <= n.cap, so n.cap 11 is
# "fewer than 12 patients" (SPEC 13, doseval's cap 12), n.cap 12 the paper's setting as bfboin
# writes it. Each mean comes with its MCSE from the trials get.oc.bf itself runs (bfboin_trials.R;
# it checks that the means equal get.oc.bf's output).

.libPaths(c("/tmp/rlib", .libPaths()))
suppressPackageStartupMessages(library(bfboin))
# bfboin_trials() (bfboin_trials.R, next to this script) runs the trials
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))
source(file.path(here, "bfboin_trials.R"))

args <- commandArgs(trailingOnly = TRUE)
ntrial <- if (length(args) >= 1) as.integer(args[1]) else 10000L
seed <- if (length(args) >= 2) as.integer(args[2]) else 20261124L
ncap <- if (length(args) >= 3) as.integer(args[3]) else 12L
three <- if (length(args) >= 4) as.logical(args[4]) else FALSE

scenarios <- list(
  "scenario 1" = list(dlt = c(0.25, 0.41, 0.45, 0.49, 0.53), resp = c(0.3, 0.4, 0.45, 0.5, 0.55)),
  "scenario 4" = list(dlt = c(0.02, 0.06, 0.10, 0.25, 0.40), resp = c(0.05, 0.1, 0.15, 0.3, 0.45))
)
target <- 0.25
common <- list(target = target, ncohort = 10, cohortsize = 3, n.earlystop = 9, startdose = 1,
  titration = FALSE, p.saf = 0.6 * target, p.tox = 1.4 * target, cutoff.eli = 0.95,
  extrasafe = FALSE, offset = 0.05, boundMTD = FALSE, n.cap = ncap, end.backfill = TRUE,
  n.per.month = 3, dlt.window = 1, three.plus.three = three, backfill.assign = "highest",
  accrual = "poisson")

cat(sprintf("bfboin %s, BOIN %s, purrr %s, R %s; ntrial %d, seed %d, n.cap %d, three.plus.three %s\n",
  packageVersion("bfboin"), packageVersion("BOIN"), packageVersion("purrr"), getRversion(),
  ntrial, seed, ncap, three))

for (sc in names(scenarios)) {
  p_true <- scenarios[[sc]]$dlt
  a <- c(common, list(p.true = p_true, p.response.true = scenarios[[sc]]$resp))
  r <- bfboin_trials(a, ntrial, seed)
  mtd <- which(p_true == target)
  cat(sprintf("\n%s, DLT %s, response %s (equals get.oc.bf's own output: %s)\n", sc,
    paste(p_true, collapse = " "), paste(scenarios[[sc]]$resp, collapse = " "), r$same))
  print_selection(r, ntrial)
  p <- mean(r$sel == mtd)
  cat(sprintf("  PCS (dose %d)    = %.4f (MCSE %.4f)\n", mtd, p, mcse_p(p, ntrial)))
  cat(sprintf("  mean N = %.3f (MCSE %.3f, sd %.3f); mean DLTs = %.3f (MCSE %.3f)\n",
    mean(r$n_tot), sd(r$n_tot) / sqrt(ntrial), sd(r$n_tot), mean(r$y_tot),
    sd(r$y_tot) / sqrt(ntrial)))
  print_duration_cpu(r, ntrial)
}
