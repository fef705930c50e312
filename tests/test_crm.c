/* test_crm.c — the CRM design (designs/crm.c): skeleton calibration, the two models, the posterior
 * against brute force and high-precision known values, and hand-worked decision sequences.
 *
 * Independent truths used here:
 *  - the skeleton of SPEC section 6 / dfcrm getprior(0.05, 0.30, 2, 3) = 0.2040 0.3000 0.4018;
 *  - the defining property of Lee & Cheung's (2009) calibration, checked through this file's own
 *    inverse of each model;
 *  - the posterior mean and tail probability by a brute-force 10^6-point rule on [-30, 30] with
 *    this file's own likelihood;
 *  - values from mpmath 1.3 (quad at 25 significant digits on [-30, 30] split at every even
 *    integer and at the threshold a*), for the skeleton (0.2040, 0.3, 0.4018), prior sd
 *    sqrt(1.34), intercept 3: the numbers dfcrm's crm() integrates. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "graph.h"
#include "policy.h"
#include "support.h"
#include "support_sim.h"

#define TARGET 0.30

static const double skel3[3] = {0.2040, 0.3, 0.4018};

/* ---- independent helpers -------------------------------------------------------------------- */

static double t_logit(double p) { return log(p / (1.0 - p)); }

/* p_d(a) written out again from SPEC section 6, not through crm_dose_tox. */
static double t_tox(crm_model model, double s, double c, double a) {
  if (model == CRM_EMPIRIC)
    return pow(s, exp(a));
  return 1.0 / (1.0 + exp(-(c + exp(a) * (t_logit(s) - c))));
}

/* The a at which a dose with skeleton value s has DLT probability q (the model's inverse). */
static double t_inverse(crm_model model, double s, double c, double q) {
  if (model == CRM_EMPIRIC)
    return log(log(q) / log(s));
  return log((t_logit(q) - c) / (t_logit(s) - c));
}

/* The log of likelihood times prior kernel, straight from the definitions. coef holds log(s_d)
 * (empiric) or logit(s_d) - c (logistic), from t_coef. */
static void t_coef(const crm_spec *sp, double *coef) {
  for (int d = 0; d < sp->k; d++)
    coef[d] =
        sp->model == CRM_EMPIRIC ? log(sp->skeleton[d]) : t_logit(sp->skeleton[d]) - sp->intercept;
}

static double t_log_post_c(const crm_spec *sp, const double *coef, const int *n, const int *y,
                           double a) {
  double v = -0.5 * a * a / (sp->prior_sd * sp->prior_sd), e = exp(a);
  for (int d = 0; d < sp->k; d++) {
    if (n[d] == 0)
      continue;
    double log_p, p;
    if (sp->model == CRM_EMPIRIC) {
      log_p = e * coef[d]; /* log(s^e) */
      p = exp(log_p);
    } else {
      p = 1.0 / (1.0 + exp(-(sp->intercept + e * coef[d])));
      log_p = log(p);
    }
    if (y[d] > 0)
      v += y[d] * log_p;
    if (n[d] > y[d])
      v += (n[d] - y[d]) * log1p(-p);
  }
  return v;
}

static double t_log_post(const crm_spec *sp, const int *n, const int *y, double a) {
  double coef[DESIGN_MAX_DOSES];
  t_coef(sp, coef);
  return t_log_post_c(sp, coef, n, y, a);
}

/* Sums over a uniform grid kept relative to a running maximum: log of the integral of
 * exp(lp) (times a when first_moment) with weights w(i) of the trapezoid (simpson false) or
 * Simpson's rule (simpson true, m even). */
typedef struct {
  double log_scale, sum0, sum1;
} t_sums;

static t_sums t_integrate(const crm_spec *sp, const int *n, const int *y, double lo, double hi,
                          long m, int simpson) {
  t_sums r = {-INFINITY, 0.0, 0.0};
  double h = (hi - lo) / (double)m, coef[DESIGN_MAX_DOSES];
  t_coef(sp, coef);
  for (long i = 0; i <= m; i++) {
    double a = lo + (hi - lo) * (double)i / (double)m;
    double v = t_log_post_c(sp, coef, n, y, a);
    if (v == -INFINITY)
      continue;
    if (v > r.log_scale) {
      double shrink = exp(r.log_scale - v);
      r.sum0 *= shrink;
      r.sum1 *= shrink;
      r.log_scale = v;
    }
    double w = simpson ? ((i == 0 || i == m) ? 1.0 : (i % 2 ? 4.0 : 2.0)) / 3.0
                       : ((i == 0 || i == m) ? 0.5 : 1.0);
    double f = exp(v - r.log_scale);
    r.sum0 += w * f * h;
    r.sum1 += w * a * f * h;
  }
  return r;
}

/* The brute-force truth: the 10^6-point trapezoid rule on [-30, 30] for the normalising constant
 * and the mean; Simpson's rule with 10^6 intervals on [-30, a*] or [a*, 30] for the mass of
 * {a : p_dose(a) > target}, the side chosen from the sign of the model's slope in a (a* must lie
 * inside (-30, 30), true for the data sets used). */
typedef struct {
  double mean, prob_tox;
} t_truth;

static t_truth brute_force(const crm_spec *sp, const int *n, const int *y, int dose,
                           double target) {
  t_sums all = t_integrate(sp, n, y, -30.0, 30.0, 1000000, 0);
  t_truth t = {all.sum1 / all.sum0, NAN};
  if (dose > 0) {
    double s = sp->skeleton[dose - 1];
    double a_star = t_inverse(sp->model, s, sp->intercept, target);
    int below = sp->model == CRM_EMPIRIC || t_logit(s) - sp->intercept < 0.0;
    t_sums part = below ? t_integrate(sp, n, y, -30.0, a_star, 1000000, 1)
                        : t_integrate(sp, n, y, a_star, 30.0, 1000000, 1);
    t.prob_tox = part.sum0 / all.sum0 * exp(part.log_scale - all.log_scale);
  }
  return t;
}

static crm_spec spec3(crm_model model) {
  crm_spec sp = {.model = model, .k = 3, .intercept = 3.0, .prior_sd = CRM_DEFAULT_PRIOR_SD};
  memcpy(sp.skeleton, skel3, sizeof skel3);
  return sp;
}

