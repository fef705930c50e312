# crmPack's simulation of the reference study's BLRM (configs/nct05563545.yaml, design "BLRM"), timed.
#
# A peer to time against, never a dependency of doseval or its tests (shared notes, r-peers.md).
# Usage: Rscript bench/peers/crmpack_blrm.R [NSIM] [SEED]   (crmPack and its imports in /tmp/rlib)
# Prints the selection per dose with binomial MCSEs, mean N, and CPU and wall seconds per trial.

.libPaths(c("/tmp/rlib", .libPaths()))
suppressPackageStartupMessages(library(crmPack))

args <- commandArgs(trailingOnly = TRUE)
nsim <- if (length(args) >= 1) as.integer(args[1]) else 20L
seed <- if (length(args) >= 2) as.integer(args[2]) else 20261124L

doses <- c(1.0e7, 2.0e7, 3.0e7)
p_true <- c(0.12, 0.30, 0.45) # scenario "MTD at dose 2"

# doseval's BLRM: logit p = log(alpha) + beta log(x / 3e7), log(alpha) ~ N(-0.8473, 1),
# log(beta) ~ N(0, 1), independent. crmPack's LogisticLogNormal is the same model with
# (alpha0, log alpha1) ~ N(mean, cov).
model <- LogisticLogNormal(mean = c(-0.8473, 0), cov = diag(c(1, 1)), ref_dose = 3.0e7)

# Intervals [0.20, 0.35) target, [0.35, 1] overdose; EWOC: P(overdose) <= 0.25 (doseval: < 0.25;
# the boundary has probability zero under a continuous posterior).
next_best <- NextBestNCRM(target = c(0.20, 0.35), overdose = c(0.35, 1), max_overdose_prob = 0.25)

# doseval's max_increase 1.0 is +100% over the highest dose given so far. On the grid 1e7, 2e7, 3e7
# that is exactly "one level above the highest level given" (1e7 -> 2e7; 2e7 -> 4e7, i.e. 3e7).
# IncrementsRelative would measure from the last dose instead, which differs after a de-escalation.
increments <- IncrementsDoseLevels(levels = 1L, basis_level = "max")

# doseval's stop rule: at least 12 patients, the next dose already has 6, and its P(target) >= 0.5;
# or max_n 21 reached; or no dose eligible (EWOC excludes every dose: stop, no MTD).
stopping <- (StoppingMinPatients(nPatients = 12) &
  StoppingPatientsNearDose(nPatients = 6, percentage = 0) &
  StoppingTargetProb(target = c(0.20, 0.35), prob = 0.5)) |
  StoppingMinPatients(nPatients = 21) |
  StoppingMissingDose()

design <- Design(
  model = model,
  nextBest = next_best,
  stopping = stopping,
  increments = increments,
  cohort_size = CohortSizeConst(size = 3),
  data = Data(doseGrid = doses),
  startingDose = 1.0e7
)

truth <- function(dose) p_true[match(dose, doses)]

mcmc_options <- McmcOptions() # crmPack's defaults: burn-in 10,000, step 2, 10,000 samples
t0 <- proc.time()
sims <- simulate(design, nsim = nsim, seed = seed, truth = truth, mcmcOptions = mcmc_options)
t1 <- proc.time() - t0

sel <- sims@doses # NA when the trial stopped with no MTD
n_pat <- sapply(sims@data, function(d) d@nObs)
cat(sprintf("crmPack %s, R %s, JAGS via rjags %s; nsim %d, seed %d\n",
  packageVersion("crmPack"), getRversion(), packageVersion("rjags"), nsim, seed))
for (k in seq_along(doses)) {
  p <- mean(!is.na(sel) & sel == doses[k])
  cat(sprintf("P(select dose %d) = %.3f (MCSE %.3f)\n", k, p, sqrt(p * (1 - p) / nsim)))
}
p <- mean(is.na(sel))
cat(sprintf("P(stop, no MTD)   = %.3f (MCSE %.3f)\n", p, sqrt(p * (1 - p) / nsim)))
cat(sprintf("mean N = %.2f (MCSE %.2f)\n", mean(n_pat), sd(n_pat) / sqrt(nsim)))
cpu <- unname(t1["user.self"] + t1["sys.self"] + t1["user.child"] + t1["sys.child"])
cat(sprintf("CPU %.1f s, wall %.1f s: %.3f CPU s and %.3f wall s per trial\n",
  cpu, t1[["elapsed"]], cpu / nsim, t1[["elapsed"]] / nsim))
cat("trials by N:\n")
print(table(n_pat))
