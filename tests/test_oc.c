/* test_oc.c — counters to metrics by hand: two trials with known outcomes, their means, shares,
 * overdosing and MCSE; the true MTD's tie rule; the metric catalogue's labels and facts. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenarios.h"
#include "support_sim.h"
#include "write.h"

Test(oc, two_trials_by_hand) {
  config *cfg =
      support_config("study: {name: o, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
                     "designs: [{name: A, type: threeplusthree}]\n"
                     "scenarios: [{name: s, p_tox: [0.1, 0.3, 0.5]}]\n");
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *counts = calloc(l.total, sizeof *counts);
  /* trial 1: 3 at dose 1 (0 DLT), 6 at dose 2 (1 DLT), 3 at dose 3 (2 DLT): MTD 2; N 12 */
  design_state t1 = {.n = {3, 6, 3}, .y = {0, 1, 2}, .cur = 3};
  /* trial 2: 3 at dose 1 (2 DLT): no MTD; N 3 */
  design_state t2 = {.n = {3, 0, 0}, .y = {2, 0, 0}, .cur = 1};
  oc_outcome o1, o2;
  oc_outcome_of(&t1, 3, 2, 2, 0, &o1);
  oc_outcome_of(&t2, 3, 2, 0, 0, &o2);
  oc_count(&l, counts, 0, 0, 2, &t1, &o1);
  oc_count(&l, counts, 0, 0, 2, &t2, &o2);
  oc_count_trials(&l, counts, 0, 2);
  oc_rows rows = {0};
  cr_assert_eq(oc_summarise_counts(&l, counts, cfg, &rows, &err), DV_OK);
  const oc_row *r = support_row(&rows, 0, "A", "sel", 2);
  cr_expect_float_eq(r->value, 0.5, 1e-15);
  cr_expect_float_eq(r->mcse, sqrt(0.25 / 2), 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "pcs", -1)->value, 0.5, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "p_stop", -1)->value, 0.5, 1e-15);
  r = support_row(&rows, 0, "A", "n_mean", -1);
  cr_expect_float_eq(r->value, 7.5, 1e-15);
  cr_expect_float_eq(r->mcse, 4.5 / sqrt(2), 1e-12); /* population sd 4.5 */
  cr_expect_float_eq(support_row(&rows, 0, "A", "n_sd", -1)->value, 4.5, 1e-12);
  cr_expect_float_eq(support_row(&rows, 0, "A", "n_dist", 12)->value, 0.5, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "n_dist", 6)->value, 0.0, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "n_dose", 2)->value, 3.0, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "dlt_dose", 1)->value, 1.0, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "dlt_mean", -1)->value, 2.5, 1e-15);
  /* shares at dose 2: 6/12 and 0/3; above: 3/12 and 0/3 (percent) */
  cr_expect_float_eq(support_row(&rows, 0, "A", "pct_at_mtd", -1)->value, 25.0, 1e-12);
  cr_expect_float_eq(support_row(&rows, 0, "A", "pct_overdosed", -1)->value, 12.5, 1e-12);
  cr_expect_float_eq(support_row(&rows, 0, "A", "overdose60", -1)->value, 0.0, 1e-15);
  /* accuracy: distances 0.2, 0, 0.2; sel = (0.5 none, 0, 0.5, 0) -> 1 - 3*0/0.4 = 1 */
  cr_expect_float_eq(support_row(&rows, 0, "A", "accuracy", -1)->value, 1.0, 1e-15);
  /* pas: dose 2 (0.3) is the only one within [0.25, 0.35]; stopping is not acceptable */
  r = support_row(&rows, 0, "A", "pas", -1);
  cr_expect_float_eq(r->value, 0.5, 1e-15);
  cr_expect_float_eq(r->mcse, sqrt(0.25 / 2), 1e-15);
  oc_rows_free(&rows);
  free(counts);
  config_free(cfg);
}

/* The same two trials where every dose is too toxic (0.5 and up, too_toxic 0.42): no true MTD,
 * so trial 2's stop is the correct selection and trial 1's MTD 2 is not; every patient is above
 * the true MTD, none at it. */
