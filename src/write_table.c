/* write_table.c — the stdout table: one block per scenario, designs side by side. */
#include <string.h>

#include "write.h"

static void cell(FILE *out, const oc_row *r, int decimals) {
  if (r == NULL || !r->has_value)
    fprintf(out, " %10s", r == NULL ? "" : "NA");
  else
    fprintf(out, " %10.*f", decimals, r->value);
}

/* One table line: a label, then the metric for every design, and the benchmark's metric
 * `bench_metric` in the last column (NULL: none). */
static void line(FILE *out, const write_input *in, int s, const char *label, const char *metric,
                 int dose, int decimals, const char *bench_metric) {
  fprintf(out, "  %-30.30s", label);
  for (int j = 0; j < in->cfg->n_designs; j++)
    cell(out, write_find(in->rows, s, in->cfg->designs[j].name, metric, dose), decimals);
  if (bench_metric != NULL)
    cell(out, write_find(in->rows, s, "benchmark", bench_metric, dose), decimals);
  fputc('\n', out);
}

void write_table(const write_input *in, FILE *out) {
  const config *cfg = in->cfg;
  int k = cfg->n_doses;
  fprintf(out, "%s: target %.2f, ", cfg->study_name, cfg->target);
  if (in->exact)
    fprintf(out, "exact\n");
  else
    fprintf(out, "%llu trials per scenario, seed %llu, %d rank%s\n", (unsigned long long)in->trials,
            (unsigned long long)cfg->seed, in->ranks, in->ranks == 1 ? "" : "s");
  for (int s = 0; s < cfg->n_scenarios; s++) {
    const double *p = cfg->scenarios[s].p_tox;
    fprintf(out, "\n%s: p(DLT)", cfg->scenarios[s].name);
    for (int d = 0; d < k; d++)
      fprintf(out, " %.2f", p[d]);
    fprintf(out, ", true MTD dose %d\n", oc_true_mtd(p, k, cfg->target));
    fprintf(out, "  %-30s", "");
    for (int j = 0; j < cfg->n_designs; j++)
      fprintf(out, " %10.10s", cfg->designs[j].name);
    fprintf(out, " %10s\n", "benchmark");
    char label[64];
    line(out, in, s, "P(select) no MTD", "sel", 0, 3, NULL);
    for (int d = 1; d <= k; d++) {
      double dose = cfg->doses[d - 1];
      snprintf(label, sizeof label, dose >= 1e4 ? "  dose %d (%.1e)" : "  dose %d (%g)", d, dose);
      line(out, in, s, label, "sel", d, 3, "bench_sel");
    }
    line(out, in, s, "P(correct MTD)", "pcs", -1, 3, NULL);
    line(out, in, s, "accuracy index", "accuracy", -1, 3, NULL);
    line(out, in, s, "patients, mean", "n_mean", -1, 2, NULL);
    line(out, in, s, "patients, sd", "n_sd", -1, 2, NULL);
    for (int d = 1; d <= k; d++) {
      snprintf(label, sizeof label, "  at dose %d", d);
      line(out, in, s, label, "n_dose", d, 2, NULL);
    }
    line(out, in, s, "DLTs, mean", "dlt_mean", -1, 2, NULL);
    line(out, in, s, "% patients at true MTD", "pct_at_mtd", -1, 1, NULL);
    line(out, in, s, "% patients above true MTD", "pct_overdosed", -1, 1, NULL);
    line(out, in, s, "P(>60% above true MTD)", "overdose60", -1, 3, NULL);
    line(out, in, s, "P(stop, no MTD)", "p_stop", -1, 3, NULL);
  }
  if (!in->exact && in->trials_per_second > 0)
    fprintf(out, "\n%.0f design-trials per second per core (%d rank%s, %.2f s)\n",
            in->trials_per_second / in->ranks, in->ranks, in->ranks == 1 ? "" : "s",
            in->wall_seconds);
}
