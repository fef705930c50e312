/* test_graph.c — the memoised decision graph: memoisation, the engine's max_n rule, and the
 * memory bound (past it a walk calls the design directly and gets the same answers). */
#include <criterion/criterion.h>
#include <string.h>

#include "graph.h"
#include "support_sim.h"

static const char *study =
    "study: {name: g, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
    "designs:\n"
    "  - {name: A, type: threeplusthree}\n"
    "  - {name: B, type: boin}\n"
    "scenarios: [{name: s, p_tox: [0.1, 0.2, 0.3]}]\n";

/* A fixed pseudo-random path of cohort outcomes (a small LCG: any sequence will do). */
static int outcome(uint32_t *x, int c) {
  *x = *x * 1664525u + 1013904223u;
  return (int)((*x >> 16) % (uint32_t)(c + 1));
}

static void walk(graph *g, uint32_t seed, design_state *final, design_action *last) {
  graph_cursor cur;
  graph_start(g, &cur);
  while (!cur.action.stop)
    graph_step(g, &cur, outcome(&seed, 3));
  *final = cur.state;
  *last = cur.action;
}

Test(graph, bounded_graph_gives_the_same_answers) {
  config *cfg = support_config(study);
  dv_error err = {0};
  for (int j = 0; j < cfg->n_designs; j++) {
    const config_design *d = &cfg->designs[j];
    graph *big = NULL, *tiny = NULL;
    cr_assert_eq(graph_alloc(&big, &d->policy, 100000, &err), DV_OK);
    cr_assert_eq(graph_alloc(&tiny, &d->policy, 3, &err), DV_OK);
    for (uint32_t t = 0; t < 2000; t++) {
      design_state a, b;
      design_action x, y;
      walk(big, t, &a, &x);
      walk(tiny, t, &b, &y);
      cr_assert(memcmp(&a, &b, sizeof a) == 0 && x.stop == y.stop && x.dose == y.dose,
                "%s: trial %u differs", d->name, t);
    }
    cr_expect_eq(graph_size(tiny), 3);
    cr_expect_gt(graph_size(big), 3);
    graph_free(big);
    graph_free(tiny);
  }
  config_free(cfg);
}

Test(graph, equal_states_are_one_node) {
  config *cfg = support_config(study);
  const config_design *d = &cfg->designs[1]; /* BOIN: 1 DLT then 0, or 0 then 1, meet */
  dv_error err = {0};
  graph *g = NULL;
  cr_assert_eq(graph_alloc(&g, &d->policy, 1000, &err), DV_OK);
  graph_cursor a, b;
  graph_start(g, &a);
  graph_step(g, &a, 0); /* 0/3 at 1 -> escalate to 2 */
  graph_step(g, &a, 1); /* 1/3 at 2 -> stay */
  graph_start(g, &b);
  graph_step(g, &b, 0);
  graph_step(g, &b, 1);
  cr_expect_eq(a.node, b.node);
  cr_expect_eq(graph_size(g), 3);
  graph_free(g);
  config_free(cfg);
}

Test(graph, trials_end_before_a_cohort_would_pass_max_n) {
  config *cfg = support_config(study);
  const config_design *d = &cfg->designs[1];
  dv_error err = {0};
  graph *g = NULL;
  cr_assert_eq(graph_alloc(&g, &d->policy, 1000, &err), DV_OK);
  graph_cursor c;
  graph_start(g, &c);
  int cohorts = 0;
  while (!c.action.stop) {
    graph_step(g, &c, 1); /* 1 of 3 every time: BOIN keeps treating */
    cohorts++;
  }
  cr_expect_eq(cohorts, 7, "21 patients in cohorts of 3, got %d cohorts", cohorts);
  cr_expect_eq(design_total_n(&c.state, 3), 21);
  graph_free(g);
  config_free(cfg);
}

Test(graph, the_exact_bound_says_use_run) {
  config *cfg = support_config(study);
  const config_design *d = &cfg->designs[1];
  dv_error err = {0};
  graph *g = NULL;
  cr_assert_eq(graph_alloc(&g, &d->policy, 4, &err), DV_OK);
  int32_t root, child;
  cr_assert_eq(graph_root(g, &root, &err), DV_OK);
  dv_status st = DV_OK;
  for (int y = 0; y <= 3 && st == DV_OK; y++)
    st = graph_child(g, root, y, &child, &err);
  for (int y = 0; y <= 3 && st == DV_OK; y++)
    st = graph_child(g, 1, y, &child, &err);
  cr_expect_eq(st, DV_ETOOBIG);
  cr_expect(strstr(err.msg, "doseval run") != NULL, "%s", err.msg);
  graph_free(g);
  config_free(cfg);
}
