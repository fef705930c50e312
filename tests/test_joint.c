/* test_joint.c — the joint chain of two designs on the same patients (src/engine/joint.c): its
 * whole law against brute-force enumeration of the patients' tolerances, its marginals against each
 * design's own exact sweep (src/engine/exact.c) for every pair of the six design types, designs of
 * different cohort sizes, max_n and start doses, a design against itself, what `exact` reports
 * from it, and its bound. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "joint.h"
#include "oc.h"
#include "scenarios.h"
#include "support_sim.h"

#define K1 (DESIGN_MAX_DOSES + 1)

/* Every design of a config prepared for joint chains (and its graph, for the brute force). */
typedef struct {
  config *cfg;
  joint_design *jd[16];
  graph *g[16];
} pairs;

static void pairs_init(pairs *ps, const char *yaml) {
  memset(ps, 0, sizeof *ps);
  ps->cfg = support_config(yaml);
  cr_assert_leq(ps->cfg->n_designs, 16);
  dv_error err = {0};
  for (int j = 0; j < ps->cfg->n_designs; j++) {
    cr_assert_eq(graph_alloc(&ps->g[j], &ps->cfg->designs[j].policy, (size_t)1 << 22, &err), DV_OK,
                 "%s", err.msg);
    cr_assert_eq(joint_design_alloc(&ps->jd[j], ps->g[j], ps->cfg->designs[j].name, &err), DV_OK,
                 "%s", err.msg);
  }
}

static void pairs_free(pairs *ps) {
  for (int j = 0; j < ps->cfg->n_designs; j++) {
    joint_design_free(ps->jd[j]);
    graph_free(ps->g[j]);
  }
  config_free(ps->cfg);
}

/* The pair under scenario s as `exact` sweeps it: responses where the scenario has p_eff, each
 * design right at its own true dose. */
static void sweep_pair(pairs *ps, int s, int a, int b, joint_result *r) {
  dv_error err = {0};
  config_scenario sc;
  config_scenario_at(ps->cfg, s, &sc);
  const config *cfg = ps->cfg;
  joint_curve c = {.p_tox = sc.p_tox,
                   .p_eff = sc.has_eff ? sc.p_eff : NULL,
                   .rho = cfg->eff_tox_correlation,
                   .true_a = oc_design_truth(&cfg->designs[a], &sc, cfg->n_doses),
                   .true_b = oc_design_truth(&cfg->designs[b], &sc, cfg->n_doses)};
  cr_assert_eq(joint_sweep_curve(ps->jd[a], ps->jd[b], &c, JOINT_MAX_STATES, r, &err), DV_OK, "%s",
               err.msg);
}

/* The independent truth: the sorted distinct p cut [0, 1) into intervals; a patient's tolerance
 * in an interval decides his DLT at every dose alike. Enumerates every assignment of the n
 * patients to the intervals (one tolerance per interval, its midpoint, stands for it), walks
 * every design on the same patients and adds the assignment's probability to each pair's
 * law[a][b][i][j] = P(a selects i and b selects j). */
