/* prob.h — the binomial probability both exact computations use. */
#ifndef DOSEVAL_PROB_H
#define DOSEVAL_PROB_H

#include <math.h>

/* P(Bin(n, p) = k) for n <= 255: C(n,k) by the multiplicative formula (exact in double up to
 * rounding), times p^k (1-p)^(n-k); pow(0, 0) = 1 gives the right answer at p = 0 and 1. */
static inline double prob_binom_pmf(int n, int k, double p) {
  if (k < 0 || k > n)
    return 0.0;
  double c = 1.0;
  int m = k < n - k ? k : n - k;
  for (int i = 1; i <= m; i++)
    c = c * (double)(n - m + i) / (double)i;
  return c * pow(p, k) * pow(1.0 - p, n - k);
}

#endif
