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

typedef struct {
  double margin_left, margin_right, cutoff_eli;
} keyboard_options;

static const design_option keyboard_option_table[] = {
    {.key = "margin_left",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(keyboard_options, margin_left),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_TARGET_OPEN,
     .help = "the target key starts at target - margin_left"},
    {.key = "margin_right",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(keyboard_options, margin_right),
     .def = 0.05,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "the target key ends at target + margin_right; below 1 - target"},
    {.key = "cutoff_eli",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(keyboard_options, cutoff_eli),
     .def = 0.95,
     .min = DESIGN_MORE(0),
     .max = DESIGN_AT_MOST(1),
     .help = "eliminate a dose and those above when P(DLT rate > target | data) exceeds it"},
    {.key = NULL}};

typedef struct {
  interval_frame f;
  double margin_left, margin_right;
} keyboard_params;

/* The strongest key decides (interval_strongest); ctx: the params. */
static void keyboard_rule(const void *ctx, int n, signed char *dec) {
  const keyboard_params *p = ctx;
  interval_strongest(p->f.target - p->margin_left, p->f.target + p->margin_right,
                     INTERVAL_SCORE_KEY, n, dec);
}

static dv_status keyboard_configure(void *params, const design_setup *setup, const void *options,
                                    dv_error *err) {
  const keyboard_options *o = options;
  keyboard_params *p = params;
  double phi = setup->target;
  if (!(o->margin_right < 1.0 - phi))
    return error_set(err, DV_ECONFIG,
                     "margin_right: %g; allowed: 0 < margin_right < 1 - target = %g",
                     o->margin_right, 1.0 - phi);
  if (!(o->margin_left + o->margin_right >= INTERVAL_MIN_WIDTH))
    return error_set(
        err, DV_ECONFIG,
        "margin_left: %g; allowed: margin_left + margin_right >= %g (margin_right = %g)",
        o->margin_left, INTERVAL_MIN_WIDTH, o->margin_right);
  memset(p, 0, sizeof *p);
  interval_frame_init(&p->f, setup, o->cutoff_eli);
  p->margin_left = o->margin_left;
  p->margin_right = o->margin_right;
  int bad = interval_frame_fill(&p->f, keyboard_rule, p);
  if (bad != 0) /* never seen; see interval_strongest for why the rule is a threshold in y */
    return error_set(err, DV_ECONFIG,
                     "margin_left: %g; allowed: values whose decisions at n = %d are a threshold "
                     "rule in the DLT count (margin_right = %g)",
                     o->margin_left, bad, o->margin_right);
  return DV_OK;
}

static design_action keyboard_decide(const void *params, const design_state *s) {
  const keyboard_params *p = params;
  return interval_decide(&p->f, s, INTERVAL_LOWEST_ELIMINATED);
}

static int keyboard_select(const void *params, const design_state *s, int highest) {
  const keyboard_params *p = params;
  return interval_select(&p->f, s, highest, INFINITY);
}

static void keyboard_table_row(const void *params, int n, design_table_row *row) {
  const keyboard_params *p = params;
  interval_table_row(&p->f, n, row);
}

static void keyboard_describe(const void *params, char *buf, size_t len) {
  const keyboard_params *p = params;
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
      phi, p->margin_left, p->margin_right, phi - p->margin_left, phi + p->margin_right);
  interval_describe_eli(&p->f, buf, len);
}

const design_type design_keyboard = {
    .name = "keyboard",
    .title = "Keyboard, the Bayesian toxicity probability interval design (Yan et al. 2017)",
    .options = keyboard_option_table,
    .options_size = sizeof(keyboard_options),
    .params_size = sizeof(keyboard_params),
    .stop_reasons = interval_stop_reasons,
    .configure = keyboard_configure,
    .decide = keyboard_decide,
    .select = keyboard_select,
    .table_row = keyboard_table_row,
    .describe = keyboard_describe,
};
