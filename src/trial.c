/* trial.c — Monte Carlo trials on common random numbers (SPEC section 7). Patient i of trial t
 * in scenario s has tolerance u_i, the i-th uniform of the trial's stream segment, and has a
 * DLT at dose d iff u_i < p_d; every design and the benchmark see the same u. */
#include "trial.h"

#include <stdlib.h>

#include "benchmark.h"
#include "graph.h"
#include "rng.h"

struct trial_sim {
  const config *cfg;
  const oc_layout *layout;
  int patients;   /* tolerances drawn per trial */
  graph **graphs; /* one per design, shared by all scenarios: decisions never see p */
  double *u;
};

dv_status trial_sim_alloc(trial_sim **out, const config *cfg, const oc_layout *l,
                          size_t graph_nodes, dv_error *err) {
  *out = NULL;
  trial_sim *ts = calloc(1, sizeof *ts);
  if (ts == NULL)
    return error_set(err, DV_ENOMEM, "trial: out of memory");
  ts->cfg = cfg;
  ts->layout = l;
  ts->patients = config_patients_per_trial(cfg);
  size_t designs = cfg->n_designs > 0 ? (size_t)cfg->n_designs : 0;
  size_t patients = ts->patients > 0 && ts->patients <= DESIGN_MAX_N ? (size_t)ts->patients : 0;
  ts->graphs = calloc(designs, sizeof *ts->graphs);
  ts->u = calloc(patients, sizeof *ts->u);
  if (designs == 0 || patients == 0) {
    trial_sim_free(ts);
    return error_set(err, DV_ERUN, "trial: a config with no designs or no patients");
  }
  if (ts->graphs == NULL || ts->u == NULL) {
    trial_sim_free(ts);
    return error_set(err, DV_ENOMEM, "trial: out of memory");
  }
  for (int j = 0; j < cfg->n_designs; j++) {
    const config_design *d = &cfg->designs[j];
    dv_status st = graph_alloc(&ts->graphs[j], &d->policy, graph_nodes, err);
    if (st != DV_OK) {
      ts->cfg = cfg;
      trial_sim_free(ts);
      return st;
    }
  }
  *out = ts;
  return DV_OK;
}

void trial_sim_free(trial_sim *ts) {
  if (ts == NULL)
    return;
  if (ts->graphs)
    for (int j = 0; j < ts->cfg->n_designs; j++)
      graph_free(ts->graphs[j]);
  free(ts->graphs);
  free(ts->u);
  free(ts);
}

/* One design's trial on the tolerances u: walk its graph cohort by cohort. */
static int walk(graph *g, int c, const double *u, const double *p, graph_cursor *cur) {
  graph_start(g, cur);
  int next = 0; /* index of the next patient */
  while (!cur->action.stop) {
    double pd = p[cur->action.dose - 1];
    int y = 0;
    for (int i = 0; i < c; i++)
      y += u[next + i] < pd;
    next += c;
    graph_step(g, cur, y);
  }
  return cur->action.dose;
}

/* Kept out of line: inlined into the run loop (LTO) it cost 4% more instructions per trial. */
__attribute__((noinline)) void trial_sim_run(trial_sim *ts, int s, uint64_t t0, uint64_t t1,
                                             uint64_t *counts) {
  const config *cfg = ts->cfg;
  const oc_layout *l = ts->layout;
  config_scenario sc;
  config_scenario_at(cfg, s, &sc);
  const double *p = sc.p_tox;
  int k = cfg->n_doses, true_mtd = sc.true_mtd;
  oc_outcome out[64];
  graph_cursor cur;
  /* trial t reads outputs [t 2^L, t 2^L + patients) of the scenario's stream (fixed by its
   * position in the config file, so --scenario does not change its numbers): seek once, then
   * skip the unread rest of each segment */
  rng_pcg32 r;
  rng_for_trial(&r, cfg->seed, sc.stream, t0, TRIAL_SEGMENT_LOG2);
  uint64_t skip = ((uint64_t)1 << TRIAL_SEGMENT_LOG2) - (uint64_t)ts->patients;
  for (uint64_t t = t0; t < t1; t++) {
    for (int i = 0; i < ts->patients; i++)
      ts->u[i] = rng_uniform(&r);
    rng_advance(&r, skip);
    for (int j = 0; j < cfg->n_designs; j++) {
      int mtd = walk(ts->graphs[j], cfg->designs[j].setup.cohort_size, ts->u, p, &cur);
      oc_outcome_of(&cur.state, k, true_mtd, mtd, cur.action.reason, &out[j]);
      oc_count(l, counts, 0, j, true_mtd, &cur.state, &out[j]);
    }
    int x[DESIGN_MAX_DOSES] = {0};
    for (int d = 0; d < k; d++)
      for (int i = 0; i < l->bench_n; i++)
        x[d] += ts->u[i] < p[d];
    oc_count_shared(l, counts, 0, benchmark_pick(x, k, l->bench_n, cfg->target), true_mtd, out);
  }
  oc_count_trials(l, counts, 0, t1 - t0);
}
