/* titecrm.c — TITE-CRM's decision alone, for bench/titecrm.sh: the pending views a study's trials
 * meet at their arrivals, then decide_pending on each view, the design's (CRM's fixed rule with
 * the pending factors, designs/crm.c) beside titecrm_decide_adaptive (the adaptive rule, what the
 * design computed before) in the same process, and whether the two decide alike on every view.
 *
 * usage: bench_titecrm CONFIG [--views N] [--design NAME]
 * CONFIG has time (SPEC 11) and a design of type titecrm (the first, or the one named). The views
 * come from trials simulated here, not by the engine: each scenario in turn, patients arriving by
 * the study's accrual, each patient's DLT (tolerance below p_d) seen at the onset the study's law
 * gives, the design deciding at each arrival; every arrival after the first gives one view. That
 * is the mix of counts, pending patients and follow-up a run meets, so the time a view here is
 * what a run's decisions cost. The engine's streams are not used: these are sample views, not a
 * run's. Timing is CPU time of this process (other processes on the core do not count), the best
 * of 5 passes; "fill" is the cost of copying a stored view into the pending_view a decision reads
 * (the engine keeps its view up to date instead), reported apart and taken off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "clock.h"
#include "config.h"
#include "rng.h"
#include "scenarios.h"
#include "titecrm.h"

typedef struct {
  int n;     /* patients in the view */
  size_t at; /* where they start in the store */
} view_ref;

typedef struct {
  pending_patient *pat;
  size_t n_pat, cap_pat;
  view_ref *view;
  size_t n_view, cap_view;
} view_store;

static int store_add(view_store *s, const pending_view *v) {
  if (s->n_pat + (size_t)v->n_patients > s->cap_pat) {
    size_t cap = 2 * (s->cap_pat + (size_t)v->n_patients);
    pending_patient *p = realloc(s->pat, cap * sizeof *p);
    if (p == NULL)
      return -1;
    s->pat = p;
    s->cap_pat = cap;
  }
  if (s->n_view == s->cap_view) {
    size_t cap = 2 * s->cap_view + 64;
    view_ref *r = realloc(s->view, cap * sizeof *r);
    if (r == NULL)
      return -1;
    s->view = r;
    s->cap_view = cap;
  }
  memcpy(s->pat + s->n_pat, v->patient, (size_t)v->n_patients * sizeof *s->pat);
  s->view[s->n_view++] = (view_ref){.n = v->n_patients, .at = s->n_pat};
  s->n_pat += (size_t)v->n_patients;
  return 0;
}

/* View i of the store into v, as the engine's view would stand: v's header is kept, its counts
 * are reset and the patients added in order. */
static void store_fill(const view_store *s, size_t i, pending_view *v) {
  const pending_patient *p = s->pat + s->view[i].at;
  v->n_patients = v->n_pending = 0;
  v->cur = 0;
  memset(v->enrolled, 0, sizeof v->enrolled);
  memset(v->n, 0, sizeof v->n);
  memset(v->y, 0, sizeof v->y);
  for (int j = 0; j < s->view[i].n; j++)
    pending_view_add(v, p[j].dose, p[j].dlt, p[j].followup);
}

/* Trials of every scenario in turn until `want` views are stored. */
static int simulate(const config *cfg, const config_design *d, size_t want, view_store *s) {
  const study_time *time = &cfg->time;
  int max_n = d->setup.max_n;
  static pending_view v;
  double arrive[DESIGN_MAX_N], onset[DESIGN_MAX_N];
  int dose[DESIGN_MAX_N];
  bool dlt[DESIGN_MAX_N];
  for (uint64_t trial = 0; s->n_view < want; trial++) {
    int sc = (int)(trial % (uint64_t)cfg->n_scenarios);
    config_scenario scen;
    config_scenario_at(cfg, sc, &scen);
    clock_law law;
    clock_law_init(&law, time, scen.p_tox, cfg->n_doses);
    rng_pcg32 r;
    rng_seed(&r, cfg->seed + trial, 28);
    double now = 0.0;
    int n = 0;
    for (int arrival = 0; n < max_n && arrival < 4 * DESIGN_MAX_N; arrival++) {
      if (arrival > 0)
        now += clock_gap(&law, rng_next(&r));
      pending_view_init(&v, time->window, d->setup.cohort_size, max_n);
      for (int j = 0; j < n; j++) {
        double f = now - arrive[j];
        bool seen = dlt[j] && onset[j] <= f;
        pending_view_add(&v, dose[j], seen, seen ? onset[j] : f);
      }
      if (n > 0 && store_add(s, &v) != 0)
        return -1;
      design_action a = d->type->decide_pending(d->params, &v);
      if (a.stop)
        break;
      if (a.suspend)
        continue;
      dose[n] = a.dose;
      arrive[n] = now;
      dlt[n] = rng_uniform(&r) < scen.p_tox[a.dose - 1];
      onset[n] = dlt[n] ? clock_onset(&law, a.dose, rng_uniform(&r)) : 0.0;
      n++;
    }
  }
  return 0;
}

