/* test_trial_time.c — time in the Monte Carlo loop (SPEC section 11) for designs that wait for
 * complete cohorts: their counters without time are the same bits with time (the time counters
 * only follow them; BOIN12, which reads responses known at the end of the window, included), the
 * time counters do not depend on how trials are split (ranks, shards, resume), and with fixed
 * accrual a 3+3's every duration is the sum written down here from the documented stream (README,
 * "How randomness is assigned"), checked to the last 1/64 day. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "rng.h"
#include "support_sim.h"
#include "trial.h"

static uint64_t *simulate(const config *cfg, const oc_layout *l, uint64_t trials, int parts) {
  return support_simulate_counts(cfg, l, trials, parts, 1 << 16);
}

static const char *designs = "designs:\n"
                             "  - {name: 3+3, type: threeplusthree}\n"
                             "  - {name: BOIN, type: boin}\n"
                             "  - {name: CRM, type: crm, skeleton: [0.1, 0.2, 0.3, 0.45]}\n"
                             "  - {name: mTPI-2, type: mtpi2, max_n: 24}\n"
                             "  - {name: BOIN12, type: boin12}\n"
                             "scenarios:\n"
                             "  - {name: a, p_tox: [0.1, 0.25, 0.4, 0.55], p_eff: [0.2, 0.4, "
                             "0.5, 0.5]}\n"
                             "  - {name: b, p_tox: [0.02, 0.05, 0.1, 0.3], p_eff: [0.1, 0.2, "
                             "0.5, 0.6]}\n"
                             "simulation: {seed: 7}\n";

static config *study(const char *time) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "study: {name: t, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, max_n: 21%s}\n%s",
           time, designs);
  return support_config(yaml);
}

Test(trial_time, selections_are_the_same_bits_with_and_without_time) {
  const char *times[] = {
      ", dlt_window: 28, accrual: {mean_interval: 15.2, process: poisson}, dlt_onset: "
      "{distribution: weibull, late_fraction: 0.5}",
      ", dlt_window: 21, accrual: {mean_interval: 3, process: uniform}",
      ", dlt_window: 30, accrual: {mean_interval: 0.05, process: fixed}"};
  config *plain = study("");
  oc_layout lp;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&lp, plain, &err), DV_OK);
  cr_assert(!lp.timed);
  uint64_t *without = simulate(plain, &lp, 4001, 1);
  for (int i = 0; i < 3; i++) {
    config *timed = study(times[i]);
    oc_layout lt;
    cr_assert_eq(oc_layout_init(&lt, timed, &err), DV_OK);
    cr_assert(lt.timed);
    cr_assert_gt(lt.scenario_size, lp.scenario_size);
    uint64_t *with = simulate(timed, &lt, 4001, 3);
    /* a scenario's untimed counters come first, in the untimed layout, then time's, then the
     * responses of the designs that read them (BOIN12), in both layouts */
    size_t head = lt.time_off[0];
    for (int s = 0; s < plain->n_scenarios; s++) {
      const uint64_t *a = without + (size_t)s * lp.scenario_size,
                     *b = with + (size_t)s * lt.scenario_size;
      size_t compared = head;
      cr_expect(memcmp(a, b, head * sizeof *with) == 0,
                "time %d, scenario %d: the counters without time differ", i, s);
      for (int j = 0; j < plain->n_designs; j++)
        if (plain->designs[j].type->reads_responses) {
          cr_expect(memcmp(a + lp.resp_off[j], b + lt.resp_off[j],
                           2 * (size_t)plain->n_doses * sizeof *with) == 0,
                    "time %d, scenario %d: design %d's responses differ", i, s, j);
          compared += 2 * (size_t)plain->n_doses;
        }
      cr_expect_eq(compared, lp.scenario_size, "every untimed counter compared");
    }
    free(with);
    config_free(timed);
  }
  free(without);
  config_free(plain);
}

Test(trial_time, time_counters_do_not_depend_on_the_split) {
  /* a mean interval far below the window: trials read past the clock's arrival cache */
  config *cfg = study(", dlt_window: 28, accrual: {mean_interval: 0.03, process: poisson}");
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *one = simulate(cfg, &l, 1501, 1), *five = simulate(cfg, &l, 1501, 5);
  cr_expect(memcmp(one, five, l.total * sizeof *one) == 0);
  /* and the cache was passed: about 28 / 0.03 arrivals a cohort turned away */
  uint64_t away = 0;
  for (int i = 0; i < 3; i++)
    away += one[l.time_off[0] + 6 + (size_t)i] << (24 * i);
  cr_expect_gt(away / 1501, 2000u, "turned away %llu a trial", (unsigned long long)(away / 1501));
  free(one);
  free(five);
  config_free(cfg);
}