/* ---- skeleton ---------------------------------------------------------------------------------
 */

Test(crm, skeleton_known_value_spec_and_dfcrm) {
  double s[3];
  dv_error err = {0};
  cr_assert_eq(crm_skeleton_calibrate(CRM_EMPIRIC, 0.30, 0.05, 2, 3, 3.0, s, &err), DV_OK, "%s",
               err.msg);
  const double want[3] = {0.2040, 0.3000, 0.4018};
  for (int d = 0; d < 3; d++)
    cr_assert(fabs(s[d] - want[d]) < 5e-5, "dose %d: %.6f, want %.4f", d + 1, s[d], want[d]);
}

/* Lee & Cheung (2009): s_nu = target, and for each neighbouring pair the a where the upper dose
 * has target + halfwidth is the a where the lower one has target - halfwidth. */
Test(crm, skeleton_indifference_property) {
  const struct {
    crm_model model;
    double target, hw, c;
    int nu, k;
  } cases[] = {
      {CRM_EMPIRIC, 0.30, 0.05, 3, 2, 3},  {CRM_EMPIRIC, 0.25, 0.10, 3, 3, 6},
      {CRM_EMPIRIC, 0.20, 0.04, 3, 1, 5},  {CRM_EMPIRIC, 0.33, 0.08, 3, 5, 5},
      {CRM_LOGISTIC, 0.25, 0.10, 3, 3, 6}, {CRM_LOGISTIC, 0.30, 0.05, 3, 2, 3},
      {CRM_LOGISTIC, 0.20, 0.05, 1, 4, 7}, {CRM_LOGISTIC, 0.30, 0.05, -2, 2, 4},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double s[DESIGN_MAX_DOSES];
    dv_error err = {0};
    cr_assert_eq(crm_skeleton_calibrate(cases[i].model, cases[i].target, cases[i].hw, cases[i].nu,
                                        cases[i].k, cases[i].c, s, &err),
                 DV_OK, "case %zu: %s", i, err.msg);
    cr_assert(fabs(s[cases[i].nu - 1] - cases[i].target) < 1e-14, "case %zu: s_nu %.17g", i,
              s[cases[i].nu - 1]);
    for (int d = 2; d <= cases[i].k; d++) {
      double b = t_inverse(cases[i].model, s[d - 1], cases[i].c, cases[i].target + cases[i].hw);
      double lower = t_tox(cases[i].model, s[d - 2], cases[i].c, b);
      cr_assert(fabs(lower - (cases[i].target - cases[i].hw)) < 1e-12,
                "case %zu, doses %d-%d: %.15f at the boundary, want %.15f", i, d - 1, d, lower,
                cases[i].target - cases[i].hw);
    }
  }
}

Test(crm, skeleton_grid_strictly_increasing_in_unit_interval) {
  const double targets[] = {0.1, 0.2, 0.25, 0.3, 1.0 / 3.0, 0.5, 0.7};
  const double fractions[] = {0.05, 0.2, 0.4, 0.6, 0.9};
  int ok = 0;
  for (int m = 0; m < 2; m++)
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++)
      for (size_t f = 0; f < sizeof fractions / sizeof fractions[0]; f++)
        for (int k = 1; k <= DESIGN_MAX_DOSES; k++)
          for (int nu = 1; nu <= k; nu++) {
            double target = targets[t], hw = fractions[f] * fmin(target, 1.0 - target);
            double s[DESIGN_MAX_DOSES];
            dv_error err = {0};
            dv_status st = crm_skeleton_calibrate((crm_model)m, target, hw, nu, k, 3.0, s, &err);
            /* Moderate settings must succeed; extreme ones may only fail for representability
             * (or, logistic, an intercept inside the interval) and say so. */
            if (k <= 6 && fractions[f] <= 0.4 && !(m == 1 && target >= 0.7)) {
              cr_assert_eq(st, DV_OK, "model %d target %g hw %g nu %d k %d: %s", m, target, hw, nu,
                           k, err.msg);
            }
            if (st != DV_OK) {
              cr_assert(strstr(err.msg, "skeleton:") == err.msg ||
                            strstr(err.msg, "intercept:") == err.msg,
                        "%s", err.msg);
              continue;
            }
            ok++;
            for (int d = 0; d < k; d++) {
              cr_assert(s[d] > 0.0 && s[d] < 1.0, "model %d k %d nu %d: s_%d = %g", m, k, nu, d + 1,
                        s[d]);
              if (d > 0)
                cr_assert(s[d] > s[d - 1], "model %d k %d nu %d: not increasing at %d", m, k, nu,
                          d + 1);
            }
          }
  cr_assert(ok > 1000, "only %d skeletons calibrated", ok);
}

Test(crm, skeleton_errors_name_the_input) {
  double s[DESIGN_MAX_DOSES];
  const struct {
    crm_model model;
    double target, hw, c;
    int nu, k;
    const char *key;
  } bad[] = {
      {CRM_EMPIRIC, 0.30, 0.30, 3, 2, 3, "halfwidth:"},
      {CRM_EMPIRIC, 0.30, 0.0, 3, 2, 3, "halfwidth:"},
      {CRM_EMPIRIC, 0.80, 0.25, 3, 2, 3, "halfwidth:"},
      {CRM_EMPIRIC, 0.30, 0.05, 3, 4, 3, "prior_mtd:"},
      {CRM_EMPIRIC, 0.30, 0.05, 3, 0, 3, "prior_mtd:"},
      {CRM_EMPIRIC, 0.30, 0.05, 3, 1, 0, "levels:"},
      {CRM_EMPIRIC, 0.30, 0.05, 3, 1, DESIGN_MAX_DOSES + 1, "levels:"},
      {CRM_EMPIRIC, 1.00, 0.05, 3, 1, 3, "target:"},
      {CRM_LOGISTIC, 0.30, 0.05, -0.85, 2, 3, "intercept:"}, /* logit(0.3) = -0.847 */
      {CRM_EMPIRIC, 0.50, 0.45, 3, 16, 16, "skeleton:"},     /* s_1 underflows to 0 */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dv_error err = {0};
    cr_assert_eq(crm_skeleton_calibrate(bad[i].model, bad[i].target, bad[i].hw, bad[i].nu, bad[i].k,
                                        bad[i].c, s, &err),
                 DV_ECONFIG, "case %zu accepted", i);
    cr_assert(strstr(err.msg, bad[i].key) == err.msg && strstr(err.msg, "allowed:") != NULL,
              "case %zu: '%s'", i, err.msg);
  }
}

