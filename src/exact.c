/* exact.c — the forward sweep of each design's decision graph with binomial cohort outcomes,
 * then each pair of designs' joint chain on the same patients (src/joint.c). */
#include "exact.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "graph.h"
#include "joint.h"
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

/* Every pair's joint chain on the same patients (src/joint.c), into the paired terms. */
static dv_status sweep_pairs(const config *cfg, const oc_layout *l, joint_design **jd,
                             size_t max_nodes, int s, double *w, dv_error *err) {
  size_t bound = max_nodes < JOINT_MAX_STATES ? max_nodes : JOINT_MAX_STATES;
  const config_scenario *sc = &cfg->scenarios[s];
  for (int a = 0; a < cfg->n_designs; a++)
    for (int b = a + 1; b < cfg->n_designs; b++) {
      joint_result r;
      dv_status st = joint_sweep(jd[a], jd[b], sc->p_tox, sc->true_mtd, bound, &r, err);
      if (st != DV_OK)
        return st;
      oc_weigh_pair(l, w, s, a, b, r.a_right_b_not, r.b_right_a_not, r.disagree);
    }
  return DV_OK;
}

dv_status exact_run(const config *cfg, const oc_layout *l, size_t max_nodes, double *w,
                    size_t *states, dv_error *err) {
  memset(w, 0, l->total * sizeof *w);
  /* each design's graph, merged for the pairs */
  joint_design **jd = calloc(cfg->n_designs > 0 ? (size_t)cfg->n_designs : 1, sizeof *jd);
  dv_status st = jd != NULL ? DV_OK : error_set(err, DV_ENOMEM, "exact: out of memory");
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
    if (st == DV_OK)
      st = joint_design_alloc(&jd[j], g, d->name, err);
    free(prob);
    graph_free(g);
  }
  for (int s = 0; s < cfg->n_scenarios && st == DV_OK; s++) {
    double sel[DESIGN_MAX_DOSES + 1];
    st = benchmark_exact(cfg->scenarios[s].p_tox, cfg->n_doses, l->bench_n, cfg->target, sel, err);
    if (st == DV_OK)
      oc_weigh_shared(l, w, s, sel);
    if (st == DV_OK)
      st = sweep_pairs(cfg, l, jd, max_nodes, s, w, err);
  }
  for (int j = 0; jd != NULL && j < cfg->n_designs; j++)
    joint_design_free(jd[j]);
  free(jd);
  return st;
}
