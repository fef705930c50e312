/* outcomes.c — the outcome-string parser (see outcomes.h). */
#include "outcomes.h"

#include <stdio.h>
#include <string.h>

/* The message, then the string and a caret under character `at` (0-based). */
static dv_status bad_at(dv_error *err, const char *text, size_t at, const char *what,
                        const char *allowed) {
  size_t len = strlen(text);
  int shown = len > 120 ? 120 : (int)len;
  if (at > 120)
    return error_set(err, DV_EUSAGE, "%s at character %zu; allowed: %s", what, at + 1, allowed);
  return error_set(err, DV_EUSAGE, "%s at character %zu; allowed: %s\n  %.*s\n  %*s^", what, at + 1,
                   allowed, shown, text, (int)at, "");
}

dv_status outcomes_parse(const char *text, int n_doses, outcomes *out, dv_error *err) {
  memset(out, 0, sizeof *out);
  int total = 0, per_dose[DESIGN_MAX_DOSES] = {0};
  char what[96], allowed[160];
  size_t i = 0;
  for (;;) {
    while (text[i] == ' ')
      i++;
    if (text[i] == '\0')
      return DV_OK;
    size_t start = i;
    if (!(text[i] >= '0' && text[i] <= '9')) {
      snprintf(what, sizeof what, "'%c'", text[i]);
      snprintf(allowed, sizeof allowed, "a dose number (1 to %d) to start a cohort", n_doses);
      return bad_at(err, text, i, what, allowed);
    }
    long dose = 0;
    while (text[i] >= '0' && text[i] <= '9' && dose <= DESIGN_MAX_DOSES)
      dose = 10 * dose + (text[i++] - '0');
    while (text[i] >= '0' && text[i] <= '9')
      i++;
    if (dose < 1 || dose > n_doses) {
      snprintf(what, sizeof what, "dose %.*s", (int)(i - start), text + start);
      snprintf(allowed, sizeof allowed, "a dose from 1 to %d (the study's doses)", n_doses);
      return bad_at(err, text, start, what, allowed);
    }
    outcome_cohort c = {.dose = (int)dose};
    while (text[i] == 'N' || text[i] == 'T') {
      c.y += text[i] == 'T';
      c.n++;
      i++;
    }
    if (text[i] != '\0' && text[i] != ' ') {
      snprintf(what, sizeof what, "'%c'", text[i]);
      return bad_at(err, text, i, what, "N (no DLT) or T (DLT) for each patient of the cohort");
    }
    if (c.n == 0) {
      snprintf(what, sizeof what, "a cohort with no patients (dose %ld)", dose);
      return bad_at(err, text, start, what, "the dose followed by N or T for each patient");
    }
    total += c.n;
    per_dose[dose - 1] += c.n;
    if (total > DESIGN_MAX_N)
      return bad_at(err, text, start, "more than 255 patients", "at most 255 patients in a trial");
    out->cohorts[out->n_cohorts++] = c;
  }
}

void outcomes_state(const outcomes *o, int upto, bool last_cohort, design_state *s) {
  memset(s, 0, sizeof *s);
  for (int k = 0; k < upto && k < o->n_cohorts; k++) {
    const outcome_cohort *c = &o->cohorts[k];
    state_add_cohort(s, c->dose, c->n, c->y, last_cohort);
  }
}
