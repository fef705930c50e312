/* results.h — a run's result set (SPEC section 9), written as the scenarios are computed: oc.csv,
 * scenarios.csv and summary.json's metrics stream out scenario by scenario, so memory does not
 * grow with the number of scenarios; only the named scenarios' rows and the means over the random
 * ones are kept, for the table and report.html. The files are staged and appear together. */
#ifndef DOSEVAL_RESULTS_H
#define DOSEVAL_RESULTS_H

#include "checkpoint.h"
#include "config.h"
#include "error.h"
#include "oc.h"
#include "write.h"

typedef struct results results;

/* The files of a result set (NULL-terminated): what a new set, or a run's first checkpoint,
 * replaces in DIR. */
extern const char *const results_files[];

/* Stages the set for DIR, after checking that summary.json can hold cfg's facts. */
dv_status results_begin(results **out, const config *cfg, const oc_layout *l, const char *dir,
                        dv_error *err) DV_MUST_CHECK;
/* The next scenario of the run (in order), from its counter block or its exact probabilities
 * (l->scenario_size values laid out as scenario 0). */
dv_status results_add_counts(results *r, const config_scenario *sc, const uint64_t *block,
                             dv_error *err) DV_MUST_CHECK;
dv_status results_add_exact(results *r, const config_scenario *sc, const double *block,
                            dv_error *err) DV_MUST_CHECK;
/* After the last scenario: the means over the random ones, summary.json, report.html and, unless
 * counts is NULL, the counter file (header f, counts from `counts`); then every file moves into
 * DIR at once. in->rows is set to the rows shown (named scenarios, then the means), which stay
 * valid until results_free for the caller's table. */
dv_status results_finish(results *r, write_input *in, const counter_file *f, counter_source counts,
                         void *ctx, dv_error *err) DV_MUST_CHECK;
/* Frees; a set not finished is removed. */
void results_free(results *r);

#endif
