/* threeplusthree.c — the 3+3 design (Storer 1989), with optional de-escalation, as in SPEC 6. */
#include "design.h"

#include <stdio.h>

typedef struct {
  bool deescalate;
} tpt_options;

static const design_option tpt_option_table[] = {
    {.key = "deescalate",
     .kind = DESIGN_OPT_BOOL,
     .at = offsetof(tpt_options, deescalate),
     .def = 1,
     .help = "when a dose is too toxic, complete the dose below to 6 patients first"},
    {.key = NULL}};

/* The design's own reasons to stop (decide's design_stop). */
enum { TPT_NONE_TOLERATED, TPT_BELOW_TOXIC, TPT_TOP_TOLERATED };
static const design_reason tpt_reasons[] = {{"lowest_dose_too_toxic", true},
                                            {"dose_above_too_toxic", false},
                                            {"top_dose_tolerated", false},
                                            {NULL, false}};

typedef struct {
  int k;
  int start;
  bool deescalate;
} tpt_params;

static dv_status tpt_configure(void *params, const design_setup *setup, const void *options,
                               dv_error *err) {
  const tpt_options *o = options;
  tpt_params *p = params;
  if (setup->cohort_size != 3)
    return error_set(err, DV_ECONFIG, "cohort_size: %d; allowed: 3 (the 3+3 treats cohorts of 3)",
                     setup->cohort_size);
  p->k = setup->n_doses;
  p->start = setup->start_dose;
  p->deescalate = o->deescalate;
  return DV_OK;
}

/* Dose d (1-based) has shown >= 2 DLTs in its 3 or 6 patients. */
static bool tpt_too_toxic(const design_state *s, int d) {
  return s->n[d - 1] >= 3 && s->y[d - 1] >= 2;
}

/* d is too toxic: the MTD is d-1, unless de-escalation first completes d-1 to 6 patients. */
static design_action tpt_below_toxic(const tpt_params *p, const design_state *s, int d) {
  if (d == 1)
    return design_stop(0, TPT_NONE_TOLERATED);
  if (p->deescalate && s->n[d - 2] < 6)
    return design_treat(d - 1);
  return design_stop(d - 1, TPT_BELOW_TOXIC);
}

static design_action tpt_decide(const void *params, const design_state *s) {
  const tpt_params *p = params;
  int d = s->cur;
  if (d == 0)
    return design_treat(p->start);
  int n = s->n[d - 1], y = s->y[d - 1];
  if (y >= 2)
    return tpt_below_toxic(p, s, d);
  bool blocked = d == p->k || tpt_too_toxic(s, d + 1);
  if (n < 6) {
    /* 0/3: escalate (3 more here at the top or below a too-toxic dose); 1/3: 3 more here. */
    if (y == 0 && !blocked)
      return design_treat(d + 1);
    return design_treat(d);
  }
  /* <= 1 of 6: escalate, or this is the MTD when there is nowhere safe to go. */
  if (blocked)
    return design_stop(d, d == p->k ? TPT_TOP_TOLERATED : TPT_BELOW_TOXIC);
  return design_treat(d + 1);
}

/* The engine stopped the trial before a cohort would pass max_n (or a rule stopped it): the MTD
 * is the highest dose up to `highest` with 6 patients and <= 1 DLT (SPEC 6). */
static int tpt_select(const void *params, const design_state *s, int highest) {
  (void)params;
  for (int d = highest; d >= 1; d--)
    if (s->n[d - 1] >= 6 && s->y[d - 1] <= 1)
      return d;
  return 0;
}

/* The rule that fired, in the words of SPEC 6. The rules read the counts at the current dose:
 * with another cohort size (a live trial's cohort of 2 or 4) fewer than 6 patients are judged as
 * 3 are and 6 or more as 6 are. */
static void tpt_explain(const void *params, const design_state *s, char *buf, size_t len) {
  const tpt_params *p = params;
  int d = s->cur;
  if (d == 0) {
    snprintf(buf, len, "no cohort yet: the first is treated at the start dose %d", p->start);
    return;
  }
  int n = s->n[d - 1], y = s->y[d - 1];
  design_action a = tpt_decide(p, s);
  int used = snprintf(buf, len, "%d DLT%s in %d patient%s at dose %d: ", y, y == 1 ? "" : "s", n,
                      n == 1 ? "" : "s", d);
  if (used < 0 || (size_t)used >= len)
    return;
  char *rest = buf + used;
  size_t room = len - (size_t)used;
  bool top = d == p->k;
  if (y >= 2) {
    if (a.stop && a.dose == 0)
      snprintf(rest, room, "the lowest dose is too toxic (2 or more DLTs): no MTD");
    else if (a.stop)
      snprintf(rest, room, "dose %d is too toxic (2 or more DLTs): the MTD is dose %d", d, a.dose);
    else
      snprintf(rest, room,
               "dose %d is too toxic (2 or more DLTs); dose %d has %d patients: 3 more there "
               "first (deescalate)",
               d, a.dose, s->n[a.dose - 1]);
  } else if (n < 6 && y == 1) {
    snprintf(rest, room, "1 DLT in the first 3: 3 more at dose %d", d);
  } else if (!a.stop && a.dose > d) {
    snprintf(rest, room, "%s: escalate to dose %d", n < 6 ? "no DLT" : "at most 1 DLT in 6",
             a.dose);
  } else if (!a.stop) {
    snprintf(rest, room, "no DLT, but %s: 3 more at dose %d",
             top ? "this is the top dose" : "the dose above is too toxic", d);
  } else {
    snprintf(rest, room, "at most 1 DLT in 6 and %s: the MTD is dose %d",
             top ? "this is the top dose" : "the dose above is too toxic", a.dose);
  }
}

const design_type design_threeplusthree = {
    .name = "threeplusthree",
    .title = "3+3 (Storer 1989), with optional de-escalation",
    .options = tpt_option_table,
    .options_size = sizeof(tpt_options),
    .params_size = sizeof(tpt_params),
    .stop_reasons = tpt_reasons,
    .configure = tpt_configure,
    .decide = tpt_decide,
    .select = tpt_select,
    .explain = tpt_explain,
};
