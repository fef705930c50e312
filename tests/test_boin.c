/* test_boin.c — BOIN (designs/boin.c): boundaries, decision table and hand-worked trials, against
 * closed forms and the R package's docs. The parts BOIN shares with the other interval designs
 * (Beta tail, elimination, PAVA, MTD selection) are tested in test_interval.c. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "boin.h"
#include "design.h"
#include "support.h"

extern const design_type design_boin;

/* ---- helpers ---- */

static alignas(max_align_t) unsigned char params_buf[16384];

static design_setup setup_of(int k, double target) {
  return (design_setup){
      .n_doses = k, .cohort_size = 3, .max_n = 255, .start_dose = 1, .target = target};
}

/* boin, configured into params_buf from "key=value ..."; fails the test on an error. */
static const void *configure_or_fail(design_setup setup, const char *opt) {
  return support_configure_ok(&design_boin, setup, opt, params_buf, sizeof params_buf);
}

/* Replays `outcomes` and checks the action after the last cohort. */
static void expect_replay(const void *params, const char *outcomes, int stop, int dose,
                          design_state *s) {
  support_expect_replay(&design_boin, params, outcomes, stop, dose, s);
}

/* The closed forms, written out again term by term (Liu & Yuan 2015). */
static double lambda_e_ref(double phi, double p1) {
  return (log1p(-p1) - log1p(-phi)) / (log(phi) + log1p(-p1) - log(p1) - log1p(-phi));
}
static double lambda_d_ref(double phi, double p2) {
  return (log1p(-phi) - log1p(-p2)) / (log(p2) + log1p(-phi) - log(phi) - log1p(-p2));
}

/* ---- boundaries ---- */

Test(boin_boundaries, closed_forms_for_common_targets) {
  const double targets[] = {0.2, 0.25, 0.3, 0.33};
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    double phi = targets[i], le, ld;
    boin_boundaries(phi, 0.6 * phi, 1.4 * phi, &le, &ld);
    cr_expect_float_eq(le, lambda_e_ref(phi, 0.6 * phi), 1e-13, "phi %g lambda_e %.15f", phi, le);
    cr_expect_float_eq(ld, lambda_d_ref(phi, 1.4 * phi), 1e-13, "phi %g lambda_d %.15f", phi, ld);
    /* Liu & Yuan's derivation: at lambda_e one observation's log-likelihood ratio of phi against
     * p_saf is zero (and of phi against p_tox at lambda_d). */
    double p1 = 0.6 * phi, p2 = 1.4 * phi;
    cr_expect_float_eq(le * log(phi / p1) + (1 - le) * log((1 - phi) / (1 - p1)), 0.0, 1e-13);
    cr_expect_float_eq(ld * log(phi / p2) + (1 - ld) * log((1 - phi) / (1 - p2)), 0.0, 1e-13);
    cr_expect(0.6 * phi < le && le < phi && phi < ld && ld < 1.4 * phi);
  }
}

Test(boin_boundaries, known_values_target_0_3) {
  /* BOIN get.boundary(target = 0.3): lambda_e 0.23649 (0.2364 truncated, 0.2365 rounded),
   * lambda_d 0.35852. */
  double le, ld;
  boin_boundaries(0.3, 0.18, 0.42, &le, &ld);
  cr_expect_lt(fabs(le - 0.2364), 1e-4, "lambda_e %.6f", le);
  cr_expect_lt(fabs(le - 0.236491), 1e-6, "lambda_e %.6f", le);
  cr_expect_lt(fabs(ld - 0.3585), 5e-5, "lambda_d %.6f", ld);
  /* Target 0.25 to 3 decimals, as in the BOIN boundary tables (Yuan et al. 2016, Clin Cancer
   * Res 22:4291): lambda_e 0.197, lambda_d 0.298. */
  boin_boundaries(0.25, 0.15, 0.35, &le, &ld);
  cr_expect_lt(fabs(le - 0.197), 5e-4, "lambda_e %.6f", le);
  cr_expect_lt(fabs(ld - 0.298), 5e-4, "lambda_d %.6f", ld);
}

/* ---- decision table ---- */

