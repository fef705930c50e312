/* cli_next.c — `doseval next`: what the design says after the cohorts seen so far (SPEC 4), for
 * the safety review committee: the next dose or the stop, and the reasoning for the trial log.
 * The decision is the wrapped policy's (design, rules, max_n) on the counts per dose and the last
 * cohort, the same function simulation and the exact engine use. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_common.h"
#include "explain.h"
#include "outcomes.h"

static const char next_about[] =
    "Prints the next dose (or the stop and the MTD) the design names after the cohorts given in\n"
    "--outcomes, in the notation of the R package escalation (\"1NNN 2NTN\": a dose, then N or T\n"
    "for each patient; cohorts oldest first), with the reasoning for the trial log. Cohorts may\n"
    "have any size and may deviate from the design: the decision reads the counts per dose and\n"
    "the last cohort, and deviations are listed.\n";

/* "2 (2e+07 CAR+ NK cells/kg)" */
static void dose_text(const config *cfg, int d, char *buf, size_t len) {
  snprintf(buf, len, "%d (%g%s%s)", d, cfg->doses[d - 1], cfg->dose_unit[0] ? " " : "",
           cfg->dose_unit);
}

/* Where the history left the design's path: a dose it would not have given, a cohort of
 * another size, or cohorts after it would have stopped. Returns how many; the first `max` are
 * written into lines. */
static int deviations(const config_design *d, const outcomes *o, char lines[][160], int max) {
  int n = 0;
  char spare[160]; /* past `max` deviations are counted, not kept */
  for (int k = 0; k < o->n_cohorts; k++) {
    design_state s;
    outcomes_state(o, k, d->policy.last_cohort, &s);
    design_action a = policy_decide(&d->policy, &s);
    const outcome_cohort *c = &o->cohorts[k];
    if (a.stop || a.dose != c->dose) {
      char *line = n < max ? lines[n] : spare;
      if (a.stop)
        snprintf(line, 160, "cohort %d (dose %d): the design had stopped (%s %d, %s)", k + 1,
                 c->dose, a.dose ? "MTD" : "no MTD", a.dose, d->policy.reasons[a.reason]);
      else
        snprintf(line, 160, "cohort %d: dose %d given; the design said dose %d", k + 1, c->dose,
                 a.dose);
      n++;
    }
    if (c->n != d->setup.cohort_size) {
      char *line = n < max ? lines[n] : spare;
      snprintf(line, 160, "cohort %d: %d patient%s; the design's cohorts have %d", k + 1, c->n,
               c->n == 1 ? "" : "s", d->setup.cohort_size);
      n++;
    }
  }
  return n;
}

static int print_json(const config *cfg, const config_design *d, const char *text,
                      const outcomes *o, const design_state *s, design_action a, const char *why,
                      char lines[][160], int n_dev) {
  json_t *root = json_object(), *counts = json_array(), *dev = json_array();
  bool ok = root && counts && dev;
  ok = ok && json_object_set_new(root, "design", json_string(d->name)) == 0;
  ok = ok && json_object_set_new(root, "type", json_string(d->type->name)) == 0;
  ok = ok && json_object_set_new(root, "outcomes", json_string(text)) == 0;
  ok = ok && json_object_set_new(root, "continue", json_boolean(!a.stop)) == 0;
  ok = ok && json_object_set_new(root, "dose", a.stop ? json_null() : json_integer(a.dose)) == 0;
  ok = ok && json_object_set_new(root, "mtd", a.stop ? json_integer(a.dose) : json_null()) == 0;
  ok = ok && json_object_set_new(root, "reason", json_string(why)) == 0;
  ok = ok &&
       json_object_set_new(root, "stop_reason",
                           a.stop ? json_string(d->policy.reasons[a.reason]) : json_null()) == 0;
  ok = ok && json_object_set_new(root, "cohorts", json_integer(o->n_cohorts)) == 0;
  for (int k = 0; ok && k < cfg->n_doses; k++)
    ok = json_array_append_new(counts, json_pack("{s:i, s:i, s:i}", "dose", k + 1, "n", s->n[k],
                                                 "dlt", s->y[k])) == 0;
  for (int k = 0; ok && k < n_dev && k < 64; k++)
    ok = json_array_append_new(dev, json_string(lines[k])) == 0;
  ok = ok && json_object_set_new(root, "n_deviations", json_integer(n_dev)) == 0;
  ok = ok && json_object_set(root, "counts", counts) == 0;
  ok = ok && json_object_set(root, "deviations", dev) == 0;
  char *out = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(counts);
  json_decref(dev);
  json_decref(root);
  if (out == NULL) {
    fprintf(stderr, "doseval next: out of memory\n");
    return 1;
  }
  printf("%s\n", out);
  free(out);
  return 0;
}

