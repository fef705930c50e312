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
#include "pending.h"
#include "policy.h"

static const char next_about[] =
    "Prints the next dose (or the stop and the MTD) the design names after the cohorts given in\n"
    "--outcomes, in the notation of the R package escalation (\"1NNN 2NTN\": a dose, then N or T\n"
    "for each patient; cohorts oldest first), with the reasoning for the trial log. Cohorts may\n"
    "have any size and may deviate from the design: the decision reads the counts per dose and\n"
    "the last cohort, and deviations are listed. With a DLT window (--dlt-window W, by default\n"
    "the config's study.dlt_window) a patient may be pending: P and the days followed so far\n"
    "(\"1NNN 2NP21P5\"), T and the onset day optional (T12); a\n"
    "design that reads pending patients (titecrm, titeboin, rolling6) decides from them, one\n"
    "that waits for complete cohorts answers suspend while any is pending (SPEC 12).\n";

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
        snprintf(line, 160, "cohort %d (dose %d): the design had stopped (%s%s %d, %s)", k + 1,
                 c->dose, a.dose ? "" : "no ", design_selects(d->type), a.dose,
                 d->policy.reasons[a.reason]);
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

/* Prints `root` (which it owns and frees; NULL means building it ran out of memory). */
static int print_json_object(json_t *root) {
  char *out = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(root);
  if (out == NULL) {
    fprintf(stderr, "doseval next: out of memory\n");
    return 1;
  }
  printf("%s\n", out);
  free(out);
  return 0;
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
  json_decref(counts);
  json_decref(dev);
  if (!ok) {
    json_decref(root);
    root = NULL;
  }
  return print_json_object(root);
}

/* "dose 2: 21, 5 days" for the pending patients, dose by dose. */
static void pending_list(const outcomes *o, char *buf, size_t len) {
  size_t used = 0;
  int last = 0;
  buf[0] = '\0';
  for (int i = 0; i < o->n_patients && used < len; i++) {
    const outcome_patient *p = &o->patients[i];
    if (p->kind != 'P')
      continue;
    if (p->dose != last)
      used += (size_t)snprintf(buf + used, len - used, "%sdose %d: %g", last ? " days; " : "",
                               p->dose, p->days);
    else
      used += (size_t)snprintf(buf + used, len - used, ", %g", p->days);
    last = p->dose;
  }
  if (used < len)
    snprintf(buf + used, len - used, " days");
}

