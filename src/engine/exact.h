/* exact.h — exact operating characteristics: every design's decisions depend only on the
 * counts, so a trial is a Markov chain on the decision graph's states; probability is swept
 * forward cohort by cohort (equal states merge in the graph) with no Monte Carlo error. */
#ifndef DOSEVAL_EXACT_H
#define DOSEVAL_EXACT_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "oc.h"
#include "scenarios.h"

/* Fills w (l->total doubles, zeroed here) with the probabilities oc_summarise_exact reads, and
 * states[j] (if not NULL) with the number of states of design j's chain. A design whose graph
 * would need more than max_nodes states fails with DV_ETOOBIG. */
/* The engine for one config: every design's graph built whole (each at most max_nodes states, or
 * DV_ETOOBIG), then swept once per scenario. */
typedef struct exact_engine exact_engine;
dv_status exact_alloc(exact_engine **out, const config *cfg, const oc_layout *l, size_t max_nodes,
                      dv_error *err) DV_MUST_CHECK;
void exact_free(exact_engine *e);
/* States of design j's chain. */
size_t exact_states(const exact_engine *e, int j);
/* Sweeps without the complete-information benchmark (more than half of a small design's time per
 * scenario): its selection rows then say "no MTD" with probability 1, so a caller that turns it
 * off reads none of them (calibrate, which reports the design's own metrics only). */
void exact_without_benchmark(exact_engine *e);
/* One scenario's probabilities into w (l->scenario_size doubles, slot 0 of the layout). */
dv_status exact_scenario(exact_engine *e, const config_scenario *sc, double *w,
                         dv_error *err) DV_MUST_CHECK;

/* Every scenario at once (tests; `exact` streams scenario by scenario): */
dv_status exact_run(const config *cfg, const oc_layout *l, size_t max_nodes, double *w,
                    size_t *states, dv_error *err) DV_MUST_CHECK;

#endif
