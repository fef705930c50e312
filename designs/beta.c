/* beta.c — Beta tails through the binomial identity or the incomplete-beta continued fraction. */
#define _DEFAULT_SOURCE /* lgamma_r: lgamma would write the global signgam */
#include "beta.h"

#include <math.h>

/* The walk along the CDF of Bin(m, x), one term per step. Both public walks below take the same
 * steps, so a count found by the scan and a value filled by beta_binomial_cdf_all agree bit for
 * bit. */
typedef struct {
  int m;
  double log_p, log_q, log_choose, sum;
} beta_walk;

static void beta_walk_start(beta_walk *w, int m, double x) {
  *w = (beta_walk){.m = m, .log_p = log(x), .log_q = log1p(-x), .log_choose = 0.0, .sum = 0.0};
}

/* Adds P(Bin(m, x) = k) (k = 0, 1, ... in turn) and returns the CDF at k. */
static double beta_walk_step(beta_walk *w, int k) {
  /* log C(m, k) accumulated term by term: (1-x)^m underflows for m = 256 when x is near 1 */
  if (k > 0)
    w->log_choose += log((double)(w->m - k + 1) / (double)k);
  w->sum += exp(w->log_choose + k * w->log_p + (w->m - k) * w->log_q);
  if (w->sum > 1.0) /* rounding; a CDF never exceeds 1 (a cutoff of 1 must never fire) */
    w->sum = 1.0;
  return w->sum;
}

int beta_binomial_cdf_scan(int m, double x, int kmax, double above, double *cdf) {
  beta_walk w;
  beta_walk_start(&w, m, x);
  int hit = -1;
  for (int k = 0; k <= kmax; k++) {
    if (beta_walk_step(&w, k) > above) {
      hit = k;
      break;
    }
  }
  *cdf = w.sum;
  return hit;
}

void beta_binomial_cdf_all(int m, double x, int kmax, double *cdf) {
  beta_walk w;
  beta_walk_start(&w, m, x);
  for (int k = 0; k <= kmax; k++)
    cdf[k] = beta_walk_step(&w, k);
}

/* The continued fraction of I_x(a, b) / (x^a (1-x)^b / (a B(a, b))), for x < (a+1)/(a+b+2). */
static double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  d = 1.0 / (fabs(d) < tiny ? tiny : d);
  double f = d;
  for (int m = 1; m <= 10000; m++) {
    double m2 = 2.0 * m;
    double even = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    for (int half = 0; half < 2; half++) {
      double t = half ? odd : even;
      d = 1.0 + t * d;
      d = 1.0 / (fabs(d) < tiny ? tiny : d);
      c = 1.0 + t / c;
      if (fabs(c) < tiny)
        c = tiny;
      f *= c * d;
    }
    if (fabs(c * d - 1.0) < 1e-15)
      break;
  }
  return f;
}

/* I_x(a, b), the regularised incomplete beta function. */
static double beta_regularised(double a, double b, double x) {
  if (x <= 0.0)
    return 0.0;
  if (x >= 1.0)
    return 1.0;
  if (x > (a + 1.0) / (a + b + 2.0))
    return 1.0 - beta_regularised(b, a, 1.0 - x);
  int sign;
  double log_beta = lgamma_r(a, &sign) + lgamma_r(b, &sign) - lgamma_r(a + b, &sign);
  double front = exp(a * log(x) + b * log1p(-x) - log_beta) / a;
  return front * beta_cf(a, b, x);
}

double beta_upper_tail(double a, double b, double x) {
  if (x <= 0.0)
    return 1.0;
  if (x >= 1.0)
    return 0.0;
  if (a == floor(a) && b == floor(b) && a + b - 1.0 <= 4096.0) {
    double cdf;
    (void)beta_binomial_cdf_scan((int)(a + b - 1.0), x, (int)a - 1, INFINITY, &cdf);
    return cdf;
  }
  double t = 1.0 - beta_regularised(a, b, x);
  return t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
}
