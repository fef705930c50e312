/* checkpoint.c — writing, reading and verifying counter files, and adding parts to a run's
 * checkpoint (format in checkpoint.h). */
#define _GNU_SOURCE
#include "checkpoint.h"
#include "random_scenarios.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
  free(f->parts);
  free(f->values);
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

/* ---- writing ---- */

/* The file's bytes go out through one hash, so the checksums are made as they are written and
 * the counts (which may be far larger than memory allows to hold twice) are never copied. The
 * bytes go to a stdio file (a new file) or are written at an offset of a descriptor (a part
 * added to a checkpoint). */
typedef struct {
  FILE *fp;
  int fd;
  uint64_t at;   /* fd: where the next bytes go */
  uint64_t hash; /* of every byte so far */
  int error;     /* errno of the first failed write (fd) */
  size_t used;
  char buf[65536];
} hashed_out;

static void out_flush(hashed_out *o) {
  o->hash = hash_fnv1a64_update(o->hash, o->buf, o->used);
  if (o->fp != NULL) {
    fwrite(o->buf, 1, o->used, o->fp); /* errors: ferror, checked when the file is committed */
  } else {
    for (size_t done = 0; done < o->used && o->error == 0;) {
      ssize_t w = pwrite(o->fd, o->buf + done, o->used - done, (off_t)o->at);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0) {
        o->error = w < 0 ? errno : EIO;
        break;
      }
      done += (size_t)w;
      o->at += (uint64_t)w;
    }
  }
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

/* One count and its newline (by hand: a file holds millions of them, and printf is slow). */
static void out_count(hashed_out *o, uint64_t v) {
  char tmp[24];
  size_t i = sizeof tmp;
  tmp[--i] = '\n';
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out_bytes(o, tmp + i, sizeof tmp - i);
}

dv_status counter_file_memory(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err) {
  (void)err;
  memcpy(buf, (const uint64_t *)ctx + at, n * sizeof *buf);
  return DV_OK;
}

static void out_header(hashed_out *o, const counter_file *f) {
  out_printf(o, "doseval-counters %d\nversion %s\nconfig_path %s\nconfig_hash %016" PRIx64 "\n",
             CHECKPOINT_FORMAT, f->version, f->config_path, f->config_hash);
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
  out_printf(o, "\ncounts %zu\n", f->n_counts);
}

/* A part, its checksum line last. */
static dv_status out_part(hashed_out *o, int ranks, double core_seconds, const work_ranges *ranges,
                          size_t at, size_t n, counter_source counts, void *ctx, dv_error *err) {
  if (!(core_seconds >= 0)) /* the reader takes a plain decimal: no sign, nan or inf */
    core_seconds = 0;
  out_printf(o, "part %d %.3f\nranges %zu\n", ranks, fmin(core_seconds, 1e15), ranges->n);
  for (size_t i = 0; i < ranges->n; i++)
    out_printf(o, "range %d %" PRIu64 " %" PRIu64 "\n", ranges->r[i].s, ranges->r[i].lo,
               ranges->r[i].hi);
  out_printf(o, "add %zu %zu\n", at, n);
  uint64_t chunk[1024];
  dv_status st = DV_OK;
  for (size_t i = 0; i < n && st == DV_OK; i += 1024) {
    size_t m = n - i < 1024 ? n - i : 1024;
    st = counts(ctx, at + i, chunk, m, err);
    for (size_t k = 0; k < m && st == DV_OK; k++)
      out_count(o, chunk[k]);
  }
  out_flush(o); /* the hash now covers every byte before the checksum line */
  char line[40];
  int len = snprintf(line, sizeof line, "checksum %016" PRIx64 "\n", o->hash);
  out_bytes(o, line, (size_t)len);
  out_flush(o);
  return st;
}

void counter_log_init(counter_log *g) {
  memset(g, 0, sizeof *g);
  g->fd = -1;
}

