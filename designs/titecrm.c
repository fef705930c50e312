/* titecrm.c — TITE-CRM, the time-to-event continual reassessment method (Cheung YK, Chappell R
 * (2000). Sequential designs for phase I clinical trials with late-onset toxicities. Biometrics
 * 56:1177-1182), as dfcrm's titecrm() computes it.
 *
 * CRM's model, prior, skeleton, options and rules (designs/crm.c, shared through crm.h, never
 * copied): a patient whose outcome is known counts as in the CRM; a patient still in follow-up
 * without a DLT contributes the weighted likelihood 1 - w p_d(a) (SPEC 12), w from titecrm.h.
 * Every arrival that starts a cohort is treated at the dose the posterior mean of a recommends,
 * under no_skip as in the CRM (at most one level above the current dose; no escalation right
 * after a cohort whose DLT rate seen so far is >= the target); stop_toxic reads the same
 * posterior. With nothing pending the design is the CRM itself: decide, select, the fit and the
 * explanation are design_crm's on the same parameters, and the final MTD is CRM's on complete
 * data. The pending posterior is CRM's fixed rule with the pending factors (crm_fit_weighted:
 * tables made at configure time, an error bound, and crm_posterior_weighted wherever the answer
 * is within the 1e-8 guard of a threshold), so the decisions are those of
 * titecrm_decide_adaptive, the adaptive rule alone, which tests/test_titecrm.c compares them
 * with. */
#include "titecrm.h"

#include <stdio.h>
#include <string.h>

#include "crm.h"

typedef struct {
  crm_options crm; /* first: CRM's option entries sit at offset 0 */
  int weights;     /* titecrm_scheme */
} titecrm_options;

static const char *const titecrm_schemes[] = {"linear", "adaptive", NULL}; /* as titecrm_scheme */

static const design_option titecrm_option_table[] = {
    CRM_OPTION_ENTRIES(offsetof(titecrm_options, crm)),
    {.key = "weights",
     .kind = DESIGN_OPT_WORD,
     .at = offsetof(titecrm_options, weights),
     .words = titecrm_schemes,
     .def = TITECRM_LINEAR,
     .help = "a pending patient's weight: linear min(f/W, 1) or adaptive (Cheung & Chappell 2000)"},
    {.key = NULL}};

/* The same list as design_crm's: its decide's reasons index it. */
static const design_reason titecrm_reasons[] = {{"stop_toxic", true}, {NULL, false}};

typedef struct {
  crm_params crm; /* first: design_crm's functions read it */
  titecrm_scheme scheme;
} titecrm_params;

/* The linear weight min(f / W, 1) of a patient followed f days. */
static double titecrm_linear(const pending_view *v, double f) {
  double wi = f / v->window;
  return wi > 1.0 ? 1.0 : wi;
}

void titecrm_weights(const pending_view *v, titecrm_scheme scheme, double *w) {
  double onset[DESIGN_MAX_N];
  int z = 0;
  if (scheme == TITECRM_ADAPTIVE)
    for (int i = 0; i < v->n_patients; i++)
      if (v->patient[i].dlt) { /* insertion into the sorted onset days */
        int j = z++;
        for (; j > 0 && onset[j - 1] > v->patient[i].onset; j--)
          onset[j] = onset[j - 1];
        onset[j] = v->patient[i].onset;
      }
  for (int i = 0; i < v->n_patients; i++) {
    const pending_patient *p = &v->patient[i];
    double f = p->followup, wi;
    if (p->complete) {
      wi = 1.0;
    } else if (z == 0) {
      wi = titecrm_linear(v, f);
    } else {
      int k = 0;
      while (k < z && onset[k] <= f)
        k++;
      double lo = k == 0 ? 0.0 : onset[k - 1], hi = k == z ? v->window : onset[k];
      /* f < W for a pending patient and lo <= f < hi, so hi - lo > 0 */
      wi = (k + (f - lo) / (hi - lo)) / (z + 1);
    }
    w[i] = wi > 1.0 ? 1.0 : wi;
  }
}

