/* cli_boundaries.c — `doseval boundaries`: the BOIN decision table for a protocol (SPEC 4, 6),
 * the same numbers as get.boundary() of the R package BOIN (Liu & Yuan 2015), from designs/boin.h.
 */
#include "cli.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boin.h"
#include "cli_common.h"
#include "design.h"

#define CMD "doseval boundaries"

static const char boundaries_about[] =
    "Prints the BOIN decision table (Liu & Yuan 2015): for each number of patients treated at the\n"
    "current dose (C, 2C, ..., N*C), the DLT counts that lead to escalation, de-escalation and\n"
    "elimination of the dose, as get.boundary() of the R package BOIN.\n";

typedef struct {
  double target, p_saf, p_tox, cutoff_eli, offset;
  bool has_target, has_p_saf, has_p_tox;
  long cohort_size, cohorts;
  bool has_cohort_size, has_cohorts;
  bool extrasafe, csv;
} boundaries_args;

#define boundaries_fail(...) cli_usage_error(cmd, __VA_ARGS__)

/* Reads argv[1..] into a; returns 0, -1 after --help, or the exit status of a usage error. */
static int boundaries_parse(int argc, char **argv, boundaries_args *a, cli_command *cmd,
                            cli_option *opts) {
  *a = (boundaries_args){.cutoff_eli = 0.95, .offset = 0.05};
  const cli_option table[] = {
      {"--target", CLI_REAL, &a->target, &a->has_target, "T",
       "target DLT probability, 0 < T < 1 (required)", 0, NULL},
      {"--cohort-size", CLI_LONG, &a->cohort_size, &a->has_cohort_size, "C",
       "patients per cohort, 1 to 8 (required)", 0, NULL},
      {"--cohorts", CLI_LONG, &a->cohorts, &a->has_cohorts, "N",
       "number of cohorts, N*C at most 255 (required)", 0, NULL},
      {"--p-saf", CLI_REAL, &a->p_saf, &a->has_p_saf, "X",
       "highest DLT rate deemed sub-therapeutic, 0 < X < T (default 0.6 T)", 0, NULL},
      {"--p-tox", CLI_REAL, &a->p_tox, &a->has_p_tox, "X",
       "lowest DLT rate deemed overly toxic, T < X < 1 (default 1.4 T)", 0, NULL},
      {"--cutoff-eli", CLI_REAL, &a->cutoff_eli, NULL, "X",
       "eliminate a dose when P(DLT rate > T | data) > X, 0 < X <= 1 (default 0.95)", 0, NULL},
      {"--extrasafe", CLI_FLAG, &a->extrasafe, NULL, NULL,
       "add the stricter stopping row for the lowest dose", 0, NULL},
      {"--offset", CLI_REAL, &a->offset, NULL, "X",
       "extrasafe stops when that probability > cutoff-eli - X (default 0.05)", 0, NULL},
      {"--csv", CLI_FLAG, &a->csv, NULL, NULL,
       "print CSV: n,escalate,deescalate,eliminate[,stop_lowest]; empty = never", 0, NULL},
      {NULL, CLI_FLAG, NULL, NULL, NULL, NULL, 0, NULL}};
  memcpy(opts, table, sizeof table);
  *cmd = (cli_command){.cmd = CMD, .about = boundaries_about, .opts = opts};
  return cli_parse(cmd, argc, argv);
}

/* Checks the values once all are known (the allowed ranges depend on the target). */
static int boundaries_check(const cli_command *cmd, boundaries_args *a) {
  if (!a->has_target)
    return boundaries_fail("--target: missing; allowed: a number with 0 < T < 1 (required)");
  if (!a->has_cohort_size)
    return boundaries_fail("--cohort-size: missing; allowed: a whole number from 1 to %d "
                           "(required)",
                           DESIGN_MAX_COHORT);
  if (!a->has_cohorts)
    return boundaries_fail("--cohorts: missing; allowed: a whole number >= 1 (required)");
  if (!(a->target > 0.0 && a->target < 1.0))
    return boundaries_fail("--target: %g; allowed: 0 < T < 1", a->target);
  if (a->cohort_size < 1 || a->cohort_size > DESIGN_MAX_COHORT)
    return boundaries_fail("--cohort-size: %ld; allowed: 1 to %d", a->cohort_size,
                           DESIGN_MAX_COHORT);
  /* The simulator's documented limit of DESIGN_MAX_N patients bounds the table too. */
  if (a->cohorts < 1 || a->cohorts > DESIGN_MAX_N / a->cohort_size)
    return boundaries_fail("--cohorts: %ld; allowed: 1 to %ld (at most %d patients in cohorts "
                           "of %ld)",
                           a->cohorts, DESIGN_MAX_N / a->cohort_size, DESIGN_MAX_N, a->cohort_size);
  if (!a->has_p_saf)
    a->p_saf = 0.6 * a->target;
  if (!a->has_p_tox)
    a->p_tox = 1.4 * a->target;
  if (!(a->p_saf > 0.0 && a->p_saf < a->target))
    return boundaries_fail("--p-saf: %g%s; allowed: 0 < p_saf < target (%g)", a->p_saf,
                           a->has_p_saf ? "" : " (default 0.6 x target)", a->target);
  if (!(a->p_tox > a->target && a->p_tox < 1.0))
    return boundaries_fail("--p-tox: %g%s; allowed: target (%g) < p_tox < 1", a->p_tox,
                           a->has_p_tox ? "" : " (default 1.4 x target)", a->target);
  if (!(a->cutoff_eli > 0.0 && a->cutoff_eli <= 1.0))
    return boundaries_fail("--cutoff-eli: %g; allowed: 0 < X <= 1", a->cutoff_eli);
  if (!(a->offset >= 0.0 && a->offset < a->cutoff_eli))
    return boundaries_fail("--offset: %g; allowed: 0 <= X < cutoff-eli (%g)", a->offset,
                           a->cutoff_eli);
  return 0;
}

