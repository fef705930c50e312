/* joint.h — exact paired comparisons: two designs on the same patients (common random numbers,
 * SPEC section 7) as one Markov chain on pairs of their states, swept forward exactly.
 *
 * Patient i has tolerance u_i ~ U(0, 1) and a DLT at dose d iff u_i < p_d, whichever design
 * treats him (and a response tolerance beside it for a design that reads responses:
 * joint_sweep_curve). So a patient given dose a by design A and dose b by design B has a DLT under
 * both with probability min(p_a, p_b), under A only p_a - min, under B only p_b - min, under
 * neither 1 - max(p_a, p_b). The pair's state after i patients is (A's graph node, DLTs among the
 * patients of A's current cohort; the same for B), where nodes with the same future actions are
 * one (joint_design); it advances from one cohort boundary of either design to the next (every
 * cohort when the sizes are equal), and equal states merge. Once one design has stopped, the
 * other's remaining selection law is read off its own merged graph (a backward sweep per curve),
 * so the joint chain holds only states where both still treat. */
#ifndef DOSEVAL_JOINT_H
#define DOSEVAL_JOINT_H

#include <stddef.h>

#include "design.h"
#include "error.h"
#include "graph.h"

/* The exact engine's bound on the joint states alive after one step (about 48 bytes each:
 * two steps of keys, probabilities and hash slots): past it, DV_ETOOBIG. */
#define JOINT_MAX_STATES ((size_t)1 << 23)

/* What the joint chain of designs A and B gives for one true curve. Doses are 0 (no MTD) ... K. */
typedef struct {
  int k;
  double sel[DESIGN_MAX_DOSES + 1][DESIGN_MAX_DOSES + 1]; /* P(A selects i and B selects j) */
  double sel_a[DESIGN_MAX_DOSES + 1], sel_b[DESIGN_MAX_DOSES + 1]; /* its marginals */
  double a_right_b_not; /* P(A selects the true MTD, B does not; joint_sweep_curve: each its
                           own true dose) */
  double b_right_a_not; /* P(B selects the true MTD, A does not) */
  double disagree;      /* P(A and B select different doses) */
  size_t states;        /* joint states swept, summed over steps */
  size_t widest;        /* the most joint states alive after one step */
} joint_result;

/* One design prepared for joint chains: its graph built out completely (graph_build, within
 * the graph's own node bound, unless it is whole already) and equivalent nodes merged (the same
 * actions from there on, stops counted by their selection only). It no longer needs the graph,
 * which may be freed; it keeps name (for messages), which must outlive it. The graph must come
 * from graph_alloc (rooted at the empty state), empty or whole. Returns DV_ETOOBIG past the
 * graph's bound (or 2^28 states), DV_ENOMEM, or DV_ERUN for a graph with another root or one
 * partly built. */
typedef struct joint_design joint_design;
dv_status joint_design_alloc(joint_design **out, graph *g, const char *name,
                             dv_error *err) DV_MUST_CHECK;
void joint_design_free(joint_design *d);
/* Its number of merged states (at most the graph's nodes). */
size_t joint_design_states(const joint_design *d);

/* Sweeps the joint chain of designs a and b (a == b is allowed; their K must agree; cohort size,
 * max_n, start dose and rules may differ) under the true curve p[0..K-1] with true MTD true_mtd
 * (1..K, or 0 for none: then a design that stops with no MTD is right), and fills r. Each design
 * memoises its own selection law for the last curve it was swept under (so a and b are not const).
 * Returns DV_ETOOBIG if more than max_states joint states are alive after one step, DV_ENOMEM if
 * memory runs out, DV_ERUN for designs that do not fit together; r is then unspecified. */
dv_status joint_sweep(joint_design *a, joint_design *b, const double *p, int true_mtd,
                      size_t max_states, joint_result *r, dv_error *err) DV_MUST_CHECK;

/* The same for designs that may read responses (SPEC 13): patient i's response tolerance r_i,
 * joined to his DLT tolerance by the Gaussian copula of rho, gives a response at dose d iff
 * r_i < p_eff[d], whichever design treats him; a design that reads responses follows (DLTs,
 * responses) per cohort. Each design is right when it selects its own true dose (true_a, true_b:
 * the true MTD, or BOIN12's true OBD; 0: none), as `run` counts pcs. p_eff may be NULL when
 * neither design reads responses; then this is joint_sweep, to the bit. */
typedef struct {
  const double *p_tox, *p_eff;
  double rho;
  int true_a, true_b;
} joint_curve;
dv_status joint_sweep_curve(joint_design *a, joint_design *b, const joint_curve *c,
                            size_t max_states, joint_result *r, dv_error *err) DV_MUST_CHECK;

#endif
