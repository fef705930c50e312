/* cli_skeleton.c — `doseval skeleton`: the CRM skeleton by the indifference-interval calibration of
 * Lee & Cheung (2009), the numbers of dfcrm's getprior() (SPEC 4, 5), from designs/crm.h: the
 * same function the config's `skeleton: {halfwidth, prior_mtd}` goes through.
 */
#include "cli.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "design.h"

#define CMD "doseval skeleton"

static const char skeleton_usage[] =
    "usage: doseval skeleton --target T --halfwidth D --prior-mtd NU --levels K\n"
    "                        [--model empiric|logistic] [--intercept A] [--help]\n";

static const char skeleton_help[] =
    "\n"
    "Prints the CRM skeleton (prior DLT probabilities of the doses) calibrated by the\n"
    "indifference-interval method of Lee & Cheung (2009), as getprior() of the R package dfcrm:\n"
    "dose NU gets T, and neighbouring doses are spaced so that the working model moves from\n"
    "T - D at one dose to T + D at the next at the same value of its parameter.\n"
    "\n"
    "  --target T       target DLT probability, 0 < T < 1 (required)\n"
    "  --halfwidth D    half-width of the indifference intervals, 0 < D < min(T, 1 - T)\n"
    "                   (required)\n"
    "  --prior-mtd NU   the dose guessed to be the MTD, 1 to K (required)\n"
    "  --levels K       number of doses, 1 to 16 (required)\n"
    "  --model M        working model: empiric (default) or logistic\n"
    "  --intercept A    intercept of the logistic model (default 3; logistic only)\n"
    "  --help           print this help\n"
    "\n"
    "Output: a line naming the inputs, then the K probabilities with 4 decimals, lowest dose\n"
    "first. Example: --target 0.3 --halfwidth 0.05 --prior-mtd 2 --levels 3 gives\n"
    "0.2040 0.3000 0.4018.\n";

typedef struct {
  double target, halfwidth, intercept;
  long prior_mtd, levels;
  bool has_target, has_halfwidth, has_prior_mtd, has_levels, has_intercept;
  crm_model model;
} skeleton_args;

/* Prints a usage error ("OPTION: what was found; allowed: what") and returns exit status 2. */
static int skeleton_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int skeleton_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, CMD ": ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n%sTry '" CMD " --help'.\n", skeleton_usage);
  return 2;
}

static bool skeleton_parse_real(const char *s, double *out) {
  char *end = NULL;
  double v = strtod(s, &end);
  if (end == s || *end != '\0' || !isfinite(v))
    return false;
  *out = v;
  return true;
}

static bool skeleton_parse_int(const char *s, long *out) {
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0')
    return false;
  *out = v;
  return true;
}

/* Reads argv[1..] (after --help was ruled out) into a; returns 0 or the exit status of a usage
 * error, its message printed. Options take their value as the next word or after '='. */
static int skeleton_parse(int argc, char **argv, skeleton_args *a) {
  *a = (skeleton_args){.intercept = CRM_DEFAULT_INTERCEPT, .model = CRM_EMPIRIC};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *eq = strchr(arg, '=');
    char name[32];
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    if (len >= sizeof name)
      len = sizeof name - 1;
    memcpy(name, arg, len);
    name[len] = '\0';

    bool known = strcmp(name, "--target") == 0 || strcmp(name, "--halfwidth") == 0 ||
                 strcmp(name, "--prior-mtd") == 0 || strcmp(name, "--levels") == 0 ||
                 strcmp(name, "--model") == 0 || strcmp(name, "--intercept") == 0;
    if (!known)
      return skeleton_fail("%s: unknown option or argument; allowed: --target, --halfwidth, "
                           "--prior-mtd, --levels, --model, --intercept, --help",
                           arg);
    const char *value;
    if (eq != NULL)
      value = eq + 1;
    else if (i + 1 < argc)
      value = argv[++i];
    else
      return skeleton_fail("%s: no value; allowed: a value after the option", name);

    if (strcmp(name, "--model") == 0) {
      if (strcmp(value, "empiric") == 0)
        a->model = CRM_EMPIRIC;
      else if (strcmp(value, "logistic") == 0)
        a->model = CRM_LOGISTIC;
      else
        return skeleton_fail("--model: '%s'; allowed: empiric, logistic", value);
    } else if (strcmp(name, "--prior-mtd") == 0 || strcmp(name, "--levels") == 0) {
      long v;
      if (!skeleton_parse_int(value, &v))
        return skeleton_fail("%s: '%s'; allowed: a whole number", name, value);
      if (strcmp(name, "--prior-mtd") == 0) {
        a->prior_mtd = v;
        a->has_prior_mtd = true;
      } else {
        a->levels = v;
        a->has_levels = true;
      }
    } else {
      double v;
      if (!skeleton_parse_real(value, &v))
        return skeleton_fail("%s: '%s'; allowed: a number", name, value);
      if (strcmp(name, "--target") == 0) {
        a->target = v;
        a->has_target = true;
      } else if (strcmp(name, "--halfwidth") == 0) {
        a->halfwidth = v;
        a->has_halfwidth = true;
      } else {
        a->intercept = v;
        a->has_intercept = true;
      }
    }
  }
  return 0;
}

/* Checks the values once all are known (the allowed ranges depend on each other). The
 * logistic intercept's range is left to crm_skeleton_calibrate, which states it. */
static int skeleton_check(const skeleton_args *a) {
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
  /* --help wins over anything else on the line. */
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("%s%s", skeleton_usage, skeleton_help);
      return fflush(stdout) == 0 ? 0 : 1;
    }
  skeleton_args a;
  int rc = skeleton_parse(argc, argv, &a);
  if (rc != 0)
    return rc;
  rc = skeleton_check(&a);
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
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, CMD ": could not write the skeleton to standard output\n");
    return 1;
  }
  return 0;
}
