/* loop.c — the Monte Carlo loop against the floor inside one process, for bench/run.sh. Blocks of
 * 8192 trials (doseval run's block) of the floor's draws (bench/draws.h) and of trial_sim_run on
 * the same trials alternate, each timed alone; every block is run once untimed first, so the
 * graphs are built and this is the loop's steady state. A block takes about a millisecond, so a
 * low percentile of the block times leaves out preemption and a busy neighbour on a shared
 * machine, which whole runs (bench_floor against doseval run) cannot.
 *
 * usage: bench_loop CONFIG [--rounds N] [--design NAME]...
 * prints one line: the 10th percentile of the floor's and of the loop's blocks, in ns a trial,
 * and their ratio, over N rounds (default 50) of one block per scenario. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "draws.h"
#include "oc.h"
#include "trial.h"

#define BLOCK 8192

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  uint64_t rounds = 50;
  config *cfg = bench_config(argc, argv, "--rounds", &rounds);
  if (cfg == NULL)
    return 2;
  dv_error err = {0};
  oc_layout l;
  trial_sim *ts = NULL;
  uint64_t *counts = NULL;
  double *floor_ns = NULL, *loop_ns = NULL;
  int status = 1;
  if (oc_layout_init(&l, cfg, &err) != DV_OK) {
    fprintf(stderr, "%s\n", err.msg);
    status = 2;
    goto done;
  }
  size_t n = (size_t)(rounds > 0 ? rounds : 1) * (size_t)cfg->n_scenarios;
  counts = calloc(l.total, sizeof *counts);
  floor_ns = calloc(n, sizeof *floor_ns);
  loop_ns = calloc(n, sizeof *loop_ns);
  if (counts == NULL || floor_ns == NULL || loop_ns == NULL ||
      trial_sim_alloc(&ts, cfg, &l, (size_t)1 << 20, &err) != DV_OK) {
    fprintf(stderr, "%s\n", err.code != DV_OK ? err.msg : "out of memory");
    goto done;
  }
  int patients = config_patients_per_trial(cfg);
  uint32_t x[DESIGN_MAX_N];
  for (size_t q = 0; q < n / (size_t)cfg->n_scenarios; q++)
    for (int s = 0; s < cfg->n_scenarios; s++)
      trial_sim_run(ts, s, q * BLOCK, (q + 1) * BLOCK, counts);
  size_t i = 0;
  for (size_t q = 0; q < n / (size_t)cfg->n_scenarios; q++)
    for (int s = 0; s < cfg->n_scenarios; s++, i++) {
      double a = bench_seconds(CLOCK_MONOTONIC);
      bench_draws(cfg, s, q * BLOCK, (q + 1) * BLOCK, patients, x);
      double b = bench_seconds(CLOCK_MONOTONIC);
      trial_sim_run(ts, s, q * BLOCK, (q + 1) * BLOCK, counts);
      double c = bench_seconds(CLOCK_MONOTONIC);
      floor_ns[i] = (b - a) * 1e9 / BLOCK;
      loop_ns[i] = (c - b) * 1e9 / BLOCK;
    }
  qsort(floor_ns, n, sizeof *floor_ns, by_value);
  qsort(loop_ns, n, sizeof *loop_ns, by_value);
  printf("loop: floor %.1f ns a trial, designs %.1f ns a trial, ratio %.2f (10th percentiles of "
         "%zu blocks of %d trials)\n",
         floor_ns[n / 10], loop_ns[n / 10], loop_ns[n / 10] / floor_ns[n / 10], n, BLOCK);
  status = 0;
done:
  trial_sim_free(ts);
  free(counts);
  free(floor_ns);
  free(loop_ns);
  config_free(cfg);
  return status;
}
