/* test_config.c — config_load (src/study/config.c) on fixtures in tests/data/: the reference
 * config, defaults, overrides, warnings, selection, and every bad case of SPEC 5. */
#include <criterion/criterion.h>

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "design.h"
#include "options.h"

/* ---- helpers ---- */

/* tests/<rel> (the directory of this source file), so the tests run from any build directory. */
static const char *fixture(const char *rel, char *buf, size_t len) {
  const char *slash = strrchr(__FILE__, '/');
  int dir = slash ? (int)(slash - __FILE__) : 1;
  snprintf(buf, len, "%.*s/%s", dir, slash ? __FILE__ : ".", rel);
  return buf;
}

/* Loads tests/<rel>, failing the test on an error. */
static config *load_ok(const char *rel) {
  char path[1024];
  fixture(rel, path, sizeof path);
  config *c = NULL;
  dv_error err = {0};
  dv_status st = config_load(path, &c, &err);
  cr_assert_eq(st, DV_OK, "%s: status %d: %s", path, st, err.msg);
  cr_assert_not_null(c);
  return c;
}

/* Loads tests/<rel>, which must fail with DV_ECONFIG and no config; the message is in *err and
 * must name the file as given. */
static void load_bad(const char *rel, dv_error *err) {
  char path[1024];
  fixture(rel, path, sizeof path);
  config *c = (config *)1;
  *err = (dv_error){0};
  dv_status st = config_load(path, &c, err);
  if (st == DV_OK)
    config_free(c);
  cr_assert_eq(st, DV_ECONFIG, "%s: status %d (expected DV_ECONFIG %d): %s", rel, st, DV_ECONFIG,
               err->msg);
  cr_assert_eq(err->code, DV_ECONFIG);
  cr_assert_null(c, "%s: *out must be NULL on an error", rel);
  cr_expect(strstr(err->msg, path) != NULL, "%s: the message does not name the file %s: %s", rel,
            path, err->msg);
}

static bool contains_ci(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++) {
    size_t i = 0;
    while (i < n && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
      i++;
    if (i == n)
      return true;
  }
  return n == 0;
}

/* A bad fixture: DV_ECONFIG, a message naming the file, `key` (the key path) and each of the
 * `allowed` words (NULL-terminated, case-insensitive), which say what is allowed. */
static void expect_bad(const char *rel, const char *key, const char *const *allowed) {
  dv_error err;
  load_bad(rel, &err);
  cr_expect(strstr(err.msg, key) != NULL, "%s: the message does not name the key '%s': %s", rel,
            key, err.msg);
  for (int i = 0; allowed && allowed[i]; i++)
    cr_expect(contains_ci(err.msg, allowed[i]), "%s: the message lacks '%s': %s", rel, allowed[i],
              err.msg);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Where a design's option `key` landed in its options struct (by the design's own table). */
static const void *opt_at(const config_design *d, const char *key) {
  const design_option *o = options_find(d->type->options, key);
  cr_assert_not_null(o, "%s has no option %s", d->type->name, key);
  return (const char *)d->options + o->at;
}
static bool opt_written(const config_design *d, const char *key) {
  const design_option *o = options_find(d->type->options, key);
  cr_assert(o != NULL && o->set_at != 0, "%s: %s keeps no 'written' flag", d->type->name, key);
  return *(const bool *)((const char *)d->options + o->set_at);
}

static const config_design *design_named(const config *c, const char *name) {
  for (int i = 0; i < c->n_designs; i++)
    if (strcmp(c->designs[i].name, name) == 0)
      return &c->designs[i];
  return NULL;
}