dv_status counter_log_create(counter_log *g, const counter_file *f, counter_source counts,
                             void *ctx, size_t n, const char *dir, dv_error *err) {
  atomic_file af;
  dv_status st = atomic_open(&af, dir, CHECKPOINT_FILE, err);
  if (st != DV_OK)
    return st;
  hashed_out *o = calloc(1, sizeof *o);
  if (o == NULL) {
    atomic_abort(&af);
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  }
  o->fp = af.fp;
  o->hash = hash_fnv1a64(NULL, 0);
  out_header(o, f);
  st = out_part(o, f->ranks, f->core_seconds, &f->ranges, 0, n, counts, ctx, err);
  long length = ftell(af.fp);
  uint64_t hash = o->hash;
  free(o);
  if (st != DV_OK) {
    atomic_abort(&af);
    return st;
  }
  st = atomic_commit(&af, err);
  if (st == DV_OK && g != NULL) {
    counter_log_close(g);
    snprintf(g->path, sizeof g->path, "%s", af.path);
    g->length = g->synced = (uint64_t)length;
    g->hash = hash;
  }
  return st;
}

dv_status counter_file_write_from(const counter_file *f, counter_source counts, void *ctx,
                                  const char *dir, dv_error *err) {
  return counter_log_create(NULL, f, counts, ctx, f->n_counts, dir, err);
}

dv_status counter_file_write(const counter_file *f, const char *dir, dv_error *err) {
  return counter_file_write_from(f, counter_file_memory, f->counts, dir, err);
}

dv_status counter_log_open(counter_log *g, const char *dir, dv_error *err) {
  counter_log_close(g);
  int n = snprintf(g->path, sizeof g->path, "%s/%s", dir, CHECKPOINT_FILE);
  if (n < 0 || (size_t)n >= sizeof g->path)
    return error_set(err, DV_EIO, "%s: path too long", dir);
  int fd = open(g->path, O_WRONLY | O_CLOEXEC);
  struct stat sb;
  const char *why = NULL;
  if (fd < 0 || fstat(fd, &sb) != 0)
    why = strerror(errno);
  else if ((uint64_t)sb.st_size < g->length)
    why = "it is shorter than when it was read";
  else if ((uint64_t)sb.st_size > g->length && ftruncate(fd, (off_t)g->length) != 0)
    why = strerror(errno);
  if (why != NULL) {
    if (fd >= 0)
      close(fd);
    return error_set(err, DV_EIO, "%s: cannot add to the checkpoint: %s", g->path, why);
  }
  g->fd = fd;
  if (g->synced > g->length)
    g->synced = g->length;
  return DV_OK;
}

dv_status counter_log_append(counter_log *g, int ranks, double core_seconds,
                             const work_ranges *ranges, size_t at, size_t n, counter_source counts,
                             void *ctx, dv_error *err) {
  if (g->fd < 0)
    return error_set(err, DV_EIO, "%s: the checkpoint is not open", g->path);
  hashed_out *o = calloc(1, sizeof *o);
  if (o == NULL)
    return error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  o->fp = NULL;
  o->fd = g->fd;
  o->at = g->length;
  o->hash = g->hash;
  dv_status st = out_part(o, ranks, core_seconds, ranges, at, n, counts, ctx, err);
  if (st == DV_OK && o->error != 0)
    st =
        error_set(err, DV_EIO, "%s: cannot add to the checkpoint: %s", g->path, strerror(o->error));
  if (st == DV_OK) {
    g->length = o->at;
    g->hash = o->hash;
  } else if (ftruncate(g->fd, (off_t)g->length) != 0) {
    counter_log_close(g); /* a torn part stays at the end: nothing may follow it */
  }
  free(o);
  return st;
}

dv_status counter_log_sync(counter_log *g, dv_error *err) {
  if (g->fd < 0 || g->synced == g->length)
    return DV_OK;
  if (fdatasync(g->fd) != 0)
    return error_set(err, DV_EIO, "%s: cannot write the checkpoint to disk: %s", g->path,
                     strerror(errno));
  g->synced = g->length;
  return DV_OK;
}

