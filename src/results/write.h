/* write.h — the result files and the stdout table (SPEC section 9), from final metrics only. */
#ifndef DOSEVAL_WRITE_H
#define DOSEVAL_WRITE_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "error.h"
#include "oc.h"

typedef struct {
  const config *cfg;
  const oc_rows *rows;
  const char *command; /* "run" or "exact" */
  bool exact;
  uint64_t trials; /* per scenario (0 for exact) */
  int ranks;
  double wall_seconds;
  double trials_per_second; /* design-trials (one design, one scenario) per second */
  const size_t *states;     /* exact: states of each design's chain; NULL otherwise */
  const char *command_line; /* the command as typed (report.html ends with it); may be NULL */
} write_input;

/* A value as a plain decimal (no exponent), trailing zeros trimmed; "NA" when absent. */
void write_plain(char *buf, size_t len, double v);

/* oc.csv, `scenario,design,metric,dose,value,mcse`, in pieces as scenarios are computed: the
 * header, then batches of rows (each row's `line` is set to its data row, counted by *line). No
 * timings: same config and seed, same bytes. */
void write_csv_header(FILE *fp);
void write_csv_rows(FILE *fp, oc_rows *rows, size_t *line);
/* scenarios.csv, `scenario,dose,p_tox,true_mtd`: the header, then one scenario's lines. */
void write_scenarios_header(FILE *fp);
void write_scenarios_row(FILE *fp, int k, const config_scenario *sc);
/* summary.json's "scenarios" members for a batch of rows (*count: members written so far);
 * false if a name is not valid UTF-8. */
bool write_json_scenarios(FILE *fp, const config *cfg, const oc_rows *rows, int *count);
/* DV_OK when summary.json's facts from cfg (its path, text and names) can be written: checked
 * before any work, so that a run does not fail at its end on a config path that is not UTF-8
 * after its checkpoint was written. */
dv_status write_json_check(const config *cfg, dv_error *err) DV_MUST_CHECK;
/* DIR/summary.json: config echo, version, seed, trials, ranks, timings, then the `count`
 * members written to `members` (read from its start). */
dv_status write_json(const write_input *in, const char *dir, FILE *members, int count,
                     dv_error *err) DV_MUST_CHECK;
/* DIR/report.html: one self-contained page (inline CSS and SVG, no script) for a protocol
 * amendment: the summary across scenarios, then each scenario's curve, charts and tables, then
 * how the numbers were made. Every number shown is an oc.csv row, rounded. */
dv_status write_html(const write_input *in, const char *dir, dv_error *err) DV_MUST_CHECK;
/* The table, one block per scenario, designs side by side: the catalogue's metrics but its
 * full_only ones, by their short labels, in a column of WRITE_TABLE_LABEL_WIDTH characters
 * (the paired rows' labels, indented 2 more, in 2 fewer). */
void write_table(const write_input *in, FILE *out);
#define WRITE_TABLE_LABEL_WIDTH 30

#endif