static void expect_setup(const design_setup *s, int k, int cohort, int max_n, int start,
                         double target, const char *what) {
  cr_expect_eq(s->n_doses, k, "%s: n_doses %d", what, s->n_doses);
  cr_expect_eq(s->cohort_size, cohort, "%s: cohort_size %d, expected %d", what, s->cohort_size,
               cohort);
  cr_expect_eq(s->max_n, max_n, "%s: max_n %d, expected %d", what, s->max_n, max_n);
  cr_expect_eq(s->start_dose, start, "%s: start_dose %d, expected %d", what, s->start_dose, start);
  cr_expect_eq(s->target, target, "%s: target %g", what, s->target);
}

/* ---- valid configs ---- */

/* configs/nct05563545.yaml as written there (NCT05563545 on ClinicalTrials.gov; target assumed). */
Test(config, reference_config_loads) {
  config *c = load_ok("../configs/nct05563545.yaml");
  cr_expect_str_eq(c->study_name, "NCT05563545 anti-CD19 CAR-NK, r/r B-ALL");
  cr_expect_str_eq(c->dose_unit, "CAR+ NK cells/kg");
  cr_assert_eq(c->n_doses, 3);
  cr_expect_eq(c->doses[0], 1.0e7);
  cr_expect_eq(c->doses[1], 2.0e7);
  cr_expect_eq(c->doses[2], 3.0e7);
  cr_expect_eq(c->target, 0.30);
  cr_expect_eq(c->cohort_size, 3);
  cr_expect_eq(c->max_n, 21);
  cr_expect_eq(c->start_dose, 1);
  cr_expect_eq(c->trials, 100000);
  cr_expect_eq(c->seed, 20261124);
  cr_expect_eq(c->n_warnings, 0, "unexpected warning: %s", c->n_warnings ? c->warnings[0] : "");
  cr_expect(strstr(c->path, "nct05563545.yaml") != NULL);

  cr_assert_eq(c->n_scenarios, 6);
  static const char *const names[] = {"MTD at dose 1",  "MTD at dose 2",       "MTD at dose 3",
                                      "All doses safe", "All doses too toxic", "Flat"};
  for (int s = 0; s < 6; s++)
    cr_expect_str_eq(c->named[s].name, names[s]);
  cr_expect_eq(c->named[2].p_tox[0], 0.05);
  cr_expect_eq(c->named[2].p_tox[1], 0.12);
  cr_expect_eq(c->named[2].p_tox[2], 0.30);

  cr_assert_geq(c->n_designs, 1);
  const config_design *d = design_named(c, "3+3");
  cr_assert_not_null(d, "no design named 3+3");
  cr_assert_not_null(d->type);
  cr_expect_str_eq(d->type->name, "threeplusthree");
  cr_expect(*(const bool *)opt_at(d, "deescalate"), "deescalate: true is lost");
  cr_expect_not_null(d->params);
  expect_setup(&d->setup, 3, 3, 21, 1, 0.30, "3+3");
  /* the amendments: BOIN with 24 patients, CRM from dose 2; patients drawn = the largest max_n */
  const config_design *b24 = design_named(c, "BOIN 24 pts"), *crm2 = design_named(c, "CRM start 2");
  cr_assert(b24 != NULL && crm2 != NULL, "the amendments are missing");
  expect_setup(&b24->setup, 3, 3, 24, 1, 0.30, "BOIN 24 pts");
  expect_setup(&crm2->setup, 3, 3, 21, 2, 0.30, "CRM start 2");
  cr_expect_eq(config_patients_per_trial(c), 24);
  config_free(c);
}

Test(config, defaults) {
  config *c = load_ok("data/valid_defaults.yaml");
  cr_expect_eq(c->start_dose, 1);
  /* SPEC section 8: too_toxic 1.4 x target, acceptable target -/+ 0.05 (target 0.3 here) */
  cr_expect_eq(c->target, 0.3);
  cr_expect_eq(c->too_toxic, 1.4 * 0.3);
  cr_expect_eq(c->acceptable[0], 0.3 - 0.05);
  cr_expect_eq(c->acceptable[1], 0.3 + 0.05);
  cr_expect_eq(c->trials, 100000, "simulation absent: trials %llu", (unsigned long long)c->trials);
  cr_expect_eq(c->seed, 1, "simulation absent: seed %llu", (unsigned long long)c->seed);
  cr_expect_str_eq(c->dose_unit, "");
  cr_assert_eq(c->n_designs, 1);
  cr_expect(*(const bool *)opt_at(&c->designs[0], "deescalate"), "not written: the default, true");
  expect_setup(&c->designs[0].setup, 2, 3, 9, 1, 0.3, "3+3");
  cr_expect_eq(c->n_warnings, 0);
  config_free(c);
}

