/* boin12.h — BOIN12's parameters and its pure scoring functions, for designs/boin12.c and its
 * tests (Lin R, Zhou Y, Yan F, Li D, Yuan Y (2020). BOIN12: Bayesian optimal interval phase I/II
 * trial design for utility-based dose finding in immunotherapy and targeted therapies. JCO
 * Precision Oncology 4:1393-1402; SPEC section 13). */
#ifndef DOSEVAL_BOIN12_H
#define DOSEVAL_BOIN12_H

#include <stdbool.h>

#include "design.h"

typedef struct {
  int n_doses, start_dose;
  double tox_limit, eff_min;     /* phi_T, phi_E */
  double cutoff_tox, cutoff_eff; /* c_T, c_E */
  int n_star, n_cap;             /* N*, patients at a dose that end the trial */
  bool explore;                  /* the Data Supplement's extra-exploration rule */
  /* utilities of the four outcomes, in points out of 100: response without DLT 100, DLT without
   * response 0 (the paper's scale), neither and both as configured, with neither + both = 100 */
  int u_neither, u_both;
  double lambda_e, lambda_d; /* BOIN's boundaries at phi_T (Liu & Yuan 2015) */
  double benchmark;          /* u_b / 100, the utility benchmark */
  /* per n: a dose with n patients is too toxic when its DLTs are >= tox_out[n] (n >= 3; n + 1:
   * never), and futile when its responses are <= futile[n] (-1: never) */
  short tox_out[DESIGN_MAX_N + 1];
  short futile[DESIGN_MAX_N + 1];
} boin12_params;

/* The quasi-binomial utility count of n patients with y DLTs and e responses, in hundredths: the
 * sum of the patients' utilities (SPEC 13: kept an integer, so that equal sums give equal scores,
 * as the paper's ties need). With additive utilities it depends on (n, y, e) alone. */
int boin12_utility_count(const boin12_params *p, int n, int y, int e);

/* The desirability score of a dose with n patients, y DLTs and e responses: P(utility > u_b |
 * Beta(1 + x, 1 + n - x)), x = boin12_utility_count / 100 (the paper's equation for the score;
 * Table 3 ranks these). */
double boin12_score(const boin12_params *p, int n, int y, int e);

/* Whether such a dose is admissible on its own counts: P(p_T > phi_T) <= c_T (with n >= 3) and
 * P(p_E < phi_E) <= c_E, strict inequalities for inadmissibility (SPEC 13). */
bool boin12_admissible(const boin12_params *p, int n, int y, int e);

/* The final selection's estimates (SPEC 13): for the tried doses 1..k (n[d] > 0) and the others
 * NAN, the isotonic toxicity estimate, the unimodal isotonic efficacy estimate and the estimated
 * utility (out of 100). */
void boin12_estimates(const boin12_params *p, const design_state *s, int k, double *tox,
                      double *eff, double *utility);

#endif
