/* test_checkpoint.c — the counter file: a round trip keeps every field; any truncation, any
 * changed byte and a wrong version or layout are refused with a message naming the file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  cr_expect_eq(memcmp(f.counts, x.counts, x.l.total * sizeof *x.counts), 0);
  cr_expect_eq(counter_file_matches(&f, x.path, "this run", x.cfg, &x.l, &err), DV_OK);
  config *back = NULL;
  cr_assert_eq(counter_file_config(&f, &back, &err), DV_OK, "%s", err.msg);
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

/* FNV-1a 64 known answers from the test vectors published with FNV (isthe.com/chongo/tech/comp/fnv)
 */
Test(checkpoint, fnv1a64_known_answers) {
  cr_expect_eq(hash_fnv1a64("", 0), 0xcbf29ce484222325u);
  cr_expect_eq(hash_fnv1a64("a", 1), 0xaf63dc4c8601ec8cu);
  cr_expect_eq(hash_fnv1a64("foobar", 6), 0x85944171f73967e8u);
}
