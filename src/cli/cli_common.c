/* cli_common.c — helpers shared by the subcommands (see cli_common.h). */
#include "cli_common.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "checkpoint.h"
#include "cli.h"
#include "number.h"

static void run_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGUSR1);
}

/* Held in the one thread there is before MPI_Init; the threads MPI starts inherit the mask and
 * keep it, so the signals, once released, go to the thread that handles them. */
void cli_signals_hold(void) {
  sigset_t set;
  run_signals(&set);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void cli_signals_release(void) {
  sigset_t set;
  run_signals(&set);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int cli_fail(const char *cmd, const dv_error *err) {
  fprintf(stderr, "doseval %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
  return error_exit_code(err->code);
}

void cli_default_out(const char *config_path, char *buf, size_t len) {
  /* the file name without its last extension, as the batch scripts in jobs/ derive it; only
   * letters, digits, '-', '_' and '.' kept, no leading dots, never empty: ".h.yaml" -> "h" */
  const char *base = strrchr(config_path, '/');
  base = base ? base + 1 : config_path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  char stem[256];
  size_t used = 0;
  for (size_t i = 0; i < n && used + 1 < sizeof stem; i++) {
    char c = base[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (used == 0 && c == '.')
      continue;
    stem[used++] = ok ? c : '_';
  }
  stem[used] = '\0';
  snprintf(buf, len, "results/%s", used ? stem : "config");
}

/* The command's entry in the table: its synopsis and positional arguments. */
static const cli_entry *entry(const cli_command *c) {
  const cli_entry *e = cli_find(c->name);
  assert(e != NULL && "every command is in the table of cli.c");
  return e;
}

static void help(const cli_command *c) {
  cli_print_synopsis(stdout, "usage: ", entry(c));
  printf("%s\noptions:\n", c->about);
  for (const cli_option *o = c->opts; o->name != NULL; o++) {
    char left[64];
    snprintf(left, sizeof left, "%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
    printf("  %-26s %s\n", left, o->help ? o->help : "");
  }
  printf("  %-26s %s\n", "--help", "print this help");
}

int cli_usage_error(const cli_command *c, const char *fmt, ...) {
  if (c->silent)
    return 2;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "doseval %s: ", c->name);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  cli_print_synopsis(stderr, "usage: ", entry(c));
  fprintf(stderr, "Try 'doseval %s --help'.\n", c->name);
  return 2;
}

/* Reads a CLI_REAL or CLI_LONG value (strictly decimal: number.h). */
static number_status read_number(const cli_option *o, const char *s) {
  return o->kind == CLI_REAL ? number_real(s, o->out) : number_long(s, o->out);
}

/* Reads argv[1..] against c. Returns 0 to go on, -1 when --help was printed (exit 0), or 2 after
 * printing a usage error that names the argument and what is allowed. */
static int cli_parse(const cli_command *c, int argc, char **argv) {
  const char *args = entry(c)->args;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      if (!c->silent)
        help(c);
      return -1;
    }
  /* each option's first value: an option that takes one value, given twice, is refused rather
   * than one of the two silently dropped (issue 27, item 9) */
  const char *given[CLI_MAX_OPTIONS] = {NULL};
  char shown[512], shown2[512];
  number_status st;
  int n_args = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (arg[0] != '-' || arg[1] == '\0') { /* a positional argument ("-" alone is one too) */
      if (n_args == c->max_args)
        return cli_usage_error(c, "'%s': unexpected argument; allowed: %s",
                               error_shown(arg, shown, sizeof shown), args ? args : "options only");
      c->arg[n_args++] = arg;
      continue;
    }
    const char *eq = strchr(arg, '=');
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    const cli_option *o = NULL;
    for (int j = 0; c->opts[j].name != NULL && o == NULL; j++)
      if (strlen(c->opts[j].name) == len && strncmp(c->opts[j].name, arg, len) == 0)
        o = &c->opts[j];
    if (o == NULL) {
      char names[768];
      size_t used = 0;
      for (int j = 0; c->opts[j].name != NULL && used < sizeof names; j++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s, ", c->opts[j].name);
      return cli_usage_error(c, "%s: unknown option; allowed: %s--help",
                             error_shown(arg, shown, sizeof shown), names);
    }
    if (o->seen != NULL)
      *o->seen = true;
    if (o->kind == CLI_FLAG) {
      if (eq != NULL)
        return cli_usage_error(c, "%s: '%s'; allowed: no value (it is a flag)", o->name,
                               error_shown(eq + 1, shown, sizeof shown));
      *(bool *)o->out = true;
      continue;
    }
    const char *value = eq != NULL ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
    if (value == NULL)
      return cli_usage_error(c, "%s: no value; allowed: %s after the option", o->name,
                             o->value ? o->value : "a value");
    if (o->kind == CLI_DIR && value[0] == '\0')
      return cli_usage_error(c, "%s: ''; allowed: a folder's path (not empty)", o->name);
    size_t at = (size_t)(o - c->opts);
    assert(at < CLI_MAX_OPTIONS && "a command has at most CLI_MAX_OPTIONS options");
    if (o->kind != CLI_LIST && given[at] != NULL)
      return cli_usage_error(c, "%s: given twice ('%s', '%s'); allowed: once", o->name,
                             error_shown(given[at], shown, sizeof shown),
                             error_shown(value, shown2, sizeof shown2));
    given[at] = value;
    if (o->kind == CLI_WORD || o->kind == CLI_DIR) {
      *(const char **)o->out = value;
    } else if (o->kind == CLI_LIST) {
      if (*o->count == o->max && o->max == 1)
        return cli_usage_error(c, "%s: given twice ('%s', '%s'); allowed: once", o->name,
                               error_shown(((const char **)o->out)[0], shown, sizeof shown),
                               error_shown(value, shown2, sizeof shown2));
      if (*o->count == o->max)
        return cli_usage_error(c, "%s: more than %d of them", o->name, o->max);
      ((const char **)o->out)[(*o->count)++] = value;
    } else if ((st = read_number(o, value)) != NUMBER_OK) {
      return cli_usage_error(c, "%s: '%s'%s; allowed: %s (%s %s: %s)", o->name,
                             error_shown(value, shown, sizeof shown), number_why(st),
                             o->kind == CLI_REAL ? "a decimal number" : "a decimal whole number",
                             o->name, o->value ? o->value : "", o->help ? o->help : "");
    }
  }
  if (n_args < c->min_args)
    return cli_usage_error(c, "expected %s", args ? args : "no arguments");
  if (c->n_args != NULL)
    *c->n_args = n_args;
  return 0;
}

void cli_command_line(const char *cmd, int argc, char **argv, char *buf, size_t len) {
  size_t used = (size_t)snprintf(buf, len, "doseval %s", cmd);
  for (int i = 1; i < argc && used < len; i++) {
    const char *a = argv[i];
    bool plain = a[0] != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_./=:+,@%") == strlen(a);
    if (plain) {
      used += (size_t)snprintf(buf + used, len - used, " %s", a);
      continue;
    }
    used += (size_t)snprintf(buf + used, len - used, " '");
    for (; *a && used < len; a++)
      used += (size_t)snprintf(buf + used, len - used, *a == '\'' ? "'\\''" : "%c", *a);
    if (used < len)
      used += (size_t)snprintf(buf + used, len - used, "'");
  }
}

/* One table cell: the count, or NA (text) / empty (CSV) when no count out of n triggers it. */
static void boundaries_cell(int v, int n, bool csv) {
  bool never = v < 0 || v > n;
  if (csv && never)
    printf(",");
  else if (csv)
    printf(",%d", v);
  else if (never)
    printf(" %4s", "NA");
  else
    printf(" %4d", v);
}

void cli_print_decision_table(const design_type *t, const void *params, int c, int n_max,
                              bool csv) {
  design_table_row row[DESIGN_MAX_N + 1] = {{0}};
  bool has_stop = false;
  for (int n = c; n <= n_max; n += c) {
    t->table_row(params, n, &row[n]);
    has_stop = has_stop || row[n].has_stop;
  }
  if (csv) {
    printf("n,escalate,deescalate,eliminate%s\n", has_stop ? ",stop_lowest" : "");
    for (int n = c; n <= n_max; n += c) {
      printf("%d", n);
      boundaries_cell(row[n].escalate, n, true);
      boundaries_cell(row[n].deescalate, n, true);
      boundaries_cell(row[n].eliminate, n, true);
      if (has_stop)
        boundaries_cell(row[n].stop, n, true);
      printf("\n");
    }
    return;
  }
  static const char *const labels[] = {
      "Number of patients treated", "Escalate if # of DLT <=", "De-escalate if # of DLT >=",
      "Eliminate if # of DLT >=", "Stop trial if # of DLT at the lowest dose >="};
  int n_rows = has_stop ? 5 : 4, width = 0;
  for (int r = 0; r < n_rows; r++)
    if ((int)strlen(labels[r]) > width)
      width = (int)strlen(labels[r]);
  for (int r = 0; r < n_rows; r++) {
    printf("%-*s", width, labels[r]);
    for (int n = c; n <= n_max; n += c) {
      const design_table_row *x = &row[n];
      if (r == 0)
        printf(" %4d", n);
      else
        boundaries_cell(r == 1   ? x->escalate
                        : r == 2 ? x->deescalate
                        : r == 3 ? x->eliminate
                                 : x->stop,
                        n, false);
    }
    printf("\n");
  }
  printf("NA: no number of DLTs leads to that decision.\n");
}

static const char *pending_word(char c) {
  switch (c) {
  case 'E':
    return "escalate";
  case 'D':
    return "de-escalate";
  case 'U':
    return "eliminate";
  case 'X':
    return "suspend";
  default:
    return "stay";
  }
}

/* "escalate if STFT >= 0.77, else stay" or "stay". */
static void pending_text(const design_pending_cell *x, char *buf, size_t len) {
  if (x->low == x->high) {
    snprintf(buf, len, "%s", pending_word(x->low));
    return;
  }
  if (x->at_high)
    snprintf(buf, len, "%s if STFT >= %.2f, else %s", pending_word(x->high), x->threshold,
             pending_word(x->low));
  else
    snprintf(buf, len, "%s if STFT > %.2f, else %s", pending_word(x->high), x->threshold,
             pending_word(x->low));
}

void cli_print_pending_table(const design_type *t, const void *params, int c, int n_max, bool csv) {
  if (t->pending_cell == NULL)
    return;
  if (csv)
    printf("n,y,m,below,threshold,above\n");
  else
    printf("\nWith m patients pending at the current dose (n treated, y DLTs seen; STFT = the\n"
           "pending patients' follow-up as fractions of the DLT window, summed):\n"
           "%4s %4s %4s  %s\n",
           "n", "y", "m", "decision");
  bool skipped = false;
  for (int n = c; n <= n_max; n += c)
    for (int y = 0; y <= n; y++)
      for (int m = csv ? 0 : 1; m <= n - y; m++) {
        design_pending_cell x;
        t->pending_cell(params, n, y, m, &x);
        if (csv) {
          /* below: the decision for STFT under the threshold; above: at or over it when the
           * threshold belongs to it (>=), over it otherwise (>); no threshold: both the same */
          printf("%d,%d,%d,%s,", n, y, m, pending_word(x.low));
          if (x.low != x.high)
            printf("%s%.4f", x.at_high ? "" : ">", x.threshold);
          printf(",%s\n", pending_word(x.high));
          continue;
        }
        if (x.low == x.high && (x.low == 'D' || x.low == 'U' || x.low == 'X')) {
          skipped = true;
          continue;
        }
        char text[96];
        pending_text(&x, text, sizeof text);
        printf("%4d %4d %4d  %s\n", n, y, m, text);
      }
  if (!csv && skipped)
    printf("Not listed: DLT counts the table above de-escalates or eliminates at (whatever is\n"
           "pending), and more patients pending than the design lets wait (suspend accrual).\n");
}

bool cli_begin(const cli_command *c, int argc, char **argv, config **cfg, int *code) {
  *code = cli_parse(c, argc, argv);
  if (*code != 0) {
    *code = *code < 0 ? 0 : *code;
    return false;
  }
  if (cfg == NULL)
    return true;
  static const cli_selection every = {0};
  dv_error err = {0};
  if (cli_load(c->arg[0], c->select ? c->select : &every, cfg, &err) != DV_OK) {
    config_free(*cfg);
    *cfg = NULL;
    *code = c->silent ? error_exit_code(err.code) : cli_fail(c->name, &err);
    return false;
  }
  for (int i = 0; !c->silent && i < (*cfg)->n_warnings; i++)
    fprintf(stderr, "doseval %s: %s\n", c->name, (*cfg)->warnings[i]);
  return true;
}

dv_status cli_load(const char *path, const cli_selection *sel, config **cfg, dv_error *err) {
  dv_status st = config_load(path, cfg, err);
  if (st == DV_OK)
    st = config_select_designs(*cfg, sel->designs, sel->n_designs, err);
  if (st == DV_OK)
    st = config_select_scenarios(*cfg, sel->scenarios, sel->n_scenarios, err);
  return st;
}

int cli_stdout_checked(const char *name, int code) {
  int failed = fflush(stdout) != 0 ? errno : 0;
  if (failed == 0 && !ferror(stdout))
    return code;
  fprintf(stderr, "doseval%s%s: cannot write to standard output: %s\n", name ? " " : "",
          name ? name : "", failed ? strerror(failed) : "a write failed");
  return code == 0 ? 1 : code;
}

int cli_one_design(const cli_command *c, const cli_selection *sel, const config *cfg) {
  if (sel->n_designs == 1)
    return 0;
  char names[640];
  config_selectable_names(cfg, false, names, sizeof names);
  return cli_usage_error(c, "--design: missing; allowed: a design of %s: %s", cfg->path, names);
}

int cli_no_backfill(const cli_command *c, const config *cfg) {
  const config_design *d = &cfg->designs[0];
  if (design_side_most(d->type, d->params) == 0)
    return 0;
  const char *key = "its options";
  for (int i = 0; d->type->options[i].key != NULL; i++)
    if (d->type->options[i].needs_time)
      key = d->type->options[i].key;
  return cli_usage_error(c,
                         "--design: '%s' (%s) backfills (%s): where arrivals go while a cohort "
                         "waits, and so the counts it decides on, depend on arrival and outcome "
                         "times, which `doseval %s` does not follow; allowed: a design without "
                         "backfill (`doseval run` simulates this one)",
                         d->name, d->type->name, key, c->name);
}

dv_status cli_outcomes(const config *cfg, const char *text, double window, outcomes *o,
                       dv_error *err) {
  dv_error why = {0};
  /* a design that reads responses takes escalation's BOIN12 letters (E, T, B, N) */
  bool responses = cfg->n_designs >= 1 && cfg->designs[0].type->reads_responses;
  if (outcomes_parse_responses(text, cfg->n_doses, window, responses, o, &why) == DV_OK)
    return DV_OK;
  return error_set(err, DV_EUSAGE, "--outcomes: %s", why.msg);
}
