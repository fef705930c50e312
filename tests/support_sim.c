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
    trial_sim_run(ts, s, 0, trials, counts);
  trial_sim_free(ts);
  memset(rows, 0, sizeof *rows);
  cr_assert_eq(oc_summarise_counts(&l, counts, cfg, rows, &err), DV_OK, "%s", err.msg);
  free(counts);
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
