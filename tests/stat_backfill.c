/* stat_backfill.c — BF-BOIN (BOIN with backfill, SPEC 13) against bfboin's (Zhao, Yuan, Korn &
 * Freidlin 2024; the R package bfboin 0.1.1's sim.one.trial, as get.oc.bf runs it), numbers
 * recorded with the R command in bench/peers/README.md ("bfboin: BF-BOIN, backfill on"; R is no
 * dependency of this test). The setting is the paper's Table 4: target 0.25, 5 doses, 10 cohorts
 * of 3, n_earlystop 9, p_saf 0.15, p_tox 0.35, cutoff_eli 0.95, extrasafe off; 3 patients a month
 * (poisson), a one-month DLT window, Weibull onset with half of the DLTs in its second half;
 * backfill to the highest open dose, bfboin's n.cap 11 (a dose stays open while it holds <= 11)
 * being our cap 12 (fewer than 12). A month is 30.44 days here (SPEC 11): durations compare in
 * months.
 *
 * Rule: |doseval - bfboin| <= 4 sqrt(mcse_doseval^2 + mcse_bfboin^2) for P(correct selection),
 * mean N and mean duration. doseval's MCSEs are its own (oc.csv's); bfboin's are the script's,
 * sd / sqrt(10,000) over the trials get.oc.bf runs (recorded beside the means). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "support_sim.h"

#define TRIALS 20000
#define MONTH 30.44

/* bench/peers/README.md: `Rscript bench/peers/bfboin_backfill.R 10000 20261124 11` */
static const struct {
  const char *name;
  double pcs, pcs_se, n, n_se, months, months_se;
} peer[2] = {{"scenario 1", 0.8067, 0.0039, 16.191, 0.089, 8.508, 0.045},
             {"scenario 4", 0.5559, 0.0050, 33.466, 0.078, 16.902, 0.033}};

static void expect_close(const char *what, int s, double got, double got_se, double want,
                         double want_se) {
  double tol = 4 * sqrt(got_se * got_se + want_se * want_se);
  cr_expect(fabs(got - want) <= tol,
            "%s %s: doseval %.4f (MCSE %.4f), bfboin %.4f (%.4f): "
            "|difference| %.4f > %.4f",
            peer[s].name, what, got, got_se, want, want_se, fabs(got - want), tol);
}

Test(backfill_bfboin, pcs_n_and_months_as_bfboin) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "study: {name: bf, doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30, "
           "dlt_window: %.17g, accrual: {mean_interval: %.17g, process: poisson}, dlt_onset: "
           "{distribution: weibull, late_fraction: 0.5}}\n"
           "designs: [{name: BF, type: boin, cutoff_eli: 0.95, extrasafe: false, n_earlystop: "
           "9, p_saf: 0.15, p_tox: 0.35, bound_mtd: false, backfill: {cap: 12, assign: "
           "highest}}]\n"
           "scenarios:\n"
           "  - {name: sc1, p_tox: [0.25, 0.41, 0.45, 0.49, 0.53], "
           "p_eff: [0.3, 0.4, 0.45, 0.5, 0.55]}\n"
           "  - {name: sc4, p_tox: [0.02, 0.06, 0.10, 0.25, 0.40], "
           "p_eff: [0.05, 0.1, 0.15, 0.3, 0.45]}\n"
           "simulation: {seed: 20261124}\n",
           MONTH, MONTH / 3);
  config *cfg = support_config(yaml);
  oc_rows rows;
  support_simulate(cfg, TRIALS, &rows);
  for (int s = 0; s < 2; s++) {
    const oc_row *pcs = support_row(&rows, s, "BF", "pcs", -1);
    const oc_row *n = support_row(&rows, s, "BF", "n_mean", -1);
    const oc_row *n_sd = support_row(&rows, s, "BF", "n_sd", -1);
    const oc_row *t = support_row(&rows, s, "BF", "duration_mean", -1);
    const oc_row *t_sd = support_row(&rows, s, "BF", "duration_sd", -1);
    expect_close("P(correct selection)", s, pcs->value, pcs->mcse, peer[s].pcs, peer[s].pcs_se);
    expect_close("mean N", s, n->value, n->mcse, peer[s].n, peer[s].n_se);
    expect_close("mean months", s, t->value / MONTH, t->mcse / MONTH, peer[s].months,
                 peer[s].months_se);
    /* some patients are backfilled: the test is about backfill */
    double side = 0;
    for (int d = 1; d <= 5; d++)
      side += support_row(&rows, s, "BF", "n_backfill_dose", d)->value;
    cr_expect(side > 1.0, "%s: %.3f backfilled patients a trial", peer[s].name, side);
    printf("%s: PCS %.4f (%.4f), N %.3f (%.3f, sd %.2f), months %.3f (%.3f, sd %.2f), "
           "backfilled %.3f\n",
           peer[s].name, pcs->value, pcs->mcse, n->value, n->mcse, n_sd->value, t->value / MONTH,
           t->mcse / MONTH, t_sd->value / MONTH, side);
  }
  oc_rows_free(&rows);
  config_free(cfg);
}
