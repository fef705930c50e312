/* test_next.c — what `next` and `paths` decide: the wrapped policy on a parsed history.
 * (1) On every prefix of many simulated trials, for every design and rule, the decision from the
 *     outcome string (src/study/outcomes.c) equals the one the simulation's walk took.
 * (2) Hand-worked live trials: cohorts of other sizes and histories that deviate.
 * (3) Paths over the whole trial: the probabilities at the leaves equal the exact engine's. */
#include <criterion/criterion.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "graph.h"
#include "outcomes.h"
#include "paths.h"
#include "support_sim.h"

static const char *study =
    "study: {name: t, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, max_n: 24}\n"
    "designs:\n"
    "  - {name: 3+3, type: threeplusthree}\n"
    "  - {name: BOIN, type: boin, extrasafe: true}\n"
    "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}, stop_toxic: 0.9}\n"
    "  - {name: CRM free, type: crm, no_skip: false, skeleton: [0.1, 0.2, 0.3, 0.4]}\n"
    "  - {name: mTPI-2, type: mtpi2}\n"
    "  - {name: Keyboard, type: keyboard}\n"
    "  - {name: i3+3, type: i3plus3}\n"
    "  - {name: BOIN rules, type: boin, rules: [{stop_when_too_toxic: {dose: any, threshold: 0.3,\n"
    "      confidence: 0.8}}, {no_skip: {deescalation: true}}, {stop_at_n: 15}]}\n"
    "  - {name: CRM demand, type: crm, skeleton: [0.1, 0.2, 0.3, 0.4], n_stop: 6,\n"
    "     rules: [{demand_n_at_dose: {n: 9, dose: recommended}}]}\n"
    "scenarios:\n"
    "  - {name: s, p_tox: [0.1, 0.25, 0.4, 0.55]}\n";

static uint64_t lcg(uint64_t *x) {
  *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
  return *x >> 33;
}

static outcomes o;

Test(next, every_prefix_of_simulated_trials_gives_the_walk_s_decision) {
  config *cfg = support_config(study);
  uint64_t seed = 7;
  for (int j = 0; j < cfg->n_designs; j++) {
    const config_design *d = &cfg->designs[j];
    graph *g = NULL;
    dv_error err = {0};
    cr_assert_eq(graph_alloc(&g, &d->policy, 1 << 20, &err), DV_OK);
    for (int t = 0; t < 300; t++) {
      char text[1024] = "";
      size_t used = 0;
      graph_cursor c;
      graph_start(g, &c);
      int k = 0;
      for (;; k++) {
        /* the history so far, parsed as `next` parses it */
        dv_error e = {0};
        cr_assert_eq(outcomes_parse(text, cfg->n_doses, &o, &e), DV_OK, "%s: %s", text, e.msg);
        design_state s;
        outcomes_state(&o, o.n_cohorts, d->policy.last_cohort, &s);
        design_action a = policy_decide(&d->policy, &s);
        cr_assert(a.stop == c.action.stop && a.dose == c.action.dose && a.reason == c.action.reason,
                  "%s after \"%s\": next says %s %d, the walk %s %d", d->name, text,
                  a.stop ? "stop" : "treat", a.dose, c.action.stop ? "stop" : "treat",
                  c.action.dose);
        if (c.action.stop)
          break;
        int dose = c.action.dose, y = 0;
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%d", k ? " " : "", dose);
        for (int i = 0; i < d->setup.cohort_size; i++) {
          bool tox = (double)(lcg(&seed) % 1000000) / 1e6 < cfg->named[0].p_tox[dose - 1];
          y += tox;
          used += (size_t)snprintf(text + used, sizeof text - used, "%c", tox ? 'T' : 'N');
        }
        graph_step(g, &c, y);
      }
    }
    graph_free(g);
  }
  config_free(cfg);
}

/* The decision after a history, and its reasoning. */
static design_action decide_after(const config_design *d, const char *text, char *why, size_t len) {
  dv_error e = {0};
  cr_assert_eq(outcomes_parse(text, 4, &o, &e), DV_OK, "%s", e.msg);
  design_state s;
  outcomes_state(&o, o.n_cohorts, d->policy.last_cohort, &s);
  policy_trace t;
  design_action a = policy_decide_traced(&d->policy, &s, &t);
  explain_decision(&d->policy, &s, &t, why, len);
  return a;
}

static const config_design *named(const config *c, const char *name) {
  for (int j = 0; j < c->n_designs; j++)
    if (strcmp(c->designs[j].name, name) == 0)
      return &c->designs[j];
  cr_assert_fail("no design %s", name);
  return NULL;
}

