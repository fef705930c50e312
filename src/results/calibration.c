/* calibration.c — a calibration's files and table (see calibration.h). */
#include "calibration.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "build_info.h"
#include "hash.h"
#include "write.h"

#define PART_MAGIC "doseval calibration shard"
#define PART_FORMAT 2 /* 2: each point's row for paired differences */

/* What a calibration's folder may hold: a new set replaces these. */
static const char *const calibration_files[] = {"calibration.csv", CALIBRATION_PART_FILE,
                                                "report.html", NULL};

void calibration_shard(size_t n_points, uint64_t i, uint64_t n, size_t *lo, size_t *hi) {
  /* P <= GRID_MAX_POINTS and n small: the products fit in 64 bits */
  *lo = (size_t)((uint64_t)n_points * i / n);
  *hi = (size_t)((uint64_t)n_points * (i + 1) / n);
}

int calibration_objective(const char *key, char *names, size_t len) {
  size_t used = 0;
  int found = -1;
  if (len > 0)
    names[0] = '\0';
  for (int m = 0; m < OC_N_METRICS; m++) {
    const oc_metric_info *i = &oc_catalogue[m];
    if (i->of != OC_OF_DESIGN || i->axis != OC_AXIS_NONE || i->better != OC_BETTER_HIGHER)
      continue;
    if (used < len)
      used += (size_t)snprintf(names + used, len - used, "%s%s", used ? ", " : "", i->key);
    if (strcmp(i->key, key) == 0)
      found = m;
  }
  return found;
}

static bool admissible(const calibration *c, size_t p) {
  return !c->has_max_overdose || c->points[p].pct_overdosed <= c->max_overdose;
}

long calibration_best(const calibration *c) {
  long best = -1;
  for (size_t p = c->lo; p < c->hi; p++)
    if (admissible(c, p) && (best < 0 || c->points[p].objective > c->points[best].objective))
      best = (long)p;
  return best;
}

/* RFC 4180: quote a field holding a comma, quote or newline. */
static void put_field(FILE *fp, const char *s) {
  if (strpbrk(s, ",\"\n\r") == NULL) {
    fputs(s, fp);
    return;
  }
  fputc('"', fp);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', fp);
    fputc(*s, fp);
  }
  fputc('"', fp);
}

void calibration_diff_best(const calibration *c, long best, size_t p, double *diff, double *mcse) {
  if (best < 0) {
    *diff = *mcse = NAN;
    return;
  }
  *diff = c->points[p].objective - c->points[best].objective;
  *mcse = (long)p == best ? 0.0
                          : calib_paired_mcse(&c->layout, c->paired + (p - c->lo) * c->layout.width,
                                              c->paired + ((size_t)best - c->lo) * c->layout.width);
}

void calibration_write_csv(const calibration *c, FILE *fp) {
  const char *obj = oc_catalogue[c->objective].key;
  fputs("point", fp);
  for (int a = 0; a < c->g->n_axes; a++) {
    fputc(',', fp);
    put_field(fp, c->g->axes[a].key);
  }
  fprintf(fp, ",method,%s,%s_mcse,pct_overdosed,p_stop,n_mean,best,diff_best,diff_best_mcse\n", obj,
          obj);
  long best = calibration_best(c);
  for (size_t p = c->lo; p < c->hi; p++) {
    const calib_point *q = &c->points[p];
    fprintf(fp, "%zu", p + 1);
    for (int a = 0; a < c->g->n_axes; a++) {
      fputc(',', fp);
      put_field(fp, c->g->axes[a].values[grid_value_index(c->g, p, a)]);
    }
    char v[7][64];
    double diff, diff_mcse;
    calibration_diff_best(c, best, p, &diff, &diff_mcse);
    write_plain(v[5], sizeof v[5], diff);
    write_plain(v[6], sizeof v[6], diff_mcse);
    write_plain(v[0], sizeof v[0], q->objective);
    write_plain(v[1], sizeof v[1], q->objective_mcse);
    write_plain(v[2], sizeof v[2], q->pct_overdosed);
    write_plain(v[3], sizeof v[3], q->p_stop);
    write_plain(v[4], sizeof v[4], q->n_mean);
    fprintf(fp, ",%s,%s,%s,%s,%s,%s,%d,%s,%s\n", q->exact ? "exact" : "simulation", v[0], v[1],
            v[2], v[3], v[4], (long)p == best, v[5], v[6]);
  }
}

