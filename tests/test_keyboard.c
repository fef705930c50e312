/* test_keyboard.c — Keyboard (designs/keyboard.c): its table entry and options, the boundaries
 * printed by get.boundary.kb() of the R package Keyboard, the equivalence with mTPI-2, and
 * hand-worked trials. */
#include <criterion/criterion.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "design.h"
#include "interval.h"
#include "support.h"

extern const design_type design_keyboard;
extern const design_type design_mtpi2;

static alignas(max_align_t) unsigned char params_buf[16384], other_buf[16384];

static design_setup setup_of(int k, double target) {
  return (design_setup){
      .n_doses = k, .cohort_size = 3, .max_n = 255, .start_dose = 1, .target = target};
}

static const void *configure_into(const design_type *type, void *buf, design_setup setup,
                                  const char *opt) {
  return support_configure_ok(type, setup, opt, buf, sizeof params_buf);
}
static const void *configure_or_fail(design_setup setup, const char *opt) {
  return configure_into(&design_keyboard, params_buf, setup, opt);
}

/* Replays `outcomes` and checks the action after the last cohort. */
static void expect_replay(const void *params, const char *outcomes, int stop, int dose,
                          design_state *s) {
  support_expect_replay(&design_keyboard, params, outcomes, stop, dose, s);
}

Test(keyboard, table_entries) {
  cr_expect_str_eq(design_keyboard.name, "keyboard");
  cr_expect_not_null(design_keyboard.title);
  cr_expect_null(design_keyboard.uses_last_cohort);
  cr_expect_null(design_keyboard.own_rules);
  const char *want[] = {"margin_left", "margin_right", "cutoff_eli"};
  for (int i = 0; i < 3; i++) {
    cr_expect_str_eq(design_keyboard.options[i].key, want[i]);
    cr_expect_not_null(design_keyboard.options[i].help);
  }
  cr_expect_null(design_keyboard.options[3].key);
  cr_expect_str_eq(design_keyboard.stop_reasons[0].name, "lowest_dose_eliminated");
  cr_expect_eq(design_lookup("keyboard"), &design_keyboard);
}

