/* test_titecrm.c — TITE-CRM (designs/titecrm.c): dfcrm's known answer, the weights, the weighted
 * posterior against a brute-force rule written here from the definition, and what pending
 * patients do to a decision.
 *
 * Independent truths:
 *  - dfcrm 0.2-2.1's titecrm() help example (man/titecrm.Rd): skeleton 0.05 0.10 0.20 0.35 0.50
 *    0.70, target 0.2, doses 3 3 3 4 4 3 2 2 2 3, DLTs 0 0 1 0 1 0 0 0 0 0, follow-up 178 181 168
 *    181 24 181 179 102 42 3 days of a 180-day window. Linear weights: beta-hat = -0.1327866,
 *    p-hat = 0.0726 0.1332 0.2443 0.3988 0.5450 0.7317, MTD 3 (the numbers; R 4.2.2
 *    prints -0.1327865514 and the weights 0.98888889 1 1 1 1 1 0.99444444 0.56666667 0.23333333
 *    0.01666667). Adaptive: beta-hat = -0.1345180665, MTD 3, weights 0.94444444444 1 1 1 1 1
 *    0.97222222222 0.51388888889 0.375 0.04166666667. dfcrm integrates with R's integrate()
 *    (relative tolerance about 1.2e-4 of each integral), so beta-hat is compared to 1e-6;
 *  - the weighted likelihood p^y (1 - w p)^(1 - y) integrated here by a 200,001-point rule. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "support.h"
#include "titecrm.h"

static const double skel6[6] = {0.05, 0.10, 0.20, 0.35, 0.50, 0.70};
static const int rd_level[10] = {3, 3, 3, 4, 4, 3, 2, 2, 2, 3};
static const int rd_tox[10] = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0};
static const double rd_u[10] = {178, 181, 168, 181, 24, 181, 179, 102, 42, 3};

static void rd_view(pending_view *v) {
  pending_view_init(v, 180.0, 1, 30);
  for (int i = 0; i < 10; i++)
    cr_assert(pending_view_add(v, rd_level[i], rd_tox[i] == 1, rd_u[i]));
}

static void *configure(const char *opts) {
  void *buf = malloc(design_titecrm.params_size);
  cr_assert_not_null(buf);
  design_setup setup = {
      .n_doses = 6, .cohort_size = 1, .max_n = 30, .start_dose = 1, .target = 0.2};
  return (void *)support_configure_ok(&design_titecrm, setup, opts, buf,
                                      design_titecrm.params_size);
}

/* beta-hat of the view's data with the design's weights, through crm_posterior_weighted. */
static double rd_beta(titecrm_scheme scheme, const pending_view *v) {
  double w[DESIGN_MAX_N], pw[DESIGN_MAX_N];
  uint8_t dose[DESIGN_MAX_N];
  int n[6] = {0}, y[6] = {0}, m = 0;
  titecrm_weights(v, scheme, w);
  for (int i = 0; i < v->n_patients; i++) {
    const pending_patient *p = &v->patient[i];
    if (p->complete) {
      n[p->dose - 1]++;
      y[p->dose - 1] += p->dlt;
    } else {
      dose[m] = p->dose;
      pw[m++] = w[i];
    }
  }
  crm_spec spec = {.model = CRM_EMPIRIC, .k = 6, .prior_sd = CRM_DEFAULT_PRIOR_SD};
  memcpy(spec.skeleton, skel6, sizeof skel6);
  double mean;
  crm_posterior_weighted(&spec, n, y, m, dose, pw, 1, 0.2, &mean, NULL);
  return mean;
}

Test(titecrm, linear_weights_are_dfcrms) {
  pending_view v;
  rd_view(&v);
  static const double want[10] = {0.98888889, 1,          1,          1,          1,
                                  1,          0.99444444, 0.56666667, 0.23333333, 0.01666667};
  double w[DESIGN_MAX_N];
  titecrm_weights(&v, TITECRM_LINEAR, w);
  for (int i = 0; i < 10; i++)
    cr_expect(fabs(w[i] - want[i]) < 5e-9, "patient %d: %.10f, dfcrm %.8f", i + 1, w[i], want[i]);
}

