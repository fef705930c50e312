/* stat_boin12.c — BOIN12 (SPEC 13) under Monte Carlo against the exact engine on the same
 * configs, within 4 MCSE on every metric (support_agree_with_exact, the statistical suite's
 * rule): the responses' stream and the Gaussian copula of the simulation (src/engine/responses.c)
 * against the exact cohort law (a multinomial of the four outcomes, the copula's P(both) by
 * quadrature), with independent and correlated tolerances, three doses, cohorts of 3 and 18 or
 * 21 patients, and the true OBD that `pcs` counts. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "support_sim.h"

#define TRIALS 40000

static void agree(double rho, int max_n, const char *options) {
  char yaml[1024];
  snprintf(yaml, sizeof yaml,
           "study: {name: t, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: %d, "
           "eff_tox_correlation: %g}\nsimulation: {seed: 11}\n"
           "designs:\n  - {name: B12, type: boin12%s}\n"
           "scenarios:\n"
           "  - {name: plateau, p_tox: [0.1, 0.25, 0.45], p_eff: [0.2, 0.5, 0.55]}\n"
           "  - {name: rising, p_tox: [0.05, 0.1, 0.2], p_eff: [0.1, 0.25, 0.6]}\n"
           "  - {name: toxic, p_tox: [0.45, 0.55, 0.65], p_eff: [0.3, 0.4, 0.5]}\n",
           max_n, rho, options);
  config *cfg = support_config(yaml);
  cr_expect_gt(support_agree_with_exact(cfg, TRIALS, true), 100, "rho %g", rho);
  /* the true OBDs pcs counts: dose 2 (utility 40 + 60 q - 40 p: 48, 60, and dose 3 above phi_T),
   * dose 3 (44, 51, 68), none (every dose above phi_T 0.35) */
  oc_rows ex;
  support_exact(cfg, &ex);
  const char *names[3] = {"plateau", "rising", "toxic"};
  int obd[3] = {2, 3, 0};
  for (int s = 0; s < 3; s++) {
    cr_expect_str_eq(ex.scenarios[s].name, names[s]);
    cr_expect_eq(support_row(&ex, s, "B12", "pcs", -1)->value,
                 support_row(&ex, s, "B12", "sel", obd[s])->value, "%s", names[s]);
  }
  oc_rows_free(&ex);
  config_free(cfg);
}

Test(stat_boin12, exact_equals_monte_carlo_independent, .timeout = 300) { agree(0.0, 18, ""); }

Test(stat_boin12, exact_equals_monte_carlo_correlated, .timeout = 300) {
  agree(0.5, 21, ", explore: false");
}

Test(stat_boin12, exact_equals_monte_carlo_negative, .timeout = 300) {
  agree(-0.4, 18, ", n_cap: 9");
}
