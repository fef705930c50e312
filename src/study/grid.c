/* grid.c — a calibration grid over a design's options (see grid.h). */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "rules.h"

void grid_free(grid *g) {
  for (int a = 0; a < g->n_axes; a++) {
    for (int v = 0; v < g->axes[a].n_values; v++)
      free(g->axes[a].values[v]);
    free(g->axes[a].values);
    free(g->axes[a].key);
  }
  memset(g, 0, sizeof *g);
}

static const rule_type *rule_of(const design_rule *r) {
  for (const rule_type *t = rule_types; t->name != NULL; t++)
    if (t->kind == r->kind)
      return t;
  return NULL;
}

/* The keys a grid may name, for messages: the design's options with one value, then each rule's
 * as LABEL.KEY. */
static void grid_keys(const config_design *d, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (const design_option *o = d->type->options; o != NULL && o->key != NULL && used < len; o++)
    if (o->kind != DESIGN_OPT_REALS)
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", o->key);
  for (int i = 0; i < d->n_rules && used < len; i++) {
    const rule_type *t = rule_of(&d->rules[i]);
    for (const design_option *o = t ? t->options : NULL; o != NULL && o->key != NULL && used < len;
         o++)
      used += (size_t)snprintf(buf + used, len - used, "%s%s.%s", used ? ", " : "",
                               d->rule_labels[i], o->key);
  }
}

/* Finds key among d's options, then its rules' ("LABEL.KEY", or "LABEL" for a rule with a scalar
 * key, as `{stop_at_n: 12}`). */
static const design_option *find_key(const config_design *d, const char *key, int *rule) {
  *rule = -1;
  const design_option *o = options_find(d->type->options, key);
  if (o != NULL)
    return o;
  for (int i = 0; i < d->n_rules; i++) {
    const rule_type *t = rule_of(&d->rules[i]);
    size_t n = strlen(d->rule_labels[i]);
    if (t == NULL || strncmp(key, d->rule_labels[i], n) != 0)
      continue;
    const char *sub = key[n] == '.' ? key + n + 1 : key[n] == '\0' ? t->scalar_key : NULL;
    if (sub != NULL && (o = options_find(t->options, sub)) != NULL) {
      *rule = i;
      return o;
    }
  }
  return NULL;
}

static dv_status parse_axis(grid_axis *x, const config_design *d, const char *spec, dv_error *err) {
  char keys[1024];
  const char *eq = strchr(spec, '=');
  if (eq == NULL || eq == spec || eq[1] == '\0')
    return error_set(err, DV_EUSAGE, "--grid: '%s'; allowed: KEY=V1,V2,... (KEY one of %s)", spec,
                     (grid_keys(d, keys, sizeof keys), keys));
  if ((x->key = strndup(spec, (size_t)(eq - spec))) == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  x->opt = find_key(d, x->key, &x->rule);
  if (x->opt == NULL || x->opt->kind == DESIGN_OPT_REALS) {
    grid_keys(d, keys, sizeof keys);
    return error_set(err, DV_EUSAGE, "--grid: '%s' %s of design '%s' (type %s); allowed: one of %s",
                     x->key, x->opt ? "is a list-valued option" : "is not an option", d->name,
                     d->type->name, keys);
  }
  const char *v = eq + 1;
  for (;;) {
    const char *comma = strchr(v, ',');
    size_t n = comma ? (size_t)(comma - v) : strlen(v);
    if (n == 0)
      return error_set(err, DV_EUSAGE, "--grid: '%s': an empty value; allowed: KEY=V1,V2,...",
                       spec);
    char **grown = realloc(x->values, (size_t)(x->n_values + 1) * sizeof *grown);
    if (grown == NULL)
      return error_set(err, DV_ENOMEM, "out of memory");
    x->values = grown;
    if ((x->values[x->n_values] = strndup(v, n)) == NULL)
      return error_set(err, DV_ENOMEM, "out of memory");
    for (int i = 0; i < x->n_values; i++)
      if (strcmp(x->values[i], x->values[x->n_values]) == 0) {
        x->n_values++; /* freed with the others */
        return error_set(err, DV_EUSAGE,
                         "--grid: '%s': the value '%s' twice; allowed: distinct values", spec,
                         x->values[i]);
      }
    x->n_values++;
    if (comma == NULL)
      break;
    v = comma + 1;
  }
  return DV_OK;
}

dv_status grid_parse(grid *g, const config_design *d, const char *const *specs, int n,
                     dv_error *err) {
  memset(g, 0, sizeof *g);
  if (n < 1)
    return error_set(err, DV_EUSAGE, "--grid KEY=V1,V2,... is required");
  if (n > GRID_MAX_AXES)
    return error_set(err, DV_EUSAGE, "--grid: %d keys; allowed: at most %d", n, GRID_MAX_AXES);
  g->n_points = 1;
  for (int a = 0; a < n; a++) {
    g->n_axes = a + 1; /* so that grid_free frees what this axis allocated */
    dv_status st = parse_axis(&g->axes[a], d, specs[a], err);
    if (st != DV_OK)
      return st;
    for (int b = 0; b < a; b++)
      if (strcmp(g->axes[b].key, g->axes[a].key) == 0 ||
          (g->axes[b].opt == g->axes[a].opt && g->axes[b].rule == g->axes[a].rule))
        return error_set(err, DV_EUSAGE, "--grid: '%s' given twice; allowed: each key once",
                         g->axes[a].key);
    g->n_points *= (size_t)g->axes[a].n_values;
    if (g->n_points > GRID_MAX_POINTS)
      return error_set(err, DV_EUSAGE, "--grid: more than %d points; allowed: at most %d",
                       GRID_MAX_POINTS, GRID_MAX_POINTS);
  }
  return DV_OK;
}

int grid_value_index(const grid *g, size_t p, int a) {
  size_t stride = 1;
  for (int b = g->n_axes - 1; b > a; b--)
    stride *= (size_t)g->axes[b].n_values;
  return (int)((p / stride) % (size_t)g->axes[a].n_values);
}

void grid_point_text(const grid *g, size_t p, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int a = 0; a < g->n_axes && used < len; a++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", a ? ", " : "", g->axes[a].key,
                             g->axes[a].values[grid_value_index(g, p, a)]);
}