Test(next, live_trials_with_other_cohort_sizes_and_deviations) {
  config *cfg = support_config(study);
  char why[2048];
  /* 3+3, a cohort of 4 with 1 DLT: fewer than 6 at the dose, judged as 1 of 3: more there */
  design_action a = decide_after(named(cfg, "3+3"), "1NNTN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 1, "%d", a.dose);
  cr_expect(strstr(why, "1 DLT in 4 patients at dose 1") != NULL, "%s", why);
  /* ... then 2 more without DLT: 1 of 6: escalate */
  a = decide_after(named(cfg, "3+3"), "1NNTN 1NN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 2 && strstr(why, "escalate to dose 2"), "%d: %s", a.dose, why);
  /* a deviation: dose 3 given after 0/3 at dose 1 (the 3+3 said 2); 2 of 3 at dose 3: the MTD is
   * dose 2 ... which has no patients, so with deescalate 3 more there */
  a = decide_after(named(cfg, "3+3"), "1NNN 3TTN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 2, "%s %d: %s", a.stop ? "stop" : "treat", a.dose, why);
  /* BOIN on counts: 1 DLT in 2 patients at dose 2 (rate 0.5 >= lambda_d 0.359): de-escalate */
  a = decide_after(named(cfg, "BOIN"), "1NNN 2TN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 1, "%d: %s", a.dose, why);
  cr_expect(strstr(why, "1 DLT in 2 patients at dose 2") != NULL, "%s", why);
  /* CRM no_skip reads the last cohort's size: 1 DLT in a cohort of 3 (0.33 >= 0.3) forbids the
   * escalation that the same DLT in a cohort of 4 (0.25) allows (the history deviates from the
   * CRM, which would have escalated sooner: the decision reads the counts) */
  const config_design *crm = named(cfg, "CRM");
  a = decide_after(crm, "1NNN 1NNN 2NNN 2NNN 2TNN", why, sizeof why);
  cr_assert_gt(a.rec, 2, "the model recommends above dose 2 (%d), so no_skip decides", a.rec);
  cr_expect(!a.stop && a.dose == 2, "cohort of 3 with a DLT: no escalation (got %d): %s", a.dose,
            why);
  a = decide_after(crm, "1NNN 1NNN 2NNN 2NNN 2TNNN", why, sizeof why);
  cr_assert_gt(a.rec, 2, "%d", a.rec);
  cr_expect(!a.stop && a.dose == 3, "cohort of 4 with a DLT: one level up (got %d): %s", a.dose,
            why);
  cr_expect(strstr(why, "posterior mean of a") != NULL, "%s", why);
  /* the interval designs on a cohort of 2 and of 4, from their rules by hand (target 0.3, EI
   * [0.25, 0.35]). i3+3: 1/2 = 0.5 is above the EI but (1 - 1)/2 = 0 is below it: stay; 2/3 is
   * above and (2 - 1)/3 = 0.33 is not below: de-escalate; 0/4 is below: escalate. mTPI-2 and
   * Keyboard: after 1/2 the posterior Beta(2, 2) is symmetric about its mode 0.5, so of the
   * intervals of width 0.1 the one centred there, [0.45, 0.55], above the EI, has the most mass:
   * de-escalate. */
  a = decide_after(named(cfg, "i3+3"), "1NNN 2TN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 2, "i3+3 after 1/2: %d (%s)", a.dose, why);
  a = decide_after(named(cfg, "i3+3"), "1NNN 2TTN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 1, "i3+3 after 2/3: %d (%s)", a.dose, why);
  a = decide_after(named(cfg, "i3+3"), "1NNN 2NNNN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 3, "i3+3 after 0/4: %d (%s)", a.dose, why);
  a = decide_after(named(cfg, "mTPI-2"), "1NNN 2TN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 1, "mTPI-2 after 1/2: %d (%s)", a.dose, why);
  a = decide_after(named(cfg, "Keyboard"), "1NNN 2TN", why, sizeof why);
  cr_expect(!a.stop && a.dose == 1, "Keyboard after 1/2: %d (%s)", a.dose, why);
  cr_expect(strstr(why, "1 DLT in 2 patients at dose 2") != NULL, "%s", why);
  /* a rule in the reasoning: BOIN rules stops at 15 patients */
  a = decide_after(named(cfg, "BOIN rules"), "1NNN 2NNN 3NTN 3NNN 3NNT", why, sizeof why);
  cr_expect(a.stop, "15 treated: stop");
  cr_expect(strstr(why, "then stop_at_n") != NULL, "%s", why);
  config_free(cfg);
}

Test(next, whole_trial_paths_end_in_the_exact_selection) {
  config *cfg = support_config(study);
  oc_rows ex;
  support_exact(cfg, &ex);
  for (int j = 0; j < cfg->n_designs; j++) {
    const config_design *d = &cfg->designs[j];
    graph *g = NULL;
    dv_error err = {0};
    cr_assert_eq(graph_alloc(&g, &d->policy, 1 << 20, &err), DV_OK);
    double sel[DESIGN_MAX_DOSES + 1] = {0}, going = 0.0;
    int cohorts = d->setup.max_n / d->setup.cohort_size;
    responses_law law;
    responses_law_init(&law, cfg->n_doses, d->setup.cohort_size, false, cfg->named[0].p_tox, NULL,
                       0.0);
    cr_assert_eq(paths_leaves(g, cohorts, &law, sel, &going, &err), DV_OK, "%s", err.msg);
    cr_expect_float_eq(going, 0.0, 1e-15, "%s: still treating after the whole trial", d->name);
    for (int dd = 0; dd <= cfg->n_doses; dd++)
      cr_expect_float_eq(sel[dd], support_row(&ex, 0, d->name, "sel", dd)->value, 1e-12,
                         "%s: P(MTD %d) at the leaves %.15f, exact %.15f", d->name, dd, sel[dd],
                         support_row(&ex, 0, d->name, "sel", dd)->value);
    /* the listed paths' leaf probabilities sum to 1 too (for the designs small enough) */
    uint64_t n = 0;
    cr_assert_eq(paths_count(g, cohorts, &n, &err), DV_OK);
    cr_expect_gt(n, 1);
    graph_free(g);
  }
  oc_rows_free(&ex);
  config_free(cfg);
}

/* (3b) Paths of a design that reads responses (SPEC 13; issue 30): BOIN12's whole trial (three
 * cohorts of 3) branches on (DLTs, responses), 16 ways a cohort. Under a scenario with correlated
 * tolerances (the Gaussian copula, both signs) the listed leaves' probabilities sum to 1, add up
 * by selected dose to the forward sweep's and to the exact engine's selection, and each path,
 * written in escalation's letters and parsed as `next` parses it, gets the decision its leaf
 * holds. */
typedef struct {
  const config_design *d;
  int n_doses;
  double sum, sel[DESIGN_MAX_DOSES + 1];
  uint64_t leaves;
} leaf_check;

static int check_leaf(void *ctx, uint64_t path, const paths_step *steps, int n) {
  leaf_check *lc = ctx;
  (void)path;
  char text[1024] = "";
  size_t used = 0;
  for (int i = 0; i < n; i++) {
    char cohort[DESIGN_MAX_COHORT + 8];
    outcomes_cohort_text(steps[i].dose, lc->d->setup.cohort_size, steps[i].dlts, steps[i].responses,
                         cohort, sizeof cohort);
    used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? " " : "", cohort);
  }
  dv_error e = {0};
  cr_assert_eq(outcomes_parse_responses(text, lc->n_doses, 0.0, true, &o, &e), DV_OK, "%s: %s",
               text, e.msg);
  design_state s;
  outcomes_state(&o, o.n_cohorts, lc->d->policy.last_cohort, &s);
  design_action a = policy_decide(&lc->d->policy, &s), leaf = steps[n - 1].next;
  cr_assert(a.stop == leaf.stop && a.dose == leaf.dose && a.reason == leaf.reason,
            "after \"%s\": next says %s %d, the path %s %d", text, a.stop ? "stop" : "treat",
            a.dose, leaf.stop ? "stop" : "treat", leaf.dose);
  cr_assert(leaf.stop, "after \"%s\": the whole trial has stopped", text);
  lc->sum += steps[n - 1].prob;
  lc->sel[leaf.dose] += steps[n - 1].prob;
  lc->leaves++;
  return 0;
}

Test(next, boin12_paths_weigh_dlts_and_responses_as_exact_does) {
  const char *yaml[2] = {
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 9,\n"
      "        eff_tox_correlation: 0.5}\n"
      "designs:\n  - {name: BOIN12, type: boin12}\n"
      "scenarios:\n  - {name: s, p_tox: [0.1, 0.25, 0.45], p_eff: [0.2, 0.45, 0.6]}\n",
      "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 9,\n"
      "        eff_tox_correlation: -0.4}\n"
      "designs:\n  - {name: BOIN12, type: boin12, utility_both: 50, utility_neither: 50}\n"
      "scenarios:\n  - {name: s, p_tox: [0.05, 0.15, 0.3], p_eff: [0.3, 0.35, 0.7]}\n"};
  for (int v = 0; v < 2; v++) {
    config *cfg = support_config(yaml[v]);
    const config_design *d = &cfg->designs[0];
    oc_rows ex;
    support_exact(cfg, &ex);
    graph *g = NULL;
    dv_error err = {0};
    cr_assert_eq(graph_alloc(&g, &d->policy, 1 << 20, &err), DV_OK);
    responses_law law;
    responses_law_init(&law, cfg->n_doses, 3, true, cfg->named[0].p_tox, cfg->named[0].p_eff,
                       cfg->eff_tox_correlation);
    leaf_check lc = {.d = d, .n_doses = cfg->n_doses};
    cr_assert_eq(paths_walk(g, 3, &law, check_leaf, &lc, &err), DV_OK, "%s", err.msg);
    double sel[DESIGN_MAX_DOSES + 1], going = 1.0;
    cr_assert_eq(paths_leaves(g, 3, &law, sel, &going, &err), DV_OK, "%s", err.msg);
    uint64_t n = 0;
    cr_assert_eq(paths_count(g, 3, &n, &err), DV_OK);
    cr_expect_eq(n, lc.leaves, "%" PRIu64 " paths counted, %" PRIu64 " walked", n, lc.leaves);
    cr_expect_gt(lc.leaves, 16 * 16, "more than two cohorts' branches");
    cr_expect_float_eq(lc.sum, 1.0, 1e-12, "the leaves sum to %.15f", lc.sum);
    cr_expect_float_eq(going, 0.0, 1e-15);
    for (int dd = 0; dd <= cfg->n_doses; dd++) {
      double want = support_row(&ex, 0, d->name, "sel", dd)->value;
      cr_expect_float_eq(lc.sel[dd], want, 1e-12,
                         "rho %g, dose %d: listed leaves %.15f, exact %.15f",
                         cfg->eff_tox_correlation, dd, lc.sel[dd], want);
      cr_expect_float_eq(sel[dd], want, 1e-12, "rho %g, dose %d: sweep %.15f, exact %.15f",
                         cfg->eff_tox_correlation, dd, sel[dd], want);
    }
    graph_free(g);
    oc_rows_free(&ex);
    config_free(cfg);
  }
}

/* (4) Pending patients in `paths` (SPEC 12). A patient followed f of W days without a DLT has one
 * to come with probability (p - F(f)) / (1 - F(f)). Uniform onset: the closed form
 * p (1 - f/W) / (1 - p f/W); Weibull: F is the law whose quantile clock_onset gives, so
 * F(clock_onset(v)) = v p for every v. */
Test(next, pending_dlt_probability_follows_the_onset_law) {
  const double p[2] = {0.2, 0.45}, w = 28.0;
  study_time t = {.on = true, .window = w, .mean_interval = 7, .onset = TIMING_ONSET_UNIFORM};
  clock_law law;
  clock_law_init(&law, &t, p, 2);
  for (double f = 0.0; f < w; f += 3.5)
    for (int d = 1; d <= 2; d++) {
      double want = p[d - 1] * (1 - f / w) / (1 - p[d - 1] * f / w);
      cr_assert_float_eq(paths_pending_dlt(&law, d, f), want, 1e-14, "f %g d %d", f, d);
    }
  cr_assert_float_eq(paths_pending_dlt(&law, 1, 0.0), 0.2, 1e-15, "no follow-up: p itself");
  t.onset = TIMING_ONSET_WEIBULL;
  t.late_fraction = 0.7;
  clock_law_init(&law, &t, p, 2);
  for (double v = 0.05; v < 1.0; v += 0.1)
    for (int d = 1; d <= 2; d++) {
      double f = clock_onset(&law, d, v);
      cr_assert_float_eq(clock_dlt_by(&law, d, f), v * p[d - 1], 1e-12, "v %g d %d", v, d);
      double want = (p[d - 1] - v * p[d - 1]) / (1 - v * p[d - 1]);
      cr_assert_float_eq(paths_pending_dlt(&law, d, f), want, 1e-12, "v %g d %d", v, d);
    }
  /* late_fraction 0.7: 70 % of the DLTs in the second half of the window, F(W/2) = 0.3 p */
  cr_assert_float_eq(clock_dlt_by(&law, 1, w / 2), 0.3 * 0.2, 1e-12);
}

/* The number of DLTs among m pending patients: the Poisson-binomial against the sum over all 2^m
 * outcomes. */
Test(next, pending_dlt_count_is_poisson_binomial) {
  const double q[6] = {0.05, 0.3, 0.5, 0.71, 0.9, 0.13};
  for (int m = 0; m <= 6; m++) {
    double pmf[7], want[7] = {0};
    paths_pending_pmf(q, m, pmf);
    for (unsigned bits = 0; bits < 1u << m; bits++) {
      double pr = 1.0;
      int y = 0;
      for (int i = 0; i < m; i++) {
        bool dlt = bits >> i & 1;
        pr *= dlt ? q[i] : 1 - q[i];
        y += dlt;
      }
      want[y] += pr;
    }
    for (int j = 0; j <= m; j++)
      cr_assert_float_eq(pmf[j], want[j], 1e-15, "m %d j %d", m, j);
  }
}
