/* crm.c — the Bayesian one-parameter continual reassessment method (CRM) as a design_type.
 *
 * References: O'Quigley J, Pepe M, Fisher L (1990). Continual reassessment method: a practical
 * design for phase 1 clinical trials in cancer. Biometrics 46:33-48. Cheung YK (2011). Dose
 * Finding by the Continual Reassessment Method. Chapman & Hall/CRC (models, ch. 3; prior
 * variance 1.34, ch. 9). Lee SM, Cheung YK (2009). Model calibration in the continual
 * reassessment method. Clinical Trials 6:227-238 (indifference-interval skeleton). The R package
 * dfcrm (Cheung) is the behaviour we match: getprior() for the skeleton, crm() for the posterior
 * mean of the model parameter and the plug-in recommendation which.min(|p_d(a_hat) - target|).
 *
 * How the posterior mean is integrated (the contract asks for 1e-8; we aim at 1e-11):
 *  1. Range. The likelihood is at most 1, so the log posterior kernel lp(a) <= -a^2/(2 sd^2), and
 *     lp's maximum is at least lp(0). Every a with lp(a) > max - T (T = CRM_TAIL_NATS = 45) thus
 *     lies in [-B, B], B = sd sqrt(2 (T + 5 - lp(0))); outside it the integrand is below
 *     e^-50 of its peak and decays like the prior.
 *  2. Scan. At any mode m, lp'(m) = 0 removes the first-derivative terms of lp'', leaving
 *     |lp''(m)| <= Kmax = (B + 1)/sd^2 + N S, with N the number of patients and S a per-patient
 *     bound: empiric, u^2 e^u / (e^u - 1)^2 <= 1 (u = -ln p); logistic, sup over w > 0 of
 *     w^2 q(1 - q) (q the DLT probability, w = exp(a)|x_d|; 3.15 for intercept 3). So no mode is
 *     narrower than tau_min = Kmax^-1/2. lp is evaluated on a grid of spacing 3 tau_min over
 *     [-B, B]; a grid point within 1.5 tau_min of a mode sees it within about 1.1 nats, so the
 *     first and last grid points with lp >= max - T bracket every part of the posterior that
 *     matters, even when it has two modes (the logistic model's log posterior is not concave in a
 *     and can be bimodal when a skeleton value is near expit(c); the empiric model's is concave,
 *     each dose's log-likelihood being concave in a).
 *  3. Integral. On that bracket, the trapezoid rule, its spacing halved until the normalising
 *     constant and the mean agree between two levels to 1e-11. For an integrand analytic in the
 *     strip |Im a| < d and negligible at both ends the trapezoid rule converges geometrically,
 *     with error about exp(-2 pi d / h) (Trefethen & Weideman 2014, SIAM Review 56:385-458); for
 *     a normal shape of sd tau it is 2 exp(-2 pi^2 tau^2 / h^2). Here d = pi/2 (empiric: past it
 *     exp(-exp(a) t) grows double-exponentially) or atan2(pi, |c|) (logistic: poles where
 *     c + exp(a) x = i pi). The first spacing is min(2 tau_min, 2 pi d / 30), where the strip
 *     term is e^-30; the halving (each level reuses every point) covers a mode as narrow as
 *     tau_min, and two levels normally suffice.
 *  4. Tail probability. P(p_dose > target) is the posterior mass of a half-line (a < a* for the
 *     empiric model); a* is not a smooth end, so that integral uses composite 10-point
 *     Gauss-Legendre on panels of width min(8 tau_min, d), doubling the panels until two results
 *     agree to 1e-11 of the normalising constant.
 * Cost: 100 to 400 evaluations of lp for trials of a few dozen patients, up to ~1,300 for 255.
 * tests/test_crm.c compares the mean and the probability with a brute-force 10^6-point rule.
 * The design computes its fits with the fixed rule further down (the same integrals from tables
 * made at configure time, a tenth of the cost) and falls back to this one, which is also what
 * `next` explains with. */
#include "crm.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "quadrature.h"

#define CRM_PI 3.14159265358979323846
#define CRM_TAIL_NATS 45.0   /* the integrals keep a where lp(a) > max - 45 (e^-45 = 3e-20) */
#define CRM_SCAN_SPACING 3.0 /* scan grid spacing in units of tau_min */
#define CRM_TRAP_START 2.0   /* first trapezoid spacing is 2 tau_min */
#define CRM_TOL 1e-11        /* agreement of two levels that ends the refinement */
#define CRM_MAX_SCAN 65536L  /* caps on grid sizes: only absurd prior_sd values reach them */
#define CRM_MAX_START 65536L
#define CRM_MAX_LEVELS 6
#define CRM_GL_POINTS 10
#define CRM_GL_START 8.0 /* first Gauss-Legendre panels are 8 tau_min wide */
#define CRM_MAX_GL_PANELS 65536L

/* ---- the models ---------------------------------------------------------------------------- */

static double crm_logit(double p) { return log(p / (1.0 - p)); }

double crm_dose_tox(crm_model model, double skeleton_d, double intercept, double a) {
  if (model == CRM_EMPIRIC)
    return pow(skeleton_d, exp(a));
  double x = crm_logit(skeleton_d) - intercept;
  return 1.0 / (1.0 + exp(-intercept - exp(a) * x));
}

/* Lee & Cheung (2009), as dfcrm's getprior: the value b where dose d has target + halfwidth is
 * the value where dose d-1 has target - halfwidth. On each model's natural scale this makes the
 * skeleton geometric, which is what we compute:
 *   empiric   p = exp(e^a v_d), v_d = ln s_d:   v_(d-1) / v_d = ln(target-hw) / ln(target+hw) = R
 *   logistic  p = expit(c + e^a x_d):           x_(d-1) / x_d = (logit(target-hw) - c) /
 *                                                               (logit(target+hw) - c) = R
 * with v_nu = ln(target) and x_nu = logit(target) - c, so v_d = v_nu R^(nu-d) (likewise x_d).
 * R > 1 in the empiric case and whenever the logistic x's are negative, R in (0, 1) when they are
 * positive (c < logit(target - hw)); in both cases s_d increases with d. */
/* The skeleton for these values into out (the formulas above); 0 when every value is strictly
 * inside (0, 1) and above the one below, else the first dose (1-based) that is not, *what saying
 * how. */
static int skeleton_values(crm_model model, double target, double halfwidth, int prior_mtd,
                           int levels, double intercept, double *out, const char **what) {
  double ratio, base;
  if (model == CRM_EMPIRIC) {
    ratio = log(target - halfwidth) / log(target + halfwidth);
    base = log(target);
  } else {
    double lo = crm_logit(target - halfwidth), hi = crm_logit(target + halfwidth);
    ratio = (lo - intercept) / (hi - intercept);
    base = crm_logit(target) - intercept;
  }
  for (int d = 1; d <= levels; d++) {
    double v = base * pow(ratio, (double)(prior_mtd - d));
    out[d - 1] = model == CRM_EMPIRIC ? exp(v) : 1.0 / (1.0 + exp(-intercept - v));
  }
  for (int d = 1; d <= levels; d++) {
    double s = out[d - 1];
    *what = !(s > 0.0) ? "rounds to 0" : !(s < 1.0) ? "rounds to 1" : NULL;
    if (*what == NULL && d > 1 && !(s > out[d - 2]))
      *what = "rounds to the value of the dose below";
    /* s_nu is the target by construction; a far intercept loses it to cancellation in c + v */
    if (*what == NULL && d == prior_mtd && !(fabs(s - target) <= 1e-9))
      *what = "misses the target by more than 1e-9";
    if (*what != NULL)
      return d;
  }
  return 0;
}

/* A logistic intercept far from the target's logit makes R tend to 1 and expit(c + v) to 0 or
 * 1, so the skeleton's values collapse in double precision. When the intercept is the cause
 * (the default intercept on the same side works), the largest magnitude that works on that side,
 * found by bisection on log |c| (the values collapse more as |c| grows), rounded down to three
 * significant digits; 0 when the intercept is not the cause. */
static double intercept_limit(double target, double halfwidth, int prior_mtd, int levels,
                              double intercept) {
  double lo = crm_logit(target - halfwidth), hi = crm_logit(target + halfwidth),
         s[DESIGN_MAX_DOSES];
  double sign = intercept > hi ? 1.0 : -1.0;
  double good =
      sign > 0 ? fmax(CRM_DEFAULT_INTERCEPT, hi + 1.0) : fmin(-CRM_DEFAULT_INTERCEPT, lo - 1.0);
  const char *what;
  if (fabs(intercept) <= fabs(good) ||
      skeleton_values(CRM_LOGISTIC, target, halfwidth, prior_mtd, levels, good, s, &what) != 0)
    return 0.0;
  double bad = intercept;
  for (int i = 0; i < 200 && fabs(bad) > fabs(good) * (1.0 + 1e-12); i++) {
    double mid = sign * sqrt(fabs(good)) * sqrt(fabs(bad));
    if (skeleton_values(CRM_LOGISTIC, target, halfwidth, prior_mtd, levels, mid, s, &what) == 0)
      good = mid;
    else
      bad = mid;
  }
  double unit = pow(10.0, floor(log10(fabs(good))) - 2.0);
  double shown = sign * floor(fabs(good) / unit) * unit;
  return fabs(shown) > fabs(sign > 0 ? hi : lo) ? shown : good;
}

dv_status crm_skeleton_calibrate(crm_model model, double target, double halfwidth, int prior_mtd,
                                 int levels, double intercept, double *out, dv_error *err) {
  if (!(target > 0.0 && target < 1.0))
    return error_set(err, DV_ECONFIG, "target: %g; allowed: 0 < target < 1", target);
  double hw_max = fmin(target, 1.0 - target);
  if (!(halfwidth > 0.0 && halfwidth < hw_max))
    return error_set(err, DV_ECONFIG,
                     "halfwidth: %g; allowed: 0 < halfwidth < min(target, 1 - target) = %g",
                     halfwidth, hw_max);
  if (levels < 1 || levels > DESIGN_MAX_DOSES)
    return error_set(err, DV_ECONFIG, "levels: %d; allowed: 1 to %d", levels, DESIGN_MAX_DOSES);
  if (prior_mtd < 1 || prior_mtd > levels)
    return error_set(err, DV_ECONFIG, "prior_mtd: %d; allowed: 1 to %d (the number of levels)",
                     prior_mtd, levels);
  if (model == CRM_LOGISTIC) {
    double lo = crm_logit(target - halfwidth), hi = crm_logit(target + halfwidth);
    if (!isfinite(intercept) || (intercept >= lo && intercept <= hi))
      return error_set(err, DV_ECONFIG,
                       "intercept: %g; allowed: a number outside [logit(target - halfwidth), "
                       "logit(target + halfwidth)] = [%.4f, %.4f]",
                       intercept, lo, hi);
  }
  const char *what = NULL;
  int d = skeleton_values(model, target, halfwidth, prior_mtd, levels, intercept, out, &what);
  if (d == 0)
    return DV_OK;
  double limit = model == CRM_LOGISTIC
                     ? intercept_limit(target, halfwidth, prior_mtd, levels, intercept)
                     : 0.0;
  if (limit > 0.0)
    return error_set(err, DV_ECONFIG,
                     "intercept: %g: the skeleton's value of dose %d of %d %s in double "
                     "precision; allowed: an intercept above logit(target + halfwidth) = %.4f and "
                     "at most %g (with this target, halfwidth, prior MTD and levels)",
                     intercept, d, levels, what, crm_logit(target + halfwidth), limit);
  if (limit < 0.0)
    return error_set(err, DV_ECONFIG,
                     "intercept: %g: the skeleton's value of dose %d of %d %s in double "
                     "precision; allowed: an intercept below logit(target - halfwidth) = %.4f and "
                     "at least %g (with this target, halfwidth, prior MTD and levels)",
                     intercept, d, levels, what, crm_logit(target - halfwidth), limit);
  return error_set(err, DV_ECONFIG,
                   "skeleton: the value of dose %d of %d %s in double precision; allowed: a "
                   "smaller halfwidth, fewer levels or a prior_mtd nearer the middle",
                   d, levels, what);
}

