/* test_interval.c — the shared parts of the interval designs (designs/interval.c): the Beta tail
 * and the elimination rule, the binomial CDF walk, the decision frame (fill, moves, selection),
 * the strongest interval of mTPI-2 / Keyboard, PAVA and BOIN's isotonic MTD selection; against
 * closed forms, numeric integration of the Beta density and the BOIN R package's docs. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "beta.h"
#include "design.h"
#include "interval.h"

/* ---- an independent Beta: Simpson's rule on the density, normalised by lgamma ---- */

static double beta_log_norm(int a, int b) { return lgamma(a + b) - lgamma(a) - lgamma(b); }

/* P(lo < p < hi) for p ~ Beta(a, b), a and b whole, by Simpson's rule with `pieces` (even)
 * subintervals; nothing is shared with the binomial identity in beta.c. */
static double beta_mass_numeric(int a, int b, double lo, double hi, int pieces) {
  double h = (hi - lo) / pieces, sum = 0.0, c = beta_log_norm(a, b);
  for (int i = 0; i <= pieces; i++) {
    double t = lo + i * h, w = (i == 0 || i == pieces) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    double f = 0.0;
    if (t > 0.0 && t < 1.0)
      f = exp(c + (a - 1) * log(t) + (b - 1) * log1p(-t));
    else if ((t <= 0.0 && a == 1) || (t >= 1.0 && b == 1))
      f = exp(c); /* the density's finite value at an end */
    sum += w * f;
  }
  return sum * h / 3.0;
}
static double beta_tail_numeric(int y, int n, double x) {
  return beta_mass_numeric(y + 1, n - y + 1, x, 1.0, 4000);
}

/* ---- Beta tail ---- */

Test(interval_tail, closed_form_beta_4_1) {
  /* Beta(4, 1) has cdf x^4, so P(p > 0.3) = 1 - 0.3^4 (y = 3 DLTs out of n = 3). */
  cr_expect_float_eq(interval_tail(3, 3, 0.3), 1.0 - pow(0.3, 4), 1e-14);
  /* Beta(1, n+1) has P(p > x) = (1-x)^(n+1) (no DLT out of n). */
  cr_expect_float_eq(interval_tail(0, 6, 0.25), pow(0.75, 7), 1e-14);
}

Test(interval_tail, against_numeric_integration) {
  const struct {
    int y, n;
    double phi;
  } cases[] = {{1, 3, 0.3}, {2, 6, 0.25}, {5, 12, 0.33}, {0, 3, 0.2}, {7, 10, 0.5}, {4, 9, 0.3}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double got = interval_tail(cases[i].y, cases[i].n, cases[i].phi);
    double want = beta_tail_numeric(cases[i].y, cases[i].n, cases[i].phi);
    cr_expect_float_eq(got, want, 1e-10, "y %d n %d phi %g: %.15f vs %.15f", cases[i].y, cases[i].n,
                       cases[i].phi, got, want);
  }
}

Test(interval_tail, extreme_n_stays_finite) {
  double t = interval_tail(0, 255, 0.95); /* (0.05)^256 underflows to 0 */
  cr_expect(isfinite(t) && t >= 0.0 && t < 1e-300);
  t = interval_tail(255, 255, 0.5); /* 1 - 2^-256 */
  cr_expect_float_eq(t, 1.0, 1e-15);
  t = interval_tail(128, 255, 0.5); /* P(Bin(256, 1/2) <= 128) = 1/2 + P(X = 128)/2 */
  cr_expect(t > 0.5 && t < 0.53, "%.15f", t);
}

/* ---- elimination ---- */

Test(interval_elimination, first_count_over_the_cutoff) {
  /* Cohorts of 1, target 0.3 (get.boundary's elimination row): NA NA 3 3 4 4 5 5 5 6 6 7. */
  const int eli[] = {2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7}; /* n = 1, 2: never = n + 1 */
  for (int n = 1; n <= 12; n++)
    cr_expect_eq(interval_elimination_threshold(0.3, 0.95, n), eli[n - 1], "n %d", n);
  /* The defining property for every n, checked by the numeric tail. */
  for (int n = 3; n <= 30; n++) {
    int t = interval_elimination_threshold(0.3, 0.95, n);
    cr_assert(t >= 1 && t <= n, "n %d threshold %d", n, t);
    cr_expect_gt(beta_tail_numeric(t, n, 0.3), 0.95 + 1e-9, "n %d", n);
    cr_expect_leq(beta_tail_numeric(t - 1, n, 0.3), 0.95, "n %d", n);
  }
  /* cutoff 1 never eliminates: the sentinel n + 1 at every n. */
  for (int n = 0; n <= 255; n += 15)
    cr_expect_eq(interval_elimination_threshold(0.3, 1.0, n), INTERVAL_NEVER_GE(n), "n %d", n);
}

