/* cli_common.h — what the subcommands share: messages, the default output folder, writing the
 * result files, and reading a config with the --design / --scenario filters. */
#ifndef DOSEVAL_CLI_COMMON_H
#define DOSEVAL_CLI_COMMON_H

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

/* Creates DIR and writes oc.csv and summary.json into it. */
dv_status cli_write_results(const write_input *in, const char *dir, dv_error *err) DV_MUST_CHECK;

#endif
