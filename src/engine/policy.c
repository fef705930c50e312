/* policy.c — the rules layer over any design (SPEC section 6, "Rules"; the grammar of the R
 * package escalation: Brock K, escalation: modular approach to dose-finding clinical trials).
 * Each rule is applied in order to the proposal of those before it; max_n comes last, because
 * the trial never treats more than max_n patients whatever a rule demands. */
#include "policy.h"

#include "beta.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

/* Room for a design's fit on the stack (design_type.fit_size); a larger fit goes without. */
#define POLICY_FIT_BYTES 256

dv_status policy_init(policy *p, const design_type *type, const void *params,
                      const design_setup *setup, const design_rule *rules, int n, dv_error *err) {
  memset(p, 0, sizeof *p);
  p->type = type;
  p->params = params;
  p->setup = *setup;
  p->last_cohort = type->uses_last_cohort != NULL && type->uses_last_cohort(params);
  for (int i = 0; type->stop_reasons != NULL && type->stop_reasons[i].name != NULL; i++) {
    if (p->n_reasons == POLICY_MAX_REASONS)
      return error_set(err, DV_ERUN, "design '%s' has too many reasons to stop", type->name);
    p->toxicity[p->n_reasons] = type->stop_reasons[i].toxicity;
    p->reasons[p->n_reasons++] = type->stop_reasons[i].name;
  }
  p->n_own_reasons = p->n_reasons;
  design_rule own[DESIGN_MAX_OWN_RULES] = {0};
  int n_own = type->own_rules != NULL ? type->own_rules(params, own) : 0;
  if (n_own < 0 || n_own > DESIGN_MAX_OWN_RULES)
    return error_set(err, DV_ERUN, "design '%s': %d own rules", type->name, n_own);
  if (n > POLICY_MAX_RULES)
    return error_set(err, DV_ECONFIG, "rules: %d; allowed: at most %d rules", n, POLICY_MAX_RULES);
  for (int i = 0; i < n_own + n; i++) {
    const design_rule *r = i < n_own ? &own[i] : &rules[i - n_own];
    p->rules[p->n_rules] = *r;
    p->rule_reason[p->n_rules] = -1;
    if (r->kind != DESIGN_RULE_NO_SKIP && r->kind != DESIGN_RULE_DEMAND_N_AT_DOSE) {
      if (p->n_reasons == POLICY_MAX_REASONS - 1)
        return error_set(err, DV_ECONFIG, "rules: allowed: at most %d stopping rules",
                         POLICY_MAX_REASONS - 1 - p->n_own_reasons);
      p->rule_reason[p->n_rules] = p->n_reasons;
      p->toxicity[p->n_reasons] = r->kind == DESIGN_RULE_STOP_WHEN_TOO_TOXIC;
      p->reasons[p->n_reasons++] = r->reason;
    }
    p->n_rules++;
  }
  p->max_n_reason = p->n_reasons;
  p->reasons[p->n_reasons++] = "max_n";
  return DV_OK;
}

bool policy_too_toxic(const design_rule *r, int n, int y) {
  return beta_upper_tail(r->prior[0] + y, r->prior[1] + n - y, r->threshold) > r->confidence;
}

/* The lowest dose the rule deems too toxic (K + 1 if none). */
static int lowest_too_toxic(const design_rule *r, const design_state *s, int k) {
  if (r->dose >= 1)
    return policy_too_toxic(r, s->n[r->dose - 1], s->y[r->dose - 1]) ? r->dose : k + 1;
  for (int d = 1; d <= k; d++) /* dose: any */
    if (policy_too_toxic(r, s->n[d - 1], s->y[d - 1]))
      return d;
  return k + 1;
}

/* The highest admissible dose once stop_when_too_toxic rule r has narrowed `highest`: below its
 * lowest dose too toxic. */
static int admissible_below(const design_rule *r, const design_state *s, int k, int highest) {
  int low = lowest_too_toxic(r, s, k);
  return low - 1 < highest ? low - 1 : highest;
}