Test(config, design_overrides_land_in_setup) {
  config *c = load_ok("data/valid_overrides.yaml");
  /* the study keeps its own frame */
  cr_expect_eq(c->n_doses, 4);
  cr_expect_eq(c->cohort_size, 1);
  cr_expect_eq(c->max_n, 18);
  cr_expect_eq(c->start_dose, 1);
  cr_expect_eq(c->trials, 500);
  cr_expect_eq(c->seed, 7);
  cr_assert_eq(c->n_designs, 3);
  cr_expect_str_eq(c->designs[0].name, "protocol");
  cr_expect_str_eq(c->designs[1].name, "amendment");
  cr_expect_str_eq(c->designs[2].name, "start 3");
  expect_setup(&c->designs[0].setup, 4, 3, 18, 1, 0.25, "protocol (cohort_size only)");
  expect_setup(&c->designs[1].setup, 4, 3, 30, 2, 0.25, "amendment (all three)");
  expect_setup(&c->designs[2].setup, 4, 3, 18, 3, 0.25, "start 3 (start_dose)");
  cr_expect_not(*(const bool *)opt_at(&c->designs[1], "deescalate"));
  cr_expect_eq(config_patients_per_trial(c), 30);
  config_free(c);
}

Test(config, non_monotone_p_tox_warns) {
  config *c = load_ok("data/valid_nonmonotone.yaml");
  cr_assert_eq(c->n_scenarios, 2);
  cr_expect_eq(c->named[1].p_tox[1], 0.40);
  cr_expect_eq(c->named[1].p_tox[2], 0.20);
  cr_assert_eq(c->n_warnings, 1, "one warning (for 'dip', none for 'flat'), got %d", c->n_warnings);
  const char *w = c->warnings[0];
  cr_expect(strstr(w, "valid_nonmonotone.yaml") != NULL, "warning without the file: %s", w);
  cr_expect(strstr(w, "scenarios[1].p_tox") != NULL, "warning without the key: %s", w);
  cr_expect(strstr(w, "dip") != NULL, "warning without the scenario: %s", w);
  config_free(c);
}

/* ---- --design / --scenario selection ---- */

