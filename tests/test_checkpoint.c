/* test_checkpoint.c — the counter file: a round trip keeps every field; any truncation, any
 * changed byte and a wrong version or layout are refused with a message naming the file. A
 * checkpoint that grew by parts reads as their sum; cut anywhere, it reads as the parts before
 * the cut or is refused, never as other counts; a part that cannot be written leaves the file as
 * it was. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checkpoint.h"
#include "hash.h"
#include "support_sim.h"

static const char yaml[] =
    "study: {name: c, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 9}\n"
    "designs: [{name: A, type: threeplusthree}, {name: B, type: boin}]\n"
    "scenarios: [{name: s, p_tox: [0.1, 0.3, 0.5]}, {name: t, p_tox: [0.2, 0.3, 0.4]}]\n"
    "simulation: {trials: 1000, seed: 42}\n";

typedef struct {
  config *cfg;
  oc_layout l;
  uint64_t *counts;
  work_ranges ranges;
  char dir[64];
  char path[128];
} fixture;

static void make(fixture *x) {
  dv_error err = {0};
  x->cfg = support_config(yaml);
  cr_assert_eq(oc_layout_init(&x->l, x->cfg, &err), DV_OK);
  x->counts = calloc(x->l.total, sizeof *x->counts);
  for (size_t i = 0; i < x->l.total; i++)
    x->counts[i] = i * 7919u + ((uint64_t)1 << 40); /* big numbers: no 32-bit shortcut */
  memset(&x->ranges, 0, sizeof x->ranges);
  cr_assert_eq(work_ranges_add(&x->ranges, 0, 0, 250, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&x->ranges, 1, 100, 250, &err), DV_OK);
  snprintf(x->dir, sizeof x->dir, "/tmp/dv_ckpt_XXXXXX");
  cr_assert_not_null(mkdtemp(x->dir));
  snprintf(x->path, sizeof x->path, "%s/%s", x->dir, CHECKPOINT_FILE);
  counter_file f;
  cr_assert_eq(counter_file_from_run(&f, x->cfg, &x->l, 0, 4, 3, 12.5, &x->ranges, x->counts, &err),
               DV_OK);
  cr_assert_eq(counter_file_write(&f, x->dir, &err), DV_OK, "%s", err.msg);
  counter_file_free(&f);
}

static void drop(fixture *x) {
  unlink(x->path);
  rmdir(x->dir);
  work_ranges_free(&x->ranges);
  free(x->counts);
  config_free(x->cfg);
}

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  cr_assert_not_null(fp);
  fseek(fp, 0, SEEK_END);
  *len = (size_t)ftell(fp);
  rewind(fp);
  char *b = malloc(*len);
  cr_assert_eq(fread(b, 1, *len, fp), *len);
  fclose(fp);
  return b;
}

static void spit(const char *path, const char *b, size_t len) {
  FILE *fp = fopen(path, "wb");
  cr_assert_not_null(fp);
  cr_assert_eq(fwrite(b, 1, len, fp), len);
  fclose(fp);
}

