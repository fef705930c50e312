/* calibration.h — a calibration's results (SPEC section 15): calibration.csv, the shard file
 * calibration.part that `merge` reads back, the ranked table on stdout and the best point. The
 * points hold final means only (src/engine/calibrate.h); everything here is written from them,
 * so a merged set and one unsharded run write the same bytes. */
#ifndef DOSEVAL_CALIBRATION_H
#define DOSEVAL_CALIBRATION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "calibrate.h"
#include "config.h"
#include "error.h"
#include "grid.h"
#include "oc.h"

/* The shard file's name in a calibration's folder. */
#define CALIBRATION_PART_FILE "calibration.part"

typedef struct {
  const config *cfg;           /* the config (its path and bytes go into the shard file) */
  const config_design *design; /* the design calibrated, as configured */
  const grid *g;
  oc_metric objective;
  bool has_max_overdose;
  double max_overdose;       /* percent of patients above the true MTD (0-100) */
  uint64_t shard_i, shard_n; /* 0/1 for a whole calibration */
  size_t lo, hi;             /* the points held: [lo, hi) */
  const calib_point *points; /* g->n_points of them; those in [lo, hi) are filled */
  calib_layout layout;       /* of the rows for paired differences (calib_layout_init) */
  const double *paired;      /* the rows of points [lo, hi), layout.width each: p's at p - lo */
  const char *command_line;  /* for report.html; may be NULL */
} calibration;

/* Points [lo, hi) of shard i of n: [floor(P i / n), floor(P (i + 1) / n)). */
void calibration_shard(size_t n_points, uint64_t i, uint64_t n, size_t *lo, size_t *hi);

/* The objectives a calibration may maximise: a design's one-number metrics where higher is
 * better (pcs, pas, accuracy, pct_at_mtd). -1 for another key; names lists them. */
int calibration_objective(const char *key, char *names, size_t len);

/* The best point: the largest objective among the points whose mean pct_overdosed is at most
 * max_overdose (all points without it); the first such point on a tie. -1 when none qualifies.
 * Only for a whole calibration (lo 0, hi n_points). */
long calibration_best(const calibration *c);

/* The difference of point p's objective to the best point's, and its paired MCSE
 * (calib_paired_mcse; 0 for the best point itself); NaN for both when there is no best point. */
void calibration_diff_best(const calibration *c, long best, size_t p, double *diff, double *mcse);

/* calibration.csv: `point,KEY...,method,OBJECTIVE,OBJECTIVE_mcse,pct_overdosed,p_stop,n_mean,best,
 * diff_best,diff_best_mcse`, one row per point in grid order (point counts from 1; method exact or
 * simulation; best 1 on the best point, else 0; diff_best the objective minus the best point's,
 * with its paired MCSE, NA without a best point). Plain decimals, no timings. */
void calibration_write_csv(const calibration *c, FILE *fp);

/* The ranked table on stdout: the ten points with the largest objective, then the best point. */
void calibration_print_top(const calibration *c, FILE *fp);

/* DIR/report.html for a whole calibration: the best point, the objective and the mean
 * pct_overdosed over the grid (heat maps for two keys or more, lines with error bars for one),
 * the table of points, and how it was made (src/results/calibration_html.c). */
dv_status calibration_write_html(const calibration *c, const char *dir,
                                 dv_error *err) DV_MUST_CHECK;

/* Writes DIR's files at once: calibration.part always; calibration.csv and report.html only for
 * a whole calibration (a shard's are written by `merge`). */
dv_status calibration_write_set(const calibration *c, const char *dir, dv_error *err) DV_MUST_CHECK;

/* One shard file read back: what it was made from, checked (format, checksum) but not against
 * anything else. Free with calibration_part_free. */
typedef struct {
  char *version, *config_path, *config_text, *design, *objective;
  size_t config_len;
  uint64_t config_hash;
  bool has_max_overdose;
  double max_overdose;
  int n_grid;
  char *grid[GRID_MAX_AXES]; /* the --grid specs */
  uint64_t shard_i, shard_n;
  size_t n_points, lo, hi;
  calib_point *points;     /* hi - lo of them */
  int n_batches, n_curves; /* the rows' layout (calib_layout) */
  size_t width;
  double *paired; /* hi - lo rows of width */
} calibration_part;

dv_status calibration_part_read(const char *path, calibration_part *out,
                                dv_error *err) DV_MUST_CHECK;
void calibration_part_free(calibration_part *p);

/* Checks that the parts are the shards of one calibration (same program version, config bytes,
 * design, objective, --max-overdose, grid and shard count; every shard once) and fills points
 * (n_points of them) and their paired rows (n_points rows of the parts' width) from them;
 * DV_ECONFIG naming the file and what is wrong otherwise. */
dv_status calibration_parts_join(const calibration_part *parts, const char *const *paths, int n,
                                 calib_point *points, double *paired, dv_error *err) DV_MUST_CHECK;

#endif