static dv_status titecrm_configure(void *params, const design_setup *setup, const void *options,
                                   dv_error *err) {
  const titecrm_options *o = options;
  titecrm_params *p = params;
  dv_status st = design_crm.configure(&p->crm, setup, &o->crm, err);
  if (st != DV_OK)
    return st;
  p->scheme = o->weights == TITECRM_ADAPTIVE ? TITECRM_ADAPTIVE : TITECRM_LINEAR;
  /* CRM's fixed rule again, its rows with the columns pending patients need (crm.c) */
  crm_rule_init_weighted(&p->crm.rule, &p->crm.spec, setup->max_n, 1, p->crm.target);
  return DV_OK;
}

/* Complete data: the CRM's functions on the CRM part of the params. */
static bool titecrm_uses_last_cohort(const void *params) {
  return design_crm.uses_last_cohort(params);
}
static int titecrm_own_rules(const void *params, design_rule *out) {
  return design_crm.own_rules(params, out);
}
static design_action titecrm_decide(const void *params, const design_state *s) {
  return design_crm.decide(params, s);
}
static int titecrm_select(const void *params, const design_state *s, int highest) {
  return design_crm.select(params, s, highest);
}
static void titecrm_fit(const void *params, const design_state *s, void *fit) {
  design_crm.fit(params, s, fit);
}
static design_action titecrm_decide_fit(const void *params, const design_state *s,
                                        const void *fit) {
  return design_crm.decide_fit(params, s, fit);
}
static int titecrm_select_fit(const void *params, const design_state *s, int highest,
                              const void *fit) {
  return design_crm.select_fit(params, s, highest, fit);
}
static void titecrm_explain(const void *params, const design_state *s, char *buf, size_t len) {
  design_crm.explain(params, s, buf, len);
}

static void titecrm_describe(const void *params, char *buf, size_t len) {
  const titecrm_params *p = params;
  design_crm.describe(params, buf, len);
  size_t used = strlen(buf);
  if (used < len)
    snprintf(buf + used, len - used, "TITE-CRM, %s weights for patients in follow-up\n",
             titecrm_schemes[p->scheme]);
}

/* The view as crm_posterior_weighted takes it: complete outcomes as counts, pending patients
 * with their doses and weights; returns m, the number pending. */
static int titecrm_data(const titecrm_params *p, const pending_view *v, int *n, int *y,
                        uint8_t *dose, double *pw) {
  double w[DESIGN_MAX_N];
  int m = 0;
  for (int d = 0; d < p->crm.spec.k; d++) {
    n[d] = v->n[d];
    y[d] = v->y[d];
  }
  if (p->scheme == TITECRM_LINEAR) { /* titecrm_weights' linear case, for the pending alone */
    for (int i = 0; i < v->n_patients; i++)
      if (!v->patient[i].complete) {
        dose[m] = v->patient[i].dose;
        pw[m++] = titecrm_linear(v, v->patient[i].followup);
      }
    return m;
  }
  titecrm_weights(v, p->scheme, w);
  for (int i = 0; i < v->n_patients; i++)
    if (!v->patient[i].complete) {
      dose[m] = v->patient[i].dose;
      pw[m++] = w[i];
    }
  return m;
}

/* The decision from the posterior mean a_hat's recommendation rec and stop_toxic's verdict. */
static design_action titecrm_act(const titecrm_params *p, const design_state *s, int rec,
                                 bool toxic) {
  if (p->crm.stop_toxic_set && toxic)
    return design_stop(0, 0);
  int next = rec;
  if (p->crm.no_skip) { /* as crm.c's decide, on the DLTs seen in the last cohort */
    if (next > s->cur + 1)
      next = s->cur + 1;
    if (next > s->cur && (double)s->last_y / s->last_n >= p->crm.target)
      next = s->cur;
  }
  return design_treat_rec(next, rec);
}

/* The fixed rule with its guard and fallback (crm_fit_weighted), also with nothing pending (the
 * pending rule's faster way; decide answers the same, both being the adaptive rule's answer). */
static design_action titecrm_decide_pending(const void *params, const pending_view *v) {
  const titecrm_params *p = params;
  design_state s;
  pending_view_state(v, p->crm.spec.k, &s);
  if (v->n_patients == 0)
    return design_crm.decide(&p->crm, &s);
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  uint8_t dose[DESIGN_MAX_N];
  double pw[DESIGN_MAX_N];
  int m = titecrm_data(p, v, n, y, dose, pw);
  crm_counts_fit f;
  crm_fit_weighted(&p->crm, n, y, m, dose, pw, &f);
  return titecrm_act(p, &s, f.rec[p->crm.spec.k - 1], f.toxic);
}

