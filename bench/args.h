/* args.h — what the bench programs share: their command line, CONFIG [--FLAG N]
 * [--design NAME]..., the config it names, and their clock. */
#ifndef DOSEVAL_BENCH_ARGS_H
#define DOSEVAL_BENCH_ARGS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"

#define BENCH_MAX_NAMES 64

/* Reads argv: the config path in argv[1], the number after `flag` into *value (left as it is
 * when absent), each --design NAME into names. Returns 0, or 2 after a usage message. */
static inline int bench_args(int argc, char **argv, const char *flag, uint64_t *value,
                             const char **names, int *n_names) {
  *n_names = 0;
  if (argc < 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: %s CONFIG [%s N] [--design NAME]...\n", argv[0], flag);
    return 2;
  }
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], flag) == 0 && i + 1 < argc)
      *value = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--design") == 0 && i + 1 < argc && *n_names < BENCH_MAX_NAMES)
      names[(*n_names)++] = argv[++i];
    else {
      fprintf(stderr, "%s: unknown argument %s\n", argv[0], argv[i]);
      return 2;
    }
  }
  return 0;
}

/* bench_args, then the config at argv[1] with only the designs named (all when none is): NULL
 * after a message on stderr (the program exits 2). */
static inline config *bench_config(int argc, char **argv, const char *flag, uint64_t *value) {
  const char *names[BENCH_MAX_NAMES];
  int n_names = 0;
  if (bench_args(argc, argv, flag, value, names, &n_names) != 0)
    return NULL;
  config *cfg = NULL;
  dv_error err = {0};
  if (config_load(argv[1], &cfg, &err) != DV_OK ||
      (n_names > 0 && config_select_designs(cfg, names, n_names, &err) != DV_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    config_free(cfg);
    return NULL;
  }
  return cfg;
}

static inline double bench_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