/* ---- PAVA ---- */

static void expect_array(const double *got, const double *want, int m, const char *what) {
  for (int i = 0; i < m; i++)
    cr_expect_float_eq(got[i], want[i], 1e-12, "%s [%d]: %.15f vs %.15f", what, i, got[i], want[i]);
}

Test(interval_pava, hand_made_cases) {
  double out[5];
  const double mono[] = {0.1, 0.2, 0.2, 0.3};
  interval_pava(mono, NULL, 4, out);
  expect_array(out, mono, 4, "already monotone");

  const double dec[] = {0.4, 0.3, 0.2, 0.1};
  const double dec_want[] = {0.25, 0.25, 0.25, 0.25};
  interval_pava(dec, NULL, 4, out);
  expect_array(out, dec_want, 4, "fully decreasing");

  const double two[] = {0.5, 0.2}, two_w[] = {1.0, 3.0};
  const double two_want[] = {0.275, 0.275}; /* (0.5 + 3 * 0.2) / 4 */
  interval_pava(two, two_w, 2, out);
  expect_array(out, two_want, 2, "weighted pair");

  /* Ties: {0.3, 0.3} then 0.1 (weights 1, 2, 1): pooling 0.3 (w 2) with 0.1 gives 0.2333, which
   * violates the first 0.3, so all three pool to (0.3 + 0.6 + 0.1) / 4 = 0.25. */
  const double tie[] = {0.3, 0.3, 0.1, 0.4}, tie_w[] = {1.0, 2.0, 1.0, 1.0};
  const double tie_want[] = {0.25, 0.25, 0.25, 0.4};
  interval_pava(tie, tie_w, 4, out);
  expect_array(out, tie_want, 4, "ties");

  /* A later violation pools backwards: {0.5, 0.4} -> 0.45, then with 0.2 -> 0.3667. */
  const double back[] = {0.1, 0.5, 0.4, 0.2};
  const double back_want[] = {0.1, 1.1 / 3, 1.1 / 3, 1.1 / 3};
  interval_pava(back, NULL, 4, out);
  expect_array(out, back_want, 4, "backward pooling");

  double inplace[] = {0.4, 0.3, 0.2, 0.1};
  interval_pava(inplace, NULL, 4, inplace);
  expect_array(inplace, dec_want, 4, "in place");

  const double one[] = {0.7};
  interval_pava(one, NULL, 1, out);
  cr_expect_float_eq(out[0], 0.7, 1e-15);
  interval_pava(one, NULL, 0, out); /* m = 0 touches nothing */
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

Test(interval_pava, agrees_with_min_max_formula) {
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
    interval_pava(x, w, m, out);
    for (int i = 0; i < m; i++)
      cr_expect_float_eq(out[i], minmax_iso(x, w, m, i), 1e-12, "rep %d i %d", rep, i);
  }
}

/* ---- closest-to-target and MTD selection ---- */

Test(interval_select_mtd, closest_tie_rules) {
  const double below_block[] = {0.2, 0.2, 0.6};
  cr_expect_eq(interval_closest(below_block, 3, 0.3, INFINITY), 1, "below: higher dose");
  const double above_block[] = {0.1, 0.4, 0.4};
  cr_expect_eq(interval_closest(above_block, 3, 0.3, INFINITY), 1, "above: lower dose");
  const double at_target[] = {0.3, 0.3};
  cr_expect_eq(interval_closest(at_target, 2, 0.3, INFINITY), 0, "at target: lower dose");
  const double straddle[] = {0.25, 0.35}; /* equally far: the one below */
  cr_expect_eq(interval_closest(straddle, 2, 0.3, INFINITY), 0);
  const double straddle2[] = {0.125, 0.125, 0.375}; /* exact binary fractions, phi 0.25 */
  cr_expect_eq(interval_closest(straddle2, 3, 0.25, INFINITY), 1);
  const double plain[] = {0.05, 0.28, 0.45};
  cr_expect_eq(interval_closest(plain, 3, 0.3, INFINITY), 1);
  cr_expect_eq(interval_closest(plain, 3, 0.3, 0.2), 0, "bound leaves only the first");
  cr_expect_eq(interval_closest(plain, 3, 0.3, 0.01), -1, "bound leaves none");
  cr_expect_eq(interval_closest(plain, 0, 0.3, INFINITY), -1);
}

