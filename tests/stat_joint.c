/* stat_joint.c — the exact paired comparisons (src/engine/joint.c) against Monte Carlo: p_disagree
 * and pcs_diff of `exact` against the engine's simulation on common random numbers
 * (src/engine/trial.c), and P(A right, B not), P(B right, A not) and P(disagree) of the joint chain
 * against a Monte Carlo written here (each trial: the patients' tolerances from PCG32, every design
 * walks its graph on them); for designs of equal and of different cohort sizes, max_n and start
 * doses, on several curves, every pair.
 *
 * MCSE rule (as tests/stat_validation.c): a probability within 4 binomial MCSE at the exact value,
 * sqrt(q(1-q)/T), or the exact binomial tail at the same level for rare events
 * (support_within_4se); pcs_diff = P(A right, B not) - P(B right, A not) within 4 of its true
 * MCSE, bounded by sqrt((p_disagree - pcs_diff^2) / T) (support_agree_with_exact). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "graph.h"
#include "joint.h"
#include "rng.h"
#include "scenarios.h"
#include "support_sim.h"

#define TRIALS 100000
#define OWN_TRIALS 50000

static const char *equal_cohorts =
    "study: {name: equal, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
    "designs:\n"
    "  - {name: 3+3, type: threeplusthree}\n"
    "  - {name: BOIN, type: boin}\n"
    "  - {name: BOIN 24, type: boin, max_n: 24}\n"
    "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}, stop_toxic: 0.9}\n"
    "  - {name: CRM start 2, type: crm, start_dose: 2, skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
    "  - {name: i3+3, type: i3plus3}\n"
    "scenarios:\n"
    "  - {name: mtd1, p_tox: [0.30, 0.45, 0.60]}\n"
    "  - {name: mtd2, p_tox: [0.12, 0.30, 0.45]}\n"
    "  - {name: mtd3, p_tox: [0.05, 0.12, 0.30]}\n"
    "  - {name: flat, p_tox: [0.25, 0.25, 0.25]}\n"
    "simulation: {seed: 31}\n";

static const char *unequal_cohorts =
    "study: {name: unequal, doses: [1, 2, 3, 4], target: 0.25, cohort_size: 3, max_n: 24}\n"
    "designs:\n"
    "  - {name: 3+3, type: threeplusthree}\n"
    "  - {name: BOIN 2, type: boin, cohort_size: 2, max_n: 20}\n"
    "  - {name: CRM 4, type: crm, cohort_size: 4, max_n: 24, start_dose: 2,\n"
    "     skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
    "  - {name: mTPI-2 1, type: mtpi2, cohort_size: 1, max_n: 12}\n"
    "  - {name: Keyboard, type: keyboard, max_n: 18}\n"
    "scenarios:\n"
    "  - {name: mtd2, p_tox: [0.10, 0.25, 0.40, 0.55]}\n"
    "  - {name: mtd4, p_tox: [0.02, 0.06, 0.12, 0.25]}\n"
    "  - {name: dip, p_tox: [0.08, 0.35, 0.20, 0.50]}\n"
    "simulation: {seed: 32}\n";

/* The engine's simulation against `exact`: every metric (support_agree_with_exact), then the
 * pairs' p_disagree once more by name, so that a pair cannot slip through as NA. */
static void engine_agrees(const char *yaml) {
  config *cfg = support_config(yaml);
  cr_expect_gt(support_agree_with_exact(cfg, TRIALS, false), 100);
  oc_rows sim, ex;
  support_simulate(cfg, TRIALS, &sim);
  support_exact(cfg, &ex);
  int pairs = 0;
  for (int s = 0; s < cfg->n_scenarios; s++)
    for (int a = 0; a < cfg->n_designs; a++)
      for (int b = a + 1; b < cfg->n_designs; b++) {
        char pair[256];
        snprintf(pair, sizeof pair, "%s vs %s", cfg->designs[a].name, cfg->designs[b].name);
        const oc_row *e = support_row(&ex, s, pair, "p_disagree", -1);
        const oc_row *m = support_row(&sim, s, pair, "p_disagree", -1);
        cr_assert(e->has_value && m->has_value && e->mcse == 0);
        cr_expect(support_within_4se(m->value, e->value, TRIALS),
                  "%s/%s/p_disagree: simulated %.6f (mcse %.6f), exact %.6f", cfg->named[s].name,
                  pair, m->value, m->mcse, e->value);
        pairs++;
      }
  cr_log_info("%s: p_disagree of %d pairs", cfg->study_name, pairs);
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  config_free(cfg);
}

