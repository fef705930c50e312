/* blrm.c — the two-parameter Bayesian logistic regression model with escalation with overdose
 * control (BLRM, EWOC), SPEC section 14, as a design_type.
 *
 * References: Neuenschwander B, Branson M, Gsponer T (2008). Critical aspects of the Bayesian
 * approach to phase I cancer trials. Statistics in Medicine 27:2420-2439 (the model, the
 * intervals [0, 0.16), [0.16, 0.33), [0.33, 1] and overdose control at 0.25). The model and the
 * stopping rule are those of crmPack (LogisticLogNormal, NextBestNCRM, StoppingTargetProb) and
 * OncoBayes2: logit p_d = theta1 + exp(theta2) log(x_d / x*), (theta1, theta2) = (log alpha,
 * log beta) bivariate normal, so the slope is positive and p_d increases with the dose.
 *
 * The posterior, integrated without sampling. lp(a, b) is the log prior kernel plus the log
 * likelihood at theta1 = a, theta2 = b. Every interval probability is a ratio of two integrals of
 * exp(lp) over the plane, and P(p_d < c) is the integral over {a < logit(c) - e^b L_d}, L_d =
 * log(x_d / x*): for each b a half-line in a. So the integrals are taken row by row, a row being
 * a line of fixed b, and each row gives the whole row integral and its partial integrals up to
 * every dose's two thresholds at once.
 *  1. Rows are easy. Along a row lp is strictly concave in a: the logistic log likelihood is
 *     concave in the linear predictor and the prior adds -P11 (a - .)^2 / 2, P11 the prior
 *     precision of a. So a row has one maximum (safeguarded Newton inside a bracket that the
 *     bounded score gives, blrm_row_max), and the set where lp >= L is an interval whose ends
 *     come from tangent steps (blrm_row_end): by concavity a tangent's crossing of the level lies
 *     outside the interval, and the mass past an end with lp(end) < L is below
 *     e^(L - lp_row_max) (end - top) / (lp_row_max - L) of the row's peak value (the row is below
 *     the tangent there).
 *  2. Where the mass is. M is the largest lp found (the mode, by safeguarded Newton on the
 *     profile P(b) = max_a lp(a, b) from the best point of a scan); L = M - T with T = 24 nats
 *     (e^-24 = 3.8e-11). Everything with lp >= L is kept. The likelihood is at most the saturated
 *     one, e^l_sat, and max over a of the prior kernel is -(b - m2)^2 / (2 s2^2), so
 *     P(b) <= l_sat - (b - m2)^2 / (2 s2^2): no b outside m2 +- s2 sqrt(2 (l_sat - L)) has a row
 *     above L. The rows are scanned from the mode outwards at the grid spacing h0 (the profile's
 *     curvature at the mode, sd sigma_b) until they fall below L, and past that at
 *     max(h0, s2 / 4) up to that bound, so that a second mode (the profile need not be concave in
 *     b) is found unless it is narrower than a quarter of the prior sd of log beta; a higher one
 *     restarts the search from it.
 *  3. Along a row: Chebyshev interpolation of exp(lp - M) on the row's interval at 13, 25, 49,
 *     97 or 193 Chebyshev points (nested), stopped when the last four coefficients are below
 *     1e-11 (of the peak value 1): for a function analytic in a Bernstein ellipse the
 *     coefficients decay geometrically and the interpolant's error is of the size of the first
 *     neglected ones (Trefethen 2013, Approximation Theory and Approximation Practice, thms 8.2
 *     and 16.1). Its integral is the Chebyshev series' indefinite integral, evaluated by
 *     Clenshaw's recurrence at each threshold: all 2K partial integrals for one set of points.
 *  4. Across rows: the trapezoid rule in b on the window of step 2, its ends below L, spacing h0
 *     halved (reusing every row) until all 2K + 1 ratios and the normalising constant agree
 *     by 1e-10 from one level to the next, or the changes estimate that the last level's error is
 *     below 1e-12 (see blrm_posterior). Each row integral is analytic in b, and for such
 *     integrands the trapezoid rule's error is about exp(-2 pi d / h) (Trefethen & Weideman 2014,
 *     SIAM Review 56:385-458): halving h squares it. For a normal shape of sd
 *     sigma_b the first level, h0 = sigma_b, errs by 2 exp(-2 pi^2) = 5e-9; in practice the
 *     profile's skew and the partial integrals (which move from 0 to the whole row as a dose's
 *     threshold sweeps across the rows, fastest where e^b |L_d| is large) need h0 / 4 to h0 / 8.
 * Every probability is then within 1e-9 of the exact integral (the truncation at T nats and the
 * tolerances of steps 3 and 4 are each about 1e-10 or less); the contract asks for 1e-6.
 * tests/test_blrm.c checks them against mpmath (tests/blrm_reference.py) and against a brute-force
 * Gauss-Legendre integral on random and extreme data (largest difference seen 5e-11).
 * The design integrates first at about 1e-6 (blrm_quick: T = 14 nats, looser tolerances, a third
 * of the cost) and keeps that answer only where its decisions are clear of every threshold by
 * BLRM_GUARD = 1e-5 (blrm_clear); otherwise it integrates again as blrm_posterior does. Its
 * decisions are then those of the fine integrals (tests/test_blrm.c checks them on random states).
 * Cost: 40 to 120 rows of 13 to 97 points, each point one exp and one log for all treated doses
 * (blrm_tails, blrm_log1p_sum); the fine integrals take 4.4 million instructions, the design's
 * fits 1.5 million on average over the 702 of the reference study's BLRM
 * (bench/blrm_reference.yaml). */
