/* cli_common.h — what the subcommands share: messages, the default output folder, writing the
 * result files, and reading a config with the --design / --scenario filters. */
#ifndef DOSEVAL_CLI_COMMON_H
#define DOSEVAL_CLI_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "checkpoint.h"
#include "config.h"
#include "error.h"
#include "outcomes.h"
#include "write.h"

/* Prints "doseval CMD: message" on stderr and returns the exit status for err's code. */
int cli_fail(const char *cmd, const dv_error *err);

/* results/<config file stem> */
void cli_default_out(const char *config_path, char *buf, size_t len);

/* Parses a whole non-negative decimal number; DV_EUSAGE naming the option otherwise. */
dv_status cli_parse_u64(const char *opt, const char *text, uint64_t *out,
                        dv_error *err) DV_MUST_CHECK;

/* The one argument parser of every command: options of the form --name VALUE or --name=VALUE
 * (flags take no value), read from a table that also writes the command's --help. */
typedef enum { CLI_REAL, CLI_LONG, CLI_FLAG, CLI_WORD, CLI_LIST } cli_kind;
typedef struct {
  const char *name; /* "--target" */
  cli_kind kind;
  void *out;         /* double *, long *, bool *, const char ** or (CLI_LIST) const char *[max] */
  bool *seen;        /* set when the option is given; may be NULL */
  const char *value; /* the value's name in --help ("T"); NULL for flags */
  const char *help;  /* one line for --help */
  int max;           /* CLI_LIST: room in out */
  int *count;        /* CLI_LIST: values given */
} cli_option;

typedef struct {
  const char *cmd;        /* "doseval run" */
  const char *args;       /* the positional arguments in the usage line ("CONFIG"), or NULL */
  const char *about;      /* what the command does, for --help (lines ending in \n) */
  const cli_option *opts; /* NULL-name terminated */
  int min_args, max_args; /* how many positional arguments */
  const char **arg;       /* they land here (room for max_args) */
  int *n_args;
  bool silent; /* print nothing (MPI ranks but 0); the return value is the same */
} cli_command;

/* Reads argv[1..] against c. Returns 0 to go on, -1 when --help was printed (exit 0), or 2 after
 * printing a usage error that names the argument and what is allowed. */
int cli_parse(const cli_command *c, int argc, char **argv);

/* Prints "CMD: message", the usage line and a --help hint on stderr; returns exit status 2. */
int cli_usage_error(const cli_command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "doseval CMD ARGS..." as a shell would read it back (arguments quoted where needed). */
void cli_command_line(const char *cmd, int argc, char **argv, char *buf, size_t len);

/* A live trial's inputs (`next`, `paths`): the config at `path` with only `design` kept (and
 * `scenario`, if not NULL), and `text` parsed for its doses into o; a bad string is DV_EUSAGE
 * "--outcomes: ...". On failure *cfg may hold the config (the caller frees it). */
dv_status cli_load_trial(const char *path, const char *design, const char *scenario,
                         const char *text, config **cfg, outcomes *o, dv_error *err) DV_MUST_CHECK;

/* A count-based design's decision table (`boundaries`, `validate`) on stdout: for n = c, 2c, ...,
 * n_max the DLT counts that escalate, de-escalate, eliminate (and stop, for BOIN's extrasafe);
 * as text with NA for "never", or as CSV with empty cells. */
void cli_print_decision_table(const design_type *t, const void *params, int c, int n_max, bool csv);

#endif
