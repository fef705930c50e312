/* scenarios.c — a run's scenarios by position, named then random, each with its true MTD (see
 * scenarios.h). */
#include "scenarios.h"

#include <stdio.h>
#include <string.h>

#include "curve.h"
#include "random_scenarios.h"

const char *config_scenario_name(const config *c, int s, char *buf, size_t len) {
  if (s < c->n_named)
    return c->named[s].name;
  snprintf(buf, len, "random %d", s - c->n_named + 1);
  return buf;
}

void config_scenario_at(const config *c, int s, config_scenario *out) {
  memset(out, 0, sizeof *out);
  if (s < c->n_named) {
    const config_named *n = &c->named[s];
    snprintf(out->name, sizeof out->name, "%s", n->name);
    out->index = n->index;
    out->stream = (uint32_t)n->index; /* its position in the file, so --scenario keeps it */
    memcpy(out->p_tox, n->p_tox, sizeof out->p_tox);
    out->has_eff = n->has_eff;
    memcpy(out->p_eff, n->p_eff, sizeof out->p_eff);
  } else {
    uint32_t i = (uint32_t)(s - c->n_named);
    snprintf(out->name, sizeof out->name, "random %u", i + 1);
    out->index = (int)i;
    out->random = true;
    out->stream = RANDOM_PATIENT_STREAM + i;
    random_curve_pseudo_uniform(c->seed, i, c->n_doses, c->target, out->p_tox, NULL);
  }
  out->true_mtd = curve_true_mtd(out->p_tox, c->n_doses, c->target, c->too_toxic);
  out->acceptable[0] = out->true_mtd == 0;
  for (int d = 1; d <= c->n_doses; d++)
    out->acceptable[d] = curve_acceptable(out->p_tox[d - 1], c->acceptable[0], c->acceptable[1]);
}
