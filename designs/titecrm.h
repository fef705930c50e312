/* titecrm.h — TITE-CRM's weights (Cheung & Chappell 2000), the one part of the design that is not
 * CRM's: pure, shared by designs/titecrm.c and its tests. */
#ifndef DOSEVAL_TITECRM_H
#define DOSEVAL_TITECRM_H

#include "design.h"

typedef enum { TITECRM_LINEAR = 0, TITECRM_ADAPTIVE = 1 } titecrm_scheme;

/* Each patient's weight w[i] in [0, 1] for the view's patients in order: 1 for a complete outcome
 * (a DLT seen, or the whole window followed), else by the scheme, with f the follow-up so far:
 *   linear    min(f / W, 1);
 *   adaptive  Cheung & Chappell (2000), section 3, as dfcrm's titecrm(scheme = "adaptive"): with
 *             0 < t_1 <= ... <= t_z the onset days of the z DLTs seen (every dose), t_0 = 0 and
 *             t_(z+1) = W, and k the number of t_j <= f, w = (k + (f - t_k) / (t_(k+1) - t_k)) /
 *             (z + 1), capped at 1; with no DLT seen it is the linear weight. */
void titecrm_weights(const pending_view *v, titecrm_scheme scheme, double *w);

/* The design's decide_pending with every posterior by the adaptive rule (crm_posterior_weighted,
 * also with nothing pending): the reference its fast decisions are checked and timed against
 * (tests/test_titecrm.c, bench/titecrm.c). params as configured for design_titecrm. */
design_action titecrm_decide_adaptive(const void *params, const pending_view *v);

extern const design_type design_titecrm;

#endif