#include "blrm.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BLRM_PI 3.14159265358979323846
#define BLRM_CHEB_MIN 12 /* Chebyshev degrees 12, 24, 48, 96, 192 */
#define BLRM_CHEB_MAX 192
#define BLRM_MAX_LEVEL 8      /* at most h0 / 256 */
#define BLRM_REACH 40.0       /* log beta is sought within 40 prior sds of its mean ... */
#define BLRM_B_CLIP 300.0     /* ... and |log beta| <= 300, so that beta^2 L^2 is finite */
#define BLRM_SCAN_CAP 4096    /* at most this many scan points a side */
#define BLRM_LIMIT_SLACK 1e-9 /* relative: a label written as (1 + max_increase) x is allowed */
#define BLRM_Q (1 + 2 * DESIGN_MAX_DOSES) /* a row's results: its integral, then per dose two */
#define BLRM_GUARD 1e-5 /* a quick decision is kept only this far from its thresholds */
#define BLRM_FAST 300.0 /* |a|, |beta L_d| up to this: e^-|eta| as e^-a e^-(beta L_d), in range */
#define BLRM_COS_MAX 96 /* degrees with a table of cosines; 192 uses the recurrence */
#define BLRM_COS_TABLE (13 * 7 + 25 * 13 + 49 * 25 + 97 * 49)

/* How closely the integrals are taken: T (nats), the Chebyshev tail and the trapezoid levels'
 * tolerance (steps 2-4 of the header). */
typedef struct {
  double t, cheb_tol, level_tol;
} blrm_accuracy;

/* blrm_posterior's: every probability within 1e-9 (e^-24 = 3.8e-11). */
static const blrm_accuracy blrm_fine = {24.0, 1e-11, 1e-10};
/* The design's first try (blrm_fit_counts): within about 1e-6 (e^-14 = 8e-7), a fifth of the
 * cost; its decisions are kept only where no probability lies within BLRM_GUARD of a threshold
 * or of another it is compared with. */
static const blrm_accuracy blrm_quick = {14.0, 1e-7, 1e-6};

/* ---- options and parameters ------------------------------------------------------------------ */

typedef struct {
  double reference_dose;
  double mean[2], sd[2], corr, intervals[2];
  int mean_len, sd_len, intervals_len;
  bool mean_set, sd_set, intervals_set;
  double ewoc, max_increase, p_target;
  long min_n, n_at_dose;
} blrm_options;

static const design_option blrm_option_table[] = {
    {.key = "reference_dose",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(blrm_options, reference_dose),
     .required = true,
     .min = DESIGN_MORE(0),
     .help = "x* in logit p = log(alpha) + beta log(x / x*), in the units of study.doses"},
    {.key = "prior.mean",
     .kind = DESIGN_OPT_REALS,
     .at = offsetof(blrm_options, mean),
     .set_at = offsetof(blrm_options, mean_set),
     .count_at = offsetof(blrm_options, mean_len),
     .count = 2,
     .no_default = true,
     .min = DESIGN_AT_LEAST(-50),
     .max = DESIGN_AT_MOST(50),
     .help = "prior means of log(alpha) and log(beta); required"},
    {.key = "prior.sd",
     .kind = DESIGN_OPT_REALS,
     .at = offsetof(blrm_options, sd),
     .set_at = offsetof(blrm_options, sd_set),
     .count_at = offsetof(blrm_options, sd_len),
     .count = 2,
     .no_default = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_AT_MOST(10),
     .help = "prior sds of log(alpha) and log(beta); required"},
    {.key = "prior.corr",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(blrm_options, corr),
     .def = 0.0,
     .min = DESIGN_MORE(-1),
     .max = DESIGN_LESS(1),
     .help = "prior correlation of log(alpha) and log(beta)"},
    {.key = "intervals",
     .kind = DESIGN_OPT_REALS,
     .at = offsetof(blrm_options, intervals),
     .set_at = offsetof(blrm_options, intervals_set),
     .count_at = offsetof(blrm_options, intervals_len),
     .count = 2,
     .no_default = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .increasing = true,
     .help =
         "under-dosing below the first, over-dosing from the second; [0.16, 0.33] if not given"},
    {.key = "ewoc",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(blrm_options, ewoc),
     .def = 0.25,
     .min = DESIGN_MORE(0),
     .max = DESIGN_AT_MOST(1),
     .help = "a dose is eligible when P(over-dosing | data) is below this"},
    {.key = "max_increase",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(blrm_options, max_increase),
     .def = 1.0,
     .min = DESIGN_MORE(0),
     .help = "eligible doses are at most this much (1 = +100%) above the highest dose given"},
    {.key = "stop.min_n",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(blrm_options, min_n),
     .def = 12,
     .min = DESIGN_AT_LEAST(0),
     .help = "stop only once this many patients are treated (above max_n: never)"},
    {.key = "stop.n_at_dose",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(blrm_options, n_at_dose),
     .def = 6,
     .min = DESIGN_AT_LEAST(0),
     .help = "... and the next dose already has this many patients ..."},
    {.key = "stop.p_target",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(blrm_options, p_target),
     .def = 0.5,
     .min = DESIGN_AT_LEAST(0),
     .max = DESIGN_AT_MOST(1),
     .help = "... and its P(target interval | data) is at least this"},
    {.key = NULL}};

enum { BLRM_STOP_NO_ELIGIBLE, BLRM_STOP_TARGET };
static const design_reason blrm_reasons[] = {
    {"no_eligible_dose", true}, {"target_probability", false}, {NULL, false}};

typedef struct {
  int k, start_dose;
  double x[DESIGN_MAX_DOSES], reference_dose; /* the labels, for explain */
  double L[DESIGN_MAX_DOSES];                 /* log(x_d / x*) */
  double mean[2], sd[2], corr;
  double p11, p12, p22; /* the prior's precision matrix */
  double cut[2], g[2];  /* the interval cuts and their logits */
  double ewoc, max_increase, p_target;
  int min_n, n_at_dose;
  uint8_t limit[DESIGN_MAX_DOSES];  /* limit[h - 1]: the highest dose allowed after dose h */
  double cosine[2 * BLRM_CHEB_MAX]; /* cos(pi i / BLRM_CHEB_MAX) */
  double cheb_cos[BLRM_COS_TABLE];  /* per degree n <= BLRM_COS_MAX: cos(pi j k / n), k <= n, j <=
                                       n/2 */
} blrm_params;

