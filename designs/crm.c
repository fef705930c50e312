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
 * tests/test_crm.c compares the mean and the probability with a brute-force 10^6-point rule. */
#include "crm.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

  double ratio, base;
  if (model == CRM_EMPIRIC) {
    ratio = log(target - halfwidth) / log(target + halfwidth);
    base = log(target);
  } else {
    double lo = crm_logit(target - halfwidth), hi = crm_logit(target + halfwidth);
    if (!isfinite(intercept) || (intercept >= lo && intercept <= hi))
      return error_set(err, DV_ECONFIG,
                       "intercept: %g; allowed: a number outside [logit(target - halfwidth), "
                       "logit(target + halfwidth)] = [%.4f, %.4f]",
                       intercept, lo, hi);
    ratio = (lo - intercept) / (hi - intercept);
    base = crm_logit(target) - intercept;
  }
  for (int d = 1; d <= levels; d++) {
    double v = base * pow(ratio, (double)(prior_mtd - d));
    out[d - 1] = model == CRM_EMPIRIC ? exp(v) : 1.0 / (1.0 + exp(-intercept - v));
  }
  for (int d = 1; d <= levels; d++) {
    double s = out[d - 1];
    const char *what = !(s > 0.0) ? "rounds to 0" : !(s < 1.0) ? "rounds to 1" : NULL;
    if (what == NULL && d > 1 && !(s > out[d - 2]))
      what = "rounds to the value of the dose below";
    if (what != NULL)
      return error_set(err, DV_ECONFIG,
                       "skeleton: the value of dose %d of %d %s in double precision; allowed: a "
                       "smaller halfwidth, fewer levels or a prior_mtd nearer the middle",
                       d, levels, what);
  }
  return DV_OK;
}

