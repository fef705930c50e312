/* checkpoint.c — writing, reading and verifying counter files (format in checkpoint.h). */
#include "checkpoint.h"
#include "random_scenarios.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "hash.h"

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d != NULL) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

void counter_file_free(counter_file *f) {
  if (f == NULL)
    return;
  free(f->config_path);
  free(f->config_text);
  free(f->scenarios);
  free(f->layout_text);
  free(f->counts);
  work_ranges_free(&f->ranges);
  memset(f, 0, sizeof *f);
}

dv_status counter_file_from_run(counter_file *f, const config *cfg, const oc_layout *l,
                                uint64_t shard_i, uint64_t shard_n, int ranks, double core_seconds,
                                const work_ranges *ranges, const uint64_t *counts, dv_error *err) {
  memset(f, 0, sizeof *f);
  char layout[4096];
  size_t layout_len = oc_layout_describe(l, layout, sizeof layout);
  f->format = CHECKPOINT_FORMAT;
  snprintf(f->version, sizeof f->version, "%s", DOSEVAL_VERSION);
  f->config_path = dup_n(cfg->path, strlen(cfg->path));
  f->config_hash = cfg->hash;
  f->config_text = dup_n(cfg->text, cfg->text_len);
  f->config_len = cfg->text_len;
  f->seed = cfg->seed;
  f->trials = cfg->trials;
  f->shard_i = shard_i;
  f->shard_n = shard_n;
  f->n_designs = cfg->n_designs;
  for (int j = 0; j < cfg->n_designs; j++)
    f->designs[j] = cfg->designs[j].index;
  f->n_scenarios = cfg->n_named;
  f->n_random = cfg->n_random;
  f->scenarios = calloc((size_t)cfg->n_named + 1, sizeof *f->scenarios);
  f->layout_hash = oc_layout_hash(l);
  f->layout_text = dup_n(layout, layout_len);
  f->ranks = ranks;
  f->core_seconds = core_seconds;
  f->n_counts = l->total;
  f->counts = counts ? malloc(l->total * sizeof *f->counts) : NULL;
  if (f->config_path == NULL || f->config_text == NULL || f->scenarios == NULL ||
      f->layout_text == NULL || (counts && f->counts == NULL)) {
    counter_file_free(f);
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  }
  for (int s = 0; s < cfg->n_named; s++)
    f->scenarios[s] = cfg->named[s].index;
  if (counts)
    memcpy(f->counts, counts, l->total * sizeof *counts);
  dv_status st = DV_OK;
  for (size_t i = 0; i < ranges->n && st == DV_OK; i++)
    st = work_ranges_add(&f->ranges, ranges->r[i].s, ranges->r[i].lo, ranges->r[i].hi, err);
  if (st == DV_OK)
    work_ranges_normalise(&f->ranges);
  else
    counter_file_free(f);
  return st;
}

/* The file's bytes go out through one hash, so the checksum is made as they are written and
 * the counts (which may be far larger than memory allows to hold twice) are never copied. */
typedef struct {
  FILE *fp;
  uint64_t hash;
  char buf[65536];
  size_t used;
} hashed_out;

static void out_flush(hashed_out *o) {
  o->hash = hash_fnv1a64_update(o->hash, o->buf, o->used);
  fwrite(o->buf, 1, o->used, o->fp);
  o->used = 0;
}

static void out_bytes(hashed_out *o, const char *p, size_t n) {
  while (n > 0) {
    if (o->used == sizeof o->buf)
      out_flush(o);
    size_t take = sizeof o->buf - o->used < n ? sizeof o->buf - o->used : n;
    memcpy(o->buf + o->used, p, take);
    o->used += take;
    p += take;
    n -= take;
  }
}

