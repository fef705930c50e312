/* calibrate.c — one point of a calibration on every scenario (see calibrate.h). */
#include "calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exact.h"
#include "trial.h"

/* The graph bound of a simulated point, as `doseval run`'s (past it the design is called
 * directly: the same results, slower). */
#define CALIB_GRAPH_NODES ((size_t)1 << 20)

void calib_layout_init(calib_layout *l, const config *cfg, size_t n_points) {
  l->trials = cfg->trials;
  l->n_batches = cfg->trials < CALIB_BATCHES ? (int)cfg->trials : CALIB_BATCHES;
  l->n_curves = cfg->n_scenarios - cfg->n_named >= 2 ? cfg->n_scenarios - cfg->n_named : 0;
  l->n_scenarios = cfg->n_scenarios;
  l->width = (size_t)l->n_batches + (size_t)l->n_curves;
  if (n_points > 0 && l->width > CALIB_MAX_PAIRED / n_points)
    l->n_batches = l->n_curves = 0, l->width = 0;
}

/* Batch b's first trial: T b / B (T < 2^40, B <= 100: no overflow). */
static uint64_t batch_start(const calib_layout *l, int b) {
  return l->trials * (uint64_t)b / (uint64_t)l->n_batches;
}

double calib_paired_mcse(const calib_layout *l, const double *row_a, const double *row_b) {
  int nb = l->n_batches, nc = l->n_curves;
  double v = 0.0;
  if (l->n_scenarios > nc) { /* batched scenarios: batch means of the summed difference */
    if (nb < 2)
      return NAN;
    double t = (double)l->trials, mean = 0.0, ss = 0.0;
    for (int b = 0; b < nb; b++)
      mean += (double)(batch_start(l, b + 1) - batch_start(l, b)) / t * (row_a[b] - row_b[b]);
    for (int b = 0; b < nb; b++) {
      double w = (double)(batch_start(l, b + 1) - batch_start(l, b)) / t;
      double e = row_a[b] - row_b[b] - mean;
      ss += w * w * e * e;
    }
    v += (double)nb / (nb - 1) * ss;
  }
  if (nc >= 2) { /* random curves: N sd^2 of the per-curve differences (two-pass) */
    double mean = 0.0, ss = 0.0;
    for (int c = 0; c < nc; c++)
      mean += row_a[nb + c] - row_b[nb + c];
    mean /= nc;
    for (int c = 0; c < nc; c++) {
      double e = row_a[nb + c] - row_b[nb + c] - mean;
      ss += e * e;
    }
    v += nc * (ss / (nc - 1));
  }
  return sqrt(v) / l->n_scenarios;
}