Test(oc, no_true_mtd_by_hand) {
  config *cfg =
      support_config("study: {name: o, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
                     "designs: [{name: A, type: threeplusthree}]\n"
                     "scenarios: [{name: s, p_tox: [0.5, 0.6, 0.7]}]\n");
  config_scenario sc;
  config_scenario_at(cfg, 0, &sc);
  cr_assert_eq(sc.true_mtd, 0);
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *counts = calloc(l.total, sizeof *counts);
  design_state t1 = {.n = {3, 6, 3}, .y = {0, 1, 2}, .cur = 3};
  design_state t2 = {.n = {3, 0, 0}, .y = {2, 0, 0}, .cur = 1};
  oc_outcome o1, o2;
  oc_outcome_of(&t1, 3, sc.true_mtd, 2, 0, &o1);
  oc_outcome_of(&t2, 3, sc.true_mtd, 0, 0, &o2);
  cr_expect_eq(o1.over, 12);
  cr_expect_eq(o2.over, 3);
  oc_count(&l, counts, 0, 0, sc.true_mtd, &t1, &o1);
  oc_count(&l, counts, 0, 0, sc.true_mtd, &t2, &o2);
  oc_count_trials(&l, counts, 0, 2);
  oc_rows rows = {0};
  cr_assert_eq(oc_summarise_counts(&l, counts, cfg, &rows, &err), DV_OK);
  cr_expect_float_eq(support_row(&rows, 0, "A", "pcs", -1)->value, 0.5, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "pas", -1)->value, 0.5, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "pct_at_mtd", -1)->value, 0.0, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "pct_overdosed", -1)->value, 100.0, 1e-12);
  cr_expect_float_eq(support_row(&rows, 0, "A", "overdose60", -1)->value, 1.0, 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A", "overdose80", -1)->value, 1.0, 1e-15);
  /* accuracy needs no true MTD: distances 0.2, 0.3, 0.4 (S = 0.9); sel 0.5 at dose 2 */
  cr_expect_float_eq(support_row(&rows, 0, "A", "accuracy", -1)->value, 1 - 3 * 0.3 * 0.5 / 0.9,
                     1e-12);
  oc_rows_free(&rows);
  free(counts);
  config_free(cfg);
}

Test(oc, plain_decimals) {
  char b[64];
  write_plain(b, sizeof b, 0.5);
  cr_expect_str_eq(b, "0.5");
  write_plain(b, sizeof b, 2.0);
  cr_expect_str_eq(b, "2");
  write_plain(b, sizeof b, 1e-13);
  cr_expect_str_eq(b, "0");
  write_plain(b, sizeof b, -0.0);
  cr_expect_str_eq(b, "0");
  write_plain(b, sizeof b, 1.0 / 3);
  cr_expect_str_eq(b, "0.333333333333");
  write_plain(b, sizeof b, NAN);
  cr_expect_str_eq(b, "NA");
}

Test(oc, layout_text_and_hash_follow_the_shape) {
  const char *head = "study: {name: o, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
                     "scenarios: [{name: s, p_tox: [0.1, 0.3, 0.5]}]\n";
  char a_text[512], b_text[512];
  snprintf(a_text, sizeof a_text, "%sdesigns: [{name: A, type: threeplusthree}]\n", head);
  snprintf(b_text, sizeof b_text, "%sdesigns: [{name: A, type: threeplusthree, max_n: 9}]\n", head);
  config *a = support_config(a_text), *b = support_config(b_text);
  oc_layout la, lb, la2;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&la, a, &err), DV_OK);
  cr_assert_eq(oc_layout_init(&la2, a, &err), DV_OK);
  cr_assert_eq(oc_layout_init(&lb, b, &err), DV_OK);
  char text[1024];
  oc_layout_describe(&la, text, sizeof text);
  /* 1 + (K+1) + 1 pair + design block (K+1) + 6 (M+1) + 4K + 2 + R with K = 3, M = 13 and the
   * 3+3's R = 4 reasons to stop (its own three and max_n) */
  cr_expect_eq(la.total, (size_t)(1 + 4 + 1 + 4 + 6 * 13 + 12 + 2 + 4));
  cr_expect(strstr(text, "sel K+1") != NULL, "%s", text);
  cr_expect(strstr(text, "stop_reason R") != NULL, "%s", text);
  cr_expect(strstr(text, "max_n/cohort/R: 12/3/4") != NULL, "%s", text);
  cr_expect_eq(oc_layout_hash(&la), oc_layout_hash(&la2));
  cr_expect_neq(oc_layout_hash(&la), oc_layout_hash(&lb));
  config_free(a);
  config_free(b);
}

/* write_plain's fast path against printf's exact conversion, on values of every size a metric
 * takes, near halfway cases and on decimals that binary cannot hold. */
