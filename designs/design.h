/* design.h — the one interface every dose-escalation design implements.
 *
 * A design is data plus pure decision functions on the trial's counts: it never allocates,
 * draws random numbers, prints or touches MPI, and keeps no state between calls. The engine
 * (src/graph.c) owns the loop and memoises every answer, so one copy of a design serves
 * Monte Carlo (src/trial.c), the exact engine (src/exact.c), shards and resume.
 *
 * Adding a design: designs/<name>.c exporting one `const design_type`, one line in
 * designs/registry.c, its option keys in src/config.c's schema, and tests/test_<name>.c. */
#ifndef DOSEVAL_DESIGN_H
#define DOSEVAL_DESIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/error.h"

/* Documented limits: at most 16 doses, 255 patients in a trial, cohorts of at most 8. */
#define DESIGN_MAX_DOSES 16
#define DESIGN_MAX_N 255
#define DESIGN_MAX_COHORT 8

/* A trial's state between cohorts. Doses are 1-based in the API; arrays are indexed d-1.
 * Everything a design may decide on is here, so equal states get equal decisions. */
typedef struct {
  uint8_t n[DESIGN_MAX_DOSES]; /* patients treated at dose d (index d-1) */
  uint8_t y[DESIGN_MAX_DOSES]; /* DLTs seen at dose d */
  uint8_t cur;                 /* dose of the last cohort (1..K); 0 before the first cohort */
  uint8_t last_y;              /* DLTs in the last cohort; kept 0 unless the design uses it */
} design_state;

/* The study frame a design works in, after the design's own overrides of the study. */
typedef struct {
  int n_doses;     /* K */
  int cohort_size; /* c */
  int max_n;       /* the trial never treats more than this */
  int start_dose;  /* 1-based */
  double target;   /* phi, the target DLT probability */
} design_setup;

/* What to do next: treat the next cohort at `dose`, or stop with MTD `dose` (0 = no MTD). */
typedef struct {
  uint8_t stop;
  uint8_t dose;
} design_action;

static inline design_action design_treat(int dose) {
  return (design_action){.stop = 0, .dose = (uint8_t)dose};
}
static inline design_action design_stop(int mtd) {
  return (design_action){.stop = 1, .dose = (uint8_t)mtd};
}

/* Optional config values; `set` says whether the key was present in the YAML. */
typedef struct {
  bool set;
  double value;
} design_opt_real;
typedef struct {
  bool set;
  long value;
} design_opt_int;
typedef struct {
  bool set;
  bool value;
} design_opt_bool;

/* The union of every design's config keys (src/config.c fills it; each design reads its own).
 * Key names are the YAML names; a design lists the ones it accepts in design_type.keys. */
typedef struct {
  design_opt_bool deescalate; /* threeplusthree */

  design_opt_real cutoff_eli; /* boin */
  design_opt_bool extrasafe;
  design_opt_real offset;
  design_opt_int n_earlystop;
  design_opt_real p_saf;
  design_opt_real p_tox;
  design_opt_bool bound_mtd;

  const char *model; /* crm: "empiric" or "logistic"; NULL if absent */
  design_opt_real prior_sd;
  design_opt_real intercept;
  design_opt_bool no_skip;
  int skeleton_len; /* > 0: explicit skeleton values */
  double skeleton[DESIGN_MAX_DOSES];
  design_opt_real skeleton_halfwidth; /* skeleton: {halfwidth, prior_mtd} */
  design_opt_int skeleton_prior_mtd;
  design_opt_real stop_toxic;
  design_opt_int n_stop;
} design_options;

typedef struct design_type {
  const char *name;        /* the config's `type` */
  const char *const *keys; /* design-specific keys it accepts, NULL-terminated */
  size_t params_size;      /* bytes of the private parameter block configure fills */
  bool uses_last_cohort;   /* decide reads state.last_y (otherwise the engine keeps it 0) */

  /* Validates the options and fills params (precomputing tables). On a bad value returns
   * DV_ECONFIG with a message "<where>: <key>: <found>; <allowed>". */
  dv_status (*configure)(void *params, const design_setup *setup, const design_options *opt,
                         const char *where, dv_error *err) DV_MUST_CHECK;

  /* The next action from the state. Called on the empty state (cur == 0) for the first cohort.
   * Must treat at a dose in 1..K or stop. */
  design_action (*decide)(const void *params, const design_state *s);

  /* The MTD (0 = none) when the engine ends the trial because the next cohort would pass max_n
   * while decide still wanted to treat. */
  int (*select)(const void *params, const design_state *s);
} design_type;

/* The registry (designs/registry.c). */
extern const design_type *const design_registry[];  /* NULL-terminated */
const design_type *design_lookup(const char *type); /* NULL if unknown */
/* "threeplusthree, boin, ..." for error messages. */
void design_type_names(char *buf, size_t len);

/* Small helpers every design may use. */
static inline int design_total_n(const design_state *s, int k) {
  int t = 0;
  for (int d = 0; d < k; d++)
    t += s->n[d];
  return t;
}

#endif
