/* write_json.c — summary.json: the run's facts and config echo as a jansson object, then the
 * metrics nested by scenario, design and metric (dose-indexed metrics as an object keyed by dose),
 * streamed straight from the rows: a jansson tree of 10,000 scenarios' numbers took seconds to
 * build, dump and free, the stream a fraction of that. jansson still escapes every string.
 * Numbers are written as oc.csv writes them, so the two files hold the same digits. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "write.h"

/* A string as a JSON literal, escaped by jansson. */
static void put_string(FILE *fp, const char *text) {
  json_t *j = json_string(text);
  char *lit = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
  fputs(lit ? lit : "null", fp);
  free(lit);
  json_decref(j);
}

/* A number as oc.csv writes it (a plain decimal, 12 places, trailing zeros trimmed), or null. */
static void put_real(FILE *fp, bool has, double v) {
  char buf[64];
  if (has && isfinite(v))
    write_plain(buf, sizeof buf, v);
  fputs(has && isfinite(v) ? buf : "null", fp);
}

static void put_cell(FILE *fp, const oc_row *r) {
  fputs("{\"value\": ", fp);
  put_real(fp, r->has_value, r->value);
  fputs(", \"mcse\": ", fp);
  put_real(fp, r->has_value, r->mcse);
  fputc('}', fp);
}

/* The run's facts: everything but the metrics. */
static json_t *facts(const write_input *in) {
  const config *cfg = in->cfg;
  json_t *root = json_object();
  json_object_set_new(root, "program", json_string("doseval"));
  json_object_set_new(root, "version", json_string(DOSEVAL_VERSION));
  json_object_set_new(root, "command", json_string(in->command));
  json_object_set_new(root, "config_path", json_string(cfg->path));
  /* the config file's text, verbatim, so the run can be repeated from summary.json alone */
  json_object_set_new(root, "config", json_stringn(cfg->text, cfg->text_len));
  json_object_set_new(root, "seed", json_integer((json_int_t)cfg->seed));
  json_object_set_new(root, "trials", json_integer((json_int_t)in->trials));
  json_object_set_new(root, "ranks", json_integer(in->ranks));
  json_object_set_new(root, "wall_seconds", json_real(in->wall_seconds));
  json_object_set_new(root, "trials_per_second", json_real(in->trials_per_second));
  json_object_set_new(root, "trials_per_second_per_core",
                      json_real(in->ranks > 0 ? in->trials_per_second / in->ranks : 0));
  if (in->states != NULL) {
    json_t *states = json_object();
    for (int j = 0; j < cfg->n_designs; j++)
      json_object_set_new(states, cfg->designs[j].name, json_integer((json_int_t)in->states[j]));
    json_object_set_new(root, "states", states);
  }
  return root;
}

/* "scenarios": {NAME: {"p_tox", "true_mtd", "designs": {LABEL: {KEY: cell | {DOSE: cell}}}}},
 * one metric per line; rows come grouped by scenario, column and metric, so one pass. */
static void put_scenarios(FILE *fp, const write_input *in) {
  const config *cfg = in->cfg;
  const oc_rows *rows = in->rows;
  fputs("  \"scenarios\": {", fp);
  size_t i = 0;
  for (int s = 0; s < cfg->n_scenarios; s++) {
    fputs(s ? ",\n    " : "\n    ", fp);
    put_string(fp, cfg->scenarios[s].name);
    fputs(": {\n      \"p_tox\": [", fp);
    for (int d = 0; d < cfg->n_doses; d++) {
      fputs(d ? ", " : "", fp);
      put_real(fp, true, cfg->scenarios[s].p_tox[d]);
    }
    fprintf(fp, "],\n      \"true_mtd\": %d,\n      \"designs\": {", cfg->scenarios[s].true_mtd);
    int column = -1;
    while (i < rows->n && rows->rows[i].scenario == s) {
      const oc_row *r = &rows->rows[i];
      if (r->column != column) {
        fputs(column >= 0 ? "\n        },\n        " : "\n        ", fp);
        put_string(fp, rows->labels[r->column]);
        fputs(": {", fp);
        column = r->column;
      } else {
        fputc(',', fp);
      }
      fprintf(fp, "\n          \"%s\": ", oc_catalogue[r->metric].key);
      if (r->dose < 0) {
        put_cell(fp, r);
        i++;
        continue;
      }
      fputc('{', fp);
      for (size_t k = i; i < rows->n && rows->rows[i].scenario == s &&
                         rows->rows[i].column == column && rows->rows[i].metric == r->metric;
           i++) {
        fprintf(fp, "%s\"%d\": ", i > k ? ", " : "", rows->rows[i].dose);
        put_cell(fp, &rows->rows[i]);
      }
      fputc('}', fp);
    }
    fputs(column >= 0 ? "\n        }\n      }\n    }" : "}\n    }", fp);
  }
  fputs(cfg->n_scenarios ? "\n  }\n}\n" : "}\n}\n", fp);
}

dv_status write_json(const write_input *in, const char *dir, dv_error *err) {
  json_t *root = facts(in);
  char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(root);
  /* the facts object without its closing brace, so the metrics follow as its last member */
  char *close = text ? strrchr(text, '}') : NULL;
  if (close == NULL) {
    free(text);
    return error_set(err, DV_ENOMEM, "summary.json: out of memory");
  }
  *close = '\0';
  while (close > text && (close[-1] == '\n' || close[-1] == ' '))
    *--close = '\0';
  atomic_file f;
  dv_status st = atomic_open(&f, dir, "summary.json", err);
  if (st == DV_OK) {
    fputs(text, f.fp);
    fputs(",\n", f.fp);
    put_scenarios(f.fp, in);
    st = atomic_commit(&f, err);
  }
  free(text);
  return st;
}