static void plain_reference(char *buf, size_t len, double v) {
  snprintf(buf, len, "%.12f", v);
  char *dot = strchr(buf, '.'), *end = buf + strlen(buf) - 1;
  while (dot != NULL && end > dot && *end == '0')
    *end-- = '\0';
  if (dot != NULL && end == dot)
    *end = '\0';
  if (strcmp(buf, "-0") == 0)
    snprintf(buf, len, "0");
}

Test(oc, plain_decimals_fast_path_matches_printf) {
  uint64_t x = 88172645463325252u; /* xorshift64 */
  char a[64], b[64];
  for (int i = 0; i < 2000000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double u = (double)(x >> 11) / 9007199254740992.0;
    double scales[] = {1e-14, 1e-6, 1e-3, 1, 21, 100, 255.9, 300};
    double v = u * scales[i % 8] * (i % 3 == 0 ? -1 : 1);
    if (i % 5 == 0) /* a value near a halfway point of the 12th decimal */
      v = (floor(u * 1e6) + 0.5) / 1e12;
    if (i % 7 == 0) /* a ratio of small integers, as counts / trials are */
      v = (double)(x % 100000) / (double)(1 + (x >> 40) % 100000);
    write_plain(a, sizeof a, v);
    plain_reference(b, sizeof b, v);
    cr_assert_str_eq(a, b, "v = %.17g", v);
  }
}

/* Two designs on the same two trials, worked by hand: the paired metrics and their MCSE. */
Test(oc, paired_metrics_by_hand) {
  config *cfg =
      support_config("study: {name: o, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
                     "designs: [{name: A, type: threeplusthree}, {name: B, type: threeplusthree}]\n"
                     "scenarios: [{name: s, p_tox: [0.1, 0.3, 0.5]}]\n");
  oc_layout l;
  dv_error err = {0};
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *counts = calloc(l.total, sizeof *counts);
  /* trial 1: A treats 12 (3 above the MTD, dose 2) and picks 2; B treats 6 (none above), picks 1
   * trial 2: A treats 3, picks none; B treats 9 (3 above), picks 2 */
  design_state a1 = {.n = {3, 6, 3}, .y = {0, 1, 2}}, b1 = {.n = {3, 3, 0}, .y = {0, 2, 0}};
  design_state a2 = {.n = {3, 0, 0}, .y = {2, 0, 0}}, b2 = {.n = {3, 3, 3}, .y = {0, 1, 2}};
  const design_state *st[2][2] = {{&a1, &b1}, {&a2, &b2}};
  const int mtd[2][2] = {{2, 1}, {0, 2}};
  for (int t = 0; t < 2; t++) {
    oc_outcome o[2];
    for (int j = 0; j < 2; j++) {
      oc_outcome_of(st[t][j], 3, 2, mtd[t][j], 0, &o[j]);
      oc_count(&l, counts, 0, j, 2, st[t][j], &o[j]);
    }
    oc_count_shared(&l, counts, 0, 2, 2, o);
  }
  oc_count_trials(&l, counts, 0, 2);
  oc_rows rows = {0};
  cr_assert_eq(oc_summarise_counts(&l, counts, cfg, &rows, &err), DV_OK);
  /* pcs: A right in trial 1 only, B in trial 2 only: difference 0, per-trial d = +1, -1 */
  const oc_row *r = support_row(&rows, 0, "A vs B", "pcs_diff", -1);
  cr_expect_float_eq(r->value, 0.0, 1e-15);
  cr_expect_float_eq(r->mcse, sqrt(1.0 / 2), 1e-15);
  cr_expect_float_eq(support_row(&rows, 0, "A vs B", "p_disagree", -1)->value, 1.0, 1e-15);
  /* n: d = 12 - 6 = 6 and 3 - 9 = -6: mean 0, sd 6, mcse 6 / sqrt 2 */
  r = support_row(&rows, 0, "A vs B", "n_mean_diff", -1);
  cr_expect_float_eq(r->value, 0.0, 1e-15);
  cr_expect_float_eq(r->mcse, 6 / sqrt(2), 1e-12);
  /* y: d = 3 - 2 = 1 and 2 - 3 = -1 */
  r = support_row(&rows, 0, "A vs B", "dlt_mean_diff", -1);
  cr_expect_float_eq(r->value, 0.0, 1e-15);
  cr_expect_float_eq(r->mcse, 1 / sqrt(2), 1e-12);
  /* share above dose 2: A 3/12, 0/3; B 0/6, 3/9: d = 1/4, -1/3; mean -1/24 (percent x100) */
  r = support_row(&rows, 0, "A vs B", "pct_overdosed_diff", -1);
  double d1 = 0.25, d2 = -1.0 / 3, m = (d1 + d2) / 2, v = (d1 * d1 + d2 * d2) / 2 - m * m;
  cr_expect_float_eq(r->value, 100 * m, 1e-12);
  cr_expect(fabs(r->mcse - 100 * sqrt(v / 2)) < 1e-5, "mcse %.9f vs %.9f", r->mcse,
            100 * sqrt(v / 2)); /* the squares are kept to 2^-23 */
  oc_rows_free(&rows);
  free(counts);
  config_free(cfg);
}

