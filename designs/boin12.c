/* boin12.c — BOIN12, the Bayesian optimal interval phase I/II design for the optimal biological
 * dose (Lin R, Zhou Y, Yan F, Li D, Yuan Y (2020), JCO Precision Oncology 4:1393-1402, and its
 * Data Supplement; SPEC section 13).
 *
 * Each patient has one of four outcomes (response and DLT), worth u1 = 100 (response, no DLT),
 * u2 (neither), u3 (both) and u4 = 0 (DLT, no response) points. A dose's n patients give the
 * quasi-binomial count x = (sum of their utilities) / 100 and the posterior Beta(1 + x, 1 + n - x)
 * of its mean utility / 100; its desirability score is the posterior probability that the
 * utility exceeds the benchmark u_b = u_bar + (100 - u_bar) / 2, u_bar the utility of a dose at
 * the limits (p_T = phi_T, p_E = phi_E, independent outcomes). With y DLTs and e responses out
 * of n the count is u2 n + (100 - u2) e - u2 y whenever u2 + u3 = 100, which this design
 * requires: the state keeps (n, y, e) per dose, and the sum of utilities depends on them alone
 * exactly then (the paper's defaults, 40 and 60, are such).
 *
 * After each cohort at dose d with n_d patients and DLT rate p = y_d / n_d (BOIN's boundaries
 * lambda_e < lambda_d at phi_T, Liu & Yuan 2015):
 *  0. a dose with n >= 3 and P(p_T > phi_T | Beta(1 + y, 1 + n - y)) > c_T is too toxic: it and
 *     every dose above are eliminated for good (their counts never change again, so the counts
 *     say it); the trial stops with no OBD when the lowest dose is;
 *  1. explore (Data Supplement): n_d >= 9, p < lambda_d and d + 1 untried: treat at d + 1;
 *  2. p >= lambda_d: de-escalate (stay at the lowest dose);
 *  3. lambda_e < p < lambda_d and n_d >= N*: the admissible dose of {d - 1, d} with the highest
 *     score;
 *  4. otherwise the admissible dose of {d - 1, d, d + 1} with the highest score;
 * ties in score go to the higher dose (the BOIN12 Shiny application's rule); a dose is admissible
 * when it is not eliminated and not futile (P(p_E < phi_E | Beta(1 + e, 1 + n - e)) > c_E is
 * futile; strict inequalities as in the authors' code). No admissible dose in 3 or 4: the trial
 * stops with no OBD. The trial stops when the next cohort's dose already has n_cap patients.
 *
 * The OBD (the authors' code; SPEC 13): over the tried, non-eliminated doses, the toxicity
 * estimate is the patient-weighted isotonic (PAVA) regression of y/n, the efficacy estimate the
 * patient-weighted unimodal isotonic regression of e/n; the isotonic MTD is the dose whose
 * toxicity estimate is closest to phi_T (BOIN's ties); among the doses at or below it the one of
 * largest estimated utility u1 q(1 - p) + u2 (1 - q)(1 - p) + u3 q p + u4 (1 - q) p is the OBD
 * (ties to the lower dose). */
#include "boin12.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "beta.h"
#include "boin.h"
#include "interval.h"

typedef struct {
  double tox_limit, eff_min, cutoff_tox, cutoff_eff;
  long n_star, n_cap, u_neither, u_both;
  bool explore;
} boin12_options;

