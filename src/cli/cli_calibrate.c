/* cli_calibrate.c — `doseval calibrate`: a design evaluated at every point of a grid over its
 * options, on the config's scenarios, exactly where the design allows (SPEC section 15); and the
 * merge of a calibration's shards, which `doseval merge` hands over to it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "calibrate.h"
#include "calibration.h"
#include "cli.h"
#include "cli_common.h"
#include "graph.h"
#include "grid.h"
#include "number.h"

/* The exact engine's memory bound for one point's design (as `doseval exact`'s per design). */
#define CALIB_EXACT_BYTES ((size_t)2 << 30)
/* At most this many shards: --shard I/N with N up to 10^6 (one point a task). */
#define CALIB_MAX_SHARDS 1000000

static const char calibrate_about[] =
    "Evaluates one design of CONFIG at every point of a grid over its options (the product of\n"
    "the --grid lists; KEY as in the config, e.g. skeleton.halfwidth, or RULE.KEY for a rule's)\n"
    "on the config's scenarios, named and random: exactly where the design's decision graph fits,\n"
    "else (or for a design that reads pending patients on a study with dlt_window) by simulation\n"
    "with the config's trials and seed, on the same virtual patients at every point. Writes\n"
    "calibration.csv (one row per point: its values, the objective's mean over the scenarios with\n"
    "its MCSE, mean pct_overdosed, p_stop and n_mean, the best point marked, and each point's\n"
    "difference to the best with its paired MCSE), report.html (heat maps for two keys, lines\n"
    "with error bars for one) and calibration.part to --out (default\n"
    "results/<config stem>-calibration/), and the ten best points to stdout. The best point has\n"
    "the largest objective among those whose mean pct_overdosed (percent of patients above the\n"
    "true MTD, 0-100) is at most --max-overdose.\n"
    "A --shard run writes only calibration.part; `doseval merge` joins the shards.\n";

static dv_status parse_shard(const char *text, uint64_t *i, uint64_t *n, dv_error *err) {
  const char *slash = strchr(text, '/');
  char i_text[32], shown[512];
  size_t len = slash ? (size_t)(slash - text) : 0;
  if (slash != NULL && len > 0 && len < sizeof i_text) {
    memcpy(i_text, text, len);
    i_text[len] = '\0';
    /* decimal digits only (number.h): " 1/2" and "+1/2" are refused, not read as 1/2 */
    if (number_u64(i_text, i) == NUMBER_OK && number_u64(slash + 1, n) == NUMBER_OK && *n > 0 &&
        *n <= CALIB_MAX_SHARDS && *i < *n)
      return DV_OK;
  }
  return error_set(err, DV_EUSAGE,
                   "--shard: '%s'; allowed: I/N with 0 <= I < N <= %d, each decimal digits only "
                   "(I counts from 0, as Slurm's array task ids do)",
                   error_shown(text, shown, sizeof shown), CALIB_MAX_SHARDS);
}

static size_t max_nodes_for(const config_design *d) {
  size_t b = graph_node_bytes(&d->policy) + sizeof(double);
  return CALIB_EXACT_BYTES / b;
}

/* Every point of [c->lo, c->hi) into points (progress on stderr when it is a terminal). */
static dv_status run_points(const config *cfg, const calibration *c, calib_point *points,
                            double *paired, dv_error *err) {
  calib_scenarios cs = {0};
  dv_status st = calib_scenarios_init(&cs, cfg, err);
  bool tty = isatty(STDERR_FILENO);
  for (size_t p = c->lo; st == DV_OK && p < c->hi; p++) {
    config_design d;
    st = grid_design(c->g, c->design, p, &d, err);
    if (st != DV_OK)
      break;
    st = calibrate_point(cfg, &d, &cs, c->objective, max_nodes_for(&d), &c->layout, &points[p],
                         paired + (p - c->lo) * c->layout.width, err);
    grid_design_free(&d);
    if (tty)
      fprintf(stderr, "\rdoseval calibrate: point %zu of %zu", p - c->lo + 1, c->hi - c->lo);
  }
  if (tty)
    fprintf(stderr, "\n");
  calib_scenarios_free(&cs);
  return st;
}

static void default_out(const char *config_path, char *buf, size_t len) {
  char stem[4096];
  cli_default_out(config_path, stem, sizeof stem);
  snprintf(buf, len, "%s-calibration", stem);
}

