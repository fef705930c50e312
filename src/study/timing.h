/* timing.h — a study's time (SPEC section 11): the DLT window, the accrual process and the law of
 * a DLT's onset within the window, read from `study.dlt_window`, `study.accrual` and
 * `study.dlt_onset`. config.c holds the raw keys in its libcyaml document (TIMING_STUDY_FIELDS)
 * and calls timing_check; the engine's clock (src/engine/clock.c) turns the result into times. */
#ifndef DOSEVAL_TIMING_H
#define DOSEVAL_TIMING_H

#include <stdbool.h>
#include <stddef.h>

#include <cyaml/cyaml.h>

#include "error.h"

typedef enum {
  TIMING_POISSON, /* exponential gaps of mean mean_interval */
  TIMING_UNIFORM, /* gaps U(0, 2 mean_interval) */
  TIMING_FIXED    /* gaps of exactly mean_interval */
} timing_process;

typedef enum {
  TIMING_ONSET_UNIFORM, /* a DLT's onset U(0, W) */
  TIMING_ONSET_WEIBULL  /* P(T <= W) = p_d, P(T <= W/2) = (1 - late_fraction) p_d */
} timing_onset;

/* A study's time, all in days. With on false the study has none and the other fields are 0. */
typedef struct {
  bool on;
  double window;        /* W: each patient's DLT assessment period */
  double mean_interval; /* the mean gap between arrivals */
  timing_process process;
  timing_onset onset;
  double late_fraction; /* weibull: the share of DLTs in the window's second half */
} study_time;

/* Bounds (README, "Time"): a window of at most ten years, and at most
 * TIMING_MAX_ARRIVALS_PER_WINDOW arrivals a window on average, so a trial's arrivals stay far
 * inside its stream segment. */
#define TIMING_MAX_DAYS 3650.0
#define TIMING_MAX_ARRIVALS_PER_WINDOW 1000.0

/* The raw keys as libcyaml loads them (NULL: absent). */
typedef struct {
  double *mean_interval;
  char *process;
} timing_raw_accrual;
typedef struct {
  char *distribution;
  double *late_fraction;
} timing_raw_onset;
typedef struct {
  double *dlt_window;
  timing_raw_accrual *accrual;
  timing_raw_onset *dlt_onset;
} timing_raw;

extern const cyaml_schema_field_t timing_accrual_fields[];
extern const cyaml_schema_field_t timing_onset_fields[];

/* The study mapping's time keys, for a struct `type` whose member `member` is a timing_raw. */
#define TIMING_STUDY_FIELDS(type, member)                                                          \
  CYAML_FIELD_FLOAT_PTR("dlt_window", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type,              \
                        member.dlt_window),                                                        \
      CYAML_FIELD_MAPPING_PTR("accrual", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type,           \
                              member.accrual, timing_accrual_fields),                              \
      CYAML_FIELD_MAPPING_PTR("dlt_onset", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type,         \
                              member.dlt_onset, timing_onset_fields)

/* Names a key for messages: "FILE:LINE: study.KEY" into buf (config.c's locations). */
typedef const char *(*timing_where)(const void *ctx, const char *path, char *buf, size_t len);

/* Validates the raw keys into *out. DV_ECONFIG names the file, the key and what is allowed:
 * accrual or dlt_onset without dlt_window, a window outside (0, TIMING_MAX_DAYS], a mean interval
 * outside [W / TIMING_MAX_ARRIVALS_PER_WINDOW, TIMING_MAX_DAYS], an unknown process or
 * distribution, a late_fraction outside (0, 1) or given with a uniform onset; accrual is required
 * with dlt_window, dlt_onset defaults to uniform and late_fraction to 0.5. */
dv_status timing_check(const timing_raw *raw, timing_where where, const void *ctx, study_time *out,
                       dv_error *err) DV_MUST_CHECK;

/* "poisson", "uniform", "fixed"; "uniform", "weibull". */
const char *timing_process_name(timing_process p);
const char *timing_onset_name(timing_onset o);

#endif