/* Issue 27, item 8: a logistic intercept so far out that the skeleton collapses is blamed, with
 * the largest magnitude that works on its side (and that one does work, its s_nu the target). */
Test(crm, a_far_intercept_is_blamed_with_its_limit) {
  double s[DESIGN_MAX_DOSES];
  for (double sign = -1; sign <= 1; sign += 2) {
    dv_error err = {0};
    cr_assert_eq(crm_skeleton_calibrate(CRM_LOGISTIC, 0.25, 0.05, 2, 4, sign * 1e308, s, &err),
                 DV_ECONFIG);
    cr_assert(strstr(err.msg, "intercept: ") == err.msg, "%s", err.msg);
    const char *word = sign > 0 ? "at most " : "at least ", *at = strstr(err.msg, word);
    cr_assert_not_null(at, "%s", err.msg);
    double limit = strtod(at + strlen(word), NULL);
    cr_assert(limit * sign > 1e6, "limit %g: %s", limit, err.msg);
    dv_error ok = {0};
    cr_expect_eq(crm_skeleton_calibrate(CRM_LOGISTIC, 0.25, 0.05, 2, 4, limit, s, &ok), DV_OK,
                 "the limit %g fails: %s", limit, ok.msg);
    cr_expect_float_eq(s[1], 0.25, 1e-9);
    dv_error far = {0};
    cr_expect_eq(crm_skeleton_calibrate(CRM_LOGISTIC, 0.25, 0.05, 2, 4, limit * 100, s, &far),
                 DV_ECONFIG, "100 x the limit %g works", limit);
  }
}

/* ---- the models ------------------------------------------------------------------------------ */

Test(crm, models_scale_doses_so_that_p_at_zero_is_the_skeleton) {
  const double s_values[] = {0.01, 0.2040, 0.5, 0.9, 0.97};
  const double c_values[] = {3.0, 0.0, -1.5, 6.0};
  for (size_t i = 0; i < 5; i++) {
    double s = s_values[i];
    cr_assert(fabs(crm_dose_tox(CRM_EMPIRIC, s, 3.0, 0.0) - s) < 1e-15);
    for (size_t j = 0; j < 4; j++) {
      double c = c_values[j];
      cr_assert(fabs(crm_dose_tox(CRM_LOGISTIC, s, c, 0.0) - s) < 1e-14, "s %g c %g", s, c);
      for (double a = -3.0; a <= 3.0; a += 0.75) {
        /* x_d = logit(s_d) - c, p = 1 / (1 + exp(-c - e^a x_d)) */
        double x = log(s / (1.0 - s)) - c;
        double want = 1.0 / (1.0 + exp(-c - exp(a) * x));
        cr_assert(fabs(crm_dose_tox(CRM_LOGISTIC, s, c, a) - want) < 1e-14);
      }
    }
    for (double a = -3.0; a <= 3.0; a += 0.75)
      cr_assert(fabs(crm_dose_tox(CRM_EMPIRIC, s, 3.0, a) - pow(s, exp(a))) < 1e-15);
  }
  /* Larger a means less toxic in both models (x_d < 0 for s_d < expit(c)). */
  cr_assert(crm_dose_tox(CRM_LOGISTIC, 0.3, 3.0, 1.0) < 0.3);
  cr_assert(crm_dose_tox(CRM_EMPIRIC, 0.3, 3.0, 1.0) < 0.3);
}

/* crm_exp (crm.h) against glibc's exp, which is within 1 ulp of e^x: within 2 ulp of it on a
 * dense sweep of [-708, 709] (both ends, every table index and the reduction's edges), 0 below
 * -708 (e^x < 3.4e-308 there), e^709 above 709, NaN for NaN. */
Test(crm, fast_exp_within_two_ulp_of_exp) {
  double tab[CRM_EXP_N];
  crm_exp_table(tab);
  double worst = 0.0;
  for (long i = 0; i <= 4000000; i++) {
    double x = -708.0 + 1417.0 * (double)i / 4000000.0, want = exp(x), got = crm_exp(tab, x);
    double ulps = fabs(got - want) / (nextafter(want, INFINITY) - want);
    worst = ulps > worst ? ulps : worst;
  }
  for (int j = -708 * 92; j <= 709 * 92; j++) { /* near the reduction's points n ln2 / N */
    double x = j * (0x1.62e42fefa39efp-1 / CRM_EXP_N), want = exp(x), got = crm_exp(tab, x);
    if (x < -708.0 || x > 709.0)
      continue;
    double ulps = fabs(got - want) / (nextafter(want, INFINITY) - want);
    worst = ulps > worst ? ulps : worst;
  }
  cr_assert(worst <= 2.0, "crm_exp is %g ulp from exp", worst);
  cr_assert(crm_exp(tab, 0.0) == 1.0);
  cr_assert(crm_exp(tab, -708.5) == 0.0 && crm_exp(tab, -INFINITY) == 0.0);
  cr_assert(crm_exp(tab, 800.0) == crm_exp(tab, 709.0) && isfinite(crm_exp(tab, 800.0)));
  cr_assert(isnan(crm_exp(tab, NAN)));
}

/* ---- the posterior --------------------------------------------------------------------------- */

typedef struct {
  int n[3], y[3];
  const char *what;
} t_data;

static const t_data data_sets[] = {
    {{0, 0, 0}, {0, 0, 0}, "no patients"},
    {{3, 0, 0}, {0, 0, 0}, "1NNN"},
    {{3, 0, 0}, {3, 0, 0}, "1TTT (all DLT)"},
    {{3, 6, 12}, {0, 1, 4}, "mixed"},
    {{30, 30, 30}, {30, 30, 30}, "90 patients, all DLT"},
    {{60, 90, 100}, {0, 0, 0}, "250 patients, no DLT"},
    {{0, 0, 255}, {0, 0, 255}, "255 DLTs at the top dose"},
    {{255, 0, 0}, {0, 0, 0}, "255 without DLT at dose 1"},
};

