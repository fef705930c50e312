/* policy.h — the wrapped policy: a configured design, its rules (SPEC section 6, "Rules") and the
 * study's max_n, as one decision function on the counts. The decision graph (src/engine/graph.c)
 * calls only this, so simulation, the exact engine and every later use see the same rules; every
 * stop carries the index of its reason in the policy's list. */
#ifndef DOSEVAL_POLICY_H
#define DOSEVAL_POLICY_H

#include <stdbool.h>

#include "design.h"
#include "error.h"
#include "fit_cache.h"

/* A design's rules: its own (CRM's n_stop), then at most this many from the config. */
#define POLICY_MAX_RULES 16
/* Reasons: the design's own, one per stopping rule, and max_n. */
#define POLICY_MAX_REASONS 32

typedef struct {
  const design_type *type;
  const void *params;
  design_setup setup;
  int n_rules;
  design_rule rules[POLICY_MAX_RULES + DESIGN_MAX_OWN_RULES];
  int rule_reason[POLICY_MAX_RULES + DESIGN_MAX_OWN_RULES]; /* index in reasons, -1: never stops */
  int n_own_reasons;                                        /* the design's own come first */
  int n_reasons;
  const char *reasons[POLICY_MAX_REASONS]; /* stop_reason labels (point into static tables or
                                              the rules, which outlive the policy) */
  bool toxicity[POLICY_MAX_REASONS];       /* stops for safety (demand_n_at_dose keeps them) */
  int max_n_reason;
  bool last_cohort; /* the state keeps the last cohort's DLTs */
} policy;

/* Wraps a configured design (params filled by its configure) with `rules` (n of them, applied
 * in order after the design's own). The rules are copied; their reason strings must outlive the
 * policy (the config owns them). DV_ECONFIG past the documented limits. */
dv_status policy_init(policy *p, const design_type *type, const void *params,
                      const design_setup *setup, const design_rule *rules, int n,
                      dv_error *err) DV_MUST_CHECK;

/* The wrapped decision: the design's proposal, each rule in order, then max_n. */
design_action policy_decide(const policy *p, const design_state *s);

/* The same with max_n counting `counted` patients rather than every one in s (a design that
 * places side patients, design_type.side_dose: max_n counts its cohorts' patients; the side
 * patients come on top, and the rules see them all). */
design_action policy_decide_counted(const policy *p, const design_state *s, int counted);

/* The same with the design's fit for s's counts already computed (design_type.fit; the graph
 * keeps one per distinct counts). */
design_action policy_decide_fitted(const policy *p, const design_state *s, const void *fit);

/* The same, recording the design's own proposal and every rule that changed it (`next`). */
typedef struct {
  design_action proposal; /* the design's own */
  int n_changes;
  struct {
    int rule; /* index in p->rules, or -1 for max_n */
    design_action before, after;
  } changes[POLICY_MAX_RULES + DESIGN_MAX_OWN_RULES + 1];
} policy_trace;
design_action policy_decide_traced(const policy *p, const design_state *s, policy_trace *t);

/* The decision of a trial with patients pending (SPEC 12; `next`): nothing pending, the decision
 * above on the complete counts; otherwise a design that reads pending patients proposes from the
 * view (decide_pending) and one that waits for complete cohorts suspends; a suspend is final, and
 * any other proposal goes through the same rules and max_n with every patient treated counted
 * (pending ones as no DLT). t may be NULL. `fits` (NULL: none) keeps the design's fits by counts
 * (fit_cache.h): then the complete counts' fit is looked up rather than computed, and a design with
 * a bracket (design_type.pending_bracket) answers from the fits of its two ends where they settle
 * the decision, as decide_pending would. */
design_action policy_decide_pending(const policy *p, const pending_view *v, policy_trace *t,
                                    fit_cache *fits);

/* A stop for `reason` (an index of p->reasons) on counts s, decided elsewhere: a trial that
 * stopped with patients pending, whose complete counts would go on. Its MTD is the design's select
 * among the doses the rules leave admissible (SPEC 6: a stop names the MTD "restricted to
 * admissible doses"), none when no dose is. */
design_action policy_stop(const policy *p, const design_state *s, int reason);

/* P(p > threshold | Beta(a + y, b + n - y)) > confidence for stop_when_too_toxic. */
bool policy_too_toxic(const design_rule *r, int n, int y);

#endif