/* What decide and select read of the posterior (design_type.fit). */
typedef struct {
  double target[DESIGN_MAX_DOSES]; /* P(target interval | data) */
  uint16_t safe;                   /* bit d - 1: P(over-dosing | data) < ewoc */
  uint16_t target_ok;              /* bit d - 1: P(target interval | data) >= p_target */
} blrm_fit;

/* ---- the log posterior --------------------------------------------------------------------- */

/* The counts as the integrals read them: the treated doses only. */
typedef struct {
  const blrm_params *p;
  int m; /* treated doses */
  double L[DESIGN_MAX_DOSES], n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  int ni[DESIGN_MAX_DOSES];
  double n_total, y_total;
  double l_sat; /* the saturated log likelihood, each dose at its own y/n: >= any lp's */
  const blrm_accuracy *acc;
  double b_min, b_max;
} blrm_data;

static void blrm_data_init(blrm_data *D, const blrm_params *p, const int *n, const int *y,
                           const blrm_accuracy *acc) {
  memset(D, 0, sizeof *D);
  D->p = p;
  D->acc = acc;
  for (int d = 0; d < p->k; d++) {
    if (n[d] <= 0)
      continue;
    D->L[D->m] = p->L[d];
    D->n[D->m] = n[d];
    D->ni[D->m] = n[d];
    D->y[D->m] = y[d];
    D->n_total += n[d];
    D->y_total += y[d];
    if (y[d] > 0)
      D->l_sat += y[d] * log((double)y[d] / n[d]);
    if (n[d] > y[d])
      D->l_sat += (n[d] - y[d]) * log((double)(n[d] - y[d]) / n[d]);
    D->m++;
  }
  D->b_min = fmax(p->mean[1] - BLRM_REACH * p->sd[1], -BLRM_B_CLIP);
  D->b_max = fmin(p->mean[1] + BLRM_REACH * p->sd[1], BLRM_B_CLIP);
}

/* lp along the row of fixed b. */
typedef struct {
  const blrm_data *D;
  double b, beta, db;          /* db = b - m2 */
  double c[DESIGN_MAX_DOSES];  /* beta L_d of the treated doses */
  double ec[DESIGN_MAX_DOSES]; /* e^-(beta L_d) */
  bool fast;                   /* every |beta L_d| <= BLRM_FAST */
  double cb;                   /* the prior's term in b alone */
} blrm_row;

static void blrm_row_init(blrm_row *r, const blrm_data *D, double b) {
  const blrm_params *p = D->p;
  r->D = D;
  r->b = b;
  r->beta = exp(b);
  r->db = b - p->mean[1];
  r->fast = true;
  for (int i = 0; i < D->m; i++) {
    r->c[i] = r->beta * D->L[i];
    r->fast = r->fast && fabs(r->c[i]) <= BLRM_FAST;
    r->ec[i] = r->fast ? exp(-r->c[i]) : 0.0;
  }
  r->cb = -0.5 * p->p22 * r->db * r->db;
}

/* e^-|eta_d| for the treated doses at a, eta_d = a + beta L_d: one exp for them all, as
 * e^-a e^-(beta L_d) or its inverse, when both exponents are at most BLRM_FAST (the product then
 * lies within e^+-600, inside double's range); one exp each otherwise. */
static void blrm_tails(const blrm_row *r, double a, double *e) {
  const blrm_data *D = r->D;
  if (r->fast && fabs(a) <= BLRM_FAST) {
    double ea = exp(-a);
    for (int i = 0; i < D->m; i++) {
      double t = ea * r->ec[i]; /* e^-eta */
      e[i] = a + r->c[i] >= 0.0 ? t : 1.0 / t;
    }
  } else {
    for (int i = 0; i < D->m; i++)
      e[i] = exp(-fabs(a + r->c[i]));
  }
}

/* sum_d n_d log(1 + e_d) as the log of prod_d (1 + e_d)^n_d, the powers by squaring: one log
 * for all doses. The product is at most 2^(patients) <= 2^255; rounding 1 + e_d loses at most
 * 1.1e-16 n_d, and the products about 1e-16 each: the sum is right to 3e-14. */
static double blrm_log1p_sum(const blrm_data *D, const double *e) {
  double prod = 1.0;
  for (int i = 0; i < D->m; i++) {
    double f = 1.0 + e[i], q = 1.0;
    for (int n = D->ni[i]; n > 0; n >>= 1, f *= f)
      if (n & 1)
        q *= f;
    prod *= q;
  }
  return log(prod);
}

/* lp(a, b): y eta - n log(1 + e^eta) per dose, with log(1 + e^eta) = max(eta, 0) + log1p(e^-|eta|)
 * (no overflow, accurate at both ends). */
static double blrm_lp(const blrm_row *r, double a) {
  const blrm_data *D = r->D;
  const blrm_params *p = D->p;
  double da = a - p->mean[0];
  double s = r->cb - da * (0.5 * p->p11 * da + p->p12 * r->db), e[DESIGN_MAX_DOSES];
  blrm_tails(r, a, e);
  for (int i = 0; i < D->m; i++) {
    double eta = a + r->c[i];
    s += D->y[i] * eta - D->n[i] * fmax(eta, 0.0);
  }
  return s - blrm_log1p_sum(D, e);
}

/* lp and its derivatives in a and b at (a, r->b). With p_d the DLT probability, r_d = y_d - n_d p_d
 * and w_d = n_d p_d (1 - p_d): d eta / d b = beta L_d = c_d, so lp_a = sum r_d, lp_b = sum r_d c_d,
 * lp_aa = -sum w_d, lp_ab = -sum w_d c_d, lp_bb = sum (r_d c_d - w_d c_d^2), plus the prior's. */
typedef struct {
  double f, fa, faa, fb, fab, fbb;
} blrm_deriv;