/* Mean for every data set, P(p_d > target) for the first four (dose 1, 3, 2, 1). */
Test(crm, posterior_matches_brute_force) {
  const int dose[] = {1, 3, 2, 1};
  for (int m = 0; m < 2; m++) {
    crm_spec sp = spec3((crm_model)m);
    for (size_t i = 0; i < sizeof data_sets / sizeof data_sets[0]; i++) {
      const t_data *ds = &data_sets[i];
      int d = i < 4 ? dose[i] : 0;
      t_truth want = brute_force(&sp, ds->n, ds->y, d, TARGET);
      double mean, p = NAN;
      crm_posterior(&sp, ds->n, ds->y, d > 0 ? d : 1, TARGET, &mean, d > 0 ? &p : NULL);
      cr_assert(fabs(mean - want.mean) <= 1e-8 * fmax(1.0, fabs(want.mean)),
                "model %d, %s: mean %.15f vs brute force %.15f", m, ds->what, mean, want.mean);
      cr_assert(fabs(crm_posterior_mean(&sp, ds->n, ds->y) - mean) == 0.0);
      if (d > 0) {
        cr_assert(fabs(p - want.prob_tox) <= 1e-8,
                  "model %d, %s, dose %d: P %.15f vs brute force %.15f", m, ds->what, d, p,
                  want.prob_tox);
        cr_assert(crm_posterior_prob_tox(&sp, ds->n, ds->y, d, TARGET) == p);
      }
    }
  }
}

/* mpmath values (see the file's header): the posterior mean of a and P(p_1 > target | data). */
static const struct {
  crm_model model;
  int n[3], y[3];
  double mean, p1;
} known[] = {
    {CRM_EMPIRIC, {3, 0, 0}, {0, 0, 0}, 0.78077737971384152026, 0.094728150932981783828},
    {CRM_EMPIRIC, {3, 0, 0}, {3, 0, 0}, -1.6233080070046540013, 0.97822988466337984074},
    {CRM_EMPIRIC, {3, 3, 0}, {0, 1, 0}, 0.21084662070719849978, 0.15852276189029307246},
    {CRM_LOGISTIC, {3, 0, 0}, {0, 0, 0}, 0.87877632038102696279, 0.053008732940835180575},
    {CRM_LOGISTIC, {3, 0, 0}, {3, 0, 0}, -1.3768937756004002646, 0.99515506038914597763},
    {CRM_LOGISTIC, {3, 3, 0}, {0, 1, 0}, 0.1258183951962616353, 0.15879543143164391763},
};

Test(crm, posterior_known_values) {
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    crm_spec sp = spec3(known[i].model);
    double mean, p1;
    crm_posterior(&sp, known[i].n, known[i].y, 1, TARGET, &mean, &p1);
    cr_assert(fabs(mean - known[i].mean) < 1e-10, "case %zu: mean %.15f, want %.15f", i, mean,
              known[i].mean);
    cr_assert(fabs(p1 - known[i].p1) < 1e-10, "case %zu: P %.15f, want %.15f", i, p1, known[i].p1);
  }
  /* After 1NNN the empiric model's plug-in estimates are (0.0311, 0.0722, 0.1366): dose 3. */
  crm_spec sp = spec3(CRM_EMPIRIC);
  cr_assert_eq(crm_recommend(&sp, 0.78077737971384152026, TARGET), 3);
}

/* A logistic skeleton value next to expit(c) makes the log posterior bimodal (modes near a = 0.7
 * and a = 5.05 here); the scan must find both. */
Test(crm, posterior_bimodal_logistic) {
  crm_spec sp = {.model = CRM_LOGISTIC,
                 .k = 3,
                 .skeleton = {0.087, 0.408, 0.879},
                 .intercept = 2.0,
                 .prior_sd = CRM_DEFAULT_PRIOR_SD};
  int n[3] = {3, 1, 9}, y[3] = {0, 0, 2};
  int peaks = 0;
  for (double a = -5.0; a <= 8.0; a += 0.01) {
    double l0 = t_log_post(&sp, n, y, a - 0.01), l1 = t_log_post(&sp, n, y, a),
           l2 = t_log_post(&sp, n, y, a + 0.01);
    peaks += l1 > l0 && l1 > l2;
  }
  cr_assert_eq(peaks, 2, "the data set should have a bimodal posterior");
  double got = crm_posterior_mean(&sp, n, y), want = brute_force(&sp, n, y, 0, TARGET).mean;
  cr_assert(fabs(got - want) < 1e-8, "%.15f vs brute force %.15f", got, want);
}

Test(crm, recommend_rules) {
  crm_spec sp = spec3(CRM_EMPIRIC);
  cr_assert_eq(crm_recommend(&sp, 0.0, TARGET), 2);   /* p = skeleton: 0.3 exactly */
  cr_assert_eq(crm_recommend(&sp, -3.0, TARGET), 1);  /* all above */
  cr_assert_eq(crm_recommend(&sp, 3.0, TARGET), 3);   /* all below */
  cr_assert_eq(crm_recommend(&sp, 800.0, TARGET), 3); /* all round to 0: still the highest */
  /* An exact tie goes to the lower dose: 0.25 and 0.375 are both 0.0625 from 0.3125, exactly in
   * binary floating point. */
  crm_spec tie = {.model = CRM_EMPIRIC, .k = 2, .skeleton = {0.25, 0.375}, .prior_sd = 1.0};
  cr_assert_eq(crm_recommend(&tie, 0.0, 0.3125), 1);
}

/* ---- the design ------------------------------------------------------------------------------ */

/* A design's params hold its fixed rule's tables (crm_rule): instances are static. */
typedef struct {
  alignas(max_align_t) unsigned char bytes[sizeof(crm_rule) + 8192];
} t_params;

static design_setup setup_k(int k) {
  return (design_setup){
      .n_doses = k, .cohort_size = 3, .max_n = 30, .start_dose = 1, .target = TARGET};
}

