/* config.c — SPEC section 5: the libcyaml schema of the fixed shapes (study, scenarios,
 * simulation), a libyaml pass that knows every key's path and line and keeps the designs as a
 * tree of nodes, and validation. A design entry is a union of per-design schemas, which
 * libcyaml's static schema cannot express (tlsa/libcyaml#90): each design's option table
 * (design.h) says what it accepts, src/study/options.c reads the values, and src/engine/rules.c the
 * rules. Nothing here names a design or one of its keys. */
#include "config.h"

#include "hash.h"
#include "names.h"
#include "number.h"
#include "options.h"
#include "rules.h"
#include "timing.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "random_scenarios.h"

/* ---- the raw document, as libcyaml loads it ---- */

typedef struct {
  char *name;
  double *doses;
  unsigned doses_count;
  char *dose_unit;
  double *target;
  int *cohort_size, *max_n, *start_dose;
  double *too_toxic;
  double *acceptable;
  unsigned acceptable_count;
  timing_raw time; /* dlt_window, accrual, dlt_onset (timing.h) */
  double *eff_tox_correlation;
} raw_study;

typedef struct {
  char *name;
  double *p_tox;
  unsigned p_tox_count;
  double *p_eff;
  unsigned p_eff_count;
} raw_scenario;

typedef struct {
  uint64_t *trials, *seed;
} raw_simulation;

typedef struct {
  uint64_t *count;
  char *method;
} raw_random;

typedef struct {
  raw_study *study;
  raw_scenario *scenarios;
  unsigned scenarios_count;
  raw_random *random_scenarios;
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
    CYAML_FIELD_FLOAT_PTR("too_toxic", OPT, raw_study, too_toxic),
    CYAML_FIELD_SEQUENCE("acceptable", OPT, raw_study, acceptable, &real_entry, 1, CYAML_UNLIMITED),
    TIMING_STUDY_FIELDS(raw_study, time),
    CYAML_FIELD_FLOAT_PTR("eff_tox_correlation", OPT, raw_study, eff_tox_correlation),
    CYAML_FIELD_END};

static const cyaml_schema_field_t scenario_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_scenario, name, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("p_tox", CYAML_FLAG_POINTER, raw_scenario, p_tox, &real_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("p_eff", OPT, raw_scenario, p_eff, &real_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_END};

static const cyaml_schema_value_t scenario_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_scenario, scenario_fields)};

static const cyaml_schema_field_t simulation_fields[] = {
    CYAML_FIELD_UINT_PTR("trials", OPT, raw_simulation, trials),
    CYAML_FIELD_UINT_PTR("seed", OPT, raw_simulation, seed), CYAML_FIELD_END};