static void blrm_lp_deriv(const blrm_row *r, double a, blrm_deriv *o) {
  const blrm_data *D = r->D;
  const blrm_params *p = D->p;
  double da = a - p->mean[0];
  o->f = r->cb - da * (0.5 * p->p11 * da + p->p12 * r->db);
  o->fa = -p->p11 * da - p->p12 * r->db;
  o->faa = -p->p11;
  o->fb = -p->p12 * da - p->p22 * r->db;
  o->fab = -p->p12;
  o->fbb = -p->p22;
  double tails[DESIGN_MAX_DOSES];
  blrm_tails(r, a, tails);
  o->f -= blrm_log1p_sum(D, tails);
  for (int i = 0; i < D->m; i++) {
    double eta = a + r->c[i], e = tails[i], c = r->c[i], inv = 1.0 / (1.0 + e);
    double prob = eta >= 0.0 ? inv : e * inv, pq = e * inv * inv;
    double res = D->y[i] - D->n[i] * prob, w = D->n[i] * pq;
    o->f += D->y[i] * eta - D->n[i] * fmax(eta, 0.0);
    o->fa += res;
    o->faa -= w;
    o->fb += res * c;
    o->fab -= w * c;
    o->fbb += res * c - w * c * c;
  }
}

/* Step 1: the row's maximum, by Newton's method on lp_a inside a bracket where it changes sign:
 * lp_a = -P11 (a - m_c) + sum r_d with sum r_d in [y_total - n_total, y_total], m_c the prior's
 * conditional mean of a. Fills d at the maximum; returns its a. */
static double blrm_row_max(const blrm_row *r, double a0, blrm_deriv *d) {
  const blrm_data *D = r->D;
  const blrm_params *p = D->p;
  double mc = p->mean[0] - p->p12 * r->db / p->p11;
  double lo = mc - (D->n_total - D->y_total) / p->p11 - 1.0, hi = mc + D->y_total / p->p11 + 1.0;
  double a = a0 < lo ? lo : a0 > hi ? hi : a0;
  for (int it = 0; it < 200; it++) {
    blrm_lp_deriv(r, a, d);
    if (d->fa > 0.0)
      lo = a;
    else
      hi = a;
    double next = a - d->fa / d->faa;
    if (!(next > lo && next < hi))
      next = 0.5 * (lo + hi);
    bool done = fabs(next - a) <= 1e-12 * (1.0 + fabs(a)) || hi - lo <= 1e-14 * (1.0 + fabs(a));
    a = next;
    if (done)
      break;
  }
  blrm_lp_deriv(r, a, d);
  return a;
}

/* Step 1: a point on the side `dir` (+1 right, -1 left) of the row's top where lp < level, no
 * farther than needed by more than a tangent step. A tangent's crossing of the level from inside
 * lies outside the interval {lp >= level}, and from outside too (concavity), so every point
 * returned bounds the interval. */
static double blrm_row_end(const blrm_row *r, double top, double f_top, double faa, double level,
                           double dir) {
  double v = top + dir * sqrt(2.0 * (f_top - level) / -faa);
  blrm_deriv d;
  for (int it = 0; it < 200; it++) {
    blrm_lp_deriv(r, v, &d);
    if (!(d.fa * dir < 0.0)) { /* lp too flat to step along: move out */
      v = top + 2.0 * (v - top);
      continue;
    }
    if (d.f < level) /* outside: tighten from there, still outside */
      return v + (level - d.f) / d.fa;
    /* inside: aim half a nat lower, so that rounding cannot leave the point on the level */
    v += (level - 0.5 - d.f) / d.fa;
  }
  return v;
}

/* The profile P(b) = max_a lp(a, b), its first two derivatives and the maximising a. */
typedef struct {
  double b, a, f, g, h; /* P, P', P'' */
  double faa, fab;
} blrm_profile;

static void blrm_profile_at(const blrm_data *D, double b, double a0, blrm_profile *o) {
  blrm_row r;
  blrm_deriv d;
  blrm_row_init(&r, D, b);
  o->b = b;
  o->a = blrm_row_max(&r, a0, &d);
  o->f = d.f;
  o->g = d.fb; /* at the row's maximum lp_a = 0 */
  o->h = d.fbb - d.fab * d.fab / d.faa;
  o->faa = d.faa;
  o->fab = d.fab;
}

/* Step 2: a local maximum of the profile by safeguarded Newton from `start`. */
static void blrm_climb(const blrm_data *D, blrm_profile *at) {
  double s2 = D->p->sd[1];
  for (int it = 0; it < 100; it++) {
    double step = at->h < 0.0 ? -at->g / at->h : (at->g > 0.0 ? 0.5 : -0.5) * s2;
    if (fabs(step) > s2)
      step = step > 0.0 ? s2 : -s2;
    blrm_profile next = *at;
    bool up = false;
    for (int half = 0; half < 60 && !up; half++, step *= 0.5) {
      double b = at->b + step;
      b = b < D->b_min ? D->b_min : b > D->b_max ? D->b_max : b;
      blrm_profile_at(D, b, at->a + step * (-at->fab / at->faa), &next);
      up = next.f >= at->f;
    }
    if (!up)
      return;
    bool done = fabs(next.b - at->b) <= 1e-10 * (1.0 + fabs(at->b));
    *at = next;
    if (done)
      return;
  }
}

/* All b whose row reaches `level` lie within m2 +- s2 sqrt(2 (l_sat - level)) (step 2). */
static double blrm_reach(const blrm_data *D, double level) {
  double r = D->l_sat - level;
  return D->p->sd[1] * sqrt(2.0 * (r > 0.0 ? r : 0.0));
}

/* Step 2: the mode, the spacing and the window [b_hat + j_lo h0, b_hat + j_hi h0] of rows. */
typedef struct {
  blrm_profile mode;
  double h0, shear; /* shear: d a_max / d b at the mode, to start each row's Newton */
  long j_lo, j_hi;
} blrm_frame;