#define TOP_POINTS 10

void calibration_print_top(const calibration *c, FILE *fp) {
  size_t n = c->hi - c->lo, shown = n < TOP_POINTS ? n : TOP_POINTS;
  size_t top[TOP_POINTS];
  /* the ten largest by selection (n can be 10^6: no sort of every point) */
  size_t have = 0;
  for (size_t p = c->lo; p < c->hi; p++) {
    /* after the points with an objective at least p's: ties keep grid order */
    size_t at = 0;
    while (at < have && c->points[top[at]].objective >= c->points[p].objective)
      at++;
    if (at >= shown)
      continue;
    size_t kept = have < shown ? have : shown - 1;
    memmove(top + at + 1, top + at, (kept - at) * sizeof *top);
    top[at] = p;
    if (have < shown)
      have++;
  }
  const char *obj = oc_catalogue[c->objective].key;
  int exact = 0;
  for (size_t p = c->lo; p < c->hi; p++)
    exact += c->points[p].exact;
  fprintf(fp, "calibration of '%s' (%s): %zu point%s, %s; %s, mean over %d scenario%s\n",
          c->design->name, c->design->type->name, c->g->n_points, c->g->n_points == 1 ? "" : "s",
          exact == (int)n ? "every one exact"
          : exact == 0    ? "simulated"
                          : "some exact, some simulated",
          obj, c->cfg->n_scenarios, c->cfg->n_scenarios == 1 ? "" : "s");
  int w[GRID_MAX_AXES];
  fprintf(fp, "%4s %7s", "rank", "point");
  for (int a = 0; a < c->g->n_axes; a++) {
    w[a] = (int)strlen(c->g->axes[a].key);
    for (int v = 0; v < c->g->axes[a].n_values; v++) {
      int l = (int)strlen(c->g->axes[a].values[v]);
      w[a] = l > w[a] ? l : w[a];
    }
    w[a] = w[a] > 40 ? 40 : w[a];
    fprintf(fp, "  %-*.*s", w[a], w[a], c->g->axes[a].key);
  }
  fprintf(fp, "  %8s %8s %8s %8s %8s %7s %7s\n", obj, "mcse", "vs best", "mcse", "%over", "p_stop",
          "n_mean");
  long best = calibration_best(c);
  for (size_t r = 0; r < have; r++) {
    size_t p = top[r];
    const calib_point *q = &c->points[p];
    fprintf(fp, "%4zu %7zu", r + 1, p + 1);
    for (int a = 0; a < c->g->n_axes; a++)
      fprintf(fp, "  %-*.*s", w[a], w[a], c->g->axes[a].values[grid_value_index(c->g, p, a)]);
    double diff, diff_mcse;
    calibration_diff_best(c, best, p, &diff, &diff_mcse);
    char d[2][16];
    for (int i = 0; i < 2; i++) {
      double x = i == 0 ? diff : diff_mcse;
      if (isfinite(x))
        snprintf(d[i], sizeof d[i], "%8.4f", x);
      else
        snprintf(d[i], sizeof d[i], "%8s", "NA");
    }
    fprintf(fp, "  %8.4f %8.4f %s %s %8.2f %7.3f %7.2f%s\n", q->objective, q->objective_mcse, d[0],
            d[1], q->pct_overdosed, q->p_stop, q->n_mean,
            (long)p == best     ? "  best"
            : !admissible(c, p) ? "  over --max-overdose"
                                : "");
  }
  char at[512];
  if (best >= 0) {
    grid_point_text(c->g, (size_t)best, at, sizeof at);
    fprintf(fp,
            "best: point %ld (%s): %s %.4f (MCSE %.4f), %.2f%% of patients above the true MTD\n",
            best + 1, at, obj, c->points[best].objective, c->points[best].objective_mcse,
            c->points[best].pct_overdosed);
  } else {
    fprintf(fp, "best: none (no point treats at most %g%% of patients above the true MTD)\n",
            c->max_overdose);
  }
}

/* ---- the shard file ---------------------------------------------------------------------- */

static void put_bytes(FILE *fp, const char *key, const char *s, size_t n) {
  fprintf(fp, "%s %zu\n", key, n);
  fwrite(s, 1, n, fp);
  fputc('\n', fp);
}

