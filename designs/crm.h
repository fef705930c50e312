/* crm.h — the Bayesian one-parameter CRM (O'Quigley, Pepe & Fisher 1990; Cheung 2011): its two
 * dose-toxicity models, the skeleton calibration of Lee & Cheung (2009) and the posterior of a.
 *
 * Everything here is a pure function of its arguments: no allocation, no randomness, no I/O. The
 * design table that uses it (design_crm) lives in designs/crm.c; `doseval skeleton` prints
 * crm_skeleton_calibrate's answer.
 *
 * Models (SPEC section 6), with skeleton s_1 < ... < s_K in (0, 1) and the parameter a:
 *   empiric   p_d(a) = s_d ^ exp(a)
 *   logistic  p_d(a) = 1 / (1 + exp(-c - exp(a) x_d)),  x_d = logit(s_d) - c  (intercept c)
 * so p_d(0) = s_d in both. Prior a ~ N(0, prior_sd^2); Cheung (2011) recommends prior_sd^2 = 1.34,
 * which is dfcrm's default scale sqrt(1.34). */
#ifndef DOSEVAL_CRM_H
#define DOSEVAL_CRM_H

#include <stdint.h>
#include <string.h>

#include "design.h"

typedef enum { CRM_EMPIRIC = 0, CRM_LOGISTIC = 1 } crm_model;

#define CRM_DEFAULT_INTERCEPT 3.0
#define CRM_DEFAULT_PRIOR_SD 1.1575836902790226 /* sqrt(1.34) */

/* The fitted model's fixed part: everything but the data. */
typedef struct {
  crm_model model;
  int k;                             /* number of doses, 1..DESIGN_MAX_DOSES */
  double skeleton[DESIGN_MAX_DOSES]; /* s_d, strictly increasing in (0, 1) */
  double intercept;                  /* c of the logistic model; unused by the empiric one */
  double prior_sd;                   /* sd of the normal prior of a, > 0 */
} crm_spec;

/* The skeleton by the indifference-interval method of Lee & Cheung (2009), the numbers of dfcrm's
 * getprior(halfwidth, target, nu = prior_mtd, nlevel = levels, model, intcpt = intercept): s_nu =
 * target, and neighbouring doses are spaced so that the value of a at which dose d has
 * probability target + halfwidth is the value at which dose d-1 has target - halfwidth (and
 * likewise upwards). Example: empiric, target 0.30, halfwidth 0.05, prior MTD 2 of 3 gives
 * 0.2040, 0.3000, 0.4018.
 * Arguments: 0 < target < 1; 0 < halfwidth < min(target, 1 - target); 1 <= prior_mtd <= levels;
 * 1 <= levels <= DESIGN_MAX_DOSES; intercept is read by the logistic model only and must lie
 * outside [logit(target - halfwidth), logit(target + halfwidth)]. On success fills out[0..levels-1]
 * and returns DV_OK. Otherwise returns DV_ECONFIG with err holding "<name>: <found>; allowed:
 * <what>" (name: target, halfwidth, prior_mtd, levels, intercept or skeleton, the last when the
 * values would round to 0 or 1 in double precision); callers prefix where the value came from. */
dv_status crm_skeleton_calibrate(crm_model model, double target, double halfwidth, int prior_mtd,
                                 int levels, double intercept, double *out,
                                 dv_error *err) DV_MUST_CHECK;

/* p_d(a) of the model for a dose with skeleton value skeleton_d (intercept read by logistic). */
double crm_dose_tox(crm_model model, double skeleton_d, double intercept, double a);

/* The posterior mean of a given n[d-1] patients and y[d-1] DLTs at dose d = 1..spec->k
 * (0 <= y <= n), by adaptive numerical integration with a relative/absolute error below 1e-8
 * (see crm.c for the method; 2e-13 against brute force in the tests). With no patients it is the
 * prior mean 0. This is the reference the fixed rule below is checked against, and what
 * design_crm falls back to wherever that rule does not answer. */
