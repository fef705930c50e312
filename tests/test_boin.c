/* test_boin.c — BOIN (designs/boin.c): boundaries, Beta tail, decision table, PAVA, MTD selection
 * and hand-worked trials, against closed forms, numeric integration and the R package's docs. */
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

/* Configures BOIN into params_buf from "key=value ..."; fails the test on an error. */
static const void *configure_or_fail(design_setup setup, const char *opt) {
  cr_assert_leq(design_boin.params_size, sizeof params_buf);
  dv_error err = {0};
  dv_status st = support_configure(&design_boin, &setup, opt, params_buf, &err);
  cr_assert_eq(st, DV_OK, "configure failed: %s", err.msg);
  return params_buf;
}

/* Replays `outcomes` and checks the action after the last cohort. */
static void expect_replay(const void *params, const char *outcomes, int stop, int dose,
                          design_state *s) {
  design_action next;
  char why[200] = "";
  int ok = support_replay(&design_boin, params, outcomes, s, &next, why, sizeof why);
  cr_assert(ok, "%s: %s", outcomes, why);
  cr_expect_eq(next.stop, stop, "%s: stop is %d, expected %d (dose %d)", outcomes, next.stop, stop,
               next.dose);
  cr_expect_eq(next.dose, dose, "%s: dose %d, expected %d", outcomes, next.dose, dose);
}

/* The closed forms, written out again term by term (Liu & Yuan 2015). */
static double lambda_e_ref(double phi, double p1) {
  return (log1p(-p1) - log1p(-phi)) / (log(phi) + log1p(-p1) - log(p1) - log1p(-phi));
}
static double lambda_d_ref(double phi, double p2) {
  return (log1p(-phi) - log1p(-p2)) / (log(p2) + log1p(-phi) - log(phi) - log1p(-p2));
}

/* Simpson's rule for P(p > x | Beta(a, b)), a and b integers: the density's normalising constant
 * is integrated too, so nothing is shared with the binomial identity in boin.c. */
