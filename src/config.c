/* config.c — SPEC section 5: the libcyaml schema, a libyaml pass for line numbers and the CRM
 * skeleton (a list or a mapping, which libcyaml's static schema cannot express), validation. */
#include "config.h"

#include "hash.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* ---- the raw document, as libcyaml loads it ---- */

typedef struct {
  char *name;
  double *doses;
  unsigned doses_count;
  char *dose_unit;
  double *target;
  int *cohort_size, *max_n, *start_dose;
} raw_study;

typedef struct {
  char *name, *type;
  int *cohort_size, *max_n, *start_dose;
  bool *deescalate;
  double *cutoff_eli;
  bool *extrasafe;
  double *offset;
  int *n_earlystop;
  double *p_saf, *p_tox;
  bool *bound_mtd;
  char *model;
  double *prior_sd, *intercept;
  bool *no_skip;
  double *stop_toxic;
  int *n_stop;
} raw_design;

typedef struct {
  char *name;
  double *p_tox;
  unsigned p_tox_count;
} raw_scenario;

typedef struct {
  uint64_t *trials, *seed;
} raw_simulation;

typedef struct {
  raw_study *study;
  raw_design *designs;
  unsigned designs_count;
  raw_scenario *scenarios;
  unsigned scenarios_count;
  raw_simulation *simulation;
} raw_config;

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

static const cyaml_schema_value_t real_entry = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};

static const cyaml_schema_field_t study_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_study, name, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("doses", CYAML_FLAG_POINTER, raw_study, doses, &real_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("dose_unit", OPT, raw_study, dose_unit, 0, CYAML_UNLIMITED),
    CYAML_FIELD_FLOAT_PTR("target", CYAML_FLAG_POINTER, raw_study, target),
    CYAML_FIELD_INT_PTR("cohort_size", CYAML_FLAG_POINTER, raw_study, cohort_size),
    CYAML_FIELD_INT_PTR("max_n", CYAML_FLAG_POINTER, raw_study, max_n),
    CYAML_FIELD_INT_PTR("start_dose", OPT, raw_study, start_dose),
    CYAML_FIELD_END};

/* Every design's keys; which ones a type accepts is its design_type.keys. */
static const cyaml_schema_field_t design_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_design, name, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("type", CYAML_FLAG_POINTER, raw_design, type, 0, CYAML_UNLIMITED),
    CYAML_FIELD_INT_PTR("cohort_size", OPT, raw_design, cohort_size),
    CYAML_FIELD_INT_PTR("max_n", OPT, raw_design, max_n),
    CYAML_FIELD_INT_PTR("start_dose", OPT, raw_design, start_dose),
    CYAML_FIELD_BOOL_PTR("deescalate", OPT, raw_design, deescalate),
    CYAML_FIELD_FLOAT_PTR("cutoff_eli", OPT, raw_design, cutoff_eli),
    CYAML_FIELD_BOOL_PTR("extrasafe", OPT, raw_design, extrasafe),
    CYAML_FIELD_FLOAT_PTR("offset", OPT, raw_design, offset),
    CYAML_FIELD_INT_PTR("n_earlystop", OPT, raw_design, n_earlystop),
    CYAML_FIELD_FLOAT_PTR("p_saf", OPT, raw_design, p_saf),
    CYAML_FIELD_FLOAT_PTR("p_tox", OPT, raw_design, p_tox),
    CYAML_FIELD_BOOL_PTR("bound_mtd", OPT, raw_design, bound_mtd),
    CYAML_FIELD_STRING_PTR("model", OPT, raw_design, model, 0, CYAML_UNLIMITED),
    CYAML_FIELD_FLOAT_PTR("prior_sd", OPT, raw_design, prior_sd),
    CYAML_FIELD_FLOAT_PTR("intercept", OPT, raw_design, intercept),
    CYAML_FIELD_BOOL_PTR("no_skip", OPT, raw_design, no_skip),
    CYAML_FIELD_IGNORE("skeleton", CYAML_FLAG_OPTIONAL), /* read by the libyaml pass */
    CYAML_FIELD_FLOAT_PTR("stop_toxic", OPT, raw_design, stop_toxic),
    CYAML_FIELD_INT_PTR("n_stop", OPT, raw_design, n_stop),
    CYAML_FIELD_END};

static const cyaml_schema_value_t design_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_design, design_fields)};

static const cyaml_schema_field_t scenario_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_scenario, name, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("p_tox", CYAML_FLAG_POINTER, raw_scenario, p_tox, &real_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_END};

static const cyaml_schema_value_t scenario_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_scenario, scenario_fields)};

static const cyaml_schema_field_t simulation_fields[] = {
    CYAML_FIELD_UINT_PTR("trials", OPT, raw_simulation, trials),
    CYAML_FIELD_UINT_PTR("seed", OPT, raw_simulation, seed), CYAML_FIELD_END};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_MAPPING_PTR("study", CYAML_FLAG_POINTER, raw_config, study, study_fields),
    CYAML_FIELD_SEQUENCE("designs", CYAML_FLAG_POINTER, raw_config, designs, &design_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("scenarios", CYAML_FLAG_POINTER, raw_config, scenarios, &scenario_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_MAPPING_PTR("simulation", OPT, raw_config, simulation, simulation_fields),
    CYAML_FIELD_END};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_config, top_fields)};

/* ---- libcyaml's log: kept off stderr and out of messages ----
 * The libyaml pass refuses first, in the house form, everything libcyaml would refuse (a repeated
 * key, a value its type cannot hold, a wrong shape, a missing or unknown key), so libcyaml's own
 * words, whose backtrace lines lag a key behind, are never shown. */

static void discard_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args) {
  (void)level;
  (void)ctx;
  (void)fmt;
  (void)args;
}

