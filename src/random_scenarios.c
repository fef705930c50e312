/* random_scenarios.c — the pseudo-uniform curves of Clertant & O'Quigley (2017), "Semiparametric
 * dose finding methods", JRSS B 79(5), 2017 (as SPEC section 7 states it):
 *   1. the true MTD j is uniform on 1..K;
 *   2. M ~ Beta(max(K - j, 0.5), 1) and B = phi + (1 - phi) M, an upper bound on the curve that
 *      leaves room above the MTD in proportion to the doses above it;
 *   3. K independent U(0, B) values, sorted, are the curve; they are drawn again (j and B kept)
 *      until dose j is the one closest to phi (config_true_mtd: the lower dose on a tie).
 * Step 3 is rejection sampling, so a curve is K uniforms conditioned on its MTD being j, and B
 * keeps the distribution of step 2 exactly. */
#include "random_scenarios.h"

#include <math.h>

#include "config.h"
#include "rng.h"

/* Uniform on 0..n-1 without modulo bias: outputs in the incomplete last span are redrawn. */
static uint32_t uniform_below(rng_pcg32 *r, uint32_t n) {
  uint32_t limit = UINT32_MAX - UINT32_MAX % n; /* a multiple of n */
  uint32_t x;
  do
    x = rng_next(r);
  while (x >= limit);
  return x % n;
}

void random_curve_pseudo_uniform(uint64_t seed, uint32_t i, int k, double phi, double *p,
                                 random_curve_info *info) {
  rng_pcg32 r;
  rng_for_scenario(&r, seed, RANDOM_CURVE_STREAM + i);
  int j = 1 + (int)uniform_below(&r, (uint32_t)k);
  /* Beta(a, 1) has CDF m^a on (0, 1): M = U^(1/a) by inversion */
  double a = k - j > 0 ? (double)(k - j) : 0.5;
  double bound = phi + (1 - phi) * pow(rng_uniform(&r), 1 / a);
  long attempts = 0;
  do {
    attempts++;
    for (int d = 0; d < k; d++) { /* insertion sort as the values arrive (k <= 16) */
      double v = bound * rng_uniform(&r);
      int at = d;
      for (; at > 0 && p[at - 1] > v; at--)
        p[at] = p[at - 1];
      p[at] = v;
    }
  } while (config_true_mtd(p, k, phi) != j);
  if (info) {
    info->mtd = j;
    info->bound = bound;
    info->attempts = attempts;
  }
}
