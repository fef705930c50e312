/* options.c — reading and checking design options from their tables (see options.h). */
#include "options.h"

#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const design_option *options_find(const design_option *opts, const char *key) {
  for (int i = 0; opts != NULL && opts[i].key != NULL; i++)
    if (strcmp(opts[i].key, key) == 0)
      return &opts[i];
  return NULL;
}

int options_count(const design_option *opts) {
  int n = 0;
  while (opts != NULL && opts[n].key != NULL)
    n++;
  return n;
}

/* The last part of a key: "SUB" of "KEY.SUB". */
static const char *short_key(const char *key) {
  const char *dot = strrchr(key, '.');
  return dot ? dot + 1 : key;
}

static double bound_value(const design_bound *b, const design_setup *setup) {
  switch (b->of) {
  case DESIGN_BOUND_VALUE:
    return b->value;
  case DESIGN_BOUND_TARGET:
    return b->value * setup->target;
  case DESIGN_BOUND_DOSES:
    return setup->n_doses;
  case DESIGN_BOUND_NONE:
    break;
  }
  return NAN;
}

static void bound_text(const design_bound *b, const design_setup *setup, char *buf, size_t len) {
  if (b->of == DESIGN_BOUND_DOSES && setup->n_doses <= 0)
    snprintf(buf, len, "K");
  else if (b->of == DESIGN_BOUND_TARGET && b->value == 1.0)
    snprintf(buf, len, "target");
  else if (b->of == DESIGN_BOUND_TARGET)
    snprintf(buf, len, "%g x target", b->value);
  else
    snprintf(buf, len, "%g", bound_value(b, setup));
}

static bool within(const design_option *o, const design_setup *setup, double x) {
  if (o->min.of != DESIGN_BOUND_NONE) {
    double lo = bound_value(&o->min, setup);
    if (o->min.open ? !(x > lo) : !(x >= lo))
      return false;
  }
  if (o->max.of != DESIGN_BOUND_NONE) {
    double hi = bound_value(&o->max, setup);
    if (o->max.open ? !(x < hi) : !(x <= hi))
      return false;
  }
  return true;
}

/* "0 < x <= 1", "x >= 1", or "" when unbounded; `name` stands for the value. */
static void range_text(const design_option *o, const design_setup *setup, const char *name,
                       char *buf, size_t len) {
  char lo[48], hi[48];
  bool has_lo = o->min.of != DESIGN_BOUND_NONE, has_hi = o->max.of != DESIGN_BOUND_NONE;
  if (has_lo)
    bound_text(&o->min, setup, lo, sizeof lo);
  if (has_hi)
    bound_text(&o->max, setup, hi, sizeof hi);
  if (has_lo && has_hi)
    snprintf(buf, len, "%s %s %s %s %s", lo, o->min.open ? "<" : "<=", name,
             o->max.open ? "<" : "<=", hi);
  else if (has_lo)
    snprintf(buf, len, "%s %s %s", name, o->min.open ? ">" : ">=", lo);
  else if (has_hi)
    snprintf(buf, len, "%s %s %s", name, o->max.open ? "<" : "<=", hi);
  else
    buf[0] = '\0';
}

static void dose_words_text(unsigned words, char *buf, size_t len) {
  snprintf(buf, len, "%s%s", words & DESIGN_DOSE_WORD_RECOMMENDED ? ", recommended" : "",
           words & DESIGN_DOSE_WORD_ANY ? ", any" : "");
}

void options_allowed(const design_option *o, const design_setup *setup, char *buf, size_t len) {
  const char *name = short_key(o->key);
  char range[160], words[64];
  switch (o->kind) {
  case DESIGN_OPT_REAL:
    range_text(o, setup, name, range, sizeof range);
    snprintf(buf, len, "%s", range[0] ? range : "a finite number");
    return;
  case DESIGN_OPT_INT:
    range_text(o, setup, name, range, sizeof range);
    snprintf(buf, len, "a whole number%s%s", range[0] ? " with " : "", range);
    return;
  case DESIGN_OPT_BOOL:
    snprintf(buf, len, "true or false");
    return;
  case DESIGN_OPT_WORD: {
    size_t used = (size_t)snprintf(buf, len, "one of ");
    for (int i = 0; o->words[i] != NULL && used < len; i++)
      used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", o->words[i]);
    return;
  }
  case DESIGN_OPT_DOSE:
    dose_words_text(o->dose_words, words, sizeof words);
    if (setup->n_doses <= 0)
      snprintf(buf, len, "a dose from 1 to K%s", words);
    else
      snprintf(buf, len, "a dose from 1 to %d%s", setup->n_doses, words);
    return;
  case DESIGN_OPT_REALS: {
    range_text(o, setup, "value", range, sizeof range);
    char count[48];
    if (o->count > 0)
      snprintf(count, sizeof count, "%d numbers", o->count);
    else if (setup->n_doses <= 0)
      snprintf(count, sizeof count, "a list of K numbers (one per dose)");
    else
      snprintf(count, sizeof count, "a list of %d numbers (one per dose)", setup->n_doses);
    snprintf(buf, len, "%s%s%s%s", count, range[0] ? ", each " : "", range,
             o->increasing ? ", strictly increasing" : "");
    return;
  }
  }
  buf[0] = '\0';
}

