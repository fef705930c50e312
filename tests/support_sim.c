/* support_sim.c — in-process runs of the engine for tests (see support_sim.h). */
#include "support_sim.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exact.h"
#include "trial.h"
#include "write.h"

config *support_config(const char *yaml) {
  char path[] = "/tmp/doseval-test-XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0, "mkstemp failed");
  FILE *fp = fdopen(fd, "w");
  fputs(yaml, fp);
  fclose(fp);
  config *cfg = NULL;
  dv_error err = {0};
  dv_status st = config_load(path, &cfg, &err);
  unlink(path);
  cr_assert_eq(st, DV_OK, "config_load: %s", err.msg);
  return cfg;
}

void support_simulate(const config *cfg, uint64_t trials, oc_rows *rows) {
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK, "%s", err.msg);
  uint64_t *counts = calloc(l.total, sizeof *counts);
  trial_sim *ts = NULL;
  cr_assert_eq(trial_sim_alloc(&ts, cfg, &l, (size_t)1 << 20, &err), DV_OK, "%s", err.msg);
  for (int s = 0; s < cfg->n_scenarios; s++)
    trial_sim_run(ts, s, 0, trials, counts + (size_t)s * l.scenario_size);
  trial_sim_free(ts);
  memset(rows, 0, sizeof *rows);
  cr_assert_eq(oc_summarise_counts(&l, counts, cfg, rows, &err), DV_OK, "%s", err.msg);
  free(counts);
}

uint64_t *support_simulate_counts(const config *cfg, const oc_layout *l, uint64_t trials, int parts,
                                  size_t graph_nodes) {
  uint64_t *counts = calloc(l->total, sizeof *counts);
  cr_assert_not_null(counts);
  trial_sim *ts = NULL;
  dv_error err = {0};
  cr_assert_eq(trial_sim_alloc(&ts, cfg, l, graph_nodes, &err), DV_OK, "%s", err.msg);
  for (int s = 0; s < cfg->n_scenarios; s++)
    for (int p = 0; p < parts; p++)
      trial_sim_run(ts, s, trials * (uint64_t)p / (uint64_t)parts,
                    trials * (uint64_t)(p + 1) / (uint64_t)parts,
                    counts + (size_t)s * l->scenario_size);
  trial_sim_free(ts);
  return counts;
}

void support_exact(const config *cfg, oc_rows *rows) {
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK, "%s", err.msg);
  double *w = malloc(l.total * sizeof *w);
  cr_assert_eq(exact_run(cfg, &l, (size_t)1 << 22, w, NULL, &err), DV_OK, "%s", err.msg);
  memset(rows, 0, sizeof *rows);
  cr_assert_eq(oc_summarise_exact(&l, w, cfg, rows, &err), DV_OK, "%s", err.msg);
  free(w);
}

const oc_row *support_row(const oc_rows *rows, int s, const char *design, const char *metric,
                          int dose) {
  int column = oc_rows_column(rows, design), m = oc_metric_find(metric);
  const oc_row *r = column < 0 || m < 0 ? NULL : oc_rows_get(rows, s, column, (oc_metric)m, dose);
  cr_assert_not_null(r, "no row %d/%s/%s/%d", s, design, metric, dose);
  return r;
}

void support_expect_metric(const oc_rows *rows, const char *design, const char *metric, int dose,
                           double want) {
  const oc_row *r = support_row(rows, 0, design, metric, dose);
  cr_expect_float_eq(r->value, want, 1e-9, "%s %s %d: %.10g, want %.10g", design, metric, dose,
                     r->value, want);
}

/* log P(Bin(T, p) = k) */
static double log_pmf(double T, double k, double p) {
  return lgamma(T + 1) - lgamma(k + 1) - lgamma(T - k + 1) + k * log(p) + (T - k) * log1p(-p);
}

/* P(Bin(T, p) >= x) (upper) or <= x, summed outwards from x until the terms vanish. */
static double binom_tail(double T, double x, double p, bool upper) {
  double sum = 0;
  for (double k = x; upper ? k <= T : k >= 0; k += upper ? 1 : -1) {
    double term = exp(log_pmf(T, k, p));
    sum += term;
    if (term < 1e-18 * sum)
      break;
  }
  return sum;
}

int support_within_4se(double simulated, double truth, uint64_t trials) {
  /* an exact probability is a floating-point sum: 1 + 4e-16 is 1 */
  if (truth > 1.0 && truth < 1.0 + 1e-12)
    truth = 1.0;
  if (truth < 0.0 && truth > -1e-12)
    truth = 0.0;
  double T = (double)trials, se = sqrt(truth * (1.0 - truth) / T);
  if (fabs(simulated - truth) <= 4.0 * se + 1e-12)
    return 1;
  if (truth <= 0 || truth >= 1)
    return 0;
  /* Far in the tails (rare events) the normal approximation behind "4 MCSE" fails: use the exact
   * binomial tail at the same two-sided level, 2 Phi(-4) = 6.334e-5. */
  double x = round(simulated * T);
  double tail = binom_tail(T, x, truth, simulated > truth);
  return tail >= 6.334e-5 / 2;
}