int cli_calibrate(int argc, char **argv) {
  const char *path = NULL, *out = NULL, *objective = "pcs", *shard = NULL;
  const char *grids[GRID_MAX_AXES];
  int n_grids = 0;
  double max_overdose = 0;
  bool has_max = false;
  cli_selection sel = {0};
  const cli_option opts[] = {
      CLI_OPTION_DESIGN(&sel, 1, "the design to calibrate (required)"),
      {"--grid", CLI_LIST, grids, NULL, "KEY=V1,V2,...",
       "an option of the design and its values (repeatable: the grid is the product)",
       GRID_MAX_AXES, &n_grids},
      {"--objective", CLI_WORD, &objective, NULL, "pcs",
       "what to maximise: pcs (default), pas, accuracy or pct_at_mtd", 0, NULL},
      {"--max-overdose", CLI_REAL, &max_overdose, &has_max, "X",
       "the best point treats at most X% of patients above the true MTD, on average", 0, NULL},
      {"--shard", CLI_WORD, &shard, NULL, "I/N",
       "only shard I of N (I = 0..N-1): points [P*I/N, P*(I+1)/N) of the P", 0, NULL},
      {"--out", CLI_DIR, &out, NULL, "DIR",
       "where to write (default results/<config stem>-calibration/)", 0, NULL},
      CLI_OPTION_END};
  cli_command cmd = {.name = "calibrate",
                     .about = calibrate_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = 1,
                     .arg = &path,
                     .select = &sel};
  config *cfg = NULL;
  int code;
  if (!cli_begin(&cmd, argc, argv, &cfg, &code))
    return code;
  if ((code = cli_one_design(&cmd, &sel, cfg)) != 0) {
    config_free(cfg);
    return code;
  }
  dv_error err = {0};
  char names[256], command_line[8192], dir[4096], shown[512];
  int m = calibration_objective(objective, names, sizeof names);
  uint64_t shard_i = 0, shard_n = 1;
  dv_status st = DV_OK;
  if (m < 0)
    st = error_set(&err, DV_EUSAGE, "--objective: '%s'; allowed: %s",
                   error_shown(objective, shown, sizeof shown), names);
  else if (has_max && !(max_overdose >= 0 && max_overdose <= 100))
    st = error_set(&err, DV_EUSAGE,
                   "--max-overdose: %g; allowed: 0 to 100 (percent of patients above the true "
                   "MTD, as pct_overdosed)",
                   max_overdose);
  else if (shard != NULL)
    st = parse_shard(shard, &shard_i, &shard_n, &err);
  grid g = {0};
  const config_design *base = &cfg->designs[0];
  if (st == DV_OK)
    st = grid_parse(&g, base, grids, n_grids, &err);
  /* every point is checked before any work: a bad one writes nothing */
  if (st == DV_OK)
    st = grid_check(&g, base, &err);
  if (out)
    snprintf(dir, sizeof dir, "%s", out);
  else
    default_out(path, dir, sizeof dir);
  if (st == DV_OK)
    st = atomic_writable(dir, &err);
  cli_command_line("calibrate", argc, argv, command_line, sizeof command_line);
  calib_point *points = NULL;
  double *paired = NULL;
  calibration c = {.cfg = cfg,
                   .design = base,
                   .g = &g,
                   .objective = (oc_metric)(m < 0 ? 0 : m),
                   .has_max_overdose = has_max,
                   .max_overdose = max_overdose,
                   .shard_i = shard_i,
                   .shard_n = shard_n,
                   .command_line = command_line};
  if (st == DV_OK) {
    calib_layout_init(&c.layout, cfg, g.n_points);
    calibration_shard(g.n_points, shard_i, shard_n, &c.lo, &c.hi);
  }
  if (st == DV_OK &&
      ((points = calloc(g.n_points, sizeof *points)) == NULL ||
       (paired = calloc((c.hi - c.lo) * c.layout.width + 1, sizeof *paired)) == NULL))
    st = error_set(&err, DV_ENOMEM, "out of memory");
  if (st == DV_OK) {
    c.points = points;
    c.paired = paired;
    st = run_points(cfg, &c, points, paired, &err);
  }
  if (st == DV_OK)
    st = calibration_write_set(&c, dir, &err);
  if (st == DV_OK && shard_n > 1 && c.lo == c.hi) {
    printf("shard %" PRIu64 "/%" PRIu64 ": no points (%zu points in %" PRIu64 " shards); %s/%s "
           "says so to `doseval merge`\n",
           shard_i, shard_n, g.n_points, shard_n, dir, CALIBRATION_PART_FILE);
  } else if (st == DV_OK && shard_n > 1) {
    printf("shard %" PRIu64 "/%" PRIu64 ": points %zu to %zu of %zu in %s/%s; `doseval merge` "
           "joins the shards\n",
           shard_i, shard_n, c.lo + 1, c.hi, g.n_points, dir, CALIBRATION_PART_FILE);
  } else if (st == DV_OK) {
    calibration_print_top(&c, stdout);
    printf("\ntable: %s/calibration.csv\nreport: %s/report.html\n", dir, dir);
  }
  code = st == DV_OK ? cli_stdout_checked("calibrate", 0) : cli_fail("calibrate", &err);
  free(paired);
  free(points);
  grid_free(&g);
  config_free(cfg);
  return code;
}