/* One table cell: the count, or NA (text) / empty (CSV) when no count out of n triggers it. */
static void boundaries_cell(int v, int n, bool csv) {
  bool never = v < 0 || v > n;
  if (csv && never)
    printf(",");
  else if (csv)
    printf(",%d", v);
  else if (never)
    printf(" %4s", "NA");
  else
    printf(" %4d", v);
}

int cli_boundaries(int argc, char **argv) {
  boundaries_args a;
  cli_command command;
  const cli_command *cmd = &command;
  cli_option opts[10];
  int rc = boundaries_parse(argc, argv, &a, &command, opts);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  rc = boundaries_check(cmd, &a);
  if (rc != 0)
    return rc;

  int n_max = (int)(a.cohort_size * a.cohorts);
  int escalate[DESIGN_MAX_N + 1], deescalate[DESIGN_MAX_N + 1], eliminate[DESIGN_MAX_N + 1];
  int stop_lowest[DESIGN_MAX_N + 1];
  double lambda_e, lambda_d;
  boin_boundaries(a.target, a.p_saf, a.p_tox, &lambda_e, &lambda_d);
  boin_decision_table(a.target, lambda_e, lambda_d, a.cutoff_eli, n_max, escalate, deescalate,
                      eliminate);
  for (int n = 0; n <= n_max; n++)
    stop_lowest[n] = boin_elimination_threshold(a.target, a.cutoff_eli - a.offset, n);

  int c = (int)a.cohort_size;
  if (a.csv) {
    printf("n,escalate,deescalate,eliminate%s\n", a.extrasafe ? ",stop_lowest" : "");
    for (int n = c; n <= n_max; n += c) {
      printf("%d", n);
      boundaries_cell(escalate[n], n, true);
      boundaries_cell(deescalate[n], n, true);
      boundaries_cell(eliminate[n], n, true);
      if (a.extrasafe)
        boundaries_cell(stop_lowest[n], n, true);
      printf("\n");
    }
  } else {
    printf("BOIN decision boundaries (Liu & Yuan 2015)\n");
    printf("target      %.4f\n", a.target);
    printf("p_saf       %.4f\n", a.p_saf);
    printf("p_tox       %.4f\n", a.p_tox);
    printf("lambda_e    %.4f  escalate if the DLT rate at the current dose <= lambda_e\n",
           lambda_e);
    printf("lambda_d    %.4f  de-escalate if the DLT rate at the current dose >= lambda_d\n",
           lambda_d);
    printf("cutoff_eli  %.4f  eliminate the dose and all above it if at least 3 patients were\n"
           "                    treated and P(DLT rate > target | data) > cutoff_eli\n",
           a.cutoff_eli);
    if (a.extrasafe)
      printf("extrasafe   %.4f  stop the trial if at least 3 patients were treated at the lowest\n"
             "                    dose and P(its DLT rate > target | data) > cutoff_eli - offset\n",
             a.cutoff_eli - a.offset);
    printf("\n");
    static const char *const labels[] = {
        "Number of patients treated", "Escalate if # of DLT <=", "De-escalate if # of DLT >=",
        "Eliminate if # of DLT >=", "Stop trial if # of DLT at the lowest dose >="};
    const int *rows[] = {NULL, escalate, deescalate, eliminate, stop_lowest};
    int n_rows = a.extrasafe ? 5 : 4;
    int width = 0;
    for (int r = 0; r < n_rows; r++)
      if ((int)strlen(labels[r]) > width)
        width = (int)strlen(labels[r]);
    for (int r = 0; r < n_rows; r++) {
      printf("%-*s", width, labels[r]);
      for (int n = c; n <= n_max; n += c) {
        if (rows[r] == NULL)
          printf(" %4d", n);
        else
          boundaries_cell(rows[r][n], n, false);
      }
      printf("\n");
    }
    printf("NA: no number of DLTs leads to that decision.\n");
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, CMD ": could not write the table to standard output\n");
    return 1;
  }
  return 0;
}
