/* keyboard.c — the Keyboard design of Yan F, Mandrekar SJ, Yuan Y (2017). Keyboard: a novel
 * Bayesian toxicity probability interval design for phase I clinical trials. Clin Cancer Res
 * 23(15):3994-4003 (SPEC 6), as get.boundary.kb() of the R package Keyboard computes it.
 *
 * The target key [target - margin_left, target + margin_right]; keys of the same width tile
 * [0, 1] outward from it, the end keys truncated at 0 and 1, a truncated key's posterior mass
 * scaled to the full width (the R package's "compensation factor for incomplete keys"). After
 * each cohort the strongest key, the one with the largest P(p in key | Beta(1+y, 1+n-y)),
 * decides: left of the target key escalate, the target key stay, right of it de-escalate, ties
 * to the higher key. With the elimination rule and the isotonic MTD of every interval design
 * (interval.c). Scaling the end keys makes a key's strength its unit probability mass times the
 * width, so with margins equal to mTPI-2's eps the decisions are mTPI-2's (tests/test_keyboard.c).
 * Configure tabulates the decision per n; decide looks it up. Known values: get.boundary.kb()
 * output, tested in tests/test_keyboard.c. */
#include "interval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Keyboard's options: the margins are interval_options' left and right. */
static const design_option keyboard_option_table[] = {
    {.key = "margin_left",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(interval_options, left),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_TARGET_OPEN,
     .help = "the target key starts at target - margin_left"},
    {.key = "margin_right",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(interval_options, right),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "the target key ends at target + margin_right; below 1 - target"},
    INTERVAL_CUTOFF_ELI_OPTION(interval_options),
    {.key = NULL}};

/* The strongest key decides (interval_strongest); ctx: the params. */
static void keyboard_rule(const void *ctx, int n, signed char *dec) {
  const interval_params *p = ctx;
  interval_strongest(p->f.target - p->left, p->f.target + p->right, INTERVAL_SCORE_KEY, n, dec);
}

static dv_status keyboard_configure(void *params, const design_setup *setup, const void *options,
                                    dv_error *err) {
  return interval_configure(params, setup, options, "margin_left", "margin_right",
                            INTERVAL_MIN_WIDTH, keyboard_rule, err);
}

static void keyboard_describe(const void *params, char *buf, size_t len) {
  const interval_params *p = params;
  double phi = p->f.target;
  snprintf(
      buf, len,
      "Keyboard decision table (Yan, Mandrekar & Yuan 2017)\n"
      "target        %.4f\n"
      "margin_left   %.4f  the target key [target - margin_left, target + margin_right]\n"
      "margin_right  %.4f    = [%.4f, %.4f]; keys of its width tile [0, 1] outward from it\n"
      "                      and the strongest key, the likeliest place of the DLT rate\n"
      "                      (an end key's mass scaled to the full width), decides: left of\n"
      "                      the target key escalate, the target key stay, right de-escalate\n",
      phi, p->left, p->right, phi - p->left, phi + p->right);
  interval_describe_eli(&p->f, buf, len);
}

const design_type design_keyboard = {
    .name = "keyboard",
    .title = "Keyboard, the Bayesian toxicity probability interval design (Yan et al. 2017)",
    .options = keyboard_option_table,
    .options_size = sizeof(interval_options),
    .params_size = sizeof(interval_params),
    .stop_reasons = interval_stop_reasons,
    .configure = keyboard_configure,
    .decide = interval_params_decide,
    .select = interval_params_select,
    .table_row = interval_params_table_row,
    .describe = keyboard_describe,
};
