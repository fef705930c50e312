/* calibrate.h — one point of a calibration (SPEC section 15): a design, configured at the point's
 * values (src/study/grid.h), evaluated on every scenario of the run, named and random, exactly
 * when its decision graph fits the exact engine's bound, else by simulation with the config's
 * trials and seed. The patients of trial t of scenario s are the same at every point (their
 * tolerances depend on (seed, s, t) only, SPEC section 7), so points are compared on the same
 * virtual patients. */
#ifndef DOSEVAL_CALIBRATE_H
#define DOSEVAL_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "error.h"
#include "oc.h"
#include "scenarios.h"

/* What calibration.csv says of one point: means over the run's scenarios (each scenario weighs
 * the same) of the objective, pct_overdosed, p_stop and n_mean. objective_mcse is the standard
 * error of the objective's mean: the named scenarios' simulation errors, and for the random ones
 * the spread across curves, sd / sqrt(N), which holds each curve's own simulation error as well
 * (SPEC section 8, "Across random scenarios"): sqrt(sum_named mcse^2 + N sd^2) / S. With exact
 * operating characteristics and no random curves it is 0. */
typedef struct {
  bool exact; /* computed by the exact engine (false: simulated) */
  double objective, objective_mcse;
  double pct_overdosed, p_stop, n_mean;
} calib_point;

/* The scenarios of cfg, drawn once (random curves included) and shared by every point. */
typedef struct {
  int n;
  config_scenario *s;
} calib_scenarios;
dv_status calib_scenarios_init(calib_scenarios *cs, const config *cfg, dv_error *err) DV_MUST_CHECK;
void calib_scenarios_free(calib_scenarios *cs);

/* Evaluates design d (a point's, grid_design) on cfg's scenarios: exactly when its graph has at
 * most max_nodes states, else by simulating cfg->trials trials of each scenario with cfg's seed.
 * objective: a design metric with one value (pcs, pas, accuracy, pct_at_mtd). */
dv_status calibrate_point(const config *cfg, const config_design *d, const calib_scenarios *cs,
                          oc_metric objective, size_t max_nodes, calib_point *out,
                          dv_error *err) DV_MUST_CHECK;

#endif