Test(boin_table, spec_table_target_0_3_cohorts_of_3) {
  /* SPEC section 6 and BOIN get.boundary(target = 0.3, ncohort = 10, cohortsize = 3). */
  const int esc[] = {0, 1, 2, 2, 3, 4, 4, 5, 6, 7};
  const int de[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const int eli[] = {3, 4, 5, 7, 8, 9, 10, 11, 12, 14};
  int e[31], d[31], x[31];
  double le, ld;
  boin_boundaries(0.3, 0.18, 0.42, &le, &ld);
  boin_decision_table(0.3, le, ld, 0.95, 30, e, d, x);
  for (int c = 1; c <= 10; c++) {
    cr_expect_eq(e[3 * c], esc[c - 1], "n %d escalate %d", 3 * c, e[3 * c]);
    cr_expect_eq(d[3 * c], de[c - 1], "n %d de-escalate %d", 3 * c, d[3 * c]);
    cr_expect_eq(x[3 * c], eli[c - 1], "n %d eliminate %d", 3 * c, x[3 * c]);
  }
  cr_expect_eq(e[0], INTERVAL_NEVER_LE);
  cr_expect_eq(x[0], INTERVAL_NEVER_GE(0));
}

Test(boin_table, elimination_row_is_the_shared_rule) {
  /* BOIN's elimination row is the rule every interval design shares (test_interval.c). */
  int e[61], d[61], x[61];
  double le, ld;
  boin_boundaries(0.25, 0.15, 0.35, &le, &ld);
  boin_decision_table(0.25, le, ld, 0.9, 60, e, d, x);
  for (int n = 0; n <= 60; n++)
    cr_expect_eq(x[n], interval_elimination_threshold(0.25, 0.9, n), "n %d", n);
}

Test(boin_table, deescalation_is_capped_by_elimination) {
  /* With cutoff_eli 0.5, 1 DLT of 3 eliminates (P(Bin(4, 0.3) <= 1) = 0.6517 > 0.5), below
   * ceil(3 lambda_d) = 2: the de-escalation entry follows it down (get.boundary does the same). */
  int e[4], d[4], x[4];
  double le, ld;
  boin_boundaries(0.3, 0.18, 0.42, &le, &ld);
  boin_decision_table(0.3, le, ld, 0.5, 3, e, d, x);
  cr_expect_eq(x[3], 1);
  cr_expect_eq(d[3], 1, "an eliminating count must de-escalate");
  cr_expect_eq(e[3], 0);
}

/* ---- the design ---- */

Test(boin_design, table_entries) {
  cr_expect_str_eq(design_boin.name, "boin");
  cr_expect_null(design_boin.uses_last_cohort);
  const char *want[] = {"p_saf",       "p_tox",     "cutoff_eli",   "extrasafe",      "offset",
                        "n_earlystop", "bound_mtd", "backfill.cap", "backfill.assign"};
  for (int i = 0; i < 9; i++)
    cr_expect_str_eq(design_boin.options[i].key, want[i]);
  cr_expect_null(design_boin.options[9].key);
}

Test(boin_design, configure_rejects_bad_values) {
  design_setup setup = setup_of(3, 0.3);
  const struct {
    const char *opt;
    const char *key;
  } bad[] = {
      {"p_saf=0.3", "p_saf"},           {"p_saf=0.0", "p_saf"},
      {"p_tox=0.3", "p_tox"},           {"p_tox=1.0", "p_tox"},
      {"cutoff_eli=0.0", "cutoff_eli"}, {"cutoff_eli=1.01", "cutoff_eli"},
      {"offset=-0.01", "offset"},       {"cutoff_eli=0.9 offset=0.9", "offset"},
      {"n_earlystop=0", "n_earlystop"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dv_error err = {0};
    dv_status st = support_configure(&design_boin, &setup, bad[i].opt, params_buf, &err);
    cr_expect_eq(st, DV_ECONFIG, "case %zu", i);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", bad[i].key);
    cr_expect(strncmp(err.msg, prefix, strlen(prefix)) == 0 && strstr(err.msg, "; allowed: "),
              "case %zu: %s", i, err.msg);
  }
  dv_error err = {0};
  cr_expect_eq(support_configure(&design_boin, &setup, "p_saf=0.35", params_buf, &err), DV_ECONFIG);
  cr_expect_str_eq(err.msg, "p_saf: 0.35; allowed: 0 < p_saf < target (the highest DLT rate "
                            "deemed sub-therapeutic)");
  /* The default p_tox = 1.4 target leaves (0, 1) for a high target. */
  design_setup high = setup_of(3, 0.75);
  dv_error err2 = {0};
  cr_expect_eq(support_configure(&design_boin, &high, "", params_buf, &err2), DV_ECONFIG);
  cr_expect(strstr(err2.msg, "p_tox: 1.05 (the default, 1.4 x target)") != NULL, "%s", err2.msg);
}

Test(boin_design, escalation_stay_and_deescalation) {
  const void *p = configure_or_fail(setup_of(5, 0.3), "");
  design_state s;
  design_action first = design_boin.decide(p, &(design_state){0});
  cr_expect(first.stop == 0 && first.dose == 1, "empty state: start dose");
  /* 0/3 escalates; 1/3 (0.333) stays; 2/3 de-escalates. */
  expect_replay(p, "1NNN 2NNN 3NNT", 0, 3, &s);
  expect_replay(p, "1NNN 2NNN 3NNT 3NTT", 0, 2, &s);      /* 3/6 >= 3 */
  expect_replay(p, "1NNN 2NNN 3NNT 3NTT 2NNN", 0, 3, &s); /* 0/6 at 2 escalates to 3 again */
  expect_replay(p, "1NNN 2NNN 3NNN 4NNN 5NNN", 0, 5, &s); /* the top dose: stay */
  expect_replay(p, "1NTT", 0, 1, &s);                     /* 2/3 at the lowest dose: stay there */
  /* Had the engine ended the 5-cohort trial at max_n, select: doses 1 (0/3) and 2 (0/6) pool to
   * 0.010, dose 3 (3/6) is 0.5, 0.2 from the target against 0.29: dose 3. */
  expect_replay(p, "1NNN 2NNN 3NNT 3NTT 2NNN", 0, 3, &s);
  cr_expect_eq(design_boin.select(p, &s, DESIGN_MAX_DOSES), 3);
}

Test(boin_design, start_dose) {
  design_setup setup = setup_of(4, 0.3);
  setup.start_dose = 2;
  const void *p = configure_or_fail(setup, "");
  design_state s;
  expect_replay(p, "2NNN 3NTT 2NNN", 0, 3, &s);
}

Test(boin_design, stops_for_toxicity_at_the_lowest_dose) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  design_state s;
  expect_replay(p, "1TTT", 1, 0, &s); /* 3/3: P(p > 0.3) = 0.9919 > 0.95 */
  cr_expect_eq(design_boin.select(p, &s, DESIGN_MAX_DOSES), 0);
  /* 1/3 stay, 3/6 de-escalate at the lowest (stay), 5/9 >= 5 eliminates dose 1: stop. */
  expect_replay(p, "1NNT 1TTN 1TTN", 1, 0, &s);
  /* Back from dose 2 to dose 1: 3/6 stays, 5/9 eliminates dose 1: stop with no MTD too. */
  expect_replay(p, "1NNN 2NTT 1TTT", 0, 1, &s);
  expect_replay(p, "1NNN 2NTT 1TTT 1TTN", 1, 0, &s);
}

Test(boin_design, eliminated_dose_blocks_escalation) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  design_state s;
  /* 3/3 at dose 2 eliminates doses 2 and 3: back to 1, and 0/6 at dose 1 stays there. */
  expect_replay(p, "1NNN 2TTT", 0, 1, &s);
  expect_replay(p, "1NNN 2TTT 1NNN", 0, 1, &s);
  expect_replay(p, "1NNN 2TTT 1NNN 1NNN 1NNN", 0, 1, &s);
  cr_expect_eq(design_boin.select(p, &s, DESIGN_MAX_DOSES), 1, "only dose 1 remains");
  /* Elimination needs n >= 3: with cutoff 0.5, 1/3 eliminates (0.6517 > 0.5). */
  const void *q = configure_or_fail(setup_of(3, 0.3), "cutoff_eli=0.5");
  expect_replay(q, "1NNN 2NNN 3NNT", 0, 2, &s);      /* dose 3 out: de-escalate */
  expect_replay(q, "1NNN 2NNN 3NNT 2NNN", 0, 2, &s); /* 0/6 at 2 but 3 is out: stay */
}