double crm_posterior_mean(const crm_spec *spec, const int *n, const int *y);

/* P(p_dose(a) > target | data) for dose 1..spec->k and 0 < target < 1, to the same accuracy;
 * with dose 1 this is the quantity of the CRM's stop_toxic rule. */
double crm_posterior_prob_tox(const crm_spec *spec, const int *n, const int *y, int dose,
                              double target);

/* Both of the above from one pass over the posterior (what design_crm's decide uses): writes the
 * posterior mean to *mean and, when prob_tox is not NULL, P(p_dose(a) > target | data) to it. */
void crm_posterior(const crm_spec *spec, const int *n, const int *y, int dose, double target,
                   double *mean, double *prob_tox);

/* TITE-CRM's posterior (Cheung & Chappell 2000): crm_posterior with, besides the complete counts
 * n and y, m pending patients, patient i at dose pend_dose[i] (1..k) with weight pend_w[i] in
 * [0, 1), whose likelihood factor is 1 - w p_d(a) (a patient with weight 1 is complete: count it in
 * n). The same accuracy (crm.c says why the weights do not change it); m = 0 is crm_posterior. */
void crm_posterior_weighted(const crm_spec *spec, const int *n, const int *y, int m,
                            const uint8_t *pend_dose, const double *pend_w, int dose, double target,
                            double *mean, double *prob_tox);

/* exp(x) for the fixed rule's window (the integrand at each node, some 30 a posterior), inlined
 * and without glibc's checks: x = n ln2 / CRM_EXP_N + r by Cody-Waite reduction (ln 2 split so
 * that n times its high part is exact for |n| < 2^21), |r| <= ln2 / (2 CRM_EXP_N), and
 * e^x = 2^(n / CRM_EXP_N) e^r with 2^(i / CRM_EXP_N) from a table (crm_exp_table, made once per
 * rule) and e^r - 1 by its Taylor polynomial of degree 5 (truncation r^6 / 720 < 4e-17). The
 * result is within 2 units in the last place of e^x for -708 <= x <= 709 (tests/test_crm.c
 * compares it with exp), 0 below -708 (where e^x < 3.4e-308), e^709 above 709; NaN gives NaN. */
#define CRM_EXP_N 64
void crm_exp_table(double *tab); /* fills tab[0 .. CRM_EXP_N - 1] with 2^(i / CRM_EXP_N) */
static inline double crm_exp(const double *tab, double x) {
  const double k = CRM_EXP_N * 0x1.71547652b82fep0 /* N / ln 2 */, shift = 0x1.8p52;
  const double ln2_hi = 0x1.62e42fe000000p-1 / CRM_EXP_N,
               ln2_lo = 0x1.f473de6af278fp-30 / CRM_EXP_N;
  double xc = x < -708.0 ? -708.0 : x > 709.0 ? 709.0 : x;
  double t = xc * k + shift; /* n in the low bits of t */
  double n = t - shift;
  double r = (xc - n * ln2_hi) - n * ln2_lo;
  uint64_t b, sb;
  memcpy(&b, &t, sizeof b);
  double tab_i = tab[b % CRM_EXP_N], s;
  sb = ((b / CRM_EXP_N) + 1023) << 52; /* 2^floor(n / N): the shift's bits leave with the << */
  memcpy(&s, &sb, sizeof s);
  double p = r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120))));
  double v = (tab_i + tab_i * p) * s;
  return x < -708.0 ? 0.0 : v;
}

