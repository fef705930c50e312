/* pending.h — what a design that reads pending patients (SPEC 12: TITE-CRM, TITE-BOIN, rolling 6)
 * knows at a decision: every patient enrolled so far, in order, with their dose, whether a DLT
 * has been seen, whether their outcome is known, and how long they have been followed; the DLT
 * window; and the counts of complete outcomes per dose.
 *
 * The engine (or `next` and `paths`, from a live trial's outcomes) fills it; the design only
 * reads it (design_type.decide_pending). Time is in days. A patient's outcome is known ("complete")
 * once a DLT is seen or once they have been followed for the whole window W without one; a DLT
 * seen later than W is not a DLT of the trial (SPEC 11), so follow-up never exceeds W. */
#ifndef DOSEVAL_PENDING_H
#define DOSEVAL_PENDING_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "state.h"

typedef struct {
  uint8_t dose;    /* 1..K */
  bool dlt;        /* a DLT has been seen */
  bool complete;   /* the outcome is known: a DLT seen, or followed for the whole window */
  double followup; /* days followed so far, in [0, W]: the onset day after a DLT, W once complete
                      without one */
  double onset;    /* the day of the DLT after enrolment (in (0, W]) when dlt, else 0 */
} pending_patient;

typedef struct {
  double window;   /* W, the DLT assessment window in days (> 0) */
  int cohort_size; /* patients per cohort (the design's, or a live trial's) */
  int max_n;       /* the trial never enrols more than this */
  int cur;         /* the dose of the most recent patient, 0 before the first */
  int n_patients;  /* enrolled so far */
  int n_pending;   /* of them without a known outcome */
  pending_patient patient[DESIGN_MAX_N]; /* in order of enrolment */
  uint8_t enrolled[DESIGN_MAX_DOSES];    /* patients enrolled at dose d (index d-1) */
  uint8_t n[DESIGN_MAX_DOSES];           /* of them with a known outcome */
  uint8_t y[DESIGN_MAX_DOSES];           /* DLTs seen at dose d (every DLT seen is known) */
} pending_view;

/* An empty view: no patient yet. */
static inline void pending_view_init(pending_view *v, double window, int cohort_size, int max_n) {
  memset(v, 0, sizeof *v);
  v->window = window;
  v->cohort_size = cohort_size;
  v->max_n = max_n;
}

/* Enrols patient at `dose` followed for `followup` days (0 <= followup <= W); `dlt`: a DLT seen,
 * at day `followup`. A patient is complete with a DLT, or once followup reaches W. Returns false
 * (and changes nothing) past DESIGN_MAX_N patients. */
static inline bool pending_view_add(pending_view *v, int dose, bool dlt, double followup) {
  if (v->n_patients >= DESIGN_MAX_N)
    return false;
  pending_patient *p = &v->patient[v->n_patients++];
  p->dose = (uint8_t)dose;
  p->dlt = dlt;
  p->followup = followup > v->window ? v->window : followup;
  p->complete = dlt || p->followup >= v->window;
  p->onset = dlt ? p->followup : 0.0;
  v->cur = dose;
  v->enrolled[dose - 1]++;
  if (p->complete) {
    v->n[dose - 1]++;
    v->y[dose - 1] = (uint8_t)(v->y[dose - 1] + dlt);
  } else {
    v->n_pending++;
  }
  return true;
}

/* Patients at dose d still pending, and the sum of their follow-up as a fraction of W (TITE-BOIN's
 * STFT, Yuan et al. 2018). */
static inline int pending_at(const pending_view *v, int d, double *stft) {
  int m = 0;
  double s = 0.0;
  for (int i = 0; i < v->n_patients; i++)
    if (v->patient[i].dose == d && !v->patient[i].complete) {
      m++;
      s += v->patient[i].followup / v->window;
    }
  if (stft != NULL)
    *stft = s;
  return m;
}

/* The complete outcomes as the counts a design's decide and select read: counts per dose of the
 * patients whose outcome is known, the current dose, and the last cohort (the most recent
 * patients in groups of cohort_size from the first, so the last group may be partly filled): its
 * size and the DLTs seen in it. A view with no pending patient gives the state the same trial
 * has without time, where decide_pending must answer as decide does. */
static inline void pending_view_state(const pending_view *v, int n_doses, design_state *s) {
  memset(s, 0, sizeof *s);
  for (int d = 0; d < n_doses; d++) {
    s->n[d] = v->n[d];
    s->y[d] = v->y[d];
  }
  s->cur = (uint8_t)v->cur;
  if (v->n_patients > 0) {
    int c = v->cohort_size > 0 ? v->cohort_size : 1;
    int first = (v->n_patients - 1) / c * c;
    s->last_n = (uint8_t)(v->n_patients - first);
    for (int i = first; i < v->n_patients; i++)
      s->last_y = (uint8_t)(s->last_y + v->patient[i].dlt);
  }
}

#endif
