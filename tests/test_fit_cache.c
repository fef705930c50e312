/* test_fit_cache.c — the fits by counts of a design that reads pending patients
 * (src/engine/fit_cache.c) and the policy's use of them (policy_decide_pending): a fit from the
 * cache is the design's own fit of the counts, whatever evicted what; and a pending decision is
 * the same with the cache as without it, at sizes from one slot on. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "fit_cache.h"
#include "policy.h"
#include "support_sim.h"

static config *titecrm_config(const char *opts) {
  char yaml[1024];
  snprintf(yaml, sizeof yaml,
           "study: {name: t, doses: [1, 2, 3, 4], target: 0.25, cohort_size: 1, max_n: 30, "
           "dlt_window: 28, accrual: {mean_interval: 9, process: poisson}}\n"
           "designs: [{name: TC, type: titecrm, skeleton: [0.1, 0.2, 0.3, 0.45]%s}]\n"
           "scenarios: [{name: s, p_tox: [0.1, 0.2, 0.3, 0.4]}]\n",
           opts);
  return support_config(yaml);
}

static void random_counts(design_state *s, int k) {
  memset(s, 0, sizeof *s);
  for (int d = 0; d < k; d++) {
    s->n[d] = (uint8_t)(rand() % 7);
    s->y[d] = (uint8_t)(s->n[d] ? rand() % (s->n[d] + 1) : 0);
  }
  s->cur = (uint8_t)(1 + rand() % k); /* not part of the key: the fit reads n and y */
}

Test(fit_cache, a_fit_is_the_designs_own_whatever_was_evicted) {
  config *cfg = titecrm_config(", stop_toxic: 0.9");
  const policy *p = &cfg->designs[0].policy;
  srand(3);
  for (unsigned log2 = 0; log2 <= 10; log2 += 5) {
    fit_cache *c = NULL;
    dv_error err = {0};
    cr_assert_eq(fit_cache_new(&c, p->type, p->params, 4, log2, &err), DV_OK);
    for (int i = 0; i < 3000; i++) {
      design_state s;
      random_counts(&s, 4);
      crm_counts_fit want, got;
      p->type->fit(p->params, &s, &want);
      memcpy(&got, fit_cache_get(c, &s), sizeof got);
      cr_expect(got.a_hat == want.a_hat && got.toxic == want.toxic &&
                    memcmp(got.rec, want.rec, sizeof got.rec) == 0,
                "log2 %u, lookup %d: a cached fit differs from the design's", log2, i);
    }
    uint64_t hits, lookups;
    fit_cache_stats(c, &hits, &lookups);
    cr_expect_eq(lookups, 3000);
    /* 7^8 / 2^... count vectors: few repeat in one slot, most in 1024 */
    if (log2 == 10)
      cr_expect(hits > 0, "a cache of 1024 slots never hit");
    fit_cache_free(c);
  }
  config_free(cfg);
}

Test(fit_cache, the_same_counts_hit) {
  config *cfg = titecrm_config("");
  const policy *p = &cfg->designs[0].policy;
  fit_cache *c = NULL;
  dv_error err = {0};
  cr_assert_eq(fit_cache_new(&c, p->type, p->params, 4, 6, &err), DV_OK);
  design_state s = {.n = {3, 3}, .y = {0, 1}, .cur = 2}, t = s;
  t.cur = 1; /* another dose, the same counts */
  (void)fit_cache_get(c, &s);
  (void)fit_cache_get(c, &t);
  uint64_t hits, lookups;
  fit_cache_stats(c, &hits, &lookups);
  cr_expect_eq(hits, 1);
  cr_expect_eq(lookups, 2);
  fit_cache_free(c);
  config_free(cfg);
}

/* A history at an arrival: patients about `gap` days apart at doses wandering by one level, DLTs
 * with probability 0.3 at uniform onsets; the view when the next patient arrives. */
static void random_view(pending_view *v, int k, double gap) {
  pending_view_init(v, 28.0, 1, 30);
  int n = 1 + rand() % 29, d = 1;
  double t[DESIGN_MAX_N], now = 0.0;
  int dose[DESIGN_MAX_N];
  for (int i = 0; i < n; i++) {
    t[i] = now;
    dose[i] = d;
    now += gap * (0.2 + 1.6 * rand() / (double)RAND_MAX);
    d += rand() % 3 - 1;
    d = d < 1 ? 1 : d > k ? k : d;
  }
  for (int i = 0; i < n; i++) {
    double f = now - t[i], onset = 28.0 * (rand() + 1.0) / (RAND_MAX + 2.0);
    bool seen = rand() % 10 < 3 && onset <= f;
    pending_view_add(v, dose[i], seen, seen ? onset : f);
  }
}

Test(fit_cache, pending_decisions_are_the_same_with_the_cache) {
  const char *opts[] = {"", ", stop_toxic: 0.8", ", weights: adaptive, no_skip: false",
                        ", model: logistic"};
  static pending_view v;
  srand(11);
  for (size_t o = 0; o < sizeof opts / sizeof *opts; o++) {
    config *cfg = titecrm_config(opts[o]);
    const policy *p = &cfg->designs[0].policy;
    for (unsigned log2 = 0; log2 <= 12; log2 += 6) {
      fit_cache *c = NULL;
      dv_error err = {0};
      cr_assert_eq(fit_cache_new(&c, p->type, p->params, 4, log2, &err), DV_OK);
      for (int i = 0; i < 1500; i++) {
        random_view(&v, 4, i % 2 ? 9.0 : 3.0);
        design_action a = policy_decide_pending(p, &v, NULL, NULL),
                      b = policy_decide_pending(p, &v, NULL, c);
        cr_expect(a.stop == b.stop && a.suspend == b.suspend && a.dose == b.dose &&
                      a.rec == b.rec && a.reason == b.reason,
                  "options \"%s\", log2 %u, view %d: without the cache %d/%d, with %d/%d", opts[o],
                  log2, i, a.stop, a.dose, b.stop, b.dose);
      }
      fit_cache_free(c);
    }
    config_free(cfg);
  }
}

/* The record: tried in the first FIT_CACHE_WARM asks whatever happens; after tries that computed
 * two fits and settled nothing, only one ask in sixteen. */
Test(fit_cache, a_bracket_that_never_pays_is_asked_for_rarely) {
  config *cfg = titecrm_config("");
  const policy *p = &cfg->designs[0].policy;
  fit_cache *c = NULL;
  dv_error err = {0};
  cr_assert_eq(fit_cache_new(&c, p->type, p->params, 4, 4, &err), DV_OK);
  srand(5);
  int yes = 0;
  for (int i = 0; i < 4096; i++) {
    bool pays = fit_cache_bracket_pays(c);
    yes += pays;
    if (pays) { /* two misses, no settling */
      design_state s;
      random_counts(&s, 4);
      s.n[0] = (uint8_t)(50 + i % 100); /* never seen before in 16 slots */
      (void)fit_cache_get(c, &s);
      s.n[1] = 200;
      (void)fit_cache_get(c, &s);
      fit_cache_bracket_tried(c, false);
    }
  }
  cr_expect(yes >= 256 && yes < 256 + 4096 / 16 + 2, "asked %d times of 4096", yes);
  fit_cache_free(c);
  config_free(cfg);
}