static const design_option boin12_option_table[] = {
    {.key = "tox_limit",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin12_options, tox_limit),
     .def = 0.35,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "phi_T, the highest acceptable DLT probability"},
    {.key = "eff_min",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin12_options, eff_min),
     .def = 0.25,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "phi_E, the lowest acceptable response probability"},
    {.key = "cutoff_tox",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin12_options, cutoff_tox),
     .def = 0.95,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "c_T: a dose with P(DLT rate > phi_T | data) above it is too toxic"},
    {.key = "cutoff_eff",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin12_options, cutoff_eff),
     .def = 0.9,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "c_E: a dose with P(response rate < phi_E | data) above it is futile"},
    {.key = "n_star",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(boin12_options, n_star),
     .def = 6,
     .min = DESIGN_AT_LEAST(1),
     .max = DESIGN_AT_MOST(DESIGN_MAX_N),
     .help = "N*: with this many at the dose and a DLT rate between the boundaries, no escalation"},
    {.key = "n_cap",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(boin12_options, n_cap),
     .def = 12,
     .min = DESIGN_AT_LEAST(1),
     .max = DESIGN_AT_MOST(DESIGN_MAX_N),
     .help = "stop when the next cohort's dose already has this many patients"},
    {.key = "utility_neither",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(boin12_options, u_neither),
     .def = 40,
     .min = DESIGN_AT_LEAST(0),
     .max = DESIGN_AT_MOST(100),
     .help = "utility of neither response nor DLT (response without DLT 100, DLT without 0)"},
    {.key = "utility_both",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(boin12_options, u_both),
     .def = 60,
     .min = DESIGN_AT_LEAST(0),
     .max = DESIGN_AT_MOST(100),
     .help = "utility of response with DLT; utility_neither + utility_both must be 100"},
    {.key = "explore",
     .kind = DESIGN_OPT_BOOL,
     .at = offsetof(boin12_options, explore),
     .def = 1,
     .help = "with 9 at the dose, its DLT rate below lambda_d and the next dose untried: go there"},
    {.key = NULL}};

enum { BOIN12_LOWEST_ELIMINATED, BOIN12_NONE_ADMISSIBLE, BOIN12_N_CAP };
static const design_reason boin12_reasons[] = {{"lowest_dose_eliminated", true},
                                               {"no_admissible_dose", false},
                                               {"n_cap", false},
                                               {NULL, false}};

/* ---- the pure functions of boin12.h ---- */

int boin12_utility_count(const boin12_params *p, int n, int y, int e) {
  return p->u_neither * n + (100 - p->u_neither) * e - p->u_neither * y;
}

double boin12_score(const boin12_params *p, int n, int y, int e) {
  double x = boin12_utility_count(p, n, y, e) / 100.0;
  return beta_upper_tail(1.0 + x, 1.0 + n - x, p->benchmark);
}

static bool too_toxic(const boin12_params *p, int n, int y) { return y >= p->tox_out[n]; }
static bool futile(const boin12_params *p, int n, int e) { return e <= p->futile[n]; }

bool boin12_admissible(const boin12_params *p, int n, int y, int e) {
  return !too_toxic(p, n, y) && !futile(p, n, e);
}

/* The lowest eliminated dose (K + 1: none): the lowest too toxic, with every dose above it. */
static int lowest_eliminated(const boin12_params *p, const design_state *s) {
  for (int d = 1; d <= p->n_doses; d++)
    if (too_toxic(p, s->n[d - 1], s->y[d - 1]))
      return d;
  return p->n_doses + 1;
}

/* Unimodal weighted least squares (Stout 2008's definition): for each split m, non-decreasing on
 * [0, m] and non-increasing on (m, k), each by PAVA; the split of least weighted squared error
 * (the first on a tie). Every such fit is unimodal, and the best unimodal fit is one of them. */
static void unimodal(const double *est, const double *w, int k, double *out) {
  double best = INFINITY, up[DESIGN_MAX_DOSES], down[DESIGN_MAX_DOSES];
  double rev_est[DESIGN_MAX_DOSES], rev_w[DESIGN_MAX_DOSES];
  for (int m = 0; m < k; m++) {
    interval_pava(est, w, m + 1, up);
    int rest = k - m - 1;
    for (int i = 0; i < rest; i++) { /* non-increasing: PAVA of the reversed tail */
      rev_est[i] = est[k - 1 - i];
      rev_w[i] = w[k - 1 - i];
    }
    interval_pava(rev_est, rev_w, rest, down);
    double sse = 0.0, fit[DESIGN_MAX_DOSES];
    for (int i = 0; i < k; i++) {
      fit[i] = i <= m ? up[i] : down[k - 1 - i];
      sse += w[i] * (fit[i] - est[i]) * (fit[i] - est[i]);
    }
    if (sse < best) {
      best = sse;
      memcpy(out, fit, (size_t)k * sizeof *out);
    }
  }
}

