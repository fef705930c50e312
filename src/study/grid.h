/* grid.h — a calibration grid (SPEC section 15): the product of `--grid KEY=V1,V2,...` lists over
 * a design's options (its option table, nested keys such as skeleton.halfwidth) and its rules'
 * options (RULE.KEY), and the design at each point, configured and checked by the same tables
 * as the config loader, so a point can hold nothing a config could not. */
#ifndef DOSEVAL_GRID_H
#define DOSEVAL_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "design.h"
#include "error.h"

#define GRID_MAX_AXES 8
/* At most this many points (the product of the lists): 10^6 points x the scenarios already is a
 * day's exact work. */
#define GRID_MAX_POINTS 1000000

typedef struct {
  char *key; /* as given: "skeleton.halfwidth", "stop_when_n_at_dose.n" */
  const design_option *opt;
  int rule; /* -1: an option of the design; else the index of the design's rule */
  int n_values;
  char **values; /* as given, in order */
} grid_axis;

typedef struct {
  int n_axes;
  grid_axis axes[GRID_MAX_AXES];
  size_t n_points; /* the product of the axes' lengths */
} grid;

/* Reads n specs "KEY=V1,V2,..." for design d. A key the design does not have, a list-valued key,
 * an empty or repeated value, a key given twice, too many axes or points: DV_EUSAGE "--grid:
 * ..." naming the spec and what is allowed. The values are checked by grid_check. The caller
 * frees g with grid_free (also after a failure). */
dv_status grid_parse(grid *g, const config_design *d, const char *const *specs, int n,
                     dv_error *err) DV_MUST_CHECK;
void grid_free(grid *g);

/* The index of axis a's value at point p (0-based; the first axis varies slowest). */
int grid_value_index(const grid *g, size_t p, int a);
/* "skeleton.halfwidth=0.05, skeleton.prior_mtd=2" (truncated to len). */
void grid_point_text(const grid *g, size_t p, char *buf, size_t len);

/* The design at point p: base with the point's values set through the option table (and its
 * rules' tables), checked, configured and wrapped in its policy, as the config loader does. out
 * owns its options and params (free with grid_design_free); its name and rule labels are base's.
 * A bad value: DV_ECONFIG "--grid: point P of N (KEY=V, ...): KEY: FOUND; allowed: ...". */
dv_status grid_design(const grid *g, const config_design *base, size_t p, config_design *out,
                      dv_error *err) DV_MUST_CHECK;
void grid_design_free(config_design *d);

/* grid_design at every point, keeping none: the first bad point's message. */
dv_status grid_check(const grid *g, const config_design *base, dv_error *err) DV_MUST_CHECK;

#endif
