/* config.h — the study config (SPEC section 5): loaded with libcyaml, validated, and turned into
 * configured designs (each design's params block filled by its own `configure`). */
#ifndef DOSEVAL_CONFIG_H
#define DOSEVAL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "design.h"
#include "error.h"
#include "policy.h"
#include "timing.h"

/* At most this many designs in a config: the one bound every per-design array and the counter
 * layout use (the paired counters keep "which designs picked the true MTD" in a 64-bit set). */
#define CONFIG_MAX_DESIGNS 64
/* At most this many names in one --design / --scenario selection. */
#define CONFIG_MAX_SELECT 64

typedef struct {
  char *name;              /* the design's label in outputs ("3+3") */
  int index;               /* position in the file (counter files name designs by it) */
  const design_type *type; /* from the registry */
  design_setup setup;      /* the study's frame after this design's overrides */
  void *options;           /* type->options_size bytes: the options, defaults filled in */
  void *params;            /* type->params_size bytes, filled by type->configure */
  int n_rules;             /* the config's `rules:` of this design, in order */
  design_rule rules[POLICY_MAX_RULES];
  char *rule_labels[POLICY_MAX_RULES]; /* their stop_reason labels (owned) */
  policy policy;                       /* the design wrapped in its rules and max_n */
} config_design;

/* A text in a config (the study's, a design's or a scenario's name, the dose unit) has at most
 * this many bytes and no control characters (C0, DEL, C1; so no NUL, tab or line break); a name
 * is not empty. YAML's null (~, null, nothing) is refused wherever a value is expected. */
#define CONFIG_MAX_TEXT 200

/* A named scenario as the file gives it (`scenarios`). A run hands out its scenarios, named and
 * random, with their true MTD, through scenarios.h (config_scenario_at). A value: it owns
 * nothing. */
typedef struct {
  char name[CONFIG_MAX_TEXT + 1]; /* "MTD at dose 3" */
  int index;                      /* position in the file (its patients' stream) */
  double p_tox[DESIGN_MAX_DOSES]; /* true DLT probability per dose */
  bool has_eff;                   /* p_eff given (SPEC 13) */
  double p_eff[DESIGN_MAX_DOSES]; /* ... true response probability per dose */
} config_named;

/* At most 2^40 (about 10^12) trials per scenario: a trial adds at most 255^2 < 2^16 to a
 * counter, so the 64-bit counters cannot overflow, and 2^40 trials of 256 stream outputs each
 * stay far inside a stream's period. */
#define CONFIG_MAX_TRIALS ((uint64_t)1 << 40)

/* A config file is read whole; larger ones are refused. */
#define CONFIG_MAX_BYTES (16 << 20)

typedef struct {
  char *path;      /* the file it came from */
  char *text;      /* its bytes, NUL-terminated (echoed in summary.json, kept in counter files) */
  size_t text_len; /* ... and their number */
  uint64_t hash;   /* FNV-1a 64 of those bytes: counter files of another config are refused */
  char *study_name;
  char *dose_unit;
  int n_doses;
  double doses[DESIGN_MAX_DOSES];
  double target;
  double too_toxic;     /* study.too_toxic: every dose at or above it, no true MTD (curve.h) */
  double acceptable[2]; /* study.acceptable: [lo, hi], the acceptable doses' p (`pas`) */
  int cohort_size, max_n, start_dose;
  study_time time; /* dlt_window, accrual, dlt_onset (SPEC section 11); time.on false: none */
  double eff_tox_correlation; /* SPEC 13: the Gaussian copula's correlation, in (-1, 1) */
  int n_designs;
  config_design *designs;
  int n_scenarios; /* the run's: n_named named ones, then n_random random ones */
  int n_named;
  config_named *named;
  int n_random;       /* random_scenarios.count (0: none, or not selected) */
  int random_in_file; /* random_scenarios.count as the file says */
  uint64_t trials;
  uint64_t seed;
  int n_warnings;
  char **warnings; /* messages main prints (e.g. a non-monotone p_tox) */
} config;

/* Reads and validates `path`. On DV_ECONFIG the message reads "FILE:LINE: KEY: found; allowed".
 * The caller frees *out with config_free. */
dv_status config_load(const char *path, config **out, dv_error *err) DV_MUST_CHECK;
/* The same from a config's bytes already in memory; `path` names them in messages. */
dv_status config_load_text(const char *path, const char *text, size_t len, config **out,
                           dv_error *err) DV_MUST_CHECK;
void config_free(config *c);
/* FNV-1a 64 of a config's bytes (config.hash). */
uint64_t config_hash_bytes(const char *text, size_t len);

/* Keeps only the designs / scenarios named in `names` (n of them); DV_EUSAGE names an unknown one.
 * For scenarios, the name `random` keeps the random ones (which are dropped otherwise).
 */
dv_status config_select_designs(config *c, const char *const *names, int n,
                                dv_error *err) DV_MUST_CHECK;
dv_status config_select_scenarios(config *c, const char *const *names, int n,
                                  dv_error *err) DV_MUST_CHECK;

/* The names a --design selection (scenarios false) or a --scenario selection may give, quoted and
 * separated by commas (then 'random' when c has random scenarios), the rest counted ("and 12
 * more") when they do not fit in len; for messages. */
void config_selectable_names(const config *c, bool scenarios, char *buf, size_t len);

/* The largest max_n over the study and its designs, a design's side patients added
 * (design_type.side_most): patients drawn per trial. */
int config_patients_per_trial(const config *c);

#endif
