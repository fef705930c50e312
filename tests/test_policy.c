/* test_policy.c — the rules layer (src/engine/policy.c, SPEC 6 "Rules") on hand-worked trials: each
 * rule alone, rules in order, the reasons stops record, and rules read from a config by
 * src/engine/rules.c. BOIN at target 0.3 is the usual host: lambda_e = 0.236, lambda_d = 0.359, and
 * with 3, 6, 9 patients escalate if DLTs <= 0, 1, 2, de-escalate if >= 2, 3, 4, eliminate if >= 3,
 * 4, 5 (SPEC 6's table). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "support.h"
#include "support_sim.h"

/* A config with one design entry (its YAML flow mapping without braces) on 3 or 5 doses. */
static config *one_design(int k, const char *entry) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "study: {name: t, doses: %s, target: 0.3, cohort_size: 3, max_n: 30}\n"
           "designs:\n  - {name: D, %s}\n"
           "scenarios:\n  - {name: s, p_tox: %s}\n",
           k == 3 ? "[1, 2, 3]" : "[1, 2, 3, 4, 5]", entry,
           k == 3 ? "[0.1, 0.3, 0.5]" : "[0.05, 0.1, 0.2, 0.3, 0.5]");
  return support_config(yaml);
}

/* Replays `outcomes` through the wrapped policy and returns the action after the last cohort. */
static design_action wrapped(const config *c, const char *outcomes, design_state *s) {
  design_action next;
  char why[200] = "";
  cr_assert(support_replay_policy(&c->designs[0].policy, outcomes, s, &next, why, sizeof why),
            "%s: %s", outcomes, why);
  return next;
}

static void expect_treat(const config *c, const char *outcomes, int dose) {
  design_state s;
  design_action a = wrapped(c, outcomes, &s);
  cr_expect(!a.stop && a.dose == dose, "%s: %s %d, expected treat %d", outcomes,
            a.stop ? "stop" : "treat", a.dose, dose);
}

static void expect_stop(const config *c, const char *outcomes, int mtd, const char *reason) {
  design_state s;
  design_action a = wrapped(c, outcomes, &s);
  const policy *p = &c->designs[0].policy;
  cr_expect(a.stop && a.dose == mtd, "%s: %s %d, expected stop with MTD %d", outcomes,
            a.stop ? "stop" : "treat", a.dose, mtd);
  if (a.stop)
    cr_expect_str_eq(p->reasons[a.reason], reason, "%s: stopped by %s, expected %s", outcomes,
                     p->reasons[a.reason], reason);
}

Test(policy, reasons_list_the_design_then_the_rules_then_max_n) {
  config *c = one_design(3, "type: boin, rules: [{stop_at_n: 9}, {no_skip: {}}, {stop_at_n: 12}]");
  const policy *p = &c->designs[0].policy;
  const char *want[] = {"lowest_dose_eliminated", "extrasafe", "n_earlystop", "stop_at_n",
                        "stop_at_n (2)",          "max_n"};
  cr_assert_eq(p->n_reasons, 6);
  for (int i = 0; i < 6; i++)
    cr_expect_str_eq(p->reasons[i], want[i]);
  cr_expect(p->toxicity[0] && p->toxicity[1] && !p->toxicity[2] && !p->toxicity[5]);
  config_free(c);
}

Test(policy, max_n_is_the_last_rule) {
  config *c = one_design(3, "type: boin, max_n: 9");
  expect_treat(c, "1NNN 2NNN", 3);
  expect_stop(c, "1NNN 2NNN 3NNN", 3, "max_n");
  config_free(c);
}

Test(policy, stop_at_n) {
  config *c = one_design(3, "type: boin, rules: [{stop_at_n: 9}]");
  expect_treat(c, "1NNN 2NNN", 3);
  /* 9 treated: stop; BOIN's selection: 0.05/3.1 = 0.016 twice, 1.05/3.1 = 0.339 -> dose 3 */
  expect_stop(c, "1NNN 2NNN 3NNT", 3, "stop_at_n");
  config_free(c);
  c = one_design(3, "type: boin, rules: [{stop_at_n: {n: 9}}]"); /* the long form */
  expect_stop(c, "1NNN 2NNN 3NNT", 3, "stop_at_n");
  config_free(c);
}

Test(policy, stop_when_n_at_dose) {
  config *c =
      one_design(3, "type: boin, rules: [{stop_when_n_at_dose: {n: 6, dose: recommended}}]");
  expect_treat(c, "1NNN 2NNT", 2);
  /* 2/6 at dose 2 stays: the recommended dose has 6; estimates 0.016, 2.05/6.1 = 0.336 -> 2 */
  expect_stop(c, "1NNN 2NNT 2NTN", 2, "stop_when_n_at_dose");
  /* 1/6 at dose 1 escalates: dose 2, the recommendation, has none, so the trial goes on */
  expect_treat(c, "1NNT 1NNN", 2);
  config_free(c);
  c = one_design(3, "type: boin, rules: [{stop_when_n_at_dose: {n: 6, dose: 1}}]");
  expect_stop(c, "1NNT 1NNN", 1, "stop_when_n_at_dose");
  config_free(c);
  c = one_design(3, "type: boin, rules: [{stop_when_n_at_dose: {n: 6, dose: any}}]");
  expect_treat(c, "1NNN 2NNT", 2);
  expect_stop(c, "1NNT 1NNN", 1, "stop_when_n_at_dose");
  config_free(c);
}

