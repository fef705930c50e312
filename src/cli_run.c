/* cli_run.c — `doseval run`: split each scenario's trials over the MPI ranks, simulate, sum the
 * integer counters on rank 0, which alone prints and writes (SPEC sections 4, 7, 9). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"
#include "oc.h"
#include "par.h"
#include "trial.h"

/* Each design's decision graph holds at most this many states per rank (README: memory). */
#define RUN_GRAPH_NODES ((size_t)1 << 20)
#define MAX_NAMES 64

static const char run_usage[] =
    "usage: doseval run CONFIG [--trials N] [--seed S] [--out DIR] [--design NAME]...\n"
    "                          [--scenario NAME]... [--quiet]\n"
    "Simulates every design of CONFIG under every scenario on common random numbers, splits the\n"
    "trials over the MPI ranks, and writes oc.csv and summary.json to DIR\n"
    "(default results/<config stem>/) and a table to stdout.\n";

typedef struct {
  const char *config_path;
  uint64_t trials, seed;
  bool has_trials, has_seed, quiet, help;
  const char *out;
  char *designs[MAX_NAMES], *scenarios[MAX_NAMES];
  int n_designs, n_scenarios;
} run_args;

static dv_status parse(int argc, char **argv, run_args *a, dv_error *err) {
  static const struct option opts[] = {
      {"trials", required_argument, 0, 't'},   {"seed", required_argument, 0, 's'},
      {"out", required_argument, 0, 'o'},      {"design", required_argument, 0, 'd'},
      {"scenario", required_argument, 0, 'c'}, {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  memset(a, 0, sizeof *a);
  optind = 1;
  opterr = 0;
  int ch;
  dv_status st = DV_OK;
  while (st == DV_OK && (ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (ch) {
    case 't':
      st = cli_parse_u64("--trials", optarg, &a->trials, err);
      a->has_trials = true;
      if (st == DV_OK && (a->trials == 0 || a->trials > CONFIG_MAX_TRIALS))
        st = error_set(err, DV_EUSAGE, "--trials: %s; allowed: 1 to 2^40", optarg);
      break;
    case 's':
      st = cli_parse_u64("--seed", optarg, &a->seed, err);
      a->has_seed = true;
      break;
    case 'o':
      a->out = optarg;
      break;
    case 'd':
    case 'c': {
      int *n = ch == 'd' ? &a->n_designs : &a->n_scenarios;
      if (*n == MAX_NAMES)
        return error_set(err, DV_EUSAGE, "at most %d --design / --scenario options", MAX_NAMES);
      (ch == 'd' ? a->designs : a->scenarios)[(*n)++] = optarg;
      break;
    }
    case 'q':
      a->quiet = true;
      break;
    case 'h':
      a->help = true;
      return DV_OK;
    default:
      return error_set(err, DV_EUSAGE, "unknown or incomplete option '%s'; see --help",
                       argv[optind - 1]);
    }
  }
  if (st != DV_OK)
    return st;
  if (optind != argc - 1)
    return error_set(err, DV_EUSAGE, "expected one CONFIG file; see --help");
  a->config_path = argv[optind];
  return DV_OK;
}

static dv_status load(const run_args *a, config **cfg, dv_error *err) {
  dv_status st = config_load(a->config_path, cfg, err);
  if (st == DV_OK)
    st = config_select_designs(*cfg, (char **)a->designs, a->n_designs, err);
  if (st == DV_OK)
    st = config_select_scenarios(*cfg, (char **)a->scenarios, a->n_scenarios, err);
  if (st == DV_OK && a->has_trials)
    (*cfg)->trials = a->trials;
  if (st == DV_OK && a->has_seed)
    (*cfg)->seed = a->seed;
  return st;
}

/* This rank's share of every scenario, summed into counts on rank 0. */
static dv_status simulate(const config *cfg, const oc_layout *l, uint64_t *counts, bool progress,
                          dv_error *err) {
  trial_sim *ts = NULL;
  dv_status st = trial_sim_alloc(&ts, cfg, l, RUN_GRAPH_NODES, err);
  if (st == DV_OK) {
    int rank = par_rank(), size = par_size();
    for (int s = 0; s < cfg->n_scenarios; s++) {
      uint64_t lo, hi;
      par_range(cfg->trials, rank, size, &lo, &hi);
      if (progress)
        fprintf(stderr, "\rdoseval run: scenario %d/%d", s + 1, cfg->n_scenarios);
      trial_sim_run(ts, s, lo, hi, counts);
    }
    if (progress)
      fprintf(stderr, "\r%40s\r", "");
  }
  trial_sim_free(ts);
  st = par_agree(st);
  if (st == DV_OK)
    st = par_sum_u64(counts, l->total, err);
  return st;
}

int cli_run(int argc, char **argv) {
  int rank = par_rank();
  run_args a;
  dv_error err = {0};
  config *cfg = NULL;
  uint64_t *counts = NULL;
  oc_rows rows = {0};
  oc_layout l;
  dv_status st = parse(argc, argv, &a, &err);
  if (st == DV_OK && a.help) {
    if (rank == 0)
      fputs(run_usage, stdout);
    return 0;
  }
  if (st == DV_OK)
    st = load(&a, &cfg, &err);
  if (st == DV_OK)
    st = oc_layout_init(&l, cfg, &err);
  if (st == DV_OK && (counts = calloc(l.total, sizeof *counts)) == NULL)
    st = error_set(&err, DV_ENOMEM, "out of memory for %zu counters", l.total);
  st = par_agree(st);
  if (st == DV_OK) {
    if (rank == 0)
      for (int i = 0; i < cfg->n_warnings; i++)
        fprintf(stderr, "doseval run: %s\n", cfg->warnings[i]);
    double t0 = par_wtime();
    st = simulate(cfg, &l, counts, rank == 0 && !a.quiet && isatty(STDERR_FILENO), &err);
    double wall = par_wtime() - t0;
    if (st == DV_OK && rank == 0)
      st = oc_summarise_counts(&l, counts, cfg, &rows, &err);
    if (st == DV_OK && rank == 0) {
      double design_trials = (double)cfg->trials * cfg->n_scenarios * cfg->n_designs;
      write_input in = {.cfg = cfg,
                        .rows = &rows,
                        .command = "run",
                        .exact = false,
                        .trials = cfg->trials,
                        .ranks = par_size(),
                        .wall_seconds = wall,
                        .trials_per_second = wall > 0 ? design_trials / wall : 0};
      char dir[4096];
      if (a.out)
        snprintf(dir, sizeof dir, "%s", a.out);
      else
        cli_default_out(a.config_path, dir, sizeof dir);
      st = cli_write_results(&in, dir, &err);
      if (st == DV_OK)
        write_table(&in, stdout);
    }
  }
  int code = st == DV_OK ? 0 : (rank == 0 ? cli_fail("run", &err) : error_exit_code(st));
  oc_rows_free(&rows);
  free(counts);
  config_free(cfg);
  return code;
}