/* The design's own decide and select, from a fit when there is one. */
static design_action own_decide(const policy *p, const design_state *s, const void *fit) {
  return fit != NULL ? p->type->decide_fit(p->params, s, fit) : p->type->decide(p->params, s);
}
static int own_select(const policy *p, const design_state *s, int highest, const void *fit) {
  return fit != NULL ? p->type->select_fit(p->params, s, highest, fit)
                     : p->type->select(p->params, s, highest);
}

static design_action stop_for(const policy *p, const design_state *s, int highest, int reason,
                              const void *fit) {
  return design_stop(highest >= 1 ? own_select(p, s, highest, fit) : 0, reason);
}

static design_action wrapped(const policy *p, const design_state *s, const void *fit,
                             policy_trace *t);

design_action policy_stop(const policy *p, const design_state *s, int reason) {
  int k = p->setup.n_doses, highest = k; /* as rules_on's stop_when_too_toxic narrows it */
  for (int i = 0; i < p->n_rules; i++)
    if (p->rules[i].kind == DESIGN_RULE_STOP_WHEN_TOO_TOXIC)
      highest = admissible_below(&p->rules[i], s, k, highest);
  return stop_for(p, s, highest, reason, NULL);
}

design_action policy_decide(const policy *p, const design_state *s) {
  return wrapped(p, s, NULL, NULL);
}

design_action policy_decide_fitted(const policy *p, const design_state *s, const void *fit) {
  return wrapped(p, s, fit, NULL);
}

design_action policy_decide_traced(const policy *p, const design_state *s, policy_trace *t) {
  return wrapped(p, s, NULL, t);
}

static void note(policy_trace *t, int rule, design_action before, design_action after) {
  if (t == NULL || memcmp(&before, &after, sizeof before) == 0)
    return;
  t->changes[t->n_changes].rule = rule;
  t->changes[t->n_changes].before = before;
  t->changes[t->n_changes].after = after;
  t->n_changes++;
}

static design_action rules_on(const policy *p, const design_state *s, const void *fit,
                              policy_trace *t, design_action a, int counted);

static design_action wrapped(const policy *p, const design_state *s, const void *fit,
                             policy_trace *t) {
  return rules_on(p, s, fit, t, own_decide(p, s, fit), design_total_n(s, p->setup.n_doses));
}

design_action policy_decide_counted(const policy *p, const design_state *s, int counted) {
  return rules_on(p, s, NULL, NULL, own_decide(p, s, NULL), counted);
}

/* The design's proposal on a view with patients pending: from its bracket's two fits where they
 * settle it, else its decide_pending. */
static design_action propose_pending(const policy *p, const pending_view *v, fit_cache *fits) {
  const design_type *type = p->type;
  design_state lo, hi;
  if (fits != NULL && type->pending_bracket != NULL && type->fit_size <= POLICY_FIT_BYTES &&
      fit_cache_bracket_pays(fits) && type->pending_bracket(p->params, v, &lo, &hi)) {
    _Alignas(max_align_t) unsigned char fit_lo[POLICY_FIT_BYTES];
    memcpy(fit_lo, fit_cache_get(fits, &lo), type->fit_size); /* the next lookup may evict it */
    design_action a;
    bool settled = type->decide_bracketed(p->params, v, fit_lo, fit_cache_get(fits, &hi), &a);
    fit_cache_bracket_tried(fits, settled);
    if (settled)
      return a;
  }
  return type->decide_pending(p->params, v);
}