/* "skeleton=a,b,c EXTRA": options text for support_configure. */
static const char *opts_skeleton(char *buf, size_t len, int k, const double *s, const char *extra) {
  size_t used = (size_t)snprintf(buf, len, "skeleton=");
  for (int d = 0; d < k; d++)
    used += (size_t)snprintf(buf + used, len - used, "%s%.17g", d ? "," : "", s[d]);
  snprintf(buf + used, len - used, " %s", extra);
  return buf;
}

static void configure_ok(t_params *p, const design_setup *su, const char *o) {
  cr_assert(design_crm.params_size <= sizeof p->bytes);
  dv_error err = {0};
  cr_assert_eq(support_configure(&design_crm, su, o, p->bytes, &err), DV_OK, "%s", err.msg);
}

static design_action replay(const t_params *p, const char *outcomes, design_state *s) {
  design_action next;
  char why[200];
  cr_assert(support_replay(&design_crm, p->bytes, outcomes, s, &next, why, sizeof why), "%s: %s",
            outcomes, why);
  return next;
}

static const double low5[5] = {0.05, 0.10, 0.20, 0.30, 0.50};
static const double verylow5[5] = {0.02, 0.04, 0.06, 0.08, 0.10};

Test(crm, table_fields) {
  cr_assert_str_eq(design_crm.name, "crm");
  const char *want[] = {"model",    "prior_sd",           "intercept",          "no_skip",
                        "skeleton", "skeleton.halfwidth", "skeleton.prior_mtd", "stop_toxic",
                        "n_stop"};
  for (int i = 0; i < 9; i++)
    cr_assert_str_eq(design_crm.options[i].key, want[i]);
  cr_assert_null(design_crm.options[9].key);
}

Test(crm, keys_its_state_on_the_last_cohort_only_with_no_skip) {
  static t_params p;
  design_setup su = setup_k(3);
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, ""));
  cr_assert(design_crm.uses_last_cohort(p.bytes));
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, "no_skip=false"));
  cr_assert_not(design_crm.uses_last_cohort(p.bytes));
}

Test(crm, starts_at_the_start_dose) {
  static t_params p;
  design_setup su = setup_k(5);
  su.start_dose = 2;
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 5, low5, ""));
  design_state s;
  memset(&s, 0, sizeof s);
  design_action a = design_crm.decide(p.bytes, &s);
  cr_assert(!a.stop && a.dose == 2);
}

Test(crm, no_skip_caps_escalation_at_one_level) {
  static t_params p;
  design_setup su = setup_k(5);
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 5, low5, "")); /* no_skip defaults to true */
  design_state s;
  design_action a = replay(&p, "1NNN 2NNN", &s);
  cr_assert(!a.stop && a.dose == 3, "got %s %d", a.stop ? "stop" : "treat", a.dose);
  cr_assert_eq(a.rec, 5, "the model itself recommends dose 5");
  cr_assert_eq(design_crm.select(p.bytes, &s, 5), 5, "the model itself wants dose 5");
  cr_assert_eq(design_crm.select(p.bytes, &s, 4), 4, "... and 4 when only 1..4 are admissible");

  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 5, low5, "no_skip=false"));
  a = replay(&p, "1NNN", &s);
  cr_assert(!a.stop && a.dose == 5, "without no_skip: %d", a.dose);
}

Test(crm, no_escalation_after_a_cohort_at_or_above_target) {
  static t_params p;
  design_setup su = setup_k(5);
  char o[256];
  opts_skeleton(o, sizeof o, 5, verylow5, "");
  configure_ok(&p, &su, o);
  design_state s;
  /* 1/3 >= 0.30 at dose 2: stay although the model recommends dose 5; then 0/3: escalate. */
  design_action a = replay(&p, "1NNN 2TNN", &s);
  cr_assert(!a.stop && a.dose == 2, "got %d", a.dose);
  cr_assert_eq(design_crm.select(p.bytes, &s, 5), 5);
  a = replay(&p, "1NNN 2TNN 2NNN", &s);
  cr_assert(!a.stop && a.dose == 3, "got %d", a.dose);

  /* At target 1/3 a rate of 1/3 is >= the target (the comparison is a ratio, not y >= c phi). */
  su.target = 1.0 / 3.0;
  configure_ok(&p, &su, o);
  a = replay(&p, "1NNN 2TNN", &s);
  cr_assert(!a.stop && a.dose == 2, "target 1/3: got %d", a.dose);

  /* With target 0.34, 1/3 is below it and escalation (by one) is allowed. */
  su.target = 0.34;
  configure_ok(&p, &su, o);
  a = replay(&p, "1NNN 2TNN", &s);
  cr_assert(!a.stop && a.dose == 3, "target 0.34: got %d", a.dose);
}

Test(crm, stop_toxic_stops_with_no_mtd) {
  static t_params p;
  design_setup su = setup_k(3);
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, "stop_toxic=0.90"));
  design_state s;
  /* P(p_1 > 0.3 | 3/3 at dose 1) = 0.978 > 0.90 (known value above). */
  design_action a = replay(&p, "1TTT", &s);
  cr_assert(a.stop && a.dose == 0, "got %s %d", a.stop ? "stop" : "treat", a.dose);
  cr_assert_str_eq(design_crm.stop_reasons[a.reason].name, "stop_toxic");
  /* 2/3: 0.536 -> carry on at dose 1. */
  a = replay(&p, "1TTN", &s);
  cr_assert(!a.stop && a.dose == 1, "got %s %d", a.stop ? "stop" : "treat", a.dose);
  /* Without the rule the trial goes on at dose 1. */
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, ""));
  a = replay(&p, "1TTT", &s);
  cr_assert(!a.stop && a.dose == 1);
}

/* n_stop is the rules layer's stop_when_n_at_dose on the model's recommendation: the wrapped
 * policy (design + rules + max_n) stops, the design alone does not. */