void grid_design_free(config_design *d) {
  free(d->options);
  free(d->params);
  d->options = d->params = NULL;
}

dv_status grid_design(const grid *g, const config_design *base, size_t p, config_design *out,
                      dv_error *err) {
  *out = *base;
  out->options = malloc(base->type->options_size ? base->type->options_size : 1);
  out->params = calloc(1, base->type->params_size ? base->type->params_size : 1);
  if (out->options == NULL || out->params == NULL) {
    grid_design_free(out);
    return error_set(err, DV_ENOMEM, "out of memory");
  }
  memcpy(out->options, base->options, base->type->options_size);
  const design_setup *s = &out->setup;
  dv_error local = {0};
  dv_status st = DV_OK;
  for (int a = 0; a < g->n_axes && st == DV_OK; a++) {
    const grid_axis *x = &g->axes[a];
    const char *text = x->values[grid_value_index(g, p, a)];
    if (x->rule < 0) {
      st = options_set(x->opt, s, out->options, text, &local);
    } else {
      design_rule *r = &out->rules[x->rule];
      st = options_set(x->opt, s, r, text, &local);
      if (st == DV_OK)
        st = rule_finish(rule_of(r), r, s, &local);
      if (st != DV_OK) {
        /* the rule's messages name its own key: say whose */
        dv_error named = {0};
        error_set(&named, st, "%s.%s", base->rule_labels[x->rule], local.msg);
        local = named;
      }
    }
  }
  if (st == DV_OK)
    st = options_check_values(base->type->options, s, out->options, &local);
  if (st == DV_OK)
    st = base->type->configure(out->params, s, out->options, &local);
  if (st == DV_OK)
    st = policy_init(&out->policy, base->type, out->params, s, out->rules, out->n_rules, &local);
  if (st != DV_OK) {
    char at[512];
    grid_point_text(g, p, at, sizeof at);
    grid_design_free(out);
    return error_set(err, local.code == DV_ENOMEM ? DV_ENOMEM : DV_ECONFIG,
                     "--grid: point %zu of %zu (%s) of design '%s': %s", p + 1, g->n_points, at,
                     base->name, local.msg);
  }
  return DV_OK;
}

dv_status grid_check(const grid *g, const config_design *base, dv_error *err) {
  for (size_t p = 0; p < g->n_points; p++) {
    config_design d;
    dv_status st = grid_design(g, base, p, &d, err);
    if (st != DV_OK)
      return st;
    grid_design_free(&d);
  }
  return DV_OK;
}