/* ---- the fixed rule: the same posterior from tables made once per design ------------------
 *
 * crm_posterior integrates the log posterior at points chosen per data set, so each point costs
 * an exp and a log per dose. Here the points are fixed when the design is configured: on a
 * uniform grid a_j (the trapezoid rule, for the normalising constant and the mean) and on
 * Gauss-Legendre panels that start at the threshold a* of P(p_dose > target) (for that
 * probability), the table holds per node the log prior and each dose's ln p_d(a_j) and
 * ln(1 - p_d(a_j)) (empiric: one entry -e^a for all ln p_d = -t_d e^a). The log posterior at a
 * node is then that row times the counts (1, y_d or sum_d y_d t_d, n_d - y_d), and the only
 * transcendental function left is the integrand's exp. The grid spacing is sized for the
 * design's max_n: counts of more patients, or whose posterior reaches past the table, get no
 * answer (false), and the caller uses crm_posterior. crm.c gives the error analysis;
 * tests/test_crm.c compares the two to 1e-10. The fields are private to crm.c; the struct is
 * here so that a design's params can hold it. */
#define CRM_RULE_DOUBLES 65536 /* the tables' room: 512 KiB, of which a design uses its part */
#define CRM_RULE_GL 10         /* Gauss-Legendre points per panel */
#define CRM_RULE_PROBES 7      /* points at which lp's maximum is first bounded below */

typedef struct {
  bool on; /* false: crm_rule_posterior always answers false */
  crm_model model;
  int k, stride;                  /* doses; doubles per node: empiric 2 + k, logistic 1 + 2k */
  double t[DESIGN_MAX_DOSES];     /* empiric: t_d = -ln s_d */
  int n_max;                      /* the grid resolves every posterior of up to n_max patients */
  double inv_var;                 /* 1 / prior_sd^2 */
  double sd;                      /* prior_sd */
  double per_patient;             /* the curvature bound per patient (see crm.c, step 2) */
  double xlogx[DESIGN_MAX_N + 1]; /* x ln x, for the saturated log likelihood */
  int m, mid;                     /* trapezoid nodes a_j = (j - mid) h, j = 0..m-1 */
  double h, reach;                /* spacing; brackets up to [-reach, reach] are covered */
  int probe[CRM_RULE_PROBES];     /* nodes at which lp's maximum is first bounded below */
  int tail;                       /* CRM_RULE_TAIL_*: what P(p_dose > target) is in terms of a */
  double a_star, w0;              /* the threshold and the panels' width */
  int panels_left, panels_right;  /* panels on each side of a* */
  double gl_x[CRM_RULE_GL], gl_w[CRM_RULE_GL];
  size_t gl_at;              /* where the panels' rows start in `table` */
  bool pending;              /* rows also hold p_d and d/da ln(1 - p_d) (crm_rule_init_weighted) */
  int p_at, g_at;            /* where those columns start in a row */
  double exp_tab[CRM_EXP_N]; /* crm_exp's */
  double table[CRM_RULE_DOUBLES];
} crm_rule;

/* Builds the rule for spec, data of up to n_max patients and P(p_dose(a) > target | data)
 * (1 <= dose <= spec->k, 0 < target < 1). It never fails: a spec whose tables would not fit
 * (a very large prior_sd, say) gets a rule that answers false, and smaller n_max are tried first.
 */
void crm_rule_init(crm_rule *r, const crm_spec *spec, int n_max, int dose, double target);

/* crm_rule_init for TITE-CRM: each row also holds, per dose, p_d(a) and the slope of
 * ln(1 - p_d(a)), so that crm_rule_posterior_weighted can weigh pending patients. */
void crm_rule_init_weighted(crm_rule *r, const crm_spec *spec, int n_max, int dose, double target);

/* The posterior mean of a (into *mean) and, if p_lo is not NULL, an interval [*p_lo, *p_hi]
 * holding P(p_dose(a) > target | data) for the dose and target of crm_rule_init, from the
 * tables. With threshold NAN the interval is the probability itself (p_lo = p_hi). Otherwise,
 * when bounds read off the grid alone (no new points) already put the whole interval more than
 * margin away from threshold, those bounds are returned, and else the probability itself: a
 * caller that only compares the probability with threshold gets its answer either way. A rule
 * made by crm_rule_init_weighted answers as crm_rule_posterior_weighted with no pending patient.
 * Returns true, or false (and nothing written) when the rule does not cover these counts. The
 * mean and the probability agree with crm_posterior to 1e-10 where it answers (tests). */
