/* timing.c — the study's time keys (SPEC section 11): dlt_window, accrual and dlt_onset, checked
 * into a study_time. Only the keys and their ranges live here; what they mean for a trial is the
 * engine's clock (src/engine/clock.c). */
#include "timing.h"

#include <math.h>
#include <string.h>

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

const cyaml_schema_field_t timing_accrual_fields[] = {
    CYAML_FIELD_FLOAT_PTR("mean_interval", CYAML_FLAG_POINTER, timing_raw_accrual, mean_interval),
    CYAML_FIELD_STRING_PTR("process", CYAML_FLAG_POINTER, timing_raw_accrual, process, 0,
                           CYAML_UNLIMITED),
    CYAML_FIELD_END};

const cyaml_schema_field_t timing_onset_fields[] = {
    CYAML_FIELD_STRING_PTR("distribution", CYAML_FLAG_POINTER, timing_raw_onset, distribution, 0,
                           CYAML_UNLIMITED),
    CYAML_FIELD_FLOAT_PTR("late_fraction", OPT, timing_raw_onset, late_fraction), CYAML_FIELD_END};

static const char *const process_names[] = {"poisson", "uniform", "fixed"};
static const char *const onset_names[] = {"uniform", "weibull"};

const char *timing_process_name(timing_process p) { return process_names[p]; }
const char *timing_onset_name(timing_onset o) { return onset_names[o]; }

/* The index of `word` among n names, or -1. */
static int name_index(const char *const *names, int n, const char *word) {
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], word) == 0)
      return i;
  return -1;
}

#define BAD(...) error_set(err, DV_ECONFIG, __VA_ARGS__)

dv_status timing_check(const timing_raw *raw, timing_where where, const void *ctx, study_time *out,
                       dv_error *err) {
  char w[256];
  *out = (study_time){0};
  if (raw->dlt_window == NULL) {
    const char *key = raw->accrual ? "study.accrual" : raw->dlt_onset ? "study.dlt_onset" : NULL;
    if (key != NULL)
      return BAD("%s: given without study.dlt_window; allowed: accrual and dlt_onset only in a "
                 "study with a DLT window (dlt_window: days)",
                 where(ctx, key, w, sizeof w));
    return DV_OK; /* a study without time */
  }
  double win = *raw->dlt_window;
  if (!(win > 0.0 && win <= TIMING_MAX_DAYS))
    return BAD("%s: %g; allowed: days, above 0 and at most %g",
               where(ctx, "study.dlt_window", w, sizeof w), win, TIMING_MAX_DAYS);
  if (raw->accrual == NULL)
    return BAD("%s: given without study.accrual; required with it: accrual: {mean_interval: "
               "DAYS, process: poisson | uniform | fixed}",
               where(ctx, "study.dlt_window", w, sizeof w));
  double mean = *raw->accrual->mean_interval, lo = win / TIMING_MAX_ARRIVALS_PER_WINDOW;
  if (!(mean >= lo && mean <= TIMING_MAX_DAYS))
    return BAD("%s: %g; allowed: days between arrivals, from dlt_window / %g (%g) to %g",
               where(ctx, "study.accrual.mean_interval", w, sizeof w), mean,
               TIMING_MAX_ARRIVALS_PER_WINDOW, lo, TIMING_MAX_DAYS);
  int process = name_index(process_names, 3, raw->accrual->process);
  if (process < 0)
    return BAD("%s: '%s'; allowed: poisson (exponential gaps), uniform (gaps U(0, 2 mean)) or "
               "fixed (gaps of exactly mean_interval)",
               where(ctx, "study.accrual.process", w, sizeof w), raw->accrual->process);
  out->on = true;
  out->window = win;
  out->mean_interval = mean;
  out->process = (timing_process)process;
  out->onset = TIMING_ONSET_UNIFORM;
  const timing_raw_onset *ro = raw->dlt_onset;
  if (ro == NULL)
    return DV_OK;
  int onset = name_index(onset_names, 2, ro->distribution);
  if (onset < 0)
    return BAD("%s: '%s'; allowed: uniform (onset U(0, dlt_window)) or weibull (with "
               "late_fraction)",
               where(ctx, "study.dlt_onset.distribution", w, sizeof w), ro->distribution);
  out->onset = (timing_onset)onset;
  if (out->onset == TIMING_ONSET_UNIFORM) {
    if (ro->late_fraction != NULL)
      return BAD("%s: %g; allowed: only with distribution: weibull",
                 where(ctx, "study.dlt_onset.late_fraction", w, sizeof w), *ro->late_fraction);
    return DV_OK;
  }
  /* a Weibull law puts a share strictly between 0 and 1 of its mass in [0, W] in (W/2, W]:
   * 0 and 1 are the limits of shape 0 and infinity */
  double late = ro->late_fraction ? *ro->late_fraction : 0.5;
  if (!(late > 0.0 && late < 1.0))
    return BAD("%s: %g; allowed: a share strictly between 0 and 1 (the DLTs in the window's "
               "second half; default 0.5)",
               where(ctx, "study.dlt_onset.late_fraction", w, sizeof w), late);
  out->late_fraction = late;
  return DV_OK;
}