Test(boin_design, n_earlystop) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "n_earlystop=6");
  design_state s;
  /* 2/6 at dose 2 stays and n reaches 6: stop, MTD by selection (est 0.016 / 0.336 -> 2). */
  expect_replay(p, "1NNN 2NNT 2NNT", 1, 2, &s);
  /* 1/6 at dose 1 escalates: no stop even though n = 6. */
  expect_replay(p, "1NNT 1NNN", 0, 2, &s);
  /* 3/6 at the lowest dose de-escalates, i.e. stays: stop, MTD 1 (est 0.5 is all there is). */
  expect_replay(p, "1NTT 1NNT", 1, 1, &s);
  /* 3/6 at dose 2 de-escalates to 1: no stop. */
  expect_replay(p, "1NNN 2NNT 2NTT", 0, 1, &s);
  /* Escalation blocked at the top dose counts as staying: 0/6 at dose 2 of 2 -> stop; the
   * estimates 0.016 and 0.008 pool below 0.3, so the higher dose, 2. */
  const void *q = configure_or_fail(setup_of(2, 0.3), "n_earlystop=6");
  expect_replay(q, "1NNN 2NNN 2NNN", 1, 2, &s);
}

Test(boin_design, extrasafe) {
  const void *plain = configure_or_fail(setup_of(3, 0.3), "");
  design_state s;
  expect_replay(plain, "1NTT", 0, 1, &s);
  /* 2/3 at dose 1: P(p > 0.3) = 0.9163 > 0.95 - 0.05 -> stop, no MTD. */
  const void *p = configure_or_fail(setup_of(3, 0.3), "extrasafe=true");
  expect_replay(p, "1NTT", 1, 0, &s);
  cr_expect_eq(design_boin.select(p, &s, DESIGN_MAX_DOSES), 0);
  /* With offset 0.02 the cutoff is 0.93 and 2/3 passes. */
  const void *q = configure_or_fail(setup_of(3, 0.3), "extrasafe=true offset=0.02");
  expect_replay(q, "1NTT", 0, 1, &s);
  /* 1/3 at dose 1 then escalation: the rule looks at dose 1 only. */
  expect_replay(p, "1NNN 2NTT", 0, 1, &s);
}

