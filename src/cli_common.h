/* cli_common.h — what the subcommands share: messages, the default output folder, writing the
 * result files, and reading a config with the --design / --scenario filters. */
#ifndef DOSEVAL_CLI_COMMON_H
#define DOSEVAL_CLI_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "write.h"

/* Prints "doseval CMD: message" on stderr and returns the exit status for err's code. */
int cli_fail(const char *cmd, const dv_error *err);

/* results/<config file stem> */
void cli_default_out(const char *config_path, char *buf, size_t len);

/* Parses a whole non-negative decimal number; DV_EUSAGE naming the option otherwise. */
dv_status cli_parse_u64(const char *opt, const char *text, uint64_t *out,
                        dv_error *err) DV_MUST_CHECK;

/* Options of the form --name VALUE or --name=VALUE (flags take no value), read from a table. */
typedef enum { CLI_REAL, CLI_LONG, CLI_FLAG, CLI_WORD } cli_kind;
typedef struct {
  const char *name; /* "--target" */
  cli_kind kind;
  void *out;  /* double *, long *, bool * or const char ** */
  bool *seen; /* set when the option is given; may be NULL */
} cli_option;

/* Prints "CMD: message", the usage and a --help hint on stderr; returns exit status 2. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads argv[1..] against opts (NULL-name terminated). Returns 0, or prints a usage error naming
 * the option and what is allowed and returns 2. */
int cli_read_options(const char *cmd, const char *usage, int argc, char **argv,
                     const cli_option *opts);

/* "doseval CMD ARGS..." as a shell would read it back (arguments quoted where needed). */
void cli_command_line(const char *cmd, int argc, char **argv, char *buf, size_t len);

/* Creates DIR and writes oc.csv, summary.json and report.html into it. */
dv_status cli_write_results(const write_input *in, const char *dir, dv_error *err) DV_MUST_CHECK;

#endif
