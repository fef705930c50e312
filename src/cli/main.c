/* main.c — doseval: set-up (which command, MPI for `run`), the command, wrap-up (exit status). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "par.h"

static const char usage[] =
    "doseval " DOSEVAL_VERSION " — operating characteristics of phase I dose-escalation designs\n"
    "usage:\n"
    "  doseval run CONFIG [--trials N] [--seed S] [--out DIR] [--design NAME]... [--scenario "
    "NAME]...\n"
    "                     [--shard I/N] [--checkpoint-every SECONDS] [--resume] [--quiet]\n"
    "  doseval exact CONFIG [--out DIR]\n"
    "  doseval merge DIR... --out DIR\n"
    "  doseval boundaries [--design TYPE] --target T --cohort-size C --cohorts N\n"
    "                     [the design's options, e.g. --p-saf X] [--csv]\n"
    "  doseval skeleton --target T --halfwidth D --prior-mtd NU --levels K [--model M]\n"
    "  doseval next CONFIG --design NAME --outcomes \"1NNN 2NTN\" [--json]\n"
    "  doseval paths CONFIG --design NAME --cohorts K [--outcomes \"...\"] [--scenario NAME]\n"
    "                     [--out DIR]\n"
    "  doseval validate CONFIG\n"
    "Each command has --help. Exit status: 0 success, 2 usage or config error, 1 failure.\n";

typedef struct {
  const char *name;
  int (*main)(int argc, char **argv);
  int needs_mpi;
} command;

static const command commands[] = {
    {"run", cli_run, 1},           {"exact", cli_exact, 0},
    {"merge", cli_merge, 0},       {"boundaries", cli_boundaries, 0},
    {"skeleton", cli_skeleton, 0}, {"next", cli_next, 0},
    {"paths", cli_paths, 0},       {"validate", cli_validate, 0},
};

/* A command that succeeded but whose table could not be written (a full disk, a closed pipe)
 * has failed: exit 1 with a message. */
static int stdout_checked(int code) {
  if (fflush(stdout) == 0 && !ferror(stdout))
    return code;
  fprintf(stderr, "doseval: cannot write to standard output: %s\n", strerror(errno));
  return code == 0 ? 1 : code;
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("doseval %s\n", DOSEVAL_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(argv[1], commands[i].name) != 0)
      continue;
    if (!commands[i].needs_mpi)
      return stdout_checked(commands[i].main(argc - 1, argv + 1));
    dv_error err = {0};
    if (par_init(&argc, &argv, &err) != DV_OK) {
      fprintf(stderr, "doseval: %s\n", err.msg);
      return 1;
    }
    int code = stdout_checked(commands[i].main(argc - 1, argv + 1));
    par_finalize();
    return code;
  }
  fprintf(stderr,
          "doseval: '%s' is not a command; allowed: run, exact, merge, boundaries, skeleton\n",
          argv[1]);
  return 2;
}
