/* test_responses.c — Criterion tests of src/engine/responses.c (SPEC 13): the normal functions
 * against published values, the Gaussian copula against its closed form at the median, the cohort
 * law against its margins, and the draws against the documented streams. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "responses.h"
#include "rng.h"

Test(responses, normal_quantiles_match_published_values) {
  /* Abramowitz & Stegun table 26.5 / any normal table: Phi^-1(0.975) = 1.959963984540054,
   * Phi^-1(0.95) = 1.644853626951472, Phi^-1(0.5) = 0, Phi^-1(1e-10) = -6.361340902404056 */
  cr_expect(fabs(responses_phi_inv(0.975) - 1.959963984540054) < 1e-13);
  cr_expect(fabs(responses_phi_inv(0.95) - 1.644853626951472) < 1e-13);
  cr_expect(fabs(responses_phi_inv(0.5)) < 1e-15);
  cr_expect(fabs(responses_phi_inv(1e-10) + 6.361340902404056) < 1e-10);
  /* the upper tail by symmetry (1 - p is exact for p = 2^-20) */
  cr_expect(fabs(responses_phi_inv(1.0 - 0x1p-20) + responses_phi_inv(0x1p-20)) < 1e-9);
  for (double p = 0.001; p < 1.0; p += 0.0137)
    cr_expect(fabs(responses_phi(responses_phi_inv(p)) - p) < 1e-15 * (1 + 1 / p), "p = %g", p);
}

Test(responses, copula_at_the_medians_is_the_orthant_probability) {
  /* P(Z1 < 0, Z2 < 0) = 1/4 + asin(rho) / (2 pi) (Sheppard's formula) */
  for (double rho = -0.9; rho < 0.95; rho += 0.3) {
    double want = 0.25 + asin(rho) / (2 * 3.14159265358979323846);
    cr_expect(fabs(responses_both(0.5, 0.5, rho) - want) < 1e-12, "rho %g: %.15g vs %.15g", rho,
              responses_both(0.5, 0.5, rho), want);
  }
  cr_expect_eq(responses_both(0.3, 0.4, 0.0), 0.3 * 0.4);
  /* symmetric in its two probabilities, and below both */
  double a = responses_both(0.2, 0.7, 0.5), b = responses_both(0.7, 0.2, 0.5);
  cr_expect(fabs(a - b) < 1e-12 && a < 0.2 && a > 0.2 * 0.7, "%g %g", a, b);
}

Test(responses, cohort_law_has_binomial_margins) {
  double law[DESIGN_MAX_COHORT + 1][DESIGN_MAX_COHORT + 1];
  const double p = 0.3, q = 0.45;
  for (double rho = -0.5; rho <= 0.51; rho += 0.5) {
    responses_cohort_law(3, p, q, rho, law);
    double total = 0, both = 0;
    for (int y = 0; y <= 3; y++) {
      double my = 0, mr = 0;
      for (int r = 0; r <= 3; r++) {
        my += law[y][r];
        mr += law[r][y];
        total += law[y][r];
        both += y * r * law[y][r];
      }
      double cy = y == 0 || y == 3 ? 1 : 3;
      cr_expect(fabs(my - cy * pow(p, y) * pow(1 - p, 3 - y)) < 1e-14);
      cr_expect(fabs(mr - cy * pow(q, y) * pow(1 - q, 3 - y)) < 1e-14);
    }
    cr_expect(fabs(total - 1) < 1e-14);
    /* E[Y R] = 3 P(both) + 6 p q for 3 patients */
    cr_expect(fabs(both - (3 * responses_both(p, q, rho) + 6 * p * q)) < 1e-13);
  }
}

Test(responses, uncorrelated_tolerances_are_the_response_stream) {
  const double q[3] = {0.2, 0.5, 0.35};
  responses_trial rt;
  const uint64_t seed = 77, t0 = 5;
  responses_trial_init(&rt, q, 3, 0.0, seed, 2, t0, 8);
  uint64_t sums[22];
  for (uint64_t t = t0; t < t0 + 3; t++) {
    responses_trial_draw(&rt, 21, sums);
    rng_pcg32 r;
    rng_for_response(&r, seed, 2);
    rng_advance(&r, t << 8);
    for (int i = 0; i < 21; i++) {
      double w = rng_uniform(&r);
      for (int d = 1; d <= 3; d++)
        cr_expect_eq(responses_in_cohort(sums, i, 1, d), w < q[d - 1], "trial %llu patient %d",
                     (unsigned long long)t, i);
    }
  }
}

Test(responses, correlated_tolerances_follow_the_copula) {
  /* P(DLT and response) over 2^16 trials of 21 patients against C_rho(p, q), within 4 MCSE */
  const double q[1] = {0.4}, p = 0.3, rho = 0.6;
  responses_trial rt;
  responses_trial_init(&rt, q, 1, rho, 11, 0, 0, 8);
  rng_pcg32 u;
  rng_for_scenario(&u, 11, 0);
  rng_jump rest = rng_jump_make(&u, 256 - 21);
  uint64_t sums[22], both = 0, n = 0;
  for (int t = 0; t < 1 << 16; t++) {
    responses_trial_draw(&rt, 21, sums);
    for (int i = 0; i < 21; i++, n++)
      both += rng_uniform(&u) < p && responses_in_cohort(sums, i, 1, 1);
    rng_jump_apply(&u, rest);
  }
  double want = responses_both(p, q[0], rho), got = (double)both / (double)n;
  double mcse = sqrt(want * (1 - want) / (double)n);
  cr_expect(fabs(got - want) < 4 * mcse, "%g vs %g (mcse %g)", got, want, mcse);
  cr_expect(want > p * q[0] + 20 * mcse, "the correlation shows: %g vs %g", want, p * q[0]);
}
