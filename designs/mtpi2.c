/* mtpi2.c — the mTPI-2 design of Guo W, Wang SJ, Yang S, Lynn H, Ji Y (2017). A Bayesian interval
 * dose-finding design addressing Ockham's razor: mTPI-2. Contemp Clin Trials 58:23-33 (SPEC 6).
 *
 * The equivalence interval EI = [target - eps1, target + eps2]; [0, 1] is cut into intervals of
 * the EI's width outward from its ends, the end intervals truncated at 0 and 1. After each
 * cohort the interval with the largest unit probability mass P(p in I | Beta(1+y, 1+n-y)) / |I|
 * decides: below the EI escalate, the EI stay, above it de-escalate, ties to the interval
 * further right (the safer decision). With the elimination rule and the isotonic MTD of every
 * interval design (interval.c). The decision depends only on (n, y) at the current dose, so
 * configure tabulates it per n (monotone in y: see interval_strongest) and decide looks it up.
 * Known values: Guo et al. (2017) Fig. 3, tested in tests/test_mtpi2.c. */
#include "interval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  double eps1, eps2, cutoff_eli;
} mtpi2_options;

static const design_option mtpi2_option_table[] = {
    {.key = "eps1",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(mtpi2_options, eps1),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_TARGET_OPEN,
     .help = "the equivalence interval starts at target - eps1"},
    {.key = "eps2",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(mtpi2_options, eps2),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "the equivalence interval ends at target + eps2; below 1 - target"},
    {.key = "cutoff_eli",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(mtpi2_options, cutoff_eli),
     .def = 0.95,
     .min = DESIGN_MORE(0),
     .max = DESIGN_AT_MOST(1),
     .help = "eliminate a dose and those above when P(DLT rate > target | data) exceeds it"},
    {.key = NULL}};

typedef struct {
  interval_frame f;
  double eps1, eps2;
} mtpi2_params;

/* The unit probability masses decide (interval_strongest); ctx: the params. */
static void mtpi2_rule(const void *ctx, int n, signed char *dec) {
  const mtpi2_params *p = ctx;
  interval_strongest(p->f.target - p->eps1, p->f.target + p->eps2, INTERVAL_SCORE_UPM, n, dec);
}

static dv_status mtpi2_configure(void *params, const design_setup *setup, const void *options,
                                 dv_error *err) {
  const mtpi2_options *o = options;
  mtpi2_params *p = params;
  double phi = setup->target;
  if (!(o->eps2 < 1.0 - phi))
    return error_set(err, DV_ECONFIG, "eps2: %g; allowed: 0 < eps2 < 1 - target = %g", o->eps2,
                     1.0 - phi);
  if (!(o->eps1 + o->eps2 >= INTERVAL_MIN_WIDTH))
    return error_set(err, DV_ECONFIG, "eps1: %g; allowed: eps1 + eps2 >= %g (eps2 = %g)", o->eps1,
                     INTERVAL_MIN_WIDTH, o->eps2);
  memset(p, 0, sizeof *p);
  interval_frame_init(&p->f, setup, o->cutoff_eli);
  p->eps1 = o->eps1;
  p->eps2 = o->eps2;
  int bad = interval_frame_fill(&p->f, mtpi2_rule, p);
  if (bad != 0) /* never seen; see interval_strongest for why the rule is a threshold in y */
    return error_set(err, DV_ECONFIG,
                     "eps1: %g; allowed: values whose decisions at n = %d are a threshold rule in "
                     "the DLT count (eps2 = %g)",
                     o->eps1, bad, o->eps2);
  return DV_OK;
}

static design_action mtpi2_decide(const void *params, const design_state *s) {
  const mtpi2_params *p = params;
  return interval_decide(&p->f, s, INTERVAL_LOWEST_ELIMINATED);
}

static int mtpi2_select(const void *params, const design_state *s, int highest) {
  const mtpi2_params *p = params;
  return interval_select(&p->f, s, highest, INFINITY);
}

static void mtpi2_table_row(const void *params, int n, design_table_row *row) {
  const mtpi2_params *p = params;
  interval_table_row(&p->f, n, row);
}

static void mtpi2_describe(const void *params, char *buf, size_t len) {
  const mtpi2_params *p = params;
  double phi = p->f.target;
  snprintf(buf, len,
           "mTPI-2 decision table (Guo et al. 2017)\n"
           "target      %.4f\n"
           "eps1        %.4f  the equivalence interval EI = [target - eps1, target + eps2]\n"
           "eps2        %.4f    = [%.4f, %.4f]; intervals of its width cut [0, 1] outward from it\n"
           "                    and the one with the largest P(DLT rate in it | data) / its width\n"
           "                    decides: below the EI escalate, the EI stay, above de-escalate\n",
           phi, p->eps1, p->eps2, phi - p->eps1, phi + p->eps2);
  interval_describe_eli(&p->f, buf, len);
}

const design_type design_mtpi2 = {
    .name = "mtpi2",
    .title = "mTPI-2, the modified toxicity probability interval design 2 (Guo et al. 2017)",
    .options = mtpi2_option_table,
    .options_size = sizeof(mtpi2_options),
    .params_size = sizeof(mtpi2_params),
    .stop_reasons = interval_stop_reasons,
    .configure = mtpi2_configure,
    .decide = mtpi2_decide,
    .select = mtpi2_select,
    .table_row = mtpi2_table_row,
    .describe = mtpi2_describe,
};
