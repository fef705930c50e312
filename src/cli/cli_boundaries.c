/* cli_boundaries.c — `doseval boundaries [--design TYPE]`: the decision table of any count-based
 * design for a protocol appendix (SPEC 4, 6). For BOIN these are the numbers of get.boundary()
 * of the R package BOIN (Liu & Yuan 2015). The command line is built from the design's own
 * option table (designs/design.h): `--p-saf` is BOIN's p_saf, `--eps1` mTPI-2's eps1, so a new
 * design's options appear here, in --help and in messages without a change to this file. */
#include "cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "design.h"
#include "options.h"

#define MAX_OPTIONS 32

static const char boundaries_about[] =
    "Prints the decision table of a count-based design (default boin): for each number of\n"
    "patients treated at the current dose (C, 2C, ..., N*C), the DLT counts that lead to\n"
    "escalation, de-escalation and elimination of the dose. The design's own options are\n"
    "written with dashes (p_saf as --p-saf); see --design TYPE --help. A design that reads\n"
    "pending patients (titeboin) adds, for each n, DLTs seen y and m pending, the decision or the\n"
    "STFT where it changes; its --csv is that table (n,y,m,below,threshold,above).\n";

/* "--p-saf" for p_saf, "--skeleton-halfwidth" for skeleton.halfwidth. */
static void flag_of(const char *key, char *buf, size_t len) {
  snprintf(buf, len, "--%s", key);
  for (char *p = buf + 2; *p; p++)
    if (*p == '_' || *p == '.')
      *p = '-';
}

/* The design named by --design (or --design=) anywhere in argv, before the table is built. */
static const char *design_arg(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--design") == 0 && i + 1 < argc)
      return argv[i + 1];
    if (strncmp(argv[i], "--design=", 9) == 0)
      return argv[i] + 9;
  }
  return "boin";
}

typedef struct {
  double target;
  long cohort_size, cohorts;
  bool has_target, has_cohort_size, has_cohorts, csv;
  const char *design;
  /* the design's options, as text until the setup is known */
  char flags[MAX_OPTIONS][48];
  char help[MAX_OPTIONS][256];
  const char *text[MAX_OPTIONS];
  bool flag[MAX_OPTIONS], seen[MAX_OPTIONS];
} boundaries_args;

#define boundaries_fail(...) cli_usage_error(cmd, __VA_ARGS__)

/* The count-based designs, for messages. */
static void table_designs(char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; design_registry[i] != NULL && used < len; i++)
    if (design_registry[i]->table_row != NULL)
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                               design_registry[i]->name);
}

