/* test_work.c — shards tile a scenario's trials; ranges normalise and report overlaps; what is
 * left after a checkpoint; blocks and the done prefix of a plan. */
#include <criterion/criterion.h>

#include "work.h"

Test(work, shards_tile_the_trials_exactly) {
  const uint64_t totals[] = {1, 7, 100003, (uint64_t)1 << 40};
  for (size_t t = 0; t < sizeof totals / sizeof totals[0]; t++)
    for (uint64_t n = 1; n <= 17; n++) {
      uint64_t expect = 0;
      for (uint64_t i = 0; i < n; i++) {
        uint64_t lo, hi;
        work_shard(totals[t], i, n, &lo, &hi);
        cr_assert_eq(lo, expect, "shard %lu/%lu of %lu starts at %lu", (unsigned long)i,
                     (unsigned long)n, (unsigned long)totals[t], (unsigned long)lo);
        cr_assert(hi >= lo);
        /* floor(T i / n) in exact arithmetic (T < 2^41, n < 32: no overflow) */
        cr_assert_eq(lo, (uint64_t)((unsigned __int128)totals[t] * i / n));
        expect = hi;
      }
      cr_assert_eq(expect, totals[t]);
    }
}

Test(work, normalise_joins_and_finds_overlaps) {
  dv_error err = {0};
  work_ranges w = {0};
  cr_assert_eq(work_ranges_add(&w, 1, 10, 20, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&w, 0, 5, 9, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&w, 1, 0, 10, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&w, 0, 0, 5, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&w, 0, 3, 3, &err), DV_OK); /* empty: ignored */
  cr_assert_eq(work_ranges_normalise(&w), -1);
  cr_assert_eq(w.n, 2);
  cr_expect(w.r[0].s == 0 && w.r[0].lo == 0 && w.r[0].hi == 9);
  cr_expect(w.r[1].s == 1 && w.r[1].lo == 0 && w.r[1].hi == 20);
  cr_expect_eq(work_ranges_trials(&w), 29);
  cr_assert_eq(work_ranges_add(&w, 1, 19, 25, &err), DV_OK);
  cr_expect_geq(work_ranges_normalise(&w), 0);
  work_ranges_free(&w);
}

Test(work, remaining_is_the_shard_minus_what_is_done) {
  dv_error err = {0};
  work_ranges done = {0}, left = {0};
  /* shard 1/2 of 100 trials: [50, 100); scenario 0 has [60,70) and [90,100) done */
  cr_assert_eq(work_ranges_add(&done, 0, 60, 70, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&done, 0, 90, 100, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&done, 1, 50, 100, &err), DV_OK);
  work_ranges_normalise(&done);
  cr_assert_eq(work_remaining(100, 0, 3, 1, 2, &done, &left, &err), DV_OK);
  cr_assert_eq(left.n, 3);
  cr_expect(left.r[0].s == 0 && left.r[0].lo == 50 && left.r[0].hi == 60);
  cr_expect(left.r[1].s == 0 && left.r[1].lo == 70 && left.r[1].hi == 90);
  cr_expect(left.r[2].s == 2 && left.r[2].lo == 50 && left.r[2].hi == 100);
  work_ranges_free(&done);
  work_ranges_free(&left);
}

Test(work, blocks_cover_the_plan_and_done_is_a_prefix) {
  dv_error err = {0};
  work_ranges left = {0}, done = {0};
  cr_assert_eq(work_ranges_add(&left, 0, 0, 25, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&left, 2, 5, 15, &err), DV_OK);
  work_plan p;
  cr_assert_eq(work_plan_init(&p, &left, 10, &err), DV_OK);
  cr_assert_eq(p.n_blocks, 3 + 1);
  work_range b = work_plan_block(&p, 2);
  cr_expect(b.s == 0 && b.lo == 20 && b.hi == 25);
  b = work_plan_block(&p, 3);
  cr_expect(b.s == 2 && b.lo == 5 && b.hi == 15);
  cr_assert_eq(work_plan_done(&p, 2, &done, &err), DV_OK);
  cr_assert_eq(done.n, 1);
  cr_expect(done.r[0].s == 0 && done.r[0].lo == 0 && done.r[0].hi == 20);
  work_ranges_free(&done);
  cr_assert_eq(work_plan_done(&p, 4, &done, &err), DV_OK);
  cr_expect_eq(work_ranges_trials(&done), 35);
  work_ranges_free(&done);
  work_plan_free(&p);
  work_ranges_free(&left);
}