Test(config, select_designs_keeps_named_in_config_order) {
  config *c = load_ok("data/valid_overrides.yaml");
  dv_error err = {0};
  const char *names[] = {"start 3", "protocol"};
  cr_assert_eq(config_select_designs(c, names, 2, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(c->n_designs, 2);
  cr_expect_str_eq(c->designs[0].name, "protocol");
  cr_expect_str_eq(c->designs[1].name, "start 3");
  expect_setup(&c->designs[1].setup, 4, 3, 18, 3, 0.25, "start 3 after selection");
  config_free(c);
}

Test(config, select_none_keeps_all) {
  config *c = load_ok("data/valid_overrides.yaml");
  dv_error err = {0};
  cr_assert_eq(config_select_designs(c, NULL, 0, &err), DV_OK);
  cr_assert_eq(config_select_scenarios(c, NULL, 0, &err), DV_OK);
  cr_expect_eq(c->n_designs, 3);
  cr_expect_eq(c->n_scenarios, 3);
  config_free(c);
}

Test(config, select_scenarios_keeps_named_in_config_order) {
  config *c = load_ok("data/valid_overrides.yaml");
  dv_error err = {0};
  const char *names[] = {"high", "low"};
  cr_assert_eq(config_select_scenarios(c, names, 2, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(c->n_scenarios, 2);
  cr_expect_str_eq(c->named[0].name, "low");
  cr_expect_str_eq(c->named[1].name, "high");
  cr_expect_eq(c->named[1].p_tox[3], 0.65);
  /* each keeps its place in the file, which fixes its random stream */
  cr_expect_eq(c->named[0].index, 0);
  cr_expect_eq(c->named[1].index, 2, "'high' is the file's third scenario");
  config_free(c);
}

Test(config, select_unknown_design_is_usage_error) {
  config *c = load_ok("data/valid_overrides.yaml");
  dv_error err = {0};
  const char *names[] = {"protocol", "nope"};
  cr_assert_eq(config_select_designs(c, names, 2, &err), DV_EUSAGE);
  cr_expect_eq(err.code, DV_EUSAGE);
  cr_expect(strstr(err.msg, "'nope'") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "--design") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "valid_overrides.yaml") != NULL, "%s", err.msg);
  cr_expect_eq(c->n_designs, 3, "an unknown name must leave the config as it was");
  config_free(c);
}

Test(config, select_unknown_scenario_is_usage_error) {
  config *c = load_ok("data/valid_overrides.yaml");
  dv_error err = {0};
  const char *names[] = {"Mid"}; /* names are case-sensitive */
  cr_assert_eq(config_select_scenarios(c, names, 1, &err), DV_EUSAGE);
  cr_expect(strstr(err.msg, "'Mid'") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "--scenario") != NULL, "%s", err.msg);
  cr_expect_eq(c->n_scenarios, 3);
  config_free(c);
}

/* ---- bad configs (SPEC 5): DV_ECONFIG, "FILE[:LINE]: KEY: found; allowed" ---- */

Test(config, missing_file) {
  dv_error err;
  load_bad("data/bad/no_such_file.yaml", &err);
}

Test(config, unknown_top_level_key) {
  expect_bad("data/bad/unknown_top_key.yaml", "extras", WORDS("allowed", "study"));
}

Test(config, unknown_study_key) {
  expect_bad("data/bad/unknown_study_key.yaml", "study.targett", WORDS("allowed", "target"));
}

Test(config, unknown_design_key) {
  expect_bad("data/bad/unknown_design_key.yaml", "designs[0].escalate", WORDS("allowed"));
}

Test(config, string_where_number_wanted) {
  expect_bad("data/bad/wrong_type_string.yaml", "study.target", WORDS("thirty percent", "allowed"));
}

Test(config, p_tox_outside_0_1) {
  expect_bad("data/bad/p_tox_above_one.yaml", "scenarios[1].p_tox", WORDS("1.3", "[0,1]"));
}

Test(config, target_zero) {
  expect_bad("data/bad/target_zero.yaml", "study.target", WORDS("allowed", "between 0 and 1"));
}

Test(config, target_above_one) {
  expect_bad("data/bad/target_above_one.yaml", "study.target", WORDS("1.2", "between 0 and 1"));
}

Test(config, too_toxic_at_or_below_the_target) {
  expect_bad("data/bad/too_toxic_at_target.yaml", "study.too_toxic",
             WORDS("0.3", "above the target (0.3)", "at most 1"));
}

Test(config, too_toxic_above_one) {
  expect_bad("data/bad/too_toxic_above_one.yaml", "study.too_toxic", WORDS("1.2", "at most 1"));
}

Test(config, acceptable_not_two_increasing_probabilities) {
  expect_bad("data/bad/acceptable_one_value.yaml", "study.acceptable",
             WORDS("1 value", "[lo, hi]", "lo < hi"));
  expect_bad("data/bad/acceptable_reversed.yaml", "study.acceptable",
             WORDS("[0.35, 0.25]", "0 <= lo < hi <= 1"));
  expect_bad("data/bad/acceptable_outside.yaml", "study.acceptable",
             WORDS("[-0.05, 0.35]", "0 <= lo < hi <= 1"));
  expect_bad("data/bad/acceptable_scalar.yaml", "study.acceptable", WORDS("'0.3'", "a list"));
}

Test(config, p_tox_length_differs_from_doses) {
  expect_bad("data/bad/p_tox_length.yaml", "scenarios[1].p_tox", WORDS("2 values", "allowed", "3"));
}

Test(config, max_n_below_cohort_size) {
  expect_bad("data/bad/max_n_below_cohort.yaml", "study.max_n", WORDS("allowed", "cohort_size"));
}

Test(config, start_dose_zero) {
  expect_bad("data/bad/start_dose_zero.yaml", "study.start_dose", WORDS("allowed: 1 to 3"));
}

Test(config, start_dose_beyond_doses) {
  expect_bad("data/bad/start_dose_beyond.yaml", "study.start_dose", WORDS("4", "allowed: 1 to 3"));
}

Test(config, unknown_design_type) {
  expect_bad("data/bad/unknown_design_type.yaml", "designs[0].type",
             WORDS("fourplusfour", "allowed", "threeplusthree"));
}

Test(config, key_of_another_design_type) {
  expect_bad("data/bad/other_type_key.yaml", "designs[0].cutoff_eli", WORDS("threeplusthree"));
}

Test(config, threeplusthree_cohort_size_4) {
  expect_bad("data/bad/threeplusthree_cohort_4.yaml", "designs[0]",
             WORDS("cohort_size", "4", "allowed: 3"));
}

Test(config, duplicate_scenario_name) {
  expect_bad("data/bad/duplicate_scenario.yaml", "scenarios[1].name",
             WORDS("'S1'", "allowed", "unique"));
}

Test(config, missing_required_key) {
  expect_bad("data/bad/missing_required_key.yaml", "study.target", WORDS("missing"));
}

Test(config, not_yaml) {
  char path[1024];
  fixture("data/bad/not_yaml.yaml", path, sizeof path);
  char at_line[1100];
  snprintf(at_line, sizeof at_line, "%s:3:", path); /* the parser's line */
  expect_bad("data/bad/not_yaml.yaml", at_line, WORDS("YAML"));
}

Test(config, design_override_max_n_below_its_cohort_size) {
  expect_bad("data/bad/override_max_n_below_cohort.yaml", "designs[1].max_n",
             WORDS("2", "allowed", "cohort_size (3)"));
}

/* The key's line is in the message when the libyaml pass saw the key. */
Test(config, message_has_the_line) {
  dv_error err;
  load_bad("data/bad/target_above_one.yaml", &err);
  cr_expect(strstr(err.msg, "target_above_one.yaml:5: study.target:") != NULL, "%s", err.msg);
}

/* ---- found while testing: config.c must reject these too ---- */

/* An empty YAML stream (comments only): libcyaml returns CYAML_OK and no document. */
Test(config, empty_config_is_an_error) {
  dv_error err;
  load_bad("data/bad/empty.yaml", &err);
}

/* "benchmark" is the benchmark's design column (SPEC 8); the first design may not take it. */
Test(config, first_design_named_benchmark) {
  expect_bad("data/bad/benchmark_name.yaml", "designs[0].name", WORDS("benchmark"));
}

/* libcyaml reads "-1" for a uint64 as 2^64-1. */
Test(config, negative_trials) {
  expect_bad("data/bad/negative_trials.yaml", "simulation.trials", WORDS("-1", "allowed"));
}

Test(config, crm_skeleton_as_a_list_or_a_calibration) {
  config *c = load_ok("data/valid_crm_skeletons.yaml");
  const config_design *listed = design_named(c, "listed");
  const design_option *sk = options_find(listed->type->options, "skeleton");
  cr_assert_not_null(sk);
  cr_assert_eq(*(const int *)((const char *)listed->options + sk->count_at), 3);
  const double *v = opt_at(listed, "skeleton");
  cr_expect_float_eq(v[0], 0.1, 1e-15);
  cr_expect_float_eq(v[2], 0.35, 1e-15);
  cr_expect(opt_written(listed, "skeleton"));
  cr_expect(!opt_written(listed, "skeleton.halfwidth") &&
            !opt_written(listed, "skeleton.prior_mtd"));
  const config_design *cal = design_named(c, "calibrated");
  cr_expect_not(opt_written(cal, "skeleton"));
  cr_expect(opt_written(cal, "skeleton.halfwidth") && opt_written(cal, "skeleton.prior_mtd"));
  cr_expect_float_eq(*(const double *)opt_at(cal, "skeleton.halfwidth"), 0.05, 1e-15);
  cr_expect_eq(*(const long *)opt_at(cal, "skeleton.prior_mtd"), 2);
  config_free(c);
}

/* ---- issue 18: repeated keys, questionable texts and numbers, libcyaml's words ---- */

/* libcyaml ignores the skeleton, so the last halfwidth won; now both lines are named. */
Test(config, skeleton_key_given_twice) {
  dv_error err;
  load_bad("data/bad/dup_skeleton_key.yaml", &err);
  cr_expect(strstr(err.msg, "dup_skeleton_key.yaml:8: designs[0].skeleton.halfwidth: given twice "
                            "(lines 7 and 8); allowed: each key once") != NULL,
            "%s", err.msg);
}

/* Loads `text` (a config in memory named "inline.yaml"), failing the test on an error. */
static config *load_text_ok(const char *text) {
  config *c = NULL;
  dv_error err = {0};
  dv_status st = config_load_text("inline.yaml", text, strlen(text), &c, &err);
  cr_assert_eq(st, DV_OK, "status %d: %s\n%s", st, err.msg, text);
  return c;
}

/* What the new rules still let through: a name of exactly CONFIG_MAX_TEXT bytes (multi-byte
 * UTF-8), a quoted "~" or "null" (a text, not YAML's null), a no-break space (U+00A0, next to the
 * C1 controls in UTF-8), an empty dose unit. */
Test(config, texts_at_the_limits_load) {
  char name[CONFIG_MAX_TEXT + 1] = "";
  for (int i = 0; i < CONFIG_MAX_TEXT / 2; i++)
    strcat(name, "\xC3\xA9"); /* U+00E9, 2 bytes */
  char text[1024];
  snprintf(text, sizeof text,
           "study: {name: \"%s\", doses: [1, 2], dose_unit: \"\", target: 0.3, cohort_size: 3, "
           "max_n: 6}\n"
           "designs:\n  - {name: \"~\", type: threeplusthree}\n"
           "scenarios:\n  - {name: 'null', p_tox: [0.1, 0.2]}\n"
           "  - {name: \"a\\u00A0b\", p_tox: [0.1, 0.2]}\n",
           name);
  config *c = load_text_ok(text);
  cr_expect_eq(strlen(c->study_name), CONFIG_MAX_TEXT);
  cr_expect_str_eq(c->study_name, name);
  cr_expect_str_eq(c->dose_unit, "");
  cr_expect_str_eq(c->designs[0].name, "~");
  cr_expect_str_eq(c->named[0].name, "null");
  cr_expect_str_eq(c->named[1].name, "a\xC2\xA0"
                                     "b");
  config_free(c);
}

/* The largest values the keys hold still load: 2^40 trials, the seed 2^64-1, a subnormal dose
 * (strtod reports ERANGE on it; libcyaml reads it, and so do we). */
Test(config, numbers_at_the_limits_load) {
  config *c = load_text_ok("study: {name: n, doses: [1e-310, 2.5e300], target: 0.3, "
                           "cohort_size: 3, max_n: 255}\n"
                           "designs:\n  - {name: a, type: threeplusthree}\n"
                           "scenarios:\n  - {name: s, p_tox: [0.1, 0.2]}\n"
                           "simulation: {trials: 1099511627776, seed: 18446744073709551615}\n");
  cr_expect_eq(c->trials, CONFIG_MAX_TRIALS);
  cr_expect_eq(c->seed, UINT64_MAX);
  cr_expect_eq(c->doses[0], 1e-310);
  cr_expect_eq(c->doses[1], 2.5e300);
  cr_expect_eq(c->max_n, 255);
  config_free(c);
}

/* study.too_toxic and study.acceptable as written, at their limits; the defaults kept inside
 * [0, 1] for a target near either end. */
Test(config, too_toxic_and_acceptable) {
  config *c = load_text_ok(
      "study: {name: s, doses: [1, 2], target: 0.2, too_toxic: 1, acceptable: [0, 1],\n"
      "        cohort_size: 3, max_n: 9}\n"
      "designs: [{name: A, type: threeplusthree}]\nscenarios: [{name: a, p_tox: [0.1, 0.2]}]\n");
  cr_expect_eq(c->too_toxic, 1.0);
  cr_expect_eq(c->acceptable[0], 0.0);
  cr_expect_eq(c->acceptable[1], 1.0);
  config_free(c);
  c = load_text_ok("study: {name: s, doses: [1, 2], target: 0.8, cohort_size: 3, max_n: 9}\n"
                   "designs: [{name: A, type: threeplusthree}]\n"
                   "scenarios: [{name: a, p_tox: [0.1, 0.2]}]\n");
  cr_expect_eq(c->too_toxic, 1.0, "1.4 x 0.8 is past 1: %g", c->too_toxic);
  cr_expect_eq(c->acceptable[1], 0.8 + 0.05);
  config_free(c);
  c = load_text_ok("study: {name: s, doses: [1, 2], target: 0.03, cohort_size: 3, max_n: 9}\n"
                   "designs: [{name: A, type: threeplusthree}]\n"
                   "scenarios: [{name: a, p_tox: [0.01, 0.2]}]\n");
  cr_expect_eq(c->acceptable[0], 0.0, "0.03 - 0.05 is below 0: %g", c->acceptable[0]);
  cr_expect_eq(c->acceptable[1], 0.03 + 0.05);
  config_free(c);
}

/* Every bad fixture's message opens with "FILE:" and carries none of libcyaml's words (its
 * messages, its backtrace, its error names): the libyaml pass refuses everything first. */
Test(config, no_bad_fixture_shows_libcyaml_text) {
  static const char *const leaks[] = {"Backtrace",
                                      "Load:",
                                      "Invalid INT",
                                      "Invalid value",
                                      "Mapping field already seen",
                                      "Unexpected",
                                      "in mapping",
                                      "YAML loader",
                                      NULL};
  char dir[1024];
  fixture("data/bad", dir, sizeof dir);
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "%s", dir);
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
      continue;
    char rel[512], path[1024];
    snprintf(rel, sizeof rel, "data/bad/%s", e->d_name);
    fixture(rel, path, sizeof path);
    dv_error err;
    load_bad(rel, &err);
    cr_expect(strncmp(err.msg, path, strlen(path)) == 0 && err.msg[strlen(path)] == ':',
              "%s: the message does not open with 'FILE:': %s", rel, err.msg);
    for (int i = 0; leaks[i]; i++)
      cr_expect(strstr(err.msg, leaks[i]) == NULL, "%s: libcyaml's words ('%s'): %s", rel, leaks[i],
                err.msg);
    n++;
  }
  closedir(d);
  cr_expect_geq(n, 60, "only %d fixtures in %s", n, dir);
}