typedef design_action (*decide_fn)(const void *params, const pending_view *v);

/* CPU seconds for one pass over views [0, count) (decide NULL: the fill alone); *sum gathers the
 * doses so that nothing is left out. */
static double pass(const view_store *s, size_t count, decide_fn decide, const void *params,
                   pending_view *v, long *sum) {
  double c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (size_t i = 0; i < count; i++) {
    store_fill(s, i, v);
    if (decide != NULL)
      *sum += decide(params, v).dose;
    else
      *sum += v->n_pending;
    __asm__ __volatile__("" : : "r"(v) : "memory");
  }
  return bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
}

static double best_of(int reps, const view_store *s, size_t count, decide_fn decide,
                      const void *params, pending_view *v, long *sum) {
  double best = 1e300;
  for (int i = 0; i < reps; i++) {
    double t = pass(s, count, decide, params, v, sum);
    best = t < best ? t : best;
  }
  return best;
}

int main(int argc, char **argv) {
  uint64_t want = 20000;
  config *cfg = bench_config(argc, argv, "--views", &want);
  if (cfg == NULL)
    return 2;
  const config_design *d = NULL;
  for (int i = 0; i < cfg->n_designs && d == NULL; i++)
    if (strcmp(cfg->designs[i].type->name, "titecrm") == 0)
      d = &cfg->designs[i];
  if (d == NULL || !cfg->time.on || want == 0) {
    fprintf(stderr, "%s: needs a study with dlt_window and a design of type titecrm\n", argv[1]);
    config_free(cfg);
    return 2;
  }
  view_store s = {0};
  static pending_view v;
  int status = 1;
  if (simulate(cfg, d, want, &s) != 0) {
    fprintf(stderr, "out of memory\n");
    goto done;
  }
  size_t pending = 0, with = 0, differ = 0;
  pending_view_init(&v, cfg->time.window, d->setup.cohort_size, d->setup.max_n);
  for (size_t i = 0; i < s.n_view; i++) {
    store_fill(&s, i, &v);
    pending += (size_t)v.n_pending;
    with += v.n_pending > 0;
    design_action a = d->type->decide_pending(d->params, &v),
                  b = titecrm_decide_adaptive(d->params, &v);
    differ += a.dose != b.dose || a.rec != b.rec || a.stop != b.stop || a.suspend != b.suspend;
  }
  long sum = 0;
  double fill = best_of(5, &s, s.n_view, NULL, NULL, &v, &sum);
  double fast = best_of(5, &s, s.n_view, d->type->decide_pending, d->params, &v, &sum);
  double slow = best_of(1, &s, s.n_view, titecrm_decide_adaptive, d->params, &v, &sum);
  double per = 1e9 / (double)s.n_view;
  double f_ns = (fast - fill) * per, s_ns = (slow - fill) * per;
  printf("titecrm decide_pending, %s, design %s: %zu views (%.2f pending a view, %.0f%% with "
         "any), %zu decisions differ from the adaptive rule's\n",
         argv[1], d->name, s.n_view, (double)pending / (double)s.n_view,
         100.0 * (double)with / (double)s.n_view, differ);
  printf("  fixed rule %.0f ns a decision (%.0f decisions/s per core), adaptive rule %.0f ns: "
         "%.0fx; fill %.0f ns a view, not counted (checksum %ld)\n",
         f_ns, 1e9 / f_ns, s_ns, s_ns / f_ns, fill * per, sum);
  status = differ == 0 ? 0 : 1;
done:
  free(s.pat);
  free(s.view);
  config_free(cfg);
  return status;
}
