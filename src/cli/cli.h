/* cli.h — the commands: one table (name, synopsis, MPI or not, function) that main's dispatch,
 * the usage message, `doseval --help`, each command's --help and the README's synopsis block all
 * read. Each command takes the arguments after its name, prints what the user sees (results on
 * stdout, messages on stderr as "doseval <cmd>: ...") and returns the exit status (0 success, 2
 * usage or config error, 1 failure while running; SPEC section 4). */
#ifndef DOSEVAL_CLI_H
#define DOSEVAL_CLI_H

#include <stdbool.h>
#include <stdio.h>

int cli_run(int argc, char **argv);        /* src/cli/cli_run.c: doseval run (under MPI) */
int cli_exact(int argc, char **argv);      /* src/cli/cli_exact.c: doseval exact */
int cli_merge(int argc, char **argv);      /* src/cli/cli_merge.c: doseval merge */
int cli_boundaries(int argc, char **argv); /* src/cli/cli_boundaries.c: BOIN decision table */
int cli_skeleton(int argc, char **argv);   /* src/cli/cli_skeleton.c: CRM skeleton calibration */
int cli_next(int argc, char **argv);       /* src/cli/cli_next.c: the next dose of a live trial */
int cli_paths(int argc, char **argv);      /* src/cli/cli_paths.c: dose transition pathways */
int cli_validate(int argc, char **argv); /* src/cli/cli_validate.c: check a config, say what runs */
int cli_calibrate(int argc,
                  char **argv); /* src/cli/cli_calibrate.c: a design's options on a grid */
/* `merge` of calibration shards (DIR/calibration.part; src/cli/cli_calibrate.c): the files of one
 * whole calibration in out; returns the exit status. */
int cli_calibrate_merge(const char *const *paths, int n, const char *out, const char *command_line);

typedef struct {
  const char *name;    /* "run" */
  const char *args;    /* the positional arguments ("CONFIG", "DIR..."), or NULL */
  const char *options; /* the rest of the synopsis (SPEC 4): required options bare, others in [] */
  bool mpi;            /* main starts MPI around it (under mpirun every rank runs it) */
  int (*main)(int argc, char **argv);
} cli_entry;

/* Every command, in the order the usage lists them; ends with a NULL name. */
extern const cli_entry cli_commands[];

/* The command called name, or NULL. */
const cli_entry *cli_find(const char *name);

/* "doseval NAME ARGS OPTIONS" after prefix ("usage: "), wrapped at 100 columns before an option,
 * the continuation lines indented under the first option. */
void cli_print_synopsis(FILE *fp, const char *prefix, const cli_entry *e);

#endif
