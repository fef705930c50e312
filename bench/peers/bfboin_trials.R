# bfboin_trials(): the per-trial numbers of one bfboin get.oc.bf setting, for bfboin_oc.R
# (backfill off, issue 28) and bfboin_backfill.R (backfill on, issue 30), which source this file.
#
# get.oc.bf returns means only; sim.one.trial (the function it maps over trials, after the same
# set.seed) is called here the same way, so the numbers are get.oc.bf's and each has an MCSE.
# `same` checks that their means equal get.oc.bf's own output for the same seed.
# A peer to compare against, never a dependency of doseval or its tests (shared notes, r-peers.md).

mcse_p <- function(p, m) sqrt(p * (1 - p) / m)

# a: get.oc.bf's arguments but ntrial and seed. Returns, a trial each: sel (the dose selected,
# 99 none), n_tot and y_tot (patients and DLTs), months (duration), n_at (a row of patients per
# dose); same (TRUE when their means are get.oc.bf's); cpu and wall, the seconds
# sim.one.trial took (cpu: user + sys, children included).
bfboin_trials <- function(a, ntrial, seed) {
  set.seed(seed)
  t0 <- proc.time()
  res <- purrr::map_df(1:ntrial, function(i) do.call(bfboin:::sim.one.trial, c(list(trial.id = i), a)))
  t1 <- proc.time() - t0
  by_trial <- split(res, res$trial.id)
  sel <- sapply(by_trial, function(x) x$dselect[1])
  n_tot <- sapply(by_trial, function(x) sum(x$n))
  y_tot <- sapply(by_trial, function(x) sum(x$y))
  months <- sapply(by_trial, function(x) x$max.t[1])
  n_at <- t(sapply(by_trial, function(x) x$n))

  own <- do.call(get.oc.bf, c(list(ntrial = ntrial, seed = seed), a))
  same <- isTRUE(all.equal(own$selpercent, sapply(1:5, function(k) 100 * mean(sel == k)))) &&
    isTRUE(all.equal(own$totaln, mean(n_tot))) && isTRUE(all.equal(own$duration, mean(months)))

  list(sel = sel, n_tot = n_tot, y_tot = y_tot, months = months, n_at = n_at, same = same,
    cpu = unname(t1["user.self"] + t1["sys.self"] + t1["user.child"] + t1["sys.child"]),
    wall = t1[["elapsed"]])
}

# The lines both scripts print of r (bfboin_trials' result): P(select dose k) and patients at dose k
# with their MCSEs, then P(stop with no MTD).
print_selection <- function(r, ntrial) {
  for (k in 1:5) {
    p <- mean(r$sel == k)
    cat(sprintf("  P(select dose %d) = %.4f (MCSE %.4f)   mean n = %.3f (MCSE %.3f)\n", k, p,
      mcse_p(p, ntrial), mean(r$n_at[, k]), sd(r$n_at[, k]) / sqrt(ntrial)))
  }
  p <- mean(r$sel == 99)
  cat(sprintf("  P(stop, no MTD)  = %.4f (MCSE %.4f)\n", p, mcse_p(p, ntrial)))
}

# ... and the duration in months with its MCSE, then the CPU sim.one.trial took.
print_duration_cpu <- function(r, ntrial) {
  cat(sprintf("  mean duration = %.3f months (sd %.3f, MCSE %.3f)\n", mean(r$months), sd(r$months),
    sd(r$months) / sqrt(ntrial)))
  cat(sprintf("  CPU %.1f s, wall %.1f s: %.5f CPU s per trial\n", r$cpu, r$wall,
    r$cpu / ntrial))
}
