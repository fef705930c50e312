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