Test(interval_select_mtd, r_package_example) {
  /* select.mtd(target = 0.3, npts = c(3, 3, 15, 9, 0), ntox = c(0, 0, 4, 4, 0)): MTD 3
   * (BOIN reference manual's example; Yan et al. 2020). */
  const int n[] = {3, 3, 15, 9, 0}, y[] = {0, 0, 4, 4, 0};
  double est[5];
  cr_expect_eq(interval_select_mtd(n, y, 5, 0.3, INFINITY, est), 3);
  cr_expect(isnan(est[4]), "untreated dose has no estimate");
  cr_expect_float_eq(est[2], 4.05 / 15.1, 1e-12);
  cr_expect_float_eq(est[3], 4.05 / 9.1, 1e-12);
  cr_expect_eq(interval_select_mtd(n, y, 0, 0.3, INFINITY, NULL), 0, "no dose");
}

Test(interval_select_mtd, pooled_blocks_and_bound) {
  /* 1/3 then 0/3: pooled (weights 1/var) below 0.3 -> the higher dose. */
  const int n1[] = {3, 3}, y1[] = {1, 0};
  double est[2];
  cr_expect_eq(interval_select_mtd(n1, y1, 2, 0.3, INFINITY, est), 2);
  cr_expect_float_eq(est[0], est[1], 0.0, "a pooled block is one value");
  double w1 = 3.1 * 3.1 * 4.1 / (1.05 * 2.05), w2 = 3.1 * 3.1 * 4.1 / (0.05 * 3.05);
  cr_expect_float_eq(est[0], (w1 * 1.05 / 3.1 + w2 * 0.05 / 3.1) / (w1 + w2), 1e-12);
  /* 2/3 then 1/3: equal weights, pooled to 0.5 above 0.3 -> the lower dose. */
  const int y2[] = {2, 1};
  cr_expect_eq(interval_select_mtd(n1, y2, 2, 0.3, INFINITY, est), 1);
  cr_expect_float_eq(est[0], 0.5, 1e-12);
  /* bound: 0/3, 3/6 (est 0.5): closest is dose 2 unless estimates must be < lambda_d. */
  const int n3[] = {3, 6}, y3[] = {0, 3};
  cr_expect_eq(interval_select_mtd(n3, y3, 2, 0.3, INFINITY, NULL), 2);
  cr_expect_eq(interval_select_mtd(n3, y3, 2, 0.3, 0.3585, NULL), 1);
  const int n4[] = {3}, y4[] = {2};
  cr_expect_eq(interval_select_mtd(n4, y4, 1, 0.3, 0.3585, NULL), 0, "nothing under the bound");
}

/* ---- the binomial CDF walk ---- */

Test(interval_beta_walk, every_step_equals_the_scan) {
  /* beta_binomial_cdf_all keeps each step of the walk beta_binomial_cdf_scan takes: the same
   * doubles, so BOIN's elimination row and the interval masses share one computation. */
  const int ms[] = {1, 4, 31, 256};
  const double xs[] = {0.05, 0.3, 0.65, 0.999};
  double all[257];
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 4; j++) {
      int m = ms[i];
      beta_binomial_cdf_all(m, xs[j], m - 1, all);
      for (int k = 0; k < m; k++) {
        double one;
        (void)beta_binomial_cdf_scan(m, xs[j], k, INFINITY, &one);
        cr_expect(one == all[k], "m %d x %g k %d: %.17g vs %.17g", m, xs[j], k, one, all[k]);
      }
    }
  /* P(Beta(y+1, n-y+1) > x) = cdf of Bin(n+1, x) at y, against the numeric tail */
  beta_binomial_cdf_all(13, 0.3, 12, all);
  for (int y = 0; y <= 12; y++)
    cr_expect_float_eq(all[y], beta_tail_numeric(y, 12, 0.3), 1e-10, "y %d", y);
}

/* ---- the decision frame ---- */

static design_setup setup_of(int k, double target) {
  return (design_setup){
      .n_doses = k, .cohort_size = 3, .max_n = 255, .start_dose = 1, .target = target};
}

/* A toy rule with known thresholds: escalate below 2/10, de-escalate above 4/10 of n. */
static void toy_rule(const void *ctx, int n, signed char *dec) {
  const int *bad_n = ctx; /* if not NULL: make n = *bad_n non-monotone */
  for (int y = 0; y <= n; y++)
    dec[y] = (signed char)(10 * y < 2 * n ? -1 : 10 * y <= 4 * n ? 0 : 1);
  if (bad_n != NULL && n == *bad_n)
    dec[n] = -1;
}

