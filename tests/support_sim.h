/* support_sim.h — helpers for statistical and engine tests: a config from YAML text, the
 * engine's Monte Carlo and exact results in-process (no MPI), and the MCSE comparison rule. */
#ifndef DOSEVAL_TEST_SUPPORT_SIM_H
#define DOSEVAL_TEST_SUPPORT_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "graph.h"
#include "oc.h"

/* One design's trial on given tolerances u (patient i has a DLT at dose d iff u[i] < p[d-1]),
 * walking its graph from the root as src/engine/trial.c does; returns the selected dose. */
int support_walk(graph *g, const double *u, const double *p);

/* Writes yaml to a temporary file and loads it; aborts the test on failure. */
config *support_config(const char *yaml);

/* Monte Carlo over trials [0, trials) of every scenario (one "rank"), as `doseval run` does. */
void support_simulate(const config *cfg, uint64_t trials, oc_rows *rows);
/* The raw counters of trials [0, trials) of every scenario, run as `parts` consecutive calls
 * of trial_sim_run a scenario (as ranks, shards and resume split them), with graphs of at most
 * graph_nodes nodes; the caller frees them. */
uint64_t *support_simulate_counts(const config *cfg, const oc_layout *l, uint64_t trials, int parts,
                                  size_t graph_nodes);
/* As `doseval exact` does. */
void support_exact(const config *cfg, oc_rows *rows);

/* The row (scenario s, design, metric, dose); aborts the test if it is missing. */
const oc_row *support_row(const oc_rows *rows, int s, const char *design, const char *metric,
                          int dose);

/* Expects the value of row (scenario 0, design, metric, dose) to be `want`, a number written
 * down by hand, within 1e-9 (rounding only); aborts the test if the row is missing. */
void support_expect_metric(const oc_rows *rows, const char *design, const char *metric, int dose,
                           double want);

/* The agreement rule for a probability: |simulated - truth| <= 4 MCSE, the MCSE being the
 * binomial one at the true value, sqrt(truth (1 - truth) / trials); where that fails only
 * because the event is rare, the exact binomial tail at the same level (6.3e-5 two-sided)
 * decides. A true 0 or 1 must be hit exactly. Returns 1 if it holds. */
int support_within_4se(double simulated, double truth, uint64_t trials);

/* Simulates cfg for `trials` trials and computes it exactly, and expects every metric to agree
 * (the rule of the statistical suite): a probability by support_within_4se; a mean within 4 of
 * the simulation's MCSE, or, when the simulation saw no variation at all, of the bound
 * sqrt(M E[X] / T) that holds for any X in [0, M]; the sd of N within 4 of its delta-method MCSE
 * (with no variation seen, its variance by the same bound); pcs_diff, the difference of two
 * disjoint events' probabilities, within 4 of its true MCSE bounded by the exact p_disagree
 * (sqrt((p_disagree - pcs_diff^2) / T)). The exact selection, n_dist and (unless designs_only)
 * benchmark distributions must sum to 1 within 1e-12. designs_only: compare the designs'
 * columns only. Returns how many numbers were compared. */
int support_agree_with_exact(const config *cfg, uint64_t trials, bool designs_only);

#endif