Test(crm, n_stop_stops_with_the_recommended_dose) {
  static t_params p;
  design_setup su = setup_k(3);
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, "n_stop=6"));
  policy pol;
  dv_error err = {0};
  cr_assert_eq(policy_init(&pol, &design_crm, p.bytes, &su, NULL, 0, &err), DV_OK, "%s", err.msg);
  design_state s;
  replay(&p, "1NNN 2NNN 3NNN", &s);
  design_action a = policy_decide(&pol, &s);
  cr_assert(!a.stop && a.dose == 3, "3 at dose 3: go on, got %d", a.dose);
  replay(&p, "1NNN 2NNN 3NNN 3TNN", &s);
  a = policy_decide(&pol, &s);
  cr_assert(a.stop && a.dose == 3, "6 at the recommended dose 3: got %s %d",
            a.stop ? "stop" : "treat", a.dose);
  cr_assert_str_eq(pol.reasons[a.reason], "n_stop");
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, "n_stop=0")); /* never */
  cr_assert_eq(policy_init(&pol, &design_crm, p.bytes, &su, NULL, 0, &err), DV_OK, "%s", err.msg);
  a = policy_decide(&pol, &s);
  cr_assert(!a.stop && a.dose == 3);
}

Test(crm, select_ignores_no_skip) {
  static t_params p;
  design_setup su = setup_k(5);
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 5, low5, ""));
  design_state s;
  design_action a = replay(&p, "1NNN", &s);
  cr_assert(!a.stop && a.dose == 2);
  cr_assert_eq(design_crm.select(p.bytes, &s, 5), 5);
}

/* Without restrictions decide is exactly crm_recommend at the posterior mean. */
Test(crm, decide_is_the_model_recommendation_without_restrictions) {
  static t_params p;
  design_setup su = setup_k(3);
  char o[256];
  configure_ok(&p, &su, opts_skeleton(o, sizeof o, 3, skel3, "no_skip=false model=logistic"));
  crm_spec sp = spec3(CRM_LOGISTIC);
  for (int cur = 1; cur <= 3; cur++)
    for (int code = 0; code < 4 * 4 * 4; code++) {
      design_state s;
      memset(&s, 0, sizeof s);
      int n[3], y[3];
      for (int d = 0; d < 3; d++) {
        n[d] = 3;
        y[d] = (code >> (2 * d)) & 3;
        s.n[d] = 3;
        s.y[d] = (uint8_t)y[d];
      }
      s.cur = (uint8_t)cur;
      int want = crm_recommend(&sp, crm_posterior_mean(&sp, n, y), TARGET);
      design_action a = design_crm.decide(p.bytes, &s);
      cr_assert(!a.stop && a.dose == want, "state %d: %d, want %d", code, a.dose, want);
    }
}

Test(crm, calibrated_skeleton_config_equals_the_explicit_one) {
  static t_params cal, exp_;
  design_setup su = setup_k(3);
  configure_ok(&cal, &su, "skeleton.halfwidth=0.05 skeleton.prior_mtd=2");
  double s[3];
  dv_error err = {0};
  cr_assert_eq(crm_skeleton_calibrate(CRM_EMPIRIC, TARGET, 0.05, 2, 3, 3.0, s, &err), DV_OK);
  char o[256];
  configure_ok(&exp_, &su, opts_skeleton(o, sizeof o, 3, s, ""));
  const char *trials[] = {"1NNN", "1NNN 2NTN", "1NNN 2NNN 3TTN", "1TNN 1NNN", "1NNN 2TTT"};
  for (int i = 0; i < 5; i++) {
    design_state a, b;
    design_action x = replay(&cal, trials[i], &a), y = replay(&exp_, trials[i], &b);
    cr_assert(x.stop == y.stop && x.dose == y.dose, "%s", trials[i]);
  }
}

/* A bad value: the message starts with the key (the config loader adds file, line, design). */
static void configure_fails(const design_setup *su, const char *o, const char *needle) {
  static t_params p;
  dv_error err = {0};
  cr_assert_eq(support_configure(&design_crm, su, o, p.bytes, &err), DV_ECONFIG,
               "accepted %s, expected an error about %s", o, needle);
  cr_assert(strstr(err.msg, needle) == err.msg && strstr(err.msg, "allowed") != NULL,
            "'%s' does not start with '%s'", err.msg, needle);
}

Test(crm, configure_rejects_bad_values) {
  design_setup su = setup_k(3);
  char o[256];
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, skel3, "model=probit"), "model: 'probit'");
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, skel3, "prior_sd=0"), "prior_sd:");
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, skel3, "stop_toxic=1"), "stop_toxic:");
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, skel3, "n_stop=-1"), "n_stop:");
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, skel3, "intercept=3"), "intercept:");
  configure_fails(&su, opts_skeleton(o, sizeof o, 2, skel3, ""), "skeleton: 2 values");
  const double flat[3] = {0.1, 0.3, 0.3}, out_of_range[3] = {0.0, 0.3, 0.4};
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, flat, ""), "skeleton: 0.29999");
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, out_of_range, ""), "skeleton: 0 (value 1)");
  configure_fails(&su, "", "skeleton: missing");
  configure_fails(&su, "skeleton.halfwidth=0.05", "skeleton.prior_mtd: missing");
  configure_fails(&su, "skeleton.halfwidth=0.05 skeleton.prior_mtd=4", "skeleton.prior_mtd: 4");
  configure_fails(&su, "skeleton.halfwidth=0.3 skeleton.prior_mtd=2", "skeleton.halfwidth: 0.3");
  configure_fails(&su, opts_skeleton(o, sizeof o, 3, skel3, "skeleton.halfwidth=0.05"),
                  "skeleton: both");
}

/* ---- the fixed rule against the adaptive integrator ------------------------------------------
 *
 * design_crm fits with crm_rule_posterior and falls back to crm_posterior (the adaptive rule
 * checked against brute force above) whenever the rule does not answer or its answer is within
 * 1e-8 of a decision's threshold. Its decisions are therefore the adaptive rule's as long as the
 * two agree to 1e-8; here they are asked to agree to 1e-10, on random counts for both models and
 * four prior sds, and on every state of whole trial graphs, where every decision must be the one
 * the adaptive integrator's posterior gives. */

/* xorshift64 (Marsaglia 2003, J Stat Softw 8(14)): any fixed sequence will do. */
static double t_uniform(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return (double)(*x >> 11) * 0x1.0p-53;
}

/* Counts as a trial of cohorts of 3 could leave them: up to n_max patients, spread around a
 * random dose, DLTs from a random increasing curve (often far from the skeleton). */