int crm_recommend(const crm_spec *spec, double a, double target) {
  int best = 1;
  double best_dist = INFINITY;
  bool all_below = true;
  for (int d = 1; d <= spec->k; d++) {
    double p = crm_dose_tox(spec->model, spec->skeleton[d - 1], spec->intercept, a);
    double dist = fabs(p - target);
    all_below = all_below && p < target;
    if (dist < best_dist) { /* strict: an exact tie keeps the lower dose */
      best_dist = dist;
      best = d;
    }
  }
  /* Stated separately because for extreme a the p_d can round to one common value (0), where the
   * tie rule alone would pick dose 1. */
  return all_below ? spec->k : best;
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
  int n_total;
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

/* Nodes and weights of the m-point Gauss-Legendre rule on [-1, 1]: Newton's method on the
 * Legendre polynomial P_m from the asymptotic guess cos(pi (i + 3/4) / (m + 1/2)) (Abramowitz &
 * Stegun 22.16.6 and 25.4.29: w_i = 2 / ((1 - x_i^2) P_m'(x_i)^2)). */
static void crm_gauss_legendre(int m, double *x, double *w) {
  for (int i = 0; i < (m + 1) / 2; i++) {
    double z = cos(CRM_PI * (i + 0.75) / (m + 0.5)), dp = 1.0;
    for (int iter = 0; iter < 100; iter++) {
      double p0 = 1.0, p1 = z;
      for (int j = 2; j <= m; j++) { /* Bonnet's recursion */
        double p2 = ((2.0 * j - 1.0) * z * p1 - (j - 1.0) * p0) / j;
        p0 = p1;
        p1 = p2;
      }
      dp = m * (z * p1 - p0) / (z * z - 1.0);
      double step = p1 / dp;
      z -= step;
      if (fabs(step) < 1e-16)
        break;
    }
    x[i] = -z;
    x[m - 1 - i] = z;
    w[i] = w[m - 1 - i] = 2.0 / ((1.0 - z * z) * dp * dp);
  }
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
  crm_gauss_legendre(CRM_GL_POINTS, x, w);
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

/* ---- the design ------------------------------------------------------------------------------ */

typedef struct {
  int model; /* index into crm_models */
  double prior_sd, intercept, halfwidth, stop_toxic;
  bool intercept_set, halfwidth_set, prior_mtd_set, skeleton_set, stop_toxic_set, no_skip;
  long prior_mtd, n_stop;
  double skeleton[DESIGN_MAX_DOSES];
  int skeleton_len;
} crm_options;

static const char *const crm_models[] = {"empiric", "logistic", NULL}; /* as crm_model */

static const design_option crm_option_table[] = {
    {.key = "model",
     .kind = DESIGN_OPT_WORD,
     .at = offsetof(crm_options, model),
     .words = crm_models,
     .def = CRM_EMPIRIC,
     .help = "the dose-toxicity model: empiric s_d^exp(a) or logistic"},
    {.key = "prior_sd",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(crm_options, prior_sd),
     .def = CRM_DEFAULT_PRIOR_SD,
     .min = DESIGN_MORE(0),
     .help = "sd of the normal prior of a; sqrt(1.34) as Cheung (2011) advises"},
    {.key = "intercept",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(crm_options, intercept),
     .set_at = offsetof(crm_options, intercept_set),
     .def = CRM_DEFAULT_INTERCEPT,
     .help = "intercept c of the logistic model (only with model: logistic)"},
    {.key = "no_skip",
     .kind = DESIGN_OPT_BOOL,
     .at = offsetof(crm_options, no_skip),
     .def = 1,
     .help = "at most one level above the last dose, none after a cohort's DLT rate >= target"},
    {.key = "skeleton",
     .kind = DESIGN_OPT_REALS,
     .at = offsetof(crm_options, skeleton),
     .set_at = offsetof(crm_options, skeleton_set),
     .count_at = offsetof(crm_options, skeleton_len),
     .no_default = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .increasing = true,
     .help = "prior DLT probabilities, or {halfwidth, prior_mtd} (Lee & Cheung 2009)"},
    {.key = "skeleton.halfwidth",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(crm_options, halfwidth),
     .set_at = offsetof(crm_options, halfwidth_set),
     .no_default = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_TARGET_OPEN,
     .help = "half-width of the indifference interval; below min(target, 1 - target)"},
    {.key = "skeleton.prior_mtd",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(crm_options, prior_mtd),
     .set_at = offsetof(crm_options, prior_mtd_set),
     .no_default = true,
     .min = DESIGN_AT_LEAST(1),
     .max = DESIGN_DOSES,
     .help = "the dose whose prior DLT probability is the target"},
    {.key = "stop_toxic",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(crm_options, stop_toxic),
     .set_at = offsetof(crm_options, stop_toxic_set),
     .no_default = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "stop with no MTD when P(p_1 > target | data) exceeds it; omit for never"},
    {.key = "n_stop",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(crm_options, n_stop),
     .def = 0,
     .min = DESIGN_AT_LEAST(0),
     .help = "stop when this many patients have had the recommended dose; 0 = never"},
    {.key = NULL}};

enum { CRM_STOP_TOXIC };
static const design_reason crm_reasons[] = {{"stop_toxic", true}, {NULL, false}};

typedef struct {
  crm_spec spec;
  double target;
  int cohort_size;
  int start_dose;
  bool no_skip;
  bool stop_toxic_set;
  double stop_toxic; /* stop with no MTD when P(p_1 > target | data) exceeds it */
  int n_stop;        /* 0 = never */
} crm_params;

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
  return crm_configure_skeleton(p, setup, o, err);
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

/* What decide and select need from the counts alone: the posterior mean of a and, for
 * stop_toxic, P(p_1 > target | data). States that differ only in the last dose or cohort share
 * it (the engine keeps one per counts), and select reuses decide's. */
typedef struct {
  double a_hat, p_tox1;
} crm_counts_fit;

static void crm_fit_counts(const void *params, const design_state *s, void *out) {
  const crm_params *p = params;
  crm_counts_fit *f = out;
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  crm_counts(p, s, n, y);
  f->p_tox1 = 0.0;
  /* the mean is the same whatever the dose and target asked of the tail (crm_posterior_mean) */
  crm_posterior(&p->spec, n, y, 1, p->target, &f->a_hat, p->stop_toxic_set ? &f->p_tox1 : NULL);
}

static design_action crm_decide_fit(const void *params, const design_state *s, const void *fit) {
  const crm_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  const crm_counts_fit *f = fit;
  double a_hat = f->a_hat, p_tox1 = f->p_tox1;

  if (p->stop_toxic_set && p_tox1 > p->stop_toxic)
    return design_stop(0, CRM_STOP_TOXIC);
  int rec = crm_recommend(&p->spec, a_hat, p->target);
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
  crm_spec upto = p->spec;
  upto.k = highest < p->spec.k ? highest : p->spec.k;
  return crm_recommend(&upto, ((const crm_counts_fit *)fit)->a_hat, p->target);
}

static int crm_select(const void *params, const design_state *s, int highest) {
  const crm_params *p = params;
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  crm_counts(p, s, n, y);
  crm_counts_fit f = {.a_hat = crm_posterior_mean(&p->spec, n, y), .p_tox1 = 0.0};
  return crm_select_fit(p, s, highest, &f);
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
