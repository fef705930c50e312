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

/* DIR/oc.csv: `scenario,design,metric,dose,value,mcse`. No timings: same config and seed, same
 * bytes. */
dv_status write_csv(const write_input *in, const char *dir, dv_error *err) DV_MUST_CHECK;
/* DIR/summary.json: config echo, version, seed, trials, ranks, timings and every metric. */
dv_status write_json(const write_input *in, const char *dir, dv_error *err) DV_MUST_CHECK;
/* DIR/report.html: one self-contained page (inline CSS and SVG, no script) for a protocol
 * amendment: the summary across scenarios, then each scenario's curve, charts and tables, then
 * how the numbers were made. Every number shown is an oc.csv row, rounded. */
dv_status write_html(const write_input *in, const char *dir, dv_error *err) DV_MUST_CHECK;
/* The table, one block per scenario, designs side by side. */
void write_table(const write_input *in, FILE *out);

#endif