/* next with pending patients: the wrapped policy on the pending-patient view. */
static int next_pending(const config *cfg, const config_design *d, const char *text,
                        const outcomes *o, double window, bool json) {
  pending_view *v = malloc(sizeof *v);
  if (v == NULL) {
    fprintf(stderr, "doseval next: out of memory\n");
    return 1;
  }
  outcomes_view(o, window, d->setup.cohort_size, d->setup.max_n, v);
  policy_trace t;
  design_action a = policy_decide_pending(&d->policy, v, &t, NULL);
  char why[1024], list[512], dose[128];
  pending_list(o, list, sizeof list);
  int m = o->n_pending;
  if (!d->type->reads_pending)
    snprintf(why, sizeof why,
             "%d patient%s pending (%s of the %g-day window); %s waits for complete cohorts: "
             "suspend accrual until their outcomes are known",
             m, m == 1 ? "" : "s", list, window, d->type->name);
  else if (a.suspend)
    snprintf(why, sizeof why, "%d patient%s pending (%s of the %g-day window): %s suspends accrual",
             m, m == 1 ? "" : "s", list, window, d->type->name);
  else if (a.stop)
    snprintf(why, sizeof why,
             "%d patient%s pending (%s of the %g-day window): %s stops (%s); the %s is confirmed "
             "once their outcomes are known",
             m, m == 1 ? "" : "s", list, window, d->type->name, d->policy.reasons[a.reason],
             design_selects(d->type));
  else
    snprintf(why, sizeof why,
             "%d patient%s pending (%s of the %g-day window): %s, from the complete outcomes and "
             "the pending patients' follow-up, names dose %d%s",
             m, m == 1 ? "" : "s", list, window, d->type->name, a.dose,
             t.n_changes > 0 ? " after its rules" : "");
  int total = o->n_patients;
  if (json) {
    json_t *root =
        json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:s, s:o, s:i, s:i, s:f}", "design", d->name,
                  "type", d->type->name, "outcomes", text, "continue", !a.stop, "suspend",
                  (int)a.suspend, "dose", a.stop ? json_null() : json_integer(a.dose), "mtd",
                  a.stop ? json_integer(a.dose) : json_null(), "reason", why, "stop_reason",
                  a.stop ? json_string(d->policy.reasons[a.reason]) : json_null(), "patients",
                  total, "pending", m, "dlt_window", window);
    free(v);
    return print_json_object(root);
  }
  if (a.suspend) {
    dose_text(cfg, a.dose, dose, sizeof dose);
    printf("suspend: turn arrivals away until more outcomes are known (current dose %s)\n", dose);
  } else if (!a.stop) {
    dose_text(cfg, a.dose, dose, sizeof dose);
    printf("next dose: %s\n", dose);
  } else if (a.dose > 0) {
    dose_text(cfg, a.dose, dose, sizeof dose);
    printf("stop: %s %s\n", design_selects(d->type), dose);
  } else {
    printf("stop: no %s\n", design_selects(d->type));
  }
  printf("design: %s (%s), after %d cohort%s and %d patient%s, %d pending\n", d->name,
         d->type->name, o->n_cohorts, o->n_cohorts == 1 ? "" : "s", total, total == 1 ? "" : "s",
         m);
  printf("counts:");
  for (int k = 0; k < cfg->n_doses; k++) {
    printf("%s dose %d %d/%d", k ? "," : "", k + 1, v->y[k], v->n[k]);
    if (v->enrolled[k] > v->n[k])
      printf(" + %d pending", v->enrolled[k] - v->n[k]);
  }
  printf(" (DLTs/patients with a known outcome)\nreason: %s\n", why);
  if (a.stop)
    printf("stopped by: %s\n", d->policy.reasons[a.reason]);
  printf("deviations: not checked with pending patients (the follow-up at each earlier decision "
         "is not in the notation)\n");
  free(v);
  return 0;
}

int cli_next(int argc, char **argv) {
  const char *path = NULL, *text = NULL;
  bool json = false, has_window = false;
  double window = 0.0;
  cli_selection sel = {0};
  const cli_option opts[] = {
      CLI_OPTION_DESIGN(&sel, 1, "the design's name in the config (required)"),
      {"--outcomes", CLI_WORD, &text, NULL, "\"1NNN 2NTN\"",
       "the cohorts so far, oldest first (required; \"\" before the first)", 0, NULL},
      {"--json", CLI_FLAG, &json, NULL, NULL,
       "print one JSON object {design, outcomes, continue, dose, mtd, reason, ...}", 0, NULL},
      {"--dlt-window", CLI_REAL, &window, &has_window, "W",
       "the DLT window in days, for pending patients (P<days>) in --outcomes (default: the "
       "config's study.dlt_window)",
       0, NULL},
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
  if ((rc = cli_one_design(&cmd, &sel, cfg)) != 0 || (rc = cli_no_backfill(&cmd, cfg)) != 0)
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
  if (has_window && !(window > 0.0 && window <= 3650.0)) {
    rc = cli_usage_error(&cmd, "--dlt-window: %g; allowed: days, 0 < W <= 3650", window);
    goto done;
  }
  if (!has_window && cfg->time.on) { /* the study's window (SPEC 11) unless the option says */
    window = cfg->time.window;
    has_window = true;
  }
  if (cli_outcomes(cfg, text, has_window ? window : 0.0, o, &err) != DV_OK) {
    rc = cli_fail("next", &err);
    goto done;
  }
  const config_design *d = &cfg->designs[0];
  if (o->n_pending > 0) {
    rc = next_pending(cfg, d, text, o, window, json);
    goto done;
  }
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
      printf("stop: %s %s\n", design_selects(d->type), dose);
    } else {
      printf("stop: no %s\n", design_selects(d->type));
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
