/* exact.c — the forward sweep of each design's decision graph with binomial cohort outcomes. */
#include "exact.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "graph.h"
#include "prob.h"

/* Builds every reachable node. Nodes are numbered in creation order, which is breadth-first and
 * so sorted by the number of patients treated: every parent precedes its children. */
static dv_status build_all(graph *g, dv_error *err) {
  int c = graph_setup(g)->cohort_size;
  int32_t root;
  dv_status st = graph_root(g, &root, err);
  if (st != DV_OK)
    return st;
  for (size_t id = 0; id < graph_size(g); id++) {
    if (graph_action(g, (int32_t)id).stop)
      continue;
    for (int y = 0; y <= c; y++) {
      int32_t child;
      st = graph_child(g, (int32_t)id, y, &child, err);
      if (st != DV_OK)
        return st;
    }
  }
  return DV_OK;
}

static dv_status sweep(graph *g, const config *cfg, const oc_layout *l, int j, int s, double *prob,
                       double *w, dv_error *err) {
  const design_setup *su = graph_setup(g);
  const double *p = cfg->scenarios[s].p_tox;
  int true_mtd = cfg->scenarios[s].true_mtd, c = su->cohort_size;
  size_t n = graph_size(g);
  memset(prob, 0, n * sizeof *prob);
  prob[0] = 1.0;
  design_state st;
  for (size_t id = 0; id < n; id++) {
    design_action a = graph_action(g, (int32_t)id);
    if (prob[id] == 0.0)
      continue;
    if (a.stop) {
      graph_state(g, (int32_t)id, &st);
      oc_weigh(l, w, s, j, true_mtd, &st, a.dose, a.reason, prob[id]);
      continue;
    }
    for (int y = 0; y <= c; y++) {
      int32_t child = 0;
      dv_status r = graph_child(g, (int32_t)id, y, &child, err);
      if (r != DV_OK)
        return r;
      assert((size_t)child > id);
      prob[child] += prob[id] * prob_binom_pmf(c, y, p[a.dose - 1]);
    }
  }
  return DV_OK;
}

dv_status exact_run(const config *cfg, const oc_layout *l, size_t max_nodes, double *w,
                    size_t *states, dv_error *err) {
  memset(w, 0, l->total * sizeof *w);
  dv_status st = DV_OK;
  for (int j = 0; j < cfg->n_designs && st == DV_OK; j++) {
    const config_design *d = &cfg->designs[j];
    graph *g = NULL;
    double *prob = NULL;
    st = graph_alloc(&g, &d->policy, max_nodes, err);
    if (st == DV_OK)
      st = build_all(g, err);
    if (st == DV_OK && (prob = malloc(graph_size(g) * sizeof *prob)) == NULL)
      st = error_set(err, DV_ENOMEM, "exact: out of memory");
    if (st == DV_OK && states != NULL)
      states[j] = graph_size(g);
    for (int s = 0; s < cfg->n_scenarios && st == DV_OK; s++)
      st = sweep(g, cfg, l, j, s, prob, w, err);
    free(prob);
    graph_free(g);
  }
  for (int s = 0; s < cfg->n_scenarios && st == DV_OK; s++) {
    double sel[DESIGN_MAX_DOSES + 1];
    st = benchmark_exact(cfg->scenarios[s].p_tox, cfg->n_doses, l->bench_n, cfg->target, sel, err);
    if (st == DV_OK)
      oc_weigh_shared(l, w, s, sel);
  }
  return st;
}
