/* floor.c — the random-number floor of a study, for bench/run.sh: the draws of every trial of
 * every scenario (bench/draws.h) and nothing else. A design's trials/s beside this says how far
 * its work is from the cost of its random numbers.
 *
 * usage: bench_floor CONFIG [--trials N] [--design NAME]...
 * prints one line: trials per second of wall time and per second of this process's CPU time (the
 * two differ when other processes share the core), over every scenario of the (selected) study. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "draws.h"

static double seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  const char *names[64];
  int n_names = 0;
  uint64_t trials = 0;
  if (argc < 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: %s CONFIG [--trials N] [--design NAME]...\n", argv[0]);
    return 2;
  }
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc)
      trials = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--design") == 0 && i + 1 < argc && n_names < 64)
      names[n_names++] = argv[++i];
    else {
      fprintf(stderr, "%s: unknown argument %s\n", argv[0], argv[i]);
      return 2;
    }
  }
  config *cfg = NULL;
  dv_error err = {0};
  if (config_load(argv[1], &cfg, &err) != DV_OK ||
      (n_names > 0 && config_select_designs(cfg, names, n_names, &err) != DV_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    config_free(cfg);
    return 2;
  }
  if (trials == 0)
    trials = cfg->trials;
  int patients = config_patients_per_trial(cfg);
  uint32_t x[DESIGN_MAX_N];
  double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (int s = 0; s < cfg->n_scenarios; s++)
    bench_draws(cfg, s, 0, trials, patients, x);
  double wall = seconds(CLOCK_MONOTONIC) - w0, cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
  double all = (double)trials * cfg->n_scenarios;
  printf(
      "floor: %.0f trials/s wall, %.0f trials/s cpu (%d patients a trial, %.0f trials, %.3f s)\n",
      wall > 0 ? all / wall : 0.0, cpu > 0 ? all / cpu : 0.0, patients, all, wall);
  config_free(cfg);
  return 0;
}
