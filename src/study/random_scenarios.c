/* random_scenarios.c — the pseudo-uniform curves of Clertant & O'Quigley (2017), "Semiparametric
 * dose finding methods", JRSS B 79(5) (as SPEC section 7 states it):
 *   1. the true MTD j is uniform on 1..K;
 *   2. M ~ Beta(max(K - j, 0.5), 1) and B = phi + (1 - phi) M, an upper bound on the curve that
 *      leaves room above the MTD in proportion to the doses above it;
 *   3. K independent U(0, B) values, sorted, are the curve, drawn again (j and B kept) until dose
 *      j is the one closest to phi.
 * Step 3 as written is rejection sampling, and its acceptance can be astronomically small (B a
 * hair above phi with j < K: a curve of the reference study once needed 1.8e9 redraws). So step 3
 * draws from the same conditional law directly. Of K values on (0, B), let nb fall below phi and
 * na = K - nb above; the one closest to phi is the largest below (its dose is nb) or the smallest
 * above (dose nb + 1). So dose j is closest exactly when
 *   (A) nb = j and the largest below is nearer phi than the smallest above (or none is above), or
 *   (B) nb = j - 1 and the smallest above is nearer (or none is below).
 * The count above is Binomial(K, (B - phi)/B); given the counts, the distances to phi of the
 * nearest value on each side are phi Yb and (B - phi) Ya with Yb ~ Beta(1, nb), Ya ~ Beta(1, na),
 * independent; given those two nearest values the others are uniform beyond them. So: pick (A)
 * or (B) with the probability of each (binomial term x P(its inequality), the latter a polynomial
 * integral done exactly by Gauss-Legendre), draw the two distances conditioned on the inequality
 * (by rejection with acceptance at least 1/16), then the rest uniformly. tests/
 * test_random_scenarios.c checks this against the rejection of the paper where that is cheap. */
#include "random_scenarios.h"

#include <math.h>
#include <stdbool.h>

#include "curve.h"
#include "quadrature.h"

/* Uniform on 0..n-1 without modulo bias: outputs in the incomplete last span are redrawn. */
static uint32_t uniform_below(rng_pcg32 *r, uint32_t n) {
  uint32_t limit = UINT32_MAX - UINT32_MAX % n; /* a multiple of n */
  uint32_t x;
  do
    x = rng_next(r);
  while (x >= limit);
  return x % n;
}

/* 1 - (1 - x)^n without cancellation for small x. */
static double one_minus_pow(double x, int n) { return -expm1(n * log1p(-x)); }

/* Beta(1, n): the smallest of n uniforms, by inversion. */
static double beta_1n(rng_pcg32 *r, int n) { return 1 - pow(rng_uniform(r), 1.0 / n); }

/* Beta(2, n): the second smallest of n + 1 uniforms. */
static double beta_2n(rng_pcg32 *r, int n) {
  double a = 2, b = 2; /* the two smallest so far */
  for (int i = 0; i <= n; i++) {
    double u = rng_uniform(r);
    if (u < a) {
      b = a;
      a = u;
    } else if (u < b) {
      b = u;
    }
  }
  return b;
}

/* The Gauss-Legendre rule's points (quadrature.h): exact for polynomials of degree below
 * 2 GL_POINTS = 32; the integrands here have degree below K <= 16. */
#define GL_POINTS 16

/* P(s_g Yg < s_o Yo) for Yg ~ Beta(1, g), Yo ~ Beta(1, o), c = s_o / s_g: the chance that the
 * nearest of g values on one side beats the nearest of o on the other. It is
 * E[1 - (1 - min(c Yo, 1))^g] = int_0^y* (1 - (1 - c y)^g) o (1 - y)^(o-1) dy + (1 - y*)^o with
 * y* = min(1, 1/c); the integrand is a polynomial, so the rule is exact up to rounding. */
static double p_nearer(int g, int o, double c, const double *x, const double *w) {
  double top = c > 1 ? 1 / c : 1, sum = 0;
  for (int i = GL_POINTS - 1; i >= 0; i--) { /* top node first: the sum's order, kept to the bit */
    double y = 0.5 * top * (x[i] + 1);
    sum += w[i] * one_minus_pow(c * y, g) * o * pow(1 - y, o - 1);
  }
  return 0.5 * top * sum + (top < 1 ? pow(1 - top, o) : 0);
}