int cli_boundaries(int argc, char **argv) {
  boundaries_args a;
  memset(&a, 0, sizeof a);
  cli_command command;
  const cli_command *cmd = &command;
  cli_option opts[MAX_OPTIONS + 6];
  command = (cli_command){.name = "boundaries", .about = boundaries_about, .opts = opts};
  char names[256];
  table_designs(names, sizeof names);
  a.design = design_arg(argc, argv);
  const design_type *t = design_lookup(a.design);
  char shown[512];
  if (t == NULL || t->table_row == NULL)
    return boundaries_fail("--design: '%s'; allowed: a count-based design: %s",
                           error_shown(a.design, shown, sizeof shown), names);
  int n = 0, n_opts = options_count(t->options);
  if (n_opts > MAX_OPTIONS)
    n_opts = MAX_OPTIONS;
  char design_help[320];
  snprintf(design_help, sizeof design_help, "the design (default boin): %s", names);
  opts[n++] = (cli_option){"--design", CLI_WORD, &a.design, NULL, "TYPE", design_help, 0, NULL};
  opts[n++] = (cli_option){"--target", CLI_REAL,
                           &a.target,  &a.has_target,
                           "T",        "target DLT probability, 0 < T < 1 (required)",
                           0,          NULL};
  opts[n++] = (cli_option){"--cohort-size",
                           CLI_LONG,
                           &a.cohort_size,
                           &a.has_cohort_size,
                           "C",
                           "patients per cohort, 1 to 8 (required)",
                           0,
                           NULL};
  opts[n++] = (cli_option){"--cohorts", CLI_LONG,
                           &a.cohorts,  &a.has_cohorts,
                           "N",         "number of cohorts, N*C at most 255 (required)",
                           0,           NULL};
  for (int i = 0; i < n_opts; i++) {
    const design_option *o = &t->options[i];
    char def[48];
    options_default_text(o, def, sizeof def);
    flag_of(o->key, a.flags[i], sizeof a.flags[i]);
    snprintf(a.help[i], sizeof a.help[i], "%s (default %s)", o->help, def);
    a.flag[i] = o->kind == DESIGN_OPT_BOOL;
    opts[n++] =
        a.flag[i]
            ? (cli_option){a.flags[i], CLI_FLAG, &a.seen[i], NULL, NULL, a.help[i], 0, NULL}
            : (cli_option){a.flags[i], CLI_WORD, &a.text[i], &a.seen[i], "X", a.help[i], 0, NULL};
  }
  opts[n++] = (cli_option){
      "--csv", CLI_FLAG, &a.csv,
      NULL,    NULL,     "print CSV: n,escalate,deescalate,eliminate[,stop_lowest]; empty = never",
      0,       NULL};
  opts[n] = (cli_option)CLI_OPTION_END;
  int rc;
  if (!cli_begin(cmd, argc, argv, NULL, &rc))
    return rc;

  if (!a.has_target)
    return boundaries_fail("--target: missing; allowed: a number with 0 < T < 1 (required)");
  if (!a.has_cohort_size)
    return boundaries_fail("--cohort-size: missing; allowed: a whole number from 1 to %d "
                           "(required)",
                           DESIGN_MAX_COHORT);
  if (!a.has_cohorts)
    return boundaries_fail("--cohorts: missing; allowed: a whole number >= 1 (required)");
  if (!(a.target > 0.0 && a.target < 1.0))
    return boundaries_fail("--target: %g; allowed: 0 < T < 1", a.target);
  if (a.cohort_size < 1 || a.cohort_size > DESIGN_MAX_COHORT)
    return boundaries_fail("--cohort-size: %ld; allowed: 1 to %d", a.cohort_size,
                           DESIGN_MAX_COHORT);
  /* The simulator's documented limit of DESIGN_MAX_N patients bounds the table too. */
  if (a.cohorts < 1 || a.cohorts > DESIGN_MAX_N / a.cohort_size)
    return boundaries_fail("--cohorts: %ld; allowed: 1 to %ld (at most %d patients in cohorts "
                           "of %ld)",
                           a.cohorts, DESIGN_MAX_N / a.cohort_size, DESIGN_MAX_N, a.cohort_size);
  int n_max = (int)(a.cohort_size * a.cohorts);
  /* One dose level is all a per-dose table needs; max_n is the table's length. */
  design_setup setup = {.n_doses = 1,
                        .cohort_size = (int)a.cohort_size,
                        .max_n = n_max,
                        .start_dose = 1,
                        .target = a.target};
  void *options = calloc(1, t->options_size ? t->options_size : 1);
  void *params = calloc(1, t->params_size ? t->params_size : 1);
  if (options == NULL || params == NULL) {
    free(options);
    free(params);
    fprintf(stderr, "doseval boundaries: out of memory\n");
    return 1;
  }
  options_defaults(t->options, t->options_size, &setup, options);
  dv_error err = {0};
  dv_status st = DV_OK;
  const char *bad_flag = NULL;
  for (int i = 0; i < n_opts && st == DV_OK; i++) {
    if (!a.seen[i])
      continue;
    bad_flag = a.flags[i];
    st = options_set(&t->options[i], &setup, options, a.flag[i] ? "true" : a.text[i], &err);
  }
  if (st == DV_OK) {
    bad_flag = NULL;
    st = options_check_values(t->options, &setup, options, &err);
  }
  if (st == DV_OK)
    st = t->configure(params, &setup, options, &err);
  if (st != DV_OK) {
    /* the message starts with the key: show it as the flag */
    const char *colon = strstr(err.msg, ": ");
    char key[64] = "", flag[72];
    if (colon != NULL && (size_t)(colon - err.msg) < sizeof key)
      memcpy(key, err.msg, (size_t)(colon - err.msg));
    flag_of(key, flag, sizeof flag);
    rc = boundaries_fail("%s%s", key[0] ? flag : (bad_flag ? bad_flag : ""),
                         colon && key[0] ? colon : err.msg);
  } else {
    if (!a.csv && t->describe != NULL) {
      char header[2048];
      t->describe(params, header, sizeof header);
      printf("%s\n", header);
    }
    /* a pending-patient design's table with pending patients replaces the CSV's, follows the
     * text's */
    if (!(a.csv && t->pending_cell != NULL))
      cli_print_decision_table(t, params, (int)a.cohort_size, n_max, a.csv);
    cli_print_pending_table(t, params, (int)a.cohort_size, n_max, a.csv);
  }
  free(options);
  free(params);
  return rc;
}