Test(titecrm, adaptive_weights_are_dfcrms) {
  pending_view v;
  rd_view(&v);
  static const double want[10] = {0.94444444444, 1, 1, 1, 1, 1, 0.97222222222, 0.51388888889, 0.375,
                                  0.04166666667};
  double w[DESIGN_MAX_N];
  titecrm_weights(&v, TITECRM_ADAPTIVE, w);
  for (int i = 0; i < 10; i++)
    cr_expect(fabs(w[i] - want[i]) < 5e-11, "patient %d: %.12f, dfcrm %.11f", i + 1, w[i], want[i]);
}

Test(titecrm, dfcrm_help_example_linear) {
  pending_view v;
  rd_view(&v);
  double b = rd_beta(TITECRM_LINEAR, &v);
  cr_expect(fabs(b - (-0.1327866)) < 1e-6, "beta-hat %.10f, dfcrm -0.1327866", b);
  static const double p_hat[6] = {0.0726, 0.1332, 0.2443, 0.3988, 0.5450, 0.7317};
  for (int d = 0; d < 6; d++) {
    double p = pow(skel6[d], exp(b));
    cr_expect(fabs(p - p_hat[d]) <= 5e-5 + 1e-12, "dose %d: %.5f, dfcrm %.4f", d + 1, p, p_hat[d]);
  }
  /* the design's recommendation, with and without no_skip (the last patient was at dose 3) */
  void *with = configure("skeleton=0.05,0.10,0.20,0.35,0.50,0.70");
  void *without = configure("skeleton=0.05,0.10,0.20,0.35,0.50,0.70 no_skip=false");
  design_action a = design_titecrm.decide_pending(with, &v),
                c = design_titecrm.decide_pending(without, &v);
  cr_expect(!a.stop && !a.suspend && a.dose == 3 && a.rec == 3, "MTD 3: %d (rec %d)", a.dose,
            a.rec);
  cr_expect(!c.stop && c.dose == 3, "MTD 3 without no_skip: %d", c.dose);
  free(with);
  free(without);
}

Test(titecrm, dfcrm_help_example_adaptive) {
  pending_view v;
  rd_view(&v);
  double b = rd_beta(TITECRM_ADAPTIVE, &v);
  cr_expect(fabs(b - (-0.1345181)) < 1e-6, "beta-hat %.10f, dfcrm -0.1345181", b);
  void *p = configure("skeleton=0.05,0.10,0.20,0.35,0.50,0.70 weights=adaptive");
  design_action a = design_titecrm.decide_pending(p, &v);
  cr_expect(!a.stop && a.dose == 3, "MTD 3: %d", a.dose);
  free(p);
}

/* ---- the weighted posterior against the definition ------------------------------------------ */

/* Posterior mean of a by a 200,001-point rule on [-15, 15], the likelihood written from SPEC 12. */
static double brute_mean(const double *skel, int np, const int *dose, const int *dlt,
                         const double *w) {
  double num = 0.0, den = 0.0, var = 1.34;
  for (int j = 0; j <= 200000; j++) {
    double a = -15.0 + 30.0 * j / 200000.0, l = -a * a / (2.0 * var);
    for (int i = 0; i < np; i++) {
      double p = pow(skel[dose[i] - 1], exp(a));
      l += dlt[i] ? log(p) : log(1.0 - w[i] * p);
    }
    num += a * exp(l);
    den += exp(l);
  }
  return num / den;
}

