/* test_calibrate.c — the calibration grid (src/study/grid.c), one point's evaluation
 * (src/engine/calibrate.c) and the shard file (src/results/calibration.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate.h"
#include "calibration.h"
#include "grid.h"
#include "support_sim.h"

static const char yaml[] =
    "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 18, start_dose: 1}\n"
    "designs:\n"
    "  - {name: B, type: boin, cutoff_eli: 0.95,\n"
    "     rules: [{stop_when_n_at_dose: {n: 9, dose: recommended}}, {stop_at_n: 15}]}\n"
    "  - {name: C, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
    "scenarios:\n"
    "  - {name: a, p_tox: [0.1, 0.3, 0.5]}\n"
    "  - {name: b, p_tox: [0.3, 0.45, 0.6]}\n"
    "  - {name: c, p_tox: [0.05, 0.1, 0.3]}\n"
    "random_scenarios: {count: 5, method: pseudo-uniform}\n"
    "simulation: {trials: 4000, seed: 7}\n";

static dv_status parse(config *cfg, int design, grid *g, const char *a, const char *b,
                       dv_error *err) {
  const char *specs[2] = {a, b};
  return grid_parse(g, &cfg->designs[design], specs, b ? 2 : 1, err);
}

Test(grid, points_in_order_first_axis_slowest) {
  config *cfg = support_config(yaml);
  grid g;
  dv_error err = {0};
  cr_assert_eq(parse(cfg, 0, &g, "cutoff_eli=0.9,0.95", "stop_when_n_at_dose.n=6,9,12", &err),
               DV_OK, "%s", err.msg);
  cr_assert_eq(g.n_points, 6);
  char buf[256];
  grid_point_text(&g, 4, buf, sizeof buf);
  cr_assert_str_eq(buf, "cutoff_eli=0.95, stop_when_n_at_dose.n=9");
  cr_assert_eq(grid_value_index(&g, 4, 0), 1);
  cr_assert_eq(grid_value_index(&g, 4, 1), 1);
  cr_assert_eq(grid_check(&g, &cfg->designs[0], &err), DV_OK, "%s", err.msg);
  /* the point's design holds the point's values; the base keeps its own */
  config_design d;
  cr_assert_eq(grid_design(&g, &cfg->designs[0], 5, &d, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(d.rules[0].n, 12);
  cr_assert_eq(cfg->designs[0].rules[0].n, 9);
  cr_assert_eq(d.policy.rules[0].n, 12, "the policy wraps the point's rule");
  grid_design_free(&d);
  grid_free(&g);
  /* a rule with one value by its name alone */
  cr_assert_eq(parse(cfg, 0, &g, "stop_at_n=12,15", NULL, &err), DV_OK, "%s", err.msg);
  grid_free(&g);
  config_free(cfg);
}

static void refused(const char *a, const char *b, int design, dv_status code, const char *part) {
  config *cfg = support_config(yaml);
  grid g;
  dv_error err = {0};
  dv_status st = parse(cfg, design, &g, a, b, &err);
  if (st == DV_OK)
    st = grid_check(&g, &cfg->designs[design], &err);
  cr_assert_eq(st, code, "%s %s: %d (%s)", a, b ? b : "", st, err.msg);
  cr_assert(strstr(err.msg, part) != NULL, "'%s' lacks '%s'", err.msg, part);
  grid_free(&g);
  config_free(cfg);
}

Test(grid, bad_specs_are_refused_naming_what_is_allowed) {
  refused("foo=1", NULL, 0, DV_EUSAGE, "allowed: one of p_saf");
  refused("foo=1", NULL, 0, DV_EUSAGE, "stop_when_n_at_dose.n");
  refused("cutoff_eli", NULL, 0, DV_EUSAGE, "KEY=V1,V2");
  refused("cutoff_eli=0.9,,1", NULL, 0, DV_EUSAGE, "empty value");
  refused("cutoff_eli=0.9,0.9", NULL, 0, DV_EUSAGE, "twice");
  refused("cutoff_eli=0.9", "cutoff_eli=0.8", 0, DV_EUSAGE, "given twice");
  refused("skeleton=0.1", NULL, 1, DV_EUSAGE, "list-valued");
  refused("cutoff_eli=0.9,1.5", NULL, 0, DV_ECONFIG,
          "point 2 of 2 (cutoff_eli=1.5) of design 'B': cutoff_eli: 1.5; allowed:");
  refused("stop_when_n_at_dose.n=6,x", NULL, 0, DV_ECONFIG,
          "point 2 of 2 (stop_when_n_at_dose.n=x) of design 'B': stop_when_n_at_dose.n:");
  refused("skeleton.halfwidth=0.05,0.4", "skeleton.prior_mtd=1", 1, DV_ECONFIG,
          "point 2 of 2 (skeleton.halfwidth=0.4, skeleton.prior_mtd=1)");
  refused("skeleton.prior_mtd=1,4", NULL, 1, DV_ECONFIG, "skeleton.prior_mtd: 4; allowed");
}

/* The same point exactly and simulated (a graph bound of one node forces simulation): the
 * simulated mean is within 4 of its MCSE of the exact one. The MCSE here holds the curves'
 * spread; the named scenarios' part alone is checked against the exact value too. */
Test(calibrate, simulated_point_agrees_with_exact) {
  config *cfg = support_config(yaml);
  grid g;
  dv_error err = {0};
  cr_assert_eq(parse(cfg, 0, &g, "cutoff_eli=0.9", NULL, &err), DV_OK, "%s", err.msg);
  config_design d;
  cr_assert_eq(grid_design(&g, &cfg->designs[0], 0, &d, &err), DV_OK, "%s", err.msg);
  calib_scenarios cs;
  cr_assert_eq(calib_scenarios_init(&cs, cfg, &err), DV_OK);
  cr_assert_eq(cs.n, 8);
  calib_point ex, sim;
  calib_layout l;
  calib_layout_init(&l, cfg, 1);
  cr_assert(l.n_batches == 100 && l.n_curves == 5 && l.width == 105);
  double *ex_row = calloc(l.width, sizeof *ex_row), *sim_row = calloc(l.width, sizeof *sim_row);
  cr_assert_eq(calibrate_point(cfg, &d, &cs, OC_PCS, (size_t)1 << 22, &l, &ex, ex_row, &err), DV_OK,
               "%s", err.msg);
  cr_assert_eq(calibrate_point(cfg, &d, &cs, OC_PCS, 1, &l, &sim, sim_row, &err), DV_OK, "%s",
               err.msg);
  cr_assert(ex.exact && !sim.exact);
  /* the rows: an exact point's batches all hold the named scenarios' summed objective; a point
   * against itself differs by 0 with MCSE 0 */
  for (int b = 1; b < l.n_batches; b++)
    cr_assert_eq(ex_row[b], ex_row[0]);
  cr_assert_eq(calib_paired_mcse(&l, ex_row, ex_row), 0.0);
  cr_assert_eq(calib_paired_mcse(&l, sim_row, sim_row), 0.0);
  /* the simulated point's batches average (weighted by size: equal here) to its named sum, and
   * its per-curve objectives to the random block's mean */
  double named = 0.0, curves = 0.0;
  for (int b = 0; b < l.n_batches; b++)
    named += sim_row[b] / l.n_batches;
  for (int c = 0; c < l.n_curves; c++)
    curves += sim_row[l.n_batches + c];
  cr_assert_float_eq((named + curves) / 8, sim.objective, 1e-12);
  cr_assert(sim.objective_mcse > 0 && ex.objective_mcse > 0, "random curves: a spread");
  /* the simulation's own error of the mean: each scenario's binomial error, over 8 scenarios */
  double se = sqrt(8 * 0.25 / 4000.0) / 8;
  cr_assert(fabs(sim.objective - ex.objective) <= 4 * se, "%f vs %f", sim.objective, ex.objective);
  cr_assert(fabs(sim.p_stop - ex.p_stop) <= 4 * se, "%f vs %f", sim.p_stop, ex.p_stop);
  cr_assert(fabs(sim.n_mean - ex.n_mean) <= 4 * 18 * se, "%f vs %f", sim.n_mean, ex.n_mean);
  /* its MCSE is the curves' spread plus the simulation's: the two agree to the simulation's */
  cr_assert(fabs(sim.objective_mcse - ex.objective_mcse) <= 4 * se);
  free(ex_row);
  free(sim_row);
  grid_design_free(&d);
  calib_scenarios_free(&cs);
  grid_free(&g);
  config_free(cfg);
}

/* The shard file round-trips every number bit for bit, and a changed byte is refused. */
Test(calibration, shard_file_round_trip_and_checksum) {
  config *cfg = support_config(yaml);
  grid g;
  dv_error err = {0};
  cr_assert_eq(parse(cfg, 0, &g, "cutoff_eli=0.8,0.9,0.95", NULL, &err), DV_OK, "%s", err.msg);
  calib_point pts[3] = {{true, 0.1 / 3, 0, 12.5, 0.25, 15.0},
                        {false, 2.0 / 3, 1e-17, 1.0 / 7, 0.5, 16.25},
                        {true, 0.7, 0.125, 33, 0, 18}};
  char dir[] = "/tmp/doseval-calib-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  calibration c = {.cfg = cfg,
                   .design = &cfg->designs[0],
                   .g = &g,
                   .objective = OC_PCS,
                   .shard_i = 1,
                   .shard_n = 2,
                   .points = pts};
  calib_layout_init(&c.layout, cfg, 3);
  /* a past-the-bound grid keeps no rows */
  calib_layout big;
  calib_layout_init(&big, cfg, CALIB_MAX_PAIRED);
  cr_assert(big.width == 0 && isnan(calib_paired_mcse(&big, NULL, NULL)));
  double *rows = calloc(2 * c.layout.width, sizeof *rows); /* points 1 and 2 */
  for (size_t i = 0; i < 2 * c.layout.width; i++)
    rows[i] = (double)(i % 17) / 7.0 - 1e-300 * (double)i;
  c.paired = rows;
  calibration_shard(3, 1, 2, &c.lo, &c.hi);
  cr_assert_eq(c.lo, 1);
  cr_assert_eq(c.hi, 3);
  cr_assert_eq(calibration_write_set(&c, dir, &err), DV_OK, "%s", err.msg);
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, CALIBRATION_PART_FILE);
  calibration_part p;
  cr_assert_eq(calibration_part_read(path, &p, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(p.shard_i, 1);
  cr_assert_eq(p.lo, 1);
  cr_assert_eq(p.hi, 3);
  cr_assert_str_eq(p.design, "B");
  cr_assert_str_eq(p.grid[0], "cutoff_eli=0.8,0.9,0.95");
  for (int i = 0; i < 2; i++) {
    const calib_point *a = &p.points[i], *b = &pts[i + 1];
    cr_assert(a->exact == b->exact && a->objective == b->objective &&
                  a->objective_mcse == b->objective_mcse && a->pct_overdosed == b->pct_overdosed &&
                  a->p_stop == b->p_stop && a->n_mean == b->n_mean,
              "point %d bit for bit", i + 1);
  }
  cr_assert_eq(p.config_len, cfg->text_len);
  cr_assert_eq(p.width, c.layout.width);
  cr_assert(memcmp(p.paired, rows, 2 * c.layout.width * sizeof *rows) == 0,
            "the paired rows bit for bit");
  calibration_part_free(&p);
  free(rows);
  /* a shard writes no calibration.csv */
  snprintf(path, sizeof path, "%s/calibration.csv", dir);
  cr_assert_neq(access(path, F_OK), 0);
  /* one byte changed: refused by its checksum */
  snprintf(path, sizeof path, "%s/%s", dir, CALIBRATION_PART_FILE);
  FILE *fp = fopen(path, "r+b");
  fseek(fp, 40, SEEK_SET);
  int ch = fgetc(fp);
  fseek(fp, 40, SEEK_SET);
  fputc(ch == 'x' ? 'y' : 'x', fp);
  fclose(fp);
  err = (dv_error){0};
  cr_assert_eq(calibration_part_read(path, &p, &err), DV_ECONFIG);
  cr_assert(strstr(err.msg, "checksum") != NULL, "%s", err.msg);
  unlink(path);
  rmdir(dir);
  grid_free(&g);
  config_free(cfg);
}

Test(calibration, best_point_under_max_overdose) {
  config *cfg = support_config(yaml);
  grid g;
  dv_error err = {0};
  cr_assert_eq(parse(cfg, 0, &g, "cutoff_eli=0.8,0.9,0.95", NULL, &err), DV_OK, "%s", err.msg);
  calib_point pts[3] = {
      {true, 0.5, 0, 20, 0, 15}, {true, 0.7, 0, 35, 0, 15}, {true, 0.6, 0, 25, 0, 15}};
  calibration c = {.cfg = cfg,
                   .design = &cfg->designs[0],
                   .g = &g,
                   .objective = OC_PCS,
                   .shard_n = 1,
                   .lo = 0,
                   .hi = 3,
                   .points = pts};
  cr_assert_eq(calibration_best(&c), 1);
  c.has_max_overdose = true;
  c.max_overdose = 30;
  cr_assert_eq(calibration_best(&c), 2);
  c.max_overdose = 25;
  cr_assert_eq(calibration_best(&c), 2, "at most: 25 qualifies");
  c.max_overdose = 10;
  cr_assert_eq(calibration_best(&c), -1);
  char names[128];
  cr_assert_eq(calibration_objective("pcs", names, sizeof names), OC_PCS);
  cr_assert_eq(calibration_objective("p_stop", names, sizeof names), -1);
  cr_assert(strstr(names, "pas") != NULL, "%s", names);
  grid_free(&g);
  config_free(cfg);
}
