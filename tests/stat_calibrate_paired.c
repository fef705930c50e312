/* stat_calibrate_paired.c — calibration's paired MCSE of a difference between two points (issue
 * 31; calib_paired_mcse, batch means over the points' shared trials) against an independent
 * truth: the exact joint law of the two designs on the same patients (src/engine/joint.c, which
 * sweeps both designs' states together under u_i < p_d).
 *
 * For pcs on one named scenario the per-trial difference D = 1{A right} - 1{B right} has
 * Var D = P(A right, B not) + P(B right, A not) - (pA - pB)^2, so the difference of the means of
 * T trials has variance Var D / T. Each seed gives one batch-means estimate of it (mcse^2); over R
 * seeds their mean must match Var D / T within 4 of its standard error, the spread of the R
 * estimates over sqrt(R). The differences themselves must average to pA - pB within 4 of
 * sqrt(Var D / (T R)). And pairing must pay: the paired MCSE is well below the two points' own
 * MCSEs combined as if independent (the designs select alike on most trials). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "calibrate.h"
#include "graph.h"
#include "joint.h"
#include "support_sim.h"

static const char yaml[] =
    "study: {name: t, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, max_n: 21, start_dose: 1}\n"
    "designs:\n"
    "  - {name: A, type: boin}\n"
    "  - {name: B, type: boin, p_saf: 0.12, p_tox: 0.48}\n"
    "scenarios:\n"
    "  - {name: s, p_tox: [0.12, 0.22, 0.32, 0.5]}\n"
    "simulation: {trials: 2000, seed: 1}\n";

#define SEEDS 40

Test(calibrate_paired, paired_mcse_matches_the_exact_joint_variance) {
  config *cfg = support_config(yaml);
  dv_error err = {0};
  /* the truth: the joint chain of A and B */
  graph *g[2];
  joint_design *jd[2];
  for (int j = 0; j < 2; j++) {
    cr_assert_eq(graph_alloc(&g[j], &cfg->designs[j].policy, (size_t)1 << 22, &err), DV_OK);
    cr_assert_eq(joint_design_alloc(&jd[j], g[j], cfg->designs[j].name, &err), DV_OK, "%s",
                 err.msg);
  }
  config_scenario sc;
  config_scenario_at(cfg, 0, &sc);
  joint_result jr;
  cr_assert_eq(joint_sweep(jd[0], jd[1], sc.p_tox, sc.true_mtd, JOINT_MAX_STATES, &jr, &err), DV_OK,
               "%s", err.msg);
  double pa = jr.sel_a[sc.true_mtd], pb = jr.sel_b[sc.true_mtd];
  double var_d = jr.a_right_b_not + jr.b_right_a_not - (pa - pb) * (pa - pb);
  double t = (double)cfg->trials, want = var_d / t;
  cr_assert(jr.a_right_b_not + jr.b_right_a_not < 0.5 * (pa + pb),
            "the two designs should mostly agree (%g, %g)", jr.a_right_b_not, jr.b_right_a_not);

  calib_layout l;
  calib_layout_init(&l, cfg, 2);
  cr_assert(l.n_batches == 100 && l.n_curves == 0);
  double *row[2] = {calloc(l.width, sizeof(double)), calloc(l.width, sizeof(double))};
  calib_scenarios cs;
  cr_assert_eq(calib_scenarios_init(&cs, cfg, &err), DV_OK);
  double v[SEEDS], diff_sum = 0.0, unpaired = 0.0;
  for (int r = 0; r < SEEDS; r++) {
    cfg->seed = 1000 + (uint64_t)r;
    calib_point pt[2];
    for (int j = 0; j < 2; j++) /* a graph bound of one node: simulated */
      cr_assert_eq(calibrate_point(cfg, &cfg->designs[j], &cs, OC_PCS, 1, &l, &pt[j], row[j], &err),
                   DV_OK, "%s", err.msg);
    cr_assert(!pt[0].exact && !pt[1].exact);
    double m = calib_paired_mcse(&l, row[0], row[1]);
    v[r] = m * m;
    diff_sum += pt[0].objective - pt[1].objective;
    unpaired += sqrt(pt[0].objective_mcse * pt[0].objective_mcse +
                     pt[1].objective_mcse * pt[1].objective_mcse) /
                SEEDS;
  }
  double mean = 0.0, ss = 0.0;
  for (int r = 0; r < SEEDS; r++)
    mean += v[r] / SEEDS;
  for (int r = 0; r < SEEDS; r++)
    ss += (v[r] - mean) * (v[r] - mean);
  double se = sqrt(ss / (SEEDS - 1) / SEEDS);
  cr_assert(fabs(mean - want) <= 4 * se,
            "paired variance: batch means %.4g (se %.2g), exact joint %.4g (pA %.4f, pB %.4f)",
            mean, se, want, pa, pb);
  /* the estimate's own spread: about sqrt(2 / (B - 1)) of it, as batch means with 99 degrees of
   * freedom give (a loose check that the spread above is what it should be, not inflated) */
  cr_assert(sqrt(ss / (SEEDS - 1)) < 3 * sqrt(2.0 / 99) * want, "spread %g of %g",
            sqrt(ss / (SEEDS - 1)), want);
  double diff = diff_sum / SEEDS;
  cr_assert(fabs(diff - (pa - pb)) <= 4 * sqrt(want / SEEDS), "difference %.5f, exact %.5f", diff,
            pa - pb);
  cr_assert(sqrt(want) < 0.5 * unpaired, "paired %g against unpaired %g", sqrt(want), unpaired);
  free(row[0]);
  free(row[1]);
  calib_scenarios_free(&cs);
  for (int j = 0; j < 2; j++) {
    joint_design_free(jd[j]);
    graph_free(g[j]);
  }
  config_free(cfg);
}