__attribute__((format(printf, 2, 3))) static void out_printf(hashed_out *o, const char *fmt, ...) {
  char line[8192];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0)
    out_bytes(o, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

dv_status counter_file_memory(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err) {
  (void)err;
  memcpy(buf, (const uint64_t *)ctx + at, n * sizeof *buf);
  return DV_OK;
}

dv_status counter_file_write(const counter_file *f, const char *dir, dv_error *err) {
  return counter_file_write_from(f, counter_file_memory, f->counts, dir, err);
}

dv_status counter_file_write_from(const counter_file *f, counter_source counts, void *ctx,
                                  const char *dir, dv_error *err) {
  atomic_file af;
  dv_status st = atomic_open(&af, dir, CHECKPOINT_FILE, err);
  if (st != DV_OK)
    return st;
  hashed_out *o = malloc(sizeof *o);
  if (o == NULL) {
    atomic_abort(&af);
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  }
  o->fp = af.fp;
  o->hash = hash_fnv1a64(NULL, 0);
  o->used = 0;
  out_printf(o, "doseval-counters %d\nversion %s\nconfig_path %s\nconfig_hash %016" PRIx64 "\n",
             f->format, f->version, f->config_path, f->config_hash);
  out_printf(o, "config_bytes %zu\n", f->config_len);
  out_bytes(o, f->config_text, f->config_len);
  out_printf(o, "\nseed %" PRIu64 "\ntrials %" PRIu64 "\nshard %" PRIu64 " %" PRIu64 "\ndesigns",
             f->seed, f->trials, f->shard_i, f->shard_n);
  for (int j = 0; j < f->n_designs; j++)
    out_printf(o, " %d", f->designs[j]);
  out_printf(o, "\nscenarios");
  for (int s = 0; s < f->n_scenarios; s++)
    out_printf(o, " %d", f->scenarios[s]);
  out_printf(o, "\nrandom %d\nlayout %016" PRIx64 " ", f->n_random, f->layout_hash);
  out_bytes(o, f->layout_text, strlen(f->layout_text));
  out_printf(o, "\nranks %d\ncore_seconds %.3f\nranges %zu\n", f->ranks, f->core_seconds,
             f->ranges.n);
  for (size_t i = 0; i < f->ranges.n; i++)
    out_printf(o, "range %d %" PRIu64 " %" PRIu64 "\n", f->ranges.r[i].s, f->ranges.r[i].lo,
               f->ranges.r[i].hi);
  out_printf(o, "counts %zu\n", f->n_counts);
  uint64_t chunk[1024];
  for (size_t at = 0; at < f->n_counts && st == DV_OK; at += 1024) {
    size_t n = f->n_counts - at < 1024 ? f->n_counts - at : 1024;
    st = counts(ctx, at, chunk, n, err);
    for (size_t i = 0; i < n && st == DV_OK; i++)
      out_printf(o, "%" PRIu64 "\n", chunk[i]);
  }
  out_flush(o);
  fprintf(af.fp, "checksum %016" PRIx64 "\n", o->hash);
  free(o);
  if (st == DV_OK)
    return atomic_commit(&af, err);
  atomic_abort(&af);
  return st;
}

/* ---- reading ---- */

typedef struct {
  const char *path;
  const char *p, *end;
  int line;
} cursor;

#define BROKEN(c, what)                                                                            \
  error_set(err, DV_ECONFIG, "%s: line %d: %s; the file is not a complete doseval counter file",   \
            (c)->path, (c)->line, what)

/* The rest of the line after "KEY " (without the newline); NULL if the line is another key. */
static const char *field(cursor *c, const char *key, size_t *len) {
  size_t k = strlen(key);
  if ((size_t)(c->end - c->p) <= k || strncmp(c->p, key, k) != 0 || c->p[k] != ' ')
    return NULL;
  const char *v = c->p + k + 1;
  const char *nl = memchr(v, '\n', (size_t)(c->end - v));
  if (nl == NULL)
    return NULL;
  *len = (size_t)(nl - v);
  c->p = nl + 1;
  c->line++;
  return v;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out, int base) {
  char tmp[32];
  if (len == 0 || len >= sizeof tmp || s[0] == '-' || s[0] == '+' || s[0] == ' ')
    return false;
  memcpy(tmp, s, len);
  tmp[len] = '\0';
  char *e;
  errno = 0;
  unsigned long long v = strtoull(tmp, &e, base);
  if (*e != '\0' || errno != 0)
    return false;
  *out = (uint64_t)v;
  return true;
}

/* "KEY N" with a decimal (or hex) N. */
static dv_status key_u64(cursor *c, const char *key, int base, uint64_t *out, dv_error *err) {
  size_t len;
  const char *v = field(c, key, &len);
  if (v == NULL || !parse_u64(v, len, out, base)) {
    char what[96];
    snprintf(what, sizeof what, "expected '%s' and a number", key);
    return BROKEN(c, what);
  }
  return DV_OK;
}

/* "KEY a b c": up to max small integers. */
static dv_status key_list(cursor *c, const char *key, int *out, int max, int *n, dv_error *err) {
  size_t len;
  const char *v = field(c, key, &len);
  char what[96];
  snprintf(what, sizeof what, "expected '%s' and a list of positions", key);
  if (v == NULL)
    return BROKEN(c, what);
  *n = 0;
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && v[j] != ' ')
      j++;
    uint64_t x;
    if (*n == max || !parse_u64(v + i, j - i, &x, 10) || x > 1u << 20)
      return BROKEN(c, what);
    out[(*n)++] = (int)x;
    i = j + 1;
  }
  return DV_OK;
}