/* Scans from the mode towards `dir`; if `restart`, returns false with *higher set as soon as it
 * meets a row higher than the mode (by more than 1e-6 nats, which moves no window). */
static bool blrm_scan_side(const blrm_data *D, blrm_frame *F, int dir, bool restart,
                           blrm_profile *higher) {
  double level = F->mode.f - D->acc->t, reach = blrm_reach(D, level);
  double end =
      dir > 0 ? fmin(D->p->mean[1] + reach, D->b_max) : fmax(D->p->mean[1] - reach, D->b_min);
  double wide = fmax(F->h0, D->p->sd[1] / 4.0);
  long last_in = 0;
  double j = 0.0, a = F->mode.a;
  for (int steps = 0; steps < BLRM_SCAN_CAP; steps++) {
    j += (j - last_in >= 1.0 ? wide / F->h0 : 1.0);
    double b = F->mode.b + dir * j * F->h0;
    if (dir > 0 ? b > end : b < end)
      break;
    blrm_profile at;
    blrm_profile_at(D, b, a, &at);
    a = at.a;
    if (restart && at.f > F->mode.f + 1e-6) {
      *higher = at;
      return false;
    }
    if (at.f >= level)
      last_in = (long)ceil(j);
  }
  if (dir > 0)
    F->j_hi = last_in + 1;
  else
    F->j_lo = -(last_in + 1);
  return true;
}

static void blrm_find_frame(const blrm_data *D, blrm_frame *F) {
  const blrm_params *p = D->p;
  /* The mode lies where P(b) >= P(m2): scan that range at half a prior sd, climb from the best. */
  blrm_profile best, at;
  blrm_profile_at(D, p->mean[1], p->mean[0], &best);
  double reach = fmin(blrm_reach(D, best.f), BLRM_REACH * p->sd[1]);
  for (int dir = -1; dir <= 1; dir += 2) {
    double a = best.a;
    for (double j = 0.5; j * p->sd[1] <= reach; j += 0.5) {
      double b = p->mean[1] + dir * j * p->sd[1];
      if (b < D->b_min || b > D->b_max)
        break;
      blrm_profile_at(D, b, a, &at);
      a = at.a;
      if (at.f > best.f)
        best = at;
    }
  }
  /* A higher row met by the scan starts the climb again from there; the last try keeps all. */
  for (int tries = 8; tries > 0; tries--) {
    blrm_climb(D, &best);
    F->mode = best;
    double sigma = best.h < 0.0 ? 1.0 / sqrt(-best.h) : p->sd[1];
    F->h0 = fmin(sigma, p->sd[1]);
    F->shear = -best.fab / best.faa;
    if (blrm_scan_side(D, F, 1, tries > 1, &best) && blrm_scan_side(D, F, -1, tries > 1, &best))
      return;
  }
}

/* ---- steps 3 and 4: the integrals ------------------------------------------------------------ */

/* The coefficients c_k, k = k0 ... n (all of them past BLRM_COS_MAX), of the interpolant through
 * v at the n + 1 points (v[j] at position j BLRM_CHEB_MAX / n), without halving the first and
 * last: c_k = (2 / n) sum'' v_j T_k(x_j), T_k(x_j) = cos(pi j k / n). The points are symmetric,
 * x_(n-j) = -x_j, and T_k(-x) = (-1)^k T_k(x), so even k read v_j + v_(n-j) and odd k
 * v_j - v_(n-j) over the first half of the points; T_k(x_j) comes from the recurrence
 * T_(k+1) = 2 x T_k - T_(k-1) at every point at once (|T_k| <= 1 there, so rounding grows only
 * linearly in k). n is even. */
static void blrm_coefs(const blrm_params *p, const double *v, int n, int k0, double *c) {
  int stride = BLRM_CHEB_MAX / n, h = n / 2;
  if (n <= BLRM_COS_MAX) { /* the same sums with the cosines from the table */
    const double *m = p->cheb_cos;
    for (int l = BLRM_CHEB_MIN; l < n; l *= 2)
      m += (size_t)(l + 1) * (size_t)(l / 2 + 1);
    m += (size_t)k0 * (size_t)(h + 1);
    double e[BLRM_COS_MAX / 2 + 1], o[BLRM_COS_MAX / 2 + 1];
    for (int j = 0; j <= h; j++) {
      double lo = v[j * stride], hi = v[(n - j) * stride], w = (j == 0 ? 1.0 : 2.0) / n;
      if (j == h)
        w *= 0.5;
      e[j] = w * (lo + hi);
      o[j] = w * (lo - hi);
    }
    for (int k = k0; k <= n; k++, m += h + 1) {
      const double *u = k % 2 ? o : e;
      double s0 = 0.0, s1 = 0.0;
      int j = 0;
      for (; j + 1 <= h; j += 2) {
        s0 += u[j] * m[j];
        s1 += u[j + 1] * m[j + 1];
      }
      if (j == h)
        s0 += u[j] * m[j];
      c[k] = s0 + s1;
    }
    return;
  }
  double x[BLRM_CHEB_MAX / 2 + 1], e[BLRM_CHEB_MAX / 2 + 1], o[BLRM_CHEB_MAX / 2 + 1];
  double t0[BLRM_CHEB_MAX / 2 + 1], t1[BLRM_CHEB_MAX / 2 + 1];
  for (int j = 0; j <= h; j++) {
    double lo = v[j * stride], hi = v[(n - j) * stride], w = (j == 0 ? 1.0 : 2.0) / n;
    if (j == h) /* the middle point counts once */
      w *= 0.5;
    x[j] = p->cosine[j * stride];
    e[j] = w * (lo + hi);
    o[j] = w * (lo - hi);
    t0[j] = 1.0;
    t1[j] = x[j];
  }
  for (int k = 0; k <= n; k++) {
    const double *u = k % 2 ? o : e;
    double s0 = 0.0, s1 = 0.0;
    int j = 0;
    for (; j + 1 <= h; j += 2) {
      s0 += u[j] * t0[j];
      s1 += u[j + 1] * t0[j + 1];
    }
    if (j == h)
      s0 += u[j] * t0[j];
    c[k] = s0 + s1;
    for (j = 0; j <= h; j++) {
      double t2 = 2.0 * x[j] * t1[j] - t0[j];
      t0[j] = t1[j];
      t1[j] = t2;
    }
  }
}

