/* test_trial.c — the Monte Carlo loop: counts do not depend on how trials are split (what ranks
 * do) nor on the graphs' memory bound (past it a walk leaves the graph, and the loop's own tables
 * for the first 2^16 nodes of each graph), common random numbers survive adding a design with a
 * larger max_n, the tolerance rule gives the certain outcomes at p = 0 and p = 1, and with up to
 * 12 designs and past 12 the counters are those of counting trial by trial from the rule. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "graph.h"
#include "rng.h"
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
  return support_simulate_counts(cfg, l, trials, parts, 1 << 16);
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

/* The loop's fast road (its walk table and per-leaf tallies, for the first 2^16 nodes of a graph)
 * and its other roads (the graph's own walk past them; the design itself once a graph is full)
 * count the same integers. Designs with cohorts of 1 to 4 and their own max_n; scenarios with
 * p = 0, p = 1, tied p, and p closer than 2^-8 (whose DLT words are found by counting bins);
 * graphs bounded at 20 nodes (full almost at once), 300 and 2^20, and for the 8-dose study below
 * (cohorts of 1) at 2^17, past the tables' 2^16 nodes, and 2^10. */
Test(trial, counts_do_not_depend_on_the_graph_bound) {
  const char *yaml =
      "study: {name: t, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, max_n: 24}\n"
      "designs:\n"
      "  - {name: A, type: threeplusthree}\n"
      "  - {name: B, type: boin, cohort_size: 2, max_n: 30}\n"
      "  - {name: C, type: mtpi2, cohort_size: 1, max_n: 12, start_dose: 2}\n"
      "  - {name: D, type: keyboard, cohort_size: 4, max_n: 40}\n"
      "scenarios:\n"
      "  - {name: a, p_tox: [0.1, 0.25, 0.4, 0.55]}\n"
      "  - {name: edges, p_tox: [0, 0, 1, 1]}\n"
      "  - {name: tied, p_tox: [0.3, 0.3, 0.3, 0.5]}\n"
      "  - {name: close, p_tox: [0.1, 0.3, 0.301, 0.5]}\n"
      "simulation: {seed: 5}\n";
  config *cfg = support_config(yaml);
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *roomy = support_simulate_counts(cfg, &l, 4000, 3, 1 << 20);
  const size_t bounds[] = {20, 300};
  for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
    uint64_t *tight = support_simulate_counts(cfg, &l, 4000, 3, bounds[i]);
    cr_expect(memcmp(roomy, tight, l.total * sizeof *roomy) == 0, "graph bound %zu", bounds[i]);
    free(tight);
  }
  free(roomy);
  config_free(cfg);

  const char *many =
      "study: {name: t, doses: [1, 2, 3, 4, 5, 6, 7, 8], target: 0.25, cohort_size: 1, "
      "max_n: 60}\n"
      "designs: [{name: B, type: boin}]\n"
      "scenarios: [{name: a, p_tox: [0.02, 0.05, 0.1, 0.16, 0.25, 0.4, 0.55, 0.7]}]\n"
      "simulation: {seed: 6}\n";
  cfg = support_config(many);
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *past = support_simulate_counts(cfg, &l, 6000, 2, 1 << 17),
           *full = support_simulate_counts(cfg, &l, 6000, 2, 1 << 10);
  cr_expect(memcmp(past, full, l.total * sizeof *past) == 0);
  free(past);
  free(full);
  config_free(cfg);
}

/* The paired terms, tallied by pairs of classes of leaves for the first TRIAL_PAIR_RANKS (128)
 * classes of a call and counted trial by trial past them, against counting every trial at once
 * (a graph bounded at 20 nodes is full at once, so its trials leave it). With cohorts of 1 and
 * max_n 40 a design ends 8192 trials in some hundreds of classes (n, DLTs, patients over the
 * MTD, selection), so both roads are taken. */
Test(trial, paired_tallies_past_the_class_table) {
  const char *yaml =
      "study: {name: t, doses: [1, 2, 3, 4, 5], target: 0.3, cohort_size: 1, max_n: 40}\n"
      "designs: [{name: B, type: boin}, {name: M, type: mtpi2}, {name: A, type: "
      "threeplusthree, cohort_size: 3, max_n: 30}]\n"
      "scenarios: [{name: a, p_tox: [0.05, 0.12, 0.22, 0.3, 0.45]}]\n"
      "simulation: {seed: 7}\n";
  config *cfg = support_config(yaml);
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *tallied = support_simulate_counts(cfg, &l, 8192, 1, 1 << 20),
           *alone = support_simulate_counts(cfg, &l, 8192, 1, 20);
  cr_expect(memcmp(tallied, alone, l.total * sizeof *tallied) == 0);
  free(tallied);
  free(alone);
  config_free(cfg);
}

/* The loop's counters for trials [0, trials) of scenario s, counted trial by trial from the rule
 * of the README's "Randomness" and SPEC section 7 alone: patient i's tolerance is output i of the
 * trial's segment and has a DLT at dose d iff it is below rng_uniform_threshold(p_d); each design
 * walks its own graph cohort by cohort (graph_step), the benchmark sees the first bench_n
 * patients, and every trial goes into the counters at once (oc_count, oc_count_shared) — none of
 * the loop's DLT words, walk tables, leaf tallies, class tables or sets of designs. */