static dv_status parse(cursor *c, counter_file *f, dv_error *err) {
  uint64_t x;
  size_t len;
  dv_status st = key_u64(c, "doseval-counters", 10, &x, err);
  if (st != DV_OK)
    return error_set(err, DV_ECONFIG, "%s: not a doseval counter file", c->path);
  f->format = (int)x;
  if (x != CHECKPOINT_FORMAT)
    return error_set(err, DV_ECONFIG,
                     "%s: counter file format %" PRIu64 "; this doseval reads format %d", c->path,
                     x, CHECKPOINT_FORMAT);
  const char *v = field(c, "version", &len);
  if (v == NULL || len >= sizeof f->version)
    return BROKEN(c, "expected 'version'");
  memcpy(f->version, v, len);
  f->version[len] = '\0';
  if ((v = field(c, "config_path", &len)) == NULL)
    return BROKEN(c, "expected 'config_path'");
  if ((f->config_path = dup_n(v, len)) == NULL)
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  if ((st = key_u64(c, "config_hash", 16, &f->config_hash, err)) != DV_OK ||
      (st = key_u64(c, "config_bytes", 10, &x, err)) != DV_OK)
    return st;
  if (x > (uint64_t)(c->end - c->p) || x > CONFIG_MAX_BYTES || c->p[x] != '\n')
    return BROKEN(c, "the config's bytes are cut short");
  if ((f->config_text = dup_n(c->p, (size_t)x)) == NULL)
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  f->config_len = (size_t)x;
  for (size_t i = 0; i <= x; i++)
    c->line += c->p[i] == '\n';
  c->p += x + 1;
  if ((st = key_u64(c, "seed", 10, &f->seed, err)) != DV_OK ||
      (st = key_u64(c, "trials", 10, &f->trials, err)) != DV_OK)
    return st;
  if ((v = field(c, "shard", &len)) == NULL ||
      sscanf(v, "%" SCNu64 " %" SCNu64, &f->shard_i, &f->shard_n) != 2 || f->shard_n == 0 ||
      f->shard_i >= f->shard_n)
    return BROKEN(c, "expected 'shard I N' with I < N");
  if ((st = key_list(c, "designs", f->designs, CONFIG_MAX_DESIGNS, &f->n_designs, err)) != DV_OK)
    return st;
  f->scenarios = calloc(1u << 16, sizeof *f->scenarios);
  if (f->scenarios == NULL)
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  if ((st = key_list(c, "scenarios", f->scenarios, 1 << 16, &f->n_scenarios, err)) != DV_OK ||
      (st = key_u64(c, "random", 10, &x, err)) != DV_OK)
    return st;
  if (x > RANDOM_SCENARIOS_MAX)
    return BROKEN(c, "expected 'random N' with N <= 1000000");
  f->n_random = (int)x;
  if ((v = field(c, "layout", &len)) == NULL || len < 18 || !parse_u64(v, 16, &f->layout_hash, 16))
    return BROKEN(c, "expected 'layout HASH DESCRIPTION'");
  if ((f->layout_text = dup_n(v + 17, len - 17)) == NULL)
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  if ((st = key_u64(c, "ranks", 10, &x, err)) != DV_OK)
    return st;
  f->ranks = x > 1u << 30 ? 1 << 30 : (int)x;
  if ((v = field(c, "core_seconds", &len)) == NULL || sscanf(v, "%lf", &f->core_seconds) != 1)
    return BROKEN(c, "expected 'core_seconds'");
  uint64_t n_ranges;
  if ((st = key_u64(c, "ranges", 10, &n_ranges, err)) != DV_OK)
    return st;
  for (uint64_t i = 0; i < n_ranges; i++) {
    int s;
    uint64_t lo, hi;
    char tail;
    if ((v = field(c, "range", &len)) == NULL ||
        sscanf(v, "%d %" SCNu64 " %" SCNu64 "%c", &s, &lo, &hi, &tail) != 4 || tail != '\n' ||
        s < 0 || s >= f->n_scenarios + f->n_random || lo >= hi || hi > f->trials)
      return BROKEN(c, "expected 'range S LO HI' within the run's scenarios and trials");
    if ((st = work_ranges_add(&f->ranges, s, lo, hi, err)) != DV_OK)
      return st;
  }
  uint64_t n_counts;
  if ((st = key_u64(c, "counts", 10, &n_counts, err)) != DV_OK)
    return st;
  if (n_counts > (uint64_t)(c->end - c->p) / 2)
    return BROKEN(c, "fewer counts than the file announces");
  f->n_counts = (size_t)n_counts;
  if ((f->counts = malloc((f->n_counts + 1) * sizeof *f->counts)) == NULL)
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  for (size_t i = 0; i < f->n_counts; i++) {
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (nl == NULL || !parse_u64(c->p, (size_t)(nl - c->p), &f->counts[i], 10))
      return BROKEN(c, "expected a count");
    c->p = nl + 1;
    c->line++;
  }
  if (c->p != c->end)
    return BROKEN(c, "more lines than the file announces");
  if (work_ranges_normalise(&f->ranges) >= 0)
    return error_set(err, DV_ECONFIG, "%s: its trial ranges overlap each other", c->path);
  return DV_OK;
}

