/* cli_common.h — what the subcommands share: the one argument parser and prologue (parse, load the
 * config with the --design / --scenario selections), messages, the stdout check, the default
 * output folder. */
#ifndef DOSEVAL_CLI_COMMON_H
#define DOSEVAL_CLI_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "checkpoint.h"
#include "config.h"
#include "error.h"
#include "outcomes.h"
#include "write.h"

/* The signals `run` acts on (SIGTERM and SIGINT stop it with a checkpoint, SIGUSR1 asks for one):
 * held from before MPI_Init, which takes seconds on a loaded machine, until its handlers are in
 * place, so that one sent meanwhile waits for them instead of ending the run by default. main
 * holds them for a command that runs under MPI; the command releases them once it handles them. */
void cli_signals_hold(void);
void cli_signals_release(void);

/* Prints "doseval CMD: message" on stderr and returns the exit status for err's code. */
int cli_fail(const char *cmd, const dv_error *err);

/* results/<config file stem> */
void cli_default_out(const char *config_path, char *buf, size_t len);

/* The one argument parser of every command: options of the form --name VALUE or --name=VALUE
 * (flags take no value), read from a table that also writes the command's --help. */
/* CLI_DIR: a word naming a folder to write to, which cannot be empty. */
/* Options in one command's table, at most (boundaries: its own and a design's). */
#define CLI_MAX_OPTIONS 64
typedef enum { CLI_REAL, CLI_LONG, CLI_FLAG, CLI_WORD, CLI_DIR, CLI_LIST } cli_kind;
typedef struct {
  const char *name; /* "--target" */
  cli_kind kind;
  void *out;  /* double *, long *, bool *, const char ** (WORD, DIR) or (LIST) const char *[max] */
  bool *seen; /* set when the option is given; may be NULL */
  const char *value; /* the value's name in --help ("T"); NULL for flags */
  const char *help;  /* one line for --help */
  int max;           /* CLI_LIST: room in out */
  int *count;        /* CLI_LIST: values given */
} cli_option;

/* The --design / --scenario selections (SPEC 4): the names given, in the order given. */
typedef struct {
  const char *designs[CONFIG_MAX_SELECT], *scenarios[CONFIG_MAX_SELECT];
  int n_designs, n_scenarios;
} cli_selection;

/* The options that fill a selection, the same in every command: max is 1 in a command that shows
 * one design or one scenario, CONFIG_MAX_SELECT in those that take several. */
#define CLI_OPTION_DESIGN(sel, max, help)                                                          \
  { "--design", CLI_LIST, (sel)->designs, NULL, "NAME", help, max, &(sel)->n_designs }
#define CLI_OPTION_SCENARIO(sel, max, help)                                                        \
  { "--scenario", CLI_LIST, (sel)->scenarios, NULL, "NAME", help, max, &(sel)->n_scenarios }
#define CLI_OPTION_END                                                                             \
  { NULL, CLI_FLAG, NULL, NULL, NULL, NULL, 0, NULL }

typedef struct {
  const char *name;       /* "run": its synopsis comes from the table of commands (cli.h) */
  const char *about;      /* what the command does, for --help (lines ending in \n) */
  const cli_option *opts; /* CLI_OPTION_END terminated */
  int min_args, max_args; /* how many positional arguments */
  const char **arg;       /* they land here (room for max_args) */
  int *n_args;
  const cli_selection *select; /* applied to the config cli_begin loads; NULL: every one */
  bool silent;                 /* print nothing (MPI ranks but 0); the return value is the same */
} cli_command;

/* Every command's start: reads argv[1..] against c and, when cfg is not NULL, loads the config
 * named by the first positional argument with c's selections and prints its warnings. Returns
 * true to go on (*cfg loaded, the caller frees it); false when the command is over, with *code
 * its exit status: 0 after --help, 2 after a usage or config error (printed, naming the argument
 * or the file and what is allowed), 1 if the config could not be read. */
bool cli_begin(const cli_command *c, int argc, char **argv, config **cfg, int *code);

/* The config at path with sel's selections (a name it does not hold: DV_EUSAGE listing those it
 * holds). On failure *cfg may hold the config (the caller frees it). */
dv_status cli_load(const char *path, const cli_selection *sel, config **cfg,
                   dv_error *err) DV_MUST_CHECK;

/* Prints "doseval CMD: message", the usage line and a --help hint on stderr; returns exit
 * status 2. */
int cli_usage_error(const cli_command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A command that succeeded but whose output could not be written to stdout (a full disk, a
 * closed pipe) has failed: flushes stdout and returns code, or, when that fails, prints "doseval
 * [NAME: ]cannot write to standard output: reason" and returns 1 (code if it is already a
 * failure). */
int cli_stdout_checked(const char *name, int code);

/* "doseval CMD ARGS..." as a shell would read it back (arguments quoted where needed). */
void cli_command_line(const char *cmd, int argc, char **argv, char *buf, size_t len);

/* `next` and `paths` show one design: 0 when --design named it, else 2 after a usage error that
 * lists the designs of cfg. */
int cli_one_design(const cli_command *c, const cli_selection *sel, const config *cfg);
/* 0 when the config's first design places no side patients (design_type.side_dose: BF-BOIN's
 * backfill); otherwise the usage error of a command without a clock (next, paths), exit 2. */
int cli_no_backfill(const cli_command *c, const config *cfg);

/* A live trial's cohorts (`next`, `paths`): text parsed for cfg's doses into o, pending patients
 * (P<days>) read with a DLT window of `window` days (0: none, P refused); a bad string is
 * DV_EUSAGE "--outcomes: ...". */
dv_status cli_outcomes(const config *cfg, const char *text, double window, outcomes *o,
                       dv_error *err) DV_MUST_CHECK;

/* A count-based design's decision table (`boundaries`, `validate`) on stdout: for n = c, 2c, ...,
 * n_max the DLT counts that escalate, de-escalate, eliminate (and stop, for BOIN's extrasafe);
 * as text with NA for "never", or as CSV with empty cells. */
void cli_print_decision_table(const design_type *t, const void *params, int c, int n_max, bool csv);

/* A pending-patient design's decisions with patients pending (design_type.pending_cell), for n =
 * c, 2c, ..., n_max, every y and m: the decision or the STFT threshold where it changes. Text
 * lists m >= 1 where the pending follow-up matters or the design stays or escalates; CSV lists
 * every (n, y, m). Nothing for a design without pending_cell. */
void cli_print_pending_table(const design_type *t, const void *params, int c, int n_max, bool csv);

#endif
