/* rules.c — the rule table (see rules.h). The semantics live in src/engine/policy.c. */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#define R(field) offsetof(design_rule, field)

static const design_option no_skip_options[] = {
    {.key = "escalation",
     .kind = DESIGN_OPT_BOOL,
     .at = R(escalation),
     .def = 1,
     .help = "never escalate more than one level above the last dose"},
    {.key = "deescalation",
     .kind = DESIGN_OPT_BOOL,
     .at = R(deescalation),
     .def = 0,
     .help = "never de-escalate more than one level below the last dose"},
    {.key = NULL}};

static const design_option stop_at_n_options[] = {
    {.key = "n",
     .kind = DESIGN_OPT_INT,
     .at = R(n),
     .required = true,
     .min = DESIGN_AT_LEAST(1),
     .help = "stop once this many patients are treated"},
    {.key = NULL}};

static const design_option n_at_dose_options[] = {
    {.key = "n",
     .kind = DESIGN_OPT_INT,
     .at = R(n),
     .required = true,
     .min = DESIGN_AT_LEAST(1),
     .help = "patients at the dose"},
    {.key = "dose",
     .kind = DESIGN_OPT_DOSE,
     .at = R(dose),
     .required = true,
     .dose_words = DESIGN_DOSE_WORD_RECOMMENDED | DESIGN_DOSE_WORD_ANY,
     .help = "the dose recommended next, any dose, or a dose number"},
    {.key = NULL}};

static const design_option too_toxic_options[] = {
    {.key = "dose",
     .kind = DESIGN_OPT_DOSE,
     .at = R(dose),
     .required = true,
     .dose_words = DESIGN_DOSE_WORD_ANY,
     .help = "the dose judged, or any dose"},
    {.key = "threshold",
     .kind = DESIGN_OPT_REAL,
     .at = R(threshold),
     .required = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "a DLT rate: the dose is too toxic when P(rate > threshold | data) > confidence"},
    {.key = "confidence",
     .kind = DESIGN_OPT_REAL,
     .at = R(confidence),
     .required = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_LESS(1),
     .help = "the posterior probability that makes the dose inadmissible"},
    {.key = "prior",
     .kind = DESIGN_OPT_REALS,
     .at = R(prior),
     .count = 2,
     .count_at = R(prior_count),
     .def = 1,
     .min = DESIGN_MORE(0),
     .help = "[a, b] of the Beta prior of the DLT rate; default [1, 1]"},
    {.key = NULL}};

static const design_option demand_options[] = {
    {.key = "n",
     .kind = DESIGN_OPT_INT,
     .at = R(n),
     .required = true,
     .min = DESIGN_AT_LEAST(1),
     .help = "patients the dose must have before the trial may stop"},
    {.key = "dose",
     .kind = DESIGN_OPT_DOSE,
     .at = R(dose),
     .required = true,
     .dose_words = DESIGN_DOSE_WORD_RECOMMENDED,
     .help = "the dose the trial would select (recommended), or a dose number"},
    {.key = NULL}};

const rule_type rule_types[] = {
    {"no_skip", DESIGN_RULE_NO_SKIP, no_skip_options, NULL, false,
     "never move more than one level from the last dose"},
    {"stop_at_n", DESIGN_RULE_STOP_AT_N, stop_at_n_options, "n", true,
     "stop once N patients are treated"},
    {"stop_when_n_at_dose", DESIGN_RULE_STOP_WHEN_N_AT_DOSE, n_at_dose_options, NULL, true,
     "stop when a dose has N patients"},
    {"stop_when_too_toxic", DESIGN_RULE_STOP_WHEN_TOO_TOXIC, too_toxic_options, NULL, true,
     "doses with P(rate > threshold | data) > confidence and those above are inadmissible"},
    {"demand_n_at_dose", DESIGN_RULE_DEMAND_N_AT_DOSE, demand_options, NULL, false,
     "do not stop, except for toxicity, until a dose has N patients"},
    {NULL, DESIGN_RULE_NO_SKIP, NULL, NULL, false, NULL}};

const rule_type *rule_lookup(const char *name) {
  for (int i = 0; rule_types[i].name != NULL; i++)
    if (name != NULL && strcmp(rule_types[i].name, name) == 0)
      return &rule_types[i];
  return NULL;
}

void rule_type_names(char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; rule_types[i].name != NULL && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", rule_types[i].name);
}

dv_status rule_finish(const rule_type *t, design_rule *r, const design_setup *setup,
                      dv_error *err) {
  r->kind = t->kind;
  if (r->kind == DESIGN_RULE_NO_SKIP && !r->escalation && !r->deescalation)
    return error_set(err, DV_ECONFIG,
                     "escalation: false with deescalation: false; allowed: at least one true "
                     "(otherwise the rule does nothing)");
  /* A count of patients past the design's max_n (at most DESIGN_MAX_N) can never be reached: a
   * stop at it never acts, a demand for it can never be met (issue 27, item 9). */
  bool counts = r->kind == DESIGN_RULE_STOP_AT_N || r->kind == DESIGN_RULE_STOP_WHEN_N_AT_DOSE ||
                r->kind == DESIGN_RULE_DEMAND_N_AT_DOSE;
  if (counts && setup != NULL && r->n > setup->max_n)
    return error_set(err, DV_ECONFIG,
                     "n: %ld; allowed: 1 to %d, the design's max_n (a trial never has more "
                     "patients, so the rule %s)",
                     r->n, setup->max_n,
                     r->kind == DESIGN_RULE_DEMAND_N_AT_DOSE ? "could never be met"
                                                             : "would never act");
  return DV_OK;
}
