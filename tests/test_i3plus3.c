/* test_i3plus3.c — i3+3 (designs/i3plus3.c): its table entry and options, decision tables worked
 * by hand from the rule of Liu, Wang & Ji (2020), and hand-worked trials. */
#include <criterion/criterion.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "design.h"
#include "interval.h"
#include "support.h"

extern const design_type design_i3plus3;

static alignas(max_align_t) unsigned char params_buf[16384];

static design_setup setup_of(int k, double target) {
  return (design_setup){
      .n_doses = k, .cohort_size = 3, .max_n = 255, .start_dose = 1, .target = target};
}

/* i3plus3, configured into params_buf from "key=value ..."; fails the test on an error. */
static const void *configure_or_fail(design_setup setup, const char *opt) {
  return support_configure_ok(&design_i3plus3, setup, opt, params_buf, sizeof params_buf);
}

/* Replays `outcomes` and checks the action after the last cohort. */
static void expect_replay(const void *params, const char *outcomes, int stop, int dose,
                          design_state *s) {
  support_expect_replay(&design_i3plus3, params, outcomes, stop, dose, s);
}

/* E / S / D / U (support_decision) at n patients with y DLTs. */
static char decision(const void *p, int n, int y) {
  return support_decision(&design_i3plus3, p, n, y);
}

Test(i3plus3, table_entries) {
  cr_expect_str_eq(design_i3plus3.name, "i3plus3");
  cr_expect_not_null(design_i3plus3.title);
  cr_expect_null(design_i3plus3.uses_last_cohort);
  cr_expect_null(design_i3plus3.own_rules);
  const char *want[] = {"eps1", "eps2", "cutoff_eli"};
  for (int i = 0; i < 3; i++) {
    cr_expect_str_eq(design_i3plus3.options[i].key, want[i]);
    cr_expect_not_null(design_i3plus3.options[i].help);
  }
  cr_expect_null(design_i3plus3.options[3].key);
  cr_expect_str_eq(design_i3plus3.stop_reasons[0].name, "lowest_dose_eliminated");
  cr_expect_eq(design_lookup("i3plus3"), &design_i3plus3);
}

Test(i3plus3, configure_rejects_bad_values) {
  design_setup setup = setup_of(3, 0.3);
  const struct {
    const char *opt, *key;
  } bad[] = {{"eps1=0", "eps1"},
             {"eps1=0.31", "eps1"},
             {"eps2=0.7", "eps2"},
             {"eps2=-0.1", "eps2"},
             {"cutoff_eli=0", "cutoff_eli"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dv_error err = {0};
    cr_expect_eq(support_configure(&design_i3plus3, &setup, bad[i].opt, params_buf, &err),
                 DV_ECONFIG, "%s", bad[i].opt);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", bad[i].key);
    cr_expect(strncmp(err.msg, prefix, strlen(prefix)) == 0 && strstr(err.msg, "; allowed: "),
              "%s: %s", bad[i].opt, err.msg);
  }
  dv_error err = {0};
  /* no width limit: the rule compares rates, it integrates nothing */
  cr_expect_eq(
      support_configure(&design_i3plus3, &setup, "eps1=0.00001 eps2=0.00001", params_buf, &err),
      DV_OK, "%s", err.msg);
}

/* Worked by hand from the rule (SPEC 6; Liu, Wang & Ji 2020, Section 2), target 0.3,
 * EI = [0.25, 0.35]: with y DLTs of n, E if y < 0.25 n; S if 0.25 n <= y <= 0.35 n, or if
 * y > 0.35 n and y - 1 < 0.25 n; D otherwise. U (DU) from the elimination row at 0.95 (BOIN's
 * get.boundary() with cohorts of 1: 3 3 4 4 5 5 5 6 6 7 for n = 3..12).
 *   n  0.25n 0.35n  decisions y = 0, 1, ...
 *   3  0.75  1.05   E S D U           (2 > 1.05 and 1 >= 0.75: D)
 *   4  1     1.4    E S D U U         (1/4 is on the EI's lower end: S)
 *   5  1.25  1.75   E E S D U U       (2 > 1.75 but 1 < 1.25: S)
 *   6  1.5   2.1    E E S D U U U
 *   7  1.75  2.45   E E S D D U U U
 *   8  2     2.8    E E S D D U U U U (2/8 on the lower end: S)
 *   9  2.25  3.15   E E E S D U ...
 *  10  2.5   3.5    E E E S D D U ...
 *  11  2.75  3.85   E E E S D D U ...
 *  12  3     4.2    E E E S S D D U ...
 * The R package FIND's get_decision_i3plus3(pT = 0.3, EI = c(0.25, 0.35)) prints the same rows. */
Test(i3plus3, decision_table_target_0_3) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  const char *rows[] = {"ESDU",      "ESDUU",      "EESDUU",      "EESDUUU",      "EESDDUUU",
                        "EESDDUUUU", "EEESDUUUUU", "EEESDDUUUUU", "EEESDDUUUUUU", "EEESSDDUUUUUU"};
  for (int n = 3; n <= 12; n++)
    for (int y = 0; y <= n; y++)
      cr_expect_eq(decision(p, n, y), rows[n - 3][y], "n %d y %d: %c, by hand %c", n, y,
                   decision(p, n, y), rows[n - 3][y]);
  /* the upper end is inside too: 7/20 = 0.35 stays, 8/20 de-escalates (7/20 not below) */
  cr_expect_eq(decision(p, 20, 7), 'S');
  cr_expect_eq(decision(p, 20, 8), 'D');
}