static void count_one_by_one(const config *cfg, const oc_layout *l, int s, uint64_t trials,
                             uint64_t *counts) {
  config_scenario sc;
  config_scenario_at(cfg, s, &sc);
  int k = cfg->n_doses, np = config_patients_per_trial(cfg);
  uint64_t thr[DESIGN_MAX_DOSES];
  for (int d = 0; d < k; d++)
    thr[d] = rng_uniform_threshold(sc.p_tox[d]);
  graph *g[CONFIG_MAX_DESIGNS];
  dv_error err = {0};
  for (int j = 0; j < cfg->n_designs; j++)
    cr_assert_eq(graph_alloc(&g[j], &cfg->designs[j].policy, 1 << 20, &err), DV_OK, "%s", err.msg);
  for (uint64_t t = 0; t < trials; t++) {
    rng_pcg32 r;
    rng_for_trial(&r, cfg->seed, sc.stream, t, TRIAL_SEGMENT_LOG2);
    uint32_t x[DESIGN_MAX_N];
    for (int i = 0; i < np; i++)
      x[i] = rng_next(&r);
    oc_outcome o[CONFIG_MAX_DESIGNS];
    for (int j = 0; j < cfg->n_designs; j++) {
      graph_cursor cur;
      graph_start(g[j], &cur);
      int next = 0, c = cfg->designs[j].setup.cohort_size;
      while (!cur.action.stop) {
        int y = 0;
        for (int i = next; i < next + c; i++)
          y += x[i] < thr[cur.action.dose - 1];
        next += c;
        graph_step(g[j], &cur, y);
      }
      oc_outcome_of(&cur.state, k, sc.true_mtd, cur.action.dose, cur.action.reason, &o[j]);
      oc_count(l, counts, 0, j, sc.true_mtd, &cur.state, &o[j]);
    }
    int below[DESIGN_MAX_DOSES] = {0};
    for (int i = 0; i < l->bench_n; i++)
      for (int d = 0; d < k; d++)
        below[d] += x[i] < thr[d];
    int pick = benchmark_pick(below, k, l->bench_n, cfg->target);
    oc_count_shared(l, counts, 0, pick, sc.true_mtd, o);
    oc_count_trials(l, counts, 0, 1);
  }
  for (int j = 0; j < cfg->n_designs; j++)
    graph_free(g[j]);
}

/* Up to TRIAL_TALLIED_DESIGNS (12) designs the loop tallies trials by the set of designs that
 * found the MTD and each pair's by classes of leaves; past 12 it counts those terms trial by
 * trial. Both roads against count_one_by_one: the first 12 designs of the list, then all 14
 * (every type, cohorts of 1 to 4, their own max_n and start doses, and a rule). */
Test(trial, more_than_twelve_designs_count_as_one_by_one) {
  static const char *designs[] = {
      "{name: A, type: threeplusthree}",
      "{name: A2, type: threeplusthree, deescalate: false, start_dose: 2}",
      "{name: B, type: boin}",
      "{name: B2, type: boin, cohort_size: 2, max_n: 24}",
      "{name: B3, type: boin, extrasafe: true, rules: [{stop_when_n_at_dose: {n: 9, dose: "
      "recommended}}]}",
      "{name: C, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}",
      "{name: C2, type: crm, model: logistic, skeleton: [0.1, 0.2, 0.3, 0.45], cohort_size: 1, "
      "max_n: 15}",
      "{name: M, type: mtpi2}",
      "{name: M2, type: mtpi2, cohort_size: 1, max_n: 12, start_dose: 2}",
      "{name: K, type: keyboard}",
      "{name: K2, type: keyboard, cohort_size: 4, max_n: 28}",
      "{name: I, type: i3plus3}",
      "{name: I2, type: i3plus3, cohort_size: 2, max_n: 20}",
      "{name: B4, type: boin, max_n: 30}",
  };
  const int all = (int)(sizeof designs / sizeof designs[0]);
  cr_assert_gt(all, 12);
  const int sizes[] = {12, all};
  for (int v = 0; v < 2; v++) {
    char yaml[4096];
    int len = snprintf(yaml, sizeof yaml,
                       "study: {name: t, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, "
                       "max_n: 21}\n"
                       "scenarios:\n"
                       "  - {name: a, p_tox: [0.08, 0.2, 0.32, 0.5]}\n"
                       "  - {name: b, p_tox: [0.3, 0.45, 0.55, 0.7]}\n"
                       "simulation: {seed: 11}\n"
                       "designs:\n");
    for (int j = 0; j < sizes[v]; j++)
      len += snprintf(yaml + len, sizeof yaml - (size_t)len, "  - %s\n", designs[j]);
    cr_assert_lt(len, (int)sizeof yaml);
    config *cfg = support_config(yaml);
    oc_layout l;
    dv_error err = {0};
    cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK, "%s", err.msg);
    uint64_t *loop = support_simulate_counts(cfg, &l, 3000, 2, 1 << 20);
    uint64_t *ref = calloc(l.total, sizeof *ref);
    for (int s = 0; s < cfg->n_scenarios; s++)
      count_one_by_one(cfg, &l, s, 3000, ref + (size_t)s * l.scenario_size);
    size_t differ = 0, first = 0;
    for (size_t i = l.total; i-- > 0;)
      if (loop[i] != ref[i]) {
        differ++;
        first = i;
      }
    cr_expect_eq(differ, 0, "%d designs: %zu of %zu counters differ, the first at %zu (%lu vs %lu)",
                 sizes[v], differ, l.total, first, (unsigned long)loop[first],
                 (unsigned long)ref[first]);
    free(loop);
    free(ref);
    config_free(cfg);
  }
}