Test(checkpoint, round_trip_keeps_everything) {
  fixture x;
  make(&x);
  dv_error err = {0};
  counter_file f;
  cr_assert_eq(counter_file_read(x.path, &f, &err), DV_OK, "%s", err.msg);
  cr_expect_eq(f.format, CHECKPOINT_FORMAT);
  cr_expect_str_eq(f.version, DOSEVAL_VERSION);
  cr_expect_eq(f.config_hash, x.cfg->hash);
  cr_expect_eq(f.config_len, x.cfg->text_len);
  cr_expect_eq(memcmp(f.config_text, x.cfg->text, f.config_len), 0);
  cr_expect_eq(f.seed, 42);
  cr_expect_eq(f.trials, 1000);
  cr_expect(f.shard_i == 0 && f.shard_n == 4 && f.ranks == 3);
  cr_expect_float_eq(f.core_seconds, 12.5, 1e-9);
  cr_expect(f.n_designs == 2 && f.designs[1] == 1 && f.n_scenarios == 2 && f.scenarios[1] == 1);
  cr_expect_eq(f.layout_hash, oc_layout_hash(&x.l));
  cr_assert_eq(f.ranges.n, 2);
  cr_expect(f.ranges.r[1].s == 1 && f.ranges.r[1].lo == 100 && f.ranges.r[1].hi == 250);
  cr_assert_eq(f.n_counts, x.l.total);
  cr_expect(!f.torn && f.n_parts == 1);
  cr_expect_eq(counter_file_matches(&f, x.path, "this run", x.cfg, &x.l, &err), DV_OK);
  cr_assert_eq(counter_file_sum(&f, x.path, &err), DV_OK);
  cr_expect_eq(memcmp(f.counts, x.counts, x.l.total * sizeof *x.counts), 0);
  config *back = NULL;
  cr_assert_eq(counter_file_config(&f, x.path, &back, &err), DV_OK, "%s", err.msg);
  cr_expect_eq(back->hash, x.cfg->hash);
  cr_expect_eq(back->n_designs, 2);
  config_free(back);
  counter_file_free(&f);
  drop(&x);
}

Test(checkpoint, every_truncation_is_refused) {
  fixture x;
  make(&x);
  size_t len;
  char *b = slurp(x.path, &len);
  for (size_t cut = 0; cut < len; cut += 1 + cut / 50) {
    spit(x.path, b, cut);
    dv_error err = {0};
    counter_file f;
    cr_assert_eq(counter_file_read(x.path, &f, &err), DV_ECONFIG, "cut at %zu read", cut);
    cr_assert(strstr(err.msg, x.path) != NULL, "%s", err.msg);
  }
  free(b);
  drop(&x);
}

Test(checkpoint, every_changed_byte_is_refused) {
  fixture x;
  make(&x);
  size_t len;
  char *b = slurp(x.path, &len);
  for (size_t at = 0; at < len; at += 1 + at / 100) {
    char keep = b[at];
    b[at] = keep == '7' ? '8' : '7';
    spit(x.path, b, len);
    b[at] = keep;
    dv_error err = {0};
    counter_file f;
    cr_assert_eq(counter_file_read(x.path, &f, &err), DV_ECONFIG, "byte %zu changed, read", at);
  }
  free(b);
  drop(&x);
}

Test(checkpoint, another_version_or_layout_is_refused) {
  fixture x;
  make(&x);
  dv_error err = {0};
  counter_file f;
  cr_assert_eq(counter_file_read(x.path, &f, &err), DV_OK);
  snprintf(f.version, sizeof f.version, "0.0.1");
  cr_expect_eq(counter_file_matches(&f, x.path, "this run", x.cfg, &x.l, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "written by doseval 0.0.1") != NULL, "%s", err.msg);
  snprintf(f.version, sizeof f.version, "%s", DOSEVAL_VERSION);
  f.layout_hash ^= 1;
  dv_error err2 = {0};
  cr_expect_eq(counter_file_matches(&f, x.path, "this run", x.cfg, &x.l, &err2), DV_ECONFIG);
  cr_expect(strstr(err2.msg, "another counter layout") != NULL, "%s", err2.msg);
  counter_file_free(&f);
  drop(&x);
}

/* A checkpoint grown by parts: a first one from counter_log_create (scenario 0, trials
 * [0, 250), its counts only), then one adding trials [250, 600) of scenario 0 and [0, 100) of
 * scenario 1, then one adding [600, 1000) of scenario 0. parts[k] is what part k adds. */
typedef struct {
  fixture x;
  uint64_t *parts[3];
  work_ranges ranges[3];
  size_t ends[3]; /* file length after part k */
} grown;

