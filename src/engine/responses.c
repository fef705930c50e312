/* responses.c — response tolerances and the cohort outcome law (see responses.h). */
#include "responses.h"

#include <math.h>

/* 1 / sqrt(2 pi), the standard normal density at 0 */
#define INV_SQRT_2PI 0.39894228040143267794

#include "prob.h"
#include "quadrature.h"

double responses_phi(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* Abramowitz & Stegun 26.2.23 (error below 4.5e-4) as the start, then Newton steps on Phi, whose
 * derivative is the density: each step squares the error, so three reach double precision. */
double responses_phi_inv(double p) {
  double r = p < 0.5 ? p : 1.0 - p, t = sqrt(-2.0 * log(r));
  double x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                     (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  if (p < 0.5)
    x = -x;
  for (int i = 0; i < 4; i++) {
    double density = exp(-0.5 * x * x) * INV_SQRT_2PI;
    if (!(density > 0.0))
      break;
    x -= (responses_phi(x) - p) / density;
  }
  return x;
}

/* C_rho(p, q) = P(U < p, R < q) = integral over z below Phi^-1(p) of phi(z) Phi((b - rho z) /
 * sqrt(1 - rho^2)), b = Phi^-1(q): a smooth integrand on [-9, a] (below -9 phi is under 1e-17),
 * by 64-point Gauss-Legendre on each of 8 pieces. */
double responses_both(double p, double q, double rho) {
  if (rho == 0.0 || p <= 0.0 || q <= 0.0 || p >= 1.0 || q >= 1.0)
    return p * q;
  enum { M = 64, PIECES = 8 };
  double x[M], w[M];
  gauss_legendre(M, x, w);
  double a = responses_phi_inv(p), b = responses_phi_inv(q), s = sqrt(1.0 - rho * rho);
  double lo = -9.0;
  if (a <= lo)
    return 0.0;
  double sum = 0.0, h = (a - lo) / PIECES;
  for (int piece = 0; piece < PIECES; piece++) {
    double from = lo + piece * h;
    for (int i = 0; i < M; i++) {
      double z = from + 0.5 * h * (x[i] + 1.0);
      sum += 0.5 * h * w[i] * exp(-0.5 * z * z) * INV_SQRT_2PI * responses_phi((b - rho * z) / s);
    }
  }
  double most = p < q ? p : q;
  return sum < 0.0 ? 0.0 : sum > most ? most : sum;
}

static double choose(int n, int k) {
  double v = 1.0;
  for (int i = 1; i <= k; i++)
    v = v * (n - k + i) / i;
  return v;
}

void responses_cohort_law(int c, double p, double q, double rho,
                          double law[DESIGN_MAX_COHORT + 1][DESIGN_MAX_COHORT + 1]) {
  /* per patient: both, DLT only, response only, neither */
  double pb = responses_both(p, q, rho), pt = fmax(p - pb, 0.0), pr = fmax(q - pb, 0.0);
  double pn = fmax(1.0 - pb - pt - pr, 0.0);
  for (int y = 0; y <= c; y++)
    for (int r = 0; r <= c; r++)
      law[y][r] = 0.0;
  /* b with both, y - b DLT only, r - b response only, the rest neither: a multinomial term */
  for (int b = 0; b <= c; b++)
    for (int t = 0; b + t <= c; t++)
      for (int e = 0; b + t + e <= c; e++) {
        int nn = c - b - t - e;
        double coef = choose(c, b) * choose(c - b, t) * choose(c - b - t, e);
        law[b + t][b + e] += coef * pow(pb, b) * pow(pt, t) * pow(pr, e) * pow(pn, nn);
      }
}

void responses_law_init(responses_law *law, int k, int c, bool responses, const double *p_tox,
                        const double *p_eff, double rho) {
  law->outcomes = responses ? (c + 1) * (c + 1) : c + 1;
  for (int d = 0; d < k; d++)
    if (!responses) {
      for (int y = 0; y <= c; y++)
        law->pmf[d][y] = prob_binom_pmf(c, y, p_tox[d]);
    } else {
      double cell[DESIGN_MAX_COHORT + 1][DESIGN_MAX_COHORT + 1];
      responses_cohort_law(c, p_tox[d], p_eff[d], rho, cell);
      for (int y = 0; y <= c; y++)
        for (int r = 0; r <= c; r++)
          law->pmf[d][y + (c + 1) * r] = cell[y][r];
    }
}

void responses_trial_init(responses_trial *rt, const double *q, int k, double rho, uint64_t seed,
                          uint32_t stream, uint64_t t, unsigned segment_log2) {
  rt->k = k;
  rt->rho = rho;
  for (int d = 0; d < k; d++) {
    rt->q[d] = q[d];
    rt->thr[d] = rng_uniform_threshold(q[d]);
  }
  uint64_t start = segment_log2 < 64 ? t << segment_log2 : 0;
  rng_for_response(&rt->resp, seed, stream);
  rng_advance(&rt->resp, start);
  rng_for_scenario(&rt->tox, seed, stream);
  rng_advance(&rt->tox, start);
  uint64_t segment = segment_log2 < 64 ? (uint64_t)1 << segment_log2 : 0;
  rt->next_resp = rng_jump_make(&rt->resp, segment);
  rt->next_tox = rng_jump_make(&rt->tox, segment);
}

void responses_trial_draw(responses_trial *rt, int n, uint64_t *sums) {
  rng_pcg32 r = rt->resp, u = rt->tox;
  uint64_t sum = 0;
  sums[0] = 0;
  if (rt->rho == 0.0) {
    for (int i = 0; i < n; i++) {
      uint32_t x = rng_next(&r);
      uint64_t word = 0;
      for (int d = 0; d < rt->k; d++)
        word |= (uint64_t)(x < rt->thr[d]) << (4 * d);
      sum += word;
      sums[i + 1] = sum;
    }
  } else {
    double s = sqrt(1.0 - rt->rho * rt->rho);
    for (int i = 0; i < n; i++) {
      double w = rng_uniform(&r), ui = rng_uniform(&u);
      double ri = responses_phi(rt->rho * responses_phi_inv(ui) + s * responses_phi_inv(w));
      uint64_t word = 0;
      for (int d = 0; d < rt->k; d++)
        word |= (uint64_t)(ri < rt->q[d]) << (4 * d);
      sum += word;
      sums[i + 1] = sum;
    }
  }
  /* the next trial's segment of each stream (a jump is made per stream: their increments differ) */
  rng_jump_apply(&rt->resp, rt->next_resp);
  rng_jump_apply(&rt->tox, rt->next_tox);
}
