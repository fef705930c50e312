/* stat_validation.c — every metric of the Monte Carlo engine agrees with the exact engine within
 * 4 MCSE, for every design on 3- and 5-dose curves (all-safe and all-toxic included); the exact
 * selection probabilities sum to 1 within 1e-12.
 *
 * MCSE rule: for a probability the binomial MCSE at the exact value, sqrt(q(1-q)/T) (with the
 * exact binomial tail at the same level for rare events: support_within_4se); for a mean
 * the larger of the simulation's own MCSE and, when the simulation saw no variation at all, the
 * bound sqrt(M E[X] / T) that holds for any X in [0, M] (Var X <= M E X). The sd of N is
 * checked by its delta-method MCSE, or through the variance with the same bound. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "support_sim.h"

#define TRIALS 20000

static const char *designs =
    "designs:\n"
    "  - {name: \"3+3\", type: threeplusthree}\n"
    "  - {name: \"3+3 no de-escalation\", type: threeplusthree, deescalate: false}\n"
    "  - {name: BOIN, type: boin}\n"
    "  - {name: BOIN safe, type: boin, extrasafe: true, n_earlystop: 12, bound_mtd: true}\n"
    "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}, stop_toxic: 0.9}\n";

/* a second CRM per study: logistic, explicit skeleton, no no_skip, n_stop */
static const char *crm_three =
    "  - {name: CRM logistic, type: crm, model: logistic, no_skip: false, n_stop: 12,\n"
    "     skeleton: [0.15, 0.3, 0.45]}\n";
static const char *crm_five =
    "  - {name: CRM logistic, type: crm, model: logistic, no_skip: false, n_stop: 12,\n"
    "     skeleton: [0.05, 0.1, 0.2, 0.3, 0.45]}\n";

static const char *three_doses =
    "study: {name: three, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
    "scenarios:\n"
    "  - {name: mtd3, p_tox: [0.05, 0.12, 0.30]}\n"
    "  - {name: mtd2, p_tox: [0.12, 0.30, 0.45]}\n"
    "  - {name: mtd1, p_tox: [0.30, 0.45, 0.60]}\n"
    "  - {name: safe, p_tox: [0.02, 0.05, 0.08]}\n"
    "  - {name: toxic, p_tox: [0.55, 0.65, 0.75]}\n"
    "simulation: {seed: 11}\n";

static const char *five_doses =
    "study: {name: five, doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30}\n"
    "scenarios:\n"
    "  - {name: mtd4, p_tox: [0.03, 0.08, 0.15, 0.25, 0.40]}\n"
    "  - {name: mtd2, p_tox: [0.10, 0.25, 0.40, 0.55, 0.70]}\n"
    "  - {name: safe, p_tox: [0.01, 0.02, 0.04, 0.06, 0.08]}\n"
    "  - {name: toxic, p_tox: [0.45, 0.55, 0.65, 0.75, 0.85]}\n"
    "simulation: {seed: 12}\n";

static void validate(const char *study, const char *more_designs) {
  char yaml[4096];
  snprintf(yaml, sizeof yaml, "%s%s%s", study, designs, more_designs);
  config *cfg = support_config(yaml);
  cr_expect_gt(support_agree_with_exact(cfg, TRIALS, false), 100);
  config_free(cfg);
}

Test(stat_validation, three_doses, .timeout = 300) { validate(three_doses, crm_three); }
Test(stat_validation, five_doses, .timeout = 300) { validate(five_doses, crm_five); }

/* No true MTD (SPEC section 8): every dose at or above too_toxic (0.33 here), so stopping is the
 * correct selection, and pas counts it with the doses inside [0.2, 0.34] (dose 1 of "edge").
 * The simulation's pas and pcs against exact's, by the rule above; exact's
 * pas is its selection's sum over the acceptable outcomes and its pcs is P(stop). */
Test(stat_validation, no_true_mtd, .timeout = 300) {
  char yaml[4096];
  snprintf(yaml, sizeof yaml,
           "study: {name: none, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21,\n"
           "        too_toxic: 0.33, acceptable: [0.2, 0.34]}\n"
           "scenarios:\n"
           "  - {name: edge, p_tox: [0.34, 0.5, 0.6]}\n"
           "  - {name: toxic, p_tox: [0.5, 0.6, 0.7]}\n"
           "simulation: {seed: 14}\n%s%s",
           designs, crm_three);
  config *cfg = support_config(yaml);
  cr_expect_gt(support_agree_with_exact(cfg, TRIALS, false), 100);
  oc_rows sim, ex;
  support_simulate(cfg, TRIALS, &sim);
  support_exact(cfg, &ex);
  for (int s = 0; s < 2; s++) {
    const char *where = ex.scenarios[s].name;
    cr_assert_eq(ex.scenarios[s].true_mtd, 0, "%s has a true MTD", where);
    for (int j = 0; j < cfg->n_designs; j++) {
      const char *d = cfg->designs[j].name;
      double stop = support_row(&ex, s, d, "sel", 0)->value;
      double pas = stop + (s == 0 ? support_row(&ex, s, d, "sel", 1)->value : 0);
      cr_expect_float_eq(support_row(&ex, s, d, "pas", -1)->value, pas, 1e-15, "%s/%s", where, d);
      cr_expect_float_eq(support_row(&ex, s, d, "pcs", -1)->value, stop, 1e-15, "%s/%s", where, d);
      double mc = support_row(&sim, s, d, "pas", -1)->value;
      cr_expect(support_within_4se(mc, pas, TRIALS), "%s/%s: pas simulated %.5f, exact %.5f", where,
                d, mc, pas);
    }
  }
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  config_free(cfg);
}
