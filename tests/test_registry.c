/* test_registry.c — every design in designs/registry.c, whatever it is: its table is well
 * formed (options, defaults in range, reasons), a config built from its `example` loads through
 * the product's loader, and its first decision treats at the start dose. A new design is
 * checked here without a line of this file changing. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "options.h"
#include "support_sim.h"

static config *config_of(const design_type *t, int start_dose) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "study: {name: t, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, max_n: 24,\n"
           "        start_dose: %d}\n"
           "designs:\n  - {name: D, type: %s%s%s}\n"
           "scenarios:\n  - {name: s, p_tox: [0.1, 0.2, 0.3, 0.45], p_eff: [0.2, 0.4, 0.5, 0.5]}\n",
           start_dose, t->name, t->example ? ", " : "", t->example ? t->example : "");
  return support_config(yaml);
}

Test(registry, every_table_is_well_formed) {
  int n = 0;
  for (int i = 0; design_registry[i] != NULL; i++, n++) {
    const design_type *t = design_registry[i];
    cr_assert(t->name && t->name[0] && t->title && t->title[0], "design %d: no name or title", i);
    cr_expect_eq(design_lookup(t->name), t, "%s: the registry finds another", t->name);
    cr_assert(t->configure && t->decide && t->select, "%s: a function is missing", t->name);
    cr_assert_not_null(t->options, "%s: no option table (an empty one is {NULL})", t->name);
    for (double target = 0.1; target < 0.65; target += 0.2) {
      design_setup setup = {
          .n_doses = 4, .cohort_size = 3, .max_n = 24, .start_dose = 1, .target = target};
      dv_error err = {0};
      cr_expect_eq(options_check_table(t->options, t->options_size, &setup, &err), DV_OK,
                   "%s at target %g: %s", t->name, target, err.msg);
    }
    cr_assert_not_null(t->stop_reasons, "%s: no reasons to stop", t->name);
    for (int r = 0; t->stop_reasons[r].name != NULL; r++) {
      cr_expect(t->stop_reasons[r].name[0] != '\0', "%s: an empty reason", t->name);
      cr_expect(strcmp(t->stop_reasons[r].name, "max_n") != 0, "%s: max_n is the engine's",
                t->name);
      for (int q = 0; q < r; q++)
        cr_expect(strcmp(t->stop_reasons[q].name, t->stop_reasons[r].name) != 0,
                  "%s: reason %s twice", t->name, t->stop_reasons[r].name);
    }
  }
  cr_expect_geq(n, 3);
}

Test(registry, every_design_loads_and_starts_at_the_start_dose) {
  for (int i = 0; design_registry[i] != NULL; i++) {
    const design_type *t = design_registry[i];
    for (int start = 1; start <= 2; start++) {
      config *c = config_of(t, start);
      const config_design *d = &c->designs[0];
      cr_assert_eq(d->type, t);
      design_state empty = {0};
      design_action a = t->decide(d->params, &empty), w = policy_decide(&d->policy, &empty);
      cr_expect(!a.stop && a.dose == start, "%s: the empty state gives %s %d, expected treat %d",
                t->name, a.stop ? "stop" : "treat", a.dose, start);
      cr_expect(!w.stop && w.dose == start, "%s: wrapped, the empty state gives %s %d", t->name,
                w.stop ? "stop" : "treat", w.dose);
      cr_expect_str_eq(d->policy.reasons[d->policy.n_reasons - 1], "max_n");
      config_free(c);
    }
  }
}

/* The graph keys its states on the last cohort only when the design reads it. */
Test(registry, last_cohort_follows_the_design) {
  for (int i = 0; design_registry[i] != NULL; i++) {
    const design_type *t = design_registry[i];
    config *c = config_of(t, 1);
    const config_design *d = &c->designs[0];
    bool uses = t->uses_last_cohort != NULL && t->uses_last_cohort(d->params);
    cr_expect_eq(d->policy.last_cohort, uses, "%s", t->name);
    config_free(c);
  }
}

