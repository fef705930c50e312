/* outcomes.h — a trial's history in the notation of the R package escalation (SPEC 4): each
 * cohort is a dose number followed by one letter per patient, N (no DLT) or T (DLT), cohorts
 * separated by spaces, oldest first ("1NNN 2NTN"). A live trial's cohorts may have any size.
 * With a DLT window (SPEC 12) a patient may also be pending: P and the days followed so far
 * ("1NNN 2NP21P5": at dose 2 one without DLT, two pending, followed 21 and 5 days). */
#ifndef DOSEVAL_OUTCOMES_H
#define DOSEVAL_OUTCOMES_H

#include "design.h"
#include "error.h"

typedef struct {
  int dose; /* 1..K */
  int n;    /* patients, >= 1, the pending ones included */
  int y;    /* of them with a DLT */
  int m;    /* of them pending */
  int r;    /* of them with a response (E or B; outcomes_parse_responses only) */
} outcome_cohort;

typedef struct {
  uint8_t dose;
  char kind;   /* 'N', 'T' or 'P' */
  double days; /* P: days followed so far, 0 <= days < W */
} outcome_patient;

typedef struct {
  int n_cohorts;
  outcome_cohort cohorts[DESIGN_MAX_N]; /* a trial has at most DESIGN_MAX_N patients */
  int n_patients, n_pending;
  outcome_patient patients[DESIGN_MAX_N]; /* in order */
} outcomes;

/* Parses `text` for a study of n_doses doses. On a bad string returns DV_EUSAGE with a message
 * naming the character and what is allowed there, followed by two lines: the string and a caret
 * under the character ("'X' at character 3; allowed: N (no DLT) or T (DLT)\n  1NXN\n    ^"). An
 * empty string is no cohorts. */
dv_status outcomes_parse(const char *text, int n_doses, outcomes *out, dv_error *err) DV_MUST_CHECK;

/* The same, also reading pending patients, P<days>, with a DLT window of `window` days (> 0), or,
 * with window 0, refusing them with a message that says a DLT window is needed. Days are a
 * decimal number from 0 up to but not including W (a patient followed the whole window without
 * DLT is N). P without days, or days >= W, is an error pointing at the P. */
dv_status outcomes_parse_pending(const char *text, int n_doses, double window, outcomes *out,
                                 dv_error *err) DV_MUST_CHECK;

/* The same for a design that reads responses (SPEC 13), in escalation's BOIN12 letters: E
 * (response, no DLT), T (DLT, no response), B (both) and N (neither); with `responses` false, E
 * and B are refused with a message that says which designs read them. */
dv_status outcomes_parse_responses(const char *text, int n_doses, double window, bool responses,
                                   outcomes *out, dv_error *err) DV_MUST_CHECK;

/* One cohort written as outcomes_parse_responses reads it: the dose, then the letters of n
 * patients of whom y have a DLT and r a response: B (both) for as few patients as the counts
 * allow, max(0, y + r - n), then T, E and N ("2TEN": dose 2, one DLT and one response in three).
 * A design that reads the counts decides the same after any order and split of them. Writes at
 * most len bytes, NUL-terminated (4 + n bytes suffice); 0 <= y, r <= n. */
void outcomes_cohort_text(int dose, int n, int y, int r, char *buf, size_t len);

/* The state after the first `upto` cohorts: counts per dose (responses too), the last cohort's
 * dose, DLTs and size (last_y kept only when `last_cohort`, as the engine keeps it). Pending
 * patients are not counted (their outcome is not known). */
void outcomes_state(const outcomes *o, int upto, bool last_cohort, design_state *s);

/* The pending-patient view of every patient (designs/pending.h) for a window of W days. */
void outcomes_view(const outcomes *o, double window, int cohort_size, int max_n, pending_view *v);

#endif
