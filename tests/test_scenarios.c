/* test_scenarios.c — a run's scenarios handed out by position (src/study/scenarios.c): named ones
 * as the file gives them, with the stream of their place in the file; random ones drawn from the
 * seed; each with its true MTD. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "curve.h"
#include "random_scenarios.h"
#include "scenarios.h"
#include "support_sim.h"

static const char only_random[] =
    "study: {name: s, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
    "designs: [{name: \"3+3\", type: threeplusthree}]\n"
    "random_scenarios: {count: 4, method: pseudo-uniform}\n"
    "simulation: {trials: 10, seed: 99}\n";

/* A config may hold random scenarios only; they are named random 1..N, follow the named ones,
 * and their patients' streams are their own (not the named scenarios' positions). */
Test(scenarios, random_ones) {
  config *cfg = support_config(only_random);
  cr_assert_eq(cfg->n_named, 0);
  cr_assert_eq(cfg->n_scenarios, 4);
  for (int s = 0; s < 4; s++) {
    config_scenario sc, again;
    config_scenario_at(cfg, s, &sc);
    config_scenario_at(cfg, s, &again);
    char want[32], buf[32];
    snprintf(want, sizeof want, "random %d", s + 1);
    cr_expect_str_eq(sc.name, want);
    cr_expect_str_eq(config_scenario_name(cfg, s, buf, sizeof buf), want);
    cr_expect(sc.random);
    cr_expect_eq(sc.stream, RANDOM_PATIENT_STREAM + (uint32_t)s);
    cr_expect(memcmp(&sc, &again, sizeof sc) == 0, "drawn twice, the same curve");
    double p[3];
    random_curve_pseudo_uniform(99, (uint32_t)s, 3, 0.3, p, NULL);
    cr_expect(memcmp(p, sc.p_tox, sizeof p) == 0, "curve %d is drawn from the config's seed", s);
    cr_expect_eq(sc.true_mtd, curve_closest_dose(p, 3, 0.3));
  }
  config_free(cfg);
}

/* Named scenarios come first, as the file gives them; after --scenario each keeps the stream of
 * its place in the file, and the random ones follow. */
Test(scenarios, named_ones_keep_their_place) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "%sscenarios: [{name: low, p_tox: [0.05, 0.1, 0.3]}, {name: mid, p_tox: [0.1, 0.3, "
           "0.5]}, {name: high, p_tox: [0.3, 0.5, 0.6]}]\n",
           only_random);
  config *cfg = support_config(yaml);
  cr_assert_eq(cfg->n_scenarios, 7);
  const char *names[] = {"high", "low", "random"};
  dv_error err = {0};
  cr_assert_eq(config_select_scenarios(cfg, names, 3, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(cfg->n_scenarios, 6);
  static const struct {
    const char *name;
    uint32_t stream;
    int true_mtd;
    double p1;
  } want[] = {{"low", 0, 3, 0.05}, {"high", 2, 1, 0.3}};
  for (int s = 0; s < 2; s++) {
    config_scenario sc;
    char buf[32];
    config_scenario_at(cfg, s, &sc);
    cr_expect_str_eq(sc.name, want[s].name);
    cr_expect_str_eq(config_scenario_name(cfg, s, buf, sizeof buf), want[s].name);
    cr_expect(!sc.random);
    cr_expect_eq(sc.stream, want[s].stream, "%s: stream %u", sc.name, sc.stream);
    cr_expect_eq(sc.true_mtd, want[s].true_mtd, "%s: true MTD %d", sc.name, sc.true_mtd);
    cr_expect_eq(sc.p_tox[0], want[s].p1);
  }
  config_scenario sc;
  config_scenario_at(cfg, 2, &sc);
  cr_expect_str_eq(sc.name, "random 1");
  cr_expect_eq(sc.stream, RANDOM_PATIENT_STREAM);
  config_free(cfg);
}

/* Each scenario's true MTD and acceptable selections follow the study's too_toxic and acceptable
 * (SPEC section 8): stopping is acceptable exactly when there is no true MTD. */
Test(scenarios, true_mtd_and_acceptable_follow_the_study) {
  config *cfg =
      support_config("study: {name: s, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12,\n"
                     "        too_toxic: 0.33, acceptable: [0.2, 0.34]}\n"
                     "designs: [{name: \"3+3\", type: threeplusthree}]\n"
                     "scenarios: [{name: toxic, p_tox: [0.34, 0.5, 0.6]}, {name: edge, p_tox: "
                     "[0.2, 0.32, 0.6]}]\n");
  config_scenario sc;
  config_scenario_at(cfg, 0, &sc);
  cr_expect_eq(sc.true_mtd, 0, "every dose >= 0.33");
  cr_expect(sc.acceptable[0] && sc.acceptable[1] && !sc.acceptable[2] && !sc.acceptable[3]);
  config_scenario_at(cfg, 1, &sc);
  cr_expect_eq(sc.true_mtd, 2);
  cr_expect(!sc.acceptable[0] && sc.acceptable[1] && sc.acceptable[2] && !sc.acceptable[3]);
  config_free(cfg);
}

/* A pseudo-uniform curve is drawn with the dose closest to the target as its MTD (j), but one
 * drawn with j = 1 may lie wholly at or above too_toxic: the one rule gives it no true MTD (then
 * stopping is correct), and every other curve keeps j. Among the first 300 curves of seed 7
 * (3 doses, target 0.3) some are of each kind. */
Test(scenarios, random_curves_may_have_no_true_mtd) {
  config *cfg = support_config(
      "study: {name: s, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 12}\n"
      "designs: [{name: \"3+3\", type: threeplusthree}]\n"
      "random_scenarios: {count: 300, method: pseudo-uniform}\nsimulation: {seed: 7}\n");
  int none = 0, kept = 0;
  for (int s = 0; s < 300; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    random_curve_info info;
    double p[3];
    random_curve_pseudo_uniform(7, (uint32_t)s, 3, 0.3, p, &info);
    bool toxic = p[0] >= 0.42 && p[1] >= 0.42 && p[2] >= 0.42;
    cr_expect_eq(sc.true_mtd, toxic ? 0 : info.mtd, "random %d: %g %g %g", s + 1, p[0], p[1], p[2]);
    cr_expect(!toxic || info.mtd == 1, "random %d: wholly toxic with j = %d", s + 1, info.mtd);
    cr_expect_eq(sc.acceptable[0], toxic);
    none += toxic;
    kept += !toxic;
  }
  cr_expect(none > 0 && kept > 0, "%d curves with no true MTD, %d with one", none, kept);
  cr_log_info("%d of 300 curves with no true MTD", none);
  config_free(cfg);
}
