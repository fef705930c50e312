/* paths.h — dose transition pathways (Yap et al. 2017, Clin Cancer Res 23(24):7440-7447): every
 * outcome of the next K cohorts from a state and the wrapped design's decision after each. The
 * decision graph holds the answers, so the cost of counting paths and of their probabilities
 * grows with the number of distinct states; only listing them grows with the number of paths. */
#ifndef DOSEVAL_PATHS_H
#define DOSEVAL_PATHS_H

#include <stdint.h>

#include "clock.h"
#include "error.h"
#include "graph.h"
#include "responses.h"

/* One cohort of a path: its dose, its DLTs and responses (0 for a design that reads DLTs only),
 * the decision after it, and the probability of the path so far (1 without a curve). No padding:
 * the tree compares steps with memcmp. */
typedef struct {
  int dose, dlts, responses;
  design_action next;
  double prob;
} paths_step;

/* Called once per path, in order (fewest DLTs first at every branch, then fewest responses for a
 * design that reads them); n_steps may be below K where the trial stopped. Returns 0 to go on,
 * non-zero to stop the walk. */
typedef int (*paths_visit)(void *ctx, uint64_t path, const paths_step *steps, int n_steps);

/* Builds the states within `cohorts` cohorts of g's root, level by level, within g's bound on
 * nodes. *fit is the number of cohorts whose states are all built and *fit_states how many
 * states they are: `cohorts` and all of them on DV_OK; on DV_ETOOBIG (the bound) or DV_ENOMEM the
 * levels that were complete when it stopped, so a caller can say what fits. */
dv_status paths_reach(graph *g, int cohorts, int *fit, size_t *fit_states,
                      dv_error *err) DV_MUST_CHECK;

/* The number of paths of at most `cohorts` cohorts from g's root (saturating at UINT64_MAX). */
dv_status paths_count(graph *g, int cohorts, uint64_t *n, dv_error *err) DV_MUST_CHECK;

/* Visits every path; law (a scenario's cohort outcome law, responses_law_init for g's design,
 * or NULL) gives each step its probability. A design that reads responses branches on (DLTs,
 * responses) per cohort: (c + 1)^2 branches, as its graph's children. It builds the states
 * level by level first, as the others do, so they may be called after it on the same graph. */
dv_status paths_walk(graph *g, int cohorts, const responses_law *law, paths_visit visit, void *ctx,
                     dv_error *err) DV_MUST_CHECK;

/* The probabilities at the leaves under law, by a forward sweep over the states: sel[d] that
 * the trial has stopped with dose d selected (the MTD, or the OBD of a design that reads
 * responses; d = 0: none) within `cohorts` cohorts, *going that it is still treating. */
dv_status paths_leaves(graph *g, int cohorts, const responses_law *law, double *sel, double *going,
                       dv_error *err) DV_MUST_CHECK;

/* A live trial's pending patients (SPEC 12), for paths from a state with patients in follow-up:
 * the probability that a patient at dose d followed `followup` days without a DLT has one within
 * the window, under the scenario's p_d and the study's onset law F (clock_dlt_by):
 * P(DLT | none by f) = (F(W) - F(f)) / (1 - F(f)) = (p_d - F(f)) / (1 - F(f)) (Bayes' rule;
 * the linear weight of TITE-CRM, Cheung & Chappell 2000, is the uniform law's same reading). */
double paths_pending_dlt(const clock_law *law, int dose, double followup);

/* The law of the number of DLTs among m patients with independent DLT probabilities q[0..m-1]
 * (the Poisson-binomial, by the convolution recursion): pmf[j] for j = 0..m. */
void paths_pending_pmf(const double *q, int m, double *pmf);

#endif
