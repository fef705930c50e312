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
 * (0 <= y <= n), by numerical integration with a relative/absolute error below 1e-8 (see crm.c
 * for the method). With no patients it is the prior mean 0. */
double crm_posterior_mean(const crm_spec *spec, const int *n, const int *y);

/* P(p_dose(a) > target | data) for dose 1..spec->k and 0 < target < 1, to the same accuracy;
 * with dose 1 this is the quantity of the CRM's stop_toxic rule. */
double crm_posterior_prob_tox(const crm_spec *spec, const int *n, const int *y, int dose,
                              double target);

/* Both of the above from one pass over the posterior (what design_crm's decide uses): writes the
 * posterior mean to *mean and, when prob_tox is not NULL, P(p_dose(a) > target | data) to it. */
void crm_posterior(const crm_spec *spec, const int *n, const int *y, int dose, double target,
                   double *mean, double *prob_tox);

/* The dose (1..spec->k) whose p_d(a) is closest to target: all above -> 1, all below -> k, and
 * an exact tie goes to the lower dose (dfcrm's which.min). */
int crm_recommend(const crm_spec *spec, double a, double target);

/* The design table (designs/registry.c lists it). */
extern const design_type design_crm;

#endif