int cli_calibrate_merge(const char *const *paths, int n, const char *out,
                        const char *command_line) {
  dv_error err = {0};
  calibration_part *parts = calloc((size_t)n, sizeof *parts);
  dv_status st = parts == NULL ? error_set(&err, DV_ENOMEM, "out of memory") : DV_OK;
  for (int j = 0; j < n && st == DV_OK; j++)
    st = calibration_part_read(paths[j], &parts[j], &err);
  config *cfg = NULL;
  grid g = {0};
  calib_point *points = NULL;
  if (st == DV_OK)
    st = config_load_text(parts[0].config_path, parts[0].config_text, parts[0].config_len, &cfg,
                          &err);
  const char *design = st == DV_OK ? parts[0].design : NULL;
  if (st == DV_OK)
    st = config_select_designs(cfg, &design, 1, &err);
  if (st == DV_OK)
    st =
        grid_parse(&g, &cfg->designs[0], (const char *const *)parts[0].grid, parts[0].n_grid, &err);
  if (st == DV_OK && g.n_points != parts[0].n_points)
    st = error_set(&err, DV_ECONFIG, "%s: %zu points; its grid has %zu", paths[0],
                   parts[0].n_points, g.n_points);
  calib_layout layout = {0};
  double *paired = NULL;
  if (st == DV_OK) {
    calib_layout_init(&layout, cfg, g.n_points);
    if (layout.n_batches != parts[0].n_batches || layout.n_curves != parts[0].n_curves)
      st = error_set(&err, DV_ECONFIG,
                     "%s: paired rows of %d batches and %d curves; its config gives %d and %d; "
                     "allowed: the %s file a calibration writes, unchanged",
                     paths[0], parts[0].n_batches, parts[0].n_curves, layout.n_batches,
                     layout.n_curves, CALIBRATION_PART_FILE);
  }
  if (st == DV_OK && ((points = calloc(g.n_points, sizeof *points)) == NULL ||
                      (paired = calloc(g.n_points * layout.width + 1, sizeof *paired)) == NULL))
    st = error_set(&err, DV_ENOMEM, "out of memory");
  if (st == DV_OK)
    st = calibration_parts_join(parts, paths, n, points, paired, &err);
  if (st == DV_OK) {
    char names[256];
    calibration c = {.cfg = cfg,
                     .design = &cfg->designs[0],
                     .g = &g,
                     .objective =
                         (oc_metric)calibration_objective(parts[0].objective, names, sizeof names),
                     .has_max_overdose = parts[0].has_max_overdose,
                     .max_overdose = parts[0].max_overdose,
                     .shard_i = 0,
                     .shard_n = 1,
                     .lo = 0,
                     .hi = g.n_points,
                     .points = points,
                     .layout = layout,
                     .paired = paired,
                     .command_line = command_line};
    if ((int)c.objective < 0)
      st = error_set(&err, DV_ECONFIG, "%s: objective '%s'; allowed: %s", paths[0],
                     parts[0].objective, names);
    if (st == DV_OK)
      st = calibration_write_set(&c, out, &err);
    if (st == DV_OK) {
      calibration_print_top(&c, stdout);
      printf("\ntable: %s/calibration.csv\nreport: %s/report.html\n", out, out);
    }
  }
  int code = st == DV_OK ? cli_stdout_checked("merge", 0) : cli_fail("merge", &err);
  free(paired);
  free(points);
  grid_free(&g);
  config_free(cfg);
  for (int j = 0; parts != NULL && j < n; j++)
    calibration_part_free(&parts[j]);
  free(parts);
  return code;
}
