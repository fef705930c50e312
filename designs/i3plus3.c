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

static const design_option i3_option_table[] = {
    INTERVAL_EPS_OPTIONS, INTERVAL_CUTOFF_ELI_OPTION(interval_options), {.key = NULL}};

static void i3_rule(const void *ctx, int n, signed char *dec) {
  const interval_params *p = ctx;
  double lo = p->f.target - p->left - INTERVAL_EDGE_TOL,
         hi = p->f.target + p->right + INTERVAL_EDGE_TOL;
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

/* No minimum width: the rule compares rates with the interval's ends, not masses. */
static dv_status i3_configure(void *params, const design_setup *setup, const void *options,
                              dv_error *err) {
  return interval_configure(params, setup, options, "eps1", "eps2", 0, i3_rule, err);
}

static void i3_describe(const void *params, char *buf, size_t len) {
  const interval_params *p = params;
  double phi = p->f.target;
  snprintf(buf, len,
           "i3+3 decision table (Liu, Wang & Ji 2020)\n"
           "target      %.4f\n"
           "eps1        %.4f  the equivalence interval EI = [target - eps1, target + eps2]\n"
           "eps2        %.4f    = [%.4f, %.4f]; DLT rate y/n below the EI escalate, inside it\n"
           "                    stay, above it stay if (y - 1)/n is below the EI, else\n"
           "                    de-escalate\n",
           phi, p->left, p->right, phi - p->left, phi + p->right);
  interval_describe_eli(&p->f, buf, len);
}

const design_type design_i3plus3 = {
    .name = "i3plus3",
    .title = "i3+3, the interval 3+3 design (Liu, Wang & Ji 2020)",
    .options = i3_option_table,
    .options_size = sizeof(interval_options),
    .params_size = sizeof(interval_params),
    .stop_reasons = interval_stop_reasons,
    .configure = i3_configure,
    .decide = interval_params_decide,
    .select = interval_params_select,
    .table_row = interval_params_table_row,
    .describe = i3_describe,
};
