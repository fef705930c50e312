/* stat_registry.c — every design in the registry, alone and under each rule of the rules layer,
 * on one curve: the Monte Carlo engine agrees with the exact engine within 4 MCSE on every
 * selection probability, every stop_reason and the mean sample size (the MCSE rule of
 * support_within_4se; for the mean its own MCSE). A rule's invariant is checked exactly too:
 * under stop_at_n no trial treats more than its N. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support_sim.h"

#define TRIALS 20000

static const char *const rules[] = {
    "",
    ", rules: [{no_skip: {escalation: true, deescalation: true}}]",
    ", rules: [{stop_at_n: 12}]",
    ", rules: [{stop_when_n_at_dose: {n: 9, dose: recommended}}]",
    ", rules: [{stop_when_too_toxic: {dose: any, threshold: 0.3, confidence: 0.8}}]",
    ", rules: [{demand_n_at_dose: {n: 9, dose: recommended}}]",
};
#define N_RULES (int)(sizeof rules / sizeof rules[0])

static void check(const design_type *t) {
  char yaml[4096];
  int used = snprintf(yaml, sizeof yaml,
                      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, "
                      "max_n: 18}\nsimulation: {seed: 5}\ndesigns:\n");
  for (int r = 0; r < N_RULES; r++)
    used += snprintf(yaml + used, sizeof yaml - (size_t)used, "  - {name: R%d, type: %s%s%s%s}\n",
                     r, t->name, t->example ? ", " : "", t->example ? t->example : "", rules[r]);
  snprintf(yaml + used, sizeof yaml - (size_t)used,
           "scenarios:\n  - {name: s, p_tox: [0.12, 0.28, 0.45]}\n");
  config *cfg = support_config(yaml);
  oc_rows sim, ex;
  support_simulate(cfg, TRIALS, &sim);
  support_exact(cfg, &ex);
  for (size_t i = 0; i < ex.n; i++) {
    const oc_row *e = &ex.rows[i];
    if (e->column >= cfg->n_designs)
      continue;
    const char *name = ex.labels[e->column], *key = oc_catalogue[e->metric].key;
    const oc_row *s = support_row(&sim, 0, name, key, e->dose);
    if (e->metric == OC_SEL || e->metric == OC_STOP_REASON)
      cr_expect(support_within_4se(s->value, e->value, TRIALS),
                "%s %s (%s) %s/%d: simulated %.17g, exact %.17g", t->name, name, rules[e->column],
                key, e->dose, s->value, e->value);
    else if (e->metric == OC_N_MEAN)
      cr_expect(fabs(s->value - e->value) <= 4 * s->mcse + 1e-12,
                "%s %s n_mean: simulated %.4f (mcse %.4f), exact %.4f", t->name, name, s->value,
                s->mcse, e->value);
    else if (e->metric == OC_N_DIST && strcmp(name, "R2") == 0 && e->dose > 12)
      cr_expect_eq(e->value, 0.0, "%s under stop_at_n 12: P(N = %d) = %g", t->name, e->dose,
                   e->value);
  }
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  config_free(cfg);
}

Test(stat_registry, every_design_under_every_rule, .timeout = 120) {
  for (int i = 0; design_registry[i] != NULL; i++)
    check(design_registry[i]);
}
