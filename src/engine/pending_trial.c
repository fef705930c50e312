/* pending_trial.c — the event loop of a design that reads pending patients (SPEC sections 11 and
 * 12): arrivals in order, a decision from the pending-patient view at each one that starts a
 * cohort, and the wait for the last outcome. */
#include "pending_trial.h"

#include <math.h>
#include <string.h>

/* The view kept from one arrival to the next. Arrivals come in order, so a patient whose outcome
 * was known at an earlier one is still complete, with the same entry: patients 0 .. done - 1 (each
 * known then, as was every one before it) keep their entries, and the counts they make are kept
 * here; only the patients after them are entered again. */
typedef struct {
  int done, cur;
  uint8_t enrolled[DESIGN_MAX_DOSES], n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  double below_w; /* the largest follow-up below W */
} view_kept;

static void view_kept_init(view_kept *b, double window) {
  memset(b, 0, sizeof *b);
  /* a pending patient is followed for less than W; t - arrival may round up to W when
   * arrival + W does not (both are t's neighbours), so it is kept below W */
  b->below_w = nextafter(window, 0.0);
}

/* The view at time t (no earlier than at the last call with b): each patient followed
 * t - arrival days, complete once their outcome is known (known <= t: an outcome known at the
 * very moment of the arrival is known to it). */
static void view_at(pending_view *v, view_kept *b, const pending_trial_patient *e, int n,
                    double t) {
  v->n_patients = b->done;
  v->n_pending = 0;
  v->cur = b->cur;
  memcpy(v->enrolled, b->enrolled, sizeof b->enrolled);
  memcpy(v->n, b->n, sizeof b->n);
  memcpy(v->y, b->y, sizeof b->y);
  int i = b->done;
  for (; i < n && e[i].known <= t; i++)
    (void)pending_view_add(v, e[i].dose, e[i].dlt, e[i].dlt ? e[i].onset : v->window);
  if (i > b->done) {
    b->done = i;
    b->cur = v->cur;
    memcpy(b->enrolled, v->enrolled, sizeof b->enrolled);
    memcpy(b->n, v->n, sizeof b->n);
    memcpy(b->y, v->y, sizeof b->y);
  }
  for (; i < n; i++) {
    if (e[i].known <= t) {
      (void)pending_view_add(v, e[i].dose, e[i].dlt, e[i].dlt ? e[i].onset : v->window);
    } else {
      double f = t - e[i].arrival;
      (void)pending_view_add(v, e[i].dose, false, f < b->below_w ? f : b->below_w);
    }
  }
}

void pending_trial_run(const policy *p, fit_cache *fits, clock_trial *ct, const uint64_t *dlts,
                       pending_result *out) {
  const double w = ct->law->time.window;
  const int c = p->setup.cohort_size, k = p->setup.n_doses;
  pending_trial_patient e[DESIGN_MAX_N];
  pending_view v;
  pending_view_init(&v, w, c, p->setup.max_n);
  view_kept kept;
  view_kept_init(&kept, w);
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
      view_at(&v, &kept, e, n, t);
      a = policy_decide_pending(p, &v, NULL, fits);
      if (a.stop)
        break;
      if (a.suspend)
        continue; /* turned away: counted below, with every arrival not enrolled */
      dose = a.dose;
      free_places = c;
    }
    /* enrol patient n at dose (the policy never lets n pass max_n <= DESIGN_MAX_N) */
    pending_trial_enrol(&e[n], ct, dlts, NULL, n, dose, t, false);
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
  view_at(&v, &kept, e, n, INFINITY);
  pending_view_state(&v, k, &out->final);
  design_action last = policy_decide_pending(p, &v, NULL, fits);
  if (!last.stop) /* the complete counts would go on: the stop made with patients pending holds,
                     its MTD selected on them among the doses the rules leave admissible */
    last = a.dose >= 1 ? policy_stop(p, &out->final, a.reason) : design_stop(0, a.reason);
  out->action = last;
  memset(out->side, 0, sizeof out->side);
  out->duration = end;
  out->turned_away = (uint64_t)j - (uint64_t)n;
}