/* ---- time (SPEC section 11; src/study/timing.c) ---- */

Test(config, no_time_without_dlt_window) {
  config *c = load_ok("data/valid_defaults.yaml");
  cr_expect(!c->time.on, "a study without dlt_window has no time");
  cr_expect_eq(c->time.window, 0.0);
  cr_expect_eq(c->time.mean_interval, 0.0);
  config_free(c);
}

Test(config, time_keys_land_in_study_time) {
  config *c = load_ok("data/valid_time.yaml");
  cr_assert(c->time.on);
  cr_expect_eq(c->time.window, 28.0);
  cr_expect_eq(c->time.mean_interval, 10.5);
  cr_expect_eq(c->time.process, TIMING_UNIFORM);
  cr_expect_eq(c->time.onset, TIMING_ONSET_WEIBULL);
  cr_expect_eq(c->time.late_fraction, 0.25);
  config_free(c);
}

Test(config, time_defaults) {
  config *c = load_ok("data/valid_time_defaults.yaml");
  cr_assert(c->time.on);
  cr_expect_eq(c->time.window, 21.0);
  cr_expect_eq(c->time.mean_interval, 7.0);
  cr_expect_eq(c->time.process, TIMING_FIXED);
  cr_expect_eq(c->time.onset, TIMING_ONSET_UNIFORM, "dlt_onset left out: uniform");
  cr_expect_eq(c->time.late_fraction, 0.0, "no late fraction with a uniform onset");
  config_free(c);
}