int cli_next(int argc, char **argv) {
  const char *path = NULL, *text = NULL;
  bool json = false;
  cli_selection sel = {0};
  const cli_option opts[] = {
      CLI_OPTION_DESIGN(&sel, 1, "the design's name in the config (required)"),
      {"--outcomes", CLI_WORD, &text, NULL, "\"1NNN 2NTN\"",
       "the cohorts so far, oldest first (required; \"\" before the first)", 0, NULL},
      {"--json", CLI_FLAG, &json, NULL, NULL,
       "print one JSON object {design, outcomes, continue, dose, mtd, reason, ...}", 0, NULL},
      CLI_OPTION_END};
  cli_command cmd = {.name = "next",
                     .about = next_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = 1,
                     .arg = &path,
                     .select = &sel};
  config *cfg = NULL;
  int rc;
  if (!cli_begin(&cmd, argc, argv, &cfg, &rc))
    return rc;
  outcomes *o = NULL;
  dv_error err = {0};
  if ((rc = cli_one_design(&cmd, &sel, cfg)) != 0)
    goto done;
  if (text == NULL) {
    rc = cli_usage_error(&cmd, "--outcomes: missing; allowed: cohorts such as \"1NNN 2NTN\"");
    goto done;
  }
  if ((o = malloc(sizeof *o)) == NULL) {
    fprintf(stderr, "doseval next: out of memory\n");
    rc = 1;
    goto done;
  }
  if (cli_outcomes(cfg, text, o, &err) != DV_OK) {
    rc = cli_fail("next", &err);
    goto done;
  }
  const config_design *d = &cfg->designs[0];
  design_state s;
  outcomes_state(o, o->n_cohorts, d->policy.last_cohort, &s);
  policy_trace t;
  design_action a = policy_decide_traced(&d->policy, &s, &t);
  char why[2048], dose[128], lines[64][160];
  explain_decision(&d->policy, &s, &t, why, sizeof why);
  int n_dev = deviations(d, o, lines, 64);
  if (json) {
    rc = print_json(cfg, d, text, o, &s, a, why, lines, n_dev);
  } else {
    if (!a.stop) {
      dose_text(cfg, a.dose, dose, sizeof dose);
      printf("next dose: %s\n", dose);
    } else if (a.dose > 0) {
      dose_text(cfg, a.dose, dose, sizeof dose);
      printf("stop: MTD %s\n", dose);
    } else {
      printf("stop: no MTD\n");
    }
    int total = design_total_n(&s, cfg->n_doses);
    printf("design: %s (%s), after %d cohort%s and %d patient%s\n", d->name, d->type->name,
           o->n_cohorts, o->n_cohorts == 1 ? "" : "s", total, total == 1 ? "" : "s");
    printf("counts:");
    for (int k = 0; k < cfg->n_doses; k++)
      printf("%s dose %d %d/%d", k ? "," : "", k + 1, s.y[k], s.n[k]);
    printf(" (DLTs/patients)\nreason: %s\n", why);
    if (a.stop)
      printf("stopped by: %s\n", d->policy.reasons[a.reason]);
    if (n_dev == 0)
      printf("deviations: none\n");
    for (int k = 0; k < n_dev && k < 64; k++)
      printf("deviation: %s\n", lines[k]);
    if (n_dev > 64)
      printf("... and %d more deviations\n", n_dev - 64);
  }
done:
  free(o);
  config_free(cfg);
  return rc;
}
