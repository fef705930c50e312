/* test_exact.c — the exact engine and the exact benchmark against brute-force enumeration, and
 * the state-space bound. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "benchmark.h"
#include "exact.h"
#include "support_sim.h"

/* Enumerates every outcome of n patients' tolerances falling in the K+1 intervals cut by the
 * sorted p (multinomial), counts x_d, and sums the benchmark's picks by probability. */
static void brute_benchmark(const double *p, int k, int n, double phi, double *sel) {
  int order[8];
  for (int i = 0; i < k; i++)
    order[i] = i;
  for (int i = 1; i < k; i++)
    for (int j = i; j > 0 && p[order[j]] < p[order[j - 1]]; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  double cell[9];
  double prev = 0;
  for (int i = 0; i < k; i++) {
    cell[i] = p[order[i]] - prev;
    prev = p[order[i]];
  }
  cell[k] = 1 - prev;
  memset(sel, 0, (size_t)(k + 1) * sizeof *sel);
  int m[9] = {0};
  /* all compositions of n into k+1 cells, odometer style */
  for (;;) {
    int used = 0;
    for (int i = 0; i < k; i++)
      used += m[i];
    if (used <= n) {
      m[k] = n - used;
      double pr = 1;
      int left = n;
      for (int i = 0; i <= k; i++) {
        pr *= pow(cell[i], m[i]);
        /* the multinomial coefficient as a product of binomial coefficients */
        double c = 1;
        for (int a = 1; a <= m[i]; a++)
          c = c * (left - m[i] + a) / a;
        pr *= c;
        left -= m[i];
      }
      int x[8], run = 0;
      for (int i = 0; i < k; i++) {
        run += m[i];
        x[order[i]] = run;
      }
      sel[benchmark_pick(x, k, n, phi)] += pr;
    }
    int i = 0;
    while (i < k && ++m[i] > n)
      m[i++] = 0;
    if (i == k)
      break;
  }
}

Test(exact, benchmark_matches_brute_force) {
  const double curves[][3] = {
      {0.1, 0.3, 0.5}, {0.4, 0.1, 0.25}, {0.3, 0.3, 0.3}, {0, 0.2, 1}, {0.03, 0.06, 0.10}};
  for (int c = 0; c < 5; c++) {
    double dp[4], bf[4];
    dv_error err = {0};
    cr_assert_eq(benchmark_exact(curves[c], 3, 9, 0.3, dp, &err), DV_OK);
    brute_benchmark(curves[c], 3, 9, 0.3, bf);
    for (int d = 1; d <= 3; d++)
      cr_expect(fabs(dp[d] - bf[d]) < 1e-13, "curve %d dose %d: %.15f vs %.15f", c, d, dp[d],
                bf[d]);
  }
}

/* SPEC section 8: ties go to the higher dose when the tied estimates are below phi, to the lower
 * otherwise; below beats above at the same distance. */
Test(exact, benchmark_ties_follow_the_side_of_the_target) {
  int at[3] = {3, 9, 3}; /* 3/10 = 0.3 exactly at doses 1 and 3: not below, so the lower */
  cr_expect_eq(benchmark_pick(at, 3, 10, 0.3), 1);
  int sides[3] = {9, 2, 4}; /* 0.2 (dose 2) and 0.4 (dose 3) equally far: the one below */
  cr_expect_eq(benchmark_pick(sides, 3, 10, 0.3), 2);
  int none[3] = {0, 0, 0}; /* no DLT anywhere: the top dose, as a clinician would */
  cr_expect_eq(benchmark_pick(none, 3, 21, 0.3), 3);
  int below[3] = {1, 1, 8}; /* 0.1 twice, below: the higher of the two */
  cr_expect_eq(benchmark_pick(below, 3, 10, 0.3), 2);
  int above[3] = {0, 5, 5}; /* 0.5 at doses 2 and 3 (dose 1's 0 is farther): the lower */
  cr_expect_eq(benchmark_pick(above, 3, 10, 0.3), 2);
}

Test(exact, a_state_space_past_the_bound_is_refused) {
  config *cfg =
      support_config("study: {name: e, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
                     "designs: [{name: B, type: boin}]\n"
                     "scenarios: [{name: s, p_tox: [0.1, 0.2, 0.3]}]\n");
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  double *w = calloc(l.total, sizeof *w);
  cr_expect_eq(exact_run(cfg, &l, 50, w, NULL, &err), DV_ETOOBIG);
  cr_expect(strstr(err.msg, "use `doseval run`") != NULL, "%s", err.msg);
  free(w);
  config_free(cfg);
}

Test(exact, one_dose_three_plus_three_by_hand) {
  /* one dose, p = 0.2: MTD 1 iff 0/3 then <= 1/6, or 1/3 then 0/3 more */
  config *cfg =
      support_config("study: {name: e, doses: [1], target: 0.3, cohort_size: 3, max_n: 6}\n"
                     "designs: [{name: A, type: threeplusthree}]\n"
                     "scenarios: [{name: s, p_tox: [0.2]}]\n");
  oc_rows rows;
  support_exact(cfg, &rows);
  double q = 0.8, b0 = q * q * q, b1 = 3 * 0.2 * q * q;
  double pass = b0 * (b0 + b1) + b1 * b0;
  cr_expect(fabs(support_row(&rows, 0, "A", "sel", 1)->value - pass) < 1e-15);
  /* N = 3 when the first cohort has >= 2 DLTs, else 6 */
  double n_mean = 3 * (1 - b0 - b1) + 6 * (b0 + b1);
  cr_expect(fabs(support_row(&rows, 0, "A", "n_mean", -1)->value - n_mean) < 1e-12);
  oc_rows_free(&rows);
  config_free(cfg);
}

/* pas and pcs worked out by hand (SPEC section 8). One dose, the 3+3 in at most 6 patients, p 0.5:
 * it selects the dose with 0/3 then <= 1/3, or 1/3 then 0/3: (1/8)(4/8) + (3/8)(1/8) = 7/64, and
 * stops otherwise (57/64). */
Test(exact, pas_and_pcs_by_hand) {
  static const struct {
    const char *study_keys;
    double pcs, pas;
  } cases[] = {
      /* 0.5 >= 0.42: no true MTD; stopping is correct and acceptable, the dose neither */
      {"", 57.0 / 64, 57.0 / 64},
      /* 0.5 < 0.6: the dose is the true MTD, but not acceptable (0.25 to 0.35) */
      {", too_toxic: 0.6", 7.0 / 64, 0},
      /* no true MTD and the dose acceptable (0.45 to 0.55): every trial is acceptable */
      {", acceptable: [0.45, 0.55]", 57.0 / 64, 1},
      {", too_toxic: 0.6, acceptable: [0.45, 0.55]", 7.0 / 64, 7.0 / 64},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "study: {name: h, doses: [1], target: 0.3, cohort_size: 3, max_n: 6%s}\n"
             "designs: [{name: A, type: threeplusthree}]\n"
             "scenarios: [{name: s, p_tox: [0.5]}]\n",
             cases[i].study_keys);
    config *cfg = support_config(yaml);
    oc_rows rows;
    support_exact(cfg, &rows);
    const char *k = cases[i].study_keys;
    cr_expect_float_eq(support_row(&rows, 0, "A", "sel", 1)->value, 7.0 / 64, 1e-15, "%s", k);
    cr_expect_float_eq(support_row(&rows, 0, "A", "pcs", -1)->value, cases[i].pcs, 1e-15, "%s", k);
    cr_expect_float_eq(support_row(&rows, 0, "A", "pas", -1)->value, cases[i].pas, 1e-15, "%s", k);
    cr_expect_eq(support_row(&rows, 0, "A", "pas", -1)->mcse, 0.0);
    oc_rows_free(&rows);
    config_free(cfg);
  }
}