dv_status counter_file_read(const char *path, counter_file *f, dv_error *err) {
  memset(f, 0, sizeof *f);
  FILE *fp = fopen(path, "rb");
  if (fp == NULL)
    return error_set(err, DV_ECONFIG, "%s: cannot read: %s", path, strerror(errno));
  char *buf = NULL;
  size_t len = 0, cap = 0;
  dv_status st = DV_OK;
  for (;;) {
    if (len == cap) {
      cap = cap ? 2 * cap : 1 << 16;
      char *b = realloc(buf, cap);
      if (b == NULL) {
        st = error_set(err, DV_ENOMEM, "%s: out of memory", path);
        break;
      }
      buf = b;
    }
    size_t n = fread(buf + len, 1, cap - len, fp);
    len += n;
    if (n == 0)
      break;
  }
  if (st == DV_OK && len == cap) { /* room for a terminating NUL, so sscanf stops */
    char *b = realloc(buf, cap + 1);
    if (b == NULL)
      st = error_set(err, DV_ENOMEM, "%s: out of memory", path);
    else
      buf = b;
  }
  if (st == DV_OK)
    buf[len] = '\0';
  if (st == DV_OK && ferror(fp))
    st = error_set(err, DV_EIO, "%s: cannot read: %s", path, strerror(errno));
  fclose(fp);
  /* the last line is "checksum HEX\n" over every byte before it */
  const char *tag = "checksum ";
  size_t tail = strlen(tag) + 17;
  uint64_t want = 0;
  if (st == DV_OK &&
      (len < tail || strncmp(buf + len - tail, tag, strlen(tag)) != 0 || buf[len - 1] != '\n' ||
       (len > tail && buf[len - tail - 1] != '\n') || !parse_u64(buf + len - 17, 16, &want, 16)))
    st = error_set(err, DV_ECONFIG,
                   "%s: no checksum line at the end: the file is truncated or not a doseval "
                   "counter file",
                   path);
  if (st == DV_OK && hash_fnv1a64(buf, len - tail) != want)
    st = error_set(err, DV_ECONFIG,
                   "%s: checksum mismatch: the file is corrupted or was edited by hand", path);
  if (st == DV_OK) {
    cursor c = {.path = path, .p = buf, .end = buf + len - tail, .line = 1};
    st = parse(&c, f, err);
  }
  free(buf);
  if (st != DV_OK)
    counter_file_free(f);
  return st;
}

