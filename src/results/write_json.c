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
#include "build_info.h"
#include "write.h"

/* A string as a JSON literal, escaped by jansson. */
static bool put_string(FILE *fp, const char *text) {
  json_t *j = json_string(text); /* NULL for text that is not UTF-8 */
  char *lit = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
  fputs(lit ? lit : "null", fp);
  free(lit);
  json_decref(j);
  return lit != NULL;
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
/* Sets root[key] = value; a NULL value (jansson could not make it: text that is not UTF-8, no
 * memory) is remembered as the first bad key rather than silently dropped. */
static void set(json_t *root, const char *key, json_t *value, const char **bad) {
  if (json_object_set_new(root, key, value) != 0 && *bad == NULL)
    *bad = key;
}

static json_t *facts(const write_input *in, const char **bad) {
  const config *cfg = in->cfg;
  json_t *root = json_object();
  if (root == NULL)
    return NULL;
  set(root, "program", json_string("doseval"), bad);
  set(root, "version", json_string(DOSEVAL_VERSION), bad);
  set(root, "build", json_string(build_info()), bad);
  set(root, "command", json_string(in->command), bad);
  set(root, "config_path", json_string(cfg->path), bad);
  /* the config file's text, verbatim, so the run can be repeated from summary.json alone */
  set(root, "config", json_stringn(cfg->text, cfg->text_len), bad);
  set(root, "seed", json_integer((json_int_t)cfg->seed), bad);
  set(root, "trials", json_integer((json_int_t)in->trials), bad);
  set(root, "ranks", json_integer(in->ranks), bad);
  set(root, "wall_seconds", json_real(in->wall_seconds), bad);
  set(root, "trials_per_second", json_real(in->trials_per_second), bad);
  set(root, "trials_per_second_per_core",
      json_real(in->ranks > 0 ? in->trials_per_second / in->ranks : 0), bad);
  if (in->states != NULL) {
    json_t *states = json_object();
    for (int j = 0; states != NULL && j < cfg->n_designs; j++)
      set(states, cfg->designs[j].name, json_integer((json_int_t)in->states[j]), bad);
    set(root, "states", states, bad);
  }
  return root;
}

/* Members of "scenarios": NAME: {"p_tox", "p_eff" (where given), "true_mtd" (0: none), "designs":
 * {LABEL: {KEY: cell | {DOSE: cell}}}} (the means over random curves: "curves" and
 * "curves_no_true_mtd" instead of the curve), one metric per line; rows come grouped by scenario,
 * column and metric, so one pass. */
bool write_json_scenarios(FILE *fp, const config *cfg, const oc_rows *rows, int *count) {
  bool ok = true;
  size_t i = 0;
  for (int s = 0; s < rows->n_scenarios; s++) {
    const config_scenario *sc = &rows->scenarios[s];
    fputs((*count)++ ? ",\n    " : "\n    ", fp);
    ok = put_string(fp, sc->name) && ok;
    if (rows->curves[s] > 0) {
      fprintf(fp,
              ": {\n      \"curves\": %d,\n      \"curves_no_true_mtd\": %d,\n      \"designs\": {",
              rows->curves[s], rows->curves_no_mtd[s]);
    } else {
      fputs(": {\n      \"p_tox\": [", fp);
      for (int d = 0; d < cfg->n_doses; d++) {
        fputs(d ? ", " : "", fp);
        put_real(fp, true, sc->p_tox[d]);
      }
      if (sc->has_eff) { /* SPEC 13: the response curve, where the scenario gives one */
        fputs("],\n      \"p_eff\": [", fp);
        for (int d = 0; d < cfg->n_doses; d++) {
          fputs(d ? ", " : "", fp);
          put_real(fp, true, sc->p_eff[d]);
        }
      }
      fprintf(fp, "],\n      \"true_mtd\": %d,\n      \"designs\": {", sc->true_mtd);
    }
    int column = -1;
    while (i < rows->n && rows->rows[i].scenario == s) {
      const oc_row *r = &rows->rows[i];
      if (r->column != column) {
        fputs(column >= 0 ? "\n        },\n        " : "\n        ", fp);
        ok = put_string(fp, rows->labels[r->column]) && ok;
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
        char dose[64];
        fputs(i > k ? ", " : "", fp);
        ok = put_string(fp, oc_row_dose_text(rows, &rows->rows[i], dose, sizeof dose)) && ok;
        fputs(": ", fp);
        put_cell(fp, &rows->rows[i]);
      }
      fputc('}', fp);
    }
    fputs(column >= 0 ? "\n        }\n      }\n    }" : "}\n    }", fp);
  }
  return ok;
}

dv_status write_json_check(const config *cfg, dv_error *err) {
  const char *bad = NULL;
  write_input in = {.cfg = cfg, .command = "run"};
  json_t *root = facts(&in, &bad);
  json_decref(root);
  if (root == NULL)
    return error_set(err, DV_ENOMEM, "summary.json: out of memory");
  if (bad != NULL)
    return error_set(err, DV_EIO,
                     "summary.json: cannot write '%s' (not valid UTF-8, which JSON requires, or "
                     "out of memory)",
                     bad);
  return DV_OK;
}

dv_status write_json(const write_input *in, const char *dir, FILE *members, int count,
                     dv_error *err) {
  const char *bad = NULL;
  json_t *root = facts(in, &bad);
  char *text = root && !bad ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(root);
  if (bad != NULL) {
    free(text);
    return error_set(err, DV_EIO,
                     "summary.json: cannot write '%s' (not valid UTF-8, which JSON requires, or "
                     "out of memory)",
                     bad);
  }
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
    fputs(",\n  \"scenarios\": {", f.fp);
    /* the members, written as the scenarios were computed */
    char buf[65536];
    size_t n;
    rewind(members);
    while ((n = fread(buf, 1, sizeof buf, members)) > 0)
      fwrite(buf, 1, n, f.fp);
    if (ferror(members)) {
      atomic_abort(&f);
      st = error_set(err, DV_EIO, "summary.json: cannot read back its scenarios: %s",
                     strerror(errno));
    } else {
      fputs(count ? "\n  }\n}\n" : "}\n}\n", f.fp);
      st = atomic_commit(&f, err);
    }
  }
  free(text);
  return st;
}