void options_default_text(const design_option *o, char *buf, size_t len) {
  if (o->no_default || o->required) {
    snprintf(buf, len, "none");
    return;
  }
  switch (o->kind) {
  case DESIGN_OPT_REAL:
  case DESIGN_OPT_REALS:
    if (o->def_times_target)
      snprintf(buf, len, "%g x target", o->def);
    else
      snprintf(buf, len, "%g", o->def);
    return;
  case DESIGN_OPT_INT:
    snprintf(buf, len, "%ld", (long)o->def);
    return;
  case DESIGN_OPT_BOOL:
    snprintf(buf, len, "%s", o->def != 0 ? "true" : "false");
    return;
  case DESIGN_OPT_WORD:
    snprintf(buf, len, "%s", o->words[(int)o->def]);
    return;
  case DESIGN_OPT_DOSE:
    if ((int)o->def == DESIGN_DOSE_RECOMMENDED)
      snprintf(buf, len, "recommended");
    else if ((int)o->def == DESIGN_DOSE_ANY)
      snprintf(buf, len, "any");
    else
      snprintf(buf, len, "%d", (int)o->def);
    return;
  }
  buf[0] = '\0';
}

static void *field(void *out, size_t at) { return (char *)out + at; }

void options_mark_set(const design_option *o, void *out) {
  if (o->set_at != 0)
    *(bool *)field(out, o->set_at) = true;
}

void options_defaults(const design_option *opts, size_t options_size, const design_setup *setup,
                      void *out) {
  memset(out, 0, options_size);
  for (int i = 0; opts != NULL && opts[i].key != NULL; i++) {
    const design_option *o = &opts[i];
    if (o->no_default || o->required)
      continue;
    double def = o->def_times_target ? o->def * setup->target : o->def;
    switch (o->kind) {
    case DESIGN_OPT_REAL:
      *(double *)field(out, o->at) = def;
      break;
    case DESIGN_OPT_INT:
      *(long *)field(out, o->at) = (long)def;
      break;
    case DESIGN_OPT_BOOL:
      *(bool *)field(out, o->at) = def != 0;
      break;
    case DESIGN_OPT_WORD:
    case DESIGN_OPT_DOSE:
      *(int *)field(out, o->at) = (int)def;
      break;
    case DESIGN_OPT_REALS: {
      int n = o->count > 0 ? o->count : setup->n_doses;
      for (int j = 0; j < n; j++)
        ((double *)field(out, o->at))[j] = def;
      *(int *)field(out, o->count_at) = n;
      break;
    }
    }
  }
}

/* "KEY: FOUND; allowed: ALLOWED (HELP)" */
static dv_status bad(const design_option *o, const design_setup *setup, dv_error *err,
                     const char *found) {
  char allowed[256];
  options_allowed(o, setup, allowed, sizeof allowed);
  return error_set(err, DV_ECONFIG, "%s: %s; allowed: %s%s%s%s", o->key, found, allowed,
                   o->help ? " (" : "", o->help ? o->help : "", o->help ? ")" : "");
}

/* A decimal whole number without leading zeros (YAML 1.1 would read "010" as octal); strictly
 * decimal (number.h): no padding, no '+', no hexadecimal. */
static bool parse_long(const char *text, long *out, bool *range) {
  const char *p = text + (text[0] == '-');
  *range = false;
  if (p[0] == '0' && p[1] != '\0')
    return false;
  number_status st = number_long(text, out);
  *range = st == NUMBER_OUT_OF_RANGE;
  return st == NUMBER_OK;
}

/* A finite number written in decimal (number.h: hexadecimal "0x1p-3", padding and words such
 * as "inf" are refused); otherwise *why says what it is ("" when it is not a number at all). */
static bool parse_real(const char *text, double *out, const char **why) {
  *why = "";
  number_status st = number_real(text, out);
  if (st == NUMBER_OUT_OF_RANGE) {
    *why = " is out of range";
  } else if (st != NUMBER_OK) { /* what strtod alone would have made of it */
    char *end;
    double x = strtod(text, &end);
    if (end != text && *end == '\0')
      *why = isfinite(x) ? " is not written in decimal" : " is not finite";
  }
  return st == NUMBER_OK;
}