Test(boin_design, bound_mtd_and_select_ties) {
  design_state s;
  const char *trial = "1NNN 2NNN 3NTT 2NNN 3TNN";
  /* Ends de-escalating to 2 (3/6 at 3). Isotonic estimates: doses 1-2 pool to 0.010, dose 3 is
   * 0.5; 0.5 is closer to 0.3, but with bound_mtd it is not below lambda_d = 0.3585, and the
   * pooled block below the target goes to its higher dose. */
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  expect_replay(p, trial, 0, 2, &s);
  cr_expect_eq(design_boin.select(p, &s, DESIGN_MAX_DOSES), 3);
  const void *q = configure_or_fail(setup_of(3, 0.3), "bound_mtd=true");
  expect_replay(q, trial, 0, 2, &s);
  cr_expect_eq(design_boin.select(q, &s, DESIGN_MAX_DOSES), 2);

  /* Target 0.5 (lambda_e 0.397, lambda_d 0.603): 1/3 escalates, 2/3 de-escalates; estimates
   * 1.05/3.1 and 2.05/3.1 are equally far from 0.5 on either side: the one below, dose 1. */
  const void *h = configure_or_fail(setup_of(2, 0.5), "");
  expect_replay(h, "1NNT 2NTT", 0, 1, &s);
  cr_expect_eq(design_boin.select(h, &s, DESIGN_MAX_DOSES), 1);

  /* A pooled block above the target (2/3 then 1/3, both 0.5): the lower dose. Hand-made state,
   * as the counts cannot arise from dose 1's own escalation rule. */
  design_state t = {.n = {3, 3}, .y = {2, 1}, .cur = 2};
  cr_expect_eq(design_boin.select(p, &t, DESIGN_MAX_DOSES), 1);
}

