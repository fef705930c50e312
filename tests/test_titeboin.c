/* test_titeboin.c — TITE-BOIN (designs/titeboin.c) against the published decision table of Yuan,
 * Lin, Li, Nie & Warren (2018, Clin Cancer Res 24:4921, target 0.2, BOIN's default boundaries):
 * with n = 9 treated at the current dose, y = 1 DLT and m = 3 pending the design escalates iff
 * STFT >= 0.77, with m = 4 iff STFT >= 2.15; with y = 2 and m = 1, 2, 3, 4 it stays iff STFT >
 * 0.52, 1.59, 2.66, 3.73 (else de-escalates). Each cell is checked through decide_pending on a
 * trial just below and at or above the threshold, and the closed-form threshold (pending_cell,
 * what `boundaries` prints) rounds to the published one. Then rules 1 to 3, and the edges. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#include "boin.h"
#include "support.h"

extern const design_type design_titeboin;

static void *configure(const char *opts) {
  void *buf = malloc(design_titeboin.params_size);
  cr_assert_not_null(buf);
  design_setup setup = {
      .n_doses = 5, .cohort_size = 3, .max_n = 36, .start_dose = 1, .target = 0.2};
  return (void *)support_configure_ok(&design_titeboin, setup, opts, buf,
                                      design_titeboin.params_size);
}

/* 0/3 at doses 1 and 2, then at dose `d` n patients: y with a DLT, m pending whose follow-up
 * adds to stft windows (shared equally), the rest complete without DLT. W = 28 days. */
static void view_at(pending_view *v, int d, int n, int y, int m, double stft) {
  pending_view_init(v, 28.0, 3, 36);
  for (int dose = 1; dose < d; dose++)
    for (int i = 0; i < 3; i++)
      pending_view_add(v, dose, false, 28.0);
  for (int i = 0; i < n - m; i++)
    pending_view_add(v, d, i < y, i < y ? 5.0 + i : 28.0);
  for (int i = 0; i < m; i++)
    pending_view_add(v, d, false, 28.0 * stft / m);
  double s;
  cr_assert_eq(pending_at(v, d, &s), m);
  cr_assert(fabs(s - stft) < 1e-12);
}

static design_action at(const void *p, int n, int y, int m, double stft) {
  pending_view v;
  view_at(&v, 3, n, y, m, stft);
  return design_titeboin.decide_pending(p, &v);
}

/* One published cell: below the threshold the decision `low` (dose), at or above `high`. */
static void cell(const void *p, int n, int y, int m, double published, int low, int high,
                 bool at_high) {
  design_pending_cell c;
  design_titeboin.pending_cell(p, n, y, m, &c);
  cr_expect(fabs(c.threshold - published) <= 0.005,
            "n %d y %d m %d: threshold %.4f, published %.2f", n, y, m, c.threshold, published);
  cr_expect_eq(c.at_high, at_high);
  double t = c.threshold;
  design_action below = at(p, n, y, m, t - 1e-6), above = at(p, n, y, m, t + 1e-6);
  design_action pub_below = at(p, n, y, m, published - 0.01),
                pub_above = at(p, n, y, m, published + 0.01);
  cr_expect(!below.stop && !below.suspend && below.dose == low, "n %d y %d m %d STFT %.6f: dose %d",
            n, y, m, t - 1e-6, below.dose);
  cr_expect(!above.stop && !above.suspend && above.dose == high,
            "n %d y %d m %d STFT %.6f: dose %d", n, y, m, t + 1e-6, above.dose);
  cr_expect(pub_below.dose == low && pub_above.dose == high,
            "n %d y %d m %d around %.2f: doses %d and %d", n, y, m, published, pub_below.dose,
            pub_above.dose);
}

Test(titeboin, n9_y1_m3_escalates_from_077) {
  void *p = configure("");
  cell(p, 9, 1, 3, 0.77, 3, 4, true);
  free(p);
}

Test(titeboin, n9_y1_m4_escalates_from_215) {
  void *p = configure("");
  cell(p, 9, 1, 4, 2.15, 3, 4, true);
  free(p);
}