dv_status counter_file_config(const counter_file *f, config **out, dv_error *err) {
  config *cfg = NULL;
  dv_status st = config_load_text(f->config_path, f->config_text, f->config_len, &cfg, err);
  const char *names[CONFIG_MAX_DESIGNS];
  const char **scen = NULL;
  if (st == DV_OK && (scen = calloc((size_t)f->n_scenarios + 1, sizeof *scen)) == NULL)
    st = error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  for (int j = 0; j < f->n_designs && st == DV_OK; j++)
    if (f->designs[j] >= cfg->n_designs)
      st = error_set(err, DV_ECONFIG, "%s: design %d is not in its config", f->config_path,
                     f->designs[j]);
    else
      names[j] = cfg->designs[f->designs[j]].name;
  for (int s = 0; s < f->n_scenarios && st == DV_OK; s++)
    if (f->scenarios[s] >= cfg->n_named)
      st = error_set(err, DV_ECONFIG, "%s: scenario %d is not in its config", f->config_path,
                     f->scenarios[s]);
    else
      scen[s] = cfg->named[f->scenarios[s]].name;
  if (st == DV_OK && f->n_random > 0 && f->n_random != cfg->random_in_file)
    st = error_set(err, DV_ECONFIG, "%s: %d random scenarios; its config has %d", f->config_path,
                   f->n_random, cfg->random_in_file);
  /* the selectors keep config order, and the run's lists were in config order */
  if (st == DV_OK && f->n_designs < cfg->n_designs)
    st = config_select_designs(cfg, names, f->n_designs, err);
  /* the run's named scenarios, and "random" if it ran the random ones (scen has room) */
  int n_scen = f->n_scenarios;
  if (st == DV_OK && f->n_random > 0)
    scen[n_scen++] = "random";
  if (st == DV_OK && (f->n_scenarios < cfg->n_named || f->n_random < cfg->random_in_file))
    st = config_select_scenarios(cfg, scen, n_scen, err);
  free((void *)scen);
  if (st == DV_OK) {
    cfg->seed = f->seed;
    cfg->trials = f->trials;
    *out = cfg;
  } else {
    config_free(cfg);
  }
  return st;
}

dv_status counter_file_matches(const counter_file *f, const char *path, const char *ref,
                               const config *cfg, const oc_layout *l, dv_error *err) {
#define DIFFER(...) error_set(err, DV_ECONFIG, __VA_ARGS__)
  if (strcmp(f->version, DOSEVAL_VERSION) != 0)
    return DIFFER("%s: written by doseval %s; this is doseval %s (counters of another version "
                  "may be laid out or computed differently)",
                  path, f->version, DOSEVAL_VERSION);
  if (f->config_hash != cfg->hash)
    return DIFFER("%s: made from another config (%s, config hash %016" PRIx64 "; %s is of %s, "
                  "hash %016" PRIx64 ")",
                  path, f->config_path, f->config_hash, ref, cfg->path, cfg->hash);
  if (f->seed != cfg->seed)
    return DIFFER("%s: seed %" PRIu64 "; %s has seed %" PRIu64, path, f->seed, ref, cfg->seed);
  if (f->trials != cfg->trials)
    return DIFFER("%s: %" PRIu64 " trials per scenario; %s has %" PRIu64, path, f->trials, ref,
                  cfg->trials);
  bool same = f->n_designs == cfg->n_designs && f->n_scenarios == cfg->n_named &&
              f->n_random == cfg->n_random;
  for (int j = 0; same && j < f->n_designs; j++)
    same = f->designs[j] == cfg->designs[j].index;
  for (int s = 0; same && s < f->n_scenarios; s++)
    same = f->scenarios[s] == cfg->named[s].index;
  if (!same)
    return DIFFER("%s: made with another --design / --scenario selection than %s", path, ref);
  if (f->layout_hash != oc_layout_hash(l) || f->n_counts != l->total)
    return DIFFER("%s: another counter layout (%s); %s has %016" PRIx64, path, f->layout_text, ref,
                  oc_layout_hash(l));
  return DV_OK;
#undef DIFFER
}