bool crm_rule_posterior(const crm_rule *r, const int *n, const int *y, double threshold,
                        double margin, double *mean, double *p_lo, double *p_hi);

/* crm_rule_posterior with, besides the counts, m pending patients as crm_posterior_weighted
 * takes them (pend_dose[i] in 1..k, pend_w[i] in [0, 1)), from a rule made by
 * crm_rule_init_weighted (any other answers false when m > 0, and is crm_rule_posterior when
 * m = 0). The same contract and the same agreement with the adaptive rule
 * (crm_posterior_weighted; tests/test_titecrm.c); crm.c, "the fixed rule with pending patients",
 * gives the error analysis. */
bool crm_rule_posterior_weighted(const crm_rule *r, const int *n, const int *y, int m,
                                 const uint8_t *pend_dose, const double *pend_w, double threshold,
                                 double margin, double *mean, double *p_lo, double *p_hi);

/* The dose (1..spec->k) whose p_d(a) is closest to target: all above -> 1, all below -> k, and
 * an exact tie goes to the lower dose (dfcrm's which.min). */
int crm_recommend(const crm_spec *spec, double a, double target);

/* What design_crm keeps per distinct counts (its design_type.fit, shared by the states that differ
 * only in the last dose or cohort, and by decide and select): the posterior mean of a,
 * whether stop_toxic stops the trial, and rec[h - 1] = crm_recommend(a_hat) over doses
 * 1..h, for h = 1..K. Its decide_fit and select_fit read nothing else. */
typedef struct {
  double a_hat;
  bool toxic; /* stop_toxic set and P(p_1 > target | data) > stop_toxic */
  uint8_t rec[DESIGN_MAX_DOSES];
} crm_counts_fit;

/* ---- the design's options and parameters, shared with TITE-CRM (designs/titecrm.c) ---------
 * TITE-CRM is CRM's model, prior, skeleton and rules with weighted pending patients: its options
 * are CRM's (CRM_OPTION_ENTRIES, at an offset into its own options struct) plus its own, its
 * params hold a crm_params, and it calls design_crm's functions on it for complete data. */
typedef struct {
  int model; /* index into crm_model_words */
  double prior_sd, intercept, halfwidth, stop_toxic;
  bool intercept_set, halfwidth_set, prior_mtd_set, skeleton_set, stop_toxic_set, no_skip;
  long prior_mtd, n_stop;
  double skeleton[DESIGN_MAX_DOSES];
  int skeleton_len;
} crm_options;

extern const char *const crm_model_words[]; /* "empiric", "logistic", NULL: as crm_model */