/* Step 3 for the row at b: its integral of exp(lp - M) and, for each dose d and cut c, the
 * integral up to a = logit(c) - beta L_d, into out[0] and out[1 + 2 (d - 1) + c]. */
static void blrm_row_integrals(const blrm_data *D, double M, double b, double a0, double *out) {
  const blrm_params *p = D->p;
  memset(out, 0, sizeof(double) * (size_t)(1 + 2 * p->k));
  blrm_row r;
  blrm_deriv d;
  blrm_row_init(&r, D, b);
  double top = blrm_row_max(&r, a0, &d), level = M - D->acc->t;
  if (!(d.f > level))
    return; /* below e^-25 of the peak all along */
  double lo = blrm_row_end(&r, top, d.f, d.faa, level, -1.0);
  double hi = blrm_row_end(&r, top, d.f, d.faa, level, 1.0);
  double mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo);

  double v[BLRM_CHEB_MAX + 1];
  int n = BLRM_CHEB_MIN;
  for (;; n *= 2) {
    int stride = BLRM_CHEB_MAX / n;
    for (int j = 0; j <= n; j++)
      if (n == BLRM_CHEB_MIN || j % 2 == 1)
        v[j * stride] = exp(blrm_lp(&r, mid + half * p->cosine[j * stride]) - M);
    if (n == BLRM_CHEB_MAX)
      break;
    double tail = 0.0, c[BLRM_COS_MAX + 1];
    blrm_coefs(p, v, n, n - 3, c);
    for (int k = n - 3; k <= n; k++)
      tail = fmax(tail, fabs(c[k]));
    if (tail <= D->acc->cheb_tol)
      break;
  }
  /* The interpolant sum'' a_k T_k and its integral from -1, sum A_k T_k (x half for a). */
  double a[BLRM_CHEB_MAX + 3], A[BLRM_CHEB_MAX + 2];
  blrm_coefs(p, v, n, 0, a);
  a[0] *= 0.5;
  a[n] *= 0.5;
  a[n + 1] = a[n + 2] = 0.0;
  A[1] = half * (a[0] - 0.5 * a[2]);
  double at_minus_one = -A[1], total = A[1];
  for (int k = 2; k <= n + 1; k++) {
    A[k] = half * (a[k - 1] - a[k + 1]) / (2.0 * k);
    at_minus_one += k % 2 ? -A[k] : A[k];
    total += A[k];
  }
  A[0] = -at_minus_one;
  total += A[0];
  out[0] = total;
  for (int dose = 0; dose < p->k; dose++)
    for (int c = 0; c < 2; c++) {
      double t = p->g[c] - r.beta * p->L[dose], s = (t - mid) / half, F;
      if (s <= -1.0) {
        F = 0.0;
      } else if (s >= 1.0) {
        F = total;
      } else { /* Clenshaw */
        double b1 = 0.0, b2 = 0.0;
        for (int k = n + 1; k >= 1; k--) {
          double b0 = A[k] + 2.0 * s * b1 - b2;
          b2 = b1;
          b1 = b0;
        }
        F = A[0] + s * b1 - b2;
      }
      out[1 + 2 * dose + c] = F;
    }
}

static void blrm_integrate(const blrm_params *p, const int *n, const int *y,
                           const blrm_accuracy *acc, blrm_probs *out) {
  blrm_data D;
  blrm_data_init(&D, p, n, y, acc);
  blrm_frame F;
  blrm_find_frame(&D, &F);
  int q = 1 + 2 * p->k;
  double sum[BLRM_Q] = {0}, row[BLRM_Q], prev[BLRM_Q], now[BLRM_Q];
  double M = F.mode.f, change_before = 0.0;
  for (int level = 0; level <= BLRM_MAX_LEVEL; level++) {
    long scale = 1L << level; /* nodes i h0 / scale */
    for (long i = F.j_lo * scale; i <= F.j_hi * scale; i++) {
      if (level > 0 && i % 2 == 0)
        continue;
      double db = (double)i / (double)scale * F.h0;
      blrm_row_integrals(&D, M, F.mode.b + db, F.mode.a + F.shear * db, row);
      for (int j = 0; j < q; j++)
        sum[j] += row[j];
    }
    double h = F.h0 / (double)scale;
    now[0] = sum[0] * h;
    for (int j = 1; j < q; j++)
      now[j] = sum[j] / sum[0];
    /* The change from the level before, the largest over the ratios and Z's relative one. Once
     * the trapezoid rule converges as e^(-2 pi d / h), halving h squares its error: the change
     * d_l is about level l-1's error and level l's is about d_l^3 / d_(l-1)^2. A level is
     * accepted when it changed by at most level_tol, or when the changes shrank at least
     * tenfold and that estimate is below level_tol / 100 (on 300 random states of the
     * reference study the largest error so accepted was 2.5e-10). */
    double change = 0.0; /* level 0 has nothing before it */
    if (level > 0) {
      change = fabs(now[0] - prev[0]) / now[0];
      for (int j = 1; j < q; j++)
        change = fmax(change, fabs(now[j] - prev[j]));
    }
    memcpy(prev, now, sizeof(double) * (size_t)q);
    if (level > 0 &&
        (change <= D.acc->level_tol ||
         (level > 1 && change <= 0.1 * change_before &&
          100.0 * change * change * change <= D.acc->level_tol * change_before * change_before)))
      break;
    change_before = change;
  }
  for (int d = 0; d < p->k; d++) {
    double below1 = prev[1 + 2 * d], below2 = prev[2 + 2 * d];
    below1 = below1 < 0.0 ? 0.0 : below1 > 1.0 ? 1.0 : below1;
    below2 = below2 < below1 ? below1 : below2 > 1.0 ? 1.0 : below2;
    out->under[d] = below1;
    out->target[d] = below2 - below1;
    out->over[d] = 1.0 - below2;
  }
}