/* The shard file's text (without its checksum line) in a memory buffer: *buf, *len. */
static dv_status part_text(const calibration *c, char **buf, size_t *len, dv_error *err) {
  FILE *fp = open_memstream(buf, len);
  if (fp == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  fprintf(fp, "%s\nformat %d\n", PART_MAGIC, PART_FORMAT);
  put_bytes(fp, "version", build_info(), strlen(build_info()));
  fprintf(fp, "config_hash %016" PRIx64 "\n", c->cfg->hash);
  put_bytes(fp, "config_path", c->cfg->path, strlen(c->cfg->path));
  put_bytes(fp, "config_text", c->cfg->text, c->cfg->text_len);
  put_bytes(fp, "design", c->design->name, strlen(c->design->name));
  fprintf(fp, "objective %s\n", oc_catalogue[c->objective].key);
  if (c->has_max_overdose)
    fprintf(fp, "max_overdose %a\n", c->max_overdose);
  else
    fprintf(fp, "max_overdose none\n");
  fprintf(fp, "grid %d\n", c->g->n_axes);
  for (int a = 0; a < c->g->n_axes; a++) {
    /* the spec as given: KEY=V1,V2,... */
    char *spec = NULL;
    size_t n = 0;
    FILE *s = open_memstream(&spec, &n);
    if (s == NULL) {
      fclose(fp);
      free(*buf);
      *buf = NULL;
      return error_set(err, DV_ENOMEM, "out of memory");
    }
    fprintf(s, "%s=", c->g->axes[a].key);
    for (int v = 0; v < c->g->axes[a].n_values; v++)
      fprintf(s, "%s%s", v ? "," : "", c->g->axes[a].values[v]);
    fclose(s);
    put_bytes(fp, "axis", spec, n);
    free(spec);
  }
  fprintf(fp, "shard %" PRIu64 " %" PRIu64 "\npoints %zu %zu %zu\n", c->shard_i, c->shard_n,
          c->g->n_points, c->lo, c->hi);
  for (size_t p = c->lo; p < c->hi; p++) {
    const calib_point *q = &c->points[p];
    fprintf(fp, "point %zu %d %a %a %a %a %a\n", p, q->exact, q->objective, q->objective_mcse,
            q->pct_overdosed, q->p_stop, q->n_mean);
  }
  /* each point's row for paired differences, one line per point, exactly (%a) */
  fprintf(fp, "paired %d %d\n", c->layout.n_batches, c->layout.n_curves);
  for (size_t p = c->lo; p < c->hi; p++) {
    fprintf(fp, "row %zu", p);
    for (size_t i = 0; i < c->layout.width; i++)
      fprintf(fp, " %a", c->paired[(p - c->lo) * c->layout.width + i]);
    fputc('\n', fp);
  }
  if (fclose(fp) != 0) {
    free(*buf);
    *buf = NULL;
    return error_set(err, DV_ENOMEM, "out of memory");
  }
  return DV_OK;
}

static dv_status write_part(const calibration *c, const char *dir, dv_error *err) {
  char *text = NULL;
  size_t len = 0;
  dv_status st = part_text(c, &text, &len, err);
  if (st != DV_OK)
    return st;
  atomic_file f;
  st = atomic_open(&f, dir, CALIBRATION_PART_FILE, err);
  if (st == DV_OK) {
    fwrite(text, 1, len, f.fp);
    fprintf(f.fp, "checksum %016" PRIx64 "\n", hash_fnv1a64(text, len));
    st = atomic_commit(&f, err);
  }
  free(text);
  return st;
}

static dv_status write_csv_file(const calibration *c, const char *dir, dv_error *err) {
  atomic_file f;
  dv_status st = atomic_open(&f, dir, "calibration.csv", err);
  if (st != DV_OK)
    return st;
  calibration_write_csv(c, f.fp);
  return atomic_commit(&f, err);
}

dv_status calibration_write_set(const calibration *c, const char *dir, dv_error *err) {
  atomic_set set;
  dv_status st = atomic_set_begin(&set, dir, err);
  if (st != DV_OK)
    return st;
  bool whole = c->lo == 0 && c->hi == c->g->n_points && c->shard_n == 1;
  if (whole)
    st = write_csv_file(c, set.stage, err);
  if (whole && st == DV_OK)
    st = calibration_write_html(c, set.stage, err);
  if (st == DV_OK)
    st = write_part(c, set.stage, err);
  if (st == DV_OK)
    st = atomic_set_commit(&set, calibration_files, err);
  if (st != DV_OK)
    atomic_set_abort(&set);
  return st;
}

/* ---- reading a shard file back --------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *p, *end;
} reader;

static dv_status bad(const reader *r, dv_error *err, const char *what) {
  return error_set(err, DV_ECONFIG, "%s: %s; allowed: the %s file a calibration writes, unchanged",
                   r->path, what, CALIBRATION_PART_FILE);
}

/* The next line (without its newline) into buf. */
static bool line(reader *r, char *buf, size_t len) {
  const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
  if (nl == NULL || (size_t)(nl - r->p) >= len)
    return false;
  memcpy(buf, r->p, (size_t)(nl - r->p));
  buf[nl - r->p] = '\0';
  r->p = nl + 1;
  return true;
}

/* "KEY N\n" then N bytes and "\n", into a new string. */
static bool bytes(reader *r, const char *key, char **out, size_t *n_out) {
  char buf[128], word[64];
  size_t n;
  if (!line(r, buf, sizeof buf) || sscanf(buf, "%63s %zu", word, &n) != 2 ||
      strcmp(word, key) != 0 || n > (size_t)(r->end - r->p) || (size_t)(r->end - r->p) - n < 1 ||
      r->p[n] != '\n')
    return false;
  if ((*out = malloc(n + 1)) == NULL)
    return false;
  memcpy(*out, r->p, n);
  (*out)[n] = '\0';
  if (n_out)
    *n_out = n;
  r->p += n + 1;
  return true;
}

static bool read_double(const char *s, double *out) {
  char *end;
  errno = 0;
  *out = strtod(s, &end);
  return end != s && *end == '\0' && errno == 0 && isfinite(*out);
}

/* "row P v1 ... vW\n" (hex floats, as written), into row; the line may be long. */
static bool read_row(reader *r, size_t p, double *row, size_t width) {
  const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
  if (nl == NULL)
    return false;
  char head[64];
  int used = 0;
  size_t at;
  size_t n = (size_t)(nl - r->p) < sizeof head - 1 ? (size_t)(nl - r->p) : sizeof head - 1;
  memcpy(head, r->p, n);
  head[n] = '\0';
  if (sscanf(head, "row %zu%n", &at, &used) != 1 || at != p)
    return false;
  const char *s = r->p + used;
  for (size_t i = 0; i < width; i++) {
    char *end;
    if (*s != ' ')
      return false;
    errno = 0;
    row[i] = strtod(s + 1, &end);
    if (end == s + 1 || end > nl || errno != 0 || !isfinite(row[i]))
      return false;
    s = end;
  }
  if (s != nl)
    return false;
  r->p = nl + 1;
  return true;
}

void calibration_part_free(calibration_part *p) {
  free(p->version);
  free(p->config_path);
  free(p->config_text);
  free(p->design);
  free(p->objective);
  for (int a = 0; a < p->n_grid; a++)
    free(p->grid[a]);
  free(p->points);
  free(p->paired);
  memset(p, 0, sizeof *p);
}

static dv_status parse_part(reader *r, calibration_part *o, dv_error *err) {
  char buf[512], word[64], v[5][64];
  int format;
  if (!line(r, buf, sizeof buf) || strcmp(buf, PART_MAGIC) != 0)
    return bad(r, err, "not a calibration shard file");
  if (!line(r, buf, sizeof buf) || sscanf(buf, "format %d", &format) != 1)
    return bad(r, err, "no format line");
  if (format != PART_FORMAT)
    return error_set(err, DV_ECONFIG, "%s: format %d; allowed: format %d (this version's)", r->path,
                     format, PART_FORMAT);
  if (!bytes(r, "version", &o->version, NULL))
    return bad(r, err, "no version");
  if (!line(r, buf, sizeof buf) || sscanf(buf, "config_hash %" SCNx64, &o->config_hash) != 1)
    return bad(r, err, "no config hash");
  if (!bytes(r, "config_path", &o->config_path, NULL) ||
      !bytes(r, "config_text", &o->config_text, &o->config_len) ||
      !bytes(r, "design", &o->design, NULL))
    return bad(r, err, "no config or design");
  if (!line(r, buf, sizeof buf) || sscanf(buf, "objective %63s", word) != 1 ||
      (o->objective = strdup(word)) == NULL)
    return bad(r, err, "no objective");
  if (!line(r, buf, sizeof buf) || sscanf(buf, "max_overdose %63s", word) != 1)
    return bad(r, err, "no max_overdose");
  o->has_max_overdose = strcmp(word, "none") != 0;
  if (o->has_max_overdose && !read_double(word, &o->max_overdose))
    return bad(r, err, "a bad max_overdose");
  if (!line(r, buf, sizeof buf) || sscanf(buf, "grid %d", &o->n_grid) != 1 || o->n_grid < 1 ||
      o->n_grid > GRID_MAX_AXES)
    return bad(r, err, "no grid");
  int n_grid = o->n_grid;
  o->n_grid = 0;
  for (int a = 0; a < n_grid; a++) {
    if (!bytes(r, "axis", &o->grid[a], NULL))
      return bad(r, err, "a bad grid axis");
    o->n_grid = a + 1;
  }
  if (!line(r, buf, sizeof buf) ||
      sscanf(buf, "shard %" SCNu64 " %" SCNu64, &o->shard_i, &o->shard_n) != 2 || o->shard_n == 0 ||
      o->shard_i >= o->shard_n)
    return bad(r, err, "no shard line");
  if (!line(r, buf, sizeof buf) ||
      sscanf(buf, "points %zu %zu %zu", &o->n_points, &o->lo, &o->hi) != 3 ||
      o->n_points > GRID_MAX_POINTS || o->hi > o->n_points || o->lo > o->hi)
    return bad(r, err, "no points line");
  size_t lo, hi;
  calibration_shard(o->n_points, o->shard_i, o->shard_n, &lo, &hi);
  if (lo != o->lo || hi != o->hi)
    return bad(r, err, "points that are not its shard's");
  if ((o->points = calloc(o->hi - o->lo + 1, sizeof *o->points)) == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  for (size_t p = o->lo; p < o->hi; p++) {
    size_t at;
    int exact;
    calib_point *q = &o->points[p - o->lo];
    if (!line(r, buf, sizeof buf) ||
        sscanf(buf, "point %zu %d %63s %63s %63s %63s %63s", &at, &exact, v[0], v[1], v[2], v[3],
               v[4]) != 7 ||
        at != p || (exact != 0 && exact != 1) || !read_double(v[0], &q->objective) ||
        !read_double(v[1], &q->objective_mcse) || !read_double(v[2], &q->pct_overdosed) ||
        !read_double(v[3], &q->p_stop) || !read_double(v[4], &q->n_mean))
      return bad(r, err, "a bad point line");
    q->exact = exact;
  }
  if (!line(r, buf, sizeof buf) || sscanf(buf, "paired %d %d", &o->n_batches, &o->n_curves) != 2 ||
      o->n_batches < 0 || o->n_batches > CALIB_BATCHES || o->n_curves < 0 ||
      o->n_curves > (1 << 24))
    return bad(r, err, "no paired line");
  o->width = (size_t)o->n_batches + (size_t)o->n_curves;
  if ((o->paired = calloc((o->hi - o->lo) * o->width + 1, sizeof *o->paired)) == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  for (size_t p = o->lo; p < o->hi; p++)
    if (!read_row(r, p, o->paired + (p - o->lo) * o->width, o->width))
      return bad(r, err, "a bad row line");
  return DV_OK;
}

dv_status calibration_part_read(const char *path, calibration_part *out, dv_error *err) {
  memset(out, 0, sizeof *out);
  FILE *fp = fopen(path, "rb");
  if (fp == NULL)
    return error_set(err, DV_EIO, "%s: %s", path, strerror(errno));
  char *text = NULL;
  size_t len = 0, cap = 0;
  dv_status st = DV_OK;
  for (;;) {
    if (len + 65536 > cap) {
      char *grown = realloc(text, cap = 2 * cap + 65536);
      if (grown == NULL) {
        st = error_set(err, DV_ENOMEM, "out of memory");
        break;
      }
      text = grown;
    }
    size_t got = fread(text + len, 1, cap - len, fp);
    len += got;
    if (got == 0)
      break;
  }
  if (st == DV_OK && ferror(fp))
    st = error_set(err, DV_EIO, "%s: %s", path, strerror(errno));
  fclose(fp);
  reader r = {.path = path, .p = text, .end = text + len};
  if (st == DV_OK) {
    /* the checksum covers every byte before its own line */
    const char *last = NULL;
    for (const char *s = text; len > 0 && s < text + len - 1; s++)
      if (*s == '\n')
        last = s + 1;
    uint64_t sum;
    char tail[64];
    size_t n = last ? (size_t)(text + len - last) : 0;
    if (last == NULL || n >= sizeof tail || text[len - 1] != '\n')
      st = bad(&r, err, "truncated (no checksum line)");
    else {
      memcpy(tail, last, n);
      tail[n] = '\0';
      if (sscanf(tail, "checksum %" SCNx64, &sum) != 1)
        st = bad(&r, err, "truncated (no checksum line)");
      else if (sum != hash_fnv1a64(text, (size_t)(last - text)))
        st = bad(&r, err, "corrupt (its checksum does not match)");
      else
        r.end = last;
    }
  }
  if (st == DV_OK)
    st = parse_part(&r, out, err);
  if (st == DV_OK && r.p != r.end)
    st = bad(&r, err, "more lines than its points");
  free(text);
  if (st != DV_OK)
    calibration_part_free(out);
  return st;
}

static bool same_grid(const calibration_part *a, const calibration_part *b) {
  if (a->n_grid != b->n_grid)
    return false;
  for (int i = 0; i < a->n_grid; i++)
    if (strcmp(a->grid[i], b->grid[i]) != 0)
      return false;
  return true;
}

dv_status calibration_parts_join(const calibration_part *parts, const char *const *paths, int n,
                                 calib_point *points, double *paired, dv_error *err) {
  const calibration_part *f = &parts[0];
  int *holder = malloc((size_t)f->shard_n * sizeof *holder);
  if (holder == NULL)
    return error_set(err, DV_ENOMEM, "out of memory");
  for (uint64_t i = 0; i < f->shard_n; i++)
    holder[i] = -1;
  dv_status st = DV_OK;
  for (int j = 0; j < n && st == DV_OK; j++) {
    const calibration_part *p = &parts[j];
    const char *what = strcmp(p->version, f->version) != 0 ? "another program version"
                       : p->config_hash != f->config_hash || p->config_len != f->config_len ||
                               memcmp(p->config_text, f->config_text, f->config_len) != 0
                           ? "another config"
                       : strcmp(p->design, f->design) != 0       ? "another design"
                       : strcmp(p->objective, f->objective) != 0 ? "another --objective"
                       : p->has_max_overdose != f->has_max_overdose ||
                               (p->has_max_overdose && p->max_overdose != f->max_overdose)
                           ? "another --max-overdose"
                       : !same_grid(p, f)         ? "another --grid"
                       : p->shard_n != f->shard_n ? "another number of shards"
                       : p->n_batches != f->n_batches || p->n_curves != f->n_curves
                           ? "another layout of paired rows"
                           : NULL;
    if (what != NULL)
      st = error_set(err, DV_ECONFIG,
                     "%s: a shard of %s than %s; allowed: the shards of one calibration", paths[j],
                     what, paths[0]);
    else if (holder[p->shard_i] >= 0)
      st = error_set(err, DV_ECONFIG,
                     "%s: shard %" PRIu64 "/%" PRIu64 " again (also %s); allowed: each shard once",
                     paths[j], p->shard_i, p->shard_n, paths[holder[p->shard_i]]);
    else {
      holder[p->shard_i] = j;
      memcpy(points + p->lo, p->points, (p->hi - p->lo) * sizeof *points);
      memcpy(paired + p->lo * p->width, p->paired, (p->hi - p->lo) * p->width * sizeof *paired);
    }
  }
  for (uint64_t i = 0; i < f->shard_n && st == DV_OK; i++)
    if (holder[i] < 0)
      st = error_set(err, DV_ECONFIG,
                     "shard %" PRIu64 "/%" PRIu64 " of the calibration in %s is missing; allowed: "
                     "every shard 0..%" PRIu64 " once",
                     i, f->shard_n, paths[0], f->shard_n - 1);
  free(holder);
  return st;
}
