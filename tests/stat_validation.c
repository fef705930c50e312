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
#include <math.h>
#include <stdio.h>
#include <string.h>

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

static bool is_probability(const char *metric) {
  return strcmp(metric, "sel") == 0 || strcmp(metric, "pcs") == 0 ||
         strcmp(metric, "n_dist") == 0 || strcmp(metric, "p_stop") == 0 ||
         strcmp(metric, "overdose60") == 0 || strcmp(metric, "overdose80") == 0 ||
         strcmp(metric, "bench_sel") == 0 || strcmp(metric, "stop_reason") == 0;
}

/* The largest value a per-trial quantity of this metric can take (for the mean bound). */
static double range_of(const char *metric, const config *cfg) {
  if (strncmp(metric, "pct_", 4) == 0)
    return 100;
  if (strcmp(metric, "pcs_diff") == 0 || strcmp(metric, "accuracy") == 0)
    return 2 * cfg->n_doses;
  return config_patients_per_trial(cfg);
}

static void validate(const char *study, const char *more_designs) {
  char yaml[4096];
  snprintf(yaml, sizeof yaml, "%s%s%s", study, designs, more_designs);
  config *cfg = support_config(yaml);
  oc_rows sim, ex;
  support_simulate(cfg, TRIALS, &sim);
  support_exact(cfg, &ex);
  int compared = 0;
  for (size_t i = 0; i < ex.n; i++) {
    const oc_row *e = &ex.rows[i];
    const char *key = oc_catalogue[e->metric].key, *name = ex.labels[e->column];
    const oc_row *s = support_row(&sim, e->scenario, name, key, e->dose);
    if (e->metric == OC_P_DISAGREE) { /* the exact engine has no joint law of two designs */
      cr_assert(!e->has_value && s->has_value);
      continue;
    }
    cr_assert_eq(e->has_value, s->has_value);
    cr_assert_eq(e->mcse, 0.0);
    if (!e->has_value || e->metric == OC_N_SD) /* an sd is not a mean: see below */
      continue;
    double se = s->mcse;
    if (se == 0)
      se = sqrt(range_of(key, cfg) * fabs(e->value) / TRIALS);
    bool ok = is_probability(key) ? support_within_4se(s->value, e->value, TRIALS)
                                  : fabs(s->value - e->value) <= 4 * se + 1e-12;
    cr_expect(ok, "%s/%s/%s/%d: simulated %.6f (mcse %.6f), exact %.6f",
              cfg->scenarios[e->scenario].name, name, key, e->dose, s->value, se, e->value);
    compared++;
  }
  /* n_sd: its own delta-method MCSE */
  for (size_t i = 0; i < ex.n; i++) {
    const oc_row *e = &ex.rows[i];
    if (e->metric != OC_N_SD)
      continue;
    const char *name = ex.labels[e->column];
    const oc_row *s = support_row(&sim, e->scenario, name, "n_sd", e->dose);
    double M = range_of("n_sd", cfg);
    if (s->mcse > 0) /* delta method */
      cr_expect(fabs(s->value - e->value) <= 4 * s->mcse + 1e-12, "%s/%s/n_sd: %.5f vs %.5f",
                cfg->scenarios[e->scenario].name, name, s->value, e->value);
    else /* no variation seen: the variance is a mean of (N - mu)^2 in [0, M^2] */
      cr_expect(fabs(s->value * s->value - e->value * e->value) <=
                    4 * M * e->value / sqrt(TRIALS) + 1e-12,
                "%s/%s/n_sd: %.5f vs %.5f", cfg->scenarios[e->scenario].name, name, s->value,
                e->value);
  }
  /* exact probabilities of each distribution sum to 1 */
  for (int sc = 0; sc < cfg->n_scenarios; sc++) {
    for (int j = 0; j < cfg->n_designs; j++) {
      double sel = 0, ndist = 0;
      for (int d = 0; d <= cfg->n_doses; d++)
        sel += support_row(&ex, sc, cfg->designs[j].name, "sel", d)->value;
      for (int n = 3; n <= cfg->designs[j].setup.max_n; n += 3)
        ndist += support_row(&ex, sc, cfg->designs[j].name, "n_dist", n)->value;
      cr_expect(fabs(sel - 1) < 1e-12, "%s: sel sums to %.15f", cfg->designs[j].name, sel);
      cr_expect(fabs(ndist - 1) < 1e-12, "%s: n_dist sums to %.15f", cfg->designs[j].name, ndist);
    }
    double bench = 0;
    for (int d = 1; d <= cfg->n_doses; d++)
      bench += support_row(&ex, sc, "benchmark", "bench_sel", d)->value;
    cr_expect(fabs(bench - 1) < 1e-12, "benchmark sums to %.15f", bench);
  }
  cr_log_info("%s: %d metrics compared", cfg->study_name, compared);
  cr_expect_gt(compared, 100);
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  config_free(cfg);
}

Test(stat_validation, three_doses, .timeout = 300) { validate(three_doses, crm_three); }
Test(stat_validation, five_doses, .timeout = 300) { validate(five_doses, crm_five); }
