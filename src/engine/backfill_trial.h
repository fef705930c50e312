/* backfill_trial.h — one trial of a design that places arrivals while its cohort is pending
 * (design_type.side_dose; SPEC sections 11 and 13: BF-BOIN's backfill) on a study with time:
 * the event loop over arrivals that fills the cohorts, asks the design where an arrival goes
 * while a cohort waits for its outcomes, and asks the wrapped policy what to do once they are
 * known.
 *
 * Such a design still decides from counts, but its counts gain the side patients' outcomes as
 * they become known, which depends on the clock: no graph can hold its trials, so this loop
 * calls the policy at the end of every cohort. It reads the same tolerances, response
 * tolerances and clock (arrival gaps, onset quantiles) as every other design of the trial:
 * patient i in order of enrolment, cohort or side, is the trial's patient i (common random
 * numbers). */
#ifndef DOSEVAL_BACKFILL_TRIAL_H
#define DOSEVAL_BACKFILL_TRIAL_H

#include <stdint.h>

#include "clock.h"
#include "design.h"
#include "pending_trial.h"
#include "policy.h"

/* Simulates one trial of policy p (a design with side_most > 0) on trial clock ct (the trial's
 * segment already set). dlts and resp are trial.c's running sums of the patients' DLT and
 * response words (patient i has a DLT at dose d iff bit 4 (d - 1) of dlts[i + 1] - dlts[i] is
 * set; a response likewise in resp); at least max_n + side_most patients are drawn.
 *
 * A patient's DLT outcome is known at arrival + onset with a DLT, arrival + W without; a
 * response at arrival + W; an outcome known at the very moment of an arrival is known to it.
 * At each arrival, in order:
 *   1. the cohort has free places: the arrival joins it at its dose;
 *   2. the cohort's last DLT outcome was known at time e <= the arrival: the policy decides
 *      (policy_decide_counted, max_n counting the cohorts' patients only) from the counts of
 *      every outcome known at e, side patients' included, the current dose the cohort's; a stop
 *      ends the trial at e, otherwise the arrival starts the next cohort at the dose named;
 *   3. otherwise the design's side_dose, from what is known at the arrival, gives it a dose, or
 *      0: it is turned away.
 * The trial ends at the moment e of its last cohort's decision (a stop; max_n always stops):
 * `final` holds the outcomes known then and out->side the side patients among them, per dose
 * (a side patient still in follow-up then is not in the trial's analysis), the action is the
 * policy's stop on those counts, the duration is e and the arrivals before e that were not
 * enrolled are turned away. Never allocates. */
void backfill_trial_run(const policy *p, clock_trial *ct, const uint64_t *dlts,
                        const uint64_t *resp, pending_result *out);

#endif