Test(titecrm, weighted_posterior_matches_brute_force) {
  srand(28);
  crm_spec spec = {.model = CRM_EMPIRIC, .k = 6, .prior_sd = CRM_DEFAULT_PRIOR_SD};
  memcpy(spec.skeleton, skel6, sizeof skel6);
  for (int trial = 0; trial < 20; trial++) {
    int np = 2 + rand() % 14, dose[16], dlt[16], n[6] = {0}, y[6] = {0}, m = 0;
    double w[16], pw[16];
    uint8_t pd[16];
    for (int i = 0; i < np; i++) {
      dose[i] = 1 + rand() % 6;
      dlt[i] = rand() % 4 == 0;
      w[i] = dlt[i] || rand() % 2 ? 1.0 : (rand() % 1000) / 1000.0;
      if (w[i] == 1.0) {
        n[dose[i] - 1]++;
        y[dose[i] - 1] += dlt[i];
      } else {
        pd[m] = (uint8_t)dose[i];
        pw[m++] = w[i];
      }
    }
    double mean;
    crm_posterior_weighted(&spec, n, y, m, pd, pw, 1, 0.2, &mean, NULL);
    double want = brute_mean(skel6, np, dose, dlt, w);
    cr_expect(fabs(mean - want) < 1e-8, "data set %d (%d patients, %d pending): %.12f vs %.12f",
              trial, np, m, mean, want);
  }
}

/* Weight 0 is a patient not yet treated; weight 1 a complete patient without DLT. */
Test(titecrm, weights_at_their_ends) {
  crm_spec spec = {
      .model = CRM_LOGISTIC, .k = 6, .prior_sd = CRM_DEFAULT_PRIOR_SD, .intercept = 3.0};
  memcpy(spec.skeleton, skel6, sizeof skel6);
  int n[6] = {3, 3, 1, 0, 0, 0}, y[6] = {0, 1, 1, 0, 0, 0}, n1[6] = {3, 3, 2, 0, 0, 0};
  uint8_t pd[1] = {3};
  double zero[1] = {0.0}, one[1] = {1.0}, a, b, pa, pb;
  crm_posterior_weighted(&spec, n, y, 1, pd, zero, 1, 0.2, &a, &pa);
  crm_posterior(&spec, n, y, 1, 0.2, &b, &pb);
  cr_expect(fabs(a - b) < 1e-10 && fabs(pa - pb) < 1e-10, "w = 0: %.12f vs %.12f", a, b);
  crm_posterior_weighted(&spec, n, y, 1, pd, one, 1, 0.2, &a, &pa);
  crm_posterior(&spec, n1, y, 1, 0.2, &b, &pb);
  cr_expect(fabs(a - b) < 1e-10 && fabs(pa - pb) < 1e-10, "w = 1: %.12f vs %.12f", a, b);
}

/* A pending patient followed longer without a DLT is more evidence of safety: a-hat grows with
 * the follow-up, and enough of it moves the recommendation up to the dose of the pending patients
 * (dose 2 with weight 0, as if they were not treated: 0/3 at dose 1, 1/4 at dose 2). */
Test(titecrm, followup_moves_the_decision) {
  void *p = configure("skeleton=0.05,0.10,0.20,0.35,0.50,0.70 no_skip=false");
  double prev = -INFINITY;
  int first_escalation = -1;
  for (int f = 0; f <= 27; f++) {
    pending_view v;
    pending_view_init(&v, 28.0, 1, 30);
    for (int i = 0; i < 3; i++)
      pending_view_add(&v, 1, false, 28.0);
    pending_view_add(&v, 2, true, 10.0);
    for (int i = 0; i < 3; i++)
      pending_view_add(&v, 2, false, 28.0);
    for (int i = 0; i < 4; i++)
      pending_view_add(&v, 3, false, (double)f);
    double b = rd_beta(TITECRM_LINEAR, &v);
    cr_expect(b > prev, "a-hat %.6f at %d days after %.6f", b, f, prev);
    prev = b;
    design_action a = design_titecrm.decide_pending(p, &v);
    cr_assert(!a.stop && !a.suspend);
    if (a.dose == 3 && first_escalation < 0)
      first_escalation = f;
    cr_expect(a.dose == 2 || a.dose == 3, "day %d: dose %d", f, a.dose);
    if (f == 0)
      cr_expect_eq(a.dose, 2, "pending patients not yet followed weigh nothing");
    if (first_escalation >= 0)
      cr_expect_eq(a.dose, 3, "day %d: back to dose %d after reaching 3", f, a.dose);
  }
  cr_expect_geq(first_escalation, 1, "dose 3 comes with follow-up (first at day %d)",
                first_escalation);
  free(p);
}