/* crm_recommend over doses 1..h for every h = 1..k at once, from p[d - 1] = p_d(a): rec[h - 1]
 * is what the loop below has chosen after dose h, which is exactly crm_recommend's answer for a
 * spec of h doses. */
static void crm_recommend_each(const double *p, int k, double target, uint8_t *rec) {
  int best = 1;
  double best_dist = INFINITY;
  bool all_below = true;
  for (int d = 1; d <= k; d++) {
    double dist = fabs(p[d - 1] - target);
    all_below = all_below && p[d - 1] < target;
    if (dist < best_dist) { /* strict: an exact tie keeps the lower dose */
      best_dist = dist;
      best = d;
    }
    /* Stated separately because for extreme a the p_d can round to one common value (0), where
     * the tie rule alone would pick dose 1. */
    rec[d - 1] = (uint8_t)(all_below ? d : best);
  }
}

int crm_recommend(const crm_spec *spec, double a, double target) {
  if (spec->k < 1)
    return spec->k;
  double p[DESIGN_MAX_DOSES];
  uint8_t rec[DESIGN_MAX_DOSES];
  for (int d = 1; d <= spec->k; d++)
    p[d - 1] = crm_dose_tox(spec->model, spec->skeleton[d - 1], spec->intercept, a);
  crm_recommend_each(p, spec->k, target, rec);
  return rec[spec->k - 1];
}

/* ---- the posterior --------------------------------------------------------------------------- */

/* The data and the model in the form the log posterior needs. */
typedef struct {
  crm_model model;
  int k;
  double coef[DESIGN_MAX_DOSES]; /* empiric: t_d = -ln s_d > 0; logistic: x_d = logit(s_d) - c */
  double c;
  double inv_var; /* 1 / prior_sd^2 */
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  int n_total; /* patients, the pending ones included */
  /* TITE-CRM's pending patients (crm_posterior_weighted): patient i at dose pend_dose[i] with
   * weight pend_w[i] < 1 adds ln(1 - w p_d(a)) (Cheung & Chappell 2000). */
  int m;
  const uint8_t *pend_dose;
  const double *pend_w;
} crm_lik;

/* lp(a) = log likelihood + log prior kernel. Terms are skipped when their count is 0 so that an
 * infinite log probability never meets a zero count (inf * 0). */
static double crm_log_post(const crm_lik *L, double a) {
  double e = exp(a);
  double s = -0.5 * a * a * L->inv_var;
  for (int d = 0; d < L->k; d++) {
    int n = L->n[d], y = L->y[d];
    if (n == 0)
      continue;
    if (L->model == CRM_EMPIRIC) {
      double u = e * L->coef[d]; /* -ln p_d(a) */
      if (y > 0)
        s -= y * u;
      if (n > y)
        s += (n - y) * log(-expm1(-u)); /* ln(1 - p), accurate for p near 0 and near 1 */
    } else {
      double eta = L->coef[d] == 0.0 ? L->c : L->c + e * L->coef[d];
      /* ln p = min(eta, 0) - t and ln(1 - p) = -max(eta, 0) - t, t = log(1 + e^-|eta|): one exp
       * and one log1p per dose, no overflow, and no inf - inf when eta is infinite. */
      double t = log1p(exp(-fabs(eta)));
      if (y > 0)
        s += y * (fmin(eta, 0.0) - t);
      if (n > y)
        s -= (n - y) * (fmax(eta, 0.0) + t);
    }
  }
  for (int i = 0; i < L->m; i++) {
    int d = L->pend_dose[i] - 1;
    double p;
    if (L->model == CRM_EMPIRIC) {
      p = exp(-e * L->coef[d]);
    } else {
      double eta = L->coef[d] == 0.0 ? L->c : L->c + e * L->coef[d];
      p = 1.0 / (1.0 + exp(-eta));
    }
    s += log1p(-L->pend_w[i] * p);
  }
  return s;
}

static void crm_lik_init(crm_lik *L, const crm_spec *spec, const int *n, const int *y) {
  memset(L, 0, sizeof *L);
  L->model = spec->model;
  L->k = spec->k;
  L->c = spec->intercept;
  L->inv_var = 1.0 / (spec->prior_sd * spec->prior_sd);
  for (int d = 0; d < spec->k; d++) {
    double s = spec->skeleton[d];
    L->coef[d] = spec->model == CRM_EMPIRIC ? -log(s) : crm_logit(s) - spec->intercept;
    L->n[d] = n[d];
    L->y[d] = y[d];
    L->n_total += n[d];
  }
}

/* The posterior after steps 1-3 of the header comment. */
typedef struct {
  double lo, hi;  /* the bracket holding all of the posterior that matters */
  double scale;   /* the largest lp seen on the scan; integrands are exp(lp - scale) */
  double tau_min; /* no mode is narrower than this */
  double strip;   /* half-width of the strip |Im a| < strip where exp(lp) is analytic and tame */
  double z;       /* integral of exp(lp - scale) over [lo, hi] */
  double mean;    /* posterior mean of a */
} crm_fit;

/* sup over w > 0 of w^2 q(1 - q) with q = expit(c - w), i.e. w^2 / (4 cosh^2((w - c)/2)): the
 * logistic model's per-patient curvature bound (x_d < 0 with intercept c; x_d > 0 is the same
 * with -c). The log of it has derivative 2/w - tanh((w - c)/2), strictly decreasing, positive
 * near 0 and negative at |c| + 4 (2/w <= 1/2 < tanh(2)): bisection finds the maximiser. */
static double crm_logistic_curvature(double c) {
  double lo = 0.0, hi = fabs(c) + 4.0;
  for (int i = 0; i < 60; i++) {
    double mid = 0.5 * (lo + hi);
    if (2.0 / mid > tanh(0.5 * (mid - c)))
      lo = mid;
    else
      hi = mid;
  }
  double w = 0.5 * (lo + hi), ch = cosh(0.5 * (w - c));
  return w * w / (4.0 * ch * ch);
}

static void crm_scan(const crm_lik *L, double prior_sd, crm_fit *f) {
  double b = prior_sd * sqrt(2.0 * (CRM_TAIL_NATS + 5.0 - crm_log_post(L, 0.0)));
  double per_patient = 1.0;
  if (L->model == CRM_LOGISTIC && L->n_total > 0)
    per_patient = fmax(crm_logistic_curvature(L->c), crm_logistic_curvature(-L->c));
  f->tau_min = 1.0 / sqrt((b + 1.0) * L->inv_var + L->n_total * per_patient);
  /* Off the real axis: past |Im a| = pi/2, Re(exp(a)) < 0 and exp(-exp(a) t) grows
   * double-exponentially (empiric); the logistic likelihood has poles where c + exp(a) x = i pi,
   * at |Im a| = atan2(pi, |c|) (x < 0) or more (x > 0). */
  f->strip = CRM_PI / 2.0;
  if (L->model == CRM_LOGISTIC)
    f->strip = fmin(f->strip, atan2(CRM_PI, fabs(L->c)));

  long m = (long)ceil(2.0 * b / (CRM_SCAN_SPACING * f->tau_min));
  if (m < 8)
    m = 8;
  if (m > CRM_MAX_SCAN)
    m = CRM_MAX_SCAN;
  double best = -INFINITY;
  long arg_best = -1, last = -1;
  for (long i = 0; i <= m; i++) {
    double v = crm_log_post(L, -b + 2.0 * b * (double)i / (double)m);
    if (v > best) {
      best = v;
      arg_best = i;
    }
    /* From the maximum on, `best` is final, so this ends as the last point within T of it. */
    if (v >= best - CRM_TAIL_NATS)
      last = i;
  }
  f->scale = best;
  long first = 0;
  if (arg_best < 0) { /* lp is -inf everywhere (cannot happen for s_d in (0,1)); keep the prior */
    last = m;
    f->scale = 0.0;
  } else { /* the first point within T of the maximum: walk again from the left */
    while (first < arg_best &&
           crm_log_post(L, -b + 2.0 * b * (double)first / (double)m) < best - CRM_TAIL_NATS)
      first++;
  }
  first = first > 0 ? first - 1 : 0;
  last = last < m ? last + 1 : m;
  f->lo = -b + 2.0 * b * (double)first / (double)m;
  f->hi = -b + 2.0 * b * (double)last / (double)m;
}

/* Step 3: trapezoid rule on [lo, hi], halving the spacing until two levels agree. */
static void crm_trapezoid(const crm_lik *L, crm_fit *f) {
  double width = f->hi - f->lo;
  /* The error of spacing h is about exp(-2 pi d / h) for strip half-width d: 2 pi d / 30 makes
   * the first level accurate to ~1e-13 already, so the second one usually only confirms it. */
  double h = fmin(CRM_TRAP_START * f->tau_min, 2.0 * CRM_PI * f->strip / 30.0);
  long m = (long)ceil(width / h);
  if (m < 16)
    m = 16;
  if (m > CRM_MAX_START)
    m = CRM_MAX_START;
  double r0 = 0.0, r1 = 0.0; /* sums of f and a f with the trapezoid's end weights 1/2 */
  for (long i = 0; i <= m; i++) {
    double a = f->lo + width * (double)i / (double)m;
    double v = exp(crm_log_post(L, a) - f->scale);
    double w = (i == 0 || i == m) ? 0.5 : 1.0;
    r0 += w * v;
    r1 += w * a * v;
  }
  double z = r0 * width / (double)m, mean = r1 / r0;
  for (int level = 1; level <= CRM_MAX_LEVELS; level++) {
    for (long i = 0; i < m; i++) { /* the midpoints of the current grid */
      double a = f->lo + width * ((double)i + 0.5) / (double)m;
      double v = exp(crm_log_post(L, a) - f->scale);
      r0 += v;
      r1 += a * v;
    }
    m *= 2;
    double z2 = r0 * width / (double)m, mean2 = r1 / r0;
    bool done = fabs(z2 - z) <= CRM_TOL * z2 && fabs(mean2 - mean) <= CRM_TOL * (1.0 + fabs(mean2));
    z = z2;
    mean = mean2;
    if (done)
      break;
  }
  f->z = z;
  f->mean = r0 > 0.0 ? mean : 0.0; /* r0 = 0 only if lp were -inf everywhere: keep the prior's */
}

