/* stat_titesim.c — TITE-CRM in `doseval run` with time against dfcrm's titesim (Cheung 2011; the
 * R package dfcrm), numbers recorded with their MCSEs in bench/peers/README.md ("dfcrm: TITE-CRM
 * with titesim"; R is no dependency of this test). The setting: 3 doses, empiric skeleton
 * 0.2039560 0.3 0.4018194, prior sd 1.1576, target 0.30, 21 patients one at a time from dose 1,
 * a 28-day window, a patient every 15.2 days exactly, uniform onset, linear weights; p = 0.12
 * 0.30 0.45.
 *
 * Matching titesim's rules. titesim's restrict = TRUE only caps the next dose at the current + 1;
 * doseval's CRM option no_skip also forbids escalating right after a cohort (here one patient)
 * with a DLT seen, so the config sets no_skip: false and the rules layer's {no_skip: {escalation:
 * true}}, which is titesim's restriction exactly. The final MTD is the full-data CRM's in both.
 *
 * Selection and allocation: |doseval - titesim| <= 4 sqrt(mcse_doseval^2 + mcse_titesim^2), for
 * P(select d) against both of titesim's runs and the mean patients per dose against the run kept
 * trial by trial (the only one with their MCSEs).
 *
 * Duration, under the stated clocks (SPEC 11, bench/peers/README.md): titesim's patient i arrives
 * at i x 15.2 and its trial always lasts the last arrival plus the whole window, 347.2 days. Ours
 * starts at 0 and ends at the last outcome: the last patient arrives at 20 x 15.2 = 304 (TITE-CRM
 * never suspends); without a DLT it is known at 304 + 28 = 332 = 347.2 - 15.2, later than any
 * other patient's (at most 19 x 15.2 + 28 = 316.8); with a DLT at onset T the trial ends at the
 * latest outcome, in [304 + T, max(304 + T, 316.8)]. Checked trial by trial from the documented
 * streams (the last patient's tolerance u_20 at the last dose, its onset quantile v_20, T = 28
 * v_20); then `run`'s mean duration (counters in 1/64 day) equals these trials' to 1/128 day. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "clock.h"
#include "pending_trial.h"
#include "rng.h"
#include "support_sim.h"
#include "trial.h"

#define TRIALS 10000

static const char *yaml =
    "study: {name: titesim, doses: [1, 2, 3], target: 0.30, cohort_size: 1, max_n: 21, "
    "start_dose: 1, dlt_window: 28, accrual: {mean_interval: 15.2, process: fixed}, "
    "dlt_onset: {distribution: uniform}}\n"
    "designs:\n"
    "  - {name: TITE-CRM, type: titecrm, model: empiric, prior_sd: 1.1576, no_skip: false,\n"
    "     skeleton: [0.2039560, 0.3000000, 0.4018194], weights: linear,\n"
    "     rules: [{no_skip: {escalation: true, deescalation: false}}]}\n"
    "scenarios: [{name: s, p_tox: [0.12, 0.30, 0.45]}]\n"
    "simulation: {seed: 20261124}\n";

static void expect_near(double got, double se, double peer, double peer_se, const char *what) {
  double tol = 4 * sqrt(se * se + peer_se * peer_se);
  cr_expect(fabs(got - peer) <= tol, "%s: doseval %.4f (MCSE %.4f), titesim %.4f (%.4f)", what, got,
            se, peer, peer_se);
}

Test(titesim, selection_and_allocation_agree) {
  config *cfg = support_config(yaml);
  oc_rows rows;
  support_simulate(cfg, TRIALS, &rows);
  /* bench/peers/README.md: (1) titesim(nsim = 10000), (2) 10,000 one-trial calls */
  const double sel1[3] = {0.1876, 0.5623, 0.2501}, sel1_se[3] = {0.0039, 0.0050, 0.0043};
  const double sel2[3] = {0.1935, 0.5487, 0.2578}, sel2_se[3] = {0.0040, 0.0050, 0.0044};
  const double n2[3] = {6.424, 7.863, 6.713}, n2_se[3] = {0.052, 0.039, 0.058};
  for (int d = 1; d <= 3; d++) {
    const oc_row *s = support_row(&rows, 0, "TITE-CRM", "sel", d);
    const oc_row *n = support_row(&rows, 0, "TITE-CRM", "n_dose", d);
    char what[64];
    snprintf(what, sizeof what, "P(select %d) vs (1)", d);
    expect_near(s->value, s->mcse, sel1[d - 1], sel1_se[d - 1], what);
    snprintf(what, sizeof what, "P(select %d) vs (2)", d);
    expect_near(s->value, s->mcse, sel2[d - 1], sel2_se[d - 1], what);
    snprintf(what, sizeof what, "mean N at dose %d vs (2)", d);
    expect_near(n->value, n->mcse, n2[d - 1], n2_se[d - 1], what);
  }
  cr_expect_eq(support_row(&rows, 0, "TITE-CRM", "sel", 0)->value, 0.0, "no stopping rule");
  cr_expect_eq(support_row(&rows, 0, "TITE-CRM", "n_mean", -1)->value, 21.0);
  /* titesim's mean DLTs, 6.157 (0.012) */
  const oc_row *y = support_row(&rows, 0, "TITE-CRM", "dlt_mean", -1);
  expect_near(y->value, y->mcse, 6.157, 0.012, "mean DLTs vs (2)");
  oc_rows_free(&rows);
  config_free(cfg);
}