/* stop_toxic reads the weighted posterior: many DLTs at dose 1 stop whatever is pending. */
Test(titecrm, stop_toxic_with_pending_patients) {
  void *p = configure("skeleton=0.05,0.10,0.20,0.35,0.50,0.70 stop_toxic=0.9");
  pending_view v;
  pending_view_init(&v, 28.0, 1, 30);
  for (int i = 0; i < 5; i++)
    pending_view_add(&v, 1, true, 3.0 + i);
  pending_view_add(&v, 1, false, 14.0);
  design_action a = design_titecrm.decide_pending(p, &v);
  cr_expect(a.stop && a.dose == 0, "5 DLTs in 6 at dose 1: stop, no MTD (%s %d)",
            a.stop ? "stop" : "treat", a.dose);
  free(p);
}

/* ---- the fixed rule against the adaptive one ------------------------------------------------
 * design_titecrm decides with CRM's fixed rule and the pending factors (crm_fit_weighted), and
 * falls back to the adaptive rule within its guard; titecrm_decide_adaptive always takes the
 * adaptive rule. Their decisions must be the same on every view: random trial histories (the
 * most recent patients pending, as at an arrival), fast and slow accrual, each weight scheme, both
 * models, with and without stop_toxic, and views placed on purpose next to a decision's switch. */

/* A trial history at an arrival: patients `gap` days apart (jittered), the first `n` of them
 * enrolled at doses that wander by at most one level, DLTs with probability p_dlt at onsets
 * uniform in the window; the view at the time the next patient arrives. */
static void random_view(pending_view *v, int k, int max_n, double window, double gap,
                        double p_dlt) {
  pending_view_init(v, window, 1, max_n);
  int n = 1 + rand() % max_n, d = 1 + rand() % k;
  double t[DESIGN_MAX_N], now = 0.0, onset[DESIGN_MAX_N];
  int dose[DESIGN_MAX_N];
  bool dlt[DESIGN_MAX_N];
  for (int i = 0; i < n; i++) {
    t[i] = now;
    dose[i] = d;
    dlt[i] = rand() < p_dlt * RAND_MAX;
    onset[i] = window * (rand() + 1.0) / (RAND_MAX + 2.0);
    now += gap * (0.2 + 1.6 * rand() / (double)RAND_MAX);
    d += rand() % 3 - 1;
    d = d < 1 ? 1 : d > k ? k : d;
  }
  for (int i = 0; i < n; i++) {
    double f = now - t[i];
    bool seen = dlt[i] && onset[i] <= f;
    pending_view_add(v, dose[i], seen, seen ? onset[i] : f);
  }
}

static bool same_action(design_action a, design_action b) {
  return a.stop == b.stop && a.suspend == b.suspend && a.dose == b.dose && a.rec == b.rec;
}

typedef struct {
  const char *opts;
  int k, max_n;
  double target, gap, p_dlt;
} rule_case;