void blrm_posterior(const void *params, const int *n, const int *y, blrm_probs *out) {
  blrm_integrate(params, n, y, &blrm_fine, out);
}

/* ---- the design ------------------------------------------------------------------------------ */

static dv_status blrm_configure(void *params, const design_setup *setup, const void *options,
                                dv_error *err) {
  const blrm_options *o = options;
  blrm_params *p = params;
  memset(p, 0, sizeof *p);
  p->k = setup->n_doses;
  p->start_dose = setup->start_dose;
  if (setup->doses == NULL)
    return error_set(err, DV_ECONFIG,
                     "reference_dose: the study's dose labels are not known here; allowed: a "
                     "study with doses");
  p->reference_dose = o->reference_dose;
  for (int d = 0; d < p->k; d++) {
    double x = setup->doses[d];
    if (!(x > 0.0) || !isfinite(x) || (d > 0 && !(x > setup->doses[d - 1])))
      return error_set(err, DV_ECONFIG,
                       "reference_dose: dose %d's label is %g; allowed: positive, increasing "
                       "labels (the model reads log(x_d / reference_dose))",
                       d + 1, x);
    p->x[d] = x;
    p->L[d] = log(x / o->reference_dose);
  }
  if (!o->mean_set)
    return error_set(err, DV_ECONFIG,
                     "prior.mean: missing; allowed: 2 numbers, the prior means of log(alpha) and "
                     "log(beta), given with prior.sd");
  if (!o->sd_set)
    return error_set(err, DV_ECONFIG,
                     "prior.sd: missing; allowed: 2 positive numbers, the prior sds of log(alpha) "
                     "and log(beta), given with prior.mean");
  for (int i = 0; i < 2; i++) {
    p->mean[i] = o->mean[i];
    p->sd[i] = o->sd[i];
  }
  p->corr = o->corr;
  double det = 1.0 - p->corr * p->corr;
  p->p11 = 1.0 / (p->sd[0] * p->sd[0] * det);
  p->p22 = 1.0 / (p->sd[1] * p->sd[1] * det);
  p->p12 = -p->corr / (p->sd[0] * p->sd[1] * det);
  p->cut[0] = o->intervals_set ? o->intervals[0] : 0.16;
  p->cut[1] = o->intervals_set ? o->intervals[1] : 0.33;
  for (int c = 0; c < 2; c++)
    p->g[c] = log(p->cut[c] / (1.0 - p->cut[c]));
  p->ewoc = o->ewoc;
  p->max_increase = o->max_increase;
  p->p_target = o->p_target;
  /* Past DESIGN_MAX_N no count reaches them: the same as never, kept as counts. */
  p->min_n = o->min_n > DESIGN_MAX_N ? DESIGN_MAX_N + 1 : (int)o->min_n;
  p->n_at_dose = o->n_at_dose > DESIGN_MAX_N ? DESIGN_MAX_N + 1 : (int)o->n_at_dose;
  for (int h = 0; h < p->k; h++) {
    double cap = (1.0 + p->max_increase) * p->x[h] * (1.0 + BLRM_LIMIT_SLACK);
    int lim = h;
    while (lim + 1 < p->k && p->x[lim + 1] <= cap)
      lim++;
    p->limit[h] = (uint8_t)(lim + 1);
  }
  for (int i = 0; i < 2 * BLRM_CHEB_MAX; i++)
    p->cosine[i] = cos(BLRM_PI * i / BLRM_CHEB_MAX);
  double *m = p->cheb_cos;
  for (int n = BLRM_CHEB_MIN; n <= BLRM_COS_MAX; n *= 2)
    for (int k = 0; k <= n; k++)
      for (int j = 0; j <= n / 2; j++)
        *m++ = p->cosine[(j * k * (BLRM_CHEB_MAX / n)) % (2 * BLRM_CHEB_MAX)];
  return DV_OK;
}

/* Whether the decisions read from these probabilities stay the same for any within BLRM_GUARD of
 * them: no P(over) within it of the EWOC bound, no P(target) within it of p_target, and no two
 * doses under the bound whose P(target) are within twice it (the choice compares them). */
static bool blrm_clear(const blrm_params *p, const blrm_probs *pr) {
  for (int d = 0; d < p->k; d++) {
    if (fabs(pr->over[d] - p->ewoc) <= BLRM_GUARD ||
        fabs(pr->target[d] - p->p_target) <= BLRM_GUARD)
      return false;
    for (int e = 0; e < d; e++)
      if (pr->over[d] < p->ewoc && pr->over[e] < p->ewoc &&
          fabs(pr->target[d] - pr->target[e]) <= 2.0 * BLRM_GUARD)
        return false;
  }
  return true;
}

/* The quick integrals where their decisions are clear, else the fine ones: the decisions are then
 * those of blrm_posterior's probabilities (the quick ones are within 1e-6 of them: largest
 * difference 7.2e-7 on 400 random states, a fourteenth of BLRM_GUARD). */
static void blrm_fit_counts(const void *params, const design_state *s, void *out) {
  const blrm_params *p = params;
  blrm_fit *f = out;
  int n[DESIGN_MAX_DOSES] = {0}, y[DESIGN_MAX_DOSES] = {0};
  for (int d = 0; d < p->k; d++) {
    n[d] = s->n[d];
    y[d] = s->y[d];
  }
  blrm_probs pr;
  blrm_integrate(p, n, y, &blrm_quick, &pr);
  if (!blrm_clear(p, &pr))
    blrm_integrate(p, n, y, &blrm_fine, &pr);
  memset(f, 0, sizeof *f);
  for (int d = 0; d < p->k; d++) {
    f->target[d] = pr.target[d];
    if (pr.over[d] < p->ewoc)
      f->safe |= (uint16_t)(1u << d);
    if (pr.target[d] >= p->p_target)
      f->target_ok |= (uint16_t)(1u << d);
  }
}

