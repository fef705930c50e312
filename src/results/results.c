/* results.c — the result set streamed scenario by scenario (results.h). */
#include "results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"

const char *const results_files[] = {"oc.csv",      "scenarios.csv", "summary.json",
                                     "report.html", CHECKPOINT_FILE, NULL};

struct results {
  const config *cfg;
  const oc_layout *l;
  atomic_set set;
  bool staged, finished;
  atomic_file csv, scenarios;
  FILE *members; /* summary.json's scenario members, until its facts are known */
  int n_members;
  size_t lines;  /* oc.csv data rows so far */
  oc_rows one;   /* the scenario being written */
  oc_rows shown; /* named scenarios, then the means: the table and the report */
  oc_means means;
};

void results_free(results *r) {
  if (r == NULL)
    return;
  if (!r->finished && r->staged) {
    if (r->csv.fp)
      atomic_abort(&r->csv);
    if (r->scenarios.fp)
      atomic_abort(&r->scenarios);
    atomic_set_abort(&r->set);
  }
  if (r->members)
    fclose(r->members);
  oc_rows_free(&r->one);
  oc_rows_free(&r->shown);
  oc_means_free(&r->means);
  free(r);
}

dv_status results_begin(results **out, const config *cfg, const oc_layout *l, const char *dir,
                        dv_error *err) {
  *out = NULL;
  results *r = calloc(1, sizeof *r);
  if (r == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  r->cfg = cfg;
  r->l = l;
  dv_status st = write_json_check(cfg, err);
  if (st == DV_OK)
    st = atomic_set_begin(&r->set, dir, err);
  r->staged = st == DV_OK;
  if (st == DV_OK)
    st = atomic_open(&r->csv, r->set.stage, "oc.csv", err);
  if (st == DV_OK)
    st = atomic_open(&r->scenarios, r->set.stage, "scenarios.csv", err);
  if (st == DV_OK && (r->members = tmpfile()) == NULL)
    st = error_set(err, DV_EIO, "summary.json: cannot make a temporary file: %s", strerror(errno));
  if (st == DV_OK)
    st = oc_rows_init(&r->one, cfg, err);
  if (st == DV_OK)
    st = oc_rows_init(&r->shown, cfg, err);
  if (st == DV_OK)
    st = oc_means_init(&r->means, &r->one, err);
  if (st != DV_OK) {
    results_free(r);
    return st;
  }
  write_csv_header(r->csv.fp);
  write_scenarios_header(r->scenarios.fp);
  *out = r;
  return DV_OK;
}

/* The scenario in r->one goes out to the files, and is kept if it is shown. */
static dv_status put(results *r, dv_error *err) {
  write_csv_rows(r->csv.fp, &r->one, &r->lines);
  const config_scenario *sc = &r->one.scenarios[0];
  write_scenarios_row(r->scenarios.fp, r->cfg->n_doses, sc);
  if (!write_json_scenarios(r->members, r->cfg, &r->one, &r->n_members))
    return error_set(err, DV_EIO,
                     "summary.json: a scenario or design name is not valid UTF-8, which JSON "
                     "requires");
  dv_status st = DV_OK;
  if (sc->random)
    oc_means_add(&r->means, &r->one, 0);
  else
    st = oc_rows_copy_scenario(&r->shown, &r->one, 0, err);
  oc_rows_clear(&r->one);
  return st;
}

dv_status results_add_counts(results *r, const config_scenario *sc, const uint64_t *block,
                             dv_error *err) {
  dv_status st = oc_rows_add_counts(r->l, block, r->cfg, sc, &r->one, err);
  return st == DV_OK ? put(r, err) : st;
}

dv_status results_add_exact(results *r, const config_scenario *sc, const double *block,
                            dv_error *err) {
  dv_status st = oc_rows_add_exact(r->l, block, r->cfg, sc, &r->one, err);
  return st == DV_OK ? put(r, err) : st;
}

dv_status results_finish(results *r, write_input *in, const counter_file *f, counter_source counts,
                         void *ctx, dv_error *err) {
  dv_status st = DV_OK;
  if (r->means.curves > 0) { /* the means: the last rows of oc.csv, and shown */
    st = oc_means_rows(&r->means, &r->one, err);
    if (st == DV_OK) {
      write_csv_rows(r->csv.fp, &r->one, &r->lines);
      if (!write_json_scenarios(r->members, r->cfg, &r->one, &r->n_members))
        st = error_set(err, DV_EIO, "summary.json: a design name is not valid UTF-8");
    }
    if (st == DV_OK)
      st = oc_rows_copy_scenario(&r->shown, &r->one, 0, err);
    oc_rows_clear(&r->one);
  }
  in->rows = &r->shown;
  if (st == DV_OK)
    st = atomic_commit(&r->csv, err);
  if (st == DV_OK)
    st = atomic_commit(&r->scenarios, err);
  if (st == DV_OK)
    st = write_json(in, r->set.stage, r->members, r->n_members, err);
  if (st == DV_OK)
    st = write_html(in, r->set.stage, err);
  if (st == DV_OK && counts != NULL)
    st = counter_file_write_from(f, counts, ctx, r->set.stage, err);
  if (st == DV_OK)
    st = atomic_set_commit(&r->set, results_files, err);
  r->finished = st == DV_OK;
  return st;
}
