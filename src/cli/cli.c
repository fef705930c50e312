/* cli.c — the table of commands (see cli.h) and the synopsis printer every usage message uses. */
#include "cli.h"

#include <string.h>

/* SPEC section 4. The README's "Commands" block is what `doseval --help` prints from this table
 * (tests/e2e/unit_readme_options.sh). */
const cli_entry cli_commands[] = {
    {"run", "CONFIG",
     "[--trials N] [--seed S] [--out DIR] [--design NAME]... [--scenario NAME]... [--shard I/N] "
     "[--checkpoint-every SECONDS] [--resume] [--quiet]",
     true, cli_run},
    {"exact", "CONFIG", "[--out DIR] [--design NAME]... [--scenario NAME]...", false, cli_exact},
    {"merge", "DIR...", "--out DIR", false, cli_merge},
    {"boundaries", NULL,
     "[--design TYPE] --target T --cohort-size C --cohorts N [the design's options] [--csv]", false,
     cli_boundaries},
    {"skeleton", NULL,
     "--target T --halfwidth D --prior-mtd NU --levels K [--model empiric|logistic] [--intercept "
     "A]",
     false, cli_skeleton},
    {"next", "CONFIG", "--design NAME --outcomes \"1NNN 2NTN\" [--dlt-window W] [--json]", false,
     cli_next},
    {"paths", "CONFIG",
     "--design NAME --cohorts K [--outcomes \"...\"] [--dlt-window W] [--scenario NAME] [--out "
     "DIR]",
     false, cli_paths},
    {"validate", "CONFIG", "[--design NAME]... [--scenario NAME]...", false, cli_validate},
    {"calibrate", "CONFIG",
     "--design NAME --grid KEY=V1,V2,... [--grid ...] [--objective pcs] [--max-overdose X] "
     "[--shard I/N] [--out DIR]",
     false, cli_calibrate},
    {NULL, NULL, NULL, false, NULL}};

const cli_entry *cli_find(const char *name) {
  for (const cli_entry *e = cli_commands; e->name != NULL; e++)
    if (strcmp(e->name, name) == 0)
      return e;
  return NULL;
}

#define SYNOPSIS_COLUMNS 100

/* The length of the piece of the options that starts at s: up to the next space, outside brackets
 * and quotes, before an option ("-") or an optional part ("["). A line may break only there, so
 * an option stays with its value. */
static size_t piece(const char *s) {
  int depth = 0;
  bool quoted = false;
  size_t i = 0;
  for (; s[i] != '\0'; i++) {
    char c = s[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && c == '[')
      depth++;
    else if (!quoted && c == ']')
      depth--;
    else if (c == ' ' && !quoted && depth == 0 && i > 0 && (s[i + 1] == '-' || s[i + 1] == '['))
      break;
  }
  return i;
}

void cli_print_synopsis(FILE *fp, const char *prefix, const cli_entry *e) {
  int col =
      fprintf(fp, "%sdoseval %s%s%s", prefix, e->name, e->args ? " " : "", e->args ? e->args : "");
  int indent = col; /* the continuation lines start under the first option */
  for (const char *s = e->options; s != NULL && *s != '\0';) {
    size_t n = piece(s);
    if (col + 1 + (int)n > SYNOPSIS_COLUMNS && col > indent) {
      fprintf(fp, "\n%*s", indent, "");
      col = indent;
    }
    col += fprintf(fp, " %.*s", (int)n, s);
    s += n;
    while (*s == ' ')
      s++;
  }
  fputc('\n', fp);
}