static const rule_case rule_cases[] = {
    /* the reference study as bench/titecrm_poisson.yaml has it, and without stop_toxic */
    {"skeleton.halfwidth=0.05 skeleton.prior_mtd=2 stop_toxic=0.9", 3, 21, 0.30, 15.2, 0.3},
    {"skeleton.halfwidth=0.05 skeleton.prior_mtd=2", 3, 21, 0.30, 15.2, 0.3},
    /* fast accrual: many pending, their weights' sum past the concave case (crm.c) */
    {"skeleton.halfwidth=0.05 skeleton.prior_mtd=2 stop_toxic=0.5", 3, 21, 0.30, 2.0, 0.4},
    {"skeleton=0.05,0.10,0.20,0.35,0.50,0.70 weights=adaptive", 6, 30, 0.20, 7.0, 0.25},
    {"skeleton=0.05,0.10,0.20,0.35,0.50,0.70 no_skip=false stop_toxic=0.8", 6, 30, 0.20, 10.0,
     0.35},
    {"model=logistic skeleton=0.1,0.2,0.3,0.45 stop_toxic=0.85", 4, 24, 0.25, 9.0, 0.3},
    {"skeleton.halfwidth=0.04 skeleton.prior_mtd=3 prior_sd=2", 5, 60, 0.25, 12.0, 0.2},
};

static void *configure_case(const rule_case *c) {
  void *buf = malloc(design_titecrm.params_size);
  cr_assert_not_null(buf);
  design_setup setup = {
      .n_doses = c->k, .cohort_size = 1, .max_n = c->max_n, .start_dose = 1, .target = c->target};
  return (void *)support_configure_ok(&design_titecrm, setup, c->opts, buf,
                                      design_titecrm.params_size);
}

Test(titecrm, fixed_rule_decides_as_the_adaptive_rule) {
  srand(2028);
  static pending_view v;
  int views = 0;
  for (size_t c = 0; c < sizeof rule_cases / sizeof *rule_cases; c++) {
    const rule_case *rc = &rule_cases[c];
    void *p = configure_case(rc);
    for (int i = 0; i < 700; i++, views++) {
      random_view(&v, rc->k, rc->max_n, 28.0, rc->gap, rc->p_dlt);
      design_action a = design_titecrm.decide_pending(p, &v), b = titecrm_decide_adaptive(p, &v);
      cr_expect(same_action(a, b),
                "case %zu view %d (%d patients, %d pending): fixed %s %d (rec %d), adaptive %s %d "
                "(rec %d)",
                c, i, v.n_patients, v.n_pending, a.stop ? "stop" : "treat", a.dose, a.rec,
                b.stop ? "stop" : "treat", b.dose, b.rec);
    }
    free(p);
  }
  cr_expect_eq(views, 4900);
}

/* The numbers behind the decisions: where the fixed rule answers, its posterior mean and tail
 * probability are the adaptive rule's to 1e-10, and it answers for nearly every view (else the
 * test above would compare the adaptive rule with itself). */