/* Target 0.25, EI = [0.2, 0.3], the i3+3 paper's running choice: 1/3 = 0.333 is above the EI but
 * 0/3 is below it, so the design stays, as the 3+3 does (mTPI-2 and Keyboard de-escalate there).
 *   n  0.2n 0.3n   decisions
 *   3  0.6  0.9    E S D U       (elimination at 3 of 3 for target 0.25: 0.9961 > 0.95; 2: 0.9492)
 *   6  1.2  1.8    E E S D U U U (2 > 1.8 but 1 < 1.2: S)
 *   9  1.8  2.7    E E S D D U ... (3 > 2.7 and 2 >= 1.8: D) */
Test(i3plus3, decision_table_target_0_25) {
  const void *p = configure_or_fail(setup_of(3, 0.25), "");
  const char *rows[] = {"ESDU", "EESDUUU", "EESDDUUUUU"};
  for (int i = 0; i < 3; i++) {
    int n = 3 * (i + 1);
    for (int y = 0; y <= n; y++)
      cr_expect_eq(decision(p, n, y), rows[i][y], "n %d y %d: %c, by hand %c", n, y,
                   decision(p, n, y), rows[i][y]);
  }
}

Test(i3plus3, decisions_are_threshold_rules_at_every_n) {
  const char *opts[] = {"", "eps1=0.1 eps2=0.02", "eps1=0.001 eps2=0.2 cutoff_eli=0.8"};
  for (int i = 0; i < 3; i++) {
    const void *p = configure_or_fail(setup_of(3, 0.3), opts[i]);
    for (int n = 1; n <= DESIGN_MAX_N; n++) {
      design_table_row row;
      design_i3plus3.table_row(p, n, &row);
      cr_expect(row.escalate < row.deescalate && row.deescalate <= row.eliminate,
                "%s n %d: %d %d %d", opts[i], n, row.escalate, row.deescalate, row.eliminate);
    }
  }
}

Test(i3plus3, describe) {
  const void *p = configure_or_fail(setup_of(3, 0.25), "");
  char buf[2048];
  design_i3plus3.describe(p, buf, sizeof buf);
  cr_expect(strncmp(buf, "i3+3 decision table (Liu, Wang & Ji 2020)\n", 42) == 0, "%s", buf);
  cr_expect(strstr(buf, "= [0.2000, 0.3000]") != NULL, "%s", buf);
  cr_expect(strstr(buf, "cutoff_eli  0.9500") != NULL, "%s", buf);
}

Test(i3plus3, hand_worked_trials) {
  const void *p = configure_or_fail(setup_of(3, 0.25), "");
  design_state s;
  expect_replay(p, "1NNN", 0, 2, &s);                     /* 0/3 escalates */
  expect_replay(p, "1NNN 2NNT", 0, 2, &s);                /* 1/3 stays (0/3 below the EI) */
  expect_replay(p, "1NNN 2NNT 2NNN", 0, 3, &s);           /* 1/6 = 0.167 escalates */
  expect_replay(p, "1NNN 2NNT 2NNN 3NTT", 0, 2, &s);      /* 2/3 de-escalates */
  expect_replay(p, "1NNN 2NNT 2NNN 3NTT 2NNT", 0, 2, &s); /* 2/9 = 0.222 stays */
  /* ended here: 0/3, 2/9, 2/3 -> isotonic 0.016, 0.226, 0.661: dose 2 */
  cr_expect_eq(design_i3plus3.select(p, &s, DESIGN_MAX_DOSES), 2);
  expect_replay(p, "1NTT", 0, 1, &s);           /* de-escalation at dose 1 stays */
  expect_replay(p, "1NNN 2NNN 3NNN", 0, 3, &s); /* escalation at the top stays */
  expect_replay(p, "1NNN 2TTT", 0, 1, &s);      /* 3/3 eliminates doses 2, 3 */
  expect_replay(p, "1NNN 2TTT 1NNN", 0, 1, &s); /* escalation into dose 2 blocked */
  expect_replay(p, "1TTT", 1, 0, &s);           /* dose 1 eliminated: stop, no MTD */
  cr_expect_eq(design_i3plus3.select(p, &s, DESIGN_MAX_DOSES), 0);
  design_setup setup = setup_of(3, 0.25);
  setup.start_dose = 2;
  const void *q = configure_or_fail(setup, "");
  expect_replay(q, "2NTT 1NNN", 0, 2, &s);
}