/* ---- BF-BOIN: backfill (Zhao, Yuan, Korn & Freidlin 2024; bfboin 0.1.1's sim.one.trial) -------
 * The setting of the paper's Table 4: target 0.25, p_saf 0.15, p_tox 0.35, so lambda_e = 0.1968
 * and lambda_d = 0.2984. The boundaries these cases read, from those (y/n <= lambda_e escalates,
 * >= lambda_d de-escalates; elimination P(p > 0.25 | Beta(y + 1, n - y + 1)) > 0.95):
 *   n = 3: escalate y <= 0, de-escalate y >= 1 (0.895 rounds up), eliminate y >= 3 (1 - 0.25^4
 *          = 0.996; 2 of 3 gives 0.949, not above 0.95);
 *   n = 6: escalate y <= 1 (1.18), de-escalate y >= 2 (1.79);
 *   n = 9: escalate y <= 1 (1.77), de-escalate y >= 3 (2.69);
 *   n = 12: escalate y <= 2 (2.36), de-escalate y >= 4 (3.58);
 *   n = 15: escalate y <= 2 (2.95), de-escalate y >= 5 (4.48). */

/* BF-BOIN in this setting, cap 12, assigning to the highest or the lowest open dose (each in its
 * own buffer: a test holds both). */
static const boin_params *bf_params(const char *assign) {
  static alignas(max_align_t) unsigned char buf[2][sizeof(boin_params)];
  char opt[128];
  bool lowest = strcmp(assign, "lowest") == 0;
  snprintf(opt, sizeof opt, "backfill.cap=12 backfill.assign=%s", assign);
  design_setup s = setup_of(5, 0.25);
  s.max_n = 30;
  return support_configure_ok(&design_boin, s, opt, buf[lowest], sizeof buf[lowest]);
}

/* A state at current dose cur with (n, y) at doses 1.. (e: responses) from the arrays. */
static design_state bf_state(int cur, const int *n, const int *y, const int *e, int k) {
  design_state s;
  memset(&s, 0, sizeof s);
  s.cur = (uint8_t)cur;
  for (int d = 0; d < k; d++) {
    s.n[d] = (uint8_t)n[d];
    s.y[d] = (uint8_t)y[d];
    s.e[d] = (uint8_t)(e ? e[d] : 0);
  }
  return s;
}

Test(boin_backfill, the_boundaries_these_cases_read) {
  const boin_params *p = bf_params("highest");
  cr_expect_float_eq(p->lambda_e, 0.19680, 1e-4);
  cr_expect_float_eq(p->lambda_d, 0.29839, 1e-4);
  const int cases[][3] = {
      {3, 0, BOIN_CALL_ESCALATE},  {3, 1, BOIN_CALL_DEESCALATE},  {3, 2, BOIN_CALL_DEESCALATE},
      {3, 3, BOIN_CALL_ELIMINATE}, {6, 1, BOIN_CALL_ESCALATE},    {6, 2, BOIN_CALL_DEESCALATE},
      {9, 1, BOIN_CALL_ESCALATE},  {9, 2, BOIN_CALL_STAY},        {9, 3, BOIN_CALL_DEESCALATE},
      {12, 3, BOIN_CALL_STAY},     {12, 4, BOIN_CALL_DEESCALATE}, {15, 4, BOIN_CALL_STAY},
      {0, 0, BOIN_CALL_ESCALATE}}; /* n = 0 reads n = 1 (bfboin's pmax) */
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    cr_expect_eq(boin_dose_call(p, cases[i][0], cases[i][1]), cases[i][2], "%d/%d: %d, want %d",
                 cases[i][1], cases[i][0], boin_dose_call(p, cases[i][0], cases[i][1]),
                 cases[i][2]);
}

/* The open dose (SPEC 13; bfboin's cond.1-4): a response seen, safe alone or pooled with the dose
 * above, every dose below safe too, fewer than cap patients; the highest (or lowest) open one. */