static void brute_force(pairs *ps, int s, double (*law)[16][K1][K1]) {
  const config *cfg = ps->cfg;
  const double *p = cfg->named[s].p_tox;
  int k = cfg->n_doses, n = config_patients_per_trial(cfg), D = cfg->n_designs;
  double cut[K1 + 1];
  int m = 0;
  cut[m++] = 0.0;
  for (int d = 0; d < k; d++) { /* insertion of the distinct p */
    int at = m;
    while (at > 0 && cut[at - 1] > p[d])
      at--;
    if (at > 0 && cut[at - 1] == p[d])
      continue;
    memmove(cut + at + 1, cut + at, (size_t)(m - at) * sizeof *cut);
    cut[at] = p[d];
    m++;
  }
  if (cut[m - 1] < 1.0)
    cut[m++] = 1.0;
  int cells = m - 1; /* intervals [cut[i], cut[i+1]) of positive length */
  double mid[K1], len[K1];
  for (int i = 0; i < cells; i++) {
    mid[i] = 0.5 * (cut[i] + cut[i + 1]);
    len[i] = cut[i + 1] - cut[i];
  }
  memset(law, 0, 16 * sizeof *law);
  int cell[DESIGN_MAX_N] = {0};
  for (;;) {
    double u[DESIGN_MAX_N], pr = 1.0;
    for (int i = 0; i < n; i++) {
      u[i] = mid[cell[i]];
      pr *= len[cell[i]];
    }
    int sel[16];
    for (int j = 0; j < D; j++)
      sel[j] = support_walk(ps->g[j], u, p);
    for (int a = 0; a < D; a++)
      for (int b = 0; b < D; b++)
        law[a][b][sel[a]][sel[b]] += pr;
    int i = 0; /* the next assignment, odometer style */
    while (i < n && ++cell[i] == cells)
      cell[i++] = 0;
    if (i == n)
      break;
  }
}

/* Six types, cohorts of 1 to 4, max_n 6 to 9, two start doses: at most 9 patients, so at most
 * 4^9 assignments. */
static const char *small_study =
    "study: {name: small, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 9}\n"
    "designs:\n"
    "  - {name: 3+3, type: threeplusthree}\n"
    "  - {name: BOIN 2, type: boin, cohort_size: 2, max_n: 8}\n"
    "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
    "  - {name: Keyboard 4, type: keyboard, cohort_size: 4, max_n: 8}\n"
    "  - {name: mTPI-2 1, type: mtpi2, cohort_size: 1, max_n: 6, start_dose: 2}\n"
    "  - {name: i3+3 start 2, type: i3plus3, max_n: 6, start_dose: 2}\n"
    "scenarios:\n"
    "  - {name: rising, p_tox: [0.12, 0.30, 0.45]}\n"
    "  - {name: dip, p_tox: [0.10, 0.40, 0.20]}\n"
    "  - {name: flat, p_tox: [0.25, 0.25, 0.25]}\n"
    "  - {name: steep, p_tox: [0.02, 0.50, 0.95]}\n";

Test(joint, law_equals_brute_force_enumeration) {
  pairs ps;
  pairs_init(&ps, small_study);
  int k = ps.cfg->n_doses, D = ps.cfg->n_designs;
  double(*law)[16][K1][K1] = malloc(16 * sizeof *law);
  for (int s = 0; s < ps.cfg->n_scenarios; s++) {
    brute_force(&ps, s, law);
    for (int a = 0; a < D; a++)
      for (int b = a; b < D; b++) {
        joint_result r;
        sweep_pair(&ps, s, a, b, &r);
        double worst = 0;
        for (int i = 0; i <= k; i++)
          for (int j = 0; j <= k; j++)
            worst = fmax(worst, fabs(r.sel[i][j] - law[a][b][i][j]));
        cr_expect(worst < 1e-12, "%s: %s vs %s: off by %.3g", ps.cfg->named[s].name,
                  ps.cfg->designs[a].name, ps.cfg->designs[b].name, worst);
      }
  }
  free(law);
  pairs_free(&ps);
}

/* Checks every pair of cfg's designs in every scenario: the joint law sums to 1, its marginals
 * are the designs' own exact selections within 1e-12, and `exact` reports its p_disagree and
 * P(A right, B not) - P(B right, A not) as pcs_diff. Returns the pairs checked. */