Test(config, time_weibull_late_fraction_defaults_to_half) {
  static const char text[] = "study: {name: s, doses: [1, 2], target: 0.3, cohort_size: 3, "
                             "max_n: 9, dlt_window: 28, accrual: {mean_interval: 14, process: "
                             "poisson}, dlt_onset: {distribution: weibull}}\n"
                             "designs: [{name: a, type: threeplusthree}]\n"
                             "scenarios: [{name: S, p_tox: [0.1, 0.3]}]\n";
  config *c = NULL;
  dv_error err = {0};
  cr_assert_eq(config_load_text("inline.yaml", text, sizeof text - 1, &c, &err), DV_OK, "%s",
               err.msg);
  cr_expect_eq(c->time.process, TIMING_POISSON);
  cr_expect_eq(c->time.onset, TIMING_ONSET_WEIBULL);
  cr_expect_eq(c->time.late_fraction, 0.5);
  config_free(c);
}

Test(config, bad_time_keys) {
  expect_bad("data/bad/time_accrual_without_window.yaml", "study.accrual",
             WORDS("without study.dlt_window", "allowed"));
  expect_bad("data/bad/time_onset_without_window.yaml", "study.dlt_onset",
             WORDS("without study.dlt_window"));
  expect_bad("data/bad/time_window_zero.yaml", "study.dlt_window", WORDS("0", "above 0"));
  expect_bad("data/bad/time_window_huge.yaml", "study.dlt_window", WORDS("4000", "at most 3650"));
  expect_bad("data/bad/time_accrual_missing.yaml", "study.dlt_window",
             WORDS("study.accrual", "mean_interval", "poisson | uniform | fixed"));
  expect_bad("data/bad/time_mean_interval_missing.yaml", "study.accrual.mean_interval",
             WORDS("missing", "required"));
  expect_bad("data/bad/time_mean_interval_tiny.yaml", "study.accrual.mean_interval",
             WORDS("0.01", "0.028", "3650"));
  expect_bad("data/bad/time_process_unknown.yaml", "study.accrual.process",
             WORDS("gamma", "poisson", "uniform", "fixed"));
  expect_bad("data/bad/time_distribution_unknown.yaml", "study.dlt_onset.distribution",
             WORDS("lognormal", "uniform", "weibull"));
  expect_bad("data/bad/time_late_fraction_one.yaml", "study.dlt_onset.late_fraction",
             WORDS("1", "strictly between 0 and 1"));
  expect_bad("data/bad/time_late_fraction_uniform.yaml", "study.dlt_onset.late_fraction",
             WORDS("only with distribution: weibull"));
}