Test(boin_backfill, which_lower_dose_is_open) {
  const boin_params *hi = bf_params("highest"), *lo = bf_params("lowest");
  uint8_t given[DESIGN_MAX_DOSES] = {3, 3, 3};
  /* cohort at dose 3; doses 1 and 2 at 0/3 with responses: both open, the highest is 2 */
  design_state s =
      bf_state(3, (int[]){3, 3, 0, 0, 0}, (int[]){0, 0, 0, 0, 0}, (int[]){1, 2, 0, 0, 0}, 5);
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 2);
  cr_expect_eq(boin_backfill_dose(lo, &s, given), 1);
  /* no response at dose 2: only dose 1 */
  s.e[1] = 0;
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 1);
  /* no response at all: none; the cohort's own dose or above never opens */
  s.e[0] = 0;
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 0);
  s = bf_state(1, (int[]){3, 0, 0, 0, 0}, (int[]){0, 0, 0, 0, 0}, (int[]){3, 0, 0, 0, 0}, 5);
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 0);
  /* dose 1 at 1/3 (>= lambda_d) but 1/6 pooled with dose 2's 0/3: safe, open; dose 2 open */
  s = bf_state(3, (int[]){3, 3, 0, 0, 0}, (int[]){1, 0, 0, 0, 0}, (int[]){1, 1, 0, 0, 0}, 5);
  cr_expect_eq(boin_backfill_dose(lo, &s, given), 1);
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 2);
  /* dose 1 at 2/3, pooled 3/6 with dose 2's 1/3: unsafe both ways, closing doses 1 and 2 */
  s = bf_state(3, (int[]){3, 3, 0, 0, 0}, (int[]){2, 1, 0, 0, 0}, (int[]){1, 1, 0, 0, 0}, 5);
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 0);
  /* dose 2 at 1/3, pooled with the current dose 3's known 2/3: 3/6, unsafe: closed, dose 1 open */
  s = bf_state(3, (int[]){3, 3, 3, 0, 0}, (int[]){0, 1, 2, 0, 0}, (int[]){1, 1, 0, 0, 0}, 5);
  cr_expect_eq(boin_backfill_dose(hi, &s, given), 1);
  /* the cap counts every patient given the dose, outcome known or not: 12 at dose 2 closes it */
  s = bf_state(3, (int[]){3, 9, 0, 0, 0}, (int[]){0, 0, 0, 0, 0}, (int[]){1, 1, 0, 0, 0}, 5);
  uint8_t full[DESIGN_MAX_DOSES] = {3, 12, 3};
  cr_expect_eq(boin_backfill_dose(hi, &s, full), 1);
  full[1] = 11;
  cr_expect_eq(boin_backfill_dose(hi, &s, full), 2);
}

/* The conflict rule (the paper's Table 2, as bfboin's sim.one.trial reads it), cell by cell:
 * the current dose's call against a lower dose's, and the pooled decision. */
static void expect_next(const boin_params *p, int cur, const int *n, const int *y, int want,
                        const char *cell) {
  design_state s = bf_state(cur, n, y, NULL, 5);
  int got = boin_backfill_next(p, &s, interval_lowest_eliminated(&p->f, &s));
  cr_expect_eq(got, want, "%s: next %d, want %d", cell, got, want);
}