Test(policy, stop_when_too_toxic) {
  /* 2/3 at dose 1: P(p > 0.3 | Beta(3, 2)) = P(Bin(4, 0.3) <= 2) = 0.9163 > 0.8 */
  config *c = one_design(
      3, "type: boin, rules: [{stop_when_too_toxic: {dose: 1, threshold: 0.3, confidence: 0.8}}]");
  expect_stop(c, "1NTT", 0, "stop_when_too_toxic");
  expect_treat(c, "1NNT", 1); /* 1/3: 0.652, admissible; BOIN stays */
  config_free(c);
  c = one_design(3, "type: boin, rules: [{stop_when_too_toxic: {dose: 1, threshold: 0.3, "
                    "confidence: 0.92}}]");
  expect_treat(c, "1NTT", 1); /* 0.9163 is not > 0.92 */
  config_free(c);
  /* dose: any. 2/3 at dose 2 makes 2 and 3 inadmissible: BOIN's escalation after 0/6 at dose 1
   * is held at 1. */
  c = one_design(
      3,
      "type: boin, rules: [{stop_when_too_toxic: {dose: any, threshold: 0.3, confidence: 0.8}}]");
  design_state s;
  design_action alone;
  char why[128];
  cr_assert(support_replay(c->designs[0].type, c->designs[0].params, "1NNN 2TTN 1NNN", &s, &alone,
                           why, sizeof why),
            "%s", why);
  cr_assert(!alone.stop && alone.dose == 2, "BOIN alone escalates to 2");
  expect_treat(c, "1NNN 2TTN 1NNN", 1);
  config_free(c);
}

/* A stop decided elsewhere (a trial stopped with patients pending, pending_trial.c) names its MTD
 * among the doses the rules leave admissible. 0/6 at dose 1 and 2/6 at dose 2: BOIN's select
 * alone picks dose 2 (isotonic 0.33, the closest to 0.3), but P(p_2 > 0.3 | Beta(3, 5)) =
 * P(Bin(7, 0.3) <= 2) = 0.6471 > 0.5 makes dose 2 and above inadmissible: MTD 1. With 3/6 at
 * dose 1, P(p_1 > 0.3 | Beta(4, 4)) = P(Bin(7, 0.3) <= 3) = 0.8740: none is admissible, no MTD. */
Test(policy, a_stop_made_elsewhere_selects_among_admissible_doses) {
  config *c = one_design(
      3,
      "type: boin, rules: [{stop_when_too_toxic: {dose: any, threshold: 0.3, confidence: 0.5}}]");
  const policy *p = &c->designs[0].policy;
  design_state s = {.n = {6, 6}, .y = {0, 2}, .cur = 2};
  cr_assert_eq(p->type->select(p->params, &s, 3), 2, "BOIN alone selects dose 2");
  int why = p->max_n_reason;
  design_action a = policy_stop(p, &s, why);
  cr_expect(a.stop && a.dose == 1 && a.reason == why, "stop %d, MTD %d, reason %d", a.stop, a.dose,
            a.reason);
  s = (design_state){.n = {6, 6}, .y = {3, 2}, .cur = 2};
  a = policy_stop(p, &s, why);
  cr_expect(a.stop && a.dose == 0, "no dose admissible: stop %d, MTD %d", a.stop, a.dose);
  config_free(c);
}

/* A prior that is not a whole number goes through the incomplete-beta continued fraction:
 * P(p > 0.3 | Beta(0.5 + 2, 0.5 + 1)) = 0.911056 (numeric integration of the density). */
Test(policy, stop_when_too_toxic_with_a_jeffreys_prior) {
  design_rule r = {.threshold = 0.3, .prior = {0.5, 0.5}, .prior_count = 2};
  r.confidence = 0.9110;
  cr_expect(policy_too_toxic(&r, 3, 2));
  r.confidence = 0.9111;
  cr_expect_not(policy_too_toxic(&r, 3, 2));
  config *c = one_design(3, "type: boin, rules: [{stop_when_too_toxic: {dose: 1, threshold: 0.3, "
                            "confidence: 0.911, prior: [0.5, 0.5]}}]");
  expect_stop(c, "1NTT", 0, "stop_when_too_toxic");
  config_free(c);
}

