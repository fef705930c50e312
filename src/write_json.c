/* write_json.c — summary.json with jansson: run facts, config echo, metrics nested by scenario,
 * design and metric (dose-indexed metrics as an object keyed by dose). */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "write.h"

static json_t *value_mcse(const oc_row *r) {
  return json_pack("{s:o,s:o}", "value", r->has_value ? json_real(r->value) : json_null(), "mcse",
                   r->has_value ? json_real(r->mcse) : json_null());
}

static json_t *build(const write_input *in) {
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
  json_t *scen = json_object();
  size_t i = 0; /* rows come in scenario order: one pass over them */
  for (int s = 0; s < cfg->n_scenarios; s++) {
    json_t *sj = json_object(), *p = json_array();
    for (int d = 0; d < cfg->n_doses; d++)
      json_array_append_new(p, json_real(cfg->scenarios[s].p_tox[d]));
    json_object_set_new(sj, "p_tox", p);
    json_object_set_new(sj, "true_mtd", json_integer(cfg->scenarios[s].true_mtd));
    json_t *designs = json_object();
    for (; i < in->rows->n && in->rows->rows[i].scenario == s; i++) {
      const oc_row *r = &in->rows->rows[i];
      const char *label = in->rows->labels[r->column], *key = oc_catalogue[r->metric].key;
      json_t *dj = json_object_get(designs, label);
      if (dj == NULL) {
        dj = json_object();
        json_object_set_new(designs, label, dj);
      }
      if (r->dose < 0) {
        json_object_set_new(dj, key, value_mcse(r));
      } else {
        json_t *mj = json_object_get(dj, key);
        if (mj == NULL) {
          mj = json_object();
          json_object_set_new(dj, key, mj);
        }
        char key[16];
        snprintf(key, sizeof key, "%d", r->dose);
        json_object_set_new(mj, key, value_mcse(r));
      }
    }
    json_object_set_new(sj, "designs", designs);
    json_object_set_new(scen, cfg->scenarios[s].name, sj);
  }
  json_object_set_new(root, "scenarios", scen);
  return root;
}

dv_status write_json(const write_input *in, const char *dir, dv_error *err) {
  json_t *root = build(in);
  if (root == NULL)
    return error_set(err, DV_ENOMEM, "summary.json: out of memory");
  atomic_file f;
  dv_status st = atomic_open(&f, dir, "summary.json", err);
  if (st == DV_OK) {
    if (json_dumpf(root, f.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) != 0) {
      atomic_abort(&f);
      st = error_set(err, DV_EIO, "%s: cannot write", f.path);
    } else {
      fputc('\n', f.fp);
      st = atomic_commit(&f, err);
    }
  }
  json_decref(root);
  return st;
}