static int check_marginals(const char *yaml) {
  pairs ps;
  pairs_init(&ps, yaml);
  oc_rows ex;
  support_exact(ps.cfg, &ex);
  const config *cfg = ps.cfg;
  int k = cfg->n_doses, D = cfg->n_designs, checked = 0;
  for (int s = 0; s < cfg->n_scenarios; s++)
    for (int a = 0; a < D; a++)
      for (int b = a + 1; b < D; b++) {
        const char *na = cfg->designs[a].name, *nb = cfg->designs[b].name;
        joint_result r;
        sweep_pair(&ps, s, a, b, &r);
        double total = 0;
        for (int i = 0; i <= k; i++)
          for (int j = 0; j <= k; j++)
            total += r.sel[i][j];
        cr_expect(fabs(total - 1) < 1e-12, "%s vs %s: the law sums to %.15f", na, nb, total);
        for (int d = 0; d <= k; d++) {
          double own_a = support_row(&ex, s, na, "sel", d)->value;
          double own_b = support_row(&ex, s, nb, "sel", d)->value;
          cr_expect(fabs(r.sel_a[d] - own_a) < 1e-12, "%s: %s (vs %s) dose %d: %.15f vs %.15f",
                    cfg->named[s].name, na, nb, d, r.sel_a[d], own_a);
          cr_expect(fabs(r.sel_b[d] - own_b) < 1e-12, "%s: %s (vs %s) dose %d: %.15f vs %.15f",
                    cfg->named[s].name, nb, na, d, r.sel_b[d], own_b);
        }
        char pair[256];
        snprintf(pair, sizeof pair, "%s vs %s", na, nb);
        const oc_row *dis = support_row(&ex, s, pair, "p_disagree", -1);
        const oc_row *diff = support_row(&ex, s, pair, "pcs_diff", -1);
        cr_expect(dis->has_value && dis->value == r.disagree && dis->mcse == 0, "%s", pair);
        cr_expect(diff->value == r.a_right_b_not - r.b_right_a_not, "%s", pair);
        /* the paired difference is still the difference of the designs' own PCS */
        double pcs =
            support_row(&ex, s, na, "pcs", -1)->value - support_row(&ex, s, nb, "pcs", -1)->value;
        cr_expect(fabs(diff->value - pcs) < 1e-12, "%s: %.15f vs %.15f", pair, diff->value, pcs);
        checked++;
      }
  oc_rows_free(&ex);
  pairs_free(&ps);
  return checked;
}