Test(boin_backfill, the_conflict_rule_cell_by_cell) {
  const boin_params *p = bf_params("highest");
  /* no conflict: BOIN's own move */
  expect_next(p, 2, (int[]){6, 3, 0, 0, 0}, (int[]){1, 0, 0, 0, 0}, 3,
              "E at 2 (0/3), E below (1/6): escalate");
  expect_next(p, 2, (int[]){6, 9, 0, 0, 0}, (int[]){1, 2, 0, 0, 0}, 2,
              "S at 2 (2/9), E below (1/6): stay");
  expect_next(p, 2, (int[]){6, 3, 0, 0, 0}, (int[]){1, 1, 0, 0, 0}, 1,
              "D at 2 (1/3), E below (1/6): de-escalate");
  expect_next(p, 2, (int[]){9, 9, 0, 0, 0}, (int[]){2, 2, 0, 0, 0}, 2,
              "S at 2 (2/9), S below (2/9): stay (a stay below conflicts only with E)");
  /* E at the current dose against a lower S or D: the pool b* .. d decides */
  expect_next(p, 2, (int[]){9, 3, 0, 0, 0}, (int[]){2, 0, 0, 0, 0}, 3,
              "E at 2 (0/3), S below (2/9): pooled 2/12 <= 2 escalates");
  expect_next(p, 2, (int[]){6, 3, 0, 0, 0}, (int[]){2, 0, 0, 0, 0}, 2,
              "E at 2 (0/3), D below (2/6): pooled 2/9 stays");
  expect_next(p, 2, (int[]){6, 3, 0, 0, 0}, (int[]){3, 0, 0, 0, 0}, 1,
              "E at 2 (0/3), D below (3/6): pooled 3/9 de-escalates; no pool from dose 1 is "
              "below lambda_d (3/6, 3/9): b* - 1 = 0, so dose 1");
  /* S, D or E(liminate) at the current dose against a lower D: the pool decides */
  expect_next(p, 2, (int[]){6, 9, 0, 0, 0}, (int[]){2, 2, 0, 0, 0}, 2,
              "S at 2 (2/9), D below (2/6): pooled 4/15 stays");
  expect_next(p, 2, (int[]){6, 3, 0, 0, 0}, (int[]){2, 1, 0, 0, 0}, 1,
              "D at 2 (1/3), D below (2/6): pooled 3/9 de-escalates to dose 1");
  expect_next(p, 3, (int[]){6, 9, 3, 0, 0}, (int[]){0, 3, 0, 0, 0}, 3,
              "E at 3 (0/3), D at 2 (3/9), E at 1: b* = 2, pooled 3/12 stays");
  expect_next(p, 3, (int[]){6, 6, 3, 0, 0}, (int[]){0, 2, 2, 0, 0}, 1,
              "D at 3 (2/3), D at 2 (2/6), E at 1: b* = 2, pooled 4/9 de-escalates; no pool "
              "from dose 2 is safe (2/6, 4/9): b* - 1 = dose 1");
  expect_next(p, 3, (int[]){3, 9, 6, 0, 0}, (int[]){0, 3, 0, 0, 0}, 3,
              "E at 3 (0/6), D at 2 (3/9): pooled 3/15 <= 2? no, >= 5? no: stay");
  expect_next(p, 3, (int[]){3, 12, 3, 0, 0}, (int[]){0, 3, 3, 0, 0}, 2,
              "U at 3 (3/3, eliminated), S at 2 (3/12): no conflict (S is not D): de-escalate");
  /* an eliminated dose is never the answer */
  expect_next(p, 2, (int[]){9, 3, 3, 0, 0}, (int[]){2, 0, 3, 0, 0}, 2,
              "E at 2 (0/3), S below (2/9), pooled 2/12 escalates, but dose 3 is eliminated");
}

/* decide with backfill: a lower dose eliminated by backfilled counts (dose 1 at 5/6: P(p > 0.25
 * | Beta(6, 2)) > 0.95) stops the trial, as BOIN's safety rule does with no MTD; n_earlystop
 * stops a stay. */
Test(boin_backfill, decide_stops_as_boin_does) {
  design_setup st = setup_of(5, 0.25);
  st.max_n = 30;
  const void *p = configure_or_fail(st, "backfill.cap=12 n_earlystop=9");
  design_state s = bf_state(3, (int[]){6, 3, 3, 0, 0}, (int[]){5, 0, 0, 0, 0}, NULL, 5);
  design_action a = design_boin.decide(p, &s);
  cr_expect(a.stop && a.dose == 0 && a.reason == BOIN_LOWEST_ELIMINATED);
  s = bf_state(2, (int[]){6, 9, 0, 0, 0}, (int[]){1, 2, 0, 0, 0}, NULL, 5);
  a = design_boin.decide(p, &s);
  cr_expect(a.stop && a.reason == BOIN_EARLYSTOP, "stay at 2 with 9 there: n_earlystop");
  cr_expect_eq(design_boin.side_most(p), 4 * 12);
  const void *off = configure_or_fail(st, "");
  cr_expect_eq(design_side_most(&design_boin, off), 0, "no backfill by default");
}