static interval_frame frame;

Test(interval_frame, fill_reads_thresholds_off_the_rule) {
  design_setup setup = setup_of(3, 0.3);
  interval_frame_init(&frame, &setup, 0.95);
  cr_expect_eq(interval_frame_fill(&frame, toy_rule, NULL), 0);
  cr_expect_eq(frame.escalate[0], INTERVAL_NEVER_LE);
  cr_expect_eq(frame.deescalate[0], INTERVAL_NEVER_GE(0));
  for (int n = 1; n <= DESIGN_MAX_N; n++) {
    int e = -1, d = n + 1;
    for (int y = n; y >= 0; y--) /* straight from the definition */
      if (10 * y < 2 * n && e < 0)
        e = y;
    for (int y = 0; y <= n; y++)
      if (10 * y > 4 * n && d > n)
        d = y;
    int x = frame.eliminate[n];
    cr_expect_eq(x, interval_elimination_threshold(0.3, 0.95, n), "n %d", n);
    cr_expect_eq(frame.escalate[n], e < x ? e : x - 1, "n %d", n);
    cr_expect_eq(frame.deescalate[n], d < x ? d : x, "n %d", n);
  }
  /* n = 6: escalate if y <= 1 (1/6 < 0.2), de-escalate if y >= 3 (3/6 > 0.4), eliminate at 4 */
  cr_expect_eq(frame.escalate[6], 1);
  cr_expect_eq(frame.deescalate[6], 3);
  cr_expect_eq(frame.eliminate[6], 4);
  design_table_row row;
  interval_table_row(&frame, 6, &row);
  cr_expect(row.escalate == 1 && row.deescalate == 3 && row.eliminate == 4 && !row.has_stop);
}

Test(interval_frame, fill_reports_a_rule_that_is_not_a_threshold) {
  design_setup setup = setup_of(3, 0.3);
  interval_frame_init(&frame, &setup, 0.95);
  int bad = 7;
  cr_expect_eq(interval_frame_fill(&frame, toy_rule, &bad), 7);
}

Test(interval_frame, rows_never_contradict_the_elimination) {
  /* cutoff 0.2: at n = 3 even 0 DLTs eliminate (P(p > 0.3 | 0/3) = 0.7^4 = 0.2401 > 0.2), so the
   * escalate row is "never" and the de-escalate row follows elimination down to 0. */
  design_setup setup = setup_of(3, 0.3);
  interval_frame_init(&frame, &setup, 0.2);
  cr_expect_eq(interval_frame_fill(&frame, toy_rule, NULL), 0);
  cr_expect_eq(frame.eliminate[3], 0);
  cr_expect_eq(frame.escalate[3], INTERVAL_NEVER_LE);
  cr_expect_eq(frame.deescalate[3], 0);
  for (int n = 1; n <= DESIGN_MAX_N; n++) {
    cr_expect_lt(frame.escalate[n], frame.eliminate[n], "n %d", n);
    cr_expect_leq(frame.deescalate[n], frame.eliminate[n], "n %d", n);
  }
}

static design_state state_of(int cur, const int *n, const int *y, int k) {
  design_state s = {.cur = (uint8_t)cur};
  for (int d = 0; d < k; d++) {
    s.n[d] = (uint8_t)n[d];
    s.y[d] = (uint8_t)y[d];
  }
  return s;
}