Test(keyboard, configure_rejects_bad_values) {
  design_setup setup = setup_of(3, 0.3);
  const struct {
    const char *opt, *key;
  } bad[] = {
      {"margin_left=0", "margin_left"},
      {"margin_left=0.35", "margin_left"},
      {"margin_right=0", "margin_right"},
      {"margin_right=0.7", "margin_right"},
      {"cutoff_eli=0", "cutoff_eli"},
      {"margin_left=0.00002 margin_right=0.00002", "margin_left"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dv_error err = {0};
    cr_expect_eq(support_configure(&design_keyboard, &setup, bad[i].opt, params_buf, &err),
                 DV_ECONFIG, "%s", bad[i].opt);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", bad[i].key);
    cr_expect(strncmp(err.msg, prefix, strlen(prefix)) == 0 && strstr(err.msg, "; allowed: "),
              "%s: %s", bad[i].opt, err.msg);
  }
}

/* The rows of get.boundary.kb() (R package Keyboard 0.1.3, CRAN; run under R 4.2.2): escalate
 * if DLTs <=, de-escalate if >=, eliminate if >= (-1 / n + 1: NA). */
typedef struct {
  const char *call;
  double target;
  const char *opt;
  int step, count;
  int esc[30], de[30], eli[30];
} kb_table;

static const kb_table kb_tables[] = {
    {"get.boundary.kb(target = 0.3, ncohort = 10, cohortsize = 3)",
     0.3,
     "",
     3,
     10,
     {0, 1, 2, 2, 3, 4, 5, 5, 6, 7},
     {2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
     {3, 4, 5, 7, 8, 9, 10, 11, 12, 14}},
    {"get.boundary.kb(target = 0.25, ncohort = 10, cohortsize = 3)",
     0.25,
     "",
     3,
     10,
     {0, 1, 1, 2, 2, 3, 4, 4, 5, 5},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 9},
     {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
    {"get.boundary.kb(target = 0.2, ncohort = 10, cohortsize = 3, marginL = 0.05, "
     "marginR = 0.1)",
     0.2,
     "margin_left=0.05 margin_right=0.1",
     3,
     10,
     {0, 0, 1, 1, 1, 2, 2, 3, 3, 4},
     {1, 2, 3, 4, 5, 6, 7, 8, 8, 9},
     {2, 3, 4, 5, 6, 7, 8, 8, 9, 10}},
    /* full_boundary_tab of get.boundary.kb(target = 0.3, ncohort = 30, cohortsize = 1); its
     * eliminate row reads NA 2 3 3 ...: the package has no n >= 3 condition and eliminates at
     * 2/2 (P = 1 - 0.3^3 = 0.973), where SPEC 6 needs 3 patients: our n = 2 entry is "never". */
    {"get.boundary.kb(target = 0.3, ncohort = 30, cohortsize = 1)",
     0.3,
     "",
     1,
     30,
     {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7},
     {1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4,  5,  5,  5,  6,
      6, 6, 7, 7, 7, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11},
     {2, 3, 3, 3, 4,  4,  5,  5,  5,  6,  6,  7,  7,  8,  8,
      8, 9, 9, 9, 10, 10, 11, 11, 11, 12, 12, 12, 13, 13, 14}},
};

Test(keyboard, boundaries_of_the_r_package) {
  for (size_t t = 0; t < sizeof kb_tables / sizeof kb_tables[0]; t++) {
    const kb_table *kb = &kb_tables[t];
    const void *p = configure_or_fail(setup_of(3, kb->target), kb->opt);
    for (int i = 0; i < kb->count; i++) {
      int n = kb->step * (i + 1);
      design_table_row row;
      design_keyboard.table_row(p, n, &row);
      cr_expect_eq(row.escalate, kb->esc[i], "%s n %d escalate %d", kb->call, n, row.escalate);
      cr_expect_eq(row.deescalate, kb->de[i], "%s n %d de-escalate %d", kb->call, n,
                   row.deescalate);
      int eli = kb->eli[i];
      if (n < 3) /* SPEC 6: elimination needs 3 patients (see above) */
        eli = INTERVAL_NEVER_GE(n);
      cr_expect_eq(row.eliminate, eli, "%s n %d eliminate %d", kb->call, n, row.eliminate);
    }
  }
}

/* mTPI-2's UPM is mass / length; Keyboard's strength is the mass of a full key and, for an end
 * key, its mass x width / length, i.e. UPM x width for every key. A constant factor changes
 * neither the strongest interval nor which intervals tie, and both break ties to the right, so
 * with margins equal to eps the two rules give the same decision everywhere: no (n, y) differs
 * here, over n = 1..30 and all y, for five pairs of settings. Only ties could separate them,
 * and both rules send a tie to the right; doseval scores the two through one function
 * (interval_strongest), so their rounding agrees too. */
Test(keyboard, same_decisions_as_mtpi2) {
  const struct {
    double target;
    const char *kb, *mt;
  } pairs[] = {
      {0.3, "", ""},
      {0.25, "", ""}, /* keys tile [0, 1] exactly */
      {0.2, "margin_left=0.05 margin_right=0.1", "eps1=0.05 eps2=0.1"},
      {0.33, "margin_left=0.03 margin_right=0.07", "eps1=0.03 eps2=0.07"},
      {0.3, "margin_left=0.01 margin_right=0.01 cutoff_eli=0.9",
       "eps1=0.01 eps2=0.01 cutoff_eli=0.9"},
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    const void *kb =
        configure_into(&design_keyboard, params_buf, setup_of(3, pairs[i].target), pairs[i].kb);
    const void *mt =
        configure_into(&design_mtpi2, other_buf, setup_of(3, pairs[i].target), pairs[i].mt);
    int differ = 0;
    for (int n = 1; n <= 30; n++) {
      design_table_row a, b;
      design_keyboard.table_row(kb, n, &a);
      design_mtpi2.table_row(mt, n, &b);
      for (int y = 0; y <= n; y++) {
        int da = y >= a.eliminate ? 2 : y >= a.deescalate ? 1 : y <= a.escalate ? -1 : 0;
        int db = y >= b.eliminate ? 2 : y >= b.deescalate ? 1 : y <= b.escalate ? -1 : 0;
        differ += da != db;
        cr_expect_eq(da, db, "target %g n %d y %d: keyboard %d, mTPI-2 %d", pairs[i].target, n, y,
                     da, db);
      }
    }
    cr_expect_eq(differ, 0);
  }
}

Test(keyboard, describe) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "margin_right=0.1");
  char buf[2048];
  design_keyboard.describe(p, buf, sizeof buf);
  cr_expect(strncmp(buf, "Keyboard decision table (Yan, Mandrekar & Yuan 2017)\n", 53) == 0, "%s",
            buf);
  cr_expect(strstr(buf, "= [0.2500, 0.4000]") != NULL, "%s", buf);
  cr_expect(strstr(buf, "cutoff_eli  0.9500") != NULL, "%s", buf);
}

/* Hand-worked trials, target 0.3, cohorts of 3, with the first table above: n = 3 escalates at
 * 0, de-escalates at 2, eliminates at 3; n = 6: 1, 3, 4. */
Test(keyboard, escalation_stay_and_deescalation) {
  const void *p = configure_or_fail(setup_of(4, 0.3), "");
  design_state s;
  expect_replay(p, "1NNN", 0, 2, &s);
  expect_replay(p, "1NNN 2NNT", 0, 2, &s);
  expect_replay(p, "1NNN 2NNT 2NNN", 0, 3, &s); /* 1/6 escalates */
  expect_replay(p, "1NNN 2NNT 2NNN 3NTT", 0, 2, &s);
  expect_replay(p, "1NTT", 0, 1, &s); /* de-escalation at dose 1 stays */
  /* ended here: dose 1 (0/3) 0.016, dose 2 (1/6) 0.172, dose 3 (2/3) 0.661: dose 2 */
  expect_replay(p, "1NNN 2NNT 2NNN 3NTT", 0, 2, &s);
  cr_expect_eq(design_keyboard.select(p, &s, DESIGN_MAX_DOSES), 2);
}

Test(keyboard, top_dose_start_dose_and_elimination) {
  const void *p = configure_or_fail(setup_of(2, 0.3), "");
  design_state s;
  expect_replay(p, "1NNN 2NNN", 0, 2, &s); /* the top dose blocks escalation */
  expect_replay(p, "1NNN 2TTT", 0, 1, &s); /* dose 2 out */
  expect_replay(p, "1NNN 2TTT 1NNN", 0, 1, &s);
  expect_replay(p, "1NNN 2TTT 1NNN 1TTT", 0, 1, &s); /* 3/9 at dose 1 stays */
  /* 5/12 at dose 1 de-escalates (>= 5 at n = 12), i.e. stays; 8/15 eliminates dose 1: stop */
  expect_replay(p, "1NNN 2TTT 1NNN 1TTT 1NTT", 0, 1, &s);
  expect_replay(p, "1NNN 2TTT 1NNN 1TTT 1NTT 1TTT", 1, 0, &s);
  cr_expect_eq(design_keyboard.select(p, &s, DESIGN_MAX_DOSES), 0);
  design_setup setup = setup_of(3, 0.3);
  setup.start_dose = 3;
  const void *q = configure_or_fail(setup, "");
  expect_replay(q, "3NNT", 0, 3, &s);
  expect_replay(q, "3TTT", 0, 2, &s);
}