/* Integral of exp(lp - scale) over [a, b] by composite Gauss-Legendre on `panels` panels. */
static double crm_gl_sum(const crm_lik *L, double scale, double a, double b, long panels,
                         const double *x, const double *w) {
  double half = (b - a) / (2.0 * (double)panels), sum = 0.0;
  for (long p = 0; p < panels; p++) {
    double mid = a + (2.0 * (double)p + 1.0) * half;
    for (int j = 0; j < CRM_GL_POINTS; j++)
      sum += w[j] * exp(crm_log_post(L, mid + half * x[j]) - scale);
  }
  return sum * half;
}

/* Step 4: P(p_dose(a) > target | data) from a fitted posterior. */
static double crm_prob_tox(const crm_lik *L, const crm_fit *f, int dose, double target) {
  /* The set {a : p_dose(a) > target} is empty, everything, or a half-line at a_star. */
  bool below; /* the set is a < a_star (otherwise a > a_star) */
  double a_star;
  double co = L->coef[dose - 1];
  if (L->model == CRM_EMPIRIC) { /* exp(-e^a t) > target <=> e^a < -ln(target) / t */
    below = true;
    a_star = log(-log(target) / co);
  } else { /* c + e^a x > logit(target) <=> e^a x > g */
    double g = crm_logit(target) - L->c;
    if (co == 0.0)
      return g < 0.0 ? 1.0 : 0.0;
    if (co < 0.0 && g >= 0.0)
      return 0.0;
    if (co > 0.0 && g <= 0.0)
      return 1.0;
    below = co < 0.0;
    a_star = log(g / co);
  }
  if (!(f->z > 0.0)) /* see crm_trapezoid: cannot happen for a valid spec */
    return 0.0;
  if (a_star <= f->lo)
    return below ? 0.0 : 1.0;
  if (a_star >= f->hi)
    return below ? 1.0 : 0.0;

  double x[CRM_GL_POINTS], w[CRM_GL_POINTS];
  gauss_legendre(CRM_GL_POINTS, x, w);
  double a = below ? f->lo : a_star, b = below ? a_star : f->hi;
  /* A panel of half-width r sees the strip as a Bernstein ellipse of parameter about d/r +
   * sqrt(1 + (d/r)^2) (4.2 at r = d/2), and 10 points then err by its -20th power (~3e-13). */
  long panels = (long)ceil((b - a) / fmin(CRM_GL_START * f->tau_min, f->strip));
  if (panels < 1)
    panels = 1;
  double g = crm_gl_sum(L, f->scale, a, b, panels, x, w);
  while (2 * panels <= CRM_MAX_GL_PANELS) {
    panels *= 2;
    double g2 = crm_gl_sum(L, f->scale, a, b, panels, x, w);
    bool done = fabs(g2 - g) <= CRM_TOL * f->z;
    g = g2;
    if (done)
      break;
  }
  double p = g / f->z;
  return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

void crm_posterior(const crm_spec *spec, const int *n, const int *y, int dose, double target,
                   double *mean, double *prob_tox) {
  crm_lik L;
  crm_lik_init(&L, spec, n, y);
  crm_fit f;
  crm_scan(&L, spec->prior_sd, &f);
  crm_trapezoid(&L, &f);
  *mean = f.mean;
  if (prob_tox != NULL)
    *prob_tox = crm_prob_tox(&L, &f, dose, target);
}

/* The weighted likelihood is a mixture of complete-data ones: each pending factor
 * 1 - w p = (1 - w) + w (1 - p), so the product over pending patients is a positive combination,
 * over the subsets S of them, of the likelihoods in which S's patients had no DLT and the others
 * were never treated. Each has at most n_total patients, so the bounds of steps 1 and 2 (the
 * likelihood at most 1; no mode narrower than tau_min for n_total patients) hold for every
 * component, and the trapezoid and Gauss-Legendre rules, linear in the integrand, err on the
 * mixture by at most what they err on its components: the same accuracy as crm_posterior. */
void crm_posterior_weighted(const crm_spec *spec, const int *n, const int *y, int m,
                            const uint8_t *pend_dose, const double *pend_w, int dose, double target,
                            double *mean, double *prob_tox) {
  crm_lik L;
  crm_lik_init(&L, spec, n, y);
  L.m = m;
  L.pend_dose = pend_dose;
  L.pend_w = pend_w;
  L.n_total += m;
  crm_fit f;
  crm_scan(&L, spec->prior_sd, &f);
  crm_trapezoid(&L, &f);
  *mean = f.mean;
  if (prob_tox != NULL)
    *prob_tox = crm_prob_tox(&L, &f, dose, target);
}

double crm_posterior_mean(const crm_spec *spec, const int *n, const int *y) {
  double mean;
  crm_posterior(spec, n, y, 1, 0.5, &mean, NULL);
  return mean;
}

double crm_posterior_prob_tox(const crm_spec *spec, const int *n, const int *y, int dose,
                              double target) {
  double mean, p;
  crm_posterior(spec, n, y, dose, target, &mean, &p);
  return p;
}

/* ---- the fixed rule (crm.h) ------------------------------------------------------------------
 *
 * The same integrals as the adaptive rule above, at points fixed when the design is configured:
 * a data set costs a short dot product per point and one exp, no log and no pow.
 *  Tables. A uniform grid a_j = (j - mid) h over [-A, A], A = sd sqrt(2 (T + 5) + n_max), and
 *     10-point Gauss-Legendre panels of width w0 tiling [-A, A] outwards from the threshold a*
 *     (step 4); per node the log prior and each dose's ln p_d, ln(1 - p_d), so that lp at a node
 *     is that row times the counts. h = tau_min / 2 and w0 = 2 tau_min for n_max patients and a
 *     bracket of A (tau_min as in step 2 of the adaptive rule).
 *  1. Bracket. As step 1 above, tighter: the likelihood is at most the saturated one, e^l_sat
 *     (each dose at its own y/n), and lp's maximum is at least lp at 7 probe nodes, so every a
 *     with lp(a) > max - T lies in [-b, b], b = sd sqrt(2 (T + 5 + l_sat - max over probes)).
 *     Counts with b > A, or so many patients that tau_min < 2 h, get no answer and the caller
 *     uses crm_posterior (of the 7.2 million fits of bench/crm_8x60.yaml, 9 went there, for
 *     this or for the design's guard).
 *  2. Window. Empiric: the log posterior is strictly concave, so its top is found by bisection
 *     and the window runs outwards from it until lp is e^-40 below (crm_rule_window_concave).
 *     Logistic (perhaps two modes): step 2 of the adaptive rule, a scan at 3 tau_min.
 *  3. Integral. The trapezoid rule on every s-th node of the window, s the largest whole number
 *     with s h <= tau_min / 2. For a normal shape of sd tau, spacing h errs by about
 *     2 exp(-2 pi^2 tau^2 / h^2) (Trefethen & Weideman 2014, SIAM Review 56:385-458, section 5):
 *     1e-34 at h = tau / 2; the strip bound of step 3 above is smaller still at these spacings.
 *     Both ends of the window are below e^-40 of the peak, so all weights are 1.
 *  4. Tail probability. {p_dose > target} is a half-line at a* (crm_prob_tox), and the panels
 *     start there: the integral over the side of a* that is shorter inside the window, over
 *     step 3's, is the probability or its complement. Ten points on a panel of 2 tau integrate a
 *     normal shape of sd tau to 2e-15 (the composite rule over every offset of the centre; the
 *     Bernstein-ellipse bound, Trefethen 2013, Approximation Theory and Approximation Practice,
 *     thm 19.3, is of the same kind). When the caller only compares the probability with a
 *     threshold, bounds from the grid's own values (crm_rule_below_bounds) usually settle it
 *     first, and the panels are not needed.
 * At 60 patients: about 20 dot products for the bracket and the bisection, 60 in the window and,
 * when the tail is integrated, 70 on panels; 7 to 10 terms each. tests/test_crm.c compares the
 * mean and the probability with crm_posterior on random data and on whole trial graphs. */
#define CRM_RULE_H 0.5      /* grid spacing in units of tau_min */
#define CRM_RULE_W 2.0      /* Gauss-Legendre panel width in units of tau_min */
#define CRM_RULE_NODES 4096 /* at most this many grid nodes */
#define CRM_RULE_SKIP 40.0  /* integrand values below e^-40 of the maximum are left out */

enum { CRM_RULE_TAIL_ZERO, CRM_RULE_TAIL_ONE, CRM_RULE_TAIL_BELOW, CRM_RULE_TAIL_ABOVE };

/* One node's row: the log prior kernel, then each dose's ln p_d(a) and ln(1 - p_d(a)) by the
 * formulas of crm_log_post; the empiric model's ln p_d = -t_d e^a share one entry, -e^a, whose
 * weight is sum_d y_d t_d. A rule for pending patients (r->pending) adds each dose's p_d(a) (at
 * p_at) and the slope of ln(1 - p_d(a)) in a (at g_at): empiric u / (e^u - 1) with u = t_d e^a,
 * logistic -p_d e^a x_d. False if a value is not finite (an a so far out that e^a over- or
 * underflows: such a table is not used). */
static bool crm_rule_row(const crm_rule *r, const crm_lik *L, double a, double *row) {
  double e = exp(a);
  row[0] = -0.5 * a * a * L->inv_var;
  bool finite = isfinite(row[0]);
  int lq_at = L->model == CRM_EMPIRIC ? 2 : 1 + L->k;
  if (L->model == CRM_EMPIRIC)
    row[1] = -e;
  for (int d = 0; d < L->k; d++) {
    double lp, lq;
    if (L->model == CRM_EMPIRIC) {
      double u = e * L->coef[d];
      lp = -u;
      lq = log(-expm1(-u));
    } else {
      double eta = L->coef[d] == 0.0 ? L->c : L->c + e * L->coef[d];
      double t = log1p(exp(-fabs(eta)));
      lp = fmin(eta, 0.0) - t;
      row[1 + d] = lp;
      lq = -fmax(eta, 0.0) - t;
    }
    row[lq_at + d] = lq;
    finite = finite && isfinite(lp) && isfinite(lq);
    if (r->pending) {
      double u = e * L->coef[d];
      row[r->p_at + d] = exp(lp);
      row[r->g_at + d] = L->model == CRM_EMPIRIC ? u / expm1(u) : -exp(lp) * u;
      finite = finite && isfinite(row[r->g_at + d]);
    }
  }
  return finite;
}

/* The grid and panels for data of up to n patients: false if they do not fit the table. */
static bool crm_rule_layout(crm_rule *r, int n) {
  double a_max = r->sd * sqrt(2.0 * (CRM_TAIL_NATS + 5.0) + n);
  double tau = 1.0 / sqrt((a_max + 1.0) * r->inv_var + n * r->per_patient);
  r->n_max = n;
  r->reach = a_max;
  /* a rule for pending patients steps through the grid more finely (crm_rule_weighted_concave) */
  r->h = (r->pending ? 0.5 * CRM_RULE_H : CRM_RULE_H) * tau;
  r->mid = (int)ceil(a_max / r->h);
  r->m = 2 * r->mid + 1;
  static const double probes[CRM_RULE_PROBES] = {0.0, -1.0, 1.0, -2.0, 2.0, -4.0, 4.0};
  for (int i = 0; i < CRM_RULE_PROBES; i++) {
    int j = r->mid + (int)lround(probes[i] * r->sd / r->h);
    r->probe[i] = j < 0 ? 0 : j >= r->m ? r->m - 1 : j;
  }
  r->w0 = CRM_RULE_W * tau;
  r->panels_left = r->panels_right = 0;
  double half = r->mid * r->h;
  if (r->tail >= CRM_RULE_TAIL_BELOW && fabs(r->a_star) < half) {
    r->panels_left = (int)ceil((r->a_star + half) / r->w0);
    r->panels_right = (int)ceil((half - r->a_star) / r->w0);
  }
  r->gl_at = (size_t)r->m * (size_t)r->stride;
  size_t need =
      r->gl_at + (size_t)(r->panels_left + r->panels_right) * CRM_RULE_GL * (size_t)r->stride;
  return r->m <= CRM_RULE_NODES && need <= CRM_RULE_DOUBLES;
}

/* The a of point q of panel i on one side of a* (left: below it). */
static double crm_rule_panel_node(const crm_rule *r, bool left, int i, int q) {
  double centre = (i + 0.5) * r->w0;
  return left ? r->a_star - centre - 0.5 * r->w0 * r->gl_x[q]
              : r->a_star + centre + 0.5 * r->w0 * r->gl_x[q];
}

static bool crm_rule_fill(crm_rule *r, const crm_lik *L) {
  bool ok = true;
  for (int j = 0; j < r->m && ok; j++)
    ok = crm_rule_row(r, L, (j - r->mid) * r->h, r->table + (size_t)j * (size_t)r->stride);
  double *row = r->table + r->gl_at;
  for (int side = 0; side < 2 && ok; side++) {
    int panels = side == 0 ? r->panels_left : r->panels_right;
    for (int i = 0; i < panels && ok; i++)
      for (int q = 0; q < CRM_RULE_GL && ok; q++, row += r->stride)
        ok = crm_rule_row(r, L, crm_rule_panel_node(r, side == 0, i, q), row);
  }
  return ok;
}

static void crm_rule_setup(crm_rule *r, const crm_spec *spec, int n_max, int dose, double target,
                           bool pending) {
  memset(r, 0, sizeof *r);
  int zeros[DESIGN_MAX_DOSES] = {0};
  crm_lik L;
  crm_lik_init(&L, spec, zeros, zeros);
  r->model = spec->model;
  r->k = spec->k;
  r->stride = spec->model == CRM_EMPIRIC ? 2 + spec->k : 1 + 2 * spec->k;
  r->pending = pending;
  if (pending) {
    r->p_at = r->stride;
    r->g_at = r->stride + spec->k;
    r->stride += 2 * spec->k;
  }
  r->sd = spec->prior_sd;
  r->inv_var = L.inv_var;
  for (int d = 0; d < spec->k; d++)
    r->t[d] = L.coef[d];
  r->per_patient = 1.0;
  if (spec->model == CRM_LOGISTIC)
    r->per_patient = fmax(crm_logistic_curvature(L.c), crm_logistic_curvature(-L.c));
  for (int x = 1; x <= DESIGN_MAX_N; x++)
    r->xlogx[x] = x * log((double)x);
  /* The threshold, as in crm_prob_tox. */
  double co = L.coef[dose - 1];
  if (spec->model == CRM_EMPIRIC) {
    r->tail = CRM_RULE_TAIL_BELOW;
    r->a_star = log(-log(target) / co);
  } else {
    double g = crm_logit(target) - L.c;
    if (co == 0.0)
      r->tail = g < 0.0 ? CRM_RULE_TAIL_ONE : CRM_RULE_TAIL_ZERO;
    else if (co < 0.0 && g >= 0.0)
      r->tail = CRM_RULE_TAIL_ZERO;
    else if (co > 0.0 && g <= 0.0)
      r->tail = CRM_RULE_TAIL_ONE;
    else
      r->tail = co < 0.0 ? CRM_RULE_TAIL_BELOW : CRM_RULE_TAIL_ABOVE;
    if (r->tail >= CRM_RULE_TAIL_BELOW)
      r->a_star = log(g / co);
  }
  gauss_legendre(CRM_RULE_GL, r->gl_x, r->gl_w);
  crm_exp_table(r->exp_tab);
  /* The largest n_max whose tables fit, halving from the design's. */
  for (int n = n_max; n >= 1 && !r->on; n /= 2)
    r->on = crm_rule_layout(r, n) && crm_rule_fill(r, &L);
}

void crm_exp_table(double *tab) {
  for (int i = 0; i < CRM_EXP_N; i++)
    tab[i] = exp2((double)i / CRM_EXP_N);
}

void crm_rule_init(crm_rule *r, const crm_spec *spec, int n_max, int dose, double target) {
  crm_rule_setup(r, spec, n_max, dose, target, false);
}

void crm_rule_init_weighted(crm_rule *r, const crm_spec *spec, int n_max, int dose, double target) {
  crm_rule_setup(r, spec, n_max, dose, target, true);
}

/* lp at a tabulated node: its row dotted with the counts' weights. */
/* The counts as weights on a row's entries, zeros left out: the prior with weight 1, ln p_d with
 * y_d, ln(1 - p_d) with n_d - y_d. */
typedef struct {
  int count;
  int at[1 + 2 * DESIGN_MAX_DOSES];
  double w[1 + 2 * DESIGN_MAX_DOSES];
} crm_rule_weights;

/* lp at a tabulated node: the row's entries times their weights (in two sums, which halves the
 * chain of dependent additions). */
static double crm_rule_lp(const crm_rule_weights *w, const double *row) {
  double s0 = 0.0, s1 = 0.0;
  int i = 0;
  for (; i + 1 < w->count; i += 2) {
    s0 += w->w[i] * row[w->at[i]];
    s1 += w->w[i + 1] * row[w->at[i + 1]];
  }
  if (i < w->count)
    s0 += w->w[i] * row[w->at[i]];
  return s0 + s1;
}

/* The counts as the rule reads them, and the bracket of step 1 on the grid: positions
 * i = 0..last are the nodes j0 + i step, step the trapezoid's spacing in nodes. */
typedef struct {
  crm_rule_weights w;
  int n_total;
  double b, tau;
  int j0, step, last;
  int m;                   /* pending patients (crm_rule_posterior_weighted); 0 for complete data */
  int p_col[DESIGN_MAX_N]; /* pending patient i: the column of p_d for their dose */
  double pw[DESIGN_MAX_N]; /* and their weight w_i in (0, 1) */
  double pt[DESIGN_MAX_N]; /* and t_d of their dose (empiric) */
} crm_rule_data;

/* lp at a tabulated node: the counts' part, then each pending patient's ln(1 - w p_d) as the log
 * of one product (the factors lie in [1 - w, 1], so the product underflows only past about 700
 * nats, where the node is far outside any window). With no pending patient it is crm_rule_lp. */
static double crm_rule_lp_full(const crm_rule_data *D, const double *row) {
  double lp = crm_rule_lp(&D->w, row);
  if (D->m == 0)
    return lp;
  double prod = 1.0;
  for (int i = 0; i < D->m; i++)
    prod *= 1.0 - D->pw[i] * row[D->p_col[i]];
  return lp + log(prod);
}

/* The window of step 2 (positions lo..hi, top the one with the largest lp, best that lp) and, at
 * those positions, lp and then the integrand exp(lp - best). */
typedef struct {
  int lo, hi, top;
  double best;
  double v[CRM_RULE_NODES];
} crm_rule_window;

static const double *crm_rule_row_at(const crm_rule *r, int j) {
  return r->table + (size_t)j * (size_t)r->stride;
}

static double crm_rule_lp_at(const crm_rule *r, const crm_rule_data *D, int i) {
  return crm_rule_lp_full(D, crm_rule_row_at(r, D->j0 + i * D->step));
}

static double crm_rule_a_at(const crm_rule *r, const crm_rule_data *D, int i) {
  return (D->j0 + i * D->step - r->mid) * r->h;
}

/* The counts as weights on a row (D->w), the number of patients with the D->m pending ones
 * (D->n_total), and the saturated log likelihood of the counts, which the return value is (the
 * pending factors are at most 1, so it bounds the whole likelihood too). */
static double crm_rule_counts(const crm_rule *r, const int *n, const int *y, crm_rule_data *D) {
  crm_rule_weights *w = &D->w;
  w->count = 1;
  w->at[0] = 0;
  w->w[0] = 1.0;
  D->n_total = D->m;
  double l_sat = 0.0;
  bool empiric = r->model == CRM_EMPIRIC;
  double dlt = 0.0; /* empiric: sum_d y_d t_d, the weight of -e^a */
  if (empiric) {
    w->at[w->count] = 1;
    w->w[w->count++] = 0.0;
  }
  for (int d = 0; d < r->k; d++) {
    if (y[d] > 0 && empiric) {
      dlt += y[d] * r->t[d];
    } else if (y[d] > 0) {
      w->at[w->count] = 1 + d;
      w->w[w->count++] = y[d];
    }
    if (n[d] > y[d]) {
      w->at[w->count] = (empiric ? 2 : 1 + r->k) + d;
      w->w[w->count++] = n[d] - y[d];
    }
    D->n_total += n[d];
    l_sat += r->xlogx[y[d]] + r->xlogx[n[d] - y[d]] - r->xlogx[n[d]];
  }
  if (empiric)
    w->w[1] = dlt;
  return l_sat;
}

/* b from the saturated log likelihood and a lower bound `probe` of lp's maximum, tau_min for b
 * and n_total patients, and the trapezoid's step: the largest whole number of nodes within
 * `spacing` tau_min. False if the grid does not cover b or is too coarse for that spacing. */
static bool crm_rule_reach(const crm_rule *r, crm_rule_data *D, double l_sat, double probe,
                           double spacing) {
  D->b = r->sd * sqrt(2.0 * (CRM_TAIL_NATS + 5.0 + l_sat - probe));
  if (!(D->b <= r->reach))
    return false;
  D->tau = 1.0 / sqrt((D->b + 1.0) * r->inv_var + D->n_total * r->per_patient);
  /* the factor keeps an exact 1 from rounding down to 0 */
  D->step = (int)(spacing * D->tau / r->h * (1.0 + 1e-12));
  return D->step >= 1;
}

/* Step 1 with a tighter bracket: the likelihood is at most the saturated one, exp(l_sat), and
 * lp's maximum is at least its largest value at a few probes, so every a with lp(a) > max - T
 * lies in [-b, b], b = sd sqrt(2 (T + 5 + l_sat - probe)). False if the grid does not cover b
 * or is too coarse for tau_min. D->m and the pending patients are set by the caller. */
static bool crm_rule_bracket(const crm_rule *r, const int *n, const int *y, crm_rule_data *D) {
  double l_sat = crm_rule_counts(r, n, y, D), probe = -INFINITY;
  for (int i = 0; i < CRM_RULE_PROBES; i++)
    probe = fmax(probe, crm_rule_lp_full(D, crm_rule_row_at(r, r->probe[i])));
  if (!crm_rule_reach(r, D, l_sat, probe, CRM_RULE_H))
    return false;
  int reach = (int)(D->b / r->h);
  D->j0 = r->mid - reach;
  D->last = 2 * reach / (D->step > 0 ? D->step : 1);
  return D->step >= 1;
}

/* Step 2 for the empiric model, whose log posterior is strictly concave in a (each dose's
 * log-likelihood is: -y u and (n - y) ln(1 - e^-u) with u = e^a t_d, the latter's second
 * derivative (n - y) u (e^u - 1 - u e^u) / (e^u - 1)^2 < 0): the largest lp by bisection on the
 * sign of lp(i + 1) - lp(i), then outwards until lp falls below best - CRM_RULE_SKIP, past which
 * it only falls (the rest adds below 1e-16: lp falls at least linearly there). */
static void crm_rule_window_concave(const crm_rule *r, const crm_rule_data *D, crm_rule_window *W) {
  int a = 0, b = D->last;
  while (b - a > 2) {
    int m = a + (b - a) / 2;
    if (crm_rule_lp_at(r, D, m) < crm_rule_lp_at(r, D, m + 1))
      a = m + 1;
    else
      b = m;
  }
  W->top = a;
  W->best = crm_rule_lp_at(r, D, a);
  for (int i = a + 1; i <= b; i++) {
    double v = crm_rule_lp_at(r, D, i);
    if (v > W->best) {
      W->best = v;
      W->top = i;
    }
  }
  W->v[W->top] = W->best;
  W->lo = W->hi = W->top;
  while (W->lo > 0 && W->v[W->lo] >= W->best - CRM_RULE_SKIP) {
    W->lo--;
    W->v[W->lo] = crm_rule_lp_at(r, D, W->lo);
  }
  while (W->hi < D->last && W->v[W->hi] >= W->best - CRM_RULE_SKIP) {
    W->hi++;
    W->v[W->hi] = crm_rule_lp_at(r, D, W->hi);
  }
}

/* Step 2 for the logistic model, which may have two modes: the scan of the adaptive rule (grid
 * nodes about 3 tau_min apart over [-b, b]), then lp at every position of the bracket it gives. */
static void crm_rule_window_scan(const crm_rule *r, const crm_rule_data *D, crm_rule_window *W) {
  int j1 = D->j0 + D->last * D->step;
  int scan = (int)(CRM_SCAN_SPACING * D->tau / r->h);
  if (scan > (j1 - D->j0) / 8)
    scan = (j1 - D->j0) / 8;
  if (scan < 1)
    scan = 1;
  int count = 0, arg_best = 0, last = 0;
  double best = -INFINITY;
  for (int j = D->j0; j <= j1; j += scan, count++) {
    double v = W->v[count] = crm_rule_lp_full(D, crm_rule_row_at(r, j));
    if (v > best) {
      best = v;
      arg_best = count;
    }
    if (v >= best - CRM_TAIL_NATS)
      last = count;
  }
  int first = 0;
  while (first < arg_best && W->v[first] < best - CRM_TAIL_NATS)
    first++;
  int lo = (first > 0 ? first - 1 : 0) * scan,
      hi = (last < count - 1 ? last + 1 : count - 1) * scan;
  W->lo = lo / D->step;
  W->hi = (hi + D->step - 1) / D->step;
  if (W->hi > D->last)
    W->hi = D->last;
  W->best = -INFINITY;
  W->top = W->lo;
  for (int i = W->lo; i <= W->hi; i++) {
    double v = W->v[i] = crm_rule_lp_at(r, D, i);
    if (v > W->best) {
      W->best = v;
      W->top = i;
    }
  }
}

/* Step 4 by Gauss-Legendre: P(a < a*) from the panels on the shorter side of a* in the window;
 * z is the integral of exp(lp - best) (step 3). False if the panels do not reach. */
static bool crm_rule_below_gl(const crm_rule *r, const crm_rule_data *D, const crm_rule_window *W,
                              double z, double *below) {
  double a_lo = crm_rule_a_at(r, D, W->lo), a_hi = crm_rule_a_at(r, D, W->hi);
  if (r->a_star <= a_lo || r->a_star >= a_hi) {
    *below = r->a_star <= a_lo ? 0.0 : 1.0;
    return true;
  }
  bool left = r->a_star - a_lo <= a_hi - r->a_star;
  int panels = (int)ceil((left ? r->a_star - a_lo : a_hi - r->a_star) / r->w0);
  if (panels > (left ? r->panels_left : r->panels_right))
    return false;
  const double *row =
      r->table + r->gl_at + (left ? 0 : (size_t)r->panels_left * CRM_RULE_GL * (size_t)r->stride);
  double g = 0.0;
  for (int i = 0; i < panels; i++)
    for (int q = 0; q < CRM_RULE_GL; q++, row += r->stride) {
      double v = crm_rule_lp_full(D, row) - W->best;
      if (v >= -CRM_RULE_SKIP)
        g += r->gl_w[q] * exp(v);
    }
  double part = g * 0.5 * r->w0 / z;
  *below = left ? part : 1.0 - part;
  return true;
}

/* Where a* falls among the window's positions: *pos its position (fractional), *J the last
 * position with a_J < a*, *s the spacing. With a* outside the window the tail probability is
 * settled at once, within `slack` of 0 or 1, and this returns true with *lo and *hi set. */
static bool crm_rule_cut_outside(const crm_rule *r, const crm_rule_data *D,
                                 const crm_rule_window *W, double slack, double *s, double *pos,
                                 int *J, double *lo, double *hi) {
  *s = D->step * r->h;
  *pos = ((r->a_star / r->h + r->mid) - D->j0) / D->step;
  *J = (int)ceil(*pos) - 1;
  if (*J >= W->lo && *J < W->hi)
    return false;
  *lo = *J < W->lo ? 0.0 : 1.0 - slack;
  *hi = *J < W->lo ? slack : 1.0;
  return true;
}

/* Step 4 without new points, for a unimodal posterior (the empiric model's) and a* off its top:
 * there the integrand is monotone between nodes, so each interval's integral lies between h
 * times its two end values. With J the last position below a* (f its integrand values, s the
 * spacing, S the sum of f over positions <= J): if f increases up to position J + 1,
 *   s (S - f_J) + (a* - a_J) f_J <= integral below a* <= s S + (a* - a_J) f_(J+1),
 * and the mirror image above a* if f decreases from position J on. Both are divided by step 3's
 * integral and widened by 1e-12 for what the window and the skipped nodes leave out (under
 * 1e-15). False when a* is too near the top. */
static bool crm_rule_below_bounds(const crm_rule *r, const crm_rule_data *D,
                                  const crm_rule_window *W, double sum, double *lo, double *hi) {
  const double slack = 1e-12;
  double s, pos;
  int J; /* the last position with a_J < a* */
  if (crm_rule_cut_outside(r, D, W, slack, &s, &pos, &J, lo, hi))
    return true;
  double below = 0.0;
  for (int i = W->lo; i <= J; i++)
    below += W->v[i];
  double fj = W->v[J], fj1 = W->v[J + 1], a_j = crm_rule_a_at(r, D, J), z = s * sum;
  if (J + 1 <= W->top - 1) {
    *lo = (s * (below - fj) + (r->a_star - a_j) * fj) / z - slack;
    *hi = (s * below + (r->a_star - a_j) * fj1) / z + slack;
  } else if (J >= W->top + 1) {
    double above = sum - below, a_j1 = crm_rule_a_at(r, D, J + 1);
    *lo = 1.0 - (s * above + (a_j1 - r->a_star) * fj) / z - slack;
    *hi = 1.0 - (s * (above - fj1) + (a_j1 - r->a_star) * fj1) / z + slack;
  } else {
    return false;
  }
  return true;
}

/* Step 4 on a window whose W->v hold the integrand, r0 its sum: P(a < a*), then
 * P(p_dose > target) from it, into [*p_lo, *p_hi] as crm_rule_posterior says. `unimodal`: the
 * integrand rises to W->top and falls after it, so that crm_rule_below_bounds applies. */
static bool crm_rule_tail(const crm_rule *r, const crm_rule_data *D, const crm_rule_window *W,
                          double r0, bool unimodal, double threshold, double margin, double *p_lo,
                          double *p_hi) {
  double lo, hi, below;
  if (r->tail < CRM_RULE_TAIL_BELOW) {
    lo = hi = r->tail == CRM_RULE_TAIL_ONE ? 1.0 : 0.0;
  } else {
    bool settled = unimodal && !isnan(threshold) && crm_rule_below_bounds(r, D, W, r0, &lo, &hi);
    if (settled && r->tail == CRM_RULE_TAIL_ABOVE) {
      double t = lo;
      lo = 1.0 - hi;
      hi = 1.0 - t;
    }
    settled = settled && (hi < threshold - margin || lo > threshold + margin);
    if (!settled) {
      if (!crm_rule_below_gl(r, D, W, r0 * D->step * r->h, &below))
        return false;
      lo = hi = r->tail == CRM_RULE_TAIL_BELOW ? below : 1.0 - below;
    }
  }
  *p_lo = lo < 0.0 ? 0.0 : lo > 1.0 ? 1.0 : lo;
  *p_hi = hi < 0.0 ? 0.0 : hi > 1.0 ? 1.0 : hi;
  return true;
}

/* Steps 1 to 4 on D (its pending patients set): the empiric model by bisection (its log
 * posterior then concave), else by the scan. */
static bool crm_rule_solve(const crm_rule *r, const int *n, const int *y, crm_rule_data *D,
                           bool concave, double threshold, double margin, double *mean,
                           double *p_lo, double *p_hi) {
  if (!crm_rule_bracket(r, n, y, D))
    return false;
  crm_rule_window W;
  if (concave)
    crm_rule_window_concave(r, D, &W);
  else
    crm_rule_window_scan(r, D, &W);

  /* Step 3: integrands exp(lp - best) <= 1; a node below e^-CRM_RULE_SKIP adds under 5e-18 of
   * the sum, which is at least 1. */
  double r0 = 0.0, r1 = 0.0;
  for (int i = W.lo; i <= W.hi; i++) {
    double v = W.v[i] - W.best;
    W.v[i] = v < -CRM_RULE_SKIP ? 0.0 : exp(v);
    r0 += W.v[i];
    r1 += crm_rule_a_at(r, D, i) * W.v[i];
  }
  if (!(r0 > 0.0))
    return false;
  *mean = r1 / r0;
  if (p_lo == NULL)
    return true;
  return crm_rule_tail(r, D, &W, r0, concave, threshold, margin, p_lo, p_hi);
}

bool crm_rule_posterior(const crm_rule *r, const int *n, const int *y, double threshold,
                        double margin, double *mean, double *p_lo, double *p_hi) {
  if (r->pending) /* TITE-CRM's rule: its faster way serves complete data too */
    return crm_rule_posterior_weighted(r, n, y, 0, NULL, NULL, threshold, margin, mean, p_lo, p_hi);
  crm_rule_data D;
  D.m = 0;
  if (!r->on)
    return false;
  return crm_rule_solve(r, n, y, &D, r->model == CRM_EMPIRIC, threshold, margin, mean, p_lo, p_hi);
}

/* ---- the fixed rule with pending patients ---------------------------------------------------
 *
 * TITE-CRM's likelihood has, besides the counts, a factor 1 - w_i p_d(a) per pending patient i
 * (Cheung & Chappell 2000). The rule's rows then also hold p_d(a_j) (crm_rule_init_weighted), so
 * the factors are multiplied per node and lp costs one log more; the accuracy is the complete
 * rule's, for the reason crm_posterior_weighted gives: the weighted likelihood is a positive
 * mixture of complete-data likelihoods of at most n_total patients, each bounded by e^l_sat of the
 * counts and none with a mode narrower than tau_min, and the rules are linear in the integrand.
 *
 * The empiric model's log posterior stays strictly concave when the weights are small enough, and
 * then a faster way (crm_rule_weighted_concave) replaces steps 1 to 3; such a rule's grid is twice
 * as fine (h = tau_min / 4), so that the spacing of step 3 is close to what it asks for:
 *  Concavity. With q = w p_d and u = t_d e^a, the second derivative of ln(1 - q) in a is
 *     u q (1 - q - u) / (1 - q)^2; with s = 1 - q, u (s - u) <= s^2 / 4, so it is at most
 *     q / 4 <= w / 4. The counts' terms are concave (step 2 of the complete rule) and the prior's
 *     is -1/sd^2, so lp'' < 0 everywhere when sum_i w_i < 4 / sd^2 (about 3 for sd^2 = 1.34; the
 *     linear weights' sum is the STFT). Otherwise the complete rule's steps, with its scan.
 *  1. Mode. lp'(a_j) from the tables without a transcendental function (the prior's -a/sd^2, the
 *     counts' -e^a sum y_d t_d + sum (n_d - y_d) u/(e^u - 1), and w u q/(1 - q) per pending
 *     patient), and regula falsi (Illinois) on its sign over the nodes, from a = -1..1 widened
 *     until it brackets the sign change, to neighbouring nodes: the one mode m lies in
 *     [a_j*, a_j* + h] (about 5 slopes where bisection over the grid took 10).
 *     Its width: writing each term's second derivative as its first derivative minus
 *     u^2 q/(1 - q)^2 (0 for a DLT; at most u^2 e^-u/(1 - e^-u)^2 <= 1 otherwise), lp'(m) = 0
 *     leaves |lp''(m)| <= (1 + |m|)/sd^2 + n_total, so tau_min = ((1 + |m|)/sd^2 + n_total)^-1/2
 *     with |m| bounded by the anchor: step 2 of the complete rule, with the mode known instead of
 *     bounded by the bracket.
 *  2. Integral. The trapezoid rule at the spacing s = the largest whole number of nodes within
 *     min(CRM_RULE_PEND_H tau_min, CRM_RULE_PEND_S). For a normal shape of sd tau >= tau_min the
 *     error is at most 2 exp(-2 pi^2 / 0.85^2) = 2.8e-12 of the integral (Trefethen & Weideman
 *     2014, section 5), and the strip |Im a| < pi/2 (step 3 of the adaptive rule) bounds it by
 *     about exp(-2 pi (pi/2) / s) = e^-28 = 6e-13 at s = 0.35 times the integrand's size there
 *     (measured: at s = 0.56, a posterior of no complete patient, tau_min near sd, erred by 3e-9,
 *     e^-20; tests/test_titecrm.c finds every mean within 1e-10 of the adaptive rule's with the
 *     cap). The mean errs by at most about that times E|a| + |mean|, some 1e-11, a thousandth of
 *     the designs' guard of 1e-8.
 *  3. Window. From j*, positions j* + i s outwards on both sides, with the integrand
 *     f_i = exp(lp_i - lp_j*) as exp of the counts' part times the ratio of the pending products:
 *     one exp a node (crm_exp, inlined, within 2 ulp of e^x) and no log. lp on the positions is
 *     a concave sequence, so once f falls by the ratio q from one position to the next it falls
 *     by at least q at every later one: what a side leaves out of the sums of f and a f is at most
 *     f q/(1 - q) (1 + |a| + s/(1 - q)), and the side ends when that is under CRM_RULE_PEND_EPS
 *     (1e-11) of the sum (a rigorous bound, no tail assumption; crm_exp's 2 ulp move the ratios
 *     and sums by under 1e-15 of themselves, which the bound's 1e-11 dwarfs). Reaching the end of
 *     the grid first answers false. The positions within 6.5 sd of the normal shape with lp's
 *     curvature at the anchor are done first in one loop without a test on their values, so that
 *     their exps overlap (8% faster than testing each).
 *  4. Tail probability. Bounds from the window's values (crm_rule_below_unimodal), else the
 *     complete rule's Gauss-Legendre panels with the pending factors.
 * With a rule made by crm_rule_init_weighted this is also the way for complete data (m = 0).
 * On the reference study (21 patients, one or two pending): about 5 slopes, 1 log and 32 exps
 * on average. */
#define CRM_RULE_PEND_H 0.85    /* trapezoid spacing in units of tau_min */
#define CRM_RULE_PEND_S 0.35    /* and at most this: the strip's bound, step 2 above */
#define CRM_RULE_PEND_EPS 1e-11 /* what the window leaves out, relative to the sums */

/* The counts' part of lp' as weights on a row: n_d - y_d on the slope of ln(1 - p_d), read off
 * the empiric weights (crm_rule_counts: entries 2 on are n_d - y_d on column 2 + d). */
static void crm_rule_slope_weights(const crm_rule *r, const crm_rule_data *D, crm_rule_weights *g) {
  g->count = 0;
  for (int i = 2; i < D->w.count; i++) {
    g->at[g->count] = r->g_at + D->w.at[i] - 2;
    g->w[g->count++] = D->w.w[i];
  }
}

/* lp'(a_j) at node j (step 1 above). */
static double crm_rule_slope(const crm_rule *r, const crm_rule_data *D, const crm_rule_weights *g,
                             int j) {
  const double *row = crm_rule_row_at(r, j);
  double e = -row[1], s = -(j - r->mid) * r->h * r->inv_var + row[1] * D->w.w[1], q = 0.0;
  for (int i = 0; i < g->count; i++)
    s += g->w[i] * row[g->at[i]];
  for (int i = 0; i < D->m; i++) {
    double wp = D->pw[i] * row[D->p_col[i]];
    q += D->pt[i] * wp / (1.0 - wp);
  }
  return s + e * q;
}

/* Steps 1 to 3 of the concave case; W->v holds the integrand relative to lp at the anchor, which
 * is W->best; *r0 and *r1 its sum and the sum of a times it. */
static bool crm_rule_weighted_concave(const crm_rule *r, const int *n, const int *y,
                                      crm_rule_data *D, crm_rule_window *W, double *r0,
                                      double *r1) {
  crm_rule_counts(r, n, y, D);
  crm_rule_weights g;
  crm_rule_slope_weights(r, D, &g);
  /* lp' decreases: a bracket lo < hi of nodes with lp' > 0 at lo and <= 0 at hi, from a = -1..1
   * widened as needed, then regula falsi (Illinois) until they are neighbours. At the grid's end
   * the sign is not asked: the window below then fails. */
  int lo = r->mid - (int)(1.0 / r->h), hi = r->mid + (int)(1.0 / r->h);
  lo = lo < 0 ? 0 : lo;
  hi = hi > r->m - 1 ? r->m - 1 : hi;
  double s_lo = crm_rule_slope(r, D, &g, lo), s_hi = crm_rule_slope(r, D, &g, hi);
  for (int width = hi - lo; !(s_lo > 0.0) && lo > 0; width *= 2) {
    hi = lo;
    s_hi = s_lo;
    lo = lo > width ? lo - width : 0;
    s_lo = crm_rule_slope(r, D, &g, lo);
  }
  for (int width = hi - lo; s_hi > 0.0 && hi < r->m - 1; width *= 2) {
    lo = hi;
    s_lo = s_hi;
    hi = hi + width < r->m - 1 ? hi + width : r->m - 1;
    s_hi = crm_rule_slope(r, D, &g, hi);
  }
  double raw_lo = s_lo, raw_hi = s_hi; /* the slopes themselves, Illinois aside */
  for (int moved = 0; hi - lo > 1;) {
    double x = lo + (hi - lo) * (s_lo > 0.0 && s_hi <= 0.0 ? s_lo / (s_lo - s_hi) : 0.5);
    int j = (int)x;
    j = j <= lo ? lo + 1 : j >= hi ? hi - 1 : j;
    double sj = crm_rule_slope(r, D, &g, j);
    if (sj > 0.0) {
      lo = j;
      s_lo = raw_lo = sj;
      s_hi *= moved > 0 ? 0.5 : 1.0; /* Illinois: the end that stays is halved */
      moved = 1;
    } else {
      hi = j;
      s_hi = raw_hi = sj;
      s_lo *= moved < 0 ? 0.5 : 1.0;
      moved = -1;
    }
  }
  /* The mode is in [a_lo, a_lo + h] unless it is past the grid, where the window below fails. */
  int anchor = lo;
  double a_anchor = (anchor - r->mid) * r->h, mode_max = fabs(a_anchor + 0.5 * r->h) + 0.5 * r->h;
  D->tau = 1.0 / sqrt((mode_max + 1.0) * r->inv_var + D->n_total * r->per_patient);
  D->step = (int)(fmin(CRM_RULE_PEND_H * D->tau, CRM_RULE_PEND_S) / r->h * (1.0 + 1e-12));
  if (D->step < 1)
    return false;
  /* the counts' part of lp, densely: prior + dlt (-e^a) + sum_d c_d ln(1 - p_d) */
  double c[DESIGN_MAX_DOSES], dlt = D->w.w[1];
  int k = r->k;
  for (int d = 0; d < k; d++)
    c[d] = n[d] - y[d];
  const double *row = crm_rule_row_at(r, anchor);
  double dot_a = crm_rule_lp(&D->w, row), prod_a = 1.0;
  for (int i = 0; i < D->m; i++)
    prod_a *= 1.0 - D->pw[i] * row[D->p_col[i]];
  if (!(prod_a > 1e-300))
    return false;
  W->best = dot_a + log(prod_a);
  int step = D->step, left = anchor / step;
  D->j0 = anchor - left * step;
  D->last = (r->m - 1 - D->j0) / step;
  /* First a block of positions, +-6.5 sd of the normal shape with lp's curvature between the
   * anchor and its neighbour, in one loop with no test on the values, so that their exps
   * overlap; then each side on, position by position, until the bound says stop: q = f/prev,
   * f q/(1 - q) (1 + |a| + s/(1 - q)) <= eps sum, multiplied by (prev - f)^2. */
  double inv_a = 1.0 / prod_a, sum = 0.0, first = 0.0, s = step * r->h;
  double curv = (raw_lo - raw_hi) / r->h;
  int half = curv > 0.0 ? (int)(6.5 / (sqrt(curv) * s)) + 1 : 1;
  int b_lo = left - half < 0 ? 0 : left - half;
  int b_hi = left + half > D->last ? D->last : left + half;
  const double *at = crm_rule_row_at(r, D->j0 + b_lo * step);
  ptrdiff_t stride = (ptrdiff_t)step * r->stride;
  for (int i = b_lo; i <= b_hi; i++, at += stride) {
    double prod = inv_a;
    for (int q = 0; q < D->m; q++)
      prod *= 1.0 - D->pw[q] * at[D->p_col[q]];
    double dot = at[0] + dlt * at[1];
    for (int d = 0; d < k; d++)
      dot += c[d] * at[2 + d];
    W->v[i] = crm_exp(r->exp_tab, dot - dot_a) * prod;
  }
  for (int i = b_lo; i <= b_hi; i++) {
    sum += W->v[i];
    first += (i - left) * W->v[i];
  }
  first *= s;
  for (int side = -1; side <= 1; side += 2) {
    int i = side < 0 ? b_lo : b_hi;
    double prev = i - side >= b_lo && i - side <= b_hi ? W->v[i - side] : INFINITY;
    double off = (i - left) * s, f = W->v[i];
    at = crm_rule_row_at(r, D->j0 + i * step);
    for (;;) {
      if (f < prev) {
        double drop = prev - f;
        if (f * f * ((1.0 + fabs(a_anchor + off)) * drop + s * prev) <=
            CRM_RULE_PEND_EPS * sum * drop * drop)
          break;
      }
      prev = f;
      i += side;
      if (i < 0 || i > D->last)
        return false; /* the window would pass the grid's end */
      at += side * stride;
      off += side * s;
      double prod = inv_a;
      for (int q = 0; q < D->m; q++)
        prod *= 1.0 - D->pw[q] * at[D->p_col[q]];
      double dot = at[0] + dlt * at[1];
      for (int d = 0; d < k; d++)
        dot += c[d] * at[2 + d];
      f = crm_exp(r->exp_tab, dot - dot_a) * prod;
      W->v[i] = f;
      sum += f;
      first += off * f;
    }
    if (side < 0)
      W->lo = i;
    else
      W->hi = i;
  }
  *r0 = sum;
  *r1 = a_anchor * sum + first;
  return true;
}

/* Bounds of P(a < a*) from the concave case's window without new points. The integrand is
 * unimodal (lp concave) with its largest node value at position `top`, so on every interval
 * between neighbouring positions it is at least the smaller end value, and at most the larger one
 * except on the two intervals next to top, where the continuous maximum lies: there it is at most
 * f_top e^(|lp'(a_top)| s), lp lying below its tangent at a_top. Summing these over the intervals
 * below a* (and the share of the one a* cuts) and dividing by the sum of the values (step 3's
 * integral over s) bounds the probability; 1e-12 is added for what the window leaves out and the
 * trapezoid's error (under 1e-13 together). False when a* lies outside the grid's window. */
static bool crm_rule_below_unimodal(const crm_rule *r, const crm_rule_data *D,
                                    const crm_rule_window *W, double sum, double *lo, double *hi) {
  const double slack = 1e-12;
  double s, pos;
  int J; /* the last position with a_J < a* */
  if (crm_rule_cut_outside(r, D, W, slack, &s, &pos, &J, lo, hi))
    return true;
  int top = W->lo;
  for (int i = W->lo + 1; i <= W->hi; i++)
    if (W->v[i] > W->v[top])
      top = i;
  crm_rule_weights g;
  crm_rule_slope_weights(r, D, &g);
  double peak = W->v[top] * exp(fabs(crm_rule_slope(r, D, &g, D->j0 + top * D->step)) * s);
  double below_lo = 0.0, below_hi = 0.0;
  for (int i = W->lo; i <= J; i++) {
    double a = W->v[i], b = W->v[i + 1], part = i < J ? 1.0 : (pos - J);
    below_lo += part * (a < b ? a : b);
    below_hi += part * (i == top - 1 || i == top ? peak : a > b ? a : b);
  }
  *lo = below_lo / sum - slack;
  *hi = below_hi / sum + slack;
  return true;
}

bool crm_rule_posterior_weighted(const crm_rule *r, const int *n, const int *y, int m,
                                 const uint8_t *pend_dose, const double *pend_w, double threshold,
                                 double margin, double *mean, double *p_lo, double *p_hi) {
  if (m == 0 && !r->pending)
    return crm_rule_posterior(r, n, y, threshold, margin, mean, p_lo, p_hi);
  if (!r->on || !r->pending || m > DESIGN_MAX_N)
    return false;
  crm_rule_data D;
  D.m = 0;
  double sum_w = 0.0;
  for (int i = 0; i < m; i++) {
    if (!(pend_w[i] >= 0.0 && pend_w[i] < 1.0) || pend_dose[i] < 1 || pend_dose[i] > r->k)
      return false;
    if (pend_w[i] == 0.0) /* a factor of 1 */
      continue;
    D.p_col[D.m] = r->p_at + pend_dose[i] - 1;
    D.pt[D.m] = r->t[pend_dose[i] - 1];
    D.pw[D.m++] = pend_w[i];
    sum_w += pend_w[i];
  }
  bool concave = r->model == CRM_EMPIRIC && 0.25 * sum_w < r->inv_var;
  if (!concave)
    return crm_rule_solve(r, n, y, &D, false, threshold, margin, mean, p_lo, p_hi);
  crm_rule_window W;
  double r0, r1;
  if (!crm_rule_weighted_concave(r, n, y, &D, &W, &r0, &r1))
    return false;
  *mean = r1 / r0;
  if (p_lo == NULL)
    return true;
  /* Step 4: the empiric model's tail is P(a < a*) (crm_rule_init) */
  double lo, hi;
  bool settled = !isnan(threshold) && crm_rule_below_unimodal(r, &D, &W, r0, &lo, &hi) &&
                 (hi < threshold - margin || lo > threshold + margin);
  if (!settled) {
    if (!crm_rule_below_gl(r, &D, &W, r0 * D.step * r->h, &lo))
      return false;
    hi = lo;
  }
  *p_lo = lo < 0.0 ? 0.0 : lo > 1.0 ? 1.0 : lo;
  *p_hi = hi < 0.0 ? 0.0 : hi > 1.0 ? 1.0 : hi;
  return true;
}

/* ---- the design ------------------------------------------------------------------------------ */

const char *const crm_model_words[] = {"empiric", "logistic", NULL}; /* as crm_model */

static const design_option crm_option_table[] = {CRM_OPTION_ENTRIES(0), {.key = NULL}};

enum { CRM_STOP_TOXIC };
static const design_reason crm_reasons[] = {{"stop_toxic", true}, {NULL, false}};

static dv_status crm_configure_skeleton(crm_params *p, const design_setup *setup,
                                        const crm_options *o, dv_error *err) {
  int k = setup->n_doses;
  bool calibrated = o->halfwidth_set || o->prior_mtd_set;
  if (o->skeleton_set) {
    for (int d = 1; d <= k; d++)
      p->spec.skeleton[d - 1] = o->skeleton[d - 1];
    return DV_OK;
  }
  if (!calibrated)
    return error_set(err, DV_ECONFIG,
                     "skeleton: missing; allowed: a list of %d prior DLT probabilities or "
                     "{halfwidth, prior_mtd}",
                     k);
  if (!o->halfwidth_set)
    return error_set(err, DV_ECONFIG,
                     "skeleton.halfwidth: missing; allowed: a number with 0 < halfwidth < "
                     "min(target, 1 - target), given with prior_mtd");
  if (!o->prior_mtd_set)
    return error_set(err, DV_ECONFIG,
                     "skeleton.prior_mtd: missing; allowed: a dose from 1 to %d, given with "
                     "halfwidth",
                     k);
  double hw = o->halfwidth, hw_max = fmin(p->target, 1.0 - p->target);
  if (!(hw > 0.0 && hw < hw_max))
    return error_set(err, DV_ECONFIG,
                     "skeleton.halfwidth: %g; allowed: 0 < halfwidth < min(target, 1 - "
                     "target) = %g",
                     hw, hw_max);
  dv_error local = {0};
  if (crm_skeleton_calibrate(p->spec.model, p->target, hw, (int)o->prior_mtd, k, p->spec.intercept,
                             p->spec.skeleton, &local) != DV_OK)
    return error_set(err, DV_ECONFIG, "skeleton: %s", local.msg);
  return DV_OK;
}

static dv_status crm_configure(void *params, const design_setup *setup, const void *options,
                               dv_error *err) {
  const crm_options *o = options;
  crm_params *p = params;
  memset(p, 0, sizeof *p);
  p->spec.k = setup->n_doses;
  p->target = setup->target;
  p->cohort_size = setup->cohort_size;
  p->start_dose = setup->start_dose;
  p->spec.model = o->model == CRM_LOGISTIC ? CRM_LOGISTIC : CRM_EMPIRIC;
  /* dfcrm ignores intcpt under the empiric model; a value there is more likely a forgotten
   * `model: logistic` than intended, so it is an error rather than silently unused. */
  if (o->intercept_set && p->spec.model != CRM_LOGISTIC)
    return error_set(err, DV_ECONFIG,
                     "intercept: %g with model empiric; allowed: only with model logistic",
                     o->intercept);
  p->spec.intercept = o->intercept;
  p->spec.prior_sd = o->prior_sd;
  p->no_skip = o->no_skip;
  p->stop_toxic_set = o->stop_toxic_set;
  p->stop_toxic = o->stop_toxic;
  /* Past DESIGN_MAX_N no dose can reach it: the same as never, but kept as a count. */
  p->n_stop = o->n_stop > DESIGN_MAX_N ? DESIGN_MAX_N + 1 : (int)o->n_stop;
  if (o->skeleton_set && (o->halfwidth_set || o->prior_mtd_set))
    return error_set(err, DV_ECONFIG,
                     "skeleton: both a list and {halfwidth, prior_mtd}; allowed: one of them");
  dv_status st = crm_configure_skeleton(p, setup, o, err);
  if (st != DV_OK)
    return st;
  for (int d = 0; d < p->spec.k; d++)
    p->x[d] = crm_logit(p->spec.skeleton[d]) - p->spec.intercept;
  crm_rule_init(&p->rule, &p->spec, setup->max_n, 1, p->target);
  return DV_OK;
}

static void crm_counts(const crm_params *p, const design_state *s, int *n, int *y) {
  for (int d = 0; d < p->spec.k; d++) {
    n[d] = s->n[d];
    y[d] = s->y[d];
  }
}

/* no_skip reads the last cohort's DLTs; without it the state need not carry them. */
static bool crm_uses_last_cohort(const void *params) {
  const crm_params *p = params;
  return p->no_skip;
}

/* n_stop is the rules layer's stop_when_n_at_dose on the model's recommendation. */
static int crm_own_rules(const void *params, design_rule *out) {
  const crm_params *p = params;
  if (p->n_stop <= 0)
    return 0;
  out[0] = (design_rule){.kind = DESIGN_RULE_STOP_WHEN_N_AT_DOSE,
                         .reason = "n_stop",
                         .n = p->n_stop,
                         .dose = DESIGN_DOSE_RECOMMENDED};
  return 1;
}

/* Whether the recommendations read from a fit stay the same for any a_hat' within CRM_GUARD of
 * a_hat: crm_recommend over doses 1..h for every h (select's `highest`), whose answer changes
 * only where some p_d crosses the target (all below) or two doses' distances to it cross. Over
 * that interval each p_d moves by at most about CRM_GUARD |dp_d/da| (empiric dp/da = p ln p,
 * logistic p (1 - p) e^a x_d); the margins take twice that, plus 1e-15 for rounding.
 * pd[d - 1] = p_d(a_hat). stop_toxic's comparison is guarded in crm_fit_counts. */
#define CRM_GUARD 1e-8

static bool crm_fit_is_clear(const crm_params *p, const double *pd, double a_hat) {
  int k = p->spec.k;
  double dist[DESIGN_MAX_DOSES], margin[DESIGN_MAX_DOSES], e = exp(a_hat);
  for (int d = 0; d < k; d++) {
    double slope = p->spec.model == CRM_EMPIRIC ? pd[d] * e * p->rule.t[d] /* -ln p = e^a t */
                                                : pd[d] * (1.0 - pd[d]) * fabs(e * p->x[d]);
    margin[d] = 2.0 * CRM_GUARD * slope + 1e-15;
    dist[d] = fabs(pd[d] - p->target);
    if (!(dist[d] > margin[d]))
      return false;
  }
  bool all_below = true;
  for (int h = 1; h <= k; h++) {
    all_below = all_below && pd[h - 1] < p->target;
    if (all_below)
      continue; /* crm_recommend answers h, and each p_d's side of the target is clear */
    int best = 0;
    for (int d = 1; d < h; d++)
      if (dist[d] < dist[best])
        best = d;
    for (int d = 0; d < h; d++)
      if (d != best && !(dist[d] - dist[best] > margin[d] + margin[best]))
        return false;
  }
  return true;
}

static void crm_fit_recommend(const crm_params *p, crm_counts_fit *f, double *pd) {
  for (int d = 0; d < p->spec.k; d++)
    pd[d] = crm_dose_tox(p->spec.model, p->spec.skeleton[d], p->spec.intercept, f->a_hat);
  crm_recommend_each(pd, p->spec.k, p->target, f->rec);
}

/* The fixed rule where it answers and its answer is clear of every threshold by CRM_GUARD;
 * otherwise the adaptive integrator. The decisions are then those of crm_posterior wherever the
 * two agree to CRM_GUARD (tests/test_crm.c finds them within 1e-10). */
static void crm_fit_counts(const void *params, const design_state *s, void *out) {
  const crm_params *p = params;
  crm_counts_fit *f = out;
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  double pd[DESIGN_MAX_DOSES], lo = 0.0, hi = 0.0, cut = p->stop_toxic;
  crm_counts(p, s, n, y);
  memset(f, 0, sizeof *f);
  bool tail = p->stop_toxic_set;
  if (crm_rule_posterior(&p->rule, n, y, tail ? cut : NAN, CRM_GUARD, &f->a_hat, tail ? &lo : NULL,
                         tail ? &hi : NULL) &&
      (!tail || hi < cut - CRM_GUARD || lo > cut + CRM_GUARD)) {
    crm_fit_recommend(p, f, pd);
    if (crm_fit_is_clear(p, pd, f->a_hat)) {
      f->toxic = tail && lo > cut;
      return;
    }
  }
  /* the mean is the same whatever the dose and target asked of the tail (crm_posterior_mean) */
  double p_tox1 = 0.0;
  crm_posterior(&p->spec, n, y, 1, p->target, &f->a_hat, tail ? &p_tox1 : NULL);
  f->toxic = tail && p_tox1 > cut;
  crm_fit_recommend(p, f, pd);
}

void crm_fit_weighted(const crm_params *p, const int *n, const int *y, int m,
                      const uint8_t *pend_dose, const double *pend_w, crm_counts_fit *f) {
  double pd[DESIGN_MAX_DOSES], lo = 0.0, hi = 0.0, cut = p->stop_toxic;
  memset(f, 0, sizeof *f);
  bool tail = p->stop_toxic_set;
  if (crm_rule_posterior_weighted(&p->rule, n, y, m, pend_dose, pend_w, tail ? cut : NAN, CRM_GUARD,
                                  &f->a_hat, tail ? &lo : NULL, tail ? &hi : NULL) &&
      (!tail || hi < cut - CRM_GUARD || lo > cut + CRM_GUARD)) {
    /* p_d(a_hat) = exp(-t_d e^a) for the empiric model (the same number as pow(s_d, e^a) to a few
     * units in the last place, far inside the guard's margins; one exp a dose, not a pow) */
    if (p->spec.model == CRM_EMPIRIC) {
      double e = exp(f->a_hat);
      for (int d = 0; d < p->spec.k; d++)
        pd[d] = exp(-p->rule.t[d] * e);
      crm_recommend_each(pd, p->spec.k, p->target, f->rec);
    } else {
      crm_fit_recommend(p, f, pd);
    }
    if (crm_fit_is_clear(p, pd, f->a_hat)) {
      f->toxic = tail && lo > cut;
      return;
    }
  }
  double p_tox1 = 0.0;
  crm_posterior_weighted(&p->spec, n, y, m, pend_dose, pend_w, 1, p->target, &f->a_hat,
                         tail ? &p_tox1 : NULL);
  f->toxic = tail && p_tox1 > cut;
  crm_fit_recommend(p, f, pd);
}

static design_action crm_decide_fit(const void *params, const design_state *s, const void *fit) {
  const crm_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  const crm_counts_fit *f = fit;
  if (p->stop_toxic_set && f->toxic)
    return design_stop(0, CRM_STOP_TOXIC);
  int rec = f->rec[p->spec.k - 1];
  int next = rec;
  if (p->no_skip) {
    if (next > s->cur + 1)
      next = s->cur + 1;
    /* As a ratio, so that a rate equal to the target in exact arithmetic (3/10 vs 0.3) rounds to
     * the same double and counts as >=. */
    int last_n = s->last_n > 0 ? s->last_n : p->cohort_size;
    if (next > s->cur && (double)s->last_y / last_n >= p->target)
      next = s->cur;
  }
  return design_treat_rec(next, rec);
}

static design_action crm_decide(const void *params, const design_state *s) {
  const crm_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  crm_counts_fit f;
  crm_fit_counts(p, s, &f);
  return crm_decide_fit(p, s, &f);
}

/* The model's recommendation among doses 1..highest. */
static int crm_select_fit(const void *params, const design_state *s, int highest, const void *fit) {
  const crm_params *p = params;
  (void)s;
  int h = highest < p->spec.k ? highest : p->spec.k;
  return h >= 1 ? ((const crm_counts_fit *)fit)->rec[h - 1] : h; /* as crm_recommend for k = h */
}

static int crm_select(const void *params, const design_state *s, int highest) {
  crm_counts_fit f;
  crm_fit_counts(params, s, &f);
  return crm_select_fit(params, s, highest, &f);
}

/* The fitted model's fixed part (`validate`): the skeleton as calibrated or given. */
static void crm_describe(const void *params, char *buf, size_t len) {
  const crm_params *p = params;
  size_t used =
      (size_t)snprintf(buf, len, "CRM, %s model, prior sd %g, skeleton",
                       p->spec.model == CRM_LOGISTIC ? "logistic" : "empiric", p->spec.prior_sd);
  for (int d = 0; d < p->spec.k && used < len; d++)
    used += (size_t)snprintf(buf + used, len - used, " %.4f", p->spec.skeleton[d]);
  if (used < len)
    snprintf(buf + used, len - used, "\n");
}

/* The posterior mean of a, each dose's DLT probability at it, the recommendation and what
 * no_skip and stop_toxic made of it. */
static void crm_explain(const void *params, const design_state *s, char *buf, size_t len) {
  const crm_params *p = params;
  if (s->cur == 0) {
    snprintf(buf, len, "no cohort yet: the first is treated at the start dose %d", p->start_dose);
    return;
  }
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  crm_counts(p, s, n, y);
  double a_hat, p_tox1 = 0.0;
  crm_posterior(&p->spec, n, y, 1, p->target, &a_hat, &p_tox1);
  size_t used = 0;
#define PUT(...)                                                                                   \
  do {                                                                                             \
    int n_ = snprintf(buf + used, used < len ? len - used : 0, __VA_ARGS__);                       \
    used += n_ > 0 ? (size_t)n_ : 0;                                                               \
  } while (0)
  PUT("posterior mean of a %.4f; estimated P(DLT) by dose:", a_hat);
  for (int d = 1; d <= p->spec.k; d++)
    PUT(" %d: %.3f", d,
        crm_dose_tox(p->spec.model, p->spec.skeleton[d - 1], p->spec.intercept, a_hat));
  design_action a = crm_decide(p, s);
  if (p->stop_toxic_set)
    PUT("; P(p_1 > %.2f | data) = %.4f %s stop_toxic %.2f", p->target, p_tox1,
        p_tox1 > p->stop_toxic ? ">" : "<=", p->stop_toxic);
  if (a.stop) {
    PUT(": stop, no MTD");
  } else {
    PUT("; closest to the target %.2f: dose %d", p->target, a.rec);
    if (a.dose != a.rec)
      PUT("; no_skip: dose %d (%s)", a.dose,
          a.dose == s->cur ? "no escalation after a cohort with a DLT rate >= the target"
                           : "at most one level above the last dose");
  }
#undef PUT
}

const design_type design_crm = {
    .name = "crm",
    .title = "CRM, the Bayesian one-parameter continual reassessment method (O'Quigley 1990)",
    .options = crm_option_table,
    .options_size = sizeof(crm_options),
    .params_size = sizeof(crm_params),
    .stop_reasons = crm_reasons,
    .example = "skeleton: {halfwidth: 0.05, prior_mtd: 2}",
    .configure = crm_configure,
    .uses_last_cohort = crm_uses_last_cohort,
    .own_rules = crm_own_rules,
    .decide = crm_decide,
    .select = crm_select,
    .fit_size = sizeof(crm_counts_fit),
    .fit = crm_fit_counts,
    .decide_fit = crm_decide_fit,
    .select_fit = crm_select_fit,
    .explain = crm_explain,
    .describe = crm_describe,
};