static bool parse_bool(const char *text, bool *out) {
  static const char *const yes[] = {"true", "yes", "on", NULL}, *const no[] = {"false", "no", "off",
                                                                               NULL};
  for (int i = 0; yes[i]; i++) {
    if (strcasecmp(text, yes[i]) == 0)
      return *out = true, true;
    if (strcasecmp(text, no[i]) == 0)
      return *out = false, true;
  }
  return false;
}

dv_status options_set(const design_option *o, const design_setup *setup, void *out,
                      const char *text, dv_error *err) {
  char found[128], shown[68]; /* at most 64 characters shown, then "..." */
  snprintf(found, sizeof found, "'%s'", error_shown(text, shown, sizeof shown));
  switch (o->kind) {
  case DESIGN_OPT_REAL: {
    double x;
    const char *why;
    if (!parse_real(text, &x, &why))
      return bad(o, setup, err, strcat(found, why));
    if (!within(o, setup, x))
      return bad(o, setup, err, text);
    *(double *)field(out, o->at) = x;
    break;
  }
  case DESIGN_OPT_INT: {
    long x;
    bool range;
    if (!parse_long(text, &x, &range)) {
      if (range)
        snprintf(found + strlen(found), sizeof found - strlen(found), " is out of range");
      return bad(o, setup, err, found);
    }
    if (!within(o, setup, (double)x))
      return bad(o, setup, err, text);
    *(long *)field(out, o->at) = x;
    break;
  }
  case DESIGN_OPT_BOOL: {
    bool b;
    if (!parse_bool(text, &b))
      return bad(o, setup, err, found);
    *(bool *)field(out, o->at) = b;
    break;
  }
  case DESIGN_OPT_WORD: {
    int i = 0;
    while (o->words[i] != NULL && strcmp(o->words[i], text) != 0)
      i++;
    if (o->words[i] == NULL)
      return bad(o, setup, err, found);
    *(int *)field(out, o->at) = i;
    break;
  }
  case DESIGN_OPT_DOSE: {
    long x;
    bool range;
    int v;
    if ((o->dose_words & DESIGN_DOSE_WORD_RECOMMENDED) && strcmp(text, "recommended") == 0)
      v = DESIGN_DOSE_RECOMMENDED;
    else if ((o->dose_words & DESIGN_DOSE_WORD_ANY) && strcmp(text, "any") == 0)
      v = DESIGN_DOSE_ANY;
    else if (!parse_long(text, &x, &range))
      return bad(o, setup, err, found);
    else if (x < 1 || x > setup->n_doses)
      return bad(o, setup, err, text);
    else
      v = (int)x;
    *(int *)field(out, o->at) = v;
    break;
  }
  case DESIGN_OPT_REALS:
    return options_set_list(o, setup, out, &text, 1, err);
  }
  options_mark_set(o, out);
  return DV_OK;
}

dv_status options_set_list(const design_option *o, const design_setup *setup, void *out,
                           const char *const *texts, int n, dv_error *err) {
  char found[160];
  int want = o->count > 0 ? o->count : setup->n_doses;
  if (o->kind != DESIGN_OPT_REALS) {
    snprintf(found, sizeof found, "a list");
    return bad(o, setup, err, found);
  }
  if (n != want) {
    snprintf(found, sizeof found, "%d value%s", n, n == 1 ? "" : "s");
    return bad(o, setup, err, found);
  }
  double *v = field(out, o->at);
  for (int i = 0; i < n; i++) {
    double x;
    const char *why;
    if (!parse_real(texts[i], &x, &why)) {
      snprintf(found, sizeof found, "'%.60s'%s (value %d)", texts[i], why, i + 1);
      return bad(o, setup, err, found);
    }
    if (!within(o, setup, x) || (o->increasing && i > 0 && !(x > v[i - 1]))) {
      snprintf(found, sizeof found, "%s (value %d)", texts[i], i + 1);
      return bad(o, setup, err, found);
    }
    v[i] = x;
  }
  *(int *)field(out, o->count_at) = n;
  options_mark_set(o, out);
  return DV_OK;
}

dv_status options_check_values(const design_option *opts, const design_setup *setup,
                               const void *out, dv_error *err) {
  for (int i = 0; opts != NULL && opts[i].key != NULL; i++) {
    const design_option *o = &opts[i];
    if (o->no_default || o->required)
      continue;
    const void *at = (const char *)out + o->at;
    double x = o->kind == DESIGN_OPT_REAL  ? *(const double *)at
               : o->kind == DESIGN_OPT_INT ? (double)*(const long *)at
                                           : 0.0;
    if ((o->kind == DESIGN_OPT_REAL || o->kind == DESIGN_OPT_INT) && !within(o, setup, x)) {
      char found[96], def[48];
      options_default_text(o, def, sizeof def);
      snprintf(found, sizeof found, "%g (the default, %s)", x, def);
      return bad(o, setup, err, found);
    }
  }
  return DV_OK;
}

