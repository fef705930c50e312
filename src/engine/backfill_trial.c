/* backfill_trial.c — the event loop of a design that places arrivals while its cohort is pending
 * (SPEC sections 11 and 13; backfill_trial.h): cohorts filled in order of arrival, a side dose
 * or a turn-away for the arrivals while a cohort waits, the policy's decision once the cohort's
 * outcomes are known. */
#include "backfill_trial.h"

#include <string.h>

/* What is known at time t of the n patients enrolled: the counts of the DLT outcomes known
 * (known <= t), the responses known (arrival + W <= t), the current dose `cur`; the patients
 * given each dose (known or not) in `given`, and, when `side` is not NULL, the side patients
 * among the known counts, per dose. */
static void known_at(const pending_trial_patient *e, int n, double t, double w, int cur,
                     design_state *s, uint8_t *given, uint8_t *side) {
  memset(s, 0, sizeof *s);
  memset(given, 0, DESIGN_MAX_DOSES);
  if (side != NULL)
    memset(side, 0, DESIGN_MAX_DOSES);
  s->cur = (uint8_t)cur;
  for (int i = 0; i < n; i++) {
    int d = e[i].dose - 1;
    given[d]++;
    if (e[i].known <= t) {
      s->n[d]++;
      s->y[d] = (uint8_t)(s->y[d] + e[i].dlt);
      if (side != NULL)
        side[d] = (uint8_t)(side[d] + e[i].side);
    }
    if (e[i].response && e[i].arrival + w <= t)
      s->e[d]++;
  }
}

void backfill_trial_run(const policy *p, clock_trial *ct, const uint64_t *dlts,
                        const uint64_t *resp, pending_result *out) {
  const double w = ct->law->time.window;
  const int c = p->setup.cohort_size;
  const int most = p->setup.max_n + design_side_most(p->type, p->params);
  pending_trial_patient e[DESIGN_MAX_N];
  design_state s;
  uint8_t given[DESIGN_MAX_DOSES];
  clock_cursor cu;
  clock_cursor_init(&cu);
  memset(&s, 0, sizeof s);
  design_action a = policy_decide_counted(p, &s, 0); /* the first cohort's dose */
  int n = 0, in_cohorts = 0, first = 0, dose = a.dose, free_places = a.stop ? 0 : c;
  double cohort_end = 0.0; /* when the full cohort's last DLT outcome is known */
  uint32_t j = 0;          /* the next arrival */
  for (; !a.stop; j++) {
    double t = clock_arrival(ct, &cu, j);
    if (free_places == 0) {
      if (cohort_end <= t) {
        /* the cohort's outcomes are all known: the decision, at that moment, from every outcome
         * known then (an arrival at that very moment starts the next cohort) */
        known_at(e, n, cohort_end, w, dose, &s, given, NULL);
        if (p->last_cohort) {
          s.last_n = (uint8_t)c;
          for (int i = first; i < first + c; i++)
            s.last_y = (uint8_t)(s.last_y + e[i].dlt);
        }
        a = policy_decide_counted(p, &s, in_cohorts);
        if (a.stop)
          break;
        dose = a.dose;
        free_places = c;
        first = n;
      } else {
        /* the cohort waits: the design places the arrival at a side dose, or it is turned away
         * (side_most bounds the side patients, so n stays below `most`; checked all the same) */
        known_at(e, n, t, w, dose, &s, given, NULL);
        int b = n < most ? p->type->side_dose(p->params, &s, given) : 0;
        if (b < 1)
          continue;
        pending_trial_enrol(&e[n], ct, dlts, resp, n, b, t, true);
        n++;
        continue;
      }
    }
    /* patient n joins the cohort at its dose */
    pending_trial_enrol(&e[n], ct, dlts, resp, n, dose, t, false);
    n++;
    in_cohorts++;
    if (--free_places == 0) {
      cohort_end = 0.0;
      for (int i = first; i < n; i++)
        if (!e[i].side && e[i].known > cohort_end)
          cohort_end = e[i].known;
    }
  }
  /* the end: the last decision's moment (0 for a trial that treats no one), its counts and
   * stop; the arrivals before it (0 .. j - 1: the one that found the cohort's outcomes known
   * came at or after it) that were not enrolled were turned away */
  known_at(e, n, cohort_end, w, dose, &out->final, given, out->side);
  out->action = a;
  out->duration = cohort_end;
  out->turned_away = (uint64_t)j - (uint64_t)n;
}
