/* test_pending_trial.c — the event loop of the designs that read pending patients (SPEC sections
 * 11 and 12; src/engine/pending_trial.c) inside `doseval run`: trials whose every arrival and
 * outcome can be written down (fixed accrual, no DLT), TITE-BOIN equal to BOIN when no patient is
 * ever pending at a decision, and counters that do not depend on how the trials are split. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact.h"
#include "support_sim.h"
#include "trial.h"

/* Rolling 6 with no DLT, a patient every 10 days and a 28-day window. At dose 1 patients arrive
 * at 0, 10, 20, 30, 40, 50 (at 30, 40 and 50 only 1, 2 and 3 of them are evaluated, known at
 * arrival + 28: neither e = n in {3, 4} nor e >= 5, so the next is enrolled at the same dose);
 * at 60, 6 enrolled and 4 evaluated: suspend; at 70 the fifth (40 + 28 = 68) is known: escalate.
 * Dose 2 repeats it from 70 (suspending at 130, escalating at 140), and the top dose enrols 140
 * ... 190 and then waits until all 6 are evaluated (190 + 28 = 218), turning away 200 and 210.
 * Every trial: 18 patients, 6 at each dose, MTD 3, 218 days, 4 turned away. */
Test(pending_trial, rolling6_without_dlt_on_fixed_accrual_is_written_down) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 1, max_n: 24, dlt_window: 28, "
      "accrual: {mean_interval: 10, process: fixed}}\n"
      "designs: [{name: R6, type: rolling6}]\n"
      "scenarios: [{name: s, p_tox: [0, 0, 0]}]\n");
  oc_rows rows;
  support_simulate(cfg, 300, &rows);
  support_expect_metric(&rows, "R6", "duration_mean", -1, 218.0);
  support_expect_metric(&rows, "R6", "duration_sd", -1, 0.0);
  support_expect_metric(&rows, "R6", "duration_q", 50, 218.0);
  support_expect_metric(&rows, "R6", "turned_away_mean", -1, 4.0);
  support_expect_metric(&rows, "R6", "n_mean", -1, 18.0);
  for (int d = 1; d <= 3; d++)
    support_expect_metric(&rows, "R6", "n_dose", d, 6.0);
  support_expect_metric(&rows, "R6", "sel", 3, 1.0);
  oc_rows_free(&rows);
  config_free(cfg);
}

/* The same with a patient every 14 days: outcomes are known at the very moment of later arrivals
 * (0 + 28 = 28), and such an outcome is known to that arrival (SPEC 11's tie rule for every
 * design). Dose 1 enrols 0 ... 70; at 84 the fifth is known (56 + 28): escalate, no suspension.
 * Dose 2 enrols 84 ... 154, dose 3 168 ... 238; at 252 the top dose waits for its sixth (238 + 28
 * = 266), turning 252 away; at 266 every outcome is known. 266 days, 1 turned away. */
Test(pending_trial, an_outcome_known_at_an_arrival_counts_as_known) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 1, max_n: 24, dlt_window: 28, "
      "accrual: {mean_interval: 14, process: fixed}}\n"
      "designs: [{name: R6, type: rolling6}]\n"
      "scenarios: [{name: s, p_tox: [0, 0, 0]}]\n");
  oc_rows rows;
  support_simulate(cfg, 100, &rows);
  support_expect_metric(&rows, "R6", "duration_mean", -1, 266.0);
  support_expect_metric(&rows, "R6", "turned_away_mean", -1, 1.0);
  support_expect_metric(&rows, "R6", "n_mean", -1, 18.0);
  oc_rows_free(&rows);
  config_free(cfg);
}

/* TITE-CRM with cohorts of 1 never suspends (dfcrm's titesim: "no one waits"): with fixed accrual
 * every 15.2 days patient 21 arrives at 20 x 15.2 = 304 days, and with no DLT its outcome is
 * known 28 days later: 332 days in every trial, titesim's 347.2 less its one gap before the first
 * arrival (bench/peers/README.md); the arrival at 319.2 is turned away. */
Test(pending_trial, titecrm_without_dlt_lasts_the_last_arrival_plus_the_window) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 1, max_n: 21, dlt_window: 28, "
      "accrual: {mean_interval: 15.2, process: fixed}, dlt_onset: {distribution: uniform}}\n"
      "designs: [{name: TITE, type: titecrm, skeleton: [0.2039560, 0.3, 0.4018194]}]\n"
      "scenarios: [{name: s, p_tox: [0, 0, 0]}]\n");
  oc_rows rows;
  support_simulate(cfg, 200, &rows);
  support_expect_metric(&rows, "TITE", "duration_mean", -1, 332.0);
  support_expect_metric(&rows, "TITE", "duration_sd", -1, 0.0);
  support_expect_metric(&rows, "TITE", "turned_away_mean", -1, 1.0);
  support_expect_metric(&rows, "TITE", "n_mean", -1, 21.0);
  oc_rows_free(&rows);
  config_free(cfg);
}

