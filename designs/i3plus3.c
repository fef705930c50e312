/* i3plus3.c — the i3+3 design of Liu M, Wang SJ, Ji Y (2020). The i3+3 design for phase I clinical
 * trials. J Biopharm Stat 30(2):294-304 (SPEC 6).
 *
 * The equivalence interval EI = [target - eps1, target + eps2]. After each cohort, with y DLTs
 * out of n at the current dose: y/n below the EI escalate; inside it (both ends included) stay;
 * above it stay if (y - 1)/n is below the EI (one DLT fewer would have escalated: the "3+3"
 * behaviour of 1/3 at a low target), else de-escalate. With the elimination rule and the
 * isotonic MTD of every interval design (interval.c). A rate within INTERVAL_EDGE_TOL of an end
 * of the EI is on it (1/4 against 0.3 - 0.05). The decision is non-decreasing in y for every n:
 * E while y < n lo, then S, then D once y > n hi and y >= n lo + 1, and configure checks it while
 * it tabulates the decision per n. Known values: tests/test_i3plus3.c. */
#include "interval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  double eps1, eps2, cutoff_eli;
} i3_options;

static const design_option i3_option_table[] = {
    {.key = "eps1",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(i3_options, eps1),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_TARGET_OPEN,
     .help = "the equivalence interval starts at target - eps1"},
    {.key = "eps2",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(i3_options, eps2),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "the equivalence interval ends at target + eps2; below 1 - target"},
    {.key = "cutoff_eli",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(i3_options, cutoff_eli),
     .def = 0.95,
     .min = DESIGN_MORE(0),
     .max = DESIGN_AT_MOST(1),
     .help = "eliminate a dose and those above when P(DLT rate > target | data) exceeds it"},
    {.key = NULL}};

typedef struct {
  interval_frame f;
  double eps1, eps2;
} i3_params;

static void i3_rule(const void *ctx, int n, signed char *dec) {
  const i3_params *p = ctx;
  double lo = p->f.target - p->eps1 - INTERVAL_EDGE_TOL,
         hi = p->f.target + p->eps2 + INTERVAL_EDGE_TOL;
  for (int y = 0; y <= n; y++) {
    double rate = (double)y / n, one_less = (double)(y - 1) / n;
    if (rate < lo)
      dec[y] = -1;
    else if (rate <= hi)
      dec[y] = 0;
    else
      dec[y] = (signed char)(one_less < lo ? 0 : 1);
  }
}

static dv_status i3_configure(void *params, const design_setup *setup, const void *options,
                              dv_error *err) {
  const i3_options *o = options;
  i3_params *p = params;
  double phi = setup->target;
  if (!(o->eps2 < 1.0 - phi))
    return error_set(err, DV_ECONFIG, "eps2: %g; allowed: 0 < eps2 < 1 - target = %g", o->eps2,
                     1.0 - phi);
  memset(p, 0, sizeof *p);
  interval_frame_init(&p->f, setup, o->cutoff_eli);
  p->eps1 = o->eps1;
  p->eps2 = o->eps2;
  int bad = interval_frame_fill(&p->f, i3_rule, p);
  if (bad != 0) /* impossible by the argument above; kept as the check the table relies on */
    return error_set(err, DV_ECONFIG,
                     "eps1: %g; allowed: values whose decisions at n = %d are a threshold rule in "
                     "the DLT count (eps2 = %g)",
                     o->eps1, bad, o->eps2);
  return DV_OK;
}

static design_action i3_decide(const void *params, const design_state *s) {
  const i3_params *p = params;
  return interval_decide(&p->f, s, INTERVAL_LOWEST_ELIMINATED);
}

static int i3_select(const void *params, const design_state *s, int highest) {
  const i3_params *p = params;
  return interval_select(&p->f, s, highest, INFINITY);
}

static void i3_table_row(const void *params, int n, design_table_row *row) {
  const i3_params *p = params;
  interval_table_row(&p->f, n, row);
}

static void i3_describe(const void *params, char *buf, size_t len) {
  const i3_params *p = params;
  double phi = p->f.target;
  snprintf(buf, len,
           "i3+3 decision table (Liu, Wang & Ji 2020)\n"
           "target      %.4f\n"
           "eps1        %.4f  the equivalence interval EI = [target - eps1, target + eps2]\n"
           "eps2        %.4f    = [%.4f, %.4f]; DLT rate y/n below the EI escalate, inside it\n"
           "                    stay, above it stay if (y - 1)/n is below the EI, else\n"
           "                    de-escalate\n",
           phi, p->eps1, p->eps2, phi - p->eps1, phi + p->eps2);
  interval_describe_eli(&p->f, buf, len);
}

const design_type design_i3plus3 = {
    .name = "i3plus3",
    .title = "i3+3, the interval 3+3 design (Liu, Wang & Ji 2020)",
    .options = i3_option_table,
    .options_size = sizeof(i3_options),
    .params_size = sizeof(i3_params),
    .stop_reasons = interval_stop_reasons,
    .configure = i3_configure,
    .decide = i3_decide,
    .select = i3_select,
    .table_row = i3_table_row,
    .describe = i3_describe,
};