Test(interval_frame, moves_at_the_edges_of_the_dose_range) {
  design_setup setup = setup_of(3, 0.3);
  setup.start_dose = 2;
  interval_frame_init(&frame, &setup, 0.95);
  (void)interval_frame_fill(&frame, toy_rule, NULL);
  design_state empty = {0};
  design_action a = interval_decide(&frame, &empty, 0);
  cr_expect(!a.stop && a.dose == 2, "the start dose");
  const int n0[] = {3, 3, 3};
  struct {
    int cur, y[3], stop, dose;
    const char *what;
  } cases[] = {
      {1, {0, 0, 0}, 0, 2, "0/3 escalates"},
      {3, {0, 0, 0}, 0, 3, "escalation at the top dose stays"},
      {2, {0, 1, 0}, 0, 2, "1/3 stays"},
      {2, {0, 2, 0}, 0, 1, "2/3 de-escalates"},
      {1, {2, 0, 0}, 0, 1, "de-escalation at dose 1 stays"},
      {2, {0, 3, 0}, 0, 1, "3/3 eliminates the current dose: the highest dose below"},
      {1, {3, 0, 0}, 1, 0, "dose 1 eliminated: stop, no MTD"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    design_state s = state_of(cases[i].cur, n0, cases[i].y, 3);
    a = interval_decide(&frame, &s, 0);
    cr_expect(a.stop == cases[i].stop && a.dose == cases[i].dose, "%s: stop %d dose %d",
              cases[i].what, a.stop, a.dose);
  }
  /* escalation into an eliminated dose stays: dose 3 out at 3/3, 0/6 at dose 2 */
  const int n1[] = {3, 6, 3}, y1[] = {0, 0, 3};
  design_state s = state_of(2, n1, y1, 3);
  cr_expect_eq(interval_lowest_eliminated(&frame, &s), 3);
  cr_expect_eq(interval_next_dose(&frame, &s, 3), 2);
  /* elimination needs 3 patients: 2/2 is not eliminated (P = 1 - 0.3^3 = 0.973 > 0.95) */
  const int n2[] = {3, 2, 0}, y2[] = {0, 2, 0};
  s = state_of(2, n2, y2, 3);
  cr_expect_eq(interval_lowest_eliminated(&frame, &s), 4);
  cr_expect_eq(interval_next_dose(&frame, &s, 4), 1, "2/2 de-escalates by the rule");
}

Test(interval_frame, select_over_admissible_doses) {
  design_setup setup = setup_of(4, 0.3);
  interval_frame_init(&frame, &setup, 0.95);
  (void)interval_frame_fill(&frame, toy_rule, NULL);
  /* 0/3, 1/6, 2/6, 3/3 (eliminated): isotonic estimates 0.016, 0.173, 0.336 -> dose 3 */
  const int n[] = {3, 6, 6, 3}, y[] = {0, 1, 2, 3};
  design_state s = state_of(3, n, y, 4);
  cr_expect_eq(interval_select(&frame, &s, DESIGN_MAX_DOSES, INFINITY), 3);
  cr_expect_eq(interval_select(&frame, &s, 2, INFINITY), 2, "highest = 2");
  cr_expect_eq(interval_select(&frame, &s, DESIGN_MAX_DOSES, 0.3), 2, "bound 0.3");
  const int n3[] = {3, 0, 0, 0}, y3[] = {3, 0, 0, 0};
  s = state_of(1, n3, y3, 4);
  cr_expect_eq(interval_select(&frame, &s, DESIGN_MAX_DOSES, INFINITY), 0, "dose 1 out");
  design_state none = {0};
  cr_expect_eq(interval_select(&frame, &none, DESIGN_MAX_DOSES, INFINITY), 0, "nothing treated");
}

Test(interval_frame, describe_appends_the_cutoff) {
  design_setup setup = setup_of(3, 0.3);
  interval_frame_init(&frame, &setup, 0.9);
  char buf[400] = "head\n";
  interval_describe_eli(&frame, buf, sizeof buf);
  cr_expect(strncmp(buf, "head\ncutoff_eli  0.9000  eliminate", 34) == 0, "%s", buf);
  char tiny[8] = "1234567";
  interval_describe_eli(&frame, tiny, sizeof tiny); /* full: nothing written */
  cr_expect_str_eq(tiny, "1234567");
  cr_expect_str_eq(interval_stop_reasons[INTERVAL_LOWEST_ELIMINATED].name,
                   "lowest_dose_eliminated");
  cr_expect(interval_stop_reasons[0].toxicity);
  cr_expect_null(interval_stop_reasons[1].name);
}

/* ---- the strongest interval, against brute force over every interval ---- */

/* The partition, built again: cut points from lo down by w to 0 and from hi up by w to 1, a last
 * piece shorter than 1e-9 dropped. Returns the number of intervals; *target the EI's index. */
static int partition(double lo, double hi, double *cut, int *target) {
  double w = hi - lo, down[20000], up[20000];
  int nd = 0, nu = 0;
  for (double x = lo - w; x > 1e-9; x -= w)
    down[nd++] = x;
  for (double x = hi + w; x < 1.0 - 1e-9; x += w)
    up[nu++] = x;
  int c = 0;
  cut[c++] = 0.0;
  for (int i = nd - 1; i >= 0; i--)
    cut[c++] = down[i];
  *target = c; /* the interval starting at lo */
  cut[c++] = lo;
  cut[c++] = hi;
  for (int i = 0; i < nu; i++)
    cut[c++] = up[i];
  cut[c++] = 1.0;
  return c - 1;
}

/* The decisions every interval scoring within `tie` of the best would give: bit 0 escalate,
 * bit 1 stay, bit 2 de-escalate. */
static int brute_force(double lo, double hi, interval_score score, int n, int y, double tie) {
  static double cut[40002], s[40001]; /* test scratch, not a design */
  int target, J = partition(lo, hi, cut, &target);
  double best = 0.0, w = hi - lo;
  for (int j = 0; j < J; j++) {
    double len = cut[j + 1] - cut[j];
    double mass = beta_mass_numeric(y + 1, n - y + 1, cut[j], cut[j + 1], 400);
    s[j] = score == INTERVAL_SCORE_UPM ? mass / len
           : (j == 0 || j == J - 1)    ? mass * w / len
                                       : mass;
    if (s[j] > best)
      best = s[j];
  }
  int bits = 0;
  for (int j = 0; j < J; j++)
    if (s[j] >= best * (1.0 - tie))
      bits |= j < target ? 1 : j == target ? 2 : 4;
  return bits;
}

static void check_strongest(double lo, double hi, interval_score score, int n_max) {
  signed char dec[INTERVAL_TABLE_LEN];
  int near_ties = 0;
  for (int n = 1; n <= n_max; n++) {
    interval_strongest(lo, hi, score, n, dec);
    for (int y = 0; y <= n; y++) {
      int got = dec[y] < 0 ? 1 : dec[y] == 0 ? 2 : 4;
      int sure = brute_force(lo, hi, score, n, y, 1e-7),
          close = brute_force(lo, hi, score, n, y, 1e-5);
      /* the rule's own ties go right: the highest bit among the tied */
      int want = sure & 4 ? 4 : sure & 2 ? 2 : 1;
      if (close != sure) { /* a near tie the quadrature cannot settle: any side of it */
        near_ties++;
        cr_expect(got & close, "[%g, %g] n %d y %d: %d not among %d", lo, hi, n, y, got, close);
      } else {
        cr_expect_eq(got, want, "[%g, %g] score %d n %d y %d: %d, brute force %d", lo, hi, score, n,
                     y, got, sure);
      }
    }
  }
  cr_log_info("[%g, %g] score %d: %d near ties", lo, hi, score, near_ties);
}

Test(interval_strongest, default_interval_target_0_3) {
  check_strongest(0.25, 0.35, INTERVAL_SCORE_UPM, 30);
  check_strongest(0.25, 0.35, INTERVAL_SCORE_KEY, 30);
}

Test(interval_strongest, exact_tiling_and_asymmetric_intervals) {
  /* [0.2, 0.3]: the keys tile [0, 1] exactly (no truncated end); [0.15, 0.3]: uneven ends. */
  check_strongest(0.2, 0.3, INTERVAL_SCORE_UPM, 20);
  check_strongest(0.15, 0.3, INTERVAL_SCORE_KEY, 20);
  check_strongest(0.48, 0.62, INTERVAL_SCORE_UPM, 20);
}

Test(interval_strongest, narrow_intervals_only_three_candidates) {
  /* 50 intervals of width 0.02: the three candidates around the mode decide as all 50 do. */
  check_strongest(0.29, 0.31, INTERVAL_SCORE_UPM, 12);
  check_strongest(0.29, 0.31, INTERVAL_SCORE_KEY, 12);
}

Test(interval_strongest, thresholds_are_monotone_for_every_n) {
  /* The argmax of a TP2 family is monotone (see interval.c); checked up to the largest n. */
  const double ei[][2] = {{0.25, 0.35}, {0.2, 0.3}, {0.15, 0.3}, {0.29, 0.31}, {0.1, 0.5}};
  signed char dec[INTERVAL_TABLE_LEN];
  for (size_t i = 0; i < sizeof ei / sizeof ei[0]; i++)
    for (int sc = 0; sc < 2; sc++)
      for (int n = 1; n <= DESIGN_MAX_N; n++) {
        interval_strongest(ei[i][0], ei[i][1], (interval_score)sc, n, dec);
        for (int y = 1; y <= n; y++)
          cr_assert_geq(dec[y], dec[y - 1], "[%g, %g] n %d y %d", ei[i][0], ei[i][1], n, y);
        cr_assert_eq(dec[0], -1, "0 DLTs escalate");
        cr_assert_eq(dec[n], 1, "all DLTs de-escalate");
      }
}