/* (Yg, Yo) as above, conditioned on s_g Yg < s_o Yo (g, o >= 1). Yo first, from its law tilted by
 * F(y) = P(Yg < c y) = 1 - (1 - min(c y, 1))^g: for c < 1 the proposal Beta(2, o) accepted with
 * F(c y) / (g c y) (F <= g c y, and the ratio is at least 1/g); otherwise Beta(1, o) accepted with
 * F (at least P(Yg < Yo) = o / (g + o)). Then Yg from Beta(1, g) cut at min(c Yo, 1), by
 * inversion. */
static void nearest_pair(rng_pcg32 *r, int g, int o, double c, double *yg, double *yo,
                         long *attempts) {
  double y, f;
  for (;;) {
    ++*attempts;
    if (c < 1) {
      y = beta_2n(r, o);
      f = one_minus_pow(c * y, g);
      if (rng_uniform(r) * g * c * y < f)
        break;
    } else {
      y = beta_1n(r, o);
      f = c * y >= 1 ? 1 : one_minus_pow(c * y, g);
      if (rng_uniform(r) < f)
        break;
    }
  }
  *yo = y;
  *yg = -expm1(log1p(-rng_uniform(r) * f) / g);
}

/* n values uniform on (lo, hi) into v. */
static void uniforms(rng_pcg32 *r, int n, double lo, double hi, double *v) {
  for (int i = 0; i < n; i++)
    v[i] = lo + (hi - lo) * rng_uniform(r);
}

static void sort(double *p, int k) {
  for (int d = 1; d < k; d++)
    for (int at = d; at > 0 && p[at - 1] > p[at]; at--) {
      double t = p[at];
      p[at] = p[at - 1];
      p[at - 1] = t;
    }
}

/* log C(k, n) (1 - pi)^n pi^(k - n) q: the weight of a case with n values below phi. */
static double log_case(int k, int n, double pi, double q) {
  return lgamma(k + 1.0) - lgamma(n + 1.0) - lgamma(k - n + 1.0) + n * log1p(-pi) +
         (k - n) * log(pi) + log(q);
}

void random_curve_given(rng_pcg32 *r, int k, double phi, int j, double bound, double *p,
                        long *attempts) {
  double x[GL_POINTS], w[GL_POINTS];
  gauss_legendre(GL_POINTS, x, w);
  double pi = (bound - phi) / bound, s_below = phi, s_above = bound - phi;
  /* case A: j below, the largest of them nearest; case B: j - 1 below, the smallest above nearest
   */
  double q_a = k - j == 0 ? 1 : p_nearer(j, k - j, s_above / s_below, x, w);
  double q_b = j == 1 ? 1 : p_nearer(k - j + 1, j - 1, s_below / s_above, x, w);
  double log_a = log_case(k, j, pi, q_a), log_b = log_case(k, j - 1, pi, q_b);
  double p_a = 1 / (1 + exp(log_b - log_a)); /* P(A) given that dose j is nearest */
  do {
    bool case_a = rng_uniform(r) < p_a;
    int nb = case_a ? j : j - 1, na = k - nb;
    double yb = 1, ya = 1; /* distances / scale of the nearest value on each side */
    if (case_a && na == 0)
      yb = beta_1n(r, nb);
    else if (!case_a && nb == 0)
      ya = beta_1n(r, na);
    else if (case_a)
      nearest_pair(r, nb, na, s_above / s_below, &yb, &ya, attempts);
    else
      nearest_pair(r, na, nb, s_below / s_above, &ya, &yb, attempts);
    double top_below = phi - s_below * yb, low_above = phi + s_above * ya;
    if (nb > 0) {
      p[nb - 1] = top_below;
      uniforms(r, nb - 1, 0, top_below, p);
    }
    if (na > 0) {
      p[nb] = low_above;
      uniforms(r, na - 1, low_above, bound, p + nb + 1);
    }
    sort(p, k);
    /* a near tie within CURVE_TIE goes to the lower dose: redraw such a curve */
  } while (curve_closest_dose(p, k, phi) != j);
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
  random_curve_given(&r, k, phi, j, bound, p, &attempts);
  if (info) {
    info->mtd = j;
    info->bound = bound;
    info->attempts = attempts;
  }
}
