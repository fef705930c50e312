/* trial.h — the Monte Carlo loop: common random numbers for every design, one walk of each
 * design's decision graph per trial, integer counters (SPEC section 7). */
#ifndef DOSEVAL_TRIAL_H
#define DOSEVAL_TRIAL_H

#include <stdint.h>

#include "config.h"
#include "error.h"
#include "oc.h"

typedef struct trial_sim trial_sim;

/* Per-rank scratch: one decision graph per design (each at most graph_nodes nodes) and the
 * tolerance buffer. Everything is reserved here; trial_sim_run never allocates. */
dv_status trial_sim_alloc(trial_sim **out, const config *cfg, const oc_layout *l,
                          size_t graph_nodes, dv_error *err) DV_MUST_CHECK;
void trial_sim_free(trial_sim *ts);

/* Every trial reserves 2^8 = 256 outputs of its scenario's stream, one per patient: enough for
 * DESIGN_MAX_N patients whatever the config, so patient i of trial t always has the same
 * tolerance, even when another design with a larger max_n is added (README, "Randomness"). */
#define TRIAL_SEGMENT_LOG2 8
_Static_assert((1 << TRIAL_SEGMENT_LOG2) > DESIGN_MAX_N,
               "a trial's segment must hold every patient");

/* Simulates trials [t0, t1) of scenario s and adds them to counts: that scenario's block of
 * l->scenario_size counters (laid out as scenario 0), so a run holds only the scenarios it is on.
 */
void trial_sim_run(trial_sim *ts, int s, uint64_t t0, uint64_t t1, uint64_t *counts);

#endif