/* The dose of 1..upto with the largest P(target) among those below the EWOC bound; ties to the
 * lower; 0 if none. */
static int blrm_best(const blrm_fit *f, int upto) {
  int best = 0;
  for (int d = 1; d <= upto; d++)
    if ((f->safe >> (d - 1) & 1u) && (best == 0 || f->target[d - 1] > f->target[best - 1]))
      best = d;
  return best;
}

static int blrm_highest_given(const blrm_params *p, const design_state *s) {
  int h = 0;
  for (int d = 1; d <= p->k; d++)
    if (s->n[d - 1] > 0)
      h = d;
  return h > 0 ? h : s->cur;
}

static design_action blrm_decide_fit(const void *params, const design_state *s, const void *fit) {
  const blrm_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  const blrm_fit *f = fit;
  int rec = blrm_best(f, p->k), next = blrm_best(f, p->limit[blrm_highest_given(p, s) - 1]);
  if (next == 0)
    return design_stop(0, BLRM_STOP_NO_ELIGIBLE);
  if (design_total_n(s, p->k) >= p->min_n && s->n[next - 1] >= p->n_at_dose &&
      (f->target_ok >> (next - 1) & 1u))
    return design_stop(rec, BLRM_STOP_TARGET); /* the MTD is chosen without the increment limit */
  return design_treat_rec(next, rec);
}

static design_action blrm_decide(const void *params, const design_state *s) {
  const blrm_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  blrm_fit f;
  blrm_fit_counts(p, s, &f);
  return blrm_decide_fit(p, s, &f);
}

static int blrm_select_fit(const void *params, const design_state *s, int highest,
                           const void *fit) {
  const blrm_params *p = params;
  (void)s;
  return blrm_best(fit, highest < p->k ? highest : p->k);
}

static int blrm_select(const void *params, const design_state *s, int highest) {
  blrm_fit f;
  blrm_fit_counts(params, s, &f);
  return blrm_select_fit(params, s, highest, &f);
}

static void blrm_describe(const void *params, char *buf, size_t len) {
  const blrm_params *p = params;
  snprintf(
      buf, len,
      "BLRM, logit p = log(alpha) + beta log(x / %g); (log alpha, log beta) ~ N(mean (%g, %g), "
      "sd (%g, %g), corr %g); intervals [%g, %g); EWOC %g; max increase %g\n",
      p->reference_dose, p->mean[0], p->mean[1], p->sd[0], p->sd[1], p->corr, p->cut[0], p->cut[1],
      p->ewoc, p->max_increase);
}

/* Each dose's interval probabilities, which doses EWOC and the increment limit leave, the
 * choice, and the stopping rule. */
static void blrm_explain(const void *params, const design_state *s, char *buf, size_t len) {
  const blrm_params *p = params;
  if (s->cur == 0) {
    snprintf(buf, len, "no cohort yet: the first is treated at the start dose %d", p->start_dose);
    return;
  }
  size_t used = 0;
#define PUT(...)                                                                                   \
  do {                                                                                             \
    int n_ = snprintf(buf + used, used < len ? len - used : 0, __VA_ARGS__);                       \
    used += n_ > 0 ? (size_t)n_ : 0;                                                               \
  } while (0)
  int n[DESIGN_MAX_DOSES] = {0}, y[DESIGN_MAX_DOSES] = {0};
  for (int d = 0; d < p->k; d++) {
    n[d] = s->n[d];
    y[d] = s->y[d];
  }
  blrm_probs pr;
  blrm_posterior(p, n, y, &pr);
  blrm_fit f;
  blrm_fit_counts(p, s, &f);
  int h = blrm_highest_given(p, s), lim = p->limit[h - 1];
  PUT("P(DLT rate < %g / in [%g, %g) / >= %g) by dose:", p->cut[0], p->cut[0], p->cut[1],
      p->cut[1]);
  for (int d = 1; d <= p->k; d++)
    PUT(" %d: %.3f/%.3f/%.3f%s", d, pr.under[d - 1], pr.target[d - 1], pr.over[d - 1],
        (f.safe >> (d - 1) & 1u) ? "" : "*");
  PUT("; * P(over) >= EWOC %g; highest dose given %d, at most +%g%%: doses up to %d", p->ewoc, h,
      100.0 * p->max_increase, lim);
  design_action a = blrm_decide_fit(p, s, &f);
  if (a.stop && a.reason == BLRM_STOP_NO_ELIGIBLE) {
    PUT("; no dose below the EWOC bound: stop, no MTD");
  } else if (a.stop) {
    int next = blrm_best(&f, lim);
    PUT("; next would be %d, which has %d patients (>= %d) and P(target) %.3f >= %g, with %d "
        "patients in all (>= %d): stop, MTD %d",
        next, s->n[next - 1], p->n_at_dose, f.target[next - 1], p->p_target,
        design_total_n(s, p->k), p->min_n, a.dose);
  } else {
    PUT("; largest P(target) among them: dose %d", a.dose);
    if (a.rec != a.dose)
      PUT(" (dose %d without the increment limit)", a.rec);
  }
#undef PUT
}

const design_type design_blrm = {
    .name = "blrm",
    .title = "BLRM, the Bayesian logistic regression model with overdose control (Neuenschwander "
             "et al. 2008)",
    .options = blrm_option_table,
    .options_size = sizeof(blrm_options),
    .params_size = sizeof(blrm_params),
    .stop_reasons = blrm_reasons,
    .example = "reference_dose: 2, prior: {mean: [-0.85, 0], sd: [2, 1]}",
    .configure = blrm_configure,
    .decide = blrm_decide,
    .select = blrm_select,
    .fit_size = sizeof(blrm_fit),
    .fit = blrm_fit_counts,
    .decide_fit = blrm_decide_fit,
    .select_fit = blrm_select_fit,
    .explain = blrm_explain,
    .describe = blrm_describe,
};