/* The catalogue is the one place a metric's words and facts live, so what the writers assume of
 * it is checked here: each label and short label is used once; the stdout table's labels fit its
 * column uncut (write_table prints a design metric's short label alone, after "  " with " D" for
 * a dose up to DESIGN_MAX_DOSES, or with " no MTD", and a pair's 2 characters further in); the
 * table shows only axes it can lay out; "which way is better" is said of a design's scalars, and
 * only a pair's metrics are differences. */
Test(oc_catalogue, labels_and_facts_fit_the_writers) {
  const int width = WRITE_TABLE_LABEL_WIDTH;
  char widest_dose[16];
  int dose_extra = snprintf(widest_dose, sizeof widest_dose, "   %d", DESIGN_MAX_DOSES);
  for (int m = 0; m < OC_N_METRICS; m++) {
    const oc_metric_info *mi = &oc_catalogue[m];
    const char *s = oc_short_label((oc_metric)m);
    int len = (int)strlen(s);
    cr_expect(mi->label != NULL && mi->label[0] != '\0', "%s: no label", mi->key);
    cr_expect(mi->short_label == NULL || strlen(mi->short_label) < strlen(mi->label),
              "%s: a short label no shorter than its label", mi->key);
    for (int o = 0; o < m; o++) {
      cr_expect(strcmp(mi->label, oc_catalogue[o].label) != 0, "%s and %s: one label", mi->key,
                oc_catalogue[o].key);
      cr_expect(strcmp(s, oc_short_label((oc_metric)o)) != 0, "%s and %s: one short label", mi->key,
                oc_catalogue[o].key);
    }
    if (mi->of == OC_OF_PAIR)
      cr_expect_leq(len, width - 2, "%s: '%s' is cut in the table's paired rows", mi->key, s);
    else if (mi->of == OC_OF_DESIGN && !mi->full_only) {
      int need = mi->axis == OC_AXIS_NONE       ? len
                 : mi->axis == OC_AXIS_SEL      ? len + (int)strlen(" no MTD")
                 : mi->axis == OC_AXIS_DOSE     ? len + dose_extra
                 : mi->axis == OC_AXIS_QUANTILE ? len + (int)strlen("   90%")
                                                : width + 1; /* n and reasons: no row of the
                                                                table can show them */
      cr_expect_leq(need, width, "%s: '%s' is cut in the table (or its axis has no layout there)",
                    mi->key, s);
    }
    bool scalar = mi->of == OC_OF_DESIGN && mi->axis == OC_AXIS_NONE;
    cr_expect(mi->better == OC_BETTER_NEITHER || scalar, "%s: a best of a non-scalar", mi->key);
    cr_expect(!mi->difference || mi->of == OC_OF_PAIR, "%s: a difference of one design", mi->key);
  }
}

/* Which way is better, as the report marks it (SPEC section 8): correct selection up, patients
 * above the true MTD down, mean patients neither, and stopping with no MTD down except in a
 * scenario with no true MTD, where stopping is the correct selection. */
Test(oc_catalogue, which_way_is_better) {
  cr_expect_eq(oc_better_sign(OC_PCS, false), 1);
  cr_expect_eq(oc_better_sign(OC_PCS, true), 1);
  cr_expect_eq(oc_better_sign(OC_PCT_OVERDOSED, false), -1);
  cr_expect_eq(oc_better_sign(OC_N_MEAN, false), 0);
  cr_expect_eq(oc_better_sign(OC_P_STOP, false), -1);
  cr_expect_eq(oc_better_sign(OC_P_STOP, true), 1);
  cr_expect_eq(oc_better_sign(OC_PCS_DIFF, false), 0);
}