/* ---- the libyaml pass: where each key is, shapes checked against the libcyaml schema (so
 * messages name the key path, line and what is allowed), and the CRM skeletons ---- */

/* The two shapes of a CRM skeleton (the one key libcyaml's static schema cannot express). */
typedef struct {
  double *halfwidth;
  int *prior_mtd;
} raw_skeleton;
static const cyaml_schema_field_t skeleton_fields[] = {
    CYAML_FIELD_FLOAT_PTR("halfwidth", CYAML_FLAG_POINTER, raw_skeleton, halfwidth),
    CYAML_FIELD_INT_PTR("prior_mtd", CYAML_FLAG_POINTER, raw_skeleton, prior_mtd), CYAML_FIELD_END};

typedef struct {
  char path[96];
  int line;
} key_line;

typedef struct {
  key_line *keys;
  int n, cap;
  design_options *opts; /* per design: only the skeleton is filled here */
  int n_opts;
} yaml_facts;

static const char *file_line(const yaml_facts *f, const char *path, char *buf, size_t len) {
  for (int i = 0; i < f->n; i++)
    if (strcmp(f->keys[i].path, path) == 0) {
      snprintf(buf, len, ":%d", f->keys[i].line);
      return buf;
    }
  buf[0] = '\0';
  return buf;
}

static dv_status note_key(yaml_facts *f, const char *path, int line, dv_error *err) {
  if (f->n == f->cap) {
    int cap = f->cap ? 2 * f->cap : 64;
    key_line *k = realloc(f->keys, (size_t)cap * sizeof *k);
    if (k == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    f->keys = k;
    f->cap = cap;
  }
  snprintf(f->keys[f->n].path, sizeof f->keys[f->n].path, "%s", path);
  f->keys[f->n].line = line;
  f->n++;
  return DV_OK;
}

/* The skeleton options of designs[d], created on first use. */
static design_options *skeleton_of(yaml_facts *f, const char *path, dv_error *err) {
  int d;
  if (sscanf(path, "designs[%d]", &d) != 1 || d < 0 || d > 4096)
    return NULL;
  if (d >= f->n_opts) {
    design_options *o = realloc(f->opts, (size_t)(d + 1) * sizeof *o);
    if (o == NULL) {
      error_set(err, DV_ENOMEM, "config: out of memory");
      return NULL;
    }
    memset(o + f->n_opts, 0, (size_t)(d + 1 - f->n_opts) * sizeof *o);
    f->opts = o;
    f->n_opts = d + 1;
  }
  return &f->opts[d];
}

/* One open mapping or sequence and what its schema expects. */
typedef struct {
  bool is_map;
  const cyaml_schema_field_t *fields; /* mapping: its keys */
  const cyaml_schema_value_t *entry;  /* sequence: its elements */
  int line;                           /* where it starts */
  int index;                          /* sequence: elements so far */
  bool key_next;                      /* mapping: the next scalar is a key */
  uint64_t seen;                      /* mapping: keys present, by field number */
  int seen_line[64];                  /* mapping: ... and the line of each */
  const cyaml_schema_value_t *value;  /* mapping: the schema of the value that comes next */
  bool skeleton;                      /* the value that comes next is a CRM skeleton */
  char path[96];                      /* its own path, e.g. "designs[2]" */
  char key[48];                       /* mapping: the key whose value comes next */
} frame;

/* parent.key or parent[index]; a path too long for the buffer is cut (only used in messages). */
static void path_join(char *out, size_t len, const char *parent, const char *key, int index) {
  int n = key ? snprintf(out, len, "%s%s%s", parent, parent[0] ? "." : "", key)
              : snprintf(out, len, "%s[%d]", parent, index);
  if (n < 0 || (size_t)n >= len)
    out[len - 1] = '\0';
}

static void key_list(const cyaml_schema_field_t *fields, bool required_only, char *buf,
                     size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; fields[i].key != NULL && used < len; i++)
    if (!required_only || !(fields[i].value.flags & CYAML_FLAG_OPTIONAL))
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", fields[i].key);
}

static const char *allowed_of(const cyaml_schema_value_t *v) {
  switch (v->type) {
  case CYAML_FLOAT:
    return "a number";
  case CYAML_INT:
    return "a whole number";
  case CYAML_UINT:
    return "a whole number >= 0";
  case CYAML_BOOL:
    return "true or false";
  case CYAML_STRING:
    return "a text";
  case CYAML_SEQUENCE:
    return v->sequence.entry->type == CYAML_MAPPING ? "a list of mappings" : "a list of numbers";
  case CYAML_MAPPING:
    return "a mapping";
  default:
    return "see SPEC section 5";
  }
}

/* "0100", "-007": a whole number YAML 1.1 (and libcyaml) would read as octal. */
static bool leading_zero(const char *text) {
  const char *p = text + (text[0] == '-' || text[0] == '+');
  return p[0] == '0' && p[1] >= '0' && p[1] <= '9';
}

/* YAML's null: a plain ~, null, Null, NULL or nothing at all. */
static bool is_null(const yaml_event_t *ev) {
  static const char *const words[] = {"", "~", "null", "Null", "NULL", NULL};
  if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  for (int i = 0; words[i]; i++)
    if (strcmp((const char *)ev->data.scalar.value, words[i]) == 0)
      return true;
  return false;
}

/* A scalar as messages show it: quoted, control characters as '?', cut after 60 bytes (at a
 * UTF-8 boundary). */
