/* cli_skeleton.c — `doseval skeleton`: the CRM skeleton by the indifference-interval calibration of
 * Lee & Cheung (2009), the numbers of dfcrm's getprior() (SPEC 4, 5), from designs/crm.h: the
 * same function the config's `skeleton: {halfwidth, prior_mtd}` goes through.
 */
#include "cli.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "crm.h"
#include "design.h"

static const char skeleton_about[] =
    "Prints the CRM skeleton (prior DLT probabilities of the doses) calibrated by the\n"
    "indifference-interval method of Lee & Cheung (2009), as getprior() of the R package dfcrm:\n"
    "dose NU gets T, and neighbouring doses are spaced so that the working model moves from\n"
    "T - D at one dose to T + D at the next at the same value of its parameter.\n"
    "Output: a line naming the inputs, then the K probabilities with 4 decimals, lowest dose\n"
    "first. Example: --target 0.3 --halfwidth 0.05 --prior-mtd 2 --levels 3 gives\n"
    "0.2040 0.3000 0.4018.\n";

typedef struct {
  double target, halfwidth, intercept;
  long prior_mtd, levels;
  bool has_target, has_halfwidth, has_prior_mtd, has_levels, has_intercept;
  crm_model model;
} skeleton_args;

#define skeleton_fail(...) cli_usage_error(cmd, __VA_ARGS__)

/* Reads argv[1..] into a; returns 0, -1 after --help, or the exit status of a usage error. */
static int skeleton_parse(int argc, char **argv, skeleton_args *a, cli_command *cmd,
                          cli_option *opts) {
  *a = (skeleton_args){.intercept = CRM_DEFAULT_INTERCEPT, .model = CRM_EMPIRIC};
  const char *model = "empiric"; /* read only here, inside cli_begin below */
  const cli_option table[] = {
      {"--target", CLI_REAL, &a->target, &a->has_target, "T",
       "target DLT probability, 0 < T < 1 (required)", 0, NULL},
      {"--halfwidth", CLI_REAL, &a->halfwidth, &a->has_halfwidth, "D",
       "half-width of the indifference intervals, 0 < D < min(T, 1 - T) (required)", 0, NULL},
      {"--prior-mtd", CLI_LONG, &a->prior_mtd, &a->has_prior_mtd, "NU",
       "the dose guessed to be the MTD, 1 to K (required)", 0, NULL},
      {"--levels", CLI_LONG, &a->levels, &a->has_levels, "K", "number of doses, 1 to 16 (required)",
       0, NULL},
      {"--model", CLI_WORD, &model, NULL, "M", "working model: empiric (default) or logistic", 0,
       NULL},
      {"--intercept", CLI_REAL, &a->intercept, &a->has_intercept, "A",
       "intercept of the logistic model (default 3; logistic only)", 0, NULL},
      CLI_OPTION_END};
  memcpy(opts, table, sizeof table);
  *cmd = (cli_command){.name = "skeleton", .about = skeleton_about, .opts = opts};
  int rc;
  if (!cli_begin(cmd, argc, argv, NULL, &rc))
    return rc == 0 ? -1 : rc;
  if (strcmp(model, "empiric") == 0)
    a->model = CRM_EMPIRIC;
  else if (strcmp(model, "logistic") == 0)
    a->model = CRM_LOGISTIC;
  else {
    char shown[512];
    return skeleton_fail("--model: '%s'; allowed: empiric, logistic",
                         error_shown(model, shown, sizeof shown));
  }
  return 0;
}

/* Checks the values once all are known (the allowed ranges depend on each other). The
 * logistic intercept's range is left to crm_skeleton_calibrate, which states it. */
static int skeleton_check(const cli_command *cmd, const skeleton_args *a) {
  if (!a->has_target)
    return skeleton_fail("--target: missing; allowed: a number with 0 < T < 1 (required)");
  if (!a->has_halfwidth)
    return skeleton_fail("--halfwidth: missing; allowed: a number with 0 < D < min(T, 1 - T) "
                         "(required)");
  if (!a->has_prior_mtd)
    return skeleton_fail("--prior-mtd: missing; allowed: a dose from 1 to K (required)");
  if (!a->has_levels)
    return skeleton_fail("--levels: missing; allowed: a whole number from 1 to %d (required)",
                         DESIGN_MAX_DOSES);
  if (!(a->target > 0.0 && a->target < 1.0))
    return skeleton_fail("--target: %g; allowed: 0 < T < 1", a->target);
  double hw_max = fmin(a->target, 1.0 - a->target);
  if (!(a->halfwidth > 0.0 && a->halfwidth < hw_max))
    return skeleton_fail("--halfwidth: %g; allowed: 0 < D < min(T, 1 - T) = %g", a->halfwidth,
                         hw_max);
  if (a->levels < 1 || a->levels > DESIGN_MAX_DOSES)
    return skeleton_fail("--levels: %ld; allowed: 1 to %d", a->levels, DESIGN_MAX_DOSES);
  if (a->prior_mtd < 1 || a->prior_mtd > a->levels)
    return skeleton_fail("--prior-mtd: %ld; allowed: 1 to %ld (the number of levels)", a->prior_mtd,
                         a->levels);
  if (a->has_intercept && a->model != CRM_LOGISTIC)
    return skeleton_fail("--intercept: %g with the empiric model; allowed: only with --model "
                         "logistic",
                         a->intercept);
  return 0;
}

int cli_skeleton(int argc, char **argv) {
  skeleton_args a;
  cli_command command;
  const cli_command *cmd = &command;
  cli_option opts[8];
  int rc = skeleton_parse(argc, argv, &a, &command, opts);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  rc = skeleton_check(cmd, &a);
  if (rc != 0)
    return rc;

  double s[DESIGN_MAX_DOSES];
  dv_error err = {0};
  dv_status st = crm_skeleton_calibrate(a.model, a.target, a.halfwidth, (int)a.prior_mtd,
                                        (int)a.levels, a.intercept, s, &err);
  if (st != DV_OK) {
    /* The only messages left here start "intercept:" or "skeleton:"; name the option. */
    bool option = strncmp(err.msg, "intercept:", 10) == 0;
    return skeleton_fail("%s%s", option ? "--" : "", err.msg);
  }

  if (a.model == CRM_LOGISTIC)
    printf("# CRM skeleton (Lee & Cheung 2009): model logistic, intercept %g, target %g, "
           "halfwidth %g, prior MTD %ld of %ld levels\n",
           a.intercept, a.target, a.halfwidth, a.prior_mtd, a.levels);
  else
    printf("# CRM skeleton (Lee & Cheung 2009): model empiric, target %g, halfwidth %g, prior MTD "
           "%ld of %ld levels\n",
           a.target, a.halfwidth, a.prior_mtd, a.levels);
  for (int d = 0; d < a.levels; d++)
    printf("%s%.4f", d > 0 ? " " : "", s[d]);
  printf("\n");
  return 0;
}
