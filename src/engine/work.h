/* work.h — which trials a run owes and in what order: its shard of every scenario, minus the
 * trial ranges a checkpoint already holds, cut into blocks that the ranks take in rounds. A
 * trial's result never depends on who ran it or when, so any cut gives the same counters. */
#ifndef DOSEVAL_WORK_H
#define DOSEVAL_WORK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Trials [lo, hi) of scenario s (its position in the run's scenario list). */
typedef struct {
  int s;
  uint64_t lo, hi;
} work_range;

/* A growable list of ranges; the owner frees it with work_ranges_free. */
typedef struct {
  work_range *r;
  size_t n, cap;
} work_ranges;

void work_ranges_free(work_ranges *w);
dv_status work_ranges_add(work_ranges *w, int s, uint64_t lo, uint64_t hi,
                          dv_error *err) DV_MUST_CHECK;
/* Sorts by (s, lo) and joins ranges that touch. Returns the index of the first range that
 * overlaps its predecessor (after sorting), or -1 when none overlap; overlapping ranges are
 * left unjoined so the caller can name them. */
long work_ranges_normalise(work_ranges *w);
/* Total trials in the list. */
uint64_t work_ranges_trials(const work_ranges *w);

/* Shard i of n (0-based) of a scenario's `trials`: [floor(trials*i/n), floor(trials*(i+1)/n)).
 * The same rule cuts a shard among ranks. */
void work_shard(uint64_t trials, uint64_t i, uint64_t n, uint64_t *lo, uint64_t *hi);

/* What is left to do: for each scenario s0 <= s < s1, [lo, hi) of `trials` for shard i/n,
 * minus `done` (normalised). */
dv_status work_remaining(uint64_t trials, int s0, int s1, uint64_t shard_i, uint64_t shard_n,
                         const work_ranges *done, work_ranges *left, dv_error *err) DV_MUST_CHECK;

/* The remaining ranges cut into blocks of at most `block` trials, in order. */
typedef struct {
  const work_ranges *left;
  uint64_t block;
  uint64_t n_blocks;
  uint64_t *first; /* first block of each range (and n_blocks after the last) */
} work_plan;

dv_status work_plan_init(work_plan *p, const work_ranges *left, uint64_t block,
                         dv_error *err) DV_MUST_CHECK;
void work_plan_free(work_plan *p);
/* Block b (0 <= b < n_blocks), found in O(log ranges). */
work_range work_plan_block(const work_plan *p, uint64_t b);
/* The trials of blocks [0, b) as ranges appended to out (a prefix of the plan). */
dv_status work_plan_done(const work_plan *p, uint64_t b, work_ranges *out,
                         dv_error *err) DV_MUST_CHECK;
/* The trials of blocks [a, b) as ranges appended to out. */
dv_status work_plan_span(const work_plan *p, uint64_t a, uint64_t b, work_ranges *out,
                         dv_error *err) DV_MUST_CHECK;
/* The first block of scenario s or of a later one (n_blocks if there is none). */
uint64_t work_plan_scenario_start(const work_plan *p, int s);

#endif
