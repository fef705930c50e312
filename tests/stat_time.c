/* stat_time.c — BOIN's trial duration against bfboin's (Zhao, Yuan, Korn & Freidlin 2024; the
 * R package bfboin 0.1.1's get.oc.bf with backfill off), numbers recorded with their MCSEs in
 * bench/peers/README.md ("bfboin: BOIN with time, backfill off"; R is no dependency of this
 * test). The setting is the BF-BOIN paper's Table 4: target 0.25, 5 doses, 10 cohorts of 3,
 * n_earlystop 9, p_saf 0.15, p_tox 0.35, cutoff_eli 0.95; 3 patients a month (uniform gaps
 * U(0, 2/3) month, bfboin's default, or exponential gaps of mean 1/3 month), a one-month DLT
 * window, Weibull onset with half of the DLTs in its second half. bfboin counts months; here a
 * month is 30.44 days (SPEC section 11) and every time is in days, so the durations compare
 * after dividing by 30.44 (the setting scales: a duration in months is the same number whatever
 * the length of a month). bfboin's clock is SPEC 11's: the first patient at 0, a cohort's
 * outcomes known at its last outcome, the next arrival starting the next cohort.
 *
 * Rule: |doseval - bfboin| <= 4 sqrt(mcse_doseval^2 + mcse_bfboin^2) for the mean, and the same
 * for the sd with the normal-theory MCSE sd / sqrt(2 T) on both sides. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "support_sim.h"

#define TRIALS 40000
#define MONTH 30.44

static void compare(const char *process, const double mean[2], const double mean_se[2],
                    const double sd[2]) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "study: {name: bf, doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30, "
           "dlt_window: %.17g, accrual: {mean_interval: %.17g, process: %s}, dlt_onset: "
           "{distribution: weibull, late_fraction: 0.5}}\n"
           "designs: [{name: BOIN, type: boin, cutoff_eli: 0.95, extrasafe: false, n_earlystop: "
           "9, p_saf: 0.15, p_tox: 0.35, bound_mtd: false}]\n"
           "scenarios:\n"
           "  - {name: sc1, p_tox: [0.25, 0.41, 0.45, 0.49, 0.53]}\n"
           "  - {name: sc4, p_tox: [0.02, 0.06, 0.10, 0.25, 0.40]}\n"
           "simulation: {seed: 20261124}\n",
           MONTH, MONTH / 3, process);
  config *cfg = support_config(yaml);
  oc_rows rows;
  support_simulate(cfg, TRIALS, &rows);
  for (int s = 0; s < 2; s++) {
    const oc_row *m = support_row(&rows, s, "BOIN", "duration_mean", -1);
    const oc_row *d = support_row(&rows, s, "BOIN", "duration_sd", -1);
    double got = m->value / MONTH, se = m->mcse / MONTH, got_sd = d->value / MONTH;
    double tol = 4 * sqrt(se * se + mean_se[s] * mean_se[s]);
    cr_expect(fabs(got - mean[s]) <= tol,
              "%s sc%d: mean %.4f months (MCSE %.4f), bfboin %.3f (%.3f)", process, s ? 4 : 1, got,
              se, mean[s], mean_se[s]);
    double sd_tol = 4 * sqrt(pow(got_sd, 2) / (2.0 * TRIALS) + pow(sd[s], 2) / (2.0 * 10000));
    cr_expect(fabs(got_sd - sd[s]) <= sd_tol, "%s sc%d: sd %.4f months, bfboin %.3f", process,
              s ? 4 : 1, got_sd, sd[s]);
  }
  oc_rows_free(&rows);
  config_free(cfg);
}

/* bench/peers/README.md: 10,000 trials each, seed 20261124 */
Test(time_bfboin, boin_duration_uniform_accrual) {
  compare("uniform", (const double[]){8.650, 16.117}, (const double[]){0.044, 0.027},
          (const double[]){4.416, 2.673});
}

Test(time_bfboin, boin_duration_poisson_accrual) {
  compare("poisson", (const double[]){9.066, 17.099}, (const double[]){0.048, 0.031},
          (const double[]){4.811, 3.145});
}
