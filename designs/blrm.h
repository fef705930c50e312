/* blrm.h — the two-parameter Bayesian logistic regression model with escalation with overdose
 * control (Neuenschwander, Branson & Gsponer 2008), SPEC section 14: the posterior interval
 * probabilities the design decides from, for its tests and for `next`'s explanation.
 *
 * Model: logit p_d = log(alpha) + beta log(x_d / x*), x_d the study's dose labels, x* the
 * reference dose, (log alpha, log beta) bivariate normal; so beta > 0 and p_d increases with d.
 * The design table itself (design_blrm) lives in designs/blrm.c. */
#ifndef DOSEVAL_BLRM_H
#define DOSEVAL_BLRM_H

#include "design.h"

/* Each dose's posterior P(p_d < c1), P(c1 <= p_d < c2) and P(p_d >= c2), [c1, c2] the design's
 * intervals (0.16, 0.33 by default). */
typedef struct {
  double under[DESIGN_MAX_DOSES];
  double target[DESIGN_MAX_DOSES];
  double over[DESIGN_MAX_DOSES];
} blrm_probs;

/* The probabilities for counts n[d-1] treated, y[d-1] DLTs at each of the K doses, under the
 * params that design_blrm.configure filled. Pure; every probability within 1e-9 of the exact
 * integral (see blrm.c), whatever the counts (n_d <= DESIGN_MAX_N). */
void blrm_posterior(const void *params, const int *n, const int *y, blrm_probs *out);

#endif
