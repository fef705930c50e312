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

static void validate(const char *yaml) {
  config *cfg = support_config(yaml);
  cr_expect_gt(support_agree_with_exact(cfg, TRIALS, true), 100 * cfg->n_designs);
  config_free(cfg);
}

Test(stat_interval, three_doses, .timeout = 300) { validate(three_doses); }
Test(stat_interval, five_doses, .timeout = 300) { validate(five_doses); }
