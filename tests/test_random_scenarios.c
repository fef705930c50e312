/* test_random_scenarios.c — the pseudo-uniform curves (src/study/random_scenarios.c) against the
 * properties Clertant & O'Quigley (2017) give them (SPEC section 7), and their selection in a
 * config (handing them out: test_scenarios.c).
 *
 * The distribution tests are chi-square tests at level 0.001 on fixed seeds (so they either always
 * pass or always fail): critical values of chi-square with df degrees of freedom at 0.999 are
 * 13.816 (df 2), 18.467 (df 4) and 27.877 (df 9) (any table, e.g. Abramowitz & Stegun 26.8). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "curve.h"
#include "random_scenarios.h"
#include "support_sim.h"

#define CURVES 100000

static double chi_square(const long *observed, int bins, double expected) {
  double x = 0;
  for (int b = 0; b < bins; b++)
    x += (observed[b] - expected) * (observed[b] - expected) / expected;
  return x;
}

/* Every curve increasing, inside (0, B] within (0, 1), with its MTD the drawn j; j uniform on the
 * doses; and given j, B's distribution as the paper says: (B - phi)/(1 - phi) = M with P(M <= m)
 * = m^a, a = max(K - j, 0.5), so M^a is uniform on (0, 1) (probability integral transform). */
static void check_method(int k, double phi, double crit_j, uint64_t seed) {
  long by_j[DESIGN_MAX_DOSES] = {0};
  long by_u[DESIGN_MAX_DOSES][10];
  memset(by_u, 0, sizeof by_u);
  /* (plain checks per curve, one assertion at the end: Criterion's assertions cost microseconds) */
  long bad = 0;
  uint32_t first_bad = 0;
  for (uint32_t i = 0; i < CURVES; i++) {
    double p[DESIGN_MAX_DOSES];
    random_curve_info info;
    random_curve_pseudo_uniform(seed, i, k, phi, p, &info);
    bool ok = info.mtd >= 1 && info.mtd <= k && info.bound >= phi && info.bound < 1 &&
              curve_closest_dose(p, k, phi) == info.mtd;
    for (int d = 0; d < k && ok; d++)
      ok = p[d] > 0 && p[d] < info.bound && (d == 0 || p[d] > p[d - 1]);
    if (!ok) {
      first_bad = bad++ ? first_bad : i;
      continue;
    }
    by_j[info.mtd - 1]++;
    double a = k - info.mtd > 0 ? k - info.mtd : 0.5;
    double u = pow((info.bound - phi) / (1 - phi), a);
    int bin = (int)(u * 10);
    by_u[info.mtd - 1][bin > 9 ? 9 : bin]++;
  }
  cr_assert_eq(bad, 0,
               "K=%d phi=%g: %ld curves not increasing in (0, B), B outside [phi, 1) or with "
               "another MTD than drawn (first: %u)",
               k, phi, bad, first_bad);
  double x = chi_square(by_j, k, (double)CURVES / k);
  cr_expect(x < crit_j, "K=%d phi=%g: chi-square of j over the doses %.2f >= %.3f", k, phi, x,
            crit_j);
  for (int j = 0; j < k; j++) {
    double xu = chi_square(by_u[j], 10, by_j[j] / 10.0);
    cr_expect(xu < 27.877, "K=%d phi=%g j=%d: chi-square of M^a over 10 bins %.2f >= 27.877", k,
              phi, j + 1, xu);
  }
}

Test(random_scenarios, three_doses_at_target_030) { check_method(3, 0.30, 13.816, 20261124); }
Test(random_scenarios, five_doses_at_target_025) { check_method(5, 0.25, 18.467, 7); }

/* The same seed and number give the same curve; another seed or number another one. */
Test(random_scenarios, reproducible_and_distinct) {
  double a[3], b[3], c[3], d[3];
  random_curve_pseudo_uniform(1, 5, 3, 0.3, a, NULL);
  random_curve_pseudo_uniform(1, 5, 3, 0.3, b, NULL);
  random_curve_pseudo_uniform(2, 5, 3, 0.3, c, NULL);
  random_curve_pseudo_uniform(1, 6, 3, 0.3, d, NULL);
  cr_expect(memcmp(a, b, sizeof a) == 0);
  cr_expect(memcmp(a, c, sizeof a) != 0);
  cr_expect(memcmp(a, d, sizeof a) != 0);
}