/* CRM's option table entries, for an options struct holding a crm_options `base` bytes in. */
#define CRM_OPTION_ENTRIES(base)                                                                   \
  {.key = "model",                                                                                 \
   .kind = DESIGN_OPT_WORD,                                                                        \
   .at = (base) + offsetof(crm_options, model),                                                    \
   .words = crm_model_words,                                                                       \
   .def = CRM_EMPIRIC,                                                                             \
   .help = "the dose-toxicity model: empiric s_d^exp(a) or logistic"},                             \
      {.key = "prior_sd",                                                                          \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(crm_options, prior_sd),                                             \
       .def = CRM_DEFAULT_PRIOR_SD,                                                                \
       .min = DESIGN_MORE(0),                                                                      \
       .help = "sd of the normal prior of a; sqrt(1.34) as Cheung (2011) advises"},                \
      {.key = "intercept",                                                                         \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(crm_options, intercept),                                            \
       .set_at = (base) + offsetof(crm_options, intercept_set),                                    \
       .def = CRM_DEFAULT_INTERCEPT,                                                               \
       .help = "intercept c of the logistic model (only with model: logistic)"},                   \
      {.key = "no_skip",                                                                           \
       .kind = DESIGN_OPT_BOOL,                                                                    \
       .at = (base) + offsetof(crm_options, no_skip),                                              \
       .def = 1,                                                                                   \
       .help = "at most one level above the last dose, none after a cohort's DLT rate >= target"}, \
      {.key = "skeleton",                                                                          \
       .kind = DESIGN_OPT_REALS,                                                                   \
       .at = (base) + offsetof(crm_options, skeleton),                                             \
       .set_at = (base) + offsetof(crm_options, skeleton_set),                                     \
       .count_at = (base) + offsetof(crm_options, skeleton_len),                                   \
       .no_default = true,                                                                         \
       .min = DESIGN_MORE(0),                                                                      \
       .max = DESIGN_LESS(1),                                                                      \
       .increasing = true,                                                                         \
       .help = "prior DLT probabilities, or {halfwidth, prior_mtd} (Lee & Cheung 2009)"},          \
      {.key = "skeleton.halfwidth",                                                                \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(crm_options, halfwidth),                                            \
       .set_at = (base) + offsetof(crm_options, halfwidth_set),                                    \
       .no_default = true,                                                                         \
       .min = DESIGN_MORE(0),                                                                      \
       .max = DESIGN_TARGET_OPEN,                                                                  \
       .help = "half-width of the indifference interval; below min(target, 1 - target)"},          \
      {.key = "skeleton.prior_mtd",                                                                \
       .kind = DESIGN_OPT_INT,                                                                     \
       .at = (base) + offsetof(crm_options, prior_mtd),                                            \
       .set_at = (base) + offsetof(crm_options, prior_mtd_set),                                    \
       .no_default = true,                                                                         \
       .min = DESIGN_AT_LEAST(1),                                                                  \
       .max = DESIGN_DOSES,                                                                        \
       .help = "the dose whose prior DLT probability is the target"},                              \
      {.key = "stop_toxic",                                                                        \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(crm_options, stop_toxic),                                           \
       .set_at = (base) + offsetof(crm_options, stop_toxic_set),                                   \
       .no_default = true,                                                                         \
       .min = DESIGN_MORE(0),                                                                      \
       .max = DESIGN_LESS(1),                                                                      \
       .help = "stop with no MTD when P(p_1 > target | data) exceeds it; omit for never"},         \
  {                                                                                                \
    .key = "n_stop", .kind = DESIGN_OPT_INT, .at = (base) + offsetof(crm_options, n_stop),         \
    .def = 0, .min = DESIGN_AT_LEAST(0),                                                           \
    .help = "stop when this many patients have had the recommended dose; 0 = never"                \
  }

typedef struct {
  crm_spec spec;
  double target;
  int cohort_size;
  int start_dose;
  bool no_skip;
  bool stop_toxic_set;
  double stop_toxic;          /* stop with no MTD when P(p_1 > target | data) exceeds it */
  int n_stop;                 /* 0 = never */
  double x[DESIGN_MAX_DOSES]; /* logistic: x_d = logit(s_d) - c, for the slopes of p_d */
  crm_rule rule;              /* the fixed rule for up to max_n patients, P(p_1 > target) */
} crm_params;

/* TITE-CRM's fit (designs/titecrm.c): what design_crm's fit holds, from the counts n, y and m
 * pending patients (as crm_posterior_weighted takes them). The fixed rule of p->rule where it
 * answers and its answer is clear of every threshold by the design's guard, else
 * crm_posterior_weighted: the result is the adaptive rule's wherever the two agree to the guard,
 * as for design_crm's fits. No allocation; p->rule made by crm_rule_init_weighted is the fast
 * case. */
void crm_fit_weighted(const crm_params *p, const int *n, const int *y, int m,
                      const uint8_t *pend_dose, const double *pend_w, crm_counts_fit *f);

/* The design table (designs/registry.c lists it). */
extern const design_type design_crm;

#endif
