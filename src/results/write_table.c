/* write_table.c — the stdout table: one block per scenario, designs side by side, the metrics of
 * the catalogue that a summary shows (all but its full_only ones, which oc.csv and report.html
 * hold), then the paired differences against the first design. */
#include <math.h>
#include <string.h>

#include "write.h"

static void cell(FILE *out, const oc_row *r, int decimals, double sign) {
  if (r == NULL || !r->has_value) {
    fprintf(out, " %12s", r == NULL ? "" : "NA");
    return;
  }
  double v = sign * r->value;
  /* a difference of 100% and 100% is 0, whatever the last bit's rounding says: no "-0.0" */
  fprintf(out, " %12.*f", decimals, fabs(v) < 0.5 * pow(10, -decimals) ? 0.0 : v);
}

static void dose_label(char *buf, size_t len, const config *cfg, const char *what, int d) {
  if (d == 0) {
    snprintf(buf, len, "%s no MTD", what);
    return;
  }
  double dose = cfg->doses[d - 1];
  snprintf(buf, len, dose >= 1e4 ? "  dose %d (%.1e)" : "  dose %d (%g)", d, dose);
}

void write_table(const write_input *in, FILE *out) {
  const config *cfg = in->cfg;
  const oc_rows *rows = in->rows;
  int k = cfg->n_doses, D = cfg->n_designs;
  fprintf(out, "%s: target %.2f, ", cfg->study_name, cfg->target);
  if (in->exact)
    fprintf(out, "exact\n");
  else
    fprintf(out, "%llu trials per scenario, seed %llu, %d rank%s\n", (unsigned long long)in->trials,
            (unsigned long long)cfg->seed, in->ranks, in->ranks == 1 ? "" : "s");
  for (int s = 0; s < in->rows->n_scenarios; s++) {
    const double *p = in->rows->scenarios[s].p_tox;
    if (rows->curves[s] > 0) {
      fprintf(out,
              "\n%s: means over %d random curves (pseudo-uniform), each with its own true MTD "
              "(%d with none)\n",
              in->rows->scenarios[s].name, rows->curves[s], rows->curves_no_mtd[s]);
    } else {
      fprintf(out, "\n%s: p(DLT)", in->rows->scenarios[s].name);
      for (int d = 0; d < k; d++)
        fprintf(out, " %.2f", p[d]);
      int mtd = in->rows->scenarios[s].true_mtd;
      if (mtd > 0)
        fprintf(out, ", true MTD dose %d\n", mtd);
      else /* SPEC section 8: stopping is the correct selection */
        fprintf(out, ", no true MTD (every dose >= too_toxic %.2f): stopping is correct\n",
                cfg->too_toxic);
      /* a design whose P(correct selection) counts another dose here (BOIN12: its true OBD) */
      for (int j = 0; j < D; j++) {
        int t = cfg->designs[j].type->true_dose != NULL
                    ? oc_design_truth(&cfg->designs[j], &in->rows->scenarios[s], k)
                    : mtd;
        if (t == mtd)
          continue;
        fprintf(out, "  (%s's P(correct selection) and its paired diff. count its true OBD, ",
                cfg->designs[j].name);
        if (t > 0)
          fprintf(out, "dose %d, not the true MTD)\n", t);
        else
          fprintf(out, "none, not the true MTD)\n");
      }
    }
    fprintf(out, "  %-*s", WRITE_TABLE_LABEL_WIDTH, "");
    for (int j = 0; j < D; j++)
      fprintf(out, " %12.12s", cfg->designs[j].name);
    fprintf(out, " %12s\n", "benchmark");
    for (int m = 0; m < OC_N_METRICS; m++) {
      const oc_metric_info *mi = &oc_catalogue[m];
      if (mi->of != OC_OF_DESIGN || mi->full_only)
        continue;
      const char *name = oc_short_label((oc_metric)m);
      int lo = mi->axis == OC_AXIS_SEL ? 0 : 1, hi = mi->axis == OC_AXIS_NONE ? 1 : k;
      if (mi->axis == OC_AXIS_QUANTILE)
        lo = 0, hi = OC_N_QUANTILES - 1;
      for (int d = lo; d <= hi; d++) {
        char label[64];
        int dose = mi->axis == OC_AXIS_NONE       ? -1
                   : mi->axis == OC_AXIS_QUANTILE ? oc_quantiles[d]
                                                  : d;
        if (mi->axis == OC_AXIS_QUANTILE)
          snprintf(label, sizeof label, "  %s %d%%", name, dose);
        else if (mi->axis == OC_AXIS_SEL)
          dose_label(label, sizeof label, cfg, name, d);
        else if (mi->axis == OC_AXIS_DOSE)
          snprintf(label, sizeof label, "  %s %d", name, d);
        else
          snprintf(label, sizeof label, "%s", name);
        bool any = false; /* the means hold only some metrics */
        for (int j = 0; j < D && !any; j++)
          any = oc_rows_get(rows, s, j, (oc_metric)m, dose) != NULL;
        if (!any)
          continue;
        fprintf(out, "  %-*.*s", WRITE_TABLE_LABEL_WIDTH, WRITE_TABLE_LABEL_WIDTH, label);
        for (int j = 0; j < D; j++)
          cell(out, oc_rows_get(rows, s, j, (oc_metric)m, dose), mi->decimals, 1);
        if (m == OC_SEL && d > 0) /* the benchmark's selection beside the designs' */
          cell(out, oc_rows_get(rows, s, D, OC_BENCH_SEL, d), mi->decimals, 1);
        fputc('\n', out);
      }
    }
    if (D < 2)
      continue;
    /* pair (0, j) holds first - j; the table shows j - first, the amendment against the protocol */
    fprintf(out, "  paired, design - %-.40s\n", cfg->designs[0].name);
    for (int m = 0; m < OC_N_METRICS; m++) {
      const oc_metric_info *mi = &oc_catalogue[m];
      if (mi->of != OC_OF_PAIR)
        continue;
      if (oc_rows_get(rows, s, oc_pair_column(D, 0, 1), (oc_metric)m, -1) == NULL)
        continue;
      fprintf(out, "    %-*.*s %12s", WRITE_TABLE_LABEL_WIDTH - 2, WRITE_TABLE_LABEL_WIDTH - 2,
              oc_short_label((oc_metric)m), "");
      for (int j = 1; j < D; j++)
        cell(out, oc_rows_get(rows, s, oc_pair_column(D, 0, j), (oc_metric)m, -1), mi->decimals,
             mi->difference ? -1 : 1);
      fputc('\n', out);
    }
  }
  if (!in->exact && in->trials_per_second > 0)
    fprintf(out, "\n%.0f design-trials per second per core (%d rank%s, %.2f s)\n",
            in->trials_per_second / in->ranks, in->ranks, in->ranks == 1 ? "" : "s",
            in->wall_seconds);
}
