/* cli_validate.c — `doseval validate`: loads and checks a config and prints what would run
 * (SPEC 4): each design with every option resolved (the defaults said as such), its rules and
 * reasons to stop, and for a count-based design its decision table (for a model-based one, its
 * decision after each outcome of the first cohort); each scenario with its true
 * MTD; trials and seed. Writes nothing; exit 0, or 2 with the config error. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_common.h"
#include "explain.h"
#include "options.h"
#include "rules.h"
#include "scenarios.h"

static const char validate_about[] =
    "Checks CONFIG as `run` would and prints what would run: designs with their options\n"
    "resolved (defaults marked), rules, reasons to stop and decision tables, scenarios with their\n"
    "true MTD, trials and seed; with --design / --scenario, only those (as `run` would run them).\n"
    "Writes no file.\n";

static void print_options(const design_option *opts, const design_setup *setup, const void *values,
                          const char *indent) {
  for (int i = 0; opts != NULL && opts[i].key != NULL; i++) {
    char v[512];
    bool def;
    options_value_text(&opts[i], setup, values, v, sizeof v, &def);
    printf("%s%-20s %s%s\n", indent, opts[i].key, v, def ? " (default)" : "");
  }
}

/* A model-based design has no table of counts: what it would do after each outcome of the first
 * cohort, with its reasoning (the words `next` writes: CRM's posterior, BLRM's interval
 * probabilities and EWOC), so the protocol's first decision can be read before any patient. */
static void print_first_cohort(const config_design *d) {
  const design_setup *setup = &d->setup;
  printf("  after the first cohort (%d at dose %d):\n", setup->cohort_size, setup->start_dose);
  for (int y = 0; y <= setup->cohort_size; y++) {
    design_state s;
    memset(&s, 0, sizeof s);
    state_add_cohort(&s, setup->start_dose, setup->cohort_size, y, d->policy.last_cohort);
    policy_trace t;
    design_action a = policy_decide_traced(&d->policy, &s, &t);
    char action[64], why[2048];
    explain_action(a, design_selects(d->type), action, sizeof action);
    explain_decision(&d->policy, &s, &t, why, sizeof why);
    printf("    %d/%d DLTs: %s; %s\n", y, setup->cohort_size, action, why);
  }
}

static void print_design(const config *cfg, const config_design *d) {
  const design_setup *s = &d->setup;
  printf("\n%s: %s (type %s)\n", d->name, d->type->title, d->type->name);
  printf("  cohort_size %d, max_n %d, start_dose %d%s\n", s->cohort_size, s->max_n, s->start_dose,
         s->cohort_size != cfg->cohort_size || s->max_n != cfg->max_n ||
                 s->start_dose != cfg->start_dose
             ? " (overrides the study's)"
             : "");
  print_options(d->type->options, s, d->options, "  ");
  if (d->type->describe != NULL) {
    char text[2048];
    d->type->describe(d->params, text, sizeof text);
    printf("  resolved:\n");
    for (const char *line = text; *line;) {
      const char *end = strchr(line, '\n');
      int n = end ? (int)(end - line) : (int)strlen(line);
      printf("    %.*s\n", n, line);
      line += n + (end != NULL);
    }
  }
  for (int r = 0; r < d->n_rules; r++) {
    const rule_type *t = rule_lookup(d->rules[r].reason);
    for (int i = 0; t == NULL && rule_types[i].name != NULL; i++)
      if (rule_types[i].kind == d->rules[r].kind)
        t = &rule_types[i];
    printf("  rule %d: %s\n", r + 1, d->rules[r].reason);
    if (t != NULL)
      print_options(t->options, s, &d->rules[r], "    ");
  }
  printf("  stops recorded as:");
  for (int i = 0; i < d->policy.n_reasons; i++)
    printf("%s %s", i ? "," : "", d->policy.reasons[i]);
  printf("\n");
  if (d->type->table_row != NULL) {
    printf("  decision table at the current dose:\n");
    cli_print_decision_table(d->type, d->params, s->cohort_size, s->max_n, false);
  } else {
    print_first_cohort(d);
  }
}