static void grow_file(grown *g) {
  fixture *x = &g->x;
  dv_error err = {0};
  x->cfg = support_config(yaml);
  cr_assert_eq(oc_layout_init(&x->l, x->cfg, &err), DV_OK);
  size_t ss = x->l.scenario_size, total = x->l.total;
  snprintf(x->dir, sizeof x->dir, "/tmp/dv_ckpt_XXXXXX");
  cr_assert_not_null(mkdtemp(x->dir));
  snprintf(x->path, sizeof x->path, "%s/%s", x->dir, CHECKPOINT_FILE);
  memset(&x->ranges, 0, sizeof x->ranges);
  x->counts = NULL;
  const work_range spans[3][2] = {
      {{0, 0, 250}, {0, 0, 0}}, {{0, 250, 600}, {1, 0, 100}}, {{0, 600, 1000}, {0, 0, 0}}};
  for (int k = 0; k < 3; k++) {
    g->parts[k] = calloc(total, sizeof *g->parts[k]);
    memset(&g->ranges[k], 0, sizeof g->ranges[k]);
    for (int i = 0; i < 2; i++)
      cr_assert_eq(
          work_ranges_add(&g->ranges[k], spans[k][i].s, spans[k][i].lo, spans[k][i].hi, &err),
          DV_OK);
    size_t upto = k == 1 ? 2 * ss : ss; /* the part's scenarios */
    for (size_t i = 0; i < upto; i++)
      g->parts[k][i] = (i * 31 + (uint64_t)k * 7) % 1000 + ((uint64_t)k << 33);
  }
  counter_file f;
  cr_assert_eq(counter_file_from_run(&f, x->cfg, &x->l, 0, 1, 2, 1.25, &g->ranges[0], NULL, &err),
               DV_OK);
  counter_log log;
  counter_log_init(&log);
  cr_assert_eq(counter_log_create(&log, &f, counter_file_memory, g->parts[0], ss, x->dir, &err),
               DV_OK, "%s", err.msg);
  counter_file_free(&f);
  cr_assert_eq(counter_log_open(&log, x->dir, &err), DV_OK, "%s", err.msg);
  g->ends[0] = (size_t)log.length;
  cr_assert_eq(counter_log_append(&log, 3, 2.5, &g->ranges[1], 0, 2 * ss, counter_file_memory,
                                  g->parts[1], &err),
               DV_OK, "%s", err.msg);
  g->ends[1] = (size_t)log.length;
  cr_assert_eq(counter_log_append(&log, 1, 0.5, &g->ranges[2], 0, ss, counter_file_memory,
                                  g->parts[2], &err),
               DV_OK, "%s", err.msg);
  g->ends[2] = (size_t)log.length;
  cr_assert_eq(counter_log_sync(&log, &err), DV_OK);
  counter_log_close(&log);
}

static void drop_grown(grown *g) {
  for (int k = 0; k < 3; k++) {
    free(g->parts[k]);
    work_ranges_free(&g->ranges[k]);
  }
  drop(&g->x);
}