Test(titesim, duration_is_titesims_under_the_stated_clocks) {
  config *cfg = support_config(yaml);
  const config_design *dz = &cfg->designs[0];
  config_scenario sc;
  config_scenario_at(cfg, 0, &sc);
  clock_law law;
  clock_law_init(&law, &cfg->time, sc.p_tox, 3);
  clock_trial ct;
  clock_trial_init(&ct, &law, cfg->seed, sc.stream, 0);
  const uint64_t trials = 1000;
  double sum = 0.0;
  for (uint64_t t = 0; t < trials; t++) {
    if (t > 0)
      clock_trial_next(&ct);
    /* the trial's tolerances as trial.c draws them: patient i's DLT words, summed */
    rng_pcg32 r;
    rng_for_trial(&r, cfg->seed, sc.stream, t, TRIAL_SEGMENT_LOG2);
    uint64_t dlts[22] = {0}, x[21];
    for (int i = 0; i < 21; i++) {
      x[i] = rng_next(&r);
      uint64_t word = 0;
      for (int d = 0; d < 3; d++)
        word |= (uint64_t)(x[i] < rng_uniform_threshold(sc.p_tox[d])) << (4 * d);
      dlts[i + 1] = dlts[i] + word;
    }
    pending_result res;
    pending_trial_run(&dz->policy, NULL, &ct, dlts, &res);
    int last = res.final.cur; /* the last patient's dose */
    bool dlt = x[20] < rng_uniform_threshold(sc.p_tox[last - 1]);
    double v = ((double)rng_peek(&ct.seg, ct.onset_at[20]) + 0.5) / 4294967296.0;
    double last_known = 20 * 15.2 + (dlt ? 28 * v : 28.0);
    if (dlt)
      cr_assert(res.duration >= last_known && res.duration <= fmax(last_known, 19 * 15.2 + 28),
                "trial %llu: %.9f days, last patient's DLT known at %.9f", (unsigned long long)t,
                res.duration, last_known);
    else
      cr_assert_float_eq(res.duration, last_known, 1e-9, "trial %llu: %.9f days, want %.9f",
                         (unsigned long long)t, res.duration, last_known);
    cr_assert_eq(res.turned_away, (uint64_t)(res.duration > 21 * 15.2), "trial %llu",
                 (unsigned long long)t);
    sum += res.duration;
  }
  /* run's mean (its counters in 1/64 day) against the written-down mean of these trials */
  oc_rows rows;
  support_simulate(cfg, trials, &rows);
  const oc_row *m = support_row(&rows, 0, "TITE-CRM", "duration_mean", -1);
  cr_expect(fabs(m->value - sum / (double)trials) <= 1.0 / 128, "run: %.6f days, written down %.6f",
            m->value, sum / (double)trials);
  oc_rows_free(&rows);
  config_free(cfg);
}
