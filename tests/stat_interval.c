/* stat_interval.c — the interval designs (mTPI-2, Keyboard, i3+3) in the engines: every metric
 * of each design's column in the Monte Carlo engine agrees with the exact engine within 4 MCSE,
 * for each design with its defaults, other interval widths, cutoff_eli 0.9 and start_dose 2 on a
 * 3-dose study, and with its defaults on a 5-dose study; the exact selection probabilities and
 * the distribution of the number treated each sum to 1 within 1e-12.
 *
 * MCSE rule (as tests/stat_validation.c): for a probability the binomial MCSE at the exact value,
 * sqrt(q(1-q)/T), with the exact binomial tail at the same level for rare events
 * (support_within_4se); for a mean the simulation's own MCSE, or, when the simulation saw no
 * variation at all, the bound sqrt(M E[X] / T) that holds for any X in [0, M]; the sd of N by its
 * delta-method MCSE. Only the designs' own columns are compared here (the benchmark and the
 * paired comparisons are stat_validation's). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support_sim.h"

#define TRIALS 100000

static const char *three_doses =
    "study: {name: three, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 24}\n"
    "scenarios:\n"
    "  - {name: mtd3, p_tox: [0.05, 0.12, 0.30]}\n"
    "  - {name: mtd2, p_tox: [0.12, 0.30, 0.45]}\n"
    "  - {name: mtd1, p_tox: [0.30, 0.45, 0.60]}\n"
    "  - {name: safe, p_tox: [0.02, 0.05, 0.08]}\n"
    "  - {name: toxic, p_tox: [0.55, 0.65, 0.75]}\n"
    "simulation: {seed: 21}\n"
    "designs:\n"
    "  - {name: mTPI-2, type: mtpi2}\n"
    "  - {name: mTPI-2 wide, type: mtpi2, eps1: 0.1, eps2: 0.03}\n"
    "  - {name: mTPI-2 eli 0.9, type: mtpi2, cutoff_eli: 0.9}\n"
    "  - {name: mTPI-2 start 2, type: mtpi2, start_dose: 2}\n"
    "  - {name: Keyboard, type: keyboard}\n"
    "  - {name: Keyboard wide, type: keyboard, margin_left: 0.05, margin_right: 0.1}\n"
    "  - {name: Keyboard eli 0.9, type: keyboard, cutoff_eli: 0.9}\n"
    "  - {name: Keyboard start 2, type: keyboard, start_dose: 2}\n"
    "  - {name: i3+3, type: i3plus3}\n"
    "  - {name: i3+3 wide, type: i3plus3, eps1: 0.1, eps2: 0.05}\n"
    "  - {name: i3+3 eli 0.9, type: i3plus3, cutoff_eli: 0.9}\n"
    "  - {name: i3+3 start 2, type: i3plus3, start_dose: 2}\n";

static const char *five_doses =
    "study: {name: five, doses: [1, 2, 3, 4, 5], target: 0.25, cohort_size: 3, max_n: 30}\n"
    "scenarios:\n"
    "  - {name: mtd4, p_tox: [0.03, 0.08, 0.15, 0.25, 0.40]}\n"
    "  - {name: mtd2, p_tox: [0.10, 0.25, 0.40, 0.55, 0.70]}\n"
    "  - {name: safe, p_tox: [0.01, 0.02, 0.04, 0.06, 0.08]}\n"
    "  - {name: toxic, p_tox: [0.45, 0.55, 0.65, 0.75, 0.85]}\n"
    "simulation: {seed: 22}\n"
    "designs:\n"
    "  - {name: mTPI-2, type: mtpi2}\n"
    "  - {name: Keyboard, type: keyboard}\n"
    "  - {name: i3+3, type: i3plus3}\n";

/* The largest value a per-trial quantity of this metric can take (for the mean bound). */
static double range_of(const char *metric, const config *cfg) {
  if (strncmp(metric, "pct_", 4) == 0)
    return 100;
  if (strcmp(metric, "accuracy") == 0)
    return 2 * cfg->n_doses;
  return config_patients_per_trial(cfg);
}

static void validate(const char *yaml) {
  config *cfg = support_config(yaml);
  oc_rows sim, ex;
  support_simulate(cfg, TRIALS, &sim);
  support_exact(cfg, &ex);
  int compared = 0;
  for (size_t i = 0; i < ex.n; i++) {
    const oc_row *e = &ex.rows[i];
    const oc_metric_info *info = &oc_catalogue[e->metric];
    if (info->of != OC_OF_DESIGN || e->column >= cfg->n_designs)
      continue;
    const char *name = ex.labels[e->column];
    const oc_row *s = support_row(&sim, e->scenario, name, info->key, e->dose);
    cr_assert_eq(e->has_value, s->has_value, "%s/%s", name, info->key);
    cr_assert_eq(e->mcse, 0.0);
    if (!e->has_value)
      continue;
    const char *where = cfg->scenarios[e->scenario].name;
    if (e->metric == OC_N_SD) {
      double M = range_of("n_sd", cfg);
      bool ok = s->mcse > 0 ? fabs(s->value - e->value) <= 4 * s->mcse + 1e-12
                            : fabs(s->value * s->value - e->value * e->value) <=
                                  4 * M * e->value / sqrt(TRIALS) + 1e-12;
      cr_expect(ok, "%s/%s/n_sd: %.5f vs %.5f", where, name, s->value, e->value);
    } else if (info->probability) {
      cr_expect(support_within_4se(s->value, e->value, TRIALS),
                "%s/%s/%s/%d: simulated %.6f (mcse %.6f), exact %.6f", where, name, info->key,
                e->dose, s->value, s->mcse, e->value);
    } else {
      double se = s->mcse > 0 ? s->mcse : sqrt(range_of(info->key, cfg) * fabs(e->value) / TRIALS);
      cr_expect(fabs(s->value - e->value) <= 4 * se + 1e-12,
                "%s/%s/%s/%d: simulated %.6f (mcse %.6f), exact %.6f", where, name, info->key,
                e->dose, s->value, se, e->value);
    }
    compared++;
  }
  for (int sc = 0; sc < cfg->n_scenarios; sc++)
    for (int j = 0; j < cfg->n_designs; j++) {
      double sel = 0, ndist = 0;
      for (int d = 0; d <= cfg->n_doses; d++)
        sel += support_row(&ex, sc, cfg->designs[j].name, "sel", d)->value;
      for (int n = 3; n <= cfg->designs[j].setup.max_n; n += 3)
        ndist += support_row(&ex, sc, cfg->designs[j].name, "n_dist", n)->value;
      cr_expect(fabs(sel - 1) < 1e-12, "%s: sel sums to %.15f", cfg->designs[j].name, sel);
      cr_expect(fabs(ndist - 1) < 1e-12, "%s: n_dist sums to %.15f", cfg->designs[j].name, ndist);
    }
  cr_log_info("%s: %d metrics compared", cfg->study_name, compared);
  cr_expect_gt(compared, 100 * cfg->n_designs);
  oc_rows_free(&sim);
  oc_rows_free(&ex);
  config_free(cfg);
}

Test(stat_interval, three_doses, .timeout = 300) { validate(three_doses); }
Test(stat_interval, five_doses, .timeout = 300) { validate(five_doses); }
