/* cli_exact.c — `doseval exact`: the operating characteristics with no Monte Carlo error, from
 * a forward sweep of each design's decision graph (src/engine/exact.c); same files as `run`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomic_file.h"
#include "cli.h"
#include "cli_common.h"
#include "exact.h"
#include "graph.h"
#include "oc.h"
#include "results.h"
#include "scenarios.h"

/* The exact engine's memory bound per design (README: how far exact reaches). */
#define EXACT_MEMORY_BYTES ((size_t)2 << 30)

static const char exact_about[] =
    "Computes every design's operating characteristics under every scenario exactly (no Monte\n"
    "Carlo error) and writes oc.csv, summary.json and report.html (mcse 0) to --out\n"
    "(default results/<config stem>/) and a table to stdout.\n";

static size_t max_nodes_for(const config *cfg) {
  size_t worst = 0;
  for (int j = 0; j < cfg->n_designs; j++) {
    size_t b = graph_node_bytes(&cfg->designs[j].policy) + sizeof(double);
    worst = b > worst ? b : worst;
  }
  return EXACT_MEMORY_BYTES / (worst ? worst : 1);
}

int cli_exact(int argc, char **argv) {
  const char *path = NULL, *out = NULL;
  cli_selection sel = {0};
  const cli_option opts[] = {
      {"--out", CLI_DIR, &out, NULL, "DIR", "where to write (default results/<config stem>/)", 0,
       NULL},
      CLI_OPTION_DESIGN(&sel, CONFIG_MAX_SELECT, "only this design (repeatable)"),
      CLI_OPTION_SCENARIO(&sel, CONFIG_MAX_SELECT, "only this scenario (repeatable)"),
      CLI_OPTION_END};
  cli_command cmd = {.name = "exact",
                     .about = exact_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = 1,
                     .arg = &path,
                     .select = &sel};
  config *cfg = NULL;
  int code;
  if (!cli_begin(&cmd, argc, argv, &cfg, &code))
    return code;
  dv_error err = {0};
  char command_line[8192];
  cli_command_line("exact", argc, argv, command_line, sizeof command_line);
  double *w = NULL;
  size_t *states = NULL;
  exact_engine *engine = NULL;
  results *res = NULL;
  oc_layout l;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  char dir[4096];
  if (out)
    snprintf(dir, sizeof dir, "%s", out);
  else
    cli_default_out(path, dir, sizeof dir);
  /* before the computation: it must not fail at its end */
  dv_status st = atomic_writable(dir, &err);
  if (st == DV_OK)
    st = oc_layout_init(&l, cfg, &err);
  /* one scenario's probabilities at a time: memory does not grow with the scenarios */
  if (st == DV_OK && ((w = malloc(l.scenario_size * sizeof *w)) == NULL ||
                      (states = calloc((size_t)cfg->n_designs, sizeof *states)) == NULL))
    st = error_set(&err, DV_ENOMEM, "out of memory");
  if (st == DV_OK)
    st = exact_alloc(&engine, cfg, &l, max_nodes_for(cfg), &err);
  for (int j = 0; st == DV_OK && j < cfg->n_designs; j++)
    states[j] = exact_states(engine, j);
  if (st == DV_OK)
    st = results_begin(&res, cfg, &l, dir, &err);
  for (int s = 0; st == DV_OK && s < cfg->n_scenarios; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    st = exact_scenario(engine, &sc, w, &err);
    if (st == DV_OK)
      st = results_add_exact(res, &sc, w, &err);
  }
  if (st == DV_OK) {
    clock_gettime(CLOCK_MONOTONIC, &t1);
    write_input in = {.cfg = cfg,
                      .command = "exact",
                      .exact = true,
                      .trials = 0,
                      .ranks = 1,
                      .states = states,
                      .command_line = command_line,
                      .wall_seconds = (double)(t1.tv_sec - t0.tv_sec) +
                                      1e-9 * (double)(t1.tv_nsec - t0.tv_nsec)};
    st = results_finish(res, &in, NULL, NULL, NULL, &err);
    if (st == DV_OK) {
      write_table(&in, stdout);
      if (cfg->time.on) /* SPEC section 11: the exact engine has no clock */
        printf("\nduration and turned_away come from `doseval run`: the exact engine has no "
               "clock, so oc.csv holds NA for them\n");
      printf("\nreport: %s/report.html\n", dir);
    }
  }
  code = st == DV_OK ? 0 : cli_fail("exact", &err);
  results_free(res);
  exact_free(engine);
  free(w);
  free(states);
  config_free(cfg);
  return code;
}