/* A wide counter's sum (three 24-bit limbs). */
static uint64_t wide(const uint64_t *c) { return c[0] + (c[1] << 24) + (c[2] << 48); }

/* 3+3 with de-escalation on doses with p = 0, 1, 1 and 0.5: the first cohort at dose 1 has no
 * DLT, the second at dose 2 three DLTs, so 3 more at dose 1 (none), and the MTD is dose 1: three
 * cohorts on every trial. Fixed gaps g = 10, window W = 28, uniform onset: cohort 1 arrives at 0,
 * 10, 20 and is known at 48 (30 and 40 turned away); cohort 2 at 50, 60, 70, known at e2 = the
 * largest of 50 + 28 v_3, 60 + 28 v_4, 70 + 28 v_5 (v_i output i of the trial's segment of the
 * time stream); cohort 3 starts at the first multiple of 10 at or after e2, s3, and is known at
 * s3 + 20 + 28; the arrivals from 80 before s3, and s3 + 30 and s3 + 40, are turned away. */
Test(trial_time, three_plus_three_on_fixed_accrual_is_a_written_sum) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 18, dlt_window: "
      "28, accrual: {mean_interval: 10, process: fixed}, dlt_onset: {distribution: uniform}}\n"
      "designs: [{name: 3+3, type: threeplusthree, deescalate: true}]\n"
      "scenarios: [{name: s, p_tox: [0, 1, 1]}]\n"
      "simulation: {seed: 20261124}\n");
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  const uint64_t trials = 2000;
  uint64_t *c = simulate(cfg, &l, trials, 3);
  uint64_t units = 0, units_sq = 0, away = 0, hist_198 = 0;
  rng_pcg32 r;
  for (uint64_t t = 0; t < trials; t++) {
    rng_for_time(&r, cfg->seed, 0);
    rng_advance(&r, t << 24);
    double v[6];
    for (int i = 0; i < 6; i++)
      v[i] = ((double)rng_next(&r) + 0.5) / 4294967296.0;
    double e2 = fmax(fmax(50 + 28 * v[3], 60 + 28 * v[4]), 70 + 28 * v[5]);
    double s3 = ceil(e2 / 10) * 10, end = s3 + 48;
    uint64_t u = (uint64_t)nearbyint(end * 64);
    units += u;
    units_sq += u * u;
    away += 2 + (uint64_t)((s3 - 80) / 10) + 2;
    hist_198 += (uint64_t)end == 198;
  }
  const uint64_t *tb = c + l.time_off[0];
  cr_expect_eq(wide(tb), units, "duration: %llu against %llu 1/64 days",
               (unsigned long long)wide(tb), (unsigned long long)units);
  cr_expect_eq(wide(tb + 3), units_sq);
  cr_expect_eq(wide(tb + 6), away, "turned away: %llu against %llu",
               (unsigned long long)wide(tb + 6), (unsigned long long)away);
  cr_expect_eq(tb[12 + 198], hist_198);
  oc_rows rows;
  support_simulate(cfg, trials, &rows);
  const oc_row *mean = support_row(&rows, 0, "3+3", "duration_mean", -1);
  cr_expect_float_eq(mean->value, (double)units / 64 / (double)trials, 1e-9);
  cr_expect_float_eq(support_row(&rows, 0, "3+3", "turned_away_mean", -1)->value,
                     (double)away / (double)trials, 1e-12);
  oc_rows_free(&rows);
  free(c);
  config_free(cfg);
}

/* Every trial the same: p = 0 everywhere, so the 3+3 escalates through three doses and treats 3
 * more at the top: four cohorts, each known 20 + 28 days after its first arrival and the next
 * starting 2 gaps later: 48, 98, 148, 198 days, two arrivals turned away after each. */
Test(trial_time, no_dlt_three_plus_three_lasts_198_days) {
  config *cfg = support_config(
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 18, dlt_window: "
      "28, accrual: {mean_interval: 10, process: fixed}}\n"
      "designs: [{name: 3+3, type: threeplusthree}]\n"
      "scenarios: [{name: s, p_tox: [0, 0, 0]}]\n");
  oc_rows rows;
  support_simulate(cfg, 500, &rows);
  cr_expect_eq(support_row(&rows, 0, "3+3", "duration_mean", -1)->value, 198.0);
  cr_expect_eq(support_row(&rows, 0, "3+3", "duration_sd", -1)->value, 0.0);
  for (int q = 10; q <= 90; q += 40)
    cr_expect_eq(support_row(&rows, 0, "3+3", "duration_q", q)->value, 198.0);
  cr_expect_eq(support_row(&rows, 0, "3+3", "turned_away_mean", -1)->value, 8.0);
  oc_rows_free(&rows);
  config_free(cfg);
}
