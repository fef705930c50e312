/* test_mtpi2.c — mTPI-2 (designs/mtpi2.c): its table entry and options, the decision table of Guo
 * et al. (2017), and hand-worked trials. The strongest-interval rule itself is checked against
 * numeric integration in test_interval.c; the equivalence with Keyboard in test_keyboard.c. */
#include <criterion/criterion.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "design.h"
#include "interval.h"
#include "support.h"

extern const design_type design_mtpi2;

static alignas(max_align_t) unsigned char params_buf[16384];

static design_setup setup_of(int k, double target) {
  return (design_setup){
      .n_doses = k, .cohort_size = 3, .max_n = 255, .start_dose = 1, .target = target};
}

static const void *configure_or_fail(design_setup setup, const char *opt) {
  return support_configure_ok(&design_mtpi2, setup, opt, params_buf, sizeof params_buf);
}

static void expect_replay(const void *params, const char *outcomes, int stop, int dose,
                          design_state *s) {
  support_expect_replay(&design_mtpi2, params, outcomes, stop, dose, s);
}

/* The decision E / S / D / U (U: de-escalate and the dose is eliminated, "DU") at n patients
 * with y DLTs, read off the design's table rows. */
static char decision(const void *p, int n, int y) {
  return support_decision(&design_mtpi2, p, n, y);
}

Test(mtpi2, table_entries) {
  cr_expect_str_eq(design_mtpi2.name, "mtpi2");
  cr_expect_not_null(design_mtpi2.title);
  cr_expect_null(design_mtpi2.uses_last_cohort);
  cr_expect_null(design_mtpi2.own_rules);
  cr_expect_not_null(design_mtpi2.table_row);
  cr_expect_not_null(design_mtpi2.describe);
  const char *want[] = {"eps1", "eps2", "cutoff_eli"};
  for (int i = 0; i < 3; i++) {
    cr_expect_str_eq(design_mtpi2.options[i].key, want[i]);
    cr_expect_not_null(design_mtpi2.options[i].help);
  }
  cr_expect_null(design_mtpi2.options[3].key);
  cr_expect_str_eq(design_mtpi2.stop_reasons[0].name, "lowest_dose_eliminated");
  cr_expect(design_mtpi2.stop_reasons[0].toxicity);
  cr_expect_null(design_mtpi2.stop_reasons[1].name);
  cr_expect_eq(design_lookup("mtpi2"), &design_mtpi2);
}

Test(mtpi2, configure_rejects_bad_values) {
  design_setup setup = setup_of(3, 0.3);
  const struct {
    const char *opt, *key;
  } bad[] = {
      {"eps1=0", "eps1"},
      {"eps1=0.3", "eps1"},
      {"eps2=0", "eps2"},
      {"eps2=1", "eps2"},
      {"eps2=0.7", "eps2"},
      {"cutoff_eli=0", "cutoff_eli"},
      {"cutoff_eli=1.5", "cutoff_eli"},
      {"eps1=0.00001 eps2=0.00001", "eps1"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dv_error err = {0};
    cr_expect_eq(support_configure(&design_mtpi2, &setup, bad[i].opt, params_buf, &err), DV_ECONFIG,
                 "%s", bad[i].opt);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", bad[i].key);
    cr_expect(strncmp(err.msg, prefix, strlen(prefix)) == 0 && strstr(err.msg, "; allowed: "),
              "%s: %s", bad[i].opt, err.msg);
  }
  dv_error err = {0};
  cr_expect_eq(support_configure(&design_mtpi2, &setup, "eps2=0.75", params_buf, &err), DV_ECONFIG);
  cr_expect_str_eq(err.msg, "eps2: 0.75; allowed: 0 < eps2 < 1 - target = 0.7");
  cr_expect_eq(support_configure(&design_mtpi2, &setup, "eps2=0.69", params_buf, &err), DV_OK);
}

Test(mtpi2, decision_table_of_guo_et_al_2017) {
  /* Guo et al. (2017), Fig. 3: target 0.3, eps1 = eps2 = 0.05, elimination at 0.95. Rows as
   * DLTs 0, 1, 2, ...; U = DU (de-escalate, the dose unacceptable). n = 3, 6, 9 are the brief's
   * reading of the figure; n = 10 as the R package escalation's test of get_mtpi2() reproduces
   * it (tests/testthat/test_mtpi2.R: 2/10 escalates, 3/10 stays, 4 and 5 de-escalate, 6 DU). */
  const void *p = configure_or_fail(setup_of(5, 0.3), "");
  const struct {
    int n;
    const char *row;
  } fig3[] = {{3, "ESDU"}, {6, "EESDUUU"}, {9, "EEESDUUUUU"}, {10, "EEESDDUUUUU"}};
  for (size_t i = 0; i < sizeof fig3 / sizeof fig3[0]; i++)
    for (int y = 0; y <= fig3[i].n; y++)
      cr_expect_eq(decision(p, fig3[i].n, y), fig3[i].row[y], "n %d y %d: %c, Fig. 3 %c", fig3[i].n,
                   y, decision(p, fig3[i].n, y), fig3[i].row[y]);
  /* where mTPI-2 departs from mTPI (escalation's test): 3/6 de-escalates */
  cr_expect_eq(decision(p, 6, 3), 'D');
  /* n = 0 is "never" in every row */
  design_table_row row;
  design_mtpi2.table_row(p, 0, &row);
  cr_expect(row.escalate == INTERVAL_NEVER_LE && row.deescalate == 1 && row.eliminate == 1);
  cr_expect(!row.has_stop);
}

Test(mtpi2, decisions_are_threshold_rules_at_every_n) {
  /* configure would fail otherwise; here the rows themselves are ordered as a table must be. */
  const char *opts[] = {"", "eps1=0.03 eps2=0.07", "eps1=0.1 eps2=0.02 cutoff_eli=0.9"};
  for (int i = 0; i < 3; i++) {
    const void *p = configure_or_fail(setup_of(3, 0.25), opts[i]);
    for (int n = 1; n <= DESIGN_MAX_N; n++) {
      design_table_row row;
      design_mtpi2.table_row(p, n, &row);
      cr_expect(row.escalate < row.deescalate && row.deescalate <= row.eliminate &&
                    row.escalate >= -1 && row.eliminate <= n + 1,
                "%s n %d: %d %d %d", opts[i], n, row.escalate, row.deescalate, row.eliminate);
    }
  }
}

Test(mtpi2, describe) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "eps1=0.04");
  char buf[2048];
  design_mtpi2.describe(p, buf, sizeof buf);
  cr_expect(strncmp(buf, "mTPI-2 decision table (Guo et al. 2017)\n", 40) == 0, "%s", buf);
  cr_expect(strstr(buf, "= [0.2600, 0.3500]") != NULL, "%s", buf);
  cr_expect(strstr(buf, "cutoff_eli  0.9500") != NULL, "%s", buf);
  char small[16];
  design_mtpi2.describe(p, small, sizeof small); /* truncates, stays a string */
  cr_expect_eq(strlen(small), 15u);
}