static double utility_of(const boin12_params *p, double tox, double eff) {
  return 100.0 * eff * (1.0 - tox) + p->u_neither * (1.0 - eff) * (1.0 - tox) +
         p->u_both * eff * tox;
}

/* The estimates over doses 1..k that are tried and not eliminated (others NAN). */
static void estimates_below(const boin12_params *p, const design_state *s, int k, double *tox,
                            double *eff, double *utility) {
  double t[DESIGN_MAX_DOSES] = {0}, e[DESIGN_MAX_DOSES] = {0}, w[DESIGN_MAX_DOSES] = {0};
  double ft[DESIGN_MAX_DOSES], fe[DESIGN_MAX_DOSES];
  int at[DESIGN_MAX_DOSES], m = 0;
  for (int d = 0; d < k; d++) {
    tox[d] = eff[d] = utility[d] = NAN;
    if (s->n[d] > 0) {
      at[m] = d;
      w[m] = s->n[d];
      t[m] = (double)s->y[d] / s->n[d];
      e[m] = (double)s->e[d] / s->n[d];
      m++;
    }
  }
  interval_pava(t, w, m, ft);
  unimodal(e, w, m, fe);
  for (int i = 0; i < m; i++) {
    tox[at[i]] = ft[i];
    eff[at[i]] = fe[i];
    utility[at[i]] = utility_of(p, ft[i], fe[i]);
  }
}

void boin12_estimates(const boin12_params *p, const design_state *s, int k, double *tox,
                      double *eff, double *utility) {
  int first_out = lowest_eliminated(p, s);
  estimates_below(p, s, k < first_out - 1 ? k : first_out - 1, tox, eff, utility);
  for (int d = first_out - 1; d < k; d++)
    tox[d] = eff[d] = utility[d] = NAN;
}

/* ---- the design ---- */

static int boin12_select(const void *params, const design_state *s, int highest) {
  const boin12_params *p = params;
  int k = p->n_doses, first_out = lowest_eliminated(p, s);
  if (first_out == 1)
    return 0;
  k = k < first_out - 1 ? k : first_out - 1;
  double tox[DESIGN_MAX_DOSES], eff[DESIGN_MAX_DOSES], u[DESIGN_MAX_DOSES];
  estimates_below(p, s, k, tox, eff, u);
  /* the isotonic MTD among the tried doses: BOIN's closest-to-target rule and ties */
  double est[DESIGN_MAX_DOSES];
  int dose_of[DESIGN_MAX_DOSES], m = 0;
  for (int d = 0; d < k; d++)
    if (s->n[d] > 0) {
      dose_of[m] = d + 1;
      est[m++] = tox[d];
    }
  int i = interval_closest(est, m, p->tox_limit, INFINITY);
  if (i < 0)
    return 0;
  int mtd = dose_of[i], top = mtd < highest ? mtd : highest, obd = 0;
  for (int d = 1; d <= top; d++)
    if (s->n[d - 1] > 0 && (obd == 0 || u[d - 1] > u[obd - 1]))
      obd = d;
  return obd;
}

/* The admissible dose of [lo, hi] with the highest score, ties to the higher; 0 if none. */
static int best_of(const boin12_params *p, const design_state *s, int lo, int hi, int first_out) {
  int best = 0;
  double best_score = -1.0;
  for (int d = lo < 1 ? 1 : lo; d <= hi && d <= p->n_doses && d < first_out; d++) {
    int n = s->n[d - 1], y = s->y[d - 1], e = s->e[d - 1];
    if (futile(p, n, e))
      continue;
    double sc = boin12_score(p, n, y, e);
    if (sc >= best_score) {
      best = d;
      best_score = sc;
    }
  }
  return best;
}