static const char only_random[] =
    "study: {name: s, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
    "designs: [{name: \"3+3\", type: threeplusthree}]\n"
    "random_scenarios: {count: 4, method: pseudo-uniform}\n"
    "simulation: {trials: 10, seed: 99}\n";

/* --scenario random keeps the random ones only; a named selection drops them. */
Test(random_scenarios, selection) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml, "%sscenarios: [{name: a, p_tox: [0.1, 0.3, 0.5]}]\n", only_random);
  config *cfg = support_config(yaml);
  cr_assert_eq(cfg->n_scenarios, 5);
  config_scenario sc;
  config_scenario_at(cfg, 1, &sc);
  cr_expect_str_eq(sc.name, "random 1");
  dv_error err = {0};
  const char *random[] = {"random"};
  cr_assert_eq(config_select_scenarios(cfg, random, 1, &err), DV_OK, "%s", err.msg);
  cr_expect_eq(cfg->n_named, 0);
  cr_expect_eq(cfg->n_scenarios, 4);
  config_free(cfg);
  cfg = support_config(yaml);
  const char *named[] = {"a"};
  cr_assert_eq(config_select_scenarios(cfg, named, 1, &err), DV_OK, "%s", err.msg);
  cr_expect_eq(cfg->n_scenarios, 1);
  cr_expect_eq(cfg->n_random, 0);
  config_free(cfg);
}

/* Step 3 drawn directly (random_curve_given) has the law of step 3 as the paper writes it:
 * rejection, redrawing k uniforms on (0, B) until dose j is closest to phi. Where rejection is
 * cheap the two are compared dose by dose: a two-sample chi-square over 10 equal bins of (0, B)
 * (df 9, level 0.001: 27.877), 20,000 curves each, for every j and three bounds. */
Test(random_scenarios, direct_step_3_has_the_law_of_rejection) {
  const int k = 3, n = 20000;
  const double phi = 0.3, bounds[] = {0.35, 0.6, 0.95};
  for (int bi = 0; bi < 3; bi++)
    for (int j = 1; j <= k; j++) {
      double B = bounds[bi];
      long direct[3][10] = {{0}}, reject[3][10] = {{0}};
      rng_pcg32 r1, r2;
      rng_seed(&r1, 11, (uint64_t)(bi * 10 + j));
      rng_seed(&r2, 12, (uint64_t)(bi * 10 + j));
      for (int t = 0; t < n; t++) {
        double p[3], q[3];
        long att = 0;
        random_curve_given(&r1, k, phi, j, B, p, &att);
        do { /* the paper's rejection */
          for (int d = 0; d < k; d++)
            q[d] = B * rng_uniform(&r2);
          for (int d = 1; d < k; d++)
            for (int at = d; at > 0 && q[at - 1] > q[at]; at--) {
              double tmp = q[at];
              q[at] = q[at - 1];
              q[at - 1] = tmp;
            }
        } while (curve_closest_dose(q, k, phi) != j);
        for (int d = 0; d < k; d++) {
          int b1 = (int)(p[d] / B * 10), b2 = (int)(q[d] / B * 10);
          direct[d][b1 > 9 ? 9 : b1]++;
          reject[d][b2 > 9 ? 9 : b2]++;
        }
      }
      for (int d = 0; d < k; d++) {
        double x = 0; /* two samples of equal size: sum (a - b)^2 / (a + b) */
        for (int b = 0; b < 10; b++)
          if (direct[d][b] + reject[d][b] > 0)
            x += (double)(direct[d][b] - reject[d][b]) * (direct[d][b] - reject[d][b]) /
                 (double)(direct[d][b] + reject[d][b]);
        cr_expect(x < 27.877, "B=%g j=%d dose %d: two-sample chi-square %.2f >= 27.877", B, j,
                  d + 1, x);
      }
    }
}