static void t_random_counts(uint64_t *x, int k, int n_max, int *n, int *y) {
  memset(n, 0, (size_t)k * sizeof *n);
  memset(y, 0, (size_t)k * sizeof *y);
  int cohorts = (int)(t_uniform(x) * (n_max / 3 + 1));
  double centre = t_uniform(x) * k, spread = 0.5 + 2.0 * t_uniform(x);
  double p0 = 0.02 + 0.5 * t_uniform(x), slope = 0.1 * t_uniform(x);
  for (int i = 0; i < cohorts; i++) {
    int d = (int)(centre + spread * (2.0 * t_uniform(x) - 1.0));
    d = d < 0 ? 0 : d >= k ? k - 1 : d;
    double p = fmin(p0 + slope * d, 0.95);
    n[d] += 3;
    for (int j = 0; j < 3; j++)
      y[d] += t_uniform(x) < p;
  }
}

/* The adaptive reference and the rule on one data set: the mean, each dose's plug-in P(DLT) and
 * P(p_1 > target) to 1e-10; asked about a threshold, an interval that holds the reference and,
 * if it is not the probability itself, lies more than the margin away from the threshold.
 * Returns whether the rule answered. */
static bool t_rule_agrees(const crm_rule *r, const crm_spec *sp, const int *n, const int *y,
                          double target, double threshold, const char *what) {
  double mean, p, mean_r, lo, hi;
  crm_posterior(sp, n, y, 1, target, &mean, &p);
  if (!crm_rule_posterior(r, n, y, NAN, 0.0, &mean_r, &lo, &hi))
    return false;
  cr_assert(fabs(mean_r - mean) <= 1e-10 * fmax(1.0, fabs(mean)), "%s: mean %.15g, adaptive %.15g",
            what, mean_r, mean);
  cr_assert(lo == hi && fabs(lo - p) <= 1e-10, "%s: P %.15g..%.15g, adaptive %.15g", what, lo, hi,
            p);
  for (int d = 0; d < sp->k; d++) {
    double s = sp->skeleton[d];
    cr_assert(fabs(crm_dose_tox(sp->model, s, sp->intercept, mean_r) -
                   crm_dose_tox(sp->model, s, sp->intercept, mean)) <= 1e-10,
              "%s: P(DLT) at dose %d", what, d + 1);
  }
  double again;
  cr_assert(crm_rule_posterior(r, n, y, threshold, 1e-8, &again, &lo, &hi), "%s", what);
  cr_assert(again == mean_r && lo <= p + 1e-10 && hi >= p - 1e-10,
            "%s: threshold %g: %.15g..%.15g does not hold %.15g", what, threshold, lo, hi, p);
  cr_assert(lo == hi || hi < threshold - 1e-8 || lo > threshold + 1e-8,
            "%s: bounds %.15g..%.15g do not settle threshold %g", what, lo, hi, threshold);
  return true;
}

static crm_spec t_spec(crm_model model, int k, int prior_mtd, double sd, double target,
                       double intercept) {
  crm_spec sp = {.model = model, .k = k, .intercept = intercept, .prior_sd = sd};
  dv_error err = {0};
  cr_assert_eq(
      crm_skeleton_calibrate(model, target, 0.05, prior_mtd, k, sp.intercept, sp.skeleton, &err),
      DV_OK, "%s", err.msg);
  return sp;
}

Test(crm, fixed_rule_agrees_with_the_adaptive_integrator_on_random_counts) {
  const double sds[] = {0.5, 1.0, CRM_DEFAULT_PRIOR_SD, 2.0};
  const struct { int k, n_max, prior_mtd; } shapes[] = {{3, 21, 2}, {5, 30, 3}, {8, 60, 4}};
  crm_rule *r = malloc(sizeof *r);
  cr_assert_not_null(r);
  uint64_t x = 88172645463325252u;
  int checked = 0;
  for (int m = 0; m < 2; m++)
    for (size_t i = 0; i < sizeof sds / sizeof sds[0]; i++)
      for (size_t j = 0; j < sizeof shapes / sizeof shapes[0]; j++) {
        crm_spec sp = t_spec((crm_model)m, shapes[j].k, shapes[j].prior_mtd, sds[i], 0.25,
                             CRM_DEFAULT_INTERCEPT);
        crm_rule_init(r, &sp, shapes[j].n_max, 1, 0.25);
        cr_assert(r->on, "model %d sd %g: no tables", m, sds[i]);
        int answered = 0, covered = 0;
        for (int t = 0; t < 1000; t++) {
          int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES], total = 0;
          t_random_counts(&x, sp.k, shapes[j].n_max, n, y);
          char what[200];
          int used = snprintf(what, sizeof what, "model %d sd %g:", m, sds[i]);
          for (int d = 0; d < sp.k; d++) {
            used += snprintf(what + used, sizeof what - (size_t)used, " %d/%d", y[d], n[d]);
            total += n[d];
          }
          covered += total <= r->n_max;
          answered += t_rule_agrees(r, &sp, n, y, 0.25, t_uniform(&x), what);
        }
        /* the rule answers nearly everywhere it is sized for (data far from any curve of the
         * model, which these random counts often are, being the exception) */
        cr_assert_geq(answered, covered * 9 / 10, "model %d sd %g k %d: %d of %d", m, sds[i], sp.k,
                      answered, covered);
        checked += answered;
      }
  cr_assert_gt(checked, 20000);
  free(r);
}

/* The mpmath values of posterior_known_values, through the rule. */
Test(crm, fixed_rule_known_values) {
  crm_rule *r = malloc(sizeof *r);
  cr_assert_not_null(r);
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    crm_spec sp = spec3(known[i].model);
    crm_rule_init(r, &sp, 21, 1, TARGET);
    double mean, lo, hi;
    cr_assert(crm_rule_posterior(r, known[i].n, known[i].y, NAN, 0.0, &mean, &lo, &hi));
    cr_assert(fabs(mean - known[i].mean) < 1e-10, "case %zu: mean %.15f, want %.15f", i, mean,
              known[i].mean);
    cr_assert(fabs(lo - known[i].p1) < 1e-10, "case %zu: P %.15f, want %.15f", i, lo, known[i].p1);
  }
  free(r);
}