Test(policy, demand_n_at_dose_overrides_a_stop_but_not_for_toxicity) {
  config *c = one_design(3, "type: boin, n_earlystop: 6");
  expect_stop(c, "1NNN 2NNT 2NTN", 2, "n_earlystop"); /* 2/6 stays with 6 at the dose */
  config_free(c);
  c = one_design(3, "type: boin, n_earlystop: 6, rules: [{demand_n_at_dose: {n: 9, dose: "
                    "recommended}}]");
  expect_treat(c, "1NNN 2NNT 2NTN", 2);
  expect_stop(c, "1NNN 2NNT 2NTN 2NTN", 2, "n_earlystop"); /* 3/9 stays; 9 there now */
  expect_stop(c, "1TTT", 0, "lowest_dose_eliminated");
  config_free(c);
}

Test(policy, rules_apply_in_order) {
  /* stop_at_n first: its stop is overridden by the demand after it */
  config *c = one_design(3, "type: boin, rules: [{stop_at_n: 6}, {demand_n_at_dose: {n: 9, dose: "
                            "recommended}}]");
  expect_treat(c, "1NNN 2NNT", 2);
  config_free(c);
  /* the demand first sees no stop; stop_at_n after it stops */
  c = one_design(3, "type: boin, rules: [{demand_n_at_dose: {n: 9, dose: recommended}}, "
                    "{stop_at_n: 6}]");
  expect_stop(c, "1NNN 2NNT", 2, "stop_at_n");
  config_free(c);
}

Test(policy, no_skip) {
  const char *crm = "type: crm, no_skip: false, skeleton: [0.05, 0.10, 0.20, 0.30, 0.50]";
  char entry[512];
  config *c = one_design(5, crm);
  expect_treat(c, "1NNN", 5); /* the model jumps to the top */
  config_free(c);
  snprintf(entry, sizeof entry, "%s, rules: [{no_skip: {escalation: true}}]", crm);
  c = one_design(5, entry);
  expect_treat(c, "1NNN", 2);
  expect_treat(c, "1NNN 2NNN 3NNN 4NNN", 5);
  /* A state (not a path of this policy) with 3/3 at doses 3 to 5 and the last cohort at 5: the
   * model alone drops more than one level, which escalation: true leaves alone ... */
  design_state s = {.n = {3, 3, 3, 3, 3}, .y = {0, 0, 3, 3, 3}, .cur = 5, .last_y = 3};
  design_action model = c->designs[0].type->decide(c->designs[0].params, &s);
  cr_assert(!model.stop && model.dose <= 3, "the model alone goes to %d", model.dose);
  design_action a = policy_decide(&c->designs[0].policy, &s);
  cr_expect(!a.stop && a.dose == model.dose, "escalation only: de-escalation is free");
  config_free(c);
  /* ... and deescalation: true holds at dose 4 */
  snprintf(entry, sizeof entry, "%s, rules: [{no_skip: {escalation: true, deescalation: true}}]",
           crm);
  c = one_design(5, entry);
  a = policy_decide(&c->designs[0].policy, &s);
  cr_expect(!a.stop && a.dose == 4, "got %s %d", a.stop ? "stop" : "treat", a.dose);
  config_free(c);
}

/* CRM's n_stop and the rule stop_when_n_at_dose(recommended) are one implementation: the same
 * decisions on every state of a whole trial's graph. */
Test(policy, n_stop_equals_the_rule) {
  const char *base = "type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}";
  char a[256], b[256];
  snprintf(a, sizeof a, "%s, n_stop: 9", base);
  snprintf(b, sizeof b, "%s, rules: [{stop_when_n_at_dose: {n: 9, dose: recommended}}]", base);
  config *ca = one_design(3, a), *cb = one_design(3, b);
  oc_rows ra, rb;
  support_exact(ca, &ra);
  support_exact(cb, &rb);
  for (int d = 0; d <= 3; d++) {
    const oc_row *x = support_row(&ra, 0, "D", "sel", d), *y = support_row(&rb, 0, "D", "sel", d);
    cr_expect_float_eq(x->value, y->value, 1e-15, "sel %d: %.17g vs %.17g", d, x->value, y->value);
  }
  int ia = oc_rows_reason(&ra, 0, "n_stop"), ib = oc_rows_reason(&rb, 0, "stop_when_n_at_dose");
  cr_assert(ia >= 0 && ib >= 0);
  const oc_row *x = oc_rows_get(&ra, 0, 0, OC_STOP_REASON, ia);
  const oc_row *y = oc_rows_get(&rb, 0, 0, OC_STOP_REASON, ib);
  cr_assert(x && y);
  cr_expect_float_eq(x->value, y->value, 1e-15);
  cr_expect_gt(x->value, 0.1, "the rule fires in this study (%g)", x->value);
  oc_rows_free(&ra);
  oc_rows_free(&rb);
  config_free(ca);
  config_free(cb);
}