Test(joint, marginals_equal_each_designs_own_exact_selection) {
  /* every pair of the six types on 4 doses, 18 patients, a non-monotone curve among them */
  const char *yaml =
      "study: {name: six, doses: [1, 2, 3, 4], target: 0.3, cohort_size: 3, max_n: 18}\n"
      "designs:\n"
      "  - {name: 3+3, type: threeplusthree}\n"
      "  - {name: BOIN, type: boin}\n"
      "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}, stop_toxic: 0.9}\n"
      "  - {name: mTPI-2, type: mtpi2}\n"
      "  - {name: Keyboard, type: keyboard}\n"
      "  - {name: i3+3, type: i3plus3}\n"
      "scenarios:\n"
      "  - {name: mtd2, p_tox: [0.12, 0.30, 0.45, 0.60]}\n"
      "  - {name: mtd4, p_tox: [0.03, 0.08, 0.15, 0.30]}\n"
      "  - {name: toxic, p_tox: [0.45, 0.55, 0.65, 0.75]}\n"
      "  - {name: dip, p_tox: [0.10, 0.40, 0.20, 0.50]}\n";
  cr_expect_eq(check_marginals(yaml), 4 * 15);
  /* the reference study: 3+3, BOIN in 21 and 24 patients, CRM from dose 1 and 2, BLRM in 21 and
   * 24 patients: 21 pairs */
  char path[4096];
  const char *slash = strrchr(__FILE__, '/');
  snprintf(path, sizeof path, "%.*s/../configs/nct05563545.yaml",
           slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
  FILE *fp = fopen(path, "r");
  cr_assert_not_null(fp, "%s", path);
  static char text[1 << 16];
  size_t n = fread(text, 1, sizeof text - 1, fp);
  fclose(fp);
  text[n] = '\0';
  cr_expect_eq(check_marginals(text), 6 * 21);
}

/* Designs that read responses (SPEC 13; issue 30): BOIN12 beside designs that read DLTs only, of
 * its own and other cohort sizes (cohorts of 1 and 2 end inside its cohorts of 3), and beside a
 * second BOIN12, under tolerances joined by the copula with both signs of rho: each design's
 * marginal is its own exact selection and pcs_diff the difference of the designs' own pcs (each
 * at its own true dose: BOIN12's true OBD, the others' true MTD). */
Test(joint, designs_that_read_responses_beside_others) {
  const char *yaml[2] = {
      "study: {name: eff, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12,\n"
      "        eff_tox_correlation: 0.5}\n"
      "designs:\n"
      "  - {name: BOIN12, type: boin12}\n"
      "  - {name: 3+3, type: threeplusthree}\n"
      "  - {name: BOIN 2, type: boin, cohort_size: 2, max_n: 8}\n"
      "  - {name: BOIN12 2, type: boin12, cohort_size: 2, max_n: 8, start_dose: 2}\n"
      "  - {name: mTPI-2 1, type: mtpi2, cohort_size: 1, max_n: 6}\n"
      "scenarios:\n"
      "  - {name: rising, p_tox: [0.12, 0.30, 0.45], p_eff: [0.2, 0.4, 0.6]}\n"
      "  - {name: plateau, p_tox: [0.05, 0.10, 0.35], p_eff: [0.45, 0.5, 0.5]}\n"
      "  - {name: toxic, p_tox: [0.45, 0.55, 0.65], p_eff: [0.3, 0.4, 0.5]}\n",
      "study: {name: eff, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12,\n"
      "        eff_tox_correlation: -0.4}\n"
      "designs:\n"
      "  - {name: BOIN12, type: boin12}\n"
      "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
      "  - {name: BOIN12 1, type: boin12, cohort_size: 1, max_n: 6}\n"
      "scenarios:\n"
      "  - {name: rising, p_tox: [0.12, 0.30, 0.45], p_eff: [0.2, 0.4, 0.6]}\n"
      "  - {name: dip, p_tox: [0.10, 0.40, 0.20], p_eff: [0.5, 0.3, 0.6]}\n"};
  cr_expect_eq(check_marginals(yaml[0]), 3 * 10);
  cr_expect_eq(check_marginals(yaml[1]), 2 * 3);
}

Test(joint, designs_of_different_cohort_sizes_max_n_and_start) {
  const char *yaml =
      "study: {name: cohorts, doses: [1, 2, 3, 4], target: 0.25, cohort_size: 3, max_n: 24}\n"
      "designs:\n"
      "  - {name: 3+3, type: threeplusthree}\n"
      "  - {name: BOIN 2, type: boin, cohort_size: 2, max_n: 20}\n"
      "  - {name: CRM 4, type: crm, cohort_size: 4, max_n: 24, start_dose: 2,\n"
      "     skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
      "  - {name: mTPI-2 1, type: mtpi2, cohort_size: 1, max_n: 12}\n"
      "  - {name: Keyboard 5, type: keyboard, cohort_size: 5, max_n: 25}\n"
      "  - {name: i3+3 2, type: i3plus3, cohort_size: 2, max_n: 16, start_dose: 3}\n"
      "scenarios:\n"
      "  - {name: mtd2, p_tox: [0.10, 0.25, 0.40, 0.55]}\n"
      "  - {name: mtd4, p_tox: [0.02, 0.06, 0.12, 0.25]}\n"
      "  - {name: toxic, p_tox: [0.45, 0.55, 0.65, 0.75]}\n";
  cr_expect_eq(check_marginals(yaml), 3 * 15);
}

Test(joint, a_design_against_itself_never_disagrees) {
  const char *yaml =
      "study: {name: self, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
      "designs:\n"
      "  - {name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
      "  - {name: CRM again, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}\n"
      "  - {name: BOIN 2, type: boin, cohort_size: 2, max_n: 20}\n"
      "  - {name: BOIN 2 again, type: boin, cohort_size: 2, max_n: 20}\n"
      "scenarios:\n"
      "  - {name: mtd2, p_tox: [0.12, 0.30, 0.45]}\n"
      "  - {name: flat, p_tox: [0.25, 0.25, 0.25]}\n";
  pairs ps;
  pairs_init(&ps, yaml);
  oc_rows ex;
  support_exact(ps.cfg, &ex);
  const int same[][2] = {{0, 0}, {0, 1}, {2, 2}, {2, 3}};
  for (int s = 0; s < ps.cfg->n_scenarios; s++)
    for (int i = 0; i < 4; i++) {
      int a = same[i][0], b = same[i][1];
      joint_result r;
      sweep_pair(&ps, s, a, b, &r);
      cr_expect(r.disagree == 0.0 && r.a_right_b_not == 0.0 && r.b_right_a_not == 0.0,
                "%s vs %s: %.3g", ps.cfg->designs[a].name, ps.cfg->designs[b].name, r.disagree);
      for (int d = 0; d <= ps.cfg->n_doses; d++)
        cr_expect(fabs(r.sel[d][d] -
                       support_row(&ex, s, ps.cfg->designs[a].name, "sel", d)->value) < 1e-12);
    }
  cr_expect(support_row(&ex, 0, "CRM vs CRM again", "p_disagree", -1)->value == 0.0);
  cr_expect(support_row(&ex, 1, "BOIN 2 vs BOIN 2 again", "p_disagree", -1)->value == 0.0);
  /* ... while other pairs of them do */
  cr_expect_gt(support_row(&ex, 0, "CRM vs BOIN 2", "p_disagree", -1)->value, 0.05);
  oc_rows_free(&ex);
  pairs_free(&ps);
}

Test(joint, equivalent_states_merge) {
  /* the reference CRM: 1,509 graph nodes, far fewer distinct futures */
  pairs ps;
  pairs_init(&ps, "study: {name: m, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
                  "designs: [{name: CRM, type: crm, skeleton: {halfwidth: 0.05, prior_mtd: 2}}]\n"
                  "scenarios: [{name: s, p_tox: [0.12, 0.30, 0.45]}]\n");
  cr_expect_lt(joint_design_states(ps.jd[0]), graph_size(ps.g[0]) / 4, "%zu of %zu",
               joint_design_states(ps.jd[0]), graph_size(ps.g[0]));
  pairs_free(&ps);
}

Test(joint, past_its_bound_or_across_studies_it_fails) {
  pairs ps;
  pairs_init(&ps, "study: {name: b, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 21}\n"
                  "designs: [{name: BOIN, type: boin}, {name: CRM, type: crm,\n"
                  "           skeleton: {halfwidth: 0.05, prior_mtd: 2}, start_dose: 2}]\n"
                  "scenarios: [{name: s, p_tox: [0.12, 0.30, 0.45]}]\n");
  joint_result r;
  dv_error err = {0};
  const double *p = ps.cfg->named[0].p_tox;
  cr_expect_eq(joint_sweep(ps.jd[0], ps.jd[1], p, 2, 16, &r, &err), DV_ETOOBIG);
  cr_expect(strstr(err.msg, "BOIN and CRM") && strstr(err.msg, "use `doseval run`"), "%s", err.msg);
  pairs two;
  pairs_init(&two, "study: {name: t, doses: [1, 2], target: 0.3, cohort_size: 3, max_n: 9}\n"
                   "designs: [{name: BOIN, type: boin}]\n"
                   "scenarios: [{name: s, p_tox: [0.12, 0.30]}]\n");
  dv_error err2 = {0};
  cr_expect_eq(joint_sweep(ps.jd[0], two.jd[0], p, 2, 1024, &r, &err2), DV_ERUN);
  pairs_free(&two);
  pairs_free(&ps);
}
