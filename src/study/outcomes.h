/* outcomes.h — a trial's history in the notation of the R package escalation (SPEC 4): each
 * cohort is a dose number followed by one letter per patient, N (no DLT) or T (DLT), cohorts
 * separated by spaces, oldest first ("1NNN 2NTN"). A live trial's cohorts may have any size. */
#ifndef DOSEVAL_OUTCOMES_H
#define DOSEVAL_OUTCOMES_H

#include "design.h"
#include "error.h"

typedef struct {
  int dose; /* 1..K */
  int n;    /* patients, >= 1 */
  int y;    /* of them with a DLT */
} outcome_cohort;

typedef struct {
  int n_cohorts;
  outcome_cohort cohorts[DESIGN_MAX_N]; /* a trial has at most DESIGN_MAX_N patients */
} outcomes;

/* Parses `text` for a study of n_doses doses. On a bad string returns DV_EUSAGE with a message
 * naming the character and what is allowed there, followed by two lines: the string and a caret
 * under the character ("'X' at character 3; allowed: N (no DLT) or T (DLT)\n  1NXN\n    ^"). An
 * empty string is no cohorts. */
dv_status outcomes_parse(const char *text, int n_doses, outcomes *out, dv_error *err) DV_MUST_CHECK;

/* The state after the first `upto` cohorts: counts per dose, the last cohort's dose, DLTs and
 * size (last_y kept only when `last_cohort`, as the engine keeps it). */
void outcomes_state(const outcomes *o, int upto, bool last_cohort, design_state *s);

#endif
