/* test_rolling6.c — the rolling six (designs/rolling6.c) over its whole decision grid at one dose:
 * every number enrolled n = 1..6, DLTs seen y and evaluated e (y <= e <= n), against the decision
 * table of Skolnik et al. (2008, J Clin Oncol 26:190, table 1) written out here as its rows, and
 * SPEC 12's words for the edges (top dose, de-escalation as the 3+3's, no MTD below dose 1). */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "support.h"

extern const design_type design_rolling6;

static void *configure(int k) {
  void *buf = malloc(design_rolling6.params_size);
  cr_assert_not_null(buf);
  design_setup setup = {
      .n_doses = k, .cohort_size = 1, .max_n = 36, .start_dose = 1, .target = 0.3};
  return (void *)support_configure_ok(&design_rolling6, setup, "", buf,
                                      design_rolling6.params_size);
}

/* Skolnik et al. (2008), table 1: the decision for the next patient from the patients enrolled
 * at the current dose, their DLTs, those without DLT and those still pending. 'S' same dose, 'E'
 * escalate, 'D' de-escalate, 'X' suspend accrual. */
static char paper(int enrolled, int dlt, int no_dlt, int pending) {
  if (dlt >= 2)
    return 'D';
  if (enrolled <= 2)
    return 'S';
  if (enrolled <= 5) {
    if (dlt == 0 && pending == 0)
      return 'E'; /* 3, 4 or 5 enrolled, all evaluated without DLT */
    if (dlt == 0 && enrolled == 5 && no_dlt >= 5)
      return 'E';
    return 'S'; /* pending, or 1 DLT: enrol at the same dose */
  }
  /* 6 enrolled */
  if (dlt == 0)
    return no_dlt >= 5 ? 'E' : 'X';
  return pending == 0 ? 'E' : 'X';
}

/* Dose 1: 3 evaluated without DLT; dose 2 (current, of 4): n enrolled, y DLTs, e evaluated. */
static design_action at(const void *p, int n, int e, int y) {
  pending_view v;
  pending_view_init(&v, 28.0, 1, 36);
  for (int i = 0; i < 3; i++)
    pending_view_add(&v, 1, false, 28.0);
  for (int i = 0; i < n; i++)
    pending_view_add(&v, 2, i < y, i < y ? 4.0 : i < e ? 28.0 : 10.0);
  cr_assert(v.enrolled[1] == n && v.n[1] == e && v.y[1] == y);
  return design_rolling6.decide_pending(p, &v);
}

Test(rolling6, the_papers_decision_grid) {
  void *p = configure(4);
  int cells = 0;
  for (int n = 1; n <= 6; n++)
    for (int y = 0; y <= n; y++)
      for (int e = y; e <= n; e++, cells++) {
        char want = paper(n, y, e - y, n - e);
        design_action a = at(p, n, e, y);
        char got = a.stop        ? '!'
                   : a.suspend   ? 'X'
                   : a.dose == 3 ? 'E'
                   : a.dose == 2 ? 'S'
                   : a.dose == 1 ? 'D'
                                 : '?';
        cr_expect_eq(got, want, "n %d enrolled, e %d evaluated, y %d DLTs: %c, the paper %c", n, e,
                     y, got, want);
      }
  cr_expect_eq(cells, 83); /* sum over n of (n + 1)(n + 2) / 2 */
  free(p);
}

/* At the top dose an escalation stays until 6 are evaluated, then the MTD is the top dose. */
Test(rolling6, top_dose) {
  void *p = configure(2);
  pending_view v;
  pending_view_init(&v, 28.0, 1, 36);
  for (int i = 0; i < 3; i++)
    pending_view_add(&v, 1, false, 28.0);
  for (int i = 0; i < 3; i++)
    pending_view_add(&v, 2, false, 28.0);
  design_action a = design_rolling6.decide_pending(p, &v); /* 0/3 at the top: 3 more */
  cr_expect(!a.stop && !a.suspend && a.dose == 2);
  pending_view_add(&v, 2, false, 28.0);
  pending_view_add(&v, 2, false, 28.0);
  pending_view_add(&v, 2, false, 2.0); /* 6 enrolled, 5 evaluated */
  a = design_rolling6.decide_pending(p, &v);
  cr_expect(a.suspend && a.dose == 2, "top dose, one pending of 6: suspend");
  v.patient[8].followup = 28.0;
  v.patient[8].complete = true;
  v.n[1]++;
  v.n_pending--;
  a = design_rolling6.decide_pending(p, &v);
  cr_expect(a.stop && a.dose == 2, "0/6 at the top: MTD 2 (%s %d)", a.stop ? "stop" : "go", a.dose);
  free(p);
}

/* Two DLTs: the dose below is filled to 6 (pending there suspends), and 2 DLTs at dose 1 end the
 * trial with no MTD; <= 1 of 6 below names it the MTD. */
Test(rolling6, deescalation) {
  void *p = configure(3);
  pending_view v;
  pending_view_init(&v, 28.0, 1, 36);
  for (int i = 0; i < 6; i++)
    pending_view_add(&v, 1, i == 0, i == 0 ? 3.0 : i < 5 ? 28.0 : 7.0); /* 1 DLT, 1 pending */
  pending_view_add(&v, 2, true, 2.0);
  pending_view_add(&v, 2, true, 5.0);
  design_action a = design_rolling6.decide_pending(p, &v);
  cr_expect(a.suspend && a.dose == 1, "dose 2 too toxic, dose 1 has 6 with one pending: suspend");
  v.patient[5].followup = 28.0;
  v.patient[5].complete = true;
  v.n[0]++;
  v.n_pending--;
  a = design_rolling6.decide_pending(p, &v);
  cr_expect(a.stop && a.dose == 1, "1/6 at dose 1 below a toxic dose 2: MTD 1");
  pending_view_init(&v, 28.0, 1, 36);
  pending_view_add(&v, 1, true, 2.0);
  pending_view_add(&v, 1, false, 9.0);
  pending_view_add(&v, 1, true, 5.0);
  a = design_rolling6.decide_pending(p, &v);
  cr_expect(a.stop && a.dose == 0, "2 DLTs at dose 1: no MTD");
  free(p);
}

Test(rolling6, cohorts_of_one_only) {
  void *buf = malloc(design_rolling6.params_size);
  design_setup setup = {
      .n_doses = 3, .cohort_size = 3, .max_n = 18, .start_dose = 1, .target = 0.3};
  dv_error err = {0};
  cr_expect_eq(support_configure(&design_rolling6, &setup, "", buf, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "cohort_size: 3; allowed: 1") != NULL, "%s", err.msg);
  free(buf);
}
