/* exact.c — the forward sweep of each design's decision graph with binomial cohort outcomes,
 * then each pair of designs' joint chain on the same patients (src/engine/joint.c). */
#include "exact.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "graph.h"
#include "huge_pages.h"
#include "joint.h"
#include "responses.h"

/* How many nodes ahead a sweep fetches the probabilities it will add to (a hint only). */
#define SWEEP_AHEAD 16
#if defined(__GNUC__)
#define SWEEP_PREFETCH(p) __builtin_prefetch((p), 1)
#else
#define SWEEP_PREFETCH(p) ((void)(p))
#endif

/* One design under curve p, on its whole graph (graph_build: every child is known, so nothing
 * can fail): probability flows from the root down; each stop adds its state with its
 * probability to the scenario's block w (slot 0 of the layout). */
static void sweep(graph *g, const config_scenario *sc, const oc_layout *l, int j, double rho,
                  double *prob, double *w) {
  const design_setup *su = graph_setup(g);
  const double *p = sc->p_tox;
  int true_mtd = sc->true_mtd, c = su->cohort_size;
  size_t n = graph_size(g);
  memset(prob, 0, n * sizeof *prob);
  prob[0] = 1.0;
  /* a cohort's outcome law at each dose, once per sweep (the same doubles as computing it at
   * every state, where pow took a third of the time) */
  responses_law law;
  responses_law_init(&law, l->k, c, graph_outcomes(g) != c + 1, p, sc->p_eff, rho);
  int outcomes = law.outcomes;
  design_state st;
  for (size_t id = 0; id < n; id++) {
    /* the children's probabilities are scattered over the next level: fetch them ahead */
    if (id + SWEEP_AHEAD < n && !graph_action(g, (int32_t)(id + SWEEP_AHEAD)).stop) {
      const int32_t *next = graph_children(g, (int32_t)(id + SWEEP_AHEAD));
      for (int y = 0; y < outcomes; y++)
        SWEEP_PREFETCH(&prob[next[y]]);
    }
    design_action a = graph_action(g, (int32_t)id);
    if (prob[id] == 0.0)
      continue;
    if (a.stop) {
      graph_state(g, (int32_t)id, &st);
      oc_weigh(l, w, 0, j, true_mtd, &st, a.dose, a.reason, prob[id]);
      continue;
    }
    const int32_t *child = graph_children(g, (int32_t)id);
    for (int y = 0; y < outcomes; y++) {
      assert((size_t)child[y] > id);
      prob[child[y]] += prob[id] * law.pmf[a.dose - 1][y];
    }
  }
}

struct exact_engine {
  const config *cfg;
  const oc_layout *layout;
  graph **graphs;      /* one per design, built whole once: every scenario sweeps the same graph */
  joint_design **pair; /* each design's graph, merged, for the pairs' joint chains */
  size_t pair_bound;   /* joint states alive after one step, at most */
  bool no_benchmark;   /* exact_without_benchmark: its selection left as "none" */
  double *prob;        /* scratch, as long as the largest graph */
};

void exact_free(exact_engine *e) {
  if (e == NULL)
    return;
  for (int j = 0; j < e->cfg->n_designs; j++) {
    if (e->graphs)
      graph_free(e->graphs[j]);
    if (e->pair)
      joint_design_free(e->pair[j]);
  }
  free(e->graphs);
  free(e->pair);
  huge_free(e->prob);
  free(e);
}