design_action policy_decide_pending(const policy *p, const pending_view *v, policy_trace *t,
                                    fit_cache *fits) {
  int k = p->setup.n_doses;
  design_state s;
  pending_view_state(v, k, &s);
  if (!p->last_cohort)
    s.last_y = s.last_n = 0;
  if (v->n_pending == 0) { /* nothing pending: the decision without time */
    /* one fit of the counts serves the design's decide and a stop's select (before the first
     * patient the design's decide needs none) */
    _Alignas(max_align_t) unsigned char fit[POLICY_FIT_BYTES];
    if (s.cur == 0 || p->type->fit == NULL || p->type->fit_size > sizeof fit)
      return wrapped(p, &s, NULL, t);
    if (fits != NULL)
      return wrapped(p, &s, fit_cache_get(fits, &s), t);
    p->type->fit(p->params, &s, fit);
    return wrapped(p, &s, fit, t);
  }
  design_action a = p->type->reads_pending ? propose_pending(p, v, fits) : design_suspend(v->cur);
  if (a.suspend) { /* no rule acts on an arrival turned away */
    if (t != NULL) {
      t->proposal = a;
      t->n_changes = 0;
    }
    return a;
  }
  /* The rules and max_n count every patient treated, the pending ones as no DLT (what is known
   * of them); a stop's MTD is then the design's select on those counts, which the trial
   * confirms once their outcomes arrive (SPEC 11). */
  design_state treated = s;
  for (int d = 0; d < k; d++)
    treated.n[d] = v->enrolled[d];
  return rules_on(p, &treated, NULL, t, a, design_total_n(&treated, k));
}

/* `counted`: the patients max_n counts (every one treated, but for a design that places side
 * patients: its cohorts' only, policy_decide_counted). */
static design_action rules_on(const policy *p, const design_state *s, const void *fit,
                              policy_trace *t, design_action a, int counted) {
  int k = p->setup.n_doses, total = design_total_n(s, k);
  if (t != NULL) {
    t->proposal = a;
    t->n_changes = 0;
  }
  assert(a.stop || (a.dose >= 1 && a.dose <= k));
  int highest = k; /* the highest admissible dose */
  for (int i = 0; i < p->n_rules; i++) {
    const design_rule *r = &p->rules[i];
    int why = p->rule_reason[i];
    design_action before = a;
    switch (r->kind) {
    case DESIGN_RULE_NO_SKIP:
      if (!a.stop && s->cur > 0) {
        if (r->escalation && a.dose > s->cur + 1)
          a.dose = (uint8_t)(s->cur + 1);
        if (r->deescalation && a.dose + 1 < s->cur)
          a.dose = (uint8_t)(s->cur - 1);
      }
      break;
    case DESIGN_RULE_STOP_AT_N:
      if (!a.stop && total >= r->n)
        a = stop_for(p, s, highest, why, fit);
      break;
    case DESIGN_RULE_STOP_WHEN_N_AT_DOSE: {
      if (a.stop || s->cur == 0)
        break;
      bool reached = false;
      if (r->dose == DESIGN_DOSE_ANY) {
        for (int d = 1; d <= k; d++)
          reached = reached || s->n[d - 1] >= r->n;
      } else {
        int d = r->dose == DESIGN_DOSE_RECOMMENDED ? a.rec : r->dose;
        reached = s->n[d - 1] >= r->n;
      }
      if (reached)
        a = stop_for(p, s, highest, why, fit);
      break;
    }
    case DESIGN_RULE_STOP_WHEN_TOO_TOXIC: {
      highest = admissible_below(r, s, k, highest);
      if (highest < 1)
        a = design_stop(0, why);
      else if (!a.stop && a.dose > highest)
        a.dose = a.rec = (uint8_t)highest;
      else if (a.stop && a.dose > highest)
        a.dose = (uint8_t)own_select(p, s, highest, fit);
      break;
    }
    case DESIGN_RULE_DEMAND_N_AT_DOSE: {
      /* Overrides a stop that named an MTD, unless it stopped for toxicity: the trial goes on at
       * that MTD until the demanded dose has n patients. */
      if (!a.stop || a.dose < 1 || p->toxicity[a.reason])
        break;
      int d = r->dose == DESIGN_DOSE_RECOMMENDED ? a.dose : r->dose;
      if (s->n[d - 1] < r->n)
        a = design_treat(a.dose);
      break;
    }
    }
    note(t, i, before, a);
  }
  if (!a.stop && counted + p->setup.cohort_size > p->setup.max_n) {
    design_action before = a;
    a = stop_for(p, s, highest, p->max_n_reason, fit);
    note(t, -1, before, a);
  }
  return a;
}