/* With a patient every 30 days and a 28-day window no one is ever pending when the next arrives,
 * so TITE-BOIN decides as BOIN at every cohort (SPEC 12: without pending, BOIN) and its trial on
 * the clock is BOIN's: every number of the two designs is the same, and they never disagree. */
Test(pending_trial, titeboin_with_nothing_pending_is_boin) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3, 4], target: 0.25, cohort_size: 3, max_n: 24, "
      "dlt_window: 28, accrual: {mean_interval: 30, process: fixed}, dlt_onset: {distribution: "
      "weibull, late_fraction: 0.5}}\n"
      "designs: [{name: BOIN, type: boin}, {name: TB, type: titeboin}]\n"
      "scenarios: [{name: s, p_tox: [0.1, 0.25, 0.4, 0.55]}]\n"
      "simulation: {seed: 11}\n");
  oc_rows rows;
  support_simulate(cfg, 3000, &rows);
  int compared = 0, boin = oc_rows_column(&rows, "BOIN"), tb = oc_rows_column(&rows, "TB");
  for (size_t i = 0; i < rows.n; i++) {
    const oc_row *r = &rows.rows[i];
    if (r->column != boin)
      continue;
    const oc_row *t = oc_rows_get(&rows, r->scenario, tb, r->metric, r->dose);
    cr_assert_not_null(t);
    cr_expect_eq(t->value, r->value, "metric %d dose %d: TITE-BOIN %.10g, BOIN %.10g",
                 (int)r->metric, r->dose, t->value, r->value);
    compared++;
  }
  cr_expect_gt(compared, 30);
  support_expect_metric(&rows, "BOIN vs TB", "p_disagree", -1, 0.0);
  support_expect_metric(&rows, "BOIN vs TB", "duration_mean_diff", -1, 0.0);
  oc_rows_free(&rows);
  config_free(cfg);
}

static uint64_t *simulate(const config *cfg, const oc_layout *l, uint64_t trials, int parts) {
  return support_simulate_counts(cfg, l, trials, parts, 1 << 16);
}

/* Trials are independent of how they are split (ranks, shards, resume), with the designs that
 * read pending patients beside those that wait for complete cohorts, and past the clock's cache
 * of arrivals (a gap far below the window: rolling 6 turns hundreds away a trial). */
Test(pending_trial, counters_do_not_depend_on_the_split) {
  const char *accruals[] = {"{mean_interval: 15.2, process: poisson}",
                            "{mean_interval: 0.05, process: uniform}"};
  for (int i = 0; i < 2; i++) {
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21, "
             "dlt_window: 28, accrual: %s, dlt_onset: {distribution: weibull, late_fraction: "
             "0.5}}\n"
             "designs:\n"
             "  - {name: 3+3, type: threeplusthree}\n"
             "  - {name: TB, type: titeboin}\n"
             "  - {name: TC, type: titecrm, cohort_size: 1, skeleton: [0.2, 0.3, 0.4]}\n"
             "  - {name: R6, type: rolling6, cohort_size: 1}\n"
             "scenarios:\n"
             "  - {name: a, p_tox: [0.12, 0.30, 0.45]}\n"
             "  - {name: b, p_tox: [0.5, 0.6, 0.7]}\n"
             "simulation: {seed: 5}\n",
             accruals[i]);
    config *cfg = support_config(yaml);
    oc_layout l;
    dv_error err = {0};
    cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
    uint64_t *one = simulate(cfg, &l, 301, 1), *four = simulate(cfg, &l, 301, 4);
    cr_expect(memcmp(one, four, l.total * sizeof *one) == 0, "accrual %d: split differs", i);
    free(one);
    free(four);
    config_free(cfg);
  }
}

/* The exact engine has no clock: a timed study with such a design is refused, not answered with
 * the complete-data design's numbers. */
Test(pending_trial, exact_refuses_a_timed_pending_design) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 1, max_n: 12, dlt_window: 28, "
      "accrual: {mean_interval: 10, process: fixed}}\n"
      "designs: [{name: R6, type: rolling6}]\n"
      "scenarios: [{name: s, p_tox: [0.1, 0.2, 0.3]}]\n");
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  double *w = calloc(l.total, sizeof *w);
  cr_expect_eq(exact_run(cfg, &l, 1 << 16, w, NULL, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "'R6' (rolling6) reads pending patients") != NULL, "%s", err.msg);
  free(w);
  config_free(cfg);
}
