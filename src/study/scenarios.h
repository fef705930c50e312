/* scenarios.h — the scenarios of a run (SPEC sections 5, 7, 8): the config's named curves, then
 * its random ones (random_scenarios.h), each handed out by its position with its patients' stream,
 * its true MTD and its acceptable selections, which are worked out here for every scenario
 * (curve.h's rules), nowhere else. */
#ifndef DOSEVAL_SCENARIOS_H
#define DOSEVAL_SCENARIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "design.h"

/* One scenario of a run, named (the file's `scenarios`) or random (`random_scenarios`, drawn
 * when asked for). A value: it owns nothing. The names keep the config_ prefix they had when
 * config.c held them: the engines, writers and commands all take a config_scenario. */
typedef struct {
  char name[CONFIG_MAX_TEXT + 1]; /* "MTD at dose 3", "random 17" */
  int index;       /* named: position in the file; random: 0-based number of the curve */
  bool random;     /* drawn by random_scenarios */
  uint32_t stream; /* its patients' stream (README, "Randomness") */
  double p_tox[DESIGN_MAX_DOSES]; /* true DLT probability per dose */
  bool has_eff;                   /* p_eff given (SPEC 13; named scenarios only) */
  double p_eff[DESIGN_MAX_DOSES]; /* ... true response probability per dose */
  int true_mtd; /* the true MTD of p_tox (curve_true_mtd): 1..K, or 0 when every dose is too toxic
                 */
  /* what `pas` counts: [d] dose d's p within study.acceptable; [0] stopping with no MTD, which
   * is acceptable only when there is no true MTD */
  bool acceptable[DESIGN_MAX_DOSES + 1];
} config_scenario;

/* Scenario s of the run (0 <= s < n_scenarios): named scenario s, or random curve s - n_named
 * drawn from the seed (the same every time it is asked for), with its true MTD (under the
 * study's too_toxic) and acceptable selections (its acceptable interval). */
void config_scenario_at(const config *c, int s, config_scenario *out);
/* Its name alone (buf holds a random one's: 32 bytes suffice), without drawing the curve. */
const char *config_scenario_name(const config *c, int s, char *buf, size_t len);

#endif
