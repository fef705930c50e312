/* test_backfill_trial.c — the event loop of a design that places arrivals while its cohort waits
 * (SPEC sections 11 and 13; src/engine/backfill_trial.c), through BF-BOIN inside `doseval run`:
 * a trial written down arrival by arrival, and BF-BOIN equal to BOIN in every number when no
 * dose ever opens (no response). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "support_sim.h"

/* No DLT, every patient responds, a patient every 10 days, a 28-day window, cohorts of 3, max_n
 * 9 (three cohorts), target 0.25, cap 5. Every trial is this one:
 *   0, 10, 20: cohort 1 at dose 1 (outcomes known 28, 38, 48); 30 and 40 turned away (no dose
 *     below the cohort's);
 *   50: the cohort's last outcome was known at 48: 0/3 escalates; 50, 60, 70 the cohort at dose
 *     2 (known 78, 88, 98);
 *   80, 90: dose 1 is open (responses known at 28 ... 48, 0/3, 3 and then 4 patients < 5):
 *     backfilled (known 108, 118);
 *   100: decided at 98 from the outcomes known then (dose 1 still 0/3: the backfilled ones are
 *     pending), 0/3 at dose 2 escalates; 100, 110, 120 the cohort at dose 3 (known 148);
 *   130, 140: dose 1 holds 5 (closed by the cap), dose 2 is open (0/3, responses known by 98):
 *     backfilled at dose 2 (known 158, 168);
 *   150: decided at 148: max_n, the MTD on the counts known at 148: dose 1 5/0 (its backfilled
 *     two known at 108 and 118), dose 2 3/0 (its backfilled two still pending: not in the
 *     trial's analysis), dose 3 3/0: the isotonic estimates are all below 0.25, the highest
 *     wins: dose 3.
 * 148 days; 15 arrivals before it, 13 enrolled: 2 turned away; N 11 (5, 3, 3); backfilled in
 * the analysis 2 at dose 1. */
Test(backfill_trial, a_trial_written_down_arrival_by_arrival) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.25, cohort_size: 3, max_n: 9, dlt_window: 28, "
      "accrual: {mean_interval: 10, process: fixed}}\n"
      "designs: [{name: BF, type: boin, backfill: {cap: 5, assign: highest}}]\n"
      "scenarios: [{name: s, p_tox: [0, 0, 0], p_eff: [1, 1, 1]}]\n");
  oc_rows rows;
  support_simulate(cfg, 50, &rows);
  support_expect_metric(&rows, "BF", "duration_mean", -1, 148.0);
  support_expect_metric(&rows, "BF", "duration_sd", -1, 0.0);
  support_expect_metric(&rows, "BF", "turned_away_mean", -1, 2.0);
  support_expect_metric(&rows, "BF", "n_mean", -1, 11.0);
  const double n_dose[] = {5, 3, 3}, side[] = {2, 0, 0};
  for (int d = 1; d <= 3; d++) {
    support_expect_metric(&rows, "BF", "n_dose", d, n_dose[d - 1]);
    support_expect_metric(&rows, "BF", "n_backfill_dose", d, side[d - 1]);
  }
  support_expect_metric(&rows, "BF", "sel", 3, 1.0);
  support_expect_metric(&rows, "BF", "stop_reason", 3, 1.0); /* BOIN's three reasons, then max_n */
  oc_rows_free(&rows);
  config_free(cfg);
}

/* With no response anywhere no dose opens, and BF-BOIN is BOIN on the same patients and clock:
 * its conflict rule is BOIN's move when no lower dose gained patients (designs/boin.c), it
 * decides when the cohort's last outcome is known and turns away the arrivals before, as the
 * clock of a complete-cohort design does. Every number of BOIN's equals BF-BOIN's, durations
 * and turned-away arrivals included, and the paired differences are 0; no one is backfilled. */
Test(backfill_trial, without_responses_it_is_boin) {
  config *cfg = support_config(
      "study: {name: bf, doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30, "
      "dlt_window: 30.44, accrual: {mean_interval: 10.1467, process: poisson}, dlt_onset: "
      "{distribution: weibull, late_fraction: 0.5}}\n"
      "designs:\n"
      "  - {name: BOIN, type: boin, n_earlystop: 9}\n"
      "  - {name: BF, type: boin, n_earlystop: 9, backfill: {cap: 12}}\n"
      "scenarios:\n"
      "  - {name: sc1, p_tox: [0.25, 0.41, 0.45, 0.49, 0.53], p_eff: [0, 0, 0, 0, 0]}\n"
      "  - {name: sc4, p_tox: [0.02, 0.06, 0.10, 0.25, 0.40], p_eff: [0, 0, 0, 0, 0]}\n");
  oc_rows rows;
  support_simulate(cfg, 3000, &rows);
  int compared = 0;
  for (size_t i = 0; i < rows.n; i++) {
    const oc_row *r = &rows.rows[i];
    if (r->column != 0)
      continue;
    const oc_row *b = support_row(&rows, r->scenario, "BF", oc_catalogue[r->metric].key, r->dose);
    cr_expect(r->has_value == b->has_value && r->value == b->value && r->mcse == b->mcse,
              "scenario %d %s dose %d: BOIN %.10g, BF-BOIN %.10g", r->scenario,
              oc_catalogue[r->metric].key, r->dose, r->value, b->value);
    compared++;
  }
  cr_expect(compared > 80, "%d numbers compared", compared);
  for (int s = 0; s < 2; s++) {
    support_expect_metric(&rows, "BOIN vs BF", "p_disagree", -1, 0.0);
    support_expect_metric(&rows, "BOIN vs BF", "duration_mean_diff", -1, 0.0);
    for (int d = 1; d <= 5; d++)
      cr_expect_eq(support_row(&rows, s, "BF", "n_backfill_dose", d)->value, 0.0);
  }
  oc_rows_free(&rows);
  config_free(cfg);
}