static double beta_density_kernel(double t, int a, int b) {
  return pow(t, a - 1) * pow(1.0 - t, b - 1);
}
static double simpson(double lo, double hi, int a, int b, int intervals) {
  double h = (hi - lo) / intervals, sum = 0.0;
  for (int i = 0; i <= intervals; i++) {
    double c = (i == 0 || i == intervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += c * beta_density_kernel(lo + i * h, a, b);
  }
  return sum * h / 3.0;
}
static double beta_tail_numeric(int y, int n, double x) {
  int a = y + 1, b = n - y + 1;
  return simpson(x, 1.0, a, b, 4000) / simpson(0.0, 1.0, a, b, 4000);
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

/* ---- Beta tail ---- */

Test(boin_beta_tail, closed_form_beta_4_1) {
  /* Beta(4, 1) has cdf x^4, so P(p > 0.3) = 1 - 0.3^4 (y = 3 DLTs out of n = 3). */
  cr_expect_float_eq(boin_beta_upper_tail(3, 3, 0.3), 1.0 - pow(0.3, 4), 1e-14);
  /* Beta(1, n+1) has P(p > x) = (1-x)^(n+1) (no DLT out of n). */
  cr_expect_float_eq(boin_beta_upper_tail(0, 6, 0.25), pow(0.75, 7), 1e-14);
}

Test(boin_beta_tail, against_numeric_integration) {
  const struct {
    int y, n;
    double phi;
  } cases[] = {{1, 3, 0.3}, {2, 6, 0.25}, {5, 12, 0.33}, {0, 3, 0.2}, {7, 10, 0.5}, {4, 9, 0.3}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double got = boin_beta_upper_tail(cases[i].y, cases[i].n, cases[i].phi);
    double want = beta_tail_numeric(cases[i].y, cases[i].n, cases[i].phi);
    cr_expect_float_eq(got, want, 1e-10, "y %d n %d phi %g: %.15f vs %.15f", cases[i].y, cases[i].n,
                       cases[i].phi, got, want);
  }
}

Test(boin_beta_tail, extreme_n_stays_finite) {
  double t = boin_beta_upper_tail(0, 255, 0.95); /* (0.05)^256 underflows to 0 */
  cr_expect(isfinite(t) && t >= 0.0 && t < 1e-300);
  t = boin_beta_upper_tail(255, 255, 0.5); /* 1 - 2^-256 */
  cr_expect_float_eq(t, 1.0, 1e-15);
  t = boin_beta_upper_tail(128, 255, 0.5); /* P(Bin(256, 1/2) <= 128) = 1/2 + P(X = 128)/2 */
  cr_expect(t > 0.5 && t < 0.53, "%.15f", t);
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
  cr_expect_eq(e[0], BOIN_NEVER_LE);
  cr_expect_eq(x[0], BOIN_NEVER_GE(0));
}

Test(boin_table, elimination_row_is_the_first_count_over_the_cutoff) {
  /* Cohorts of 1, target 0.3 (get.boundary's elimination row): NA NA 3 3 4 4 5 5 5 6 6 7. */
  const int eli[] = {2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7}; /* n = 1, 2: never = n + 1 */
  for (int n = 1; n <= 12; n++)
    cr_expect_eq(boin_elimination_threshold(0.3, 0.95, n), eli[n - 1], "n %d", n);
  /* The defining property for every n, checked by the numeric tail. */
  for (int n = 3; n <= 30; n++) {
    int t = boin_elimination_threshold(0.3, 0.95, n);
    cr_assert(t >= 1 && t <= n, "n %d threshold %d", n, t);
    cr_expect_gt(beta_tail_numeric(t, n, 0.3), 0.95 + 1e-9, "n %d", n);
    cr_expect_leq(beta_tail_numeric(t - 1, n, 0.3), 0.95, "n %d", n);
  }
  /* cutoff 1 never eliminates: the sentinel n + 1 at every n. */
  for (int n = 0; n <= 255; n += 15)
    cr_expect_eq(boin_elimination_threshold(0.3, 1.0, n), BOIN_NEVER_GE(n), "n %d", n);
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

/* ---- PAVA ---- */

static void expect_array(const double *got, const double *want, int m, const char *what) {
  for (int i = 0; i < m; i++)
    cr_expect_float_eq(got[i], want[i], 1e-12, "%s [%d]: %.15f vs %.15f", what, i, got[i], want[i]);
}

Test(boin_pava, hand_made_cases) {
  double out[5];
  const double mono[] = {0.1, 0.2, 0.2, 0.3};
  boin_pava(mono, NULL, 4, out);
  expect_array(out, mono, 4, "already monotone");

  const double dec[] = {0.4, 0.3, 0.2, 0.1};
  const double dec_want[] = {0.25, 0.25, 0.25, 0.25};
  boin_pava(dec, NULL, 4, out);
  expect_array(out, dec_want, 4, "fully decreasing");

  const double two[] = {0.5, 0.2}, two_w[] = {1.0, 3.0};
  const double two_want[] = {0.275, 0.275}; /* (0.5 + 3 * 0.2) / 4 */
  boin_pava(two, two_w, 2, out);
  expect_array(out, two_want, 2, "weighted pair");

  /* Ties: {0.3, 0.3} then 0.1 (weights 1, 2, 1): pooling 0.3 (w 2) with 0.1 gives 0.2333, which
   * violates the first 0.3, so all three pool to (0.3 + 0.6 + 0.1) / 4 = 0.25. */
  const double tie[] = {0.3, 0.3, 0.1, 0.4}, tie_w[] = {1.0, 2.0, 1.0, 1.0};
  const double tie_want[] = {0.25, 0.25, 0.25, 0.4};
  boin_pava(tie, tie_w, 4, out);
  expect_array(out, tie_want, 4, "ties");

  /* A later violation pools backwards: {0.5, 0.4} -> 0.45, then with 0.2 -> 0.3667. */
  const double back[] = {0.1, 0.5, 0.4, 0.2};
  const double back_want[] = {0.1, 1.1 / 3, 1.1 / 3, 1.1 / 3};
  boin_pava(back, NULL, 4, out);
  expect_array(out, back_want, 4, "backward pooling");

  double inplace[] = {0.4, 0.3, 0.2, 0.1};
  boin_pava(inplace, NULL, 4, inplace);
  expect_array(inplace, dec_want, 4, "in place");

  const double one[] = {0.7};
  boin_pava(one, NULL, 1, out);
  cr_expect_float_eq(out[0], 0.7, 1e-15);
  boin_pava(one, NULL, 0, out); /* m = 0 touches nothing */
}

/* The isotonic regression's min-max formula (Barlow et al. 1972):
 * out_i = max_{s <= i} min_{t >= i} (weighted mean of est[s..t]). */
static double minmax_iso(const double *x, const double *w, int m, int i) {
  double best = -INFINITY;
  for (int s = 0; s <= i; s++) {
    double low = INFINITY;
    for (int t = i; t < m; t++) {
      double sw = 0, swx = 0;
      for (int j = s; j <= t; j++) {
        sw += w[j];
        swx += w[j] * x[j];
      }
      if (swx / sw < low)
        low = swx / sw;
    }
    if (low > best)
      best = low;
  }
  return best;
}

Test(boin_pava, agrees_with_min_max_formula) {
  unsigned state = 12345u; /* a fixed sequence of inputs (a test, not a design) */
  for (int rep = 0; rep < 200; rep++) {
    double x[8], w[8], out[8];
    int m = 1 + rep % 8;
    for (int i = 0; i < m; i++) {
      state = state * 1103515245u + 12345u;
      x[i] = (double)((state >> 8) % 1000) / 1000.0;
      state = state * 1103515245u + 12345u;
      w[i] = 0.1 + (double)((state >> 8) % 100) / 10.0;
    }
    if (rep % 5 == 0 && m > 2)
      x[1] = x[2]; /* plant ties */
    boin_pava(x, w, m, out);
    for (int i = 0; i < m; i++)
      cr_expect_float_eq(out[i], minmax_iso(x, w, m, i), 1e-12, "rep %d i %d", rep, i);
  }
}

/* ---- closest-to-target and MTD selection ---- */

Test(boin_select, closest_tie_rules) {
  const double below_block[] = {0.2, 0.2, 0.6};
  cr_expect_eq(boin_closest(below_block, 3, 0.3, INFINITY), 1, "below: higher dose");
  const double above_block[] = {0.1, 0.4, 0.4};
  cr_expect_eq(boin_closest(above_block, 3, 0.3, INFINITY), 1, "above: lower dose");
  const double at_target[] = {0.3, 0.3};
  cr_expect_eq(boin_closest(at_target, 2, 0.3, INFINITY), 0, "at target: lower dose");
  const double straddle[] = {0.25, 0.35}; /* equally far: the one below */
  cr_expect_eq(boin_closest(straddle, 2, 0.3, INFINITY), 0);
  const double straddle2[] = {0.125, 0.125, 0.375}; /* exact binary fractions, phi 0.25 */
  cr_expect_eq(boin_closest(straddle2, 3, 0.25, INFINITY), 1);
  const double plain[] = {0.05, 0.28, 0.45};
  cr_expect_eq(boin_closest(plain, 3, 0.3, INFINITY), 1);
  cr_expect_eq(boin_closest(plain, 3, 0.3, 0.2), 0, "bound leaves only the first");
  cr_expect_eq(boin_closest(plain, 3, 0.3, 0.01), -1, "bound leaves none");
  cr_expect_eq(boin_closest(plain, 0, 0.3, INFINITY), -1);
}

Test(boin_select, r_package_example) {
  /* select.mtd(target = 0.3, npts = c(3, 3, 15, 9, 0), ntox = c(0, 0, 4, 4, 0)): MTD 3
   * (BOIN reference manual's example; Yan et al. 2020). */
  const int n[] = {3, 3, 15, 9, 0}, y[] = {0, 0, 4, 4, 0};
  double est[5];
  cr_expect_eq(boin_select_mtd(n, y, 5, 0.3, INFINITY, est), 3);
  cr_expect(isnan(est[4]), "untreated dose has no estimate");
  cr_expect_float_eq(est[2], 4.05 / 15.1, 1e-12);
  cr_expect_float_eq(est[3], 4.05 / 9.1, 1e-12);
  cr_expect_eq(boin_select_mtd(n, y, 0, 0.3, INFINITY, NULL), 0, "no dose");
}

Test(boin_select, pooled_blocks_and_bound) {
  /* 1/3 then 0/3: pooled (weights 1/var) below 0.3 -> the higher dose. */
  const int n1[] = {3, 3}, y1[] = {1, 0};
  double est[2];
  cr_expect_eq(boin_select_mtd(n1, y1, 2, 0.3, INFINITY, est), 2);
  cr_expect_float_eq(est[0], est[1], 0.0, "a pooled block is one value");
  double w1 = 3.1 * 3.1 * 4.1 / (1.05 * 2.05), w2 = 3.1 * 3.1 * 4.1 / (0.05 * 3.05);
  cr_expect_float_eq(est[0], (w1 * 1.05 / 3.1 + w2 * 0.05 / 3.1) / (w1 + w2), 1e-12);
  /* 2/3 then 1/3: equal weights, pooled to 0.5 above 0.3 -> the lower dose. */
  const int y2[] = {2, 1};
  cr_expect_eq(boin_select_mtd(n1, y2, 2, 0.3, INFINITY, est), 1);
  cr_expect_float_eq(est[0], 0.5, 1e-12);
  /* bound: 0/3, 3/6 (est 0.5): closest is dose 2 unless estimates must be < lambda_d. */
  const int n3[] = {3, 6}, y3[] = {0, 3};
  cr_expect_eq(boin_select_mtd(n3, y3, 2, 0.3, INFINITY, NULL), 2);
  cr_expect_eq(boin_select_mtd(n3, y3, 2, 0.3, 0.3585, NULL), 1);
  const int n4[] = {3}, y4[] = {2};
  cr_expect_eq(boin_select_mtd(n4, y4, 1, 0.3, 0.3585, NULL), 0, "nothing under the bound");
}

/* ---- the design ---- */

Test(boin_design, table_entries) {
  cr_expect_str_eq(design_boin.name, "boin");
  cr_expect_null(design_boin.uses_last_cohort);
  const char *want[] = {"p_saf",  "p_tox",       "cutoff_eli", "extrasafe",
                        "offset", "n_earlystop", "bound_mtd"};
  for (int i = 0; i < 7; i++)
    cr_expect_str_eq(design_boin.options[i].key, want[i]);
  cr_expect_null(design_boin.options[7].key);
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
