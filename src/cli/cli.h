/* cli.h — the subcommands. Each takes the arguments after its name, prints what the user sees
 * (results on stdout, messages on stderr as "doseval <cmd>: ...") and returns the exit status
 * (0 success, 2 usage or config error, 1 failure while running; SPEC section 4). */
#ifndef DOSEVAL_CLI_H
#define DOSEVAL_CLI_H

int cli_run(int argc, char **argv);        /* src/cli/cli_run.c: doseval run (under MPI) */
int cli_exact(int argc, char **argv);      /* src/cli/cli_exact.c: doseval exact */
int cli_merge(int argc, char **argv);      /* src/cli/cli_merge.c: doseval merge */
int cli_boundaries(int argc, char **argv); /* src/cli/cli_boundaries.c: BOIN decision table */
int cli_skeleton(int argc, char **argv);   /* src/cli/cli_skeleton.c: CRM skeleton calibration */
int cli_next(int argc, char **argv);       /* src/cli/cli_next.c: the next dose of a live trial */
int cli_paths(int argc, char **argv);      /* src/cli/cli_paths.c: dose transition pathways */
int cli_validate(int argc, char **argv);   /* src/cli/cli_validate.c: check a config, say what runs */

#endif