Test(titecrm, fixed_rule_posterior_is_the_adaptive_rules) {
  srand(1177);
  static pending_view v;
  for (size_t c = 0; c < sizeof rule_cases / sizeof *rule_cases; c++) {
    const rule_case *rc = &rule_cases[c];
    design_setup setup = {.n_doses = rc->k,
                          .cohort_size = 1,
                          .max_n = rc->max_n,
                          .start_dose = 1,
                          .target = rc->target};
    void *params = malloc(design_titecrm.params_size);
    cr_assert_not_null(params);
    support_configure_ok(&design_titecrm, setup, rc->opts, params, design_titecrm.params_size);
    const crm_params *cp = params; /* titecrm's params start with CRM's (titecrm.c) */
    int answered = 0, tried = 0;
    for (int i = 0; i < 400; i++) {
      random_view(&v, rc->k, rc->max_n, 28.0, rc->gap, rc->p_dlt);
      if (v.n_pending == 0)
        continue;
      int n[DESIGN_MAX_DOSES] = {0}, y[DESIGN_MAX_DOSES] = {0}, m = 0;
      uint8_t dose[DESIGN_MAX_N];
      double w[DESIGN_MAX_N], pw[DESIGN_MAX_N];
      titecrm_weights(&v, strstr(rc->opts, "adaptive") ? TITECRM_ADAPTIVE : TITECRM_LINEAR, w);
      for (int j = 0; j < v.n_patients; j++)
        if (v.patient[j].complete) {
          n[v.patient[j].dose - 1]++;
          y[v.patient[j].dose - 1] += v.patient[j].dlt;
        } else {
          dose[m] = v.patient[j].dose;
          pw[m++] = w[j];
        }
      double mean, lo, hi, want, p_want;
      crm_posterior_weighted(&cp->spec, n, y, m, dose, pw, 1, rc->target, &want, &p_want);
      tried++;
      if (!crm_rule_posterior_weighted(&cp->rule, n, y, m, dose, pw, NAN, 0.0, &mean, &lo, &hi))
        continue;
      answered++;
      cr_expect(fabs(mean - want) < 1e-10 && fabs(lo - p_want) < 1e-10 && lo == hi,
                "case %zu view %d (%d pending): mean %.14f vs %.14f, P %.14f vs %.14f", c, i, m,
                mean, want, lo, p_want);
      /* with a threshold the answer may be an interval, which must hold the probability */
      double t = p_want + (rand() % 3 - 1) * 0.05;
      if (crm_rule_posterior_weighted(&cp->rule, n, y, m, dose, pw, t, 1e-8, &mean, &lo, &hi))
        cr_expect(lo <= p_want + 1e-10 && p_want <= hi + 1e-10 &&
                      (lo == hi || hi < t - 1e-8 || lo > t + 1e-8),
                  "case %zu view %d: [%.14f, %.14f] for %.14f against %g", c, i, lo, hi, p_want, t);
    }
    cr_expect(answered >= tried * 97 / 100, "case %zu: the fixed rule answered %d of %d", c,
              answered, tried);
    free(params);
  }
}

/* Next to a switch: one pending patient's follow-up f moves a-hat monotonically (more follow-up
 * without a DLT is more evidence of safety), so where the decision at f = 0 and at f near W
 * differ, bisection finds the follow-up f* where the adaptive rule's decision changes; at f* and
 * at f* +- W x {1e-13, 1e-11, 1e-9, 1e-7, 1e-5, 1e-3} the fixed rule must decide the same. */
static design_action decide_at(const void *p, pending_view *v, int i, double f, bool fast) {
  v->patient[i].followup = f;
  return fast ? design_titecrm.decide_pending(p, v) : titecrm_decide_adaptive(p, v);
}

Test(titecrm, fixed_rule_decides_as_the_adaptive_rule_next_to_a_switch) {
  srand(52);
  static pending_view v;
  int switches = 0;
  static const double offsets[] = {0.0, 1e-13, 1e-11, 1e-9, 1e-7, 1e-5, 1e-3};
  for (size_t c = 0; c < sizeof rule_cases / sizeof *rule_cases; c++) {
    const rule_case *rc = &rule_cases[c];
    void *p = configure_case(rc);
    for (int tries = 0, found = 0; tries < 400 && found < 25; tries++) {
      random_view(&v, rc->k, rc->max_n, 28.0, rc->gap, rc->p_dlt);
      int i = v.n_patients - 1; /* the last patient is pending unless a DLT was seen */
      if (v.patient[i].complete)
        continue;
      double lo = 0.0, hi = 28.0 * (1.0 - 1e-9);
      design_action a_lo = decide_at(p, &v, i, lo, false), a_hi = decide_at(p, &v, i, hi, false);
      if (same_action(a_lo, a_hi))
        continue;
      for (int it = 0; it < 60; it++) {
        double mid = 0.5 * (lo + hi);
        if (same_action(decide_at(p, &v, i, mid, false), a_lo))
          lo = mid;
        else
          hi = mid;
      }
      found++;
      switches++;
      for (size_t o = 0; o < sizeof offsets / sizeof *offsets; o++)
        for (int side = -1; side <= 1; side += 2) {
          double f = (side < 0 ? lo : hi) + side * offsets[o] * 28.0;
          if (!(f >= 0.0 && f < 28.0))
            continue;
          design_action a = decide_at(p, &v, i, f, true), b = decide_at(p, &v, i, f, false);
          cr_expect(same_action(a, b),
                    "case %zu: follow-up %.17g (switch at %.17g): fixed dose %d rec %d stop %d, "
                    "adaptive dose %d rec %d stop %d",
                    c, f, lo, a.dose, a.rec, a.stop, b.dose, b.rec, b.stop);
        }
    }
    free(p);
  }
  cr_expect_geq(switches, 60, "switches found: %d", switches);
}

