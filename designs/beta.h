/* beta.h — the one Beta / binomial implementation every design and rule uses: the posterior
 * tail P(p > x) of a Beta distribution, exact through the binomial identity when both
 * parameters are whole numbers, by the continued fraction of the incomplete beta otherwise.
 * Pure functions: no allocation, no state. */
#ifndef DOSEVAL_BETA_H
#define DOSEVAL_BETA_H

/* Walks the CDF of Bin(m, x) for k = 0..kmax (0 < x < 1) and returns the first k at which it
 * exceeds `above` (-1 if none), leaving the CDF at that k (or at kmax) in *cdf. */
int beta_binomial_cdf_scan(int m, double x, int kmax, double above, double *cdf);

/* Writes cdf[k] = P(Bin(m, x) <= k) for k = 0..kmax (0 < x < 1, kmax <= m): the same walk as
 * beta_binomial_cdf_scan, every step kept. P(Beta(k+1, m-k) > x) = cdf[k] (see below), so one
 * walk gives the posterior tail at x for every DLT count out of m - 1 patients. */
void beta_binomial_cdf_all(int m, double x, int kmax, double *cdf);

/* P(p > x) for p ~ Beta(a, b), a, b > 0, 0 <= x <= 1. Whole a, b (a + b - 1 <= 4096): the
 * identity I_x(a, N-a+1) = P(Bin(N, x) >= a) (NIST DLMF 8.17(i)) gives P(Bin(a+b-1, x) <= a-1),
 * summed in log space. Otherwise the continued fraction DLMF 8.17.22 by the modified Lentz
 * method (Press et al., Numerical Recipes, 3rd ed., section 6.4), to about 1e-14. */
double beta_upper_tail(double a, double b, double x);

#endif
