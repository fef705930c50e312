/* rolling6.c — the rolling six design (Skolnik JM, Barrett JS, Jayaraman B, Patel D, Adamson PC
 * (2008). Shortening the timeline of pediatric phase I trials: the rolling six design. J Clin
 * Oncol 26(2):190-195), as SPEC 12 states it.
 *
 * Patients are enrolled one at a time (cohorts of 1), up to 6 at a dose while earlier ones are
 * still in follow-up. At the current dose d with n enrolled, e evaluated (outcome known) and y
 * DLTs seen:
 *   y >= 2: d is too toxic: de-escalate as the 3+3 with `deescalate: true` — the MTD is the dose
 *           below once it has 6 evaluated with <= 1 DLT, patients are enrolled there until it has
 *           6, a dose below with >= 2 DLTs is too toxic too, and none below dose 1 means no MTD;
 *   y = 0:  escalate when e = n in {3, 4} or e >= 5; suspend when n = 6 and e <= 4; else enrol
 *           at d;
 *   y = 1:  enrol at d while n < 6; suspend until all 6 are evaluated; then escalate.
 * An escalation at the top dose, or into a dose already too toxic, stays at d until 6 are
 * evaluated (enrolling up to 6, suspending while they are pending) and then stops with d as the
 * MTD (<= 1 DLT in 6). Without pending patients (e = n) the same rules are a 3+3 that decides
 * after every patient; decide and decide_pending are one function of the counts. */
#include <stdio.h>
#include <string.h>

#include "design.h"

typedef struct {
  int unused; /* no options of its own */
} r6_options;

static const design_option r6_option_table[] = {{.key = NULL}};

enum { R6_NONE_TOLERATED, R6_BELOW_TOXIC, R6_TOP_TOLERATED };
static const design_reason r6_reasons[] = {{"lowest_dose_too_toxic", true},
                                           {"dose_above_too_toxic", false},
                                           {"top_dose_tolerated", false},
                                           {NULL, false}};

typedef struct {
  int k, start;
} r6_params;

/* What the rules read at each dose: enrolled, evaluated (outcome known) and DLTs seen. */
typedef struct {
  const uint8_t *enrolled, *evaluated, *dlt;
} r6_counts;

static dv_status r6_configure(void *params, const design_setup *setup, const void *options,
                              dv_error *err) {
  (void)options;
  r6_params *p = params;
  if (setup->cohort_size != 1)
    return error_set(err, DV_ECONFIG,
                     "cohort_size: %d; allowed: 1 (the rolling six enrols patients one at a time)",
                     setup->cohort_size);
  p->k = setup->n_doses;
  p->start = setup->start_dose;
  return DV_OK;
}

static bool r6_too_toxic(const r6_counts *c, int d) { return c->dlt[d - 1] >= 2; }

/* Stay at d, which has <= 1 DLT, until 6 are evaluated there, then stop with MTD d. */
static design_action r6_fill_then_stop(const r6_counts *c, int d, int reason) {
  if (c->evaluated[d - 1] >= 6)
    return design_stop(d, reason);
  if (c->enrolled[d - 1] < 6)
    return design_treat(d);
  return design_suspend(d);
}

/* d is too toxic: the highest dose below it that is not, filled to 6 (SPEC 6's de-escalation). */
static design_action r6_below_toxic(const r6_counts *c, int d) {
  for (int x = d - 1; x >= 1; x--)
    if (!r6_too_toxic(c, x))
      return r6_fill_then_stop(c, x, R6_BELOW_TOXIC);
  return design_stop(0, R6_NONE_TOLERATED);
}

static design_action r6_escalate(const r6_params *p, const r6_counts *c, int d) {
  if (d == p->k)
    return r6_fill_then_stop(c, d, R6_TOP_TOLERATED);
  if (r6_too_toxic(c, d + 1))
    return r6_fill_then_stop(c, d, R6_BELOW_TOXIC);
  return design_treat(d + 1);
}

static design_action r6_rules(const r6_params *p, const r6_counts *c, int d) {
  if (d == 0)
    return design_treat(p->start);
  int n = c->enrolled[d - 1], e = c->evaluated[d - 1], y = c->dlt[d - 1];
  if (y >= 2)
    return r6_below_toxic(c, d);
  if (y == 0) {
    if ((e == n && (n == 3 || n == 4)) || e >= 5)
      return r6_escalate(p, c, d);
    return n >= 6 ? design_suspend(d) : design_treat(d);
  }
  if (n < 6)
    return design_treat(d);
  return e < 6 ? design_suspend(d) : r6_escalate(p, c, d);
}

static design_action r6_decide(const void *params, const design_state *s) {
  r6_counts c = {s->n, s->n, s->y};
  return r6_rules(params, &c, s->cur);
}

static design_action r6_decide_pending(const void *params, const pending_view *v) {
  r6_counts c = {v->enrolled, v->n, v->y};
  return r6_rules(params, &c, v->cur);
}

/* The trial ended before the rules stopped it (max_n, a rule): the highest dose up to `highest`
 * with 6 evaluated and <= 1 DLT, as the 3+3 (SPEC 6). */
static int r6_select(const void *params, const design_state *s, int highest) {
  (void)params;
  for (int d = highest; d >= 1; d--)
    if (s->n[d - 1] >= 6 && s->y[d - 1] <= 1)
      return d;
  return 0;
}

const design_type design_rolling6 = {
    .name = "rolling6",
    .title = "Rolling six (Skolnik et al. 2008): up to 6 patients a dose enrolled while pending",
    .options = r6_option_table,
    .options_size = sizeof(r6_options),
    .params_size = sizeof(r6_params),
    .stop_reasons = r6_reasons,
    .example = "cohort_size: 1",
    .configure = r6_configure,
    .decide = r6_decide,
    .select = r6_select,
    .reads_pending = true,
    .decide_pending = r6_decide_pending,
};