/* ---- the bracket (design_type.pending_bracket, decide_bracketed) ----------------------------- */

/* The theorem behind it, on the definition: the posterior mean with weights w in [0, 1] lies
 * between the means with every pending weight 0 (left out) and 1 (a complete patient without
 * DLT), each by the 200,001-point rule. */
Test(titecrm, pending_weights_move_the_mean_between_the_brackets_ends) {
  srand(4711);
  for (int trial = 0; trial < 12; trial++) {
    int np = 2 + rand() % 12, dose[16], dlt[16];
    double w[16], w0[16], w1[16];
    for (int i = 0; i < np; i++) {
      dose[i] = 1 + rand() % 6;
      dlt[i] = rand() % 4 == 0;
      bool pending = !dlt[i] && rand() % 2;
      w[i] = pending ? (rand() % 1000) / 1000.0 : 1.0;
      w0[i] = pending ? 0.0 : 1.0;
      w1[i] = 1.0;
    }
    double lo = brute_mean(skel6, np, dose, dlt, w0), mid = brute_mean(skel6, np, dose, dlt, w),
           hi = brute_mean(skel6, np, dose, dlt, w1);
    cr_expect(lo <= mid + 1e-12 && mid <= hi + 1e-12, "data set %d: %.12f <= %.12f <= %.12f?",
              trial, lo, mid, hi);
  }
}

/* Where the fits of the bracket's two ends settle a decision, it is decide_pending's and the
 * adaptive rule's; the logistic model has no bracket; and the bracket does settle decisions
 * (else this would test nothing). */
Test(titecrm, bracket_settles_as_decide_pending) {
  srand(90210);
  static pending_view v;
  for (size_t c = 0; c < sizeof rule_cases / sizeof *rule_cases; c++) {
    const rule_case *rc = &rule_cases[c];
    void *p = configure_case(rc);
    bool logistic = strstr(rc->opts, "logistic") != NULL;
    int settled = 0, tried = 0;
    for (int i = 0; i < 600; i++) {
      random_view(&v, rc->k, rc->max_n, 28.0, rc->gap, rc->p_dlt);
      design_state lo, hi;
      if (!design_titecrm.pending_bracket(p, &v, &lo, &hi))
        continue;
      tried++;
      crm_counts_fit f_lo, f_hi;
      design_titecrm.fit(p, &lo, &f_lo);
      design_titecrm.fit(p, &hi, &f_hi);
      design_action a;
      if (!design_titecrm.decide_bracketed(p, &v, &f_lo, &f_hi, &a))
        continue;
      settled++;
      design_action b = design_titecrm.decide_pending(p, &v), c2 = titecrm_decide_adaptive(p, &v);
      cr_expect(same_action(a, b) && same_action(a, c2),
                "case %zu view %d (%d patients, %d pending): bracket %s %d (rec %d), "
                "decide_pending %s %d (rec %d), adaptive %s %d (rec %d)",
                c, i, v.n_patients, v.n_pending, a.stop ? "stop" : "treat", a.dose, a.rec,
                b.stop ? "stop" : "treat", b.dose, b.rec, c2.stop ? "stop" : "treat", c2.dose,
                c2.rec);
    }
    if (logistic)
      cr_expect_eq(tried, 0, "case %zu: the logistic model has no bracket", c);
    else
      cr_expect(settled > 0 && settled < tried, "case %zu: %d of %d settled", c, settled, tried);
    free(p);
  }
}