/* A design's fit (design_type.fit) gives exactly what decide and select give, on every state of
 * its whole-trial graph: the engine may then compute it once per counts. */
Test(registry, a_fit_changes_no_decision) {
  for (int i = 0; design_registry[i] != NULL; i++) {
    const design_type *t = design_registry[i];
    if (t->fit == NULL)
      continue;
    cr_assert(t->decide_fit && t->select_fit && t->fit_size > 0 && t->fit_size <= 256, "%s",
              t->name);
    config *c = config_of(t, 1);
    const config_design *d = &c->designs[0];
    design_state s = {0};
    int checked = 0;
    /* walk every state reachable in the first 6 cohorts, decide's own way */
    design_state stack[4096];
    int top = 0;
    stack[top++] = s;
    while (top > 0 && checked < 20000) {
      s = stack[--top];
      unsigned char fit[256];
      t->fit(d->params, &s, fit);
      design_action a = t->decide(d->params, &s), b = t->decide_fit(d->params, &s, fit);
      cr_assert(memcmp(&a, &b, sizeof a) == 0, "%s: decide and decide_fit differ", t->name);
      for (int h = 1; h <= c->n_doses; h++)
        cr_assert_eq(t->select(d->params, &s, h), t->select_fit(d->params, &s, h, fit), "%s",
                     t->name);
      checked++;
      if (a.stop || design_total_n(&s, c->n_doses) >= 18)
        continue;
      for (int y = 0; y <= d->setup.cohort_size && top < 4096; y++) {
        design_state n = s;
        state_add_cohort(&n, a.dose, d->setup.cohort_size, y, true);
        stack[top++] = n;
      }
    }
    cr_expect_gt(checked, 100, "%s: %d states", t->name, checked);
    config_free(c);
  }
}

/* A design that reads pending patients answers on a view with nothing pending as its decide does
 * on the same complete counts (design.h), on every state of its first five cohorts. */
static int walk_complete(const design_type *t, const config_design *d, int k, const pending_view *v,
                         int depth) {
  design_state s;
  pending_view_state(v, k, &s);
  if (!d->policy.last_cohort)
    s.last_y = s.last_n = 0;
  design_action a = t->decide(d->params, &s), b = t->decide_pending(d->params, v);
  cr_assert(memcmp(&a, &b, sizeof a) == 0,
            "%s after %d patients: decide %s %d, decide_pending %s %d", t->name, v->n_patients,
            a.stop ? "stop" : "treat", a.dose,
            b.stop      ? "stop"
            : b.suspend ? "suspend"
                        : "treat",
            b.dose);
  cr_assert(!a.suspend, "%s: decide suspends", t->name);
  int checked = 1, c = d->setup.cohort_size;
  if (a.stop || depth == 5 || v->n_patients + c > d->setup.max_n)
    return checked;
  for (int y = 0; y <= c; y++) {
    pending_view next = *v;
    for (int i = 0; i < c; i++)
      pending_view_add(&next, a.dose, i < y, i < y ? 1.0 + i : v->window);
    checked += walk_complete(t, d, k, &next, depth + 1);
  }
  return checked;
}

Test(registry, pending_designs_agree_on_complete_data) {
  int designs = 0;
  for (int i = 0; design_registry[i] != NULL; i++) {
    const design_type *t = design_registry[i];
    cr_assert(t->reads_pending == (t->decide_pending != NULL), "%s", t->name);
    if (!t->reads_pending)
      continue;
    config *c = config_of(t, 1);
    const config_design *d = &c->designs[0];
    pending_view v;
    pending_view_init(&v, 28.0, d->setup.cohort_size, d->setup.max_n);
    int checked = walk_complete(t, d, c->n_doses, &v, 0);
    cr_expect_gt(checked, 20, "%s: %d states", t->name, checked);
    config_free(c);
    designs++;
  }
  cr_expect_geq(designs, 1);
}
