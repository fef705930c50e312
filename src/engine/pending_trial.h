/* pending_trial.h — one trial of a design that reads pending patients (SPEC sections 11 and 12:
 * TITE-CRM, TITE-BOIN, rolling 6) on a study with time: the event loop over arrivals that asks
 * the wrapped policy at each arrival what to do from what is known at that moment.
 *
 * Designs that wait for complete cohorts keep their graph walk (trial.c) and only have their
 * cohorts put on the clock; such a design's decisions depend on the clock, so no graph can hold
 * them, and this loop calls the policy (policy_decide_pending) at every arrival that starts a
 * cohort. It reads the same tolerances (the trial's DLT words) and the same clock (arrival gaps,
 * onset quantiles) as every other design of the trial: common random numbers. */
#ifndef DOSEVAL_PENDING_TRIAL_H
#define DOSEVAL_PENDING_TRIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "design.h"
#include "policy.h"

/* What a trial of such a design leaves. */
typedef struct {
  design_state final;   /* the complete counts once every outcome is known; cur the last dose */
  design_action action; /* the stop: the MTD (0 = none) and the reason (an index in the policy's
                           reasons) */
  double duration;      /* days from the first arrival (time 0) to the last outcome known */
  uint64_t turned_away; /* arrivals before that moment that were not enrolled */
  uint8_t side[DESIGN_MAX_DOSES]; /* the side patients in `final` per dose (a design that places
                                     them, backfill_trial.c; 0 here) */
} pending_result;

/* One enrolled patient as the event loops (pending_trial.c, backfill_trial.c) keep them. */
typedef struct {
  double arrival; /* enrolment time */
  double onset;   /* the DLT's day after enrolment (dlt only; 0 without) */
  double known;   /* when the DLT outcome is known: arrival + onset with a DLT, else + W */
  int dose;
  bool dlt, response, side;
} pending_trial_patient;

/* Enrols patient i (0-based, in order of enrolment) at dose d (1-based) at time t as *x, a side
 * patient or not: their tolerance decides the DLT (bit 4 (d - 1) of dlts[i + 1] - dlts[i]), their
 * onset quantile v_i its day, their response tolerance the response (the same bit of resp; resp
 * NULL: no response is read). The one place both loops read a patient's outcomes, so every design
 * of a trial reads the same ones (common random numbers). */
static inline void pending_trial_enrol(pending_trial_patient *x, const clock_trial *ct,
                                       const uint64_t *dlts, const uint64_t *resp, int i, int d,
                                       double t, bool side) {
  const unsigned at = 4u * (unsigned)(d - 1);
  x->arrival = t;
  x->dose = d;
  x->side = side;
  x->dlt = ((dlts[i + 1] - dlts[i]) >> at & 1u) != 0;
  x->response = resp != NULL && ((resp[i + 1] - resp[i]) >> at & 1u) != 0;
  x->onset = x->dlt ? clock_onset(ct->law, d, clock_v(ct, i)) : 0.0;
  x->known = t + (x->dlt ? x->onset : ct->law->time.window);
}

/* Simulates one trial of policy p on trial clock ct (the trial's segment already set: the same
 * arrivals and onset quantiles every design of the trial reads). dlts are trial.c's running sums
 * of the patients' DLT words: patient i (0-based, in order of enrolment) has a DLT at dose d iff
 * bit 4 (d - 1) of dlts[i + 1] - dlts[i] is set; at least p->setup.max_n patients are drawn.
 *
 * At each arrival: while the current cohort has free places the arrival joins it at its dose;
 * otherwise the policy decides from the pending_view at that moment (a patient's outcome is known
 * at arrival + onset with a DLT, arrival + W without, and counts as known at an arrival at that
 * very moment): treat (the arrival starts a cohort at that dose), suspend (it is turned away) or
 * stop (enrolment ends). The trial then waits for every outcome, and the final decision is the
 * policy's on the complete counts: its stop if it stops (max_n always does), else the stop made
 * while patients were pending, with the design's selection on the complete counts (none when that
 * stop named no MTD). `fits` (NULL: none) keeps the design's fits across decisions and trials
 * (policy_decide_pending). Never allocates. */
void pending_trial_run(const policy *p, fit_cache *fits, clock_trial *ct, const uint64_t *dlts,
                       pending_result *out);

#endif