/* The file at path holds exactly parts [0, k): their sum, their ranges, the last one's ranks. */
static void expect_parts(grown *g, const char *path, int k, const char *what) {
  dv_error err = {0};
  counter_file f;
  cr_assert_eq(counter_file_read(path, &f, &err), DV_OK, "%s: %s", what, err.msg);
  cr_assert_eq(f.n_parts, (size_t)k, "%s: %zu parts", what, f.n_parts);
  cr_assert_eq(f.length, g->ends[k - 1], "%s", what);
  cr_assert_eq(counter_file_matches(&f, path, "this run", g->x.cfg, &g->x.l, &err), DV_OK);
  cr_assert_eq(counter_file_sum(&f, path, &err), DV_OK);
  work_ranges want = {0};
  for (size_t i = 0; i < g->x.l.total; i++) {
    uint64_t sum = 0;
    for (int j = 0; j < k; j++)
      sum += g->parts[j][i];
    cr_assert_eq(f.counts[i], sum, "%s: counter %zu", what, i);
  }
  for (int j = 0; j < k; j++)
    for (size_t i = 0; i < g->ranges[j].n; i++)
      cr_assert_eq(work_ranges_add(&want, g->ranges[j].r[i].s, g->ranges[j].r[i].lo,
                                   g->ranges[j].r[i].hi, &err),
                   DV_OK);
  work_ranges_normalise(&want);
  cr_assert_eq(f.ranges.n, want.n, "%s", what);
  for (size_t i = 0; i < want.n; i++)
    cr_assert(f.ranges.r[i].s == want.r[i].s && f.ranges.r[i].lo == want.r[i].lo &&
                  f.ranges.r[i].hi == want.r[i].hi,
              "%s: range %zu", what, i);
  cr_expect_eq(f.ranks, k == 1 ? 2 : k == 2 ? 3 : 1, "%s", what);
  cr_expect_float_eq(f.core_seconds, k == 1 ? 1.25 : k == 2 ? 3.75 : 4.25, 1e-9, "%s", what);
  work_ranges_free(&want);
  counter_file_free(&f);
}

Test(checkpoint, parts_add_up) {
  grown g;
  grow_file(&g);
  expect_parts(&g, g.x.path, 3, "whole file");
  drop_grown(&g);
}

/* Cut anywhere: the parts wholly before the cut, or (inside the first part) refused. */
Test(checkpoint, a_cut_leaves_the_parts_before_it) {
  grown g;
  grow_file(&g);
  size_t len;
  char *b = slurp(g.x.path, &len);
  for (size_t cut = 0; cut < len; cut += 1 + cut / 300) {
    spit(g.x.path, b, cut);
    char what[64];
    snprintf(what, sizeof what, "cut at %zu", cut);
    if (cut < g.ends[0]) {
      dv_error err = {0};
      counter_file f;
      cr_assert_eq(counter_file_read(g.x.path, &f, &err), DV_ECONFIG, "%s read", what);
      continue;
    }
    int k = cut < g.ends[1] ? 1 : cut < g.ends[2] ? 2 : 3;
    expect_parts(&g, g.x.path, k, what);
  }
  free(b);
  drop_grown(&g);
}

/* A changed byte in a part that others follow is always refused; in the last part it is
 * refused unless it only looks like a cut (the last newline), which leaves that part out. */
Test(checkpoint, a_changed_byte_in_any_part_is_refused) {
  grown g;
  grow_file(&g);
  size_t len;
  char *b = slurp(g.x.path, &len);
  for (size_t at = 0; at < len; at += 1 + at / 200) {
    char keep = b[at];
    b[at] = keep == '7' ? '8' : '7';
    spit(g.x.path, b, len);
    b[at] = keep;
    dv_error err = {0};
    counter_file f;
    dv_status st = counter_file_read(g.x.path, &f, &err);
    if (st == DV_OK) {
      cr_assert_eq(at, len - 1, "byte %zu changed, read", at);
      counter_file_free(&f);
      expect_parts(&g, g.x.path, 2, "last newline changed");
    }
  }
  free(b);
  drop_grown(&g);
}

/* Opening a log cut inside a part cuts that part off, so a shorter part added next reads back
 * (left there, the rest of the cut part would follow it as lines that are not a part). */