/* A scenario's true MTD (SPEC section 8), or why it has none. */
static void print_true_mtd(const config_scenario *sc, double too_toxic) {
  if (sc->true_mtd > 0)
    printf("; true MTD dose %d\n", sc->true_mtd);
  else
    printf("; no true MTD (every dose >= too_toxic %g): stopping is correct\n", too_toxic);
}

int cli_validate(int argc, char **argv) {
  const char *path = NULL;
  cli_selection sel = {0};
  const cli_option opts[] = {
      CLI_OPTION_DESIGN(&sel, CONFIG_MAX_SELECT, "only this design (repeatable)"),
      CLI_OPTION_SCENARIO(&sel, CONFIG_MAX_SELECT, "only this scenario (repeatable)"),
      CLI_OPTION_END};
  cli_command cmd = {.name = "validate",
                     .about = validate_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = 1,
                     .arg = &path,
                     .select = &sel};
  config *cfg = NULL;
  int code;
  if (!cli_begin(&cmd, argc, argv, &cfg, &code))
    return code;
  printf("%s: valid\n", path);
  printf("study: %s; target %g; cohorts of %d; max_n %d; start_dose %d\n", cfg->study_name,
         cfg->target, cfg->cohort_size, cfg->max_n, cfg->start_dose);
  printf("no true MTD where every dose has p >= too_toxic %g; acceptable doses: p in [%g, %g]\n",
         cfg->too_toxic, cfg->acceptable[0], cfg->acceptable[1]);
  printf("doses:");
  for (int k = 0; k < cfg->n_doses; k++)
    printf("%s %d = %g%s%s", k ? "," : "", k + 1, cfg->doses[k], cfg->dose_unit[0] ? " " : "",
           cfg->dose_unit);
  printf("\n");
  const study_time *tm = &cfg->time;
  if (tm->on) {
    printf("time: DLT window %g days; arrivals %s, %g days apart on average; DLT onset %s",
           tm->window, timing_process_name(tm->process), tm->mean_interval,
           timing_onset_name(tm->onset));
    if (tm->onset == TIMING_ONSET_WEIBULL)
      printf(", late fraction %g", tm->late_fraction);
    printf("\n");
  }
  printf("simulation: %llu trials per scenario, seed %llu\n", (unsigned long long)cfg->trials,
         (unsigned long long)cfg->seed);
  for (int j = 0; j < cfg->n_designs; j++)
    print_design(cfg, &cfg->designs[j]);
  printf("\nscenarios:\n");
  for (int s = 0; s < cfg->n_named; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    printf("  %s: p(DLT)", sc.name);
    for (int k = 0; k < cfg->n_doses; k++)
      printf(" %.3g", sc.p_tox[k]);
    print_true_mtd(&sc, cfg->too_toxic);
  }
  if (cfg->n_random > 0) {
    /* the first few, so the user sees what the method draws */
    int shown = cfg->n_random < 3 ? cfg->n_random : 3;
    printf("  random 1 ... random %d: %d curves drawn by pseudo-uniform (Clertant & O'Quigley "
           "2017) from seed %llu; the first %d:\n",
           cfg->n_random, cfg->n_random, (unsigned long long)cfg->seed, shown);
    for (int s = cfg->n_named; s < cfg->n_named + shown; s++) {
      config_scenario sc;
      config_scenario_at(cfg, s, &sc);
      printf("    %s: p(DLT)", sc.name);
      for (int k = 0; k < cfg->n_doses; k++)
        printf(" %.3g", sc.p_tox[k]);
      print_true_mtd(&sc, cfg->too_toxic);
    }
  }
  config_free(cfg);
  return 0;
}