/* Hand-worked trials, target 0.3, cohorts of 3, decisions from Fig. 3 (rows above). */
Test(mtpi2, escalation_stay_and_deescalation) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  design_state s;
  design_action first = design_mtpi2.decide(p, &(design_state){0});
  cr_expect(!first.stop && first.dose == 1, "empty state: start dose");
  expect_replay(p, "1NNN", 0, 2, &s);                /* 0/3: escalate */
  expect_replay(p, "1NNN 2NNT", 0, 2, &s);           /* 1/3: stay */
  expect_replay(p, "1NNN 2NNT 2NNT", 0, 2, &s);      /* 2/6: stay */
  expect_replay(p, "1NNN 2NNT 2NTT", 0, 1, &s);      /* 3/6: de-escalate */
  expect_replay(p, "1NNN 2NNT 2NTT 1NNN", 0, 2, &s); /* 0/6 at dose 1: up again (2 not out) */
  /* had the trial ended here: dose 1 (0/6) est 0.008, dose 2 (3/6) est 0.5, 0.2 from 0.3 */
  cr_expect_eq(design_mtpi2.select(p, &s, DESIGN_MAX_DOSES), 2);
  cr_expect_eq(design_mtpi2.select(p, &s, 1), 1, "only dose 1 admitted");
  expect_replay(p, "1NTT", 0, 1, &s); /* 2/3 at dose 1: de-escalation stays */
}

Test(mtpi2, top_dose_and_start_dose) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  design_state s;
  expect_replay(p, "1NNN 2NNN 3NNN", 0, 3, &s); /* escalation at the top stays */
  design_setup setup = setup_of(4, 0.3);
  setup.start_dose = 2;
  const void *q = configure_or_fail(setup, "");
  expect_replay(q, "2NNN 3NTT", 0, 2, &s);
}

Test(mtpi2, elimination_blocks_and_stops) {
  const void *p = configure_or_fail(setup_of(3, 0.3), "");
  design_state s;
  /* 3/3 at dose 2: P(p > 0.3) = 1 - 0.3^4 = 0.9919 > 0.95, doses 2 and 3 out: back to 1, and
   * 0/6 there cannot escalate into the eliminated dose 2. */
  expect_replay(p, "1NNN 2TTT", 0, 1, &s);
  expect_replay(p, "1NNN 2TTT 1NNN", 0, 1, &s);
  cr_expect_eq(design_mtpi2.select(p, &s, DESIGN_MAX_DOSES), 1, "only dose 1 is left");
  /* dose 1 eliminated: stop, no MTD, reason 0 (lowest_dose_eliminated) */
  expect_replay(p, "1TTT", 1, 0, &s);
  cr_expect_eq(design_mtpi2.decide(p, &s).reason, 0);
  cr_expect_eq(design_mtpi2.select(p, &s, DESIGN_MAX_DOSES), 0);
  expect_replay(p, "1NNT 1TTT", 1, 0, &s); /* 4/6 eliminates (Fig. 3's DU) */
  /* cutoff_eli 0.9: 2/3 at dose 1 has P = 0.9163 > 0.9, so it stops there too */
  const void *q = configure_or_fail(setup_of(3, 0.3), "cutoff_eli=0.9");
  expect_replay(q, "1NTT", 1, 0, &s);
}