dv_status calib_scenarios_init(calib_scenarios *cs, const config *cfg, dv_error *err) {
  cs->n = cfg->n_scenarios;
  cs->s = calloc(cs->n > 0 ? (size_t)cs->n : 1, sizeof *cs->s);
  if (cs->s == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  for (int s = 0; s < cs->n; s++)
    config_scenario_at(cfg, s, &cs->s[s]);
  return DV_OK;
}

void calib_scenarios_free(calib_scenarios *cs) {
  free(cs->s);
  cs->s = NULL;
  cs->n = 0;
}

/* The running sums of calibrate.h's means: named scenarios add their value and squared MCSE;
 * random ones feed Welford's mean and M2 of the objective. */
typedef struct {
  double named_sum, named_var;
  double r_n, r_mean, r_m2, r_mcse2;
  double od, stop, n;
  int count;
} calib_sums;

/* The objective on rows (one scenario's); accuracy has no value when every p equals the target:
 * such a scenario counts 0. */
static double objective_of(const oc_rows *rows, oc_metric objective) {
  const oc_row *o = oc_rows_get(rows, 0, 0, objective, -1);
  return o != NULL && o->has_value ? o->value : 0.0;
}

/* Where scenario s's objective goes in a point's row: -1 batched, else its column. */
static int curve_column(const calib_layout *pl, const config *v, int s) {
  return pl->n_curves > 0 && s >= v->n_named ? pl->n_batches + (s - v->n_named) : -1;
}

static dv_status add_scenario(const oc_rows *rows, const config_scenario *sc, oc_metric objective,
                              calib_sums *m, dv_error *err) {
  const oc_row *o = oc_rows_get(rows, 0, 0, objective, -1);
  const oc_row *od = oc_rows_get(rows, 0, 0, OC_PCT_OVERDOSED, -1);
  const oc_row *st = oc_rows_get(rows, 0, 0, OC_P_STOP, -1);
  const oc_row *n = oc_rows_get(rows, 0, 0, OC_N_MEAN, -1);
  if (o == NULL || od == NULL || st == NULL || n == NULL)
    return error_set(err, DV_ERUN, "calibrate: scenario '%s' has no %s", sc->name,
                     oc_catalogue[objective].key);
  /* accuracy has no value when every p equals the target: such a scenario counts 0 */
  double v = o->has_value ? o->value : 0.0;
  if (sc->random) {
    m->r_n += 1;
    double delta = v - m->r_mean;
    m->r_mean += delta / m->r_n;
    m->r_m2 += delta * (v - m->r_mean);
    m->r_mcse2 += o->mcse * o->mcse;
  } else {
    m->named_sum += v;
    m->named_var += o->mcse * o->mcse;
  }
  m->od += od->value;
  m->stop += st->value;
  m->n += n->value;
  m->count++;
  return DV_OK;
}

static void finish(const calib_sums *m, calib_point *out) {
  double S = m->count > 0 ? m->count : 1;
  out->objective = (m->named_sum + m->r_n * m->r_mean) / S;
  /* the random block's sum N mean has variance N^2 sd^2 / N = N sd^2; one curve: its own MCSE */
  double r_var = m->r_n >= 2 ? m->r_n * (m->r_m2 / (m->r_n - 1)) : m->r_mcse2;
  out->objective_mcse = sqrt(m->named_var + r_var) / S;
  out->pct_overdosed = m->od / S;
  out->p_stop = m->stop / S;
  out->n_mean = m->n / S;
}

static dv_status run_exact(exact_engine *e, const config *v, const oc_layout *l,
                           const calib_layout *pl, const calib_scenarios *cs, oc_metric objective,
                           calib_sums *m, double *row, dv_error *err) {
  double *w = malloc(l->scenario_size * sizeof *w);
  oc_rows rows = {0};
  dv_status st = w == NULL ? error_set(err, DV_ENOMEM, "out of memory") : DV_OK;
  if (st == DV_OK)
    st = oc_rows_init(&rows, v, err);
  for (int s = 0; st == DV_OK && s < cs->n; s++) {
    oc_rows_clear(&rows);
    st = exact_scenario(e, &cs->s[s], w, err);
    if (st == DV_OK)
      st = oc_rows_add_exact(l, w, v, &cs->s[s], &rows, err);
    if (st == DV_OK)
      st = add_scenario(&rows, &cs->s[s], objective, m, err);
    /* exact: the same objective in every batch */
    double x = objective_of(&rows, objective);
    int col = curve_column(pl, v, s);
    if (col >= 0)
      row[col] = x;
    for (int b = 0; col < 0 && b < pl->n_batches; b++)
      row[b] += x;
  }
  oc_rows_free(&rows);
  free(w);
  return st;
}

static dv_status run_sim(const config *v, const oc_layout *l, const calib_layout *pl,
                         const calib_scenarios *cs, oc_metric objective, calib_sums *m, double *row,
                         dv_error *err) {
  uint64_t *counts = malloc(l->scenario_size * sizeof *counts);
  uint64_t *batch = malloc(l->scenario_size * sizeof *batch);
  trial_sim *ts = NULL;
  oc_rows rows = {0};
  dv_status st =
      counts == NULL || batch == NULL ? error_set(err, DV_ENOMEM, "out of memory") : DV_OK;
  if (st == DV_OK)
    st = trial_sim_alloc(&ts, v, l, CALIB_GRAPH_NODES, err);
  if (st == DV_OK)
    st = oc_rows_init(&rows, v, err);
  for (int s = 0; st == DV_OK && s < cs->n; s++) {
    memset(counts, 0, l->scenario_size * sizeof *counts);
    int col = curve_column(pl, v, s);
    if (col >= 0 || pl->n_batches == 0) {
      trial_sim_run(ts, s, 0, v->trials, counts);
    } else {
      /* batch by batch, each batch's objective from its own counters; their sums are the
       * scenario's counters, the same integers as one pass over the trials */
      for (int b = 0; st == DV_OK && b < pl->n_batches; b++) {
        memset(batch, 0, l->scenario_size * sizeof *batch);
        trial_sim_run(ts, s, batch_start(pl, b), batch_start(pl, b + 1), batch);
        for (size_t i = 0; i < l->scenario_size; i++)
          counts[i] += batch[i];
        oc_rows_clear(&rows);
        st = oc_rows_add_counts(l, batch, v, &cs->s[s], &rows, err);
        if (st == DV_OK)
          row[b] += objective_of(&rows, objective);
      }
      if (st != DV_OK)
        break;
    }
    oc_rows_clear(&rows);
    st = oc_rows_add_counts(l, counts, v, &cs->s[s], &rows, err);
    if (st == DV_OK)
      st = add_scenario(&rows, &cs->s[s], objective, m, err);
    if (st == DV_OK && col >= 0)
      row[col] = objective_of(&rows, objective);
  }
  oc_rows_free(&rows);
  trial_sim_free(ts);
  free(batch);
  free(counts);
  return st;
}

dv_status calibrate_point(const config *cfg, const config_design *d, const calib_scenarios *cs,
                          oc_metric objective, size_t max_nodes, const calib_layout *pl,
                          calib_point *out, double *row, dv_error *err) {
  /* the config as a run of this one design: same study, scenarios, trials and seed */
  config v = *cfg;
  v.designs = (config_design *)d;
  v.n_designs = 1;
  oc_layout l;
  calib_sums m = {0};
  memset(out, 0, sizeof *out);
  memset(row, 0, pl->width * sizeof *row);
  dv_status st = oc_layout_init(&l, &v, err);
  if (st != DV_OK)
    return st;
  exact_engine *e = NULL;
  dv_error local = {0};
  /* SPEC 11: on a timed study a design that reads pending patients decides on arrival and
   * onset times, which the exact engine does not have (exact_alloc refuses it), and so does
   * one that places side patients (SPEC 13): simulated */
  bool clocked = v.time.on && (d->type->reads_pending || design_side_most(d->type, d->params) > 0);
  dv_status ex = clocked ? DV_OK : exact_alloc(&e, &v, &l, max_nodes, &local);
  if (!clocked && ex == DV_OK) {
    out->exact = true;
    exact_without_benchmark(e); /* calibration.csv reads no benchmark number */
    st = run_exact(e, &v, &l, pl, cs, objective, &m, row, err);
  } else if (clocked || ex == DV_ETOOBIG) {
    st = run_sim(&v, &l, pl, cs, objective, &m, row, err);
  } else {
    st = error_set(err, ex, "%s", local.msg);
  }
  exact_free(e);
  if (st == DV_OK)
    finish(&m, out);
  return st;
}