/* The joint chain's three numbers against trials simulated here. */
static void chain_agrees(const char *yaml, uint64_t seed) {
  config *cfg = support_config(yaml);
  int D = cfg->n_designs, n = config_patients_per_trial(cfg);
  cr_assert_leq(D, 8);
  graph *g[8];
  joint_design *jd[8];
  dv_error err = {0};
  for (int j = 0; j < D; j++) {
    cr_assert_eq(graph_alloc(&g[j], &cfg->designs[j].policy, (size_t)1 << 22, &err), DV_OK);
    cr_assert_eq(joint_design_alloc(&jd[j], g[j], cfg->designs[j].name, &err), DV_OK, "%s",
                 err.msg);
  }
  int compared = 0;
  for (int s = 0; s < cfg->n_scenarios; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    const double *p = sc.p_tox;
    int mtd = sc.true_mtd;
    uint64_t right_not[8][8] = {{0}}, differ[8][8] = {{0}};
    rng_pcg32 r;
    rng_seed(&r, seed, (uint64_t)s);
    for (int t = 0; t < OWN_TRIALS; t++) {
      double u[DESIGN_MAX_N];
      for (int i = 0; i < n; i++)
        u[i] = rng_uniform(&r);
      int sel[8];
      for (int j = 0; j < D; j++)
        sel[j] = support_walk(g[j], u, p);
      for (int a = 0; a < D; a++)
        for (int b = 0; b < D; b++) {
          right_not[a][b] += sel[a] == mtd && sel[b] != mtd;
          differ[a][b] += sel[a] != sel[b];
        }
    }
    for (int a = 0; a < D; a++)
      for (int b = a + 1; b < D; b++) {
        joint_result jr;
        cr_assert_eq(joint_sweep(jd[a], jd[b], p, mtd, JOINT_MAX_STATES, &jr, &err), DV_OK, "%s",
                     err.msg);
        const double got[3] = {(double)right_not[a][b] / OWN_TRIALS,
                               (double)right_not[b][a] / OWN_TRIALS,
                               (double)differ[a][b] / OWN_TRIALS};
        const double want[3] = {jr.a_right_b_not, jr.b_right_a_not, jr.disagree};
        const char *what[3] = {"A right, B not", "B right, A not", "disagree"};
        for (int i = 0; i < 3; i++) {
          cr_expect(support_within_4se(got[i], want[i], OWN_TRIALS),
                    "%s: %s vs %s: P(%s) simulated %.6f, exact %.6f", cfg->named[s].name,
                    cfg->designs[a].name, cfg->designs[b].name, what[i], got[i], want[i]);
          compared++;
        }
      }
  }
  cr_log_info("%s: %d joint probabilities compared", cfg->study_name, compared);
  for (int j = 0; j < D; j++) {
    joint_design_free(jd[j]);
    graph_free(g[j]);
  }
  config_free(cfg);
}

Test(stat_joint, engine_agrees_with_exact_on_equal_cohorts) { engine_agrees(equal_cohorts); }
Test(stat_joint, engine_agrees_with_exact_on_unequal_cohorts) { engine_agrees(unequal_cohorts); }
Test(stat_joint, joint_chain_agrees_with_own_simulation_on_equal_cohorts) {
  chain_agrees(equal_cohorts, 41);
}
Test(stat_joint, joint_chain_agrees_with_own_simulation_on_unequal_cohorts) {
  chain_agrees(unequal_cohorts, 42);
}