/* Every state of one design's whole graph (built as the exact engine builds it). */
static void t_each_state(const config_design *d,
                         void (*check)(const config_design *, const design_state *, void *),
                         void *ctx) {
  graph *g = NULL;
  dv_error err = {0};
  cr_assert_eq(graph_alloc(&g, &d->policy, (size_t)1 << 22, &err), DV_OK, "%s", err.msg);
  int32_t id;
  cr_assert_eq(graph_root(g, &id, &err), DV_OK, "%s", err.msg);
  for (size_t i = 0; i < graph_size(g); i++) {
    if (graph_action(g, (int32_t)i).stop)
      continue;
    for (int y = 0; y <= d->setup.cohort_size; y++)
      cr_assert_eq(graph_child(g, (int32_t)i, y, &id, &err), DV_OK, "%s", err.msg);
  }
  for (size_t i = 0; i < graph_size(g); i++) {
    design_state s;
    graph_state(g, (int32_t)i, &s);
    check(d, &s, ctx);
  }
  graph_free(g);
}

typedef struct {
  crm_spec spec;
  double target, stop_toxic; /* NAN: no stop_toxic */
  long states, toxic;
} t_graph_case;

/* decide and select as design_crm gives them, and as its decide_fit and select_fit give them
 * from the adaptive integrator's posterior. */
static void t_decides_as_adaptive(const config_design *d, const design_state *s, void *ctx) {
  t_graph_case *c = ctx;
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  for (int i = 0; i < c->spec.k; i++) {
    n[i] = s->n[i];
    y[i] = s->y[i];
  }
  double mean, p;
  crm_posterior(&c->spec, n, y, 1, c->target, &mean, &p);
  crm_counts_fit ref = {.a_hat = mean, .toxic = !isnan(c->stop_toxic) && p > c->stop_toxic};
  for (int h = 1; h <= c->spec.k; h++) {
    crm_spec upto = c->spec;
    upto.k = h;
    ref.rec[h - 1] = (uint8_t)crm_recommend(&upto, mean, c->target);
  }
  crm_counts_fit fit;
  design_crm.fit(d->params, s, &fit);
  cr_assert(fabs(fit.a_hat - mean) <= 1e-10 * fmax(1.0, fabs(mean)), "%s: a %.15g, adaptive %.15g",
            d->name, fit.a_hat, mean);
  design_action a = design_crm.decide(d->params, s), b = design_crm.decide_fit(d->params, s, &ref);
  cr_assert(memcmp(&a, &b, sizeof a) == 0, "%s: decision differs at a state of %d patients",
            d->name, design_total_n(s, c->spec.k));
  for (int h = 1; h <= c->spec.k; h++)
    cr_assert_eq(design_crm.select(d->params, s, h), design_crm.select_fit(d->params, s, h, &ref),
                 "%s: select(%d) differs", d->name, h);
  c->states++;
  c->toxic += ref.toxic;
}

Test(crm, fixed_rule_decides_as_the_adaptive_integrator_on_whole_graphs, .timeout = 300) {
  const struct {
    const char *study, *design;
    crm_model model;
    int k, prior_mtd;
    double target, sd, intercept, stop_toxic;
    long min_states;
  } cases[] = {
      {"doses: [1, 2, 3], target: 0.30, cohort_size: 3, max_n: 21",
       "skeleton: {halfwidth: 0.05, prior_mtd: 2}, stop_toxic: 0.90", CRM_EMPIRIC, 3, 2, 0.30,
       CRM_DEFAULT_PRIOR_SD, 3.0, 0.90, 1000},
      {"doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30",
       "skeleton: {halfwidth: 0.05, prior_mtd: 3}, stop_toxic: 0.90", CRM_EMPIRIC, 5, 3, 0.25,
       CRM_DEFAULT_PRIOR_SD, 3.0, 0.90, 10000},
      {"doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30",
       "model: logistic, skeleton: {halfwidth: 0.05, prior_mtd: 3}, stop_toxic: 0.90, start_dose: "
       "2",
       CRM_LOGISTIC, 5, 3, 0.25, CRM_DEFAULT_PRIOR_SD, 3.0, 0.90, 10000},
      {"doses: [1, 2, 3, 4, 5, 6], target: 0.25, cohort_size: 3, max_n: 36",
       "prior_sd: 0.8, no_skip: false, skeleton: {halfwidth: 0.05, prior_mtd: 3}", CRM_EMPIRIC, 6,
       3, 0.25, 0.8, 3.0, NAN, 10000},
      {"doses: [1, 2, 3, 4], target: 0.25, cohort_size: 3, max_n: 27",
       "model: logistic, prior_sd: 2, intercept: 1, skeleton: {halfwidth: 0.05, prior_mtd: 2}, "
       "stop_toxic: 0.8",
       CRM_LOGISTIC, 4, 2, 0.25, 2.0, 1.0, 0.8, 5000},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "study: {name: g, %s}\n"
             "designs:\n  - {name: CRM, type: crm, %s}\n"
             "scenarios: [{name: s, p_tox: [%s]}]\n",
             cases[i].study, cases[i].design,
             cases[i].k == 3   ? "0.1, 0.2, 0.3"
             : cases[i].k == 4 ? "0.1, 0.2, 0.3, 0.4"
             : cases[i].k == 5 ? "0.1, 0.2, 0.3, 0.4, 0.5"
                               : "0.1, 0.2, 0.3, 0.4, 0.5, 0.6");
    config *cfg = support_config(yaml);
    t_graph_case c = {.target = cases[i].target, .stop_toxic = cases[i].stop_toxic};
    c.spec = t_spec(cases[i].model, cases[i].k, cases[i].prior_mtd, cases[i].sd, cases[i].target,
                    cases[i].intercept);
    t_each_state(&cfg->designs[0], t_decides_as_adaptive, &c);
    cr_assert_geq(c.states, cases[i].min_states, "case %zu: %ld states", i, c.states);
    if (!isnan(c.stop_toxic))
      cr_assert_gt(c.toxic, 0, "case %zu: stop_toxic never fired", i);
    config_free(cfg);
  }
}
