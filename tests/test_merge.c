/* test_merge.c — merge_files sums files that tile the trials and refuses, naming the file, ones of
 * another program version or counter layout (which the command line cannot produce; the other
 * refusals are exercised end to end in tests/e2e/badinput_merge.sh). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "merge.h"
#include "support_sim.h"

static const char yaml[] =
    "study: {name: m, doses: [1, 2, 3], target: 0.3, cohort_size: 3, max_n: 9}\n"
    "designs: [{name: A, type: threeplusthree}]\n"
    "scenarios: [{name: s, p_tox: [0.1, 0.3, 0.5]}]\n"
    "simulation: {trials: 100, seed: 3}\n";

/* Writes DIR/counters.dvc holding trials [lo, hi) with every counter = fill; `edit` may change
 * the file's fields before it is written. */
static void shard(const char *dir, const config *cfg, uint64_t lo, uint64_t hi, uint64_t fill,
                  void (*edit)(counter_file *)) {
  dv_error err = {0};
  oc_layout l;
  cr_assert_eq(oc_layout_init(&l, cfg, &err), DV_OK);
  uint64_t *c = malloc(l.total * sizeof *c);
  for (size_t i = 0; i < l.total; i++)
    c[i] = fill;
  work_ranges r = {0};
  cr_assert_eq(work_ranges_add(&r, 0, lo, hi, &err), DV_OK);
  counter_file f;
  cr_assert_eq(counter_file_from_run(&f, cfg, &l, 0, 1, 1, 1.0, &r, c, &err), DV_OK);
  if (edit)
    edit(&f);
  mkdir(dir, 0700);
  cr_assert_eq(counter_file_write(&f, dir, &err), DV_OK, "%s", err.msg);
  counter_file_free(&f);
  work_ranges_free(&r);
  free(c);
}

static void old_version(counter_file *f) { snprintf(f->version, sizeof f->version, "0.0.1"); }
static void other_layout(counter_file *f) { f->layout_hash ^= 0x10; }

static dv_status merge_two(const char *a, const char *b, merge_result *m, dv_error *err) {
  char pa[128], pb[128];
  snprintf(pa, sizeof pa, "%s/counters.dvc", a);
  snprintf(pb, sizeof pb, "%s/counters.dvc", b);
  const char *paths[2] = {pa, pb};
  return merge_files(paths, 2, m, err);
}

Test(merge, sums_files_that_tile_the_trials) {
  config *cfg = support_config(yaml);
  shard("/tmp/dv_merge_a", cfg, 0, 40, 2, NULL);
  shard("/tmp/dv_merge_b", cfg, 40, 100, 5, NULL);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two("/tmp/dv_merge_a", "/tmp/dv_merge_b", &m, &err), DV_OK, "%s", err.msg);
  for (size_t i = 0; i < m.layout.total; i++)
    cr_assert_eq(m.counts[i], 7);
  cr_expect_eq(m.ranks, 2);
  cr_expect_eq(m.cfg->seed, 3);
  merge_result_free(&m);
  config_free(cfg);
}

Test(merge, refuses_another_version) {
  config *cfg = support_config(yaml);
  shard("/tmp/dv_merge_c", cfg, 0, 40, 1, NULL);
  shard("/tmp/dv_merge_d", cfg, 40, 100, 1, old_version);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two("/tmp/dv_merge_c", "/tmp/dv_merge_d", &m, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "/tmp/dv_merge_d/counters.dvc: written by doseval 0.0.1") != NULL, "%s",
            err.msg);
  config_free(cfg);
}

Test(merge, refuses_another_layout) {
  config *cfg = support_config(yaml);
  shard("/tmp/dv_merge_e", cfg, 0, 40, 1, NULL);
  shard("/tmp/dv_merge_f", cfg, 40, 100, 1, other_layout);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two("/tmp/dv_merge_e", "/tmp/dv_merge_f", &m, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "/tmp/dv_merge_f/counters.dvc: another counter layout") != NULL, "%s",
            err.msg);
  config_free(cfg);
}

Test(merge, names_missing_and_overlapping_trials) {
  config *cfg = support_config(yaml);
  shard("/tmp/dv_merge_g", cfg, 0, 40, 1, NULL);
  shard("/tmp/dv_merge_h", cfg, 50, 100, 1, NULL);
  shard("/tmp/dv_merge_i", cfg, 30, 100, 1, NULL);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two("/tmp/dv_merge_g", "/tmp/dv_merge_h", &m, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "'s' trials 40-49") != NULL, "%s", err.msg);
  dv_error err2 = {0};
  cr_assert_eq(merge_two("/tmp/dv_merge_g", "/tmp/dv_merge_i", &m, &err2), DV_ECONFIG);
  cr_expect(strstr(err2.msg, "both hold trials 30-39") != NULL, "%s", err2.msg);
  config_free(cfg);
}