/* The largest value a per-trial quantity of this metric can take (for the mean bound). */
static double range_of(oc_metric m, const config *cfg) {
  const char *key = oc_catalogue[m].key;
  if (strncmp(key, "pct_", 4) == 0)
    return 100;
  if (m == OC_ACCURACY)
    return 2 * cfg->n_doses;
  if (m == OC_UTILITY) /* utilities are out of 100 */
    return 100;
  return config_patients_per_trial(cfg);
}

int support_agree_with_exact(const config *cfg, uint64_t trials, bool designs_only) {
  oc_rows sim, ex;
  support_simulate(cfg, trials, &sim);
  support_exact(cfg, &ex);
  double T = (double)trials;
  int compared = 0;
  for (size_t i = 0; i < ex.n; i++) {
    const oc_row *e = &ex.rows[i];
    const oc_metric_info *info = &oc_catalogue[e->metric];
    if (designs_only && e->column >= cfg->n_designs)
      continue;
    const char *name = ex.labels[e->column], *where = ex.scenarios[e->scenario].name;
    const oc_row *s = support_row(&sim, e->scenario, name, info->key, e->dose);
    cr_assert_eq(e->has_value, s->has_value, "%s/%s", name, info->key);
    cr_assert_eq(e->mcse, 0.0);
    if (!e->has_value)
      continue;
    if (e->metric == OC_N_SD) {
      double M = range_of(OC_N_SD, cfg);
      bool ok = s->mcse > 0 ? fabs(s->value - e->value) <= 4 * s->mcse + 1e-12
                            : fabs(s->value * s->value - e->value * e->value) <=
                                  4 * M * e->value / sqrt(T) + 1e-12;
      cr_expect(ok, "%s/%s/n_sd: %.5f vs %.5f", where, name, s->value, e->value);
    } else if (e->metric == OC_PCS_DIFF) {
      /* a difference of two disjoint events' probabilities, d = 1, -1 or 0 a trial: 4 of its
       * true MCSE, bounded by E d^2 <= p_disagree (d != 0 only where the designs disagree) */
      double q = support_row(&ex, e->scenario, name, "p_disagree", -1)->value;
      double se = sqrt(fmax(q - e->value * e->value, 0) / T);
      cr_expect(fabs(s->value - e->value) <= 4 * se + 1e-12,
                "%s/%s/pcs_diff: simulated %.6f (mcse %.6f), exact %.6f (mcse bound %.6f)", where,
                name, s->value, s->mcse, e->value, se);
    } else if (info->probability) { /* p_disagree among them */
      cr_expect(support_within_4se(s->value, e->value, trials),
                "%s/%s/%s/%d: simulated %.6f (mcse %.6f), exact %.6f", where, name, info->key,
                e->dose, s->value, s->mcse, e->value);
    } else { /* a mean, or a paired mean difference */
      double se = s->mcse > 0 ? s->mcse : sqrt(range_of(e->metric, cfg) * fabs(e->value) / T);
      cr_expect(fabs(s->value - e->value) <= 4 * se + 1e-12,
                "%s/%s/%s/%d: simulated %.6f (mcse %.6f), exact %.6f", where, name, info->key,
                e->dose, s->value, se, e->value);
    }
    compared++;
  }
  for (int sc = 0; sc < cfg->n_scenarios; sc++) {
    for (int j = 0; j < cfg->n_designs; j++) {
      const config_design *d = &cfg->designs[j];
      double sel = 0, ndist = 0;
      for (int dose = 0; dose <= cfg->n_doses; dose++)
        sel += support_row(&ex, sc, d->name, "sel", dose)->value;
      for (int n = d->setup.cohort_size; n <= d->setup.max_n; n += d->setup.cohort_size)
        ndist += support_row(&ex, sc, d->name, "n_dist", n)->value;
      cr_expect(fabs(sel - 1) < 1e-12, "%s: sel sums to %.15f", d->name, sel);
      cr_expect(fabs(ndist - 1) < 1e-12, "%s: n_dist sums to %.15f", d->name, ndist);
    }
    if (designs_only)
      continue;
    double bench = 0;
    for (int dose = 1; dose <= cfg->n_doses; dose++)
      bench += support_row(&ex, sc, "benchmark", "bench_sel", dose)->value;
    cr_expect(fabs(bench - 1) < 1e-12, "benchmark sums to %.15f", bench);
  }
  cr_log_info("%s: %d metrics compared", cfg->study_name, compared);
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  return compared;
}

int support_walk(graph *g, const double *u, const double *p) {
  graph_cursor cur;
  graph_start(g, &cur);
  int next = 0, c = graph_setup(g)->cohort_size;
  while (!cur.action.stop) {
    int y = 0;
    for (int i = 0; i < c; i++)
      y += u[next + i] < p[cur.action.dose - 1];
    next += c;
    graph_step(g, &cur, y);
  }
  return cur.action.dose;
}
