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
  c[0] = hi - lo; /* the scenario's trial counter: the trials the file holds */
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

/* A scratch folder with shard folders a, b, c inside; removed by drop(). */
typedef struct {
  char root[64];
  char dir[3][96];
  char file[3][128];
} scratch;

static void make(scratch *x) {
  snprintf(x->root, sizeof x->root, "/tmp/dv_merge_XXXXXX");
  cr_assert_not_null(mkdtemp(x->root));
  for (int i = 0; i < 3; i++) {
    snprintf(x->dir[i], sizeof x->dir[i], "%s/%c", x->root, 'a' + i);
    snprintf(x->file[i], sizeof x->file[i], "%s/counters.dvc", x->dir[i]);
  }
}

static void drop(scratch *x) {
  for (int i = 0; i < 3; i++) {
    unlink(x->file[i]);
    rmdir(x->dir[i]);
  }
  rmdir(x->root);
}

static dv_status merge_two(const scratch *x, int a, int b, merge_result *m, dv_error *err) {
  const char *paths[2] = {x->file[a], x->file[b]};
  return merge_files(paths, 2, m, err);
}

Test(merge, sums_files_that_tile_the_trials) {
  config *cfg = support_config(yaml);
  scratch x;
  make(&x);
  shard(x.dir[0], cfg, 0, 40, 2, NULL);
  shard(x.dir[1], cfg, 40, 100, 5, NULL);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two(&x, 0, 1, &m, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(m.counts[0], 100);
  for (size_t i = 1; i < m.layout.total; i++)
    cr_assert_eq(m.counts[i], 7);
  cr_expect_eq(m.ranks, 2);
  cr_expect_eq(m.cfg->seed, 3);
  merge_result_free(&m);
  drop(&x);
  config_free(cfg);
}

/* The second file, edited before it is written, is refused with a message naming it. */
static void refused(void (*edit)(counter_file *), const char *why) {
  config *cfg = support_config(yaml);
  scratch x;
  make(&x);
  shard(x.dir[0], cfg, 0, 40, 1, NULL);
  shard(x.dir[1], cfg, 40, 100, 1, edit);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two(&x, 0, 1, &m, &err), DV_ECONFIG);
  char want[256];
  snprintf(want, sizeof want, "%s: %s", x.file[1], why);
  cr_expect(strstr(err.msg, want) != NULL, "%s", err.msg);
  drop(&x);
  config_free(cfg);
}

Test(merge, refuses_another_version) { refused(old_version, "written by doseval 0.0.1"); }
Test(merge, refuses_another_layout) { refused(other_layout, "another counter layout"); }

/* Issue 27, item 9: counts no run leaves. A count of 2^64 - 1 (it wrapped when summed) and one
 * trial counter that disagrees with the file's ranges are refused, naming the file. */
static void wrapping_count(counter_file *f) { f->counts[5] = UINT64_MAX; }
static void wrong_trials(counter_file *f) { f->counts[0] += 1; }
Test(merge, refuses_counts_no_run_leaves) {
  refused(wrapping_count, "counter 5 of scenario 's' is 18446744073709551615; allowed: at most ");
  refused(wrong_trials, "scenario 's' counts 61 trials where its ranges hold 60");
}

/* Issue 27, item 9: every file's config text is checked, not only the first one's: a second
 * file holding another text under the same config hash is refused naming both files, and a
 * file whose text does not hash to its config_hash is refused naming it. */
static void other_text_same_hash(counter_file *f) { f->config_text[0] ^= 1; }
Test(merge, checks_every_files_config_text) {
  config *cfg = support_config(yaml);
  scratch x;
  make(&x);
  shard(x.dir[0], cfg, 0, 40, 1, NULL);
  shard(x.dir[1], cfg, 40, 100, 1, other_text_same_hash);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two(&x, 0, 1, &m, &err), DV_ECONFIG);
  char want[512];
  snprintf(want, sizeof want, "%s: holds another config text than %s", x.file[1], x.file[0]);
  cr_expect(strstr(err.msg, want) != NULL, "%s", err.msg);
  dv_error first = {0};
  cr_assert_eq(merge_two(&x, 1, 0, &m, &first), DV_ECONFIG);
  snprintf(want, sizeof want, "%s: the config text it holds does not hash to its config_hash",
           x.file[1]);
  cr_expect(strstr(first.msg, want) != NULL, "%s", first.msg);
  drop(&x);
  config_free(cfg);
}

Test(merge, names_missing_and_overlapping_trials) {
  config *cfg = support_config(yaml);
  scratch x;
  make(&x);
  shard(x.dir[0], cfg, 0, 40, 1, NULL);
  shard(x.dir[1], cfg, 50, 100, 1, NULL);
  shard(x.dir[2], cfg, 30, 100, 1, NULL);
  merge_result m;
  dv_error err = {0};
  cr_assert_eq(merge_two(&x, 0, 1, &m, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "'s' trials 40-49") != NULL, "%s", err.msg);
  dv_error err2 = {0};
  cr_assert_eq(merge_two(&x, 0, 2, &m, &err2), DV_ECONFIG);
  cr_expect(strstr(err2.msg, "both hold trials 30-39") != NULL, "%s", err2.msg);
  drop(&x);
  config_free(cfg);
}
