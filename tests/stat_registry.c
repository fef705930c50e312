/* stat_registry.c — every design in the registry, alone and under each rule of the rules layer,
 * on one curve: the Monte Carlo engine agrees with the exact engine within 4 MCSE on every metric
 * of every design (support_agree_with_exact: selection, stop_reason, sample size, ...). A rule's
 * invariant is checked exactly too: under stop_at_n no trial treats more than its N. */
#include <criterion/criterion.h>

#include <stdio.h>

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

/* The designs of one config: t under rules [from, to). */
static config *config_of(const design_type *t, int from, int to) {
  char yaml[4096];
  int used = snprintf(yaml, sizeof yaml,
                      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, "
                      "max_n: 18}\nsimulation: {seed: 5}\ndesigns:\n");
  for (int r = from; r < to; r++)
    used += snprintf(yaml + used, sizeof yaml - (size_t)used, "  - {name: R%d, type: %s%s%s%s}\n",
                     r, t->name, t->example ? ", " : "", t->example ? t->example : "", rules[r]);
  /* p_eff for the designs that read responses (the others ignore it) */
  snprintf(yaml + used, sizeof yaml - (size_t)used,
           "scenarios:\n  - {name: s, p_tox: [0.12, 0.28, 0.45], p_eff: [0.2, 0.45, 0.5]}\n");
  return support_config(yaml);
}

static void check(const design_type *t) {
  /* every rule at once, on the same patients; a design that reads responses one rule at a time
   * (exact computes it alone: no paired chain with responses yet) */
  int step = t->reads_responses ? 1 : N_RULES;
  for (int from = 0; from < N_RULES; from += step) {
    config *cfg = config_of(t, from, from + step);
    cr_expect_gt(support_agree_with_exact(cfg, TRIALS, true), 10 * step, "%s", t->name);
    /* stop_at_n: 12 (rule 2) never treats more than 12 */
    if (from <= 2 && 2 < from + step) {
      oc_rows ex;
      support_exact(cfg, &ex);
      char name[8];
      snprintf(name, sizeof name, "R%d", 2);
      for (int n = 15; n <= 18; n += 3)
        cr_expect_eq(support_row(&ex, 0, name, "n_dist", n)->value, 0.0,
                     "%s under stop_at_n 12: P(N = %d) > 0", t->name, n);
      oc_rows_free(&ex);
    }
    config_free(cfg);
  }
}

Test(stat_registry, every_design_under_every_rule, .timeout = 120) {
  for (int i = 0; design_registry[i] != NULL; i++)
    check(design_registry[i]);
}