static const cyaml_schema_field_t random_fields[] = {
    CYAML_FIELD_UINT_PTR("count", CYAML_FLAG_POINTER, raw_random, count),
    CYAML_FIELD_STRING_PTR("method", CYAML_FLAG_POINTER, raw_random, method, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_MAPPING_PTR("study", CYAML_FLAG_POINTER, raw_config, study, study_fields),
    CYAML_FIELD_IGNORE("designs", CYAML_FLAG_DEFAULT), /* the libyaml pass keeps them */
    CYAML_FIELD_SEQUENCE("scenarios", OPT, raw_config, scenarios, &scenario_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_MAPPING_PTR("random_scenarios", OPT, raw_config, random_scenarios, random_fields),
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
 * messages name the key path, line and what is allowed), and the designs kept as nodes ---- */

typedef struct {
  char path[96];
  int line;
} key_line;

/* A node under `designs` (which has no static schema): a scalar, a list or a mapping. */
typedef enum { NODE_SCALAR, NODE_LIST, NODE_MAP } node_kind;
typedef struct {
  char path[96]; /* "designs[1].KEY[0]" */
  int line;
  node_kind kind;
  int parent; /* index of the enclosing node, -1 for `designs` itself */
  char *text; /* scalars: the text (owned) */
  size_t len; /* ... its bytes */
  bool null;  /* ... YAML's null */
} yaml_node;

typedef struct {
  key_line *keys;
  int n, cap;
  yaml_node *nodes;
  int n_nodes, cap_nodes;
} yaml_facts;

static void facts_free(yaml_facts *f) {
  for (int i = 0; i < f->n_nodes; i++)
    free(f->nodes[i].text);
  free(f->nodes);
  free(f->keys);
}

static dv_status add_node(yaml_facts *f, const char *path, int line, node_kind kind, int parent,
                          const yaml_event_t *ev, bool null, dv_error *err) {
  if (f->n_nodes == f->cap_nodes) {
    int cap = f->cap_nodes ? 2 * f->cap_nodes : 64;
    yaml_node *n = realloc(f->nodes, (size_t)cap * sizeof *n);
    if (n == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    f->nodes = n;
    f->cap_nodes = cap;
  }
  yaml_node *n = &f->nodes[f->n_nodes];
  *n = (yaml_node){.line = line, .kind = kind, .parent = parent, .null = null};
  snprintf(n->path, sizeof n->path, "%s", path);
  if (kind == NODE_SCALAR) {
    n->len = ev->data.scalar.length;
    if ((n->text = malloc(n->len + 1)) == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    memcpy(n->text, ev->data.scalar.value, n->len);
    n->text[n->len] = '\0';
  }
  f->n_nodes++;
  return DV_OK;
}

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
  bool free_form;                     /* under `designs`: kept as nodes, no schema */
  int node;                           /* free_form: its node */
  int first_key;                      /* free_form mapping: its keys start here in keys[] */
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
  else if (strcmp(key, "count") == 0) /* random_scenarios.count, checked in check_random */
    snprintf(buf, len, "a whole number from 1 to %d", RANDOM_SCENARIOS_MAX);
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

/* Whether a scalar (text, n bytes, YAML null or not) can be a value of `v` under key `key` (the
 * last key of its path,
 * "" in a list). If not, `found` says what it is and `allowed` what would be. Everything
 * libcyaml would refuse is refused here first, so its messages never reach the user. */
static bool scalar_fits(const cyaml_schema_value_t *v, const char *key, const char *text, size_t n,
                        bool null, char *found, size_t flen, char *allowed, size_t alen) {
  char q[96];
  snprintf(allowed, alen, "%s", allowed_of(v));
  if (v->type == CYAML_STRING)
    text_allowed(key, allowed, alen);
  if (null) {
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
    double strict;
    if (number && isfinite(x) && number_real(text, &strict) != NUMBER_OK) {
      /* hexadecimal ("0x1p-2") or padded: strtod (and libcyaml) would read it; no one means it */
      snprintf(found, flen, "%s is not written in decimal", q);
      snprintf(allowed, alen, "a finite number written in decimal");
      return false;
    }
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
    /* every form of a wrong value is answered with the key's real range */
    whole_allowed(key, v, allowed, alen);
    if (leading_zero(text)) { /* libcyaml reads integers with base 0: "0100" would be 64 */
      snprintf(allowed + strlen(allowed), alen - strlen(allowed),
               " written in decimal, without leading zeros");
      return false;
    }
    long long x = 0;
    if (v->type == CYAML_INT)
      x = strtoll(text, &end, 10);
    else
      (void)strtoull(text, &end, 10);
    if (end == text || *end != '\0')
      return false;
    /* padded (" 5", a quoted text) or with a '+': strtoll reads them; refused as not decimal */
    const char *digits = text + (text[0] == '-');
    if (!(digits[0] >= '0' && digits[0] <= '9')) {
      snprintf(found, flen, "%s is not a decimal number", q);
      return false;
    }
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
        for (int k = top->free_form ? top->first_key : f->n; k < f->n && st == DV_OK; k++)
          if (strcmp(f->keys[k].path, path) == 0)
            BADF("%s:%d: %s: given twice (lines %d and %d); allowed: each key once", file, line,
                 path, f->keys[k].line, line);
        if (st == DV_OK)
          st = note_key(f, path, line, err);
        top->value = NULL;
        for (int i = 0; st == DV_OK && top->fields && top->fields[i].key != NULL; i++)
          if (strcmp(top->fields[i].key, top->key) == 0) {
            /* libcyaml refuses a repeat in its own words, or lets the last win where it ignores
             * the key (designs): refuse every repeat here, naming both lines */
            if (top->seen >> i & 1) {
              BADF("%s:%d: %s: given twice (lines %d and %d); allowed: each key once", file, line,
                   path, top->seen_line[i], line);
              break;
            }
            top->value = &top->fields[i].value;
            top->seen |= (uint64_t)1 << i;
            top->seen_line[i] = line;
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
    if (top && is_node) {
      if (top->is_map) {
        path_join(path, sizeof path, top->path, top->key, -1);
        want = top->value;
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
    /* under `designs`: a node, judged later against the design's own table */
    if (st == DV_OK && top && is_node && ev.type != YAML_ALIAS_EVENT &&
        (top->free_form || (want && want->type == CYAML_IGNORE))) {
      node_kind kind = ev.type == YAML_SCALAR_EVENT           ? NODE_SCALAR
                       : ev.type == YAML_SEQUENCE_START_EVENT ? NODE_LIST
                                                              : NODE_MAP;
      st = add_node(f, path, line, kind, top->free_form ? top->node : -1, &ev,
                    kind == NODE_SCALAR && is_null(&ev), err);
      if (st == DV_OK && kind != NODE_SCALAR) {
        if (depth == (int)(sizeof stack / sizeof stack[0]))
          BADF("%s:%d: nested too deeply", file, line);
        else
          stack[depth++] = (frame){.is_map = kind == NODE_MAP,
                                   .line = line,
                                   .key_next = true,
                                   .free_form = true,
                                   .node = f->n_nodes - 1,
                                   .first_key = f->n};
        if (st == DV_OK)
          snprintf(stack[depth - 1].path, sizeof stack[depth - 1].path, "%s", path);
      }
      yaml_event_delete(&ev);
      continue;
    }
    switch (ev.type) {
    case YAML_SCALAR_EVENT: {
      const char *text = (const char *)ev.data.scalar.value;
      char found[160], allowed[160], q[96];
      if (is_null(&ev))
        snprintf(q, sizeof q, "empty (null)");
      else
        quoted(text, q, sizeof q);
      if (want && (want->type == CYAML_SEQUENCE || want->type == CYAML_MAPPING))
        BADF("%s:%d: %s: %s; allowed: %s", file, line, path[0] ? path : "the config", q,
             allowed_of(want));
      else if (want && !scalar_fits(want, key, text, ev.data.scalar.length, is_null(&ev), found,
                                    sizeof found, allowed, sizeof allowed))
        BADF("%s:%d: %s: %s; allowed: %s", file, line, path, found, allowed);
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
      depth++;
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

/* where() in timing.h's shape, for timing_check. */
static const char *where_time(const void *c, const char *path, char *buf, size_t len) {
  return where(c, path, buf, len);
}

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
  /* SPEC section 8: every dose at or above too_toxic (1.4 x target by default) means no true
   * MTD; the acceptable doses' p lie within [lo, hi] (target -/+ 0.05 by default) */
  double tt = rs->too_toxic ? *rs->too_toxic : fmin(1.4 * t, 1.0);
  if (!(tt > t && tt <= 1.0))
    return BAD("%s: %g; allowed: a probability above the target (%g) and at most 1",
               where(c, "study.too_toxic", w, sizeof w), tt, t);
  cfg->too_toxic = tt;
  cfg->acceptable[0] = fmax(t - 0.05, 0.0);
  cfg->acceptable[1] = fmin(t + 0.05, 1.0);
  if (rs->acceptable) {
    const char *allowed = "two probabilities [lo, hi] with 0 <= lo < hi <= 1";
    if (rs->acceptable_count != 2)
      return BAD("%s: %u value%s; allowed: %s", where(c, "study.acceptable", w, sizeof w),
                 rs->acceptable_count, rs->acceptable_count == 1 ? "" : "s", allowed);
    double lo = rs->acceptable[0], hi = rs->acceptable[1];
    if (!(lo >= 0.0 && hi <= 1.0 && lo < hi))
      return BAD("%s: [%g, %g]; allowed: %s", where(c, "study.acceptable", w, sizeof w), lo, hi,
                 allowed);
    cfg->acceptable[0] = lo;
    cfg->acceptable[1] = hi;
  }
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
  /* SPEC 13: the Gaussian copula's correlation between a patient's two tolerances; +-1 would
   * make one tolerance a function of the other, which the copula's formula cannot give */
  cfg->eff_tox_correlation = rs->eff_tox_correlation ? *rs->eff_tox_correlation : 0.0;
  if (!(cfg->eff_tox_correlation > -1.0 && cfg->eff_tox_correlation < 1.0))
    return BAD("%s: %g; allowed: a correlation strictly between -1 and 1 (default 0)",
               where(c, "study.eff_tox_correlation", w, sizeof w), cfg->eff_tox_correlation);
  return timing_check(&rs->time, where_time, c, &cfg->time, err);
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

/* random_scenarios (SPEC section 7). The curves themselves are drawn when asked for
 * (config_scenario_at, scenarios.c), from the run's seed, so holding them costs no memory. */
static dv_status check_random(const ctx *c, const raw_random *rr, config *cfg, dv_error *err) {
  char w[256];
  if (rr == NULL)
    return DV_OK;
  if (strcmp(rr->method, "pseudo-uniform") != 0)
    return BAD("%s: '%s'; allowed: pseudo-uniform (Clertant & O'Quigley 2017)",
               where(c, "random_scenarios.method", w, sizeof w), rr->method);
  if (*rr->count < 1 || *rr->count > RANDOM_SCENARIOS_MAX)
    return BAD("%s: %llu; allowed: 1 to %d curves", where(c, "random_scenarios.count", w, sizeof w),
               (unsigned long long)*rr->count, RANDOM_SCENARIOS_MAX);
  cfg->n_random = cfg->random_in_file = (int)*rr->count;
  return DV_OK;
}

/* The first named scenario whose name repeats an earlier one's (-1: none), in one pass. */
static dv_status first_repeat(const raw_config *rc, long *at, dv_error *err) {
  *at = -1;
  names *set = NULL;
  dv_status st = names_alloc(&set, rc->scenarios_count, err);
  for (unsigned i = 0; st == DV_OK && i < rc->scenarios_count && *at < 0; i++)
    if (names_add(set, rc->scenarios[i].name, (long)i) >= 0)
      *at = (long)i;
  names_free(set);
  return st;
}

static dv_status check_scenarios(const ctx *c, const raw_config *rc, config *cfg, dv_error *err) {
  char path[96], w[256];
  if (rc->scenarios == NULL && rc->random_scenarios == NULL)
    return BAD("%s: no scenarios; required: scenarios, random_scenarios or both", c->file);
  long repeat;
  dv_status rst = first_repeat(rc, &repeat, err);
  if (rst != DV_OK)
    return rst;
  if (rc->scenarios_count > 0 &&
      (cfg->named = calloc(rc->scenarios_count, sizeof *cfg->named)) == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  cfg->n_named = (int)rc->scenarios_count;
  for (unsigned i = 0; i < rc->scenarios_count; i++) {
    const raw_scenario *rs = &rc->scenarios[i];
    config_named *s = &cfg->named[i];
    s->index = (int)i;
    snprintf(s->name, sizeof s->name, "%s", rs->name);
    if ((long)i == repeat) {
      snprintf(path, sizeof path, "scenarios[%u].name", i);
      return BAD("%s: '%s' is used twice; allowed: unique scenario names",
                 where(c, path, w, sizeof w), rs->name);
    }
    if (strcmp(rs->name, "random") == 0 || strncmp(rs->name, "random ", 7) == 0) {
      snprintf(path, sizeof path, "scenarios[%u].name", i);
      return BAD("%s: '%s'; allowed: a name other than 'random' and 'random ...' (the names of "
                 "random_scenarios)",
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
    if (rs->p_eff != NULL) {
      snprintf(path, sizeof path, "scenarios[%u].p_eff", i);
      if ((int)rs->p_eff_count != cfg->n_doses)
        return BAD("%s: %u values; allowed: one per dose (%d)", where(c, path, w, sizeof w),
                   rs->p_eff_count, cfg->n_doses);
      for (unsigned d = 0; d < rs->p_eff_count; d++) {
        if (!is_prob(rs->p_eff[d]))
          return BAD("%s: %g (dose %u); allowed: probabilities in [0,1]",
                     where(c, path, w, sizeof w), rs->p_eff[d], d + 1);
        s->p_eff[d] = rs->p_eff[d];
      }
      s->has_eff = true;
      snprintf(path, sizeof path, "scenarios[%u].p_tox", i);
    }
    if (!monotone) {
      char msg[320];
      snprintf(msg, sizeof msg, "warning: %s: scenario '%s' is not non-decreasing in dose",
               where(c, path, w, sizeof w), rs->name);
      dv_status st = add_warning(cfg, msg, err);
      if (st != DV_OK)
        return st;
    }
  }
  dv_status st = check_random(c, rc->random_scenarios, cfg, err);
  cfg->n_scenarios = cfg->n_named + cfg->n_random;
  return st;
}

/* ---- designs: judged node by node against each design's option table ---- */

static const cyaml_schema_value_t text_value = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED)};
static const cyaml_schema_value_t int_value = {CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int)};

/* Keys every design entry may have, whatever its type; the rest are the type's options. */
static const char *const common_keys[] = {"name",       "type",  "cohort_size", "max_n",
                                          "start_dose", "rules", NULL};

static const char *node_kind_name(node_kind k) {
  return k == NODE_SCALAR ? "a single value" : k == NODE_LIST ? "a list" : "a mapping";
}

/* The next child of node `parent` after index `after` (-1: the first), or -1. */
static int next_child(const yaml_facts *f, int parent, int after) {
  for (int k = after + 1; k < f->n_nodes; k++)
    if (f->nodes[k].parent == parent)
      return k;
  return -1;
}

/* The key of a mapping's child: the last part of its path. */
static const char *child_key(const yaml_facts *f, int child) {
  const yaml_node *n = &f->nodes[child];
  return n->path + strlen(f->nodes[n->parent].path) + 1;
}

/* The child of mapping `parent` under `key`, or -1. */
static int child_of(const yaml_facts *f, int parent, const char *key) {
  for (int k = next_child(f, parent, -1); k >= 0; k = next_child(f, parent, k))
    if (strcmp(child_key(f, k), key) == 0)
      return k;
  return -1;
}

/* "FILE:LINE: PATH", with the line of `path` or else of `fallback`. */
static const char *where_or(const ctx *c, const char *path, const char *fallback, char *buf,
                            size_t len) {
  char line[16];
  if (file_line(c->facts, path, line, sizeof line)[0] == '\0')
    file_line(c->facts, fallback, line, sizeof line);
  snprintf(buf, len, "%s%s: %s", c->file, line, path);
  return buf;
}

/* A message "KEY: rest" from options, a rule or a design's configure, placed under `prefix`
 * ("designs[2]"): "FILE:LINE: designs[2].KEY: rest". */
static dv_status placed(const ctx *c, const char *prefix, const dv_error *local, dv_error *err) {
  char key[96], path[192], w[256];
  const char *colon = strstr(local->msg, ": ");
  size_t n = colon ? (size_t)(colon - local->msg) : 0;
  if (n >= sizeof key || strchr(local->msg, ' ') < colon)
    n = 0;
  memcpy(key, local->msg, n);
  key[n] = '\0';
  if (n > 0)
    snprintf(path, sizeof path, "%s.%s", prefix, key);
  else
    snprintf(path, sizeof path, "%s", prefix);
  return error_set(err, local->code, "%s%s", where_or(c, path, prefix, w, sizeof w),
                   local->msg + (n > 0 ? n : 0));
}

/* A text (name, type) under node `parent`: present, a valid text. */
static dv_status node_text(const ctx *c, int parent, const char *key, const char **out,
                           dv_error *err) {
  const yaml_facts *f = c->facts;
  char w[256], found[160], allowed[160], path[128];
  int k = child_of(f, parent, key);
  snprintf(path, sizeof path, "%s.%s", f->nodes[parent].path, key);
  if (k < 0)
    return BAD("%s: missing; required keys here: name, type",
               where_or(c, path, f->nodes[parent].path, w, sizeof w));
  const yaml_node *n = &f->nodes[k];
  if (n->kind != NODE_SCALAR)
    return BAD("%s: found %s; allowed: a text", where(c, path, w, sizeof w),
               node_kind_name(n->kind));
  if (!scalar_fits(&text_value, key, n->text, n->len, n->null, found, sizeof found, allowed,
                   sizeof allowed))
    return BAD("%s: %s; allowed: %s", where(c, path, w, sizeof w), found, allowed);
  *out = n->text;
  return DV_OK;
}

/* An optional whole number of the study frame (cohort_size, max_n, start_dose) under `parent`. */
static dv_status node_int(const ctx *c, int parent, const char *key, int *out, dv_error *err) {
  const yaml_facts *f = c->facts;
  char w[256], found[160], allowed[160];
  int k = child_of(f, parent, key);
  if (k < 0)
    return DV_OK;
  const yaml_node *n = &f->nodes[k];
  if (n->kind != NODE_SCALAR) {
    whole_allowed(key, &int_value, allowed, sizeof allowed);
    return BAD("%s: found %s; allowed: %s", where(c, n->path, w, sizeof w), node_kind_name(n->kind),
               allowed);
  }
  if (!scalar_fits(&int_value, key, n->text, n->len, n->null, found, sizeof found, allowed,
                   sizeof allowed))
    return BAD("%s: %s; allowed: %s", where(c, n->path, w, sizeof w), found, allowed);
  *out = (int)strtol(n->text, NULL, 10);
  return DV_OK;
}

/* The keys of a table that start with `prefix` ("" for the top level: keys without a dot),
 * after `first` (a list of fixed keys, may be NULL). */
static void table_keys(const design_option *opts, const char *const *first, const char *prefix,
                       char *buf, size_t len) {
  size_t used = 0, plen = strlen(prefix);
  buf[0] = '\0';
  for (int i = 0; first != NULL && first[i] != NULL && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", first[i]);
  for (int i = 0; opts != NULL && opts[i].key != NULL && used < len; i++) {
    const char *k = opts[i].key;
    if (plen ? strncmp(k, prefix, plen) == 0 : strchr(k, '.') == NULL)
      used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", k + plen);
  }
}

static bool has_prefix(const design_option *opts, const char *prefix) {
  size_t plen = strlen(prefix);
  for (int i = 0; opts != NULL && opts[i].key != NULL; i++)
    if (strncmp(opts[i].key, prefix, plen) == 0)
      return true;
  return false;
}

/* Reads one option value (node k) into `out` by its table; `base` is the option key of k
 * ("KEY", or "KEY.SUB" for a key of a nested mapping); messages are placed under `prefix`. */
static dv_status read_value(const ctx *c, const char *prefix, const design_option *opts,
                            const char *const *common, const char *what, int k, const char *base,
                            const design_setup *setup, void *out, dv_error *err) {
  const yaml_facts *f = c->facts;
  const yaml_node *n = &f->nodes[k];
  const design_option *o = options_find(opts, base);
  char w[256], keys[512], sub[128];
  dv_error local = {0};
  if (n->kind == NODE_MAP) {
    snprintf(sub, sizeof sub, "%s.", base);
    if (!has_prefix(opts, sub)) {
      if (o == NULL)
        goto unknown;
      char allowed[256];
      options_allowed(o, setup, allowed, sizeof allowed);
      return BAD("%s: found a mapping; allowed: %s", where(c, n->path, w, sizeof w), allowed);
    }
    for (int ch = next_child(f, k, -1); ch >= 0; ch = next_child(f, k, ch)) {
      char key[128];
      snprintf(key, sizeof key, "%s%s", sub, child_key(f, ch));
      if (options_find(opts, key) == NULL) {
        table_keys(opts, NULL, sub, keys, sizeof keys);
        return BAD("%s: unknown key; allowed: %s", where(c, f->nodes[ch].path, w, sizeof w), keys);
      }
      dv_status st = read_value(c, prefix, opts, common, what, ch, key, setup, out, err);
      if (st != DV_OK)
        return st;
    }
    return DV_OK;
  }
  if (o == NULL)
    goto unknown;
  if (n->kind == NODE_LIST) {
    const char *texts[DESIGN_MAX_DOSES + 1];
    int count = 0;
    for (int ch = next_child(f, k, -1); ch >= 0; ch = next_child(f, k, ch)) {
      const yaml_node *e = &f->nodes[ch];
      if (o->kind != DESIGN_OPT_REALS || e->kind != NODE_SCALAR || e->null) {
        char allowed[256];
        options_allowed(o, setup, allowed, sizeof allowed);
        return BAD("%s: found %s; allowed: %s",
                   where(c, o->kind != DESIGN_OPT_REALS ? n->path : e->path, w, sizeof w),
                   o->kind != DESIGN_OPT_REALS ? "a list"
                   : e->null                   ? "empty (null)"
                                               : node_kind_name(e->kind),
                   allowed);
      }
      if (count <= DESIGN_MAX_DOSES)
        texts[count] = e->text;
      count++;
    }
    if (count > DESIGN_MAX_DOSES + 1)
      count = DESIGN_MAX_DOSES + 1;
    if (options_set_list(o, setup, out, texts, count, &local) != DV_OK)
      return placed(c, prefix, &local, err);
    return DV_OK;
  }
  if (n->null || o->kind == DESIGN_OPT_REALS) {
    char allowed[256], q[96];
    options_allowed(o, setup, allowed, sizeof allowed);
    return BAD("%s: %s; allowed: %s%s%s%s", where(c, n->path, w, sizeof w),
               n->null ? "empty (null)" : quoted(n->text, q, sizeof q), allowed,
               o->help ? " (" : "", o->help ? o->help : "", o->help ? ")" : "");
  }
  if (options_set(o, setup, out, n->text, &local) != DV_OK)
    return placed(c, prefix, &local, err);
  return DV_OK;
unknown:
  table_keys(opts, common, "", keys, sizeof keys);
  return BAD("%s: unknown key for %s; allowed: %s", where(c, n->path, w, sizeof w), what, keys);
}

/* The required options of a table that were not written under node `k`. */
static dv_status check_required(const ctx *c, int k, const design_option *opts,
                                const design_setup *setup, dv_error *err) {
  char w[256], path[192], allowed[256];
  for (int i = 0; opts[i].key != NULL; i++) {
    if (!opts[i].required || child_of(c->facts, k, opts[i].key) >= 0)
      continue;
    snprintf(path, sizeof path, "%s.%s", c->facts->nodes[k].path, opts[i].key);
    options_allowed(&opts[i], setup, allowed, sizeof allowed);
    return BAD("%s: missing; allowed: %s (%s)",
               where_or(c, path, c->facts->nodes[k].path, w, sizeof w), allowed, opts[i].help);
  }
  return DV_OK;
}

/* designs[i].rules: a list of one-key mappings {RULE: VALUE}. */
static dv_status read_rules(const ctx *c, int k, config_design *d, dv_error *err) {
  const yaml_facts *f = c->facts;
  char w[256], names[256];
  rule_type_names(names, sizeof names);
  const yaml_node *list = &f->nodes[k];
  if (list->kind != NODE_LIST)
    return BAD("%s: %s%s; allowed: a list of rules, each {RULE: ...} "
               "with RULE one of %s",
               where(c, list->path, w, sizeof w), list->null ? "" : "found ",
               list->null ? "empty (null)" : node_kind_name(list->kind), names);
  for (int e = next_child(f, k, -1); e >= 0; e = next_child(f, k, e)) {
    const yaml_node *entry = &f->nodes[e];
    int only = next_child(f, e, -1);
    if (entry->kind != NODE_MAP || only < 0 || next_child(f, e, only) >= 0)
      return BAD("%s: found %s; allowed: a mapping with one key, the rule: one of %s",
                 where(c, entry->path, w, sizeof w),
                 entry->kind == NODE_MAP ? "a mapping with more or fewer than one key"
                                         : node_kind_name(entry->kind),
                 names);
    if (d->n_rules == POLICY_MAX_RULES)
      return BAD("%s: allowed: at most %d rules", where(c, entry->path, w, sizeof w),
                 POLICY_MAX_RULES);
    const char *name = child_key(f, only);
    const rule_type *t = rule_lookup(name);
    const yaml_node *v = &f->nodes[only];
    if (t == NULL)
      return BAD("%s: not a rule; allowed: %s", where(c, v->path, w, sizeof w), names);
    design_rule *r = &d->rules[d->n_rules];
    options_defaults(t->options, sizeof *r, &d->setup, r);
    dv_status st = DV_OK;
    if (v->kind == NODE_SCALAR && t->scalar_key != NULL) {
      st =
          read_value(c, v->path, t->options, NULL, t->name, only, t->scalar_key, &d->setup, r, err);
    } else if (v->kind == NODE_MAP) {
      for (int ch = next_child(f, only, -1); ch >= 0 && st == DV_OK; ch = next_child(f, only, ch))
        st = read_value(c, v->path, t->options, NULL, t->name, ch, child_key(f, ch), &d->setup, r,
                        err);
      if (st == DV_OK)
        st = check_required(c, only, t->options, &d->setup, err);
    } else {
      char keys[256];
      table_keys(t->options, NULL, "", keys, sizeof keys);
      return BAD("%s: found %s; allowed: a mapping with %s%s%s", where(c, v->path, w, sizeof w),
                 v->null ? "empty (null)" : node_kind_name(v->kind), keys,
                 t->scalar_key ? ", or the value of " : "", t->scalar_key ? t->scalar_key : "");
    }
    dv_error local = {0};
    if (st == DV_OK && rule_finish(t, r, &d->setup, &local) != DV_OK)
      st = placed(c, v->path, &local, err);
    if (st != DV_OK)
      return st;
    /* the label: the rule's name, numbered when the design repeats it */
    int same = 1;
    for (int j = 0; j < d->n_rules; j++)
      same += d->rules[j].kind == t->kind;
    char label[64];
    if (same > 1)
      snprintf(label, sizeof label, "%s (%d)", t->name, same);
    else
      snprintf(label, sizeof label, "%s", t->name);
    if ((d->rule_labels[d->n_rules] = strdup(label)) == NULL)
      return error_set(err, DV_ENOMEM, "config: out of memory");
    r->reason = d->rule_labels[d->n_rules];
    d->n_rules++;
  }
  return DV_OK;
}

static dv_status check_design(const ctx *c, int k, int i, config *cfg, dv_error *err) {
  const yaml_facts *f = c->facts;
  config_design *d = &cfg->designs[i];
  const yaml_node *entry = &f->nodes[k];
  char path[96], w[256], names[256];
  d->index = i;
  if (entry->kind != NODE_MAP)
    return BAD("%s: found %s; allowed: a mapping with name, type and the design's options",
               where(c, entry->path, w, sizeof w), node_kind_name(entry->kind));
  const char *name, *type;
  dv_status st = node_text(c, k, "name", &name, err);
  if (st == DV_OK)
    st = node_text(c, k, "type", &type, err);
  if (st != DV_OK)
    return st;
  if ((d->name = strdup(name)) == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  bool clash = strcmp(name, "benchmark") == 0 || strstr(name, " vs ") != NULL;
  for (int j = 0; j < i; j++)
    clash = clash || strcmp(cfg->designs[j].name, name) == 0;
  snprintf(path, sizeof path, "%s.name", entry->path);
  if (clash)
    return BAD("%s: '%s' is used twice or reserved; allowed: unique names other than "
               "'benchmark', without ' vs '",
               where(c, path, w, sizeof w), name);
  snprintf(path, sizeof path, "%s.type", entry->path);
  d->type = design_lookup(type);
  if (d->type == NULL) {
    design_type_names(names, sizeof names);
    return BAD("%s: '%s' is not a design type; allowed: %s", where(c, path, w, sizeof w), type,
               names);
  }
  d->setup = (design_setup){.n_doses = cfg->n_doses,
                            .cohort_size = cfg->cohort_size,
                            .max_n = cfg->max_n,
                            .start_dose = cfg->start_dose,
                            .target = cfg->target,
                            .doses = cfg->doses};
  design_setup *s = &d->setup;
  if ((st = node_int(c, k, "cohort_size", &s->cohort_size, err)) != DV_OK ||
      (st = node_int(c, k, "max_n", &s->max_n, err)) != DV_OK ||
      (st = node_int(c, k, "start_dose", &s->start_dose, err)) != DV_OK)
    return st;
  if (s->cohort_size < 1 || s->cohort_size > DESIGN_MAX_COHORT) {
    snprintf(path, sizeof path, "%s.cohort_size", entry->path);
    return BAD("%s: %d; allowed: 1 to %d", where_or(c, path, entry->path, w, sizeof w),
               s->cohort_size, DESIGN_MAX_COHORT);
  }
  if (s->max_n < s->cohort_size || s->max_n > DESIGN_MAX_N) {
    snprintf(path, sizeof path, "%s.max_n", entry->path);
    return BAD("%s: %d; allowed: from cohort_size (%d) to %d",
               where_or(c, path, entry->path, w, sizeof w), s->max_n, s->cohort_size, DESIGN_MAX_N);
  }
  if (s->start_dose < 1 || s->start_dose > s->n_doses) {
    snprintf(path, sizeof path, "%s.start_dose", entry->path);
    return BAD("%s: %d; allowed: 1 to %d (the number of doses)",
               where_or(c, path, entry->path, w, sizeof w), s->start_dose, s->n_doses);
  }
  if ((d->options = calloc(1, d->type->options_size ? d->type->options_size : 1)) == NULL ||
      (d->params = calloc(1, d->type->params_size ? d->type->params_size : 1)) == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  options_defaults(d->type->options, d->type->options_size, s, d->options);
  char what[96];
  snprintf(what, sizeof what, "design type '%s'", d->type->name);
  for (int ch = next_child(f, k, -1); ch >= 0 && st == DV_OK; ch = next_child(f, k, ch)) {
    const char *key = child_key(f, ch);
    bool common = false;
    for (int j = 0; common_keys[j] != NULL; j++)
      common = common || strcmp(common_keys[j], key) == 0;
    if (strcmp(key, "rules") == 0)
      st = read_rules(c, ch, d, err);
    else if (!common)
      st = read_value(c, entry->path, d->type->options, common_keys, what, ch, key, s, d->options,
                      err);
  }
  if (st == DV_OK)
    st = check_required(c, k, d->type->options, s, err);
  if (st != DV_OK)
    return st;
  dv_error local = {0};
  if (options_check_values(d->type->options, s, d->options, &local) != DV_OK)
    return placed(c, entry->path, &local, err);
  if (d->type->configure(d->params, s, d->options, &local) != DV_OK)
    return placed(c, entry->path, &local, err);
  if (policy_init(&d->policy, d->type, d->params, s, d->rules, d->n_rules, &local) != DV_OK)
    return placed(c, entry->path, &local, err);
  /* SPEC 11, 13: a design that places side patients (arrivals while its cohort waits) needs
   * arrivals: a study with time; its key that turns them on says so (needs_time) */
  if (!cfg->time.on && design_side_most(d->type, d->params) > 0)
    for (int i = 0; d->type->options[i].key != NULL; i++) {
      if (!d->type->options[i].needs_time)
        continue;
      snprintf(path, sizeof path, "%s.%s", entry->path, d->type->options[i].key);
      return BAD("%s: needs a study with time; allowed: this key only with study.dlt_window "
                 "and study.accrual (SPEC 11), since it places arrivals while a cohort's "
                 "outcomes are pending (%s)",
                 where_or(c, path, entry->path, w, sizeof w), d->type->options[i].help);
    }
  return DV_OK;
}

/* A design that reads responses (SPEC 13) needs every scenario's p_eff: random curves have none,
 * and a named scenario without one would leave its patients without a response law. */
static dv_status check_responses(const ctx *c, config *cfg, dv_error *err) {
  char w[256], path[96];
  for (int j = 0; j < cfg->n_designs; j++) {
    const config_design *d = &cfg->designs[j];
    /* a design that places side patients reads responses too: side_dose reads those known */
    if (!d->type->reads_responses && design_side_most(d->type, d->params) == 0)
      continue;
    for (int i = 0; i < cfg->n_named; i++)
      if (!cfg->named[i].has_eff) {
        snprintf(path, sizeof path, "scenarios[%d].p_eff", i);
        return BAD("%s: missing in scenario '%s'; required: a response probability per dose in "
                   "every scenario, since design '%s' (%s) reads responses",
                   where(c, path, w, sizeof w), cfg->named[i].name, d->name, d->type->name);
      }
    if (cfg->random_in_file > 0)
      return BAD("%s: random curves have no p_eff; allowed: named scenarios with p_eff only, "
                 "since design '%s' (%s) reads responses",
                 where(c, "random_scenarios", w, sizeof w), d->name, d->type->name);
  }
  return DV_OK;
}

static dv_status check_designs(const ctx *c, config *cfg, dv_error *err) {
  const yaml_facts *f = c->facts;
  char w[256];
  int top = -1;
  for (int k = 0; k < f->n_nodes && top < 0; k++)
    if (f->nodes[k].parent < 0 && strcmp(f->nodes[k].path, "designs") == 0)
      top = k;
  if (top < 0)
    return BAD("%s: designs: missing", c->file);
  if (f->nodes[top].kind != NODE_LIST)
    return BAD("%s: found %s; allowed: a list of mappings", where(c, "designs", w, sizeof w),
               node_kind_name(f->nodes[top].kind));
  int n = 0;
  for (int k = next_child(f, top, -1); k >= 0; k = next_child(f, top, k))
    n++;
  if (n > CONFIG_MAX_DESIGNS)
    return BAD("%s: %d entries; allowed: at most %d designs", where(c, "designs", w, sizeof w), n,
               CONFIG_MAX_DESIGNS);
  if ((cfg->designs = calloc((size_t)n, sizeof *cfg->designs)) == NULL)
    return error_set(err, DV_ENOMEM, "config: out of memory");
  int i = 0;
  for (int k = next_child(f, top, -1); k >= 0; k = next_child(f, top, k)) {
    cfg->n_designs = i + 1; /* so that config_free frees what this entry allocated */
    dv_status st = check_design(c, k, i++, cfg, err);
    if (st != DV_OK)
      return st;
  }
  return check_responses(c, cfg, err);
}

static dv_status check(const ctx *c, const raw_config *rc, config *cfg, dv_error *err) {
  dv_status st = check_study(c, rc->study, cfg, err);
  if (st == DV_OK)
    st = check_scenarios(c, rc, cfg, err);
  if (st == DV_OK)
    st = check_designs(c, cfg, err);
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
  struct stat sb;
  if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) { /* fopen opens one; reads fail EISDIR */
    fclose(fp);
    return error_set(err, DV_ECONFIG,
                     "%s: is a directory (a folder); allowed: a config file (YAML)", path);
  }
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
  facts_free(&facts);
  if (st != DV_OK) {
    config_free(cfg);
    return st;
  }
  *out = cfg;
  return DV_OK;
}

static void free_design(config_design *d) {
  free(d->name);
  free(d->options);
  free(d->params);
  for (int i = 0; i < d->n_rules; i++)
    free(d->rule_labels[i]);
}

void config_free(config *c) {
  if (c == NULL)
    return;
  for (int i = 0; i < c->n_designs; i++)
    free_design(&c->designs[i]);
  for (int i = 0; i < c->n_warnings; i++)
    free(c->warnings[i]);
  free(c->designs);
  free(c->named);
  free(c->warnings);
  free(c->study_name);
  free(c->dose_unit);
  free(c->path);
  free(c->text);
  free(c);
}

void config_selectable_names(const config *c, bool scenarios, char *buf, size_t len) {
  int n = scenarios ? c->n_named : c->n_designs, i = 0;
  size_t used = 0;
  buf[0] = '\0';
  for (; i < n; i++) {
    const char *name = scenarios ? c->named[i].name : c->designs[i].name;
    if (used + strlen(name) + 40 >= len) /* room for the count of the rest */
      break;
    used += (size_t)snprintf(buf + used, len - used, "%s'%s'", i ? ", " : "", name);
  }
  if (i < n)
    used += (size_t)snprintf(buf + used, len - used, "%sand %d more", i ? " " : "", n - i);
  if (scenarios && c->random_in_file > 0 && used < len)
    snprintf(buf + used, len - used, "%s'random' (its %d random curves)", used ? ", " : "",
             c->random_in_file);
}

/* Keeps the entries whose names are listed, in config order; shared by the two selectors. */
#define SELECT_BY_NAME(items, count, kind, free_item)                                              \
  do {                                                                                             \
    for (int j = 0; j < n; j++) {                                                                  \
      bool found = false;                                                                          \
      for (int i = 0; i < c->count; i++)                                                           \
        found = found || strcmp(c->items[i].name, names[j]) == 0;                                  \
      if (!found) {                                                                                \
        char allowed[640];                                                                         \
        config_selectable_names(c, strcmp(kind, "scenario") == 0, allowed, sizeof allowed);        \
        char shown[512];                                                                           \
        return error_set(err, DV_EUSAGE, "--" kind ": '%s' is not in %s; allowed: %s",             \
                         error_shown(names[j], shown, sizeof shown), c->path, allowed);            \
      }                                                                                            \
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

static void keep_scenario(config_named *s) { (void)s; /* a value: nothing to free */ }

dv_status config_select_designs(config *c, const char *const *names, int n, dv_error *err) {
  if (n > 0)
    SELECT_BY_NAME(designs, n_designs, "design", free_design);
  return DV_OK;
}

dv_status config_select_scenarios(config *c, const char *const *names, int n, dv_error *err) {
  if (n == 0)
    return DV_OK;
  const char *named[CONFIG_MAX_SELECT];
  int n_named = 0;
  bool random = false;
  char shown[512];
  for (int j = 0; j < n; j++) {
    if (strncmp(names[j], "random ", 7) == 0)
      return error_set(err, DV_EUSAGE,
                       "--scenario: '%s'; allowed: a named scenario of %s, or 'random' for all "
                       "its random ones (they are selected together)",
                       error_shown(names[j], shown, sizeof shown), c->path);
    if (strcmp(names[j], "random") == 0)
      random = true;
    else if (n_named < CONFIG_MAX_SELECT)
      named[n_named++] = names[j];
  }
  if (random && c->random_in_file == 0)
    return error_set(err, DV_EUSAGE, "--scenario: 'random': %s has no random_scenarios", c->path);
  c->n_random = random ? c->random_in_file : 0;
  if (n_named > 0) {
    names = named;
    n = n_named;
    SELECT_BY_NAME(named, n_named, "scenario", keep_scenario);
  } else {
    c->n_named = 0;
  }
  c->n_scenarios = c->n_named + c->n_random;
  return DV_OK;
}

int config_patients_per_trial(const config *c) {
  int m = c->max_n;
  for (int i = 0; i < c->n_designs; i++) {
    /* side patients come on top of a design's max_n (design_type.side_most) */
    const config_design *d = &c->designs[i];
    int most = d->setup.max_n + design_side_most(d->type, d->params);
    if (most > m)
      m = most;
  }
  return m;
}
