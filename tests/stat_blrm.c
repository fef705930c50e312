/* stat_blrm.c — the BLRM design (designs/blrm.c) in the engines: every metric of the Monte Carlo
 * engine agrees with the exact engine within 4 MCSE (support_agree_with_exact: selection,
 * stop_reason, sample size, patients and DLTs by dose, the benchmark and the paired terms), on the
 * reference study with the BLRM protocol of configs/nct05563545.yaml and its 24-patient amendment,
 * and on the five-dose study of tests/data/five_doses.yaml (labels 10 ... 160 mg) with the SPEC
 * defaults and a second, correlated prior starting at dose 2.
 *
 * MCSE rule (as tests/stat_validation.c): for a probability the binomial MCSE at the exact value,
 * sqrt(q(1-q)/T), with the exact binomial tail at the same level for rare events
 * (support_within_4se); for a mean the simulation's own MCSE, or, when the simulation saw no
 * variation at all, the bound sqrt(M E[X] / T) that holds for any X in [0, M]; the sd of N by its
 * delta-method MCSE. The two engines share the design (one graph), so this checks the engines'
 * walk and sweep of BLRM's decisions, not the posterior (tests/test_blrm.c does that). */
#include <criterion/criterion.h>

#include "support_sim.h"

#define TRIALS 100000

/* configs/nct05563545.yaml's study and scenarios, with its two BLRM designs. */
static const char *reference =
    "study: {name: ref, doses: [1.0e7, 2.0e7, 3.0e7], target: 0.30, cohort_size: 3, max_n: 21,\n"
    "        start_dose: 1}\n"
    "scenarios:\n"
    "  - {name: MTD at dose 1, p_tox: [0.30, 0.45, 0.60]}\n"
    "  - {name: MTD at dose 2, p_tox: [0.12, 0.30, 0.45]}\n"
    "  - {name: MTD at dose 3, p_tox: [0.05, 0.12, 0.30]}\n"
    "  - {name: All doses safe, p_tox: [0.03, 0.06, 0.10]}\n"
    "  - {name: All doses too toxic, p_tox: [0.50, 0.60, 0.70]}\n"
    "  - {name: Flat, p_tox: [0.25, 0.25, 0.25]}\n"
    "simulation: {seed: 31}\n"
    "designs:\n"
    "  - {name: BLRM, type: blrm, reference_dose: 3.0e7, intervals: [0.20, 0.35],\n"
    "     prior: {mean: [-0.8473, 0], sd: [1, 1]}}\n"
    "  - {name: BLRM 24 pts, type: blrm, max_n: 24, reference_dose: 3.0e7,\n"
    "     intervals: [0.20, 0.35], prior: {mean: [-0.8473, 0], sd: [1, 1]}}\n";

static const char *five_doses =
    "study: {name: five, doses: [10, 20, 40, 80, 160], target: 0.25, cohort_size: 3, max_n: 30}\n"
    "scenarios:\n"
    "  - {name: MTD at 2, p_tox: [0.10, 0.25, 0.40, 0.55, 0.70]}\n"
    "  - {name: MTD at 4, p_tox: [0.02, 0.06, 0.12, 0.25, 0.40]}\n"
    "  - {name: toxic, p_tox: [0.45, 0.55, 0.65, 0.75, 0.85]}\n"
    "simulation: {seed: 32}\n"
    "designs:\n"
    "  - {name: BLRM, type: blrm, reference_dose: 40, prior: {mean: [-1.0986, 0], sd: [2, 1]}}\n"
    "  - {name: BLRM corr, type: blrm, start_dose: 2, reference_dose: 40, max_increase: 0.5,\n"
    "     prior: {mean: [-1.5, 0.3], sd: [1, 0.7], corr: -0.4}, stop: {min_n: 15, n_at_dose: 9}}\n";

static void validate(const char *yaml) {
  config *cfg = support_config(yaml);
  cr_expect_gt(support_agree_with_exact(cfg, TRIALS, false), 50 * cfg->n_designs);
  config_free(cfg);
}

Test(stat_blrm, reference_study, .timeout = 300) { validate(reference); }
Test(stat_blrm, five_doses, .timeout = 300) { validate(five_doses); }