void counter_log_close(counter_log *g) {
  if (g->fd >= 0)
    close(g->fd);
  g->fd = -1;
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

static dv_status parse_header(cursor *c, counter_file *f, dv_error *err) {
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
  if (x >= (uint64_t)(c->end - c->p) || x > CONFIG_MAX_BYTES || c->p[x] != '\n')
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
  if ((st = key_u64(c, "counts", 10, &x, err)) != DV_OK)
    return st;
  if (x > SIZE_MAX / sizeof(uint64_t))
    return BROKEN(c, "expected 'counts N' with a smaller N");
  f->n_counts = (size_t)x;
  return DV_OK;
}

/* The next whole line [*v, *v + *len) of a part, or false when the file ends before its
 * newline (the part was cut short). */
static bool part_line(cursor *c, const char **v, size_t *len) {
  const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
  if (nl == NULL)
    return false;
  *v = c->p;
  *len = (size_t)(nl - c->p);
  c->p = nl + 1;
  c->line++;
  return true;
}

/* The words of "KEY w1 w2 ..." on a whole line, each parsed as a decimal whole number into w;
 * false unless the key matches and there are exactly n words, single spaces between them. */
static bool part_key(const char *v, size_t len, const char *key, uint64_t *w, int n) {
  size_t k = strlen(key);
  if (len <= k || strncmp(v, key, k) != 0 || v[k] != ' ')
    return false;
  const char *p = v + k + 1, *end = v + len;
  for (int i = 0; i < n; i++) {
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    const char *e = sp != NULL && i < n - 1 ? sp : end;
    if (!parse_u64(p, (size_t)(e - p), &w[i], 10))
      return false;
    p = e + 1;
  }
  return p == end + 1;
}

/* Grows an array of `size`-byte items to hold at least `need` (doubling). */
static bool grow(void **a, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return true;
  size_t c = *cap ? *cap : 16;
  while (c < need)
    c = c > SIZE_MAX / 2 ? need : 2 * c;
  if (c > SIZE_MAX / size)
    return false;
  void *b = realloc(*a, c * size);
  if (b == NULL)
    return false;
  *a = b;
  *cap = c;
  return true;
}

enum { PART_OK, PART_CUT };

/* One part from c->p: *state PART_OK and the part kept (its values, ranges and facts), or
 * PART_CUT when the file ends inside it (nothing kept). *hash is the FNV-1a 64 of the file up to
 * c->p, carried on over the part. */
static dv_status parse_part(cursor *c, counter_file *f, uint64_t *hash, int *state, dv_error *err) {
  const char *start = c->p, *v;
  size_t len, kept_ranges = f->ranges.n, kept_values = f->n_values;
  uint64_t w[3];
  dv_status st = DV_OK;
  *state = PART_CUT;
  if (!part_line(c, &v, &len))
    return DV_OK;
  /* "part RANKS SECONDS": SECONDS a plain decimal with 3 places, as written */
  const char *dot = len > 5 ? memchr(v + 5, '.', len - 5) : NULL;
  double secs = 0;
  if (dot == NULL || v + len - dot != 4 || !part_key(v, (size_t)(dot - v), "part", w, 2) ||
      w[0] < 1 || w[0] > 1u << 30 || w[1] > 1ull << 50 || !parse_u64(dot + 1, 3, &w[2], 10))
    return BROKEN(c, "expected 'part RANKS SECONDS' (RANKS a whole number from 1 to 2^30, "
                     "SECONDS seconds from 0 to 2^50 with 3 decimals)");
  int ranks = (int)w[0];
  secs = (double)w[1] + (double)w[2] / 1000;
  if (!part_line(c, &v, &len))
    return DV_OK;
  if (!part_key(v, len, "ranges", w, 1))
    return BROKEN(c, "expected 'ranges N'");
  uint64_t n_ranges = w[0];
  for (uint64_t i = 0; i < n_ranges; i++) {
    if (!part_line(c, &v, &len))
      goto undo;
    if (!part_key(v, len, "range", w, 3) || w[0] >= (uint64_t)(f->n_scenarios + f->n_random) ||
        w[1] >= w[2] || w[2] > f->trials) {
      st = BROKEN(c, "expected 'range S LO HI' within the run's scenarios and trials");
      goto undo;
    }
    if ((st = work_ranges_add(&f->ranges, (int)w[0], w[1], w[2], err)) != DV_OK)
      goto undo;
  }
  if (!part_line(c, &v, &len))
    goto undo;
  if (!part_key(v, len, "add", w, 2) || w[1] > f->n_counts || w[0] > f->n_counts - w[1]) {
    st = BROKEN(c, "expected 'add AT N' within the file's counters");
    goto undo;
  }
  size_t at = (size_t)w[0], n = (size_t)w[1];
  if (n > (size_t)(c->end - c->p) / 2)
    goto undo; /* fewer lines left than the part announces: cut short */
  if (!grow((void **)&f->values, &f->cap_values, f->n_values + n + 1, sizeof *f->values) ||
      !grow((void **)&f->parts, &f->cap_parts, f->n_parts + 1, sizeof *f->parts)) {
    st = error_set(err, DV_ENOMEM, "%s: out of memory", c->path);
    goto undo;
  }
  for (size_t i = 0; i < n; i++) {
    if (!part_line(c, &v, &len))
      goto undo;
    if (!parse_u64(v, len, &f->values[f->n_values + i], 10)) {
      st = BROKEN(c, "expected a count");
      goto undo;
    }
  }
  const char *sum_at = c->p;
  uint64_t want;
  if (!part_line(c, &v, &len))
    goto undo;
  if (len != 25 || strncmp(v, "checksum ", 9) != 0 || !parse_u64(v + 9, 16, &want, 16)) {
    st = BROKEN(c, "expected 'checksum HEX' after the counts");
    goto undo;
  }
  uint64_t h = hash_fnv1a64_update(*hash, start, (size_t)(sum_at - start));
  if (h != want) {
    st = error_set(err, DV_ECONFIG,
                   "%s: line %d: checksum mismatch: the file is corrupted or was edited by hand",
                   c->path, c->line - 1);
    goto undo;
  }
  *hash = hash_fnv1a64_update(h, sum_at, (size_t)(c->p - sum_at));
  f->parts[f->n_parts++] = (counter_part){at, n, f->n_values};
  f->n_values += n;
  f->ranks = ranks;
  f->core_seconds += secs;
  *state = PART_OK;
  return DV_OK;
undo: /* an error, or the file ends inside the part (st DV_OK, *state PART_CUT) */
  f->ranges.n = kept_ranges;
  f->n_values = kept_values;
  return st;
}

dv_status counter_file_read(const char *path, counter_file *f, dv_error *err) {
  memset(f, 0, sizeof *f);
  struct stat sb;
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
    return error_set(err, DV_ECONFIG,
                     "%s: %s; allowed: the counter file (a plain file) a run writes", path,
                     S_ISDIR(sb.st_mode) ? "a folder" : "not a plain file");
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
  cursor c = {.path = path, .p = buf, .end = buf + len, .line = 1};
  if (st == DV_OK)
    st = parse_header(&c, f, err);
  uint64_t hash = hash_fnv1a64(buf, (size_t)(c.p - buf));
  int state = PART_OK;
  while (st == DV_OK && c.p < c.end && state == PART_OK) {
    st = parse_part(&c, f, &hash, &state, err);
    if (st == DV_OK && state == PART_OK) {
      f->length = (uint64_t)(c.p - buf);
      f->hash = hash;
    }
  }
  f->torn = state == PART_CUT;
  if (st == DV_OK && f->n_parts == 0)
    st = error_set(err, DV_ECONFIG,
                   "%s: no complete part: the file is truncated or not a doseval counter file",
                   path);
  if (st == DV_OK && work_ranges_normalise(&f->ranges) >= 0)
    st = error_set(err, DV_ECONFIG, "%s: its trial ranges overlap each other", path);
  free(buf);
  if (st != DV_OK)
    counter_file_free(f);
  return st;
}

dv_status counter_file_sum(counter_file *f, const char *path, dv_error *err) {
  free(f->counts);
  f->counts = NULL;
  if (f->n_parts == 1 && f->parts[0].at == 0 && f->parts[0].n == f->n_counts) {
    f->counts = f->values; /* the usual file: one part holds every count */
    f->values = NULL;
  } else {
    if ((f->counts = calloc(f->n_counts + 1, sizeof *f->counts)) == NULL)
      return error_set(err, DV_ENOMEM, "%s: out of memory for %zu counters", path, f->n_counts);
    for (size_t i = 0; i < f->n_parts; i++) {
      const counter_part *p = &f->parts[i];
      for (size_t k = 0; k < p->n; k++) {
        uint64_t *x = &f->counts[p->at + k], v = f->values[p->off + k];
        if (*x > UINT64_MAX - v)
          return error_set(err, DV_ECONFIG,
                           "%s: part %zu makes counter %zu larger than 2^64 - 1; the file is "
                           "not one doseval wrote",
                           path, i + 1, p->at + k);
        *x += v;
      }
    }
    free(f->values);
    f->values = NULL;
  }
  f->n_values = 0;
  free(f->parts);
  f->parts = NULL;
  f->n_parts = 0;
  return DV_OK;
}

dv_status counter_file_check_counts(const counter_file *f, const char *path, const config *cfg,
                                    const oc_layout *l, dv_error *err) {
  /* the bound and the exponent its message names: one from the other */
  const int per_trial_bits = l->timed ? OC_MAX_PER_TRIAL_TIMED_BITS : OC_MAX_PER_TRIAL_BITS;
  const uint64_t per_trial = (uint64_t)1 << per_trial_bits;
  char name[64];
  for (int sc = 0; sc < l->n_scenarios; sc++) {
    uint64_t trials = 0;
    for (size_t i = 0; i < f->ranges.n; i++)
      if (f->ranges.r[i].s == sc)
        trials += f->ranges.r[i].hi - f->ranges.r[i].lo;
    const uint64_t *c = f->counts + (size_t)sc * l->scenario_size;
    if (c[0] != trials)
      return error_set(err, DV_ECONFIG,
                       "%s: scenario '%s' counts %" PRIu64 " trials where its ranges hold %" PRIu64
                       "; allowed: the counts a run leaves (the file is not one doseval wrote)",
                       path, config_scenario_name(cfg, sc, name, sizeof name), c[0], trials);
    /* past 2^64 / per_trial trials the bound is above every 64-bit count */
    if (trials > UINT64_MAX / per_trial)
      continue;
    for (size_t k = 1; k < l->scenario_size; k++)
      if (c[k] > trials * per_trial)
        return error_set(err, DV_ECONFIG,
                         "%s: counter %zu of scenario '%s' is %" PRIu64
                         "; allowed: at most %" PRIu64 " (its %" PRIu64
                         " trials times 2^%d, the most a counter gains in a trial; the file is "
                         "not one doseval wrote)",
                         path, k, config_scenario_name(cfg, sc, name, sizeof name), c[k],
                         trials * per_trial, trials, per_trial_bits);
  }
  return DV_OK;
}

dv_status counter_file_config(const counter_file *f, const char *path, config **out,
                              dv_error *err) {
  config *cfg = NULL;
  dv_error local = {0};
  dv_status st = config_load_text(f->config_path, f->config_text, f->config_len, &cfg, &local);
  if (st != DV_OK)
    st = error_set(err, st, "%s: the config it holds (from %s) does not load: %s", path,
                   f->config_path, local.msg);
  const char *names[CONFIG_MAX_DESIGNS];
  const char **scen = NULL;
  if (st == DV_OK && (scen = calloc((size_t)f->n_scenarios + 1, sizeof *scen)) == NULL)
    st = error_set(err, DV_ENOMEM, "checkpoint: out of memory");
  for (int j = 0; j < f->n_designs && st == DV_OK; j++)
    if (f->designs[j] >= cfg->n_designs)
      st = error_set(err, DV_ECONFIG, "%s: design %d is not in the config it holds (from %s)", path,
                     f->designs[j], f->config_path);
    else
      names[j] = cfg->designs[f->designs[j]].name;
  for (int s = 0; s < f->n_scenarios && st == DV_OK; s++)
    if (f->scenarios[s] >= cfg->n_named)
      st = error_set(err, DV_ECONFIG, "%s: scenario %d is not in the config it holds (from %s)",
                     path, f->scenarios[s], f->config_path);
    else
      scen[s] = cfg->named[f->scenarios[s]].name;
  if (st == DV_OK && f->n_random > 0 && f->n_random != cfg->random_in_file)
    st = error_set(err, DV_ECONFIG, "%s: %d random scenarios; the config it holds (from %s) has %d",
                   path, f->n_random, f->config_path, cfg->random_in_file);
  /* the selectors keep config order, and the run's lists were in config order */
  if (st == DV_OK && f->n_designs < cfg->n_designs &&
      (st = config_select_designs(cfg, names, f->n_designs, &local)) != DV_OK)
    st = error_set(err, DV_ECONFIG, "%s: %s", path, local.msg);
  /* the run's named scenarios, and "random" if it ran the random ones (scen has room) */
  int n_scen = f->n_scenarios;
  if (st == DV_OK && f->n_random > 0)
    scen[n_scen++] = "random";
  if (st == DV_OK && (f->n_scenarios < cfg->n_named || f->n_random < cfg->random_in_file) &&
      (st = config_select_scenarios(cfg, scen, n_scen, &local)) != DV_OK)
    st = error_set(err, DV_ECONFIG, "%s: %s", path, local.msg);
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
