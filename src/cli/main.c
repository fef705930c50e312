/* main.c — doseval: set-up (which command, MPI for those that run under it), the command, wrap-up
 * (exit status). */
#include <stdio.h>
#include <string.h>

#include "build_info.h"
#include "cli.h"
#include "cli_common.h"
#include "par.h"

/* The commands' synopses from the table, then how to learn more. */
static void usage(FILE *fp) {
  fprintf(fp, "doseval " DOSEVAL_VERSION " — operating characteristics of phase I dose-escalation "
              "designs\nusage:\n");
  for (const cli_entry *e = cli_commands; e->name != NULL; e++)
    cli_print_synopsis(fp, "  ", e);
  fprintf(fp, "Under MPI (mpirun -np P doseval COMMAND ..., or srun):");
  for (const cli_entry *e = cli_commands; e->name != NULL; e++)
    if (e->mpi)
      fprintf(fp, " %s", e->name);
  fprintf(fp, "; the others run as one process.\n"
              "Each command has --help. Exit status: 0 success, 2 usage or config error, 1 "
              "failure.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return cli_stdout_checked(NULL, 0);
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("doseval %s\nbuild: %s\n", DOSEVAL_VERSION, build_info());
    return cli_stdout_checked(NULL, 0);
  }
  const cli_entry *e = cli_find(argv[1]);
  if (e == NULL) {
    char shown[512];
    fprintf(stderr,
            "doseval: '%s' is not a command; allowed:", error_shown(argv[1], shown, sizeof shown));
    for (e = cli_commands; e->name != NULL; e++)
      fprintf(stderr, "%s %s", e == cli_commands ? "" : ",", e->name);
    fprintf(stderr, " (doseval --help)\n");
    return 2;
  }
  if (!e->mpi)
    return cli_stdout_checked(e->name, e->main(argc - 1, argv + 1));
  dv_error err = {0};
  cli_signals_hold();
  if (par_init(&argc, &argv, &err) != DV_OK) {
    fprintf(stderr, "doseval: %s\n", err.msg);
    return 1;
  }
  int code = cli_stdout_checked(e->name, e->main(argc - 1, argv + 1));
  par_finalize();
  return code;
}