/* The bracket (design_type.pending_bracket). Under the empiric model p_d(a) = exp(-t_d e^a)
 * falls with a at every dose, so for weights w <= w' the ratio (1 - w' p)/(1 - w p) of a pending
 * patient's factors rises with a: the posteriors are ordered by likelihood ratio, and the
 * posterior of a is stochastically larger the larger any weight (Cheung & Chappell 2000's
 * likelihood; Lehmann & Romano 2005, 3.4). Its mean and P(a < a*) therefore lie between those
 * of w = 0 for every pending patient (left out) and w = 1 (counted as without DLT), two
 * complete-data posteriors, whatever the weights (linear or adaptive). The recommendation, the
 * dose with p_d(a_hat) closest to the target, never falls as a_hat rises (every p_d falls, in
 * order), so where both ends recommend the same dose and agree on stop_toxic, so does every
 * weighting between them: the decision is the full fit's, up to the fits' own accuracy at a
 * boundary (CRM_GUARD's margin, within which every fit falls back to the adaptive rule). The
 * logistic model's p_d rises with a at doses below the intercept's and falls above: no bracket. */
static bool titecrm_pending_bracket(const void *params, const pending_view *v, design_state *lo,
                                    design_state *hi) {
  const titecrm_params *p = params;
  if (p->crm.spec.model != CRM_EMPIRIC || v->n_patients == 0)
    return false;
  pending_view_state(v, p->crm.spec.k, lo);
  *hi = *lo;
  for (int i = 0; i < v->n_patients; i++)
    if (!v->patient[i].complete)
      hi->n[v->patient[i].dose - 1]++;
  return true;
}

static bool titecrm_decide_bracketed(const void *params, const pending_view *v, const void *fit_lo,
                                     const void *fit_hi, design_action *out) {
  const titecrm_params *p = params;
  const crm_counts_fit *lo = fit_lo, *hi = fit_hi;
  const int top = p->crm.spec.k - 1;
  if (lo->rec[top] != hi->rec[top] || lo->toxic != hi->toxic)
    return false;
  design_state s;
  pending_view_state(v, p->crm.spec.k, &s);
  *out = titecrm_act(p, &s, lo->rec[top], lo->toxic);
  return true;
}

design_action titecrm_decide_adaptive(const void *params, const pending_view *v) {
  const titecrm_params *p = params;
  design_state s;
  pending_view_state(v, p->crm.spec.k, &s);
  if (v->n_patients == 0)
    return design_treat(p->crm.start_dose);
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  uint8_t dose[DESIGN_MAX_N];
  double pw[DESIGN_MAX_N], a_hat, p_tox1 = 0.0;
  int m = titecrm_data(p, v, n, y, dose, pw);
  crm_posterior_weighted(&p->crm.spec, n, y, m, dose, pw, 1, p->crm.target, &a_hat,
                         p->crm.stop_toxic_set ? &p_tox1 : NULL);
  int rec = crm_recommend(&p->crm.spec, a_hat, p->crm.target);
  return titecrm_act(p, &s, rec, p_tox1 > p->crm.stop_toxic);
}

const design_type design_titecrm = {
    .name = "titecrm",
    .title = "TITE-CRM, the time-to-event CRM (Cheung & Chappell 2000)",
    .options = titecrm_option_table,
    .options_size = sizeof(titecrm_options),
    .params_size = sizeof(titecrm_params),
    .stop_reasons = titecrm_reasons,
    .example = "skeleton: {halfwidth: 0.05, prior_mtd: 2}",
    .configure = titecrm_configure,
    .uses_last_cohort = titecrm_uses_last_cohort,
    .own_rules = titecrm_own_rules,
    .decide = titecrm_decide,
    .select = titecrm_select,
    .fit_size = sizeof(crm_counts_fit),
    .fit = titecrm_fit,
    .decide_fit = titecrm_decide_fit,
    .select_fit = titecrm_select_fit,
    .explain = titecrm_explain,
    .describe = titecrm_describe,
    .reads_pending = true,
    .decide_pending = titecrm_decide_pending,
    .pending_bracket = titecrm_pending_bracket,
    .decide_bracketed = titecrm_decide_bracketed,
};
