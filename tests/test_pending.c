/* test_pending.c — the pending-patient view (designs/pending.h) and the suspend bit of
 * design_action: a view's counts, its STFT, the complete-data state it gives, and that the
 * actions the existing designs build are unchanged by the new bit. */
#include <criterion/criterion.h>

#include <math.h>

#include "design.h"
#include "pending.h"

Test(pending, counts_follow_the_patients) {
  pending_view v;
  pending_view_init(&v, 28.0, 3, 21);
  cr_assert_eq(v.cur, 0);
  /* "1NNN 2NP21P5" with W = 28: dose 1 three complete, dose 2 one complete and two pending */
  for (int i = 0; i < 3; i++)
    cr_assert(pending_view_add(&v, 1, false, 28.0));
  cr_assert(pending_view_add(&v, 2, false, 28.0));
  cr_assert(pending_view_add(&v, 2, false, 21.0));
  cr_assert(pending_view_add(&v, 2, false, 5.0));
  cr_expect_eq(v.n_patients, 6);
  cr_expect_eq(v.n_pending, 2);
  cr_expect_eq(v.cur, 2);
  cr_expect(v.enrolled[0] == 3 && v.n[0] == 3 && v.y[0] == 0);
  cr_expect(v.enrolled[1] == 3 && v.n[1] == 1 && v.y[1] == 0);
  double stft = -1.0;
  cr_expect_eq(pending_at(&v, 2, &stft), 2);
  cr_expect(fabs(stft - 26.0 / 28.0) < 1e-15, "STFT %g", stft);
  cr_expect_eq(pending_at(&v, 1, &stft), 0);
  cr_expect_eq(stft, 0.0);
}

Test(pending, a_dlt_is_complete_at_its_onset) {
  pending_view v;
  pending_view_init(&v, 28.0, 1, 21);
  cr_assert(pending_view_add(&v, 1, true, 9.5));
  cr_assert(pending_view_add(&v, 1, false, 40.0)); /* past W: followed the whole window */
  cr_expect(v.patient[0].complete && v.patient[0].dlt && v.patient[0].onset == 9.5);
  cr_expect(v.patient[1].complete && !v.patient[1].dlt && v.patient[1].followup == 28.0);
  cr_expect(v.n[0] == 2 && v.y[0] == 1 && v.n_pending == 0);
}

Test(pending, the_state_holds_the_complete_counts_and_the_last_cohort) {
  pending_view v;
  pending_view_init(&v, 30.0, 3, 21);
  pending_view_add(&v, 1, false, 30.0);
  pending_view_add(&v, 1, false, 30.0);
  pending_view_add(&v, 1, false, 30.0);
  pending_view_add(&v, 2, true, 3.0);
  pending_view_add(&v, 2, false, 2.0);
  design_state s;
  pending_view_state(&v, 3, &s);
  cr_expect(s.n[0] == 3 && s.y[0] == 0 && s.n[1] == 1 && s.y[1] == 1 && s.n[2] == 0);
  cr_expect_eq(s.cur, 2);
  cr_expect(s.last_n == 2 && s.last_y == 1, "the second cohort, partly filled: %d/%d", s.last_y,
            s.last_n);
  pending_view_add(&v, 2, false, 1.0);
  pending_view_add(&v, 3, false, 0.0);
  pending_view_state(&v, 3, &s);
  cr_expect(s.last_n == 1 && s.last_y == 0 && s.cur == 3);
}

Test(pending, a_view_holds_at_most_max_n_patients) {
  pending_view v;
  pending_view_init(&v, 28.0, 1, DESIGN_MAX_N);
  for (int i = 0; i < DESIGN_MAX_N; i++)
    cr_assert(pending_view_add(&v, 1, false, 28.0));
  cr_expect_not(pending_view_add(&v, 1, false, 28.0));
  cr_expect_eq(v.n_patients, DESIGN_MAX_N);
}

/* The suspend bit does not grow the action (the graph keeps one per node) and the existing
 * constructors leave it clear. */
Test(pending, suspend_is_one_bit_of_the_action) {
  cr_expect_eq(sizeof(design_action), 4);
  design_action t = design_treat(3), r = design_treat_rec(2, 3), s = design_stop(2, 1),
                u = design_suspend(2);
  cr_expect(!t.suspend && !r.suspend && !s.suspend);
  cr_expect(!t.stop && s.stop && !u.stop);
  cr_expect(u.suspend && u.dose == 2 && u.rec == 2);
  cr_expect(s.dose == 2 && s.reason == 1 && t.dose == 3 && r.dose == 2 && r.rec == 3);
}