static design_action boin12_decide(const void *params, const design_state *s) {
  const boin12_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  int first_out = lowest_eliminated(p, s);
  if (first_out == 1)
    return design_stop(0, BOIN12_LOWEST_ELIMINATED);
  int d = s->cur, n = s->n[d - 1], next;
  double rate = (double)s->y[d - 1] / n;
  if (p->explore && n >= 9 && rate < p->lambda_d && d < p->n_doses && s->n[d] == 0 &&
      d + 1 < first_out)
    next = d + 1;
  else if (rate >= p->lambda_d || d >= first_out) {
    next = d > 1 ? d - 1 : d;
    next = next < first_out ? next : first_out - 1;
  } else if (rate > p->lambda_e && n >= p->n_star)
    next = best_of(p, s, d - 1, d, first_out);
  else
    next = best_of(p, s, d - 1, d + 1, first_out);
  if (next == 0)
    return design_stop(0, BOIN12_NONE_ADMISSIBLE);
  if (s->n[next - 1] >= p->n_cap)
    return design_stop(boin12_select(p, s, p->n_doses), BOIN12_N_CAP);
  return design_treat(next);
}

static dv_status boin12_configure(void *params, const design_setup *setup, const void *options,
                                  dv_error *err) {
  const boin12_options *o = options;
  boin12_params *p = params;
  memset(p, 0, sizeof *p);
  if (o->u_neither + o->u_both != 100)
    return error_set(err, DV_ECONFIG,
                     "utility_both: %ld with utility_neither %ld; allowed: utility_neither + "
                     "utility_both = 100 (only then do the counts kept per dose give the "
                     "patients' utility sum)",
                     o->u_both, o->u_neither);
  p->n_doses = setup->n_doses;
  p->start_dose = setup->start_dose;
  p->tox_limit = o->tox_limit;
  p->eff_min = o->eff_min;
  p->cutoff_tox = o->cutoff_tox;
  p->cutoff_eff = o->cutoff_eff;
  p->n_star = (int)o->n_star;
  p->n_cap = (int)o->n_cap;
  p->explore = o->explore;
  p->u_neither = (int)o->u_neither;
  p->u_both = (int)o->u_both;
  /* BOIN's boundaries at phi_T with its default p_saf = 0.6 phi_T, p_tox = 1.4 phi_T, as the
   * paper's Table 2 (the BOIN package's get.boundary at target phi_T) */
  boin_boundaries(p->tox_limit, 0.6 * p->tox_limit, 1.4 * p->tox_limit, &p->lambda_e, &p->lambda_d);
  /* u_bar: the utility of a dose exactly at both limits, outcomes independent; u_b halfway from
   * it to 100 (the paper's benchmark) */
  double ubar = utility_of(p, p->tox_limit, p->eff_min);
  p->benchmark = (ubar + (100.0 - ubar) / 2.0) / 100.0;
  for (int n = 0; n <= DESIGN_MAX_N; n++) {
    p->tox_out[n] = (short)interval_elimination_threshold(p->tox_limit, p->cutoff_tox, n);
    /* P(p_E < phi_E | Beta(1 + e, 1 + n - e)) = 1 - interval_tail(e, n, phi_E) decreases in e */
    p->futile[n] = -1;
    for (int e = 0; e <= n && 1.0 - interval_tail(e, n, p->eff_min) > p->cutoff_eff; e++)
      p->futile[n] = (short)e;
  }
  return DV_OK;
}

