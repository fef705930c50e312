/* test_trial.c — the Monte Carlo loop: counts do not depend on how trials are split (what ranks
 * do), common random numbers survive adding a design with a larger max_n, and the tolerance rule
 * gives the certain outcomes at p = 0 and p = 1. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_sim.h"
#include "trial.h"

static const char *base =
    "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
    "scenarios:\n"
    "  - {name: a, p_tox: [0.1, 0.25, 0.4]}\n"
    "  - {name: certain, p_tox: [1, 1, 1]}\n"
    "  - {name: never, p_tox: [0, 0, 0]}\n"
    "simulation: {seed: 99}\n";

static uint64_t *simulate_split(const config *cfg, const oc_layout *l, uint64_t trials, int parts) {
  uint64_t *counts = calloc(l->total, sizeof *counts);
  trial_sim *ts = NULL;
  dv_error err = {0};
  cr_assert_eq(trial_sim_alloc(&ts, cfg, l, 1 << 16, &err), DV_OK);
  for (int s = 0; s < cfg->n_scenarios; s++)
    for (int p = 0; p < parts; p++)
      trial_sim_run(ts, s, trials * (uint64_t)p / (uint64_t)parts,
                    trials * (uint64_t)(p + 1) / (uint64_t)parts,
                    counts + (size_t)s * l->scenario_size);
  trial_sim_free(ts);
  return counts;
}

Test(trial, counts_do_not_depend_on_the_split) {
  char yaml[1024];
  snprintf(yaml, sizeof yaml,
           "%sdesigns: [{name: A, type: threeplusthree}, {name: B, type: boin}]\n", base);
  config *cfg = support_config(yaml);
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *one = simulate_split(cfg, &l, 5003, 1), *seven = simulate_split(cfg, &l, 5003, 7);
  cr_expect(memcmp(one, seven, l.total * sizeof *one) == 0);
  free(one);
  free(seven);
  config_free(cfg);
}

Test(trial, a_larger_max_n_elsewhere_leaves_a_design_s_numbers_alone) {
  char small[1024], large[1024];
  snprintf(small, sizeof small, "%sdesigns: [{name: A, type: threeplusthree}]\n", base);
  snprintf(large, sizeof large,
           "%sdesigns: [{name: A, type: threeplusthree}, {name: B, type: boin, max_n: 60}]\n",
           base);
  config *a = support_config(small), *b = support_config(large);
  oc_rows ra, rb;
  support_simulate(a, 3000, &ra);
  support_simulate(b, 3000, &rb);
  int same = 0;
  for (size_t i = 0; i < ra.n; i++) {
    const oc_row *x = &ra.rows[i];
    if (strcmp(ra.labels[x->column], "A") != 0)
      continue;
    const char *key = oc_catalogue[x->metric].key;
    const oc_row *y = support_row(&rb, x->scenario, "A", key, x->dose);
    cr_expect(x->value == y->value && x->mcse == y->mcse, "%s/%d differs", key, x->dose);
    same++;
  }
  cr_expect_gt(same, 30);
  oc_rows_free(&ra);
  oc_rows_free(&rb);
  config_free(a);
  config_free(b);
}

Test(trial, certain_outcomes) {
  char yaml[1024];
  snprintf(yaml, sizeof yaml, "%sdesigns: [{name: A, type: threeplusthree}]\n", base);
  config *cfg = support_config(yaml);
  oc_rows r;
  support_simulate(cfg, 500, &r);
  /* every patient has a DLT: stop at dose 1 after 3 patients, no MTD */
  cr_expect_eq(support_row(&r, 1, "A", "sel", 0)->value, 1.0);
  cr_expect_eq(support_row(&r, 1, "A", "n_mean", -1)->value, 3.0);
  /* nobody has a DLT: 3, 3, then 6 at the top, MTD 3 */
  cr_expect_eq(support_row(&r, 2, "A", "sel", 3)->value, 1.0);
  cr_expect_eq(support_row(&r, 2, "A", "n_mean", -1)->value, 12.0);
  cr_expect_eq(support_row(&r, 2, "A", "dlt_mean", -1)->value, 0.0);
  oc_rows_free(&r);
  config_free(cfg);
}
