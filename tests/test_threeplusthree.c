/* test_threeplusthree.c — the 3+3 design's decisions on hand-worked trials (SPEC section 6). */
#include <criterion/criterion.h>

#include "support.h"

extern const design_type design_threeplusthree;

static void *params_for(int k, int max_n, int start, bool deescalate, void *buf) {
  design_setup s = {
      .n_doses = k, .cohort_size = 3, .max_n = max_n, .start_dose = start, .target = 0.3};
  dv_error err = {0};
  cr_assert_eq(support_configure(&design_threeplusthree, &s,
                                 deescalate ? "deescalate=true" : "deescalate=false", buf, &err),
               DV_OK, "%s", err.msg);
  return buf;
}

/* Replays `outcomes` and checks the action after the last cohort. */
static void expect(int k, bool deesc, const char *outcomes, int stop, int dose) {
  char buf[256], why[128];
  design_state s;
  design_action a;
  params_for(k, 6 * k, 1, deesc, buf);
  cr_assert(support_replay(&design_threeplusthree, buf, outcomes, &s, &a, why, sizeof why),
            "%s: %s", outcomes, why);
  cr_expect(a.stop == stop && a.dose == dose, "%s: got %s %d, want %s %d", outcomes,
            a.stop ? "stop" : "treat", a.dose, stop ? "stop" : "treat", dose);
}

Test(threeplusthree, starts_at_the_start_dose) {
  char buf[256];
  design_state s = {0};
  params_for(3, 18, 2, true, buf);
  design_action a = design_threeplusthree.decide(buf, &s);
  cr_expect(!a.stop && a.dose == 2);
}

Test(threeplusthree, zero_of_three_escalates) { expect(3, true, "1NNN", 0, 2); }
Test(threeplusthree, one_of_three_adds_three) { expect(3, true, "1NNT", 0, 1); }
Test(threeplusthree, one_of_six_escalates) { expect(3, true, "1NNT 1NNN", 0, 2); }
Test(threeplusthree, two_of_three_at_dose_one_stops_without_mtd) { expect(3, true, "1TTN", 1, 0); }
Test(threeplusthree, two_of_six_at_dose_one_stops_without_mtd) {
  expect(3, true, "1NTN 1NNT", 1, 0);
}
Test(threeplusthree, top_dose_zero_of_three_adds_three) { expect(3, true, "1NNN 2NNN 3NNN", 0, 3); }
Test(threeplusthree, top_dose_one_of_six_is_the_mtd) {
  expect(3, true, "1NNN 2NNN 3NNN 3NTN", 1, 3);
}
Test(threeplusthree, top_dose_two_of_six_deescalates_to_complete_six) {
  expect(3, true, "1NNN 2NNN 3NNN 3TTN", 0, 2);
  expect(3, true, "1NNN 2NNN 3NNN 3TTN 2NNT", 1, 2);
}
Test(threeplusthree, without_deescalation_the_mtd_is_the_dose_below) {
  expect(3, false, "1NNN 2NNN 3TTN", 1, 2);
  expect(3, false, "1NNN 2TNT", 1, 1);
}
Test(threeplusthree, deescalation_goes_on_downwards) {
  /* dose 3 too toxic -> 3 more at 2, which is too toxic too -> 3 more at 1, 0/6 -> MTD 1 */
  expect(3, true, "1NNN 2NNN 3TTT", 0, 2);
  expect(3, true, "1NNN 2NNN 3TTT 2TTN", 0, 1);
  expect(3, true, "1NNN 2NNN 3TTT 2TTN 1NNN", 1, 1);
  expect(3, true, "1NNN 2NNN 3TTT 2TTN 1TNT", 1, 0);
}
Test(threeplusthree, six_already_below_needs_no_deescalation) {
  /* dose 1 has 6 patients: dose 2 too toxic gives MTD 1 at once */
  expect(3, true, "1NNT 1NNN 2TTN", 1, 1);
}
Test(threeplusthree, back_below_a_toxic_dose_does_not_reescalate) {
  /* after de-escalating from 3, 0/3 more at dose 2 (0 of 6) selects 2, never 3 again */
  expect(3, true, "1NNN 2NNN 3TNT 2NNN", 1, 2);
}

Test(threeplusthree, truncated_trial_selects_highest_dose_with_six_and_at_most_one_dlt) {
  char buf[256];
  design_state s = {0};
  params_for(3, 9, 1, true, buf);
  s.n[0] = 6, s.y[0] = 1, s.n[1] = 3, s.y[1] = 1, s.cur = 2;
  cr_expect_eq(design_threeplusthree.select(buf, &s, 3), 1);
  s.n[0] = 3, s.y[0] = 0;
  cr_expect_eq(design_threeplusthree.select(buf, &s, 3), 0);
}

Test(threeplusthree, rejects_cohorts_other_than_three) {
  char buf[256];
  design_setup s = {.n_doses = 3, .cohort_size = 4, .max_n = 24, .start_dose = 1, .target = 0.3};
  dv_error err = {0};
  cr_expect_eq(support_configure(&design_threeplusthree, &s, "", buf, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "cohort_size") != NULL, "%s", err.msg);
}