/* Blocks over many ranges of uneven length: every trial of every range, once, in order. */
Test(work, blocks_over_many_ranges_tile_them_in_order) {
  dv_error err = {0};
  work_ranges left = {0};
  for (int s = 0; s < 1000; s++)
    cr_assert_eq(work_ranges_add(&left, s, (uint64_t)s, (uint64_t)(s + 1 + s % 37), &err), DV_OK);
  work_plan p;
  cr_assert_eq(work_plan_init(&p, &left, 8, &err), DV_OK);
  size_t range = 0;
  uint64_t next = left.r[0].lo;
  for (uint64_t b = 0; b < p.n_blocks; b++) {
    work_range w = work_plan_block(&p, b);
    if (next == left.r[range].hi)
      next = left.r[++range].lo;
    cr_assert(w.s == left.r[range].s && w.lo == next && w.hi > w.lo && w.hi - w.lo <= 8,
              "block %lu", (unsigned long)b);
    next = w.hi;
  }
  cr_expect_eq(range, left.n - 1);
  cr_expect_eq(next, left.r[left.n - 1].hi);
  work_plan_free(&p);
  work_ranges_free(&left);
}

/* A span of blocks as ranges, and where a scenario's blocks start, against the blocks one by
 * one: every span [a, b) of a plan over uneven ranges (two of them for one scenario). */
Test(work, spans_and_scenario_starts_match_the_blocks) {
  dv_error err = {0};
  work_ranges left = {0};
  cr_assert_eq(work_ranges_add(&left, 0, 3, 30, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&left, 1, 0, 7, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&left, 1, 12, 40, &err), DV_OK);
  cr_assert_eq(work_ranges_add(&left, 4, 8, 9, &err), DV_OK);
  work_plan p;
  cr_assert_eq(work_plan_init(&p, &left, 8, &err), DV_OK);
  for (uint64_t a = 0; a <= p.n_blocks; a++)
    for (uint64_t b = a; b <= p.n_blocks; b++) {
      work_ranges got = {0}, want = {0};
      cr_assert_eq(work_plan_span(&p, a, b, &got, &err), DV_OK);
      for (uint64_t k = a; k < b; k++) {
        work_range w = work_plan_block(&p, k);
        cr_assert_eq(work_ranges_add(&want, w.s, w.lo, w.hi, &err), DV_OK);
      }
      work_ranges_normalise(&got);
      work_ranges_normalise(&want);
      cr_assert_eq(got.n, want.n, "span [%lu, %lu)", (unsigned long)a, (unsigned long)b);
      for (size_t i = 0; i < got.n; i++)
        cr_assert(got.r[i].s == want.r[i].s && got.r[i].lo == want.r[i].lo &&
                      got.r[i].hi == want.r[i].hi,
                  "span [%lu, %lu) range %zu", (unsigned long)a, (unsigned long)b, i);
      work_ranges_free(&got);
      work_ranges_free(&want);
    }
  for (int s = 0; s <= 5; s++) {
    uint64_t first = p.n_blocks;
    for (uint64_t k = p.n_blocks; k-- > 0;)
      if (work_plan_block(&p, k).s >= s)
        first = k;
    cr_expect_eq(work_plan_scenario_start(&p, s), first, "scenario %d", s);
  }
  work_plan_free(&p);
  work_ranges_free(&left);
}
