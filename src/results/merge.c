/* merge.c — verify and sum counter files (see merge.h). */
#include "merge.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios.h"

void merge_result_free(merge_result *m) {
  config_free(m->cfg);
  free(m->counts);
  memset(m, 0, sizeof *m);
}

typedef struct {
  work_range r;
  int file;
} tagged;

static int by_start(const void *a, const void *b) {
  const tagged *x = a, *y = b;
  if (x->r.s != y->r.s)
    return x->r.s < y->r.s ? -1 : 1;
  return x->r.lo < y->r.lo ? -1 : x->r.lo > y->r.lo;
}

/* Overlaps and gaps among every file's ranges. */
static dv_status check_tiling(const char *const *paths, int n_files, tagged *t, size_t n,
                              const config *cfg, dv_error *err) {
  if (n > 1)
    qsort(t, n, sizeof *t, by_start);
  char name[32];
  for (size_t i = 1; i < n; i++)
    if (t[i].r.s == t[i - 1].r.s && t[i].r.lo < t[i - 1].r.hi)
      return error_set(err, DV_ECONFIG,
                       "%s and %s: both hold trials %" PRIu64 "-%" PRIu64
                       " of scenario '%s' (overlapping shards)",
                       paths[t[i - 1].file], paths[t[i].file], t[i].r.lo,
                       (t[i].r.hi < t[i - 1].r.hi ? t[i].r.hi : t[i - 1].r.hi) - 1,
                       config_scenario_name(cfg, t[i].r.s, name, sizeof name));
  char missing[512] = "";
  size_t used = 0, k = 0;
  int gaps = 0;
  for (int s = 0; s < cfg->n_scenarios; s++) {
    uint64_t at = 0;
    for (; k < n && t[k].r.s == s; k++) {
      if (t[k].r.lo > at && gaps++ < 4)
        used +=
            (size_t)snprintf(missing + used, used < sizeof missing ? sizeof missing - used : 0,
                             "%s'%s' trials %" PRIu64 "-%" PRIu64, used ? ", " : "",
                             config_scenario_name(cfg, s, name, sizeof name), at, t[k].r.lo - 1);
      at = t[k].r.hi;
    }
    if (at < cfg->trials && gaps++ < 4)
      used +=
          (size_t)snprintf(missing + used, used < sizeof missing ? sizeof missing - used : 0,
                           "%s'%s' trials %" PRIu64 "-%" PRIu64, used ? ", " : "",
                           config_scenario_name(cfg, s, name, sizeof name), at, cfg->trials - 1);
  }
  if (gaps > 0)
    return error_set(err, DV_ECONFIG,
                     "trials missing from the %d folder(s) given: %s%s (of %" PRIu64
                     " per scenario, numbered from 0); add the shards that hold them",
                     n_files, missing, gaps > 4 ? ", ..." : "", cfg->trials);
  return DV_OK;
}

dv_status merge_files(const char *const *paths, int n, merge_result *out, dv_error *err) {
  memset(out, 0, sizeof *out);
  counter_file f = {0};
  tagged *t = NULL;
  size_t nt = 0, cap = 0;
  dv_status st = n > 0 ? DV_OK : error_set(err, DV_EUSAGE, "merge: no counter files");
  char *first_text = NULL; /* the first file's config text: every other must hold the same */
  size_t first_len = 0;
  for (int i = 0; i < n && st == DV_OK; i++) {
    st = counter_file_read(paths[i], &f, err);
    /* the config is read from the first file's text: every file must hold that text, and the
     * text must be the one its config_hash names (not edited after the fact) */
    if (st == DV_OK && i > 0 &&
        (f.config_len != first_len || memcmp(f.config_text, first_text, first_len) != 0))
      st = error_set(err, DV_ECONFIG,
                     "%s: holds another config text than %s (%zu bytes, %zu there); allowed: "
                     "files of one run, which hold the same config",
                     paths[i], paths[0], f.config_len, first_len);
    if (st == DV_OK && config_hash_bytes(f.config_text, f.config_len) != f.config_hash)
      st = error_set(err, DV_ECONFIG,
                     "%s: the config text it holds does not hash to its config_hash %016" PRIx64
                     "; allowed: the text doseval wrote (the file was edited)",
                     paths[i], f.config_hash);
    if (st == DV_OK && i == 0) {
      st = counter_file_config(&f, paths[0], &out->cfg, err);
      first_text = f.config_text;
      first_len = f.config_len;
      f.config_text = NULL;
      if (st == DV_OK)
        st = oc_layout_init(&out->layout, out->cfg, err);
      if (st == DV_OK && (out->counts = calloc(out->layout.total, sizeof *out->counts)) == NULL)
        st = error_set(err, DV_ENOMEM, "merge: out of memory");
    }
    if (st == DV_OK)
      st = counter_file_matches(&f, paths[i], paths[0], out->cfg, &out->layout, err);
    if (st == DV_OK)
      st = counter_file_sum(&f, paths[i], err);
    if (st == DV_OK)
      st = counter_file_check_counts(&f, paths[i], out->cfg, &out->layout, err);
    for (size_t r = 0; r < f.ranges.n && st == DV_OK; r++) {
      if (nt == cap) {
        cap = cap ? 2 * cap : 64;
        tagged *g = realloc(t, cap * sizeof *t);
        if (g == NULL) {
          st = error_set(err, DV_ENOMEM, "merge: out of memory");
          break;
        }
        t = g;
      }
      t[nt++] = (tagged){f.ranges.r[r], i};
    }
    if (st == DV_OK) {
      oc_add(&out->layout, out->counts, f.counts);
      out->ranks += f.ranks;
      out->core_seconds += f.core_seconds;
    }
    counter_file_free(&f);
  }
  if (st == DV_OK)
    st = check_tiling(paths, n, t, nt, out->cfg, err);
  free(t);
  free(first_text);
  if (st != DV_OK)
    merge_result_free(out);
  return st;
}