dv_status exact_alloc(exact_engine **out, const config *cfg, const oc_layout *l, size_t max_nodes,
                      dv_error *err) {
  *out = NULL;
  /* SPEC 11: with time, such a design's decisions depend on when outcomes are known, which the
   * exact engine (no clock) cannot weigh: its counts from the graph would be another design's */
  for (int j = 0; cfg->time.on && j < cfg->n_designs; j++)
    if (cfg->designs[j].type->reads_pending)
      return error_set(err, DV_ECONFIG,
                       "design '%s' (%s) reads pending patients: with the study's dlt_window its "
                       "decisions depend on arrival and onset times, which the exact engine does "
                       "not have; use `doseval run` (or drop the design with --design)",
                       cfg->designs[j].name, cfg->designs[j].type->name);
  /* SPEC 13: a design that places arrivals while its cohort waits (side patients) changes its
   * counts by when outcomes and arrivals come, which the exact engine does not have either */
  for (int j = 0; j < cfg->n_designs; j++)
    if (design_side_most(cfg->designs[j].type, cfg->designs[j].params) > 0)
      return error_set(err, DV_ECONFIG,
                       "%s: design '%s' (%s) places arrivals at other doses while its cohort's "
                       "outcomes are pending: its counts, selection and duration depend on "
                       "arrival, onset and response times, which the exact engine does not "
                       "have; allowed: `doseval run` for it, or exact without it (--design)",
                       cfg->path, cfg->designs[j].name, cfg->designs[j].type->name);
  exact_engine *e = calloc(1, sizeof *e);
  if (e == NULL)
    return error_set(err, DV_ENOMEM, "exact: out of memory");
  e->cfg = cfg;
  e->no_benchmark = false;
  e->layout = l;
  e->pair_bound = max_nodes < JOINT_MAX_STATES ? max_nodes : JOINT_MAX_STATES;
  if ((e->graphs = calloc((size_t)cfg->n_designs + 1, sizeof *e->graphs)) == NULL ||
      (e->pair = calloc((size_t)cfg->n_designs + 1, sizeof *e->pair)) == NULL) {
    exact_free(e);
    return error_set(err, DV_ENOMEM, "exact: out of memory");
  }
  dv_status st = DV_OK;
  size_t most = 0;
  for (int j = 0; j < cfg->n_designs && st == DV_OK; j++) {
    st = graph_alloc(&e->graphs[j], &cfg->designs[j].policy, max_nodes, err);
    if (st == DV_OK)
      st = graph_build(e->graphs[j], err);
    if (st == DV_OK && graph_size(e->graphs[j]) > most)
      most = graph_size(e->graphs[j]);
    if (st == DV_OK && cfg->n_designs > 1)
      st = joint_design_alloc(&e->pair[j], e->graphs[j], cfg->designs[j].name, err);
  }
  if (st == DV_OK && (e->prob = huge_alloc(most * sizeof *e->prob)) == NULL)
    st = error_set(err, DV_ENOMEM, "exact: out of memory");
  if (st != DV_OK) {
    exact_free(e);
    return st;
  }
  *out = e;
  return DV_OK;
}

size_t exact_states(const exact_engine *e, int j) { return graph_size(e->graphs[j]); }

void exact_without_benchmark(exact_engine *e) { e->no_benchmark = true; }

dv_status exact_scenario(exact_engine *e, const config_scenario *sc, double *w, dv_error *err) {
  const oc_layout *l = e->layout;
  memset(w, 0, l->scenario_size * sizeof *w);
  for (int j = 0; j < e->cfg->n_designs; j++)
    sweep(e->graphs[j], sc, l, j, e->cfg->eff_tox_correlation, e->prob, w);
  double sel[DESIGN_MAX_DOSES + 1] = {1.0}; /* without the benchmark: "none", probability 1 */
  dv_status st = e->no_benchmark ? DV_OK
                                 : benchmark_exact(sc->p_tox, e->cfg->n_doses, l->bench_n,
                                                   e->cfg->target, sel, err);
  if (st == DV_OK)
    oc_weigh_shared(l, w, 0, sel);
  /* every pair's joint chain on the same patients (src/engine/joint.c), into the paired terms */
  for (int a = 0; a < e->cfg->n_designs && st == DV_OK; a++)
    for (int b = a + 1; b < e->cfg->n_designs && st == DV_OK; b++) {
      /* each design right at its own true dose (oc_design_truth), as `run` counts pcs */
      joint_curve c = {.p_tox = sc->p_tox,
                       .p_eff = sc->has_eff ? sc->p_eff : NULL,
                       .rho = e->cfg->eff_tox_correlation,
                       .true_a = oc_design_truth(&e->cfg->designs[a], sc, e->cfg->n_doses),
                       .true_b = oc_design_truth(&e->cfg->designs[b], sc, e->cfg->n_doses)};
      joint_result r;
      st = joint_sweep_curve(e->pair[a], e->pair[b], &c, e->pair_bound, &r, err);
      if (st == DV_OK)
        oc_weigh_pair(l, w, 0, a, b, r.a_right_b_not, r.b_right_a_not, r.disagree);
    }
  return st;
}

dv_status exact_run(const config *cfg, const oc_layout *l, size_t max_nodes, double *w,
                    size_t *states, dv_error *err) {
  memset(w, 0, l->total * sizeof *w);
  exact_engine *e = NULL;
  dv_status st = exact_alloc(&e, cfg, l, max_nodes, err);
  for (int j = 0; j < cfg->n_designs && st == DV_OK && states != NULL; j++)
    states[j] = exact_states(e, j);
  for (int s = 0; s < cfg->n_scenarios && st == DV_OK; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    st = exact_scenario(e, &sc, w + (size_t)s * l->scenario_size, err);
  }
  exact_free(e);
  return st;
}