void options_value_text(const design_option *o, const design_setup *setup, const void *options,
                        char *buf, size_t len, bool *is_default) {
  const void *at = (const char *)options + o->at;
  bool set = o->set_at != 0 && *(const bool *)((const char *)options + o->set_at);
  double def = o->def_times_target ? o->def * setup->target : o->def;
  *is_default = false;
  if ((o->no_default || o->required) && o->set_at != 0 && !set) {
    snprintf(buf, len, "not given");
    return;
  }
  switch (o->kind) {
  case DESIGN_OPT_REAL:
    snprintf(buf, len, "%g", *(const double *)at);
    *is_default = !o->no_default && *(const double *)at == def;
    return;
  case DESIGN_OPT_INT:
    snprintf(buf, len, "%ld", *(const long *)at);
    *is_default = !o->no_default && *(const long *)at == (long)def;
    return;
  case DESIGN_OPT_BOOL:
    snprintf(buf, len, "%s", *(const bool *)at ? "true" : "false");
    *is_default = *(const bool *)at == (def != 0);
    return;
  case DESIGN_OPT_WORD:
    snprintf(buf, len, "%s", o->words[*(const int *)at]);
    *is_default = *(const int *)at == (int)def;
    return;
  case DESIGN_OPT_DOSE: {
    int v = *(const int *)at;
    if (v == DESIGN_DOSE_RECOMMENDED)
      snprintf(buf, len, "recommended");
    else if (v == DESIGN_DOSE_ANY)
      snprintf(buf, len, "any");
    else
      snprintf(buf, len, "%d", v);
    *is_default = !o->required && v == (int)def;
    return;
  }
  case DESIGN_OPT_REALS: {
    int n = *(const int *)((const char *)options + o->count_at);
    size_t used = (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < n && used < len; i++)
      used +=
          (size_t)snprintf(buf + used, len - used, "%s%g", i ? ", " : "", ((const double *)at)[i]);
    if (used < len)
      snprintf(buf + used, len - used, "]");
    return;
  }
  }
  buf[0] = '\0';
}

static size_t kind_size(design_opt_kind kind) {
  switch (kind) {
  case DESIGN_OPT_REAL:
    return sizeof(double);
  case DESIGN_OPT_INT:
    return sizeof(long);
  case DESIGN_OPT_BOOL:
    return sizeof(bool);
  case DESIGN_OPT_WORD:
  case DESIGN_OPT_DOSE:
    return sizeof(int);
  case DESIGN_OPT_REALS:
    return DESIGN_MAX_DOSES * sizeof(double);
  }
  return 0;
}

dv_status options_check_table(const design_option *opts, size_t options_size,
                              const design_setup *setup, dv_error *err) {
  for (int i = 0; opts != NULL && opts[i].key != NULL; i++) {
    const design_option *o = &opts[i];
    if (o->key[0] == '\0' || options_find(opts, o->key) != o)
      return error_set(err, DV_ERUN, "option '%s': empty or repeated key", o->key);
    size_t need = o->kind == DESIGN_OPT_REALS && o->count > 0 ? (size_t)o->count * sizeof(double)
                                                              : kind_size(o->kind);
    if (o->at + need > options_size || o->set_at + (o->set_at ? 1 : 0) > options_size ||
        (o->kind == DESIGN_OPT_REALS && o->count_at + sizeof(int) > options_size))
      return error_set(err, DV_ERUN, "option '%s': its value lies outside the options struct",
                       o->key);
    if (o->kind == DESIGN_OPT_WORD && (o->words == NULL || o->words[0] == NULL))
      return error_set(err, DV_ERUN, "option '%s': a word option without words", o->key);
    if (o->help == NULL || o->help[0] == '\0')
      return error_set(err, DV_ERUN, "option '%s': no help line", o->key);
    if (o->no_default || o->required)
      continue;
    double def = o->def_times_target ? o->def * setup->target : o->def;
    bool ok = true;
    if (o->kind == DESIGN_OPT_REAL || o->kind == DESIGN_OPT_INT || o->kind == DESIGN_OPT_REALS)
      ok = within(o, setup, def);
    else if (o->kind == DESIGN_OPT_DOSE)
      ok =
          ((int)def == DESIGN_DOSE_RECOMMENDED && (o->dose_words & DESIGN_DOSE_WORD_RECOMMENDED)) ||
          ((int)def == DESIGN_DOSE_ANY && (o->dose_words & DESIGN_DOSE_WORD_ANY)) ||
          (def >= 1 && def <= setup->n_doses);
    if (o->kind == DESIGN_OPT_WORD) {
      int n = 0;
      while (o->words[n] != NULL)
        n++;
      ok = def >= 0 && (int)def < n;
    }
    if (!ok)
      return error_set(err, DV_ERUN, "option '%s': its default is outside its own range", o->key);
  }
  return DV_OK;
}
