/* floor.c — the random-number floor of a study, for bench/run.sh: the draws of every trial of
 * every scenario (bench/draws.h) and nothing else. A design's trials/s beside this says how far
 * its work is from the cost of its random numbers.
 *
 * usage: bench_floor CONFIG [--trials N] [--design NAME]...
 * prints one line: trials per second of wall time and per second of this process's CPU time (the
 * two differ when other processes share the core), over every scenario of the (selected) study. */
#include <stdio.h>

#include "args.h"
#include "config.h"
#include "draws.h"

int main(int argc, char **argv) {
  uint64_t trials = 0;
  config *cfg = bench_config(argc, argv, "--trials", &trials);
  if (cfg == NULL)
    return 2;
  if (trials == 0)
    trials = cfg->trials;
  int patients = config_patients_per_trial(cfg);
  uint32_t x[DESIGN_MAX_N];
  double w0 = bench_seconds(CLOCK_MONOTONIC), c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (int s = 0; s < cfg->n_scenarios; s++)
    bench_draws(cfg, s, 0, trials, patients, x);
  double wall = bench_seconds(CLOCK_MONOTONIC) - w0,
         cpu = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
  double all = (double)trials * cfg->n_scenarios;
  printf(
      "floor: %.0f trials/s wall, %.0f trials/s cpu (%d patients a trial, %.0f trials, %.3f s)\n",
      wall > 0 ? all / wall : 0.0, cpu > 0 ? all / cpu : 0.0, patients, all, wall);
  config_free(cfg);
  return 0;
}