static void boin12_describe(const void *params, char *buf, size_t len) {
  const boin12_params *p = params;
  snprintf(buf, len,
           "BOIN12 (Lin, Zhou, Yan, Li & Yuan 2020)\n"
           "tox_limit   %.4f  phi_T\n"
           "eff_min     %.4f  phi_E\n"
           "lambda_e    %.4f  BOIN's escalation boundary at phi_T\n"
           "lambda_d    %.4f  BOIN's de-escalation boundary at phi_T\n"
           "utilities   100 response only, %d neither, %d both, 0 DLT only\n"
           "benchmark   %.2f  the score is 100 x P(utility > benchmark | data)\n",
           p->tox_limit, p->eff_min, p->lambda_e, p->lambda_d, p->u_neither, p->u_both,
           100.0 * p->benchmark);
}

/* The trial log: each dose's counts, admissibility and score, then the rule that moved. */
static void boin12_explain(const void *params, const design_state *s, char *buf, size_t len) {
  const boin12_params *p = params;
  size_t used = 0;
  int first_out = lowest_eliminated(p, s);
  for (int d = 1; d <= p->n_doses && used < len; d++) {
    int n = s->n[d - 1], y = s->y[d - 1], e = s->e[d - 1];
    const char *state = d >= first_out    ? "eliminated (too toxic)"
                        : futile(p, n, e) ? "futile"
                                          : "admissible";
    int w = snprintf(buf + used, len - used,
                     "dose %d: %d treated, %d DLT, %d responses, %s, score %.1f\n", d, n, y, e,
                     state, 100.0 * boin12_score(p, n, y, e));
    used += w > 0 ? (size_t)w : 0;
  }
  if (s->cur > 0 && used < len) {
    int d = s->cur, n = s->n[d - 1];
    double rate = n > 0 ? (double)s->y[d - 1] / n : 0.0;
    /* the rule decide applies, in its order */
    const char *rule =
        first_out == 1 ? "the lowest dose is too toxic: stop with no OBD"
        : p->explore && n >= 9 && rate < p->lambda_d && d < p->n_doses && s->n[d] == 0 &&
                d + 1 < first_out
            ? "9 or more at the dose, rate below lambda_d, the next dose untried: explore it"
        : rate >= p->lambda_d || d >= first_out ? "rate >= lambda_d: de-escalate"
        : rate > p->lambda_e && n >= p->n_star
            ? "lambda_e < rate < lambda_d with N* at the dose: the best admissible of d-1, d"
            : "the best admissible score of d-1, d, d+1 (ties to the higher)";
    snprintf(buf + used, len - used,
             "DLT rate at dose %d: %d/%d; lambda_e %.3f, lambda_d %.3f, N* %d\nrule: %s\n", d,
             s->y[d - 1], n, p->lambda_e, p->lambda_d, p->n_star, rule);
  }
}

/* SPEC 13: the dose of highest true mean utility among the doses with p_T <= phi_T (the lower on
 * a tie); none when no dose is. */
static int boin12_true_dose(const void *params, const double *p_tox, const double *p_eff, int k) {
  const boin12_params *p = params;
  int best = 0;
  for (int d = 1; d <= k; d++)
    if (p_tox[d - 1] <= p->tox_limit &&
        (best == 0 || utility_of(p, p_tox[d - 1], p_eff[d - 1]) >
                          utility_of(p, p_tox[best - 1], p_eff[best - 1])))
      best = d;
  return best;
}

static double boin12_true_utility(const void *params, double p_tox, double p_eff) {
  return utility_of(params, p_tox, p_eff);
}

const design_type design_boin12 = {
    .name = "boin12",
    .title = "BOIN12, the utility-based phase I/II design for the optimal biological dose (Lin et "
             "al. 2020)",
    .options = boin12_option_table,
    .options_size = sizeof(boin12_options),
    .params_size = sizeof(boin12_params),
    .stop_reasons = boin12_reasons,
    .configure = boin12_configure,
    .decide = boin12_decide,
    .select = boin12_select,
    .describe = boin12_describe,
    .explain = boin12_explain,
    .reads_responses = true,
    .true_dose = boin12_true_dose,
    .selects = "OBD",
    .true_utility = boin12_true_utility,
};