static const char *quoted(const char *text, char *buf, size_t len) {
  size_t n = strlen(text), cut = n > 60 ? 60 : n;
  while (cut < n && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
    cut--;
  size_t o = 0;
  buf[o++] = '\'';
  for (size_t i = 0; i < cut && o + 6 < len; i++)
    buf[o++] = (unsigned char)text[i] < 0x20 || text[i] == 0x7F ? '?' : text[i];
  if (cut < n && o + 6 < len)
    o += (size_t)snprintf(buf + o, len - o, "...");
  snprintf(buf + o, len - o, "'");
  return buf;
}

/* Texts (names, the dose unit, a design's type and model) are at most CONFIG_MAX_TEXT bytes
 * without control characters; a `name` is not empty either. */
static void text_allowed(const char *key, char *buf, size_t len) {
  snprintf(buf, len, "a %stext without control characters, at most %d bytes",
           strcmp(key, "name") == 0 ? "non-empty " : "", CONFIG_MAX_TEXT);
}

/* The first control character among the n bytes of `text` (C0 including NUL, DEL, or C1: U+0080
 * to U+009F, UTF-8 C2 80 to C2 9F): its offset, or -1; *code is its code point. */
static long control_at(const unsigned char *text, size_t n, unsigned *code) {
  for (size_t i = 0; i < n; i++) {
    if (text[i] < 0x20 || text[i] == 0x7F) {
      *code = text[i];
      return (long)i;
    }
    if (text[i] == 0xC2 && i + 1 < n && text[i + 1] >= 0x80 && text[i + 1] <= 0x9F) {
      *code = text[i + 1];
      return (long)i;
    }
  }
  return -1;
}

#define TRIALS_ALLOWED "a whole number from 1 to 2^40" /* CONFIG_MAX_TRIALS */

/* What a whole-number key allows: the study frame's keys and the simulation's their documented
 * range (checked in full after loading), a design's own keys what their C type holds. */
static void whole_allowed(const char *key, const cyaml_schema_value_t *v, char *buf, size_t len) {
  unsigned bits = 8 * v->data_size;
  if (strcmp(key, "trials") == 0)
    snprintf(buf, len, "%s", TRIALS_ALLOWED);
  else if (v->type == CYAML_UINT)
    snprintf(buf, len, "a whole number from 0 to 2^%u-1", bits);
  else if (strcmp(key, "cohort_size") == 0)
    snprintf(buf, len, "a whole number from 1 to %d", DESIGN_MAX_COHORT);
  else if (strcmp(key, "max_n") == 0)
    snprintf(buf, len, "a whole number from cohort_size to %d", DESIGN_MAX_N);
  else if (strcmp(key, "start_dose") == 0)
    snprintf(buf, len, "a whole number from 1 to the number of doses");
  else
    snprintf(buf, len, "a whole number from %lld to %lld",
             -(long long)(INT64_MAX >> (64 - bits)) - 1, (long long)(INT64_MAX >> (64 - bits)));
}

/* Whether the scalar of `ev` can be a value of `v` under key `key` (the last key of its path,
 * "" in a list). If not, `found` says what it is and `allowed` what would be. Everything
 * libcyaml would refuse is refused here first, so its messages never reach the user. */
static bool scalar_fits(const cyaml_schema_value_t *v, const char *key, const yaml_event_t *ev,
                        char *found, size_t flen, char *allowed, size_t alen) {
  const char *text = (const char *)ev->data.scalar.value;
  size_t n = ev->data.scalar.length;
  char q[96];
  snprintf(allowed, alen, "%s", allowed_of(v));
  if (v->type == CYAML_STRING)
    text_allowed(key, allowed, alen);
  if (is_null(ev)) {
    snprintf(found, flen, "empty (null)");
    return false;
  }
  snprintf(found, flen, "%s", quoted(text, q, sizeof q));
  char *end;
  errno = 0;
  switch (v->type) {
  case CYAML_FLOAT: {
    double x = strtod(text, &end);
    bool number = end != text && *end == '\0';
    const char *word = text + (text[0] == '-' || text[0] == '+');
    if ((number && isnan(x)) || (number && isinf(x) && errno != ERANGE) ||
        strcasecmp(word, ".inf") == 0 || strcasecmp(word, ".nan") == 0) {
      snprintf(found, flen, "%s is not finite", q);
      snprintf(allowed, alen, "a finite number");
      return false;
    }
    if (number && isinf(x)) {
      snprintf(found, flen, "%s is out of range", q);
      snprintf(allowed, alen, "a finite number");
      return false;
    }
    return number; /* an underflow reads as 0 or a subnormal number, as libcyaml reads it */
  }
  case CYAML_INT:
  case CYAML_UINT: {
    if (leading_zero(text)) { /* libcyaml reads integers with base 0: "0100" would be 64 */
      snprintf(allowed, alen, "%s written in decimal, without leading zeros", allowed_of(v));
      return false;
    }
    long long x = 0;
    if (v->type == CYAML_INT)
      x = strtoll(text, &end, 10);
    else
      (void)strtoull(text, &end, 10);
    if (end == text || *end != '\0')
      return false;
    whole_allowed(key, v, allowed, alen);
    unsigned bits = 8 * v->data_size;
    if (v->type == CYAML_UINT && strchr(text, '-') != NULL) {
      snprintf(found, flen, "%s is negative", q);
      return false;
    }
    if (errno == ERANGE || (v->type == CYAML_INT && (x > INT64_MAX >> (64 - bits) ||
                                                     x < -(INT64_MAX >> (64 - bits)) - 1))) {
      snprintf(found, flen, "%s is out of range", q);
      return false;
    }
    return true;
  }
  case CYAML_BOOL: {
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off", NULL};
    for (int i = 0; words[i]; i++)
      if (strcasecmp(text, words[i]) == 0)
        return true;
    return false;
  }
  case CYAML_STRING: {
    unsigned code = 0;
    long at = control_at((const unsigned char *)text, n, &code);
    if (at >= 0 && code < 0x80)
      snprintf(found, flen, "a text with a control character (0x%02x) at byte %ld", code, at + 1);
    else if (at >= 0)
      snprintf(found, flen, "a text with a control character (U+%04X) at byte %ld", code, at + 1);
    else if (n > CONFIG_MAX_TEXT)
      snprintf(found, flen, "a text of %zu bytes", n);
    else if (n == 0 && strcmp(key, "name") == 0)
      snprintf(found, flen, "an empty text");
    else
      return true;
    return false;
  }
  default:
    return false;
  }
}

/* A skeleton value: list elements and mapping values go into the design's options. */
static dv_status skeleton_value(yaml_facts *f, const char *path, const char *key, const char *text,
                                dv_error *err) {
  design_options *o = skeleton_of(f, path, err);
  if (o == NULL)
    return err->code;
  double v = strtod(text, NULL);
  if (key == NULL) {
    if (o->skeleton_len < DESIGN_MAX_DOSES)
      o->skeleton[o->skeleton_len] = v;
    o->skeleton_len++; /* more than DESIGN_MAX_DOSES: the design rejects the length */
    if (o->skeleton_len > DESIGN_MAX_DOSES)
      o->skeleton_len = DESIGN_MAX_DOSES + 1;
  } else if (strcmp(key, "halfwidth") == 0) {
    o->skeleton_halfwidth = (design_opt_real){true, v};
  } else {
    o->skeleton_prior_mtd = (design_opt_int){true, (long)v};
  }
  return DV_OK;
}

#define BADF(...) (st = error_set(err, DV_ECONFIG, __VA_ARGS__))

/* The config's bytes, read once: both YAML passes parse them, and the run's counter files carry
 * their hash. */
typedef struct {
  const char *file;
  const unsigned char *text;
  size_t len;
} source;

static void open_parser(const source *src, yaml_parser_t *parser) {
  yaml_parser_initialize(parser);
  yaml_parser_set_input_string(parser, src->text, src->len);
}

/* A syntax error anywhere is reported before any value is judged. */
static dv_status yaml_syntax(const source *src, dv_error *err) {
  const char *file = src->file;
  yaml_parser_t parser;
  dv_status st = DV_OK;
  open_parser(src, &parser);
  for (bool done = false; !done;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      st = error_set(err, DV_ECONFIG, "%s:%zu: not valid YAML: %s", file,
                     parser.problem_mark.line + 1, parser.problem ? parser.problem : "?");
      break;
    }
    done = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  return st;
}

static dv_status yaml_pass(const source *src, yaml_facts *f, dv_error *err) {
  const char *file = src->file;
  yaml_parser_t parser;
  dv_status st = yaml_syntax(src, err);
  if (st != DV_OK)
    return st;
  open_parser(src, &parser);
  frame stack[16];
  int depth = 0, documents = 0;
  bool have_root = false;
  char keys[512];
  static const cyaml_schema_value_t skeleton_list = {
      CYAML_VALUE_SEQUENCE(CYAML_FLAG_POINTER, double, &real_entry, 1, DESIGN_MAX_DOSES)};
  static const cyaml_schema_value_t skeleton_map = {
      CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_skeleton, skeleton_fields)};
  for (bool done = false; !done && st == DV_OK;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      BADF("%s:%zu: not valid YAML: %s", file, parser.problem_mark.line + 1,
           parser.problem ? parser.problem : "?");
      break;
    }
    int line = (int)ev.start_mark.line + 1;
    frame *top = depth ? &stack[depth - 1] : NULL;
    bool is_node = ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
                   ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_ALIAS_EVENT;
    char path[96] = "";
    if (top && is_node && top->is_map && top->key_next) { /* a key */
      if (ev.type != YAML_SCALAR_EVENT) {
        BADF("%s:%d: %s: a key must be a plain word", file, line, top->path[0] ? top->path : "top");
      } else {
        snprintf(top->key, sizeof top->key, "%s", (const char *)ev.data.scalar.value);
        path_join(path, sizeof path, top->path, top->key, -1);
        st = note_key(f, path, line, err);
        top->value = NULL;
        top->skeleton = false;
        for (int i = 0; st == DV_OK && top->fields && top->fields[i].key != NULL; i++)
          if (strcmp(top->fields[i].key, top->key) == 0) {
            /* libcyaml refuses a repeat in its own words, or lets the last win where it ignores
             * the key (the skeleton): refuse every repeat here, naming both lines */
            if (top->seen >> i & 1) {
              BADF("%s:%d: %s: given twice (lines %d and %d); allowed: each key once", file, line,
                   path, top->seen_line[i], line);
              break;
            }
            top->value = &top->fields[i].value;
            top->seen |= (uint64_t)1 << i;
            top->seen_line[i] = line;
            top->skeleton = top->value->type == CYAML_IGNORE && strcmp(top->key, "skeleton") == 0;
          }
        if (st == DV_OK && top->fields && top->value == NULL) {
          key_list(top->fields, false, keys, sizeof keys);
          BADF("%s:%d: %s: unknown key; allowed: %s", file, line, path, keys);
        }
      }
      top->key_next = false;
      yaml_event_delete(&ev);
      continue;
    }
    /* a value: what does the schema expect here? */
    const cyaml_schema_value_t *want = NULL;
    const char *key = top && top->is_map ? top->key : "";
    bool skeleton = false;
    if (top && is_node) {
      if (top->is_map) {
        path_join(path, sizeof path, top->path, top->key, -1);
        want = top->value;
        skeleton = top->skeleton;
        top->key_next = true;
      } else {
        path_join(path, sizeof path, top->path, NULL, top->index++);
        want = top->entry;
        st = note_key(f, path, line, err); /* list entries have lines too */
      }
    } else if (is_node) {
      want = &top_schema;
      have_root = true;
    }
    if (skeleton)
      want = ev.type == YAML_SEQUENCE_START_EVENT  ? &skeleton_list
             : ev.type == YAML_MAPPING_START_EVENT ? &skeleton_map
                                                   : NULL;
    switch (ev.type) {
    case YAML_SCALAR_EVENT: {
      const char *text = (const char *)ev.data.scalar.value;
      char found[160], allowed[160], q[96];
      if (is_null(&ev))
        snprintf(q, sizeof q, "empty (null)");
      else
        quoted(text, q, sizeof q);
      if (skeleton)
        BADF("%s:%d: %s: %s; allowed: a list of prior DLT probabilities or "
             "{halfwidth, prior_mtd}",
             file, line, path, q);
      else if (want && (want->type == CYAML_SEQUENCE || want->type == CYAML_MAPPING))
        BADF("%s:%d: %s: %s; allowed: %s", file, line, path[0] ? path : "the config", q,
             allowed_of(want));
      else if (want && !scalar_fits(want, key, &ev, found, sizeof found, allowed, sizeof allowed))
        BADF("%s:%d: %s: %s; allowed: %s", file, line, path, found, allowed);
      else if (top && top->fields == skeleton_fields)
        st = skeleton_value(f, top->path, top->key, text, err);
      else if (top && !top->is_map && depth >= 2 && stack[depth - 2].skeleton)
        st = skeleton_value(f, top->path, NULL, text, err);
      break;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      bool is_map = ev.type == YAML_MAPPING_START_EVENT;
      if (want && want->type != (is_map ? CYAML_MAPPING : CYAML_SEQUENCE)) {
        BADF("%s:%d: %s: found a %s; allowed: %s", file, line, path[0] ? path : "the config",
             is_map ? "mapping" : "list", allowed_of(want));
        break;
      }
      if (depth == (int)(sizeof stack / sizeof stack[0])) {
        BADF("%s:%d: nested too deeply", file, line);
        break;
      }
      stack[depth] = (frame){.is_map = is_map, .line = line, .key_next = true};
      if (want && is_map)
        stack[depth].fields = want->mapping.fields;
      if (want && !is_map)
        stack[depth].entry = want->sequence.entry;
      snprintf(stack[depth].path, sizeof stack[depth].path, "%s", path);
      depth++; /* a skeleton list's elements see the parent's `skeleton` flag */
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      if (top && top->is_map && top->fields) {
        for (int i = 0; top->fields[i].key != NULL && st == DV_OK; i++)
          if (!(top->fields[i].value.flags & CYAML_FLAG_OPTIONAL) && !(top->seen >> i & 1)) {
            key_list(top->fields, true, keys, sizeof keys);
            path_join(path, sizeof path, top->path, top->fields[i].key, -1);
            BADF("%s:%d: %s: missing; required keys here: %s", file, top->line, path, keys);
          }
      } else if (top && !top->is_map && top->index == 0) {
        BADF("%s:%d: %s: an empty list; allowed: at least one entry", file, top->line, top->path);
      }
      depth--;
      break;
    case YAML_ALIAS_EVENT:
      BADF("%s:%d: %s: YAML aliases are not supported; write the value out", file, line, path);
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (++documents > 1)
        BADF("%s:%d: a second YAML document (after '---'); allowed: one config per file", file,
             line);
      break;
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  if (st == DV_OK && !have_root) {
    key_list(top_fields, true, keys, sizeof keys);
    BADF("%s: the config is empty; required: a mapping with %s", file, keys);
  }
  yaml_parser_delete(&parser);
  return st;
}

/* ---- validation ---- */

typedef struct {
  const char *file;
  const yaml_facts *facts;
} ctx;

/* "FILE:LINE: PATH" for messages (the line when the libyaml pass saw the key). */
static const char *where(const ctx *c, const char *path, char *buf, size_t len) {
  char line[16];
  snprintf(buf, len, "%s%s: %s", c->file, file_line(c->facts, path, line, sizeof line), path);
  return buf;
}

#define BAD(...) error_set(err, DV_ECONFIG, __VA_ARGS__)

static bool is_prob(double p) { return p >= 0.0 && p <= 1.0; }

#define DOSES_ALLOWED "positive numbers, strictly increasing (lowest dose first)"

static dv_status check_study(const ctx *c, const raw_study *rs, config *cfg, dv_error *err) {
  char w[256];
  if (rs->doses_count > DESIGN_MAX_DOSES)
    return BAD("%s: %u doses; allowed: 1 to %d", where(c, "study.doses", w, sizeof w),
               rs->doses_count, DESIGN_MAX_DOSES);
  cfg->n_doses = (int)rs->doses_count;
  for (unsigned i = 0; i < rs->doses_count; i++) {
    char path[32];
    snprintf(path, sizeof path, "study.doses[%u]", i);
    double x = rs->doses[i];
    if (!(x > 0.0))
      return BAD("%s: %g; allowed: %s", where(c, path, w, sizeof w), x, DOSES_ALLOWED);
    if (i > 0 && !(x > rs->doses[i - 1]))
      return BAD("%s: %g after %g; allowed: %s", where(c, path, w, sizeof w), x, rs->doses[i - 1],
                 DOSES_ALLOWED);
    cfg->doses[i] = x;
  }
  double t = *rs->target;
  if (!(t > 0.0 && t < 1.0))
    return BAD("%s: %g; allowed: a probability strictly between 0 and 1",
               where(c, "study.target", w, sizeof w), t);
  cfg->target = t;
  int cs = *rs->cohort_size, mn = *rs->max_n, sd = rs->start_dose ? *rs->start_dose : 1;
  if (cs < 1 || cs > DESIGN_MAX_COHORT)
    return BAD("%s: %d; allowed: 1 to %d", where(c, "study.cohort_size", w, sizeof w), cs,
               DESIGN_MAX_COHORT);
  if (mn < cs || mn > DESIGN_MAX_N)
    return BAD("%s: %d; allowed: from cohort_size (%d) to %d", where(c, "study.max_n", w, sizeof w),
               mn, cs, DESIGN_MAX_N);
  if (sd < 1 || sd > cfg->n_doses)
    return BAD("%s: %d; allowed: 1 to %d (the number of doses)",
               where(c, "study.start_dose", w, sizeof w), sd, cfg->n_doses);
  cfg->cohort_size = cs;
  cfg->max_n = mn;
  cfg->start_dose = sd;
  return DV_OK;
}

static dv_status add_warning(config *cfg, const char *text, dv_error *err) {
  char **w = realloc(cfg->warnings, (size_t)(cfg->n_warnings + 1) * sizeof *w);
  if (w == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  cfg->warnings = w;
  if ((w[cfg->n_warnings] = strdup(text)) == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  cfg->n_warnings++;
  return DV_OK;
}

static dv_status check_scenarios(const ctx *c, const raw_config *rc, config *cfg, dv_error *err) {
  char path[96], w[256];
  cfg->scenarios = calloc(rc->scenarios_count, sizeof *cfg->scenarios);
  if (cfg->scenarios == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  cfg->n_scenarios = (int)rc->scenarios_count;
  for (unsigned i = 0; i < rc->scenarios_count; i++) {
    const raw_scenario *rs = &rc->scenarios[i];
    config_scenario *s = &cfg->scenarios[i];
    s->index = (int)i;
    if ((s->name = strdup(rs->name)) == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    for (unsigned j = 0; j < i; j++)
      if (strcmp(rc->scenarios[j].name, rs->name) == 0) {
        snprintf(path, sizeof path, "scenarios[%u].name", i);
        return BAD("%s: '%s' is used twice; allowed: unique scenario names",
                   where(c, path, w, sizeof w), rs->name);
      }
    snprintf(path, sizeof path, "scenarios[%u].p_tox", i);
    if ((int)rs->p_tox_count != cfg->n_doses)
      return BAD("%s: %u values; allowed: one per dose (%d)", where(c, path, w, sizeof w),
                 rs->p_tox_count, cfg->n_doses);
    bool monotone = true;
    for (unsigned d = 0; d < rs->p_tox_count; d++) {
      if (!is_prob(rs->p_tox[d]))
        return BAD("%s: %g (dose %u); allowed: probabilities in [0,1]", where(c, path, w, sizeof w),
                   rs->p_tox[d], d + 1);
      s->p_tox[d] = rs->p_tox[d];
      if (d > 0 && rs->p_tox[d] < rs->p_tox[d - 1])
        monotone = false;
    }
    s->true_mtd = config_true_mtd(s->p_tox, cfg->n_doses, cfg->target);
    if (!monotone) {
      char msg[320];
      snprintf(msg, sizeof msg, "warning: %s: scenario '%s' is not non-decreasing in dose",
               where(c, path, w, sizeof w), rs->name);
      dv_status st = add_warning(cfg, msg, err);
      if (st != DV_OK)
        return st;
    }
  }
  return DV_OK;
}

/* Keys every design entry may have, whatever its type. */
static bool common_design_key(const char *key) {
  static const char *const common[] = {"name", "type", "cohort_size", "max_n", "start_dose", NULL};
  for (int i = 0; common[i] != NULL; i++)
    if (strcmp(common[i], key) == 0)
      return true;
  return false;
}

static bool type_accepts(const design_type *t, const char *key) {
  for (int i = 0; t->keys[i] != NULL; i++)
    if (strcmp(t->keys[i], key) == 0)
      return true;
  return false;
}

static void fill_options(const raw_design *r, const design_options *sk, design_options *o) {
  *o = *sk; /* the skeleton from the libyaml pass */
#define REAL(k)                                                                                    \
  if (r->k)                                                                                        \
  o->k = (design_opt_real){true, *r->k}
#define INT(k)                                                                                     \
  if (r->k)                                                                                        \
    o->k = (design_opt_int) { true, *r->k }
#define BOOL(k)                                                                                    \
  if (r->k)                                                                                        \
    o->k = (design_opt_bool) { true, *r->k }
  BOOL(deescalate);
  REAL(cutoff_eli);
  BOOL(extrasafe);
  REAL(offset);
  INT(n_earlystop);
  REAL(p_saf);
  REAL(p_tox);
  BOOL(bound_mtd);
  REAL(prior_sd);
  REAL(intercept);
  BOOL(no_skip);
  REAL(stop_toxic);
  INT(n_stop);
#undef REAL
#undef INT
#undef BOOL
  o->model = r->model;
}

static dv_status check_designs(const ctx *c, const raw_config *rc, config *cfg, dv_error *err) {
  char path[96], w[256];
  cfg->designs = calloc(rc->designs_count, sizeof *cfg->designs);
  if (cfg->designs == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  cfg->n_designs = (int)rc->designs_count;
  static const design_options no_skeleton;
  for (unsigned i = 0; i < rc->designs_count; i++) {
    const raw_design *r = &rc->designs[i];
    config_design *d = &cfg->designs[i];
    d->index = (int)i;
    if ((d->name = strdup(r->name)) == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    bool clash = strcmp(r->name, "benchmark") == 0 || strstr(r->name, " vs ") != NULL;
    for (unsigned j = 0; j < i; j++)
      clash = clash || strcmp(rc->designs[j].name, r->name) == 0;
    if (clash) {
      snprintf(path, sizeof path, "designs[%u].name", i);
      return BAD("%s: '%s' is used twice or reserved; allowed: unique names other than "
                 "'benchmark', without ' vs '",
                 where(c, path, w, sizeof w), r->name);
    }
    snprintf(path, sizeof path, "designs[%u].type", i);
    d->type = design_lookup(r->type);
    if (d->type == NULL) {
      char names[256];
      design_type_names(names, sizeof names);
      return BAD("%s: '%s' is not a design type; allowed: %s", where(c, path, w, sizeof w), r->type,
                 names);
    }
    const design_options *sk = (int)i < c->facts->n_opts ? &c->facts->opts[i] : &no_skeleton;
    /* the libyaml pass saw every key written under designs[i] */
    char keys_of[32];
    int plen = snprintf(keys_of, sizeof keys_of, "designs[%u].", i);
    for (int k = 0; k < c->facts->n; k++) {
      const char *key = c->facts->keys[k].path + plen;
      if (strncmp(c->facts->keys[k].path, keys_of, (size_t)plen) != 0 || strpbrk(key, ".[") != NULL)
        continue;
      if (!common_design_key(key) && !type_accepts(d->type, key))
        return BAD("%s: not a key of design type '%s'",
                   where(c, c->facts->keys[k].path, w, sizeof w), r->type);
    }
    d->setup = (design_setup){.n_doses = cfg->n_doses,
                              .cohort_size = r->cohort_size ? *r->cohort_size : cfg->cohort_size,
                              .max_n = r->max_n ? *r->max_n : cfg->max_n,
                              .start_dose = r->start_dose ? *r->start_dose : cfg->start_dose,
                              .target = cfg->target};
    const design_setup *s = &d->setup;
    if (s->cohort_size < 1 || s->cohort_size > DESIGN_MAX_COHORT) {
      snprintf(path, sizeof path, "designs[%u].cohort_size", i);
      return BAD("%s: %d; allowed: 1 to %d", where(c, path, w, sizeof w), s->cohort_size,
                 DESIGN_MAX_COHORT);
    }
    if (s->max_n < s->cohort_size || s->max_n > DESIGN_MAX_N) {
      snprintf(path, sizeof path, "designs[%u].max_n", i);
      return BAD("%s: %d; allowed: from cohort_size (%d) to %d", where(c, path, w, sizeof w),
                 s->max_n, s->cohort_size, DESIGN_MAX_N);
    }
    if (s->start_dose < 1 || s->start_dose > s->n_doses) {
      snprintf(path, sizeof path, "designs[%u].start_dose", i);
      return BAD("%s: %d; allowed: 1 to %d (the number of doses)", where(c, path, w, sizeof w),
                 s->start_dose, s->n_doses);
    }
    fill_options(r, sk, &d->opt);
    if ((d->params = calloc(1, d->type->params_size)) == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    snprintf(path, sizeof path, "designs[%u]", i);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s (%s)", where(c, path, w, sizeof w), r->name);
    dv_status st = d->type->configure(d->params, s, &d->opt, prefix, err);
    if (st != DV_OK)
      return st;
    d->opt.model = NULL; /* points into the raw document, which is freed */
  }
  return DV_OK;
}

static dv_status check(const ctx *c, const raw_config *rc, config *cfg, dv_error *err) {
  dv_status st = check_study(c, rc->study, cfg, err);
  if (st == DV_OK)
    st = check_scenarios(c, rc, cfg, err);
  if (st == DV_OK)
    st = check_designs(c, rc, cfg, err);
  if (st != DV_OK)
    return st;
  if ((cfg->study_name = strdup(rc->study->name)) == NULL ||
      (cfg->dose_unit = strdup(rc->study->dose_unit ? rc->study->dose_unit : "")) == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  cfg->trials = 100000;
  cfg->seed = 1;
  if (rc->simulation && rc->simulation->trials)
    cfg->trials = *rc->simulation->trials;
  if (rc->simulation && rc->simulation->seed)
    cfg->seed = *rc->simulation->seed;
  if (cfg->trials < 1 || cfg->trials > CONFIG_MAX_TRIALS) {
    char w[256];
    return BAD("%s: %llu; allowed: %s", where(c, "simulation.trials", w, sizeof w),
               (unsigned long long)cfg->trials, TRIALS_ALLOWED);
  }
  return DV_OK;
}

/* The config file's bytes (at most CONFIG_MAX_BYTES), NUL-terminated; the caller frees. The
 * buffer grows with the file: a large allocation freed early would raise glibc's mmap threshold
 * and make the run's big zeroed allocations cost a memset. */
static dv_status read_bytes(const char *path, char **text, size_t *len, dv_error *err) {
  *text = NULL;
  FILE *fp = fopen(path, "rb");
  if (fp == NULL)
    return error_set(err, DV_ECONFIG, "%s: cannot read the config: %s", path, strerror(errno));
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int bad = 0;
  while (!bad) {
    if (cap - n < 2) {
      cap = cap ? 2 * cap : 8192;
      char *b = cap > 2 * (size_t)CONFIG_MAX_BYTES ? NULL : realloc(buf, cap);
      if (b == NULL) {
        bad = ENOMEM;
        break;
      }
      buf = b;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, fp);
    n += got;
    if (got == 0) {
      bad = ferror(fp) ? EIO : 0;
      break;
    }
    if (n > CONFIG_MAX_BYTES)
      break;
  }
  fclose(fp);
  if (bad) {
    free(buf);
    return error_set(err, bad == ENOMEM ? DV_ENOMEM : DV_ECONFIG, "%s: cannot read the config: %s",
                     path, strerror(bad));
  }
  if (n > CONFIG_MAX_BYTES) {
    free(buf);
    return error_set(err, DV_ECONFIG, "%s: more than %d bytes; allowed: a config of at most %d",
                     path, CONFIG_MAX_BYTES, CONFIG_MAX_BYTES);
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return DV_OK;
}

uint64_t config_hash_bytes(const char *text, size_t len) { return hash_fnv1a64(text, len); }

dv_status config_load(const char *path, config **out, dv_error *err) {
  *out = NULL;
  char *text = NULL;
  size_t len = 0;
  dv_status st = read_bytes(path, &text, &len, err);
  if (st == DV_OK)
    st = config_load_text(path, text, len, out, err);
  free(text);
  return st;
}

dv_status config_load_text(const char *path, const char *text, size_t len, config **out,
                           dv_error *err) {
  *out = NULL;
  yaml_facts facts = {0};
  raw_config *rc = NULL;
  config *cfg = NULL;
  const cyaml_config_t cy = {.log_fn = discard_log,
                             .log_ctx = NULL,
                             .mem_fn = cyaml_mem,
                             .log_level = CYAML_LOG_ERROR,
                             .flags = CYAML_CFG_DEFAULT};
  const source src = {.file = path, .text = (const unsigned char *)text, .len = len};
  dv_status st = yaml_pass(&src, &facts, err);
  if (st == DV_OK) {
    cyaml_err_t e = cyaml_load_data(src.text, len, &cy, &top_schema, (cyaml_data_t **)&rc, NULL);
    if (e == CYAML_ERR_OOM)
      st = error_set(err, DV_ENOMEM, "config: out of memory");
    else if (e != CYAML_OK) /* the last resort: a refusal the libyaml pass does not explain */
      st = error_set(err, DV_ECONFIG,
                     "%s: refused by the YAML loader (%s) for a reason this version does not "
                     "name; allowed: a config as in SPEC section 5",
                     path, cyaml_strerror(e));
  }
  if (st == DV_OK && rc == NULL)
    st = error_set(err, DV_ECONFIG, "%s: the config is empty", path);
  if (st == DV_OK && (cfg = calloc(1, sizeof *cfg)) == NULL)
    st = error_set(err, DV_ENOMEM, "config: out of memory");
  if (st == DV_OK && ((cfg->path = strdup(path)) == NULL || (cfg->text = malloc(len + 1)) == NULL))
    st = error_set(err, DV_ENOMEM, "config: out of memory");
  if (st == DV_OK) {
    memcpy(cfg->text, text, len);
    cfg->text[len] = '\0';
    cfg->text_len = len;
    cfg->hash = config_hash_bytes(text, len);
    ctx c = {.file = path, .facts = &facts};
    st = check(&c, rc, cfg, err);
  }
  if (rc != NULL)
    cyaml_free(&cy, &top_schema, rc, 0);
  free(facts.keys);
  free(facts.opts);
  if (st != DV_OK) {
    config_free(cfg);
    return st;
  }
  *out = cfg;
  return DV_OK;
}

void config_free(config *c) {
  if (c == NULL)
    return;
  for (int i = 0; i < c->n_designs; i++) {
    free(c->designs[i].name);
    free(c->designs[i].params);
  }
  for (int i = 0; i < c->n_scenarios; i++)
    free(c->scenarios[i].name);
  for (int i = 0; i < c->n_warnings; i++)
    free(c->warnings[i]);
  free(c->designs);
  free(c->scenarios);
  free(c->warnings);
  free(c->study_name);
  free(c->dose_unit);
  free(c->path);
  free(c->text);
  free(c);
}

/* Keeps the entries whose names are listed, in config order; shared by the two selectors. */
#define SELECT_BY_NAME(items, count, kind, free_item)                                              \
  do {                                                                                             \
    for (int j = 0; j < n; j++) {                                                                  \
      bool found = false;                                                                          \
      for (int i = 0; i < c->count; i++)                                                           \
        found = found || strcmp(c->items[i].name, names[j]) == 0;                                  \
      if (!found)                                                                                  \
        return error_set(err, DV_EUSAGE, "--" kind ": '%s' is not in %s", names[j], c->path);      \
    }                                                                                              \
    int kept = 0;                                                                                  \
    for (int i = 0; i < c->count; i++) {                                                           \
      bool keep = false;                                                                           \
      for (int j = 0; j < n; j++)                                                                  \
        keep = keep || strcmp(c->items[i].name, names[j]) == 0;                                    \
      if (keep)                                                                                    \
        c->items[kept++] = c->items[i];                                                            \
      else                                                                                         \
        free_item(&c->items[i]);                                                                   \
    }                                                                                              \
    c->count = kept;                                                                               \
  } while (0)

static void free_design(config_design *d) {
  free(d->name);
  free(d->params);
}
static void free_scenario(config_scenario *s) { free(s->name); }

dv_status config_select_designs(config *c, const char *const *names, int n, dv_error *err) {
  if (n > 0)
    SELECT_BY_NAME(designs, n_designs, "design", free_design);
  return DV_OK;
}

dv_status config_select_scenarios(config *c, const char *const *names, int n, dv_error *err) {
  if (n > 0)
    SELECT_BY_NAME(scenarios, n_scenarios, "scenario", free_scenario);
  return DV_OK;
}

int config_true_mtd(const double *p, int k, double phi) {
  int best = 1;
  for (int d = 2; d <= k; d++)
    if (fabs(p[d - 1] - phi) < fabs(p[best - 1] - phi) - 1e-12)
      best = d;
  return best;
}

int config_patients_per_trial(const config *c) {
  int m = c->max_n;
  for (int i = 0; i < c->n_designs; i++)
    if (c->designs[i].setup.max_n > m)
      m = c->designs[i].setup.max_n;
  return m;
}
