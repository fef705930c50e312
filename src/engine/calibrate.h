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
#include <stdint.h>

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

/* Paired differences between points (issue 31). Every point is evaluated on the same virtual
 * patients (trial t of scenario s has the same tolerances at every point), so the difference of
 * two points' objectives has a paired MCSE, smaller than the two MCSEs combined when the points
 * select alike. Each point keeps a row of `width` numbers from which any pair's MCSE follows:
 * * [0, n_batches): the objective summed over the batched scenarios (the named ones, and a lone
 *   random curve), each computed on batch b of the trials alone: trials [T b / B, T (b + 1) / B),
 *   from that batch's own integer counters (an exact point: its exact objective in every batch);
 * * [n_batches, width): the objective on each random curve, when there are two or more.
 * The MCSE of mean_s(A_s - B_s) is then sqrt(V_batch + V_curves) / S: V_batch the batch-means
 * variance of the summed difference, B/(B - 1) sum_b w_b^2 (D_b - sum_c w_c D_c)^2 with
 * w_b = n_b / T (Schmeiser 1982: batch means), and V_curves = N sd^2 of the per-curve differences,
 * as for one point's objective_mcse. Two exact points without random curves differ with MCSE 0;
 * one batch (T = 1) leaves it undefined (NaN). */
#define CALIB_BATCHES 100
/* The most numbers the rows of a calibration's points may hold together (2 GiB): past it no row
 * is kept (width 0) and every paired MCSE is NaN (NA), a bound on memory and on the shard
 * files, decided from the whole grid so every shard agrees. */
#define CALIB_MAX_PAIRED ((size_t)1 << 28)
typedef struct {
  uint64_t trials;
  int n_batches, n_curves, n_scenarios;
  size_t width;
} calib_layout;
void calib_layout_init(calib_layout *l, const config *cfg, size_t n_points);
/* The paired MCSE of point a's objective minus point b's, from their rows. */
double calib_paired_mcse(const calib_layout *l, const double *row_a, const double *row_b);

/* The scenarios of cfg, drawn once (random curves included) and shared by every point. */
typedef struct {
  int n;
  config_scenario *s;
} calib_scenarios;
dv_status calib_scenarios_init(calib_scenarios *cs, const config *cfg, dv_error *err) DV_MUST_CHECK;
void calib_scenarios_free(calib_scenarios *cs);

/* Evaluates design d (a point's, grid_design) on cfg's scenarios: exactly when its graph has at
 * most max_nodes states, else by simulating cfg->trials trials of each scenario with cfg's seed;
 * by simulation too when it reads pending patients on a timed study (SPEC 11: the exact engine
 * has no clock).
 * objective: a design metric with one value (pcs, pas, accuracy, pct_at_mtd). */
/* row: the point's pl->width numbers for paired differences (calib_layout). */
dv_status calibrate_point(const config *cfg, const config_design *d, const calib_scenarios *cs,
                          oc_metric objective, size_t max_nodes, const calib_layout *pl,
                          calib_point *out, double *row, dv_error *err) DV_MUST_CHECK;

#endif
