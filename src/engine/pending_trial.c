/* pending_trial.c — the event loop of a design that reads pending patients (SPEC sections 11 and
 * 12): arrivals in order, a decision from the pending-patient view at each one that starts a
 * cohort, and the wait for the last outcome. */
#include "pending_trial.h"

#include <math.h>
#include <string.h>

/* One enrolled patient as the loop keeps them. */
typedef struct {
  double arrival; /* enrolment time */
  double known;   /* when the outcome is known: arrival + onset with a DLT, arrival + W without */
  double onset;   /* the DLT's day after enrolment (dlt only) */
  int dose;
  bool dlt;
} enrolled;

/* The view at time t: each patient followed t - arrival days, complete once their outcome is
 * known (known <= t: an outcome known at the very moment of the arrival is known to it). */
static void view_at(pending_view *v, const enrolled *e, int n, double t) {
  v->cur = 0;
  v->n_patients = v->n_pending = 0;
  memset(v->enrolled, 0, sizeof v->enrolled);
  memset(v->n, 0, sizeof v->n);
  memset(v->y, 0, sizeof v->y);
  /* a pending patient is followed for less than W; t - arrival may round up to W when
   * arrival + W does not (both are t's neighbours), so it is kept below W */
  const double below_w = nextafter(v->window, 0.0);
  for (int i = 0; i < n; i++) {
    if (e[i].known <= t) {
      (void)pending_view_add(v, e[i].dose, e[i].dlt, e[i].dlt ? e[i].onset : v->window);
    } else {
      double f = t - e[i].arrival;
      (void)pending_view_add(v, e[i].dose, false, f < below_w ? f : below_w);
    }
  }
}

void pending_trial_run(const policy *p, clock_trial *ct, const uint64_t *dlts,
                       pending_result *out) {
  const double w = ct->law->time.window;
  const int c = p->setup.cohort_size, k = p->setup.n_doses;
  enrolled e[DESIGN_MAX_N];
  pending_view v;
  pending_view_init(&v, w, c, p->setup.max_n);
  clock_cursor cu;
  clock_cursor_init(&cu);
  int n = 0, free_places = 0, dose = 0;
  uint32_t j = 0; /* the next arrival */
  design_action a = {0};
  for (;; j++) {
    double t = clock_arrival(ct, &cu, j);
    if (free_places == 0) {
      /* no room for another cohort: the policy's max_n (applied last, on every patient treated)
       * would stop here whatever the design proposed, or the design would turn arrivals away
       * until it stops; either way the trial's end, its turned-away arrivals and its final stop
       * on the complete counts below are the same, so the design is not asked */
      if (n + c > p->setup.max_n)
        break;
      view_at(&v, e, n, t);
      a = policy_decide_pending(p, &v, NULL);
      if (a.stop)
        break;
      if (a.suspend)
        continue; /* turned away: counted below, with every arrival not enrolled */
      dose = a.dose;
      free_places = c;
    }
    /* enrol patient n at dose: their tolerance decides the DLT, their onset quantile its day
     * (the policy never lets n pass max_n <= DESIGN_MAX_N) */
    enrolled *x = &e[n];
    x->arrival = t;
    x->dose = dose;
    x->dlt = ((dlts[n + 1] - dlts[n]) >> (4 * (dose - 1)) & 1u) != 0;
    x->onset = x->dlt ? clock_onset(ct->law, dose, clock_v(ct, n)) : 0.0;
    x->known = t + (x->dlt ? x->onset : w);
    n++;
    free_places--;
  }
  /* every outcome known: the duration, and the arrivals before it that were not enrolled (the
   * ones suspended, and those after enrolment ended), as trial.c's clock_finish counts them */
  double end = 0.0;
  for (int i = 0; i < n; i++)
    if (e[i].known > end)
      end = e[i].known;
  while (clock_arrival(ct, &cu, j) < end)
    j++;
  view_at(&v, e, n, INFINITY);
  pending_view_state(&v, k, &out->final);
  design_action last = policy_decide_pending(p, &v, NULL);
  if (!last.stop) /* the complete counts would go on: the stop made with patients pending holds */
    last = design_stop(a.dose >= 1 ? p->type->select(p->params, &out->final, k) : 0, a.reason);
  out->action = last;
  out->duration = end;
  out->turned_away = (uint64_t)j - (uint64_t)n;
}
