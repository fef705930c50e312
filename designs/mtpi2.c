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

static const design_option mtpi2_option_table[] = {
    INTERVAL_EPS_OPTIONS, INTERVAL_CUTOFF_ELI_OPTION(interval_options), {.key = NULL}};

/* The unit probability masses decide (interval_strongest); ctx: the params. */
static void mtpi2_rule(const void *ctx, int n, signed char *dec) {
  const interval_params *p = ctx;
  interval_strongest(p->f.target - p->left, p->f.target + p->right, INTERVAL_SCORE_UPM, n, dec);
}

static dv_status mtpi2_configure(void *params, const design_setup *setup, const void *options,
                                 dv_error *err) {
  return interval_configure(params, setup, options, "eps1", "eps2", INTERVAL_MIN_WIDTH, mtpi2_rule,
                            err);
}

static void mtpi2_describe(const void *params, char *buf, size_t len) {
  const interval_params *p = params;
  double phi = p->f.target;
  snprintf(buf, len,
           "mTPI-2 decision table (Guo et al. 2017)\n"
           "target      %.4f\n"
           "eps1        %.4f  the equivalence interval EI = [target - eps1, target + eps2]\n"
           "eps2        %.4f    = [%.4f, %.4f]; intervals of its width cut [0, 1] outward from it\n"
           "                    and the one with the largest P(DLT rate in it | data) / its width\n"
           "                    decides: below the EI escalate, the EI stay, above de-escalate\n",
           phi, p->left, p->right, phi - p->left, phi + p->right);
  interval_describe_eli(&p->f, buf, len);
}

const design_type design_mtpi2 = {
    .name = "mtpi2",
    .title = "mTPI-2, the modified toxicity probability interval design 2 (Guo et al. 2017)",
    .options = mtpi2_option_table,
    .options_size = sizeof(interval_options),
    .params_size = sizeof(interval_params),
    .stop_reasons = interval_stop_reasons,
    .configure = mtpi2_configure,
    .decide = interval_params_decide,
    .select = interval_params_select,
    .table_row = interval_params_table_row,
    .describe = mtpi2_describe,
};
