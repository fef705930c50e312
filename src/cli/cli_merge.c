/* cli_merge.c — `doseval merge DIR... --out DIR`: sums the counter files of shards or
 * checkpoints of one run into the files an unsharded run writes (SPEC sections 4, 9, 10). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibration.h"
#include "checkpoint.h"
#include "cli.h"
#include "cli_common.h"
#include "merge.h"
#include "oc.h"
#include "results.h"
#include "scenarios.h"

static const char merge_about[] =
    "Sums the counter files (DIR/counters.dvc) of the shards or checkpoints of one run into\n"
    "oc.csv, summary.json, report.html and counters.dvc in --out, the same oc.csv as the\n"
    "unsharded run. It refuses, and writes nothing, when the files come from another config,\n"
    "seed, trial count, selection, program version or counter layout, overlap, leave trials out,\n"
    "or are corrupt. Shards of a calibration (DIR/calibration.part, from `doseval calibrate\n"
    "--shard`) merge into the calibration's files, the same calibration.csv as one run.\n";

int cli_merge(int argc, char **argv) {
  const char *out = NULL;
  dv_error err = {0};
  const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
  char **paths = calloc((size_t)argc + 1, sizeof *paths);
  if (dirs == NULL || paths == NULL) {
    free((void *)dirs);
    free(paths);
    fprintf(stderr, "doseval merge: out of memory\n");
    return 1;
  }
  const cli_option opts[] = {
      {"--out", CLI_DIR, &out, NULL, "DIR", "where to write the merged files (required)", 0, NULL},
      CLI_OPTION_END};
  int n_dirs = 0, n = 0, n_calib = 0;
  cli_command cmd = {.name = "merge",
                     .about = merge_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = argc,
                     .arg = dirs,
                     .n_args = &n_dirs};
  int rc;
  bool go_on = cli_begin(&cmd, argc, argv, NULL, &rc);
  if (go_on && out == NULL) {
    rc = cli_usage_error(&cmd, "--out DIR is required");
    go_on = false;
  }
  dv_status st = DV_OK;
  for (int i = 0; go_on && i < n_dirs && st == DV_OK; i++) {
    size_t len = strlen(dirs[i]) + sizeof CHECKPOINT_FILE + sizeof CALIBRATION_PART_FILE + 2;
    if ((paths[n] = malloc(len)) == NULL) {
      st = error_set(&err, DV_ENOMEM, "out of memory");
      break;
    }
    snprintf(paths[n], len, "%s/%s", dirs[i], CHECKPOINT_FILE);
    if (access(dirs[i], F_OK) != 0)
      st = error_set(&err, DV_EUSAGE, "%s: no such folder", dirs[i]);
    else if (access(paths[n], F_OK) != 0) {
      /* a calibration's shard (SPEC section 15)? */
      snprintf(paths[n], len, "%s/%s", dirs[i], CALIBRATION_PART_FILE);
      if (access(paths[n], F_OK) == 0)
        n_calib++;
      else
        st = error_set(&err, DV_EUSAGE,
                       "%s: no shard in this folder (no %s or %s; a run, a calibration or a "
                       "shard of either writes it)",
                       dirs[i], CHECKPOINT_FILE, CALIBRATION_PART_FILE);
    }
    n++;
  }
  free((void *)dirs);
  if (!go_on) {
    for (int j = 0; j < n; j++)
      free(paths[j]);
    free(paths);
    return rc;
  }
  char command_line[8192];
  cli_command_line("merge", argc, argv, command_line, sizeof command_line);
  if (st == DV_OK && n_calib > 0 && n_calib < n)
    st = error_set(&err, DV_EUSAGE,
                   "%d of the %d folders hold a calibration's shard, the others a run's; allowed: "
                   "the shards of one run or of one calibration",
                   n_calib, n);
  if (st == DV_OK && n_calib == n) {
    rc = cli_calibrate_merge((const char *const *)paths, n, out, command_line);
    for (int j = 0; j < n; j++)
      free(paths[j]);
    free(paths);
    return rc;
  }
  merge_result m = {0};
  results *res = NULL;
  if (st == DV_OK)
    st = merge_files((const char *const *)paths, n, &m, &err);
  if (st == DV_OK)
    st = results_begin(&res, m.cfg, &m.layout, out, &err);
  for (int s = 0; st == DV_OK && s < m.cfg->n_scenarios; s++) {
    config_scenario sc;
    config_scenario_at(m.cfg, s, &sc);
    st = results_add_counts(res, &sc, m.counts + (size_t)s * m.layout.scenario_size, &err);
  }
  if (st == DV_OK) {
    double design_trials = (double)m.cfg->trials * m.cfg->n_scenarios * m.cfg->n_designs;
    /* throughput over the shards' rank-seconds; wall time is theirs averaged over ranks */
    double wall = m.ranks > 0 ? m.core_seconds / m.ranks : 0;
    write_input in = {.cfg = m.cfg,
                      .command = "merge",
                      .exact = false,
                      .trials = m.cfg->trials,
                      .ranks = m.ranks,
                      .wall_seconds = wall,
                      .trials_per_second = wall > 0 ? design_trials / wall : 0,
                      .command_line = command_line};
    work_ranges all = {0};
    for (int s = 0; s < m.cfg->n_scenarios && st == DV_OK; s++)
      st = work_ranges_add(&all, s, 0, m.cfg->trials, &err);
    counter_file f = {0};
    if (st == DV_OK)
      st = counter_file_from_run(&f, m.cfg, &m.layout, 0, 1, m.ranks, m.core_seconds, &all,
                                 m.counts, &err);
    if (st == DV_OK)
      st = results_finish(res, &in, &f, counter_file_memory, f.counts, &err);
    if (st == DV_OK) {
      write_table(&in, stdout);
      printf("\nreport: %s/report.html\n", out);
    }
    counter_file_free(&f);
    work_ranges_free(&all);
  }
  int code = st == DV_OK ? 0 : cli_fail("merge", &err);
  results_free(res);
  merge_result_free(&m);
  for (int j = 0; j < n; j++)
    free(paths[j]);
  free(paths);
  return code;
}
