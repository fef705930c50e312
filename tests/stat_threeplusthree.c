/* stat_threeplusthree.c — simulated 3+3 selection probabilities against exact values computed
 * here, independently of the design code: Storer's closed form for the 3+3 without
 * de-escalation (P(pass d) = q^3 + 3pq^2 q^3; at the top q^3(q^3 + 3pq^2) + 3pq^2 q^3, q = 1-p),
 * and a recursion over cohort outcomes for the 3+3 with de-escalation. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "prob.h"
#include "support_sim.h"

#define TRIALS 40000

static const double curves[][3] = {{0.05, 0.12, 0.30}, {0.12, 0.30, 0.45}, {0.30, 0.45, 0.60},
                                   {0.02, 0.05, 0.10}, {0.55, 0.65, 0.75}, {0.25, 0.25, 0.25}};
#define N_CURVES (sizeof curves / sizeof curves[0])

/* Closed form, no de-escalation: sel[d] = prod_{i<=d} pass_i (1 - pass_{d+1}). */
static void closed_form(const double *p, int k, double *sel) {
  double reach = 1.0;
  for (int d = 1; d <= k; d++) {
    double q = 1 - p[d - 1], b0 = q * q * q, b1 = 3 * p[d - 1] * q * q;
    double pass = d < k ? b0 + b1 * b0 : b0 * (b0 + b1) + b1 * b0;
    sel[d - 1] = reach * (1 - pass); /* MTD d-1 */
    reach *= pass;
  }
  sel[k] = reach;
}

/* Recursion over cohort outcomes, with de-escalation, straight from the protocol text. */
static void recurse(const double *p, int k, int d, int *n, int *y, double pr, double *sel);

static void too_toxic(const double *p, int k, int d, int *n, int *y, double pr, double *sel) {
  if (d == 1)
    sel[0] += pr;
  else if (n[d - 2] < 6)
    recurse(p, k, d - 1, n, y, pr, sel);
  else
    sel[d - 1] += pr;
}

/* Treat a cohort of 3 at d, then apply the rules. */
static void recurse(const double *p, int k, int d, int *n, int *y, double pr, double *sel) {
  for (int j = 0; j <= 3; j++) {
    double pj = pr * prob_binom_pmf(3, j, p[d - 1]);
    n[d - 1] += 3;
    y[d - 1] += j;
    bool above_toxic = d < k && n[d] >= 3 && y[d] >= 2;
    if (y[d - 1] >= 2)
      too_toxic(p, k, d, n, y, pj, sel);
    else if (n[d - 1] == 3 && y[d - 1] == 1)
      recurse(p, k, d, n, y, pj, sel);
    else if (n[d - 1] == 3) /* 0/3 */
      recurse(p, k, (d == k || above_toxic) ? d : d + 1, n, y, pj, sel);
    else if (d == k || above_toxic) /* <= 1/6 */
      sel[d] += pj;
    else
      recurse(p, k, d + 1, n, y, pj, sel);
    n[d - 1] -= 3;
    y[d - 1] -= j;
  }
}

static config *reference_like(bool deescalate) {
  char yaml[2048];
  int len = snprintf(yaml, sizeof yaml,
                     "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
                     "designs: [{name: A, type: threeplusthree, deescalate: %s}]\n"
                     "scenarios:\n",
                     deescalate ? "true" : "false");
  for (size_t c = 0; c < N_CURVES; c++)
    len +=
        snprintf(yaml + len, sizeof yaml - (size_t)len, "  - {name: c%zu, p_tox: [%g, %g, %g]}\n",
                 c, curves[c][0], curves[c][1], curves[c][2]);
  snprintf(yaml + len, sizeof yaml - (size_t)len, "simulation: {trials: %d, seed: 7}\n", TRIALS);
  return support_config(yaml);
}

static void check(bool deescalate) {
  config *cfg = reference_like(deescalate);
  oc_rows sim, ex;
  support_simulate(cfg, TRIALS, &sim);
  support_exact(cfg, &ex);
  for (size_t c = 0; c < N_CURVES; c++) {
    double truth[4] = {0};
    if (deescalate) {
      int n[3] = {0}, y[3] = {0};
      recurse(curves[c], 3, 1, n, y, 1.0, truth);
    } else {
      closed_form(curves[c], 3, truth);
    }
    double total = 0;
    for (int d = 0; d <= 3; d++) {
      double s = support_row(&sim, (int)c, "A", "sel", d)->value;
      double e = support_row(&ex, (int)c, "A", "sel", d)->value;
      cr_expect(support_within_4se(s, truth[d], TRIALS),
                "curve %zu dose %d: simulated %.5f, exact %.5f", c, d, s, truth[d]);
      cr_expect(fabs(e - truth[d]) < 1e-12,
                "curve %zu dose %d: exact engine %.15f, enumeration %.15f", c, d, e, truth[d]);
      total += truth[d];
    }
    cr_expect(fabs(total - 1) < 1e-12, "curve %zu: enumeration sums to %.15f", c, total);
  }
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  config_free(cfg);
}

Test(stat_threeplusthree, no_deescalation_matches_closed_form) { check(false); }
Test(stat_threeplusthree, deescalation_matches_enumeration) { check(true); }