Test(checkpoint, a_log_cut_short_is_mended_by_the_next_part) {
  grown g;
  grow_file(&g);
  size_t len;
  char *b = slurp(g.x.path, &len);
  spit(g.x.path, b, g.ends[2] - 1);
  dv_error err = {0};
  counter_file f;
  cr_assert_eq(counter_file_read(g.x.path, &f, &err), DV_OK, "%s", err.msg);
  cr_expect(f.torn);
  counter_log log;
  counter_log_init(&log);
  log.length = f.length;
  log.hash = f.hash;
  counter_file_free(&f);
  cr_assert_eq(counter_log_open(&log, g.x.dir, &err), DV_OK, "%s", err.msg);
  work_ranges one = {0};
  cr_assert_eq(work_ranges_add(&one, 1, 100, 101, &err), DV_OK);
  size_t ss = g.x.l.scenario_size;
  uint64_t *small = calloc(ss + 3, sizeof *small); /* a source is indexed by counter */
  small[ss] = 5;
  small[ss + 1] = 6;
  small[ss + 2] = 7;
  cr_assert_eq(counter_log_append(&log, 1, 0.5, &one, ss, 3, counter_file_memory, small, &err),
               DV_OK, "%s", err.msg);
  counter_log_close(&log);
  cr_assert_eq(counter_file_read(g.x.path, &f, &err), DV_OK, "%s", err.msg);
  cr_expect(!f.torn && f.n_parts == 3);
  cr_assert_eq(counter_file_sum(&f, g.x.path, &err), DV_OK);
  for (size_t i = ss; i < ss + 3; i++)
    cr_expect_eq(f.counts[i], g.parts[1][i] + small[i], "counter %zu", i);
  free(small);
  counter_file_free(&f);
  work_ranges_free(&one);
  free(b);
  drop_grown(&g);
}

/* A part that cannot be written (the file may not grow: as a full disk) fails, and leaves the
 * file as it was, still open to add parts once there is room. */
Test(checkpoint, a_failed_part_leaves_the_file_as_it_was) {
  grown g;
  grow_file(&g);
  size_t len;
  char *b = slurp(g.x.path, &len);
  spit(g.x.path, b, g.ends[1]);
  dv_error err = {0};
  counter_file f;
  cr_assert_eq(counter_file_read(g.x.path, &f, &err), DV_OK, "%s", err.msg);
  counter_log log;
  counter_log_init(&log);
  log.length = f.length;
  log.hash = f.hash;
  counter_file_free(&f);
  cr_assert_eq(counter_log_open(&log, g.x.dir, &err), DV_OK, "%s", err.msg);
  signal(SIGXFSZ, SIG_IGN); /* past the limit, write fails with EFBIG instead */
  struct rlimit lim = {.rlim_cur = g.ends[1] + 100, .rlim_max = RLIM_INFINITY};
  cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
  cr_assert_eq(counter_log_append(&log, 1, 0.5, &g.ranges[2], 0, g.x.l.scenario_size,
                                  counter_file_memory, g.parts[2], &err),
               DV_EIO);
  cr_expect(strstr(err.msg, g.x.path) != NULL, "%s", err.msg);
  cr_assert_geq(log.fd, 0, "cut back, so still open");
  size_t now;
  char *c = slurp(g.x.path, &now);
  cr_assert_eq(now, g.ends[1], "the file is cut back to its complete parts");
  cr_expect_eq(memcmp(b, c, now), 0);
  free(c);
  lim.rlim_cur = RLIM_INFINITY;
  cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
  dv_error err2 = {0};
  cr_assert_eq(counter_log_append(&log, 1, 0.5, &g.ranges[2], 0, g.x.l.scenario_size,
                                  counter_file_memory, g.parts[2], &err2),
               DV_OK, "%s", err2.msg);
  counter_log_close(&log);
  expect_parts(&g, g.x.path, 3, "after room was made");
  free(b);
  drop_grown(&g);
}

/* FNV-1a 64 known answers from the test vectors published with FNV (isthe.com/chongo/tech/comp/fnv)
 */
Test(checkpoint, fnv1a64_known_answers) {
  cr_expect_eq(hash_fnv1a64("", 0), 0xcbf29ce484222325u);
  cr_expect_eq(hash_fnv1a64("a", 1), 0xaf63dc4c8601ec8cu);
  cr_expect_eq(hash_fnv1a64("foobar", 6), 0x85944171f73967e8u);
}