Test(titeboin, n9_y2_m1_stays_above_052) {
  void *p = configure("");
  cell(p, 9, 2, 1, 0.52, 2, 3, false);
  free(p);
}

Test(titeboin, n9_y2_m2_stays_above_159) {
  void *p = configure("");
  cell(p, 9, 2, 2, 1.59, 2, 3, false);
  free(p);
}

Test(titeboin, n9_y2_m3_stays_above_266) {
  void *p = configure("");
  cell(p, 9, 2, 3, 2.66, 2, 3, false);
  free(p);
}

Test(titeboin, n9_y2_m4_stays_above_373) {
  void *p = configure("");
  cell(p, 9, 2, 4, 3.73, 2, 3, false);
  free(p);
}

/* Rule 2: y/n >= lambda_d de-escalates whatever the pending outcomes; rule 3: more than
 * max_pending n pending suspends. */
Test(titeboin, rules_2_and_3) {
  void *p = configure("");
  design_action a = at(p, 9, 3, 4, 3.9); /* 3/9 = 0.33 >= lambda_d 0.2385 */
  cr_expect(!a.stop && !a.suspend && a.dose == 2, "3/9: de-escalate, got %d", a.dose);
  a = at(p, 9, 0, 5, 4.9); /* 5 > 0.5 x 9 */
  cr_expect(a.suspend && !a.stop && a.dose == 3, "5 of 9 pending: suspend");
  a = at(p, 9, 0, 4, 0.0); /* 4 <= 4.5 */
  cr_expect(!a.suspend && a.dose == 4, "4 of 9 pending, no DLT: escalate");
  void *q = configure("max_pending=0.4");
  a = at(q, 9, 0, 4, 3.9); /* 4 > 3.6 */
  cr_expect(a.suspend, "max_pending 0.4: 4 of 9 pending suspends");
  free(q);
  free(p);
}

/* Rule 1 counts the pending patients as treated without DLT: 3 DLTs out of 3 complete at dose 3
 * with 3 more pending (n = 6) eliminates dose 3 when 3 of 6 pass cutoff_eli, and dose 3 is never
 * given again; dose 1 eliminated stops the trial. */
Test(titeboin, rule_1_eliminates_with_pending_as_no_dlt) {
  void *p = configure("");
  design_table_row row;
  design_titeboin.table_row(p, 6, &row);
  int y = row.eliminate; /* BOIN's own row at n = 6 (target 0.2: 3) */
  cr_assert(y >= 1 && y <= 6);
  design_action a = at(p, 6, y, 6 - y, 0.5);
  cr_expect(!a.stop && a.dose == 2, "eliminated: de-escalate to 2, got %d", a.dose);
  pending_view v;
  pending_view_init(&v, 28.0, 3, 36);
  for (int i = 0; i < 6; i++)
    pending_view_add(&v, 1, i < y, i < y ? 3.0 : 1.0);
  a = design_titeboin.decide_pending(p, &v);
  cr_expect(a.stop && a.dose == 0, "dose 1 eliminated: stop, no MTD");
  free(p);
}

/* BOIN's edges: no escalation at the top dose or into an eliminated dose, none below dose 1. */
Test(titeboin, edges) {
  void *p = configure("");
  pending_view v;
  view_at(&v, 5, 3, 0, 1, 0.9); /* doses 1-4 0/3, dose 5: 2 complete, 1 pending */
  design_action a = design_titeboin.decide_pending(p, &v);
  cr_expect(!a.stop && a.dose == 5, "top dose: stay, got %d", a.dose);
  pending_view_init(&v, 28.0, 3, 36);
  pending_view_add(&v, 1, true, 2.0);
  pending_view_add(&v, 1, false, 28.0);
  pending_view_add(&v, 1, false, 3.0);
  a = design_titeboin.decide_pending(p, &v); /* 1/3 >= lambda_d at dose 1: stay */
  cr_expect(!a.stop && !a.suspend && a.dose == 1, "dose 1: stay, got %d", a.dose);
  free(p);
}
