/* merge.h — summing counter files of one run (shards, checkpoints) after checking that they
 * belong together and tile every scenario's trials exactly once. */
#ifndef DOSEVAL_MERGE_H
#define DOSEVAL_MERGE_H

#include <stdint.h>

#include "checkpoint.h"
#include "config.h"
#include "error.h"
#include "oc.h"

typedef struct {
  config *cfg; /* the run's config, selected as the files say */
  oc_layout layout;
  uint64_t *counts; /* the sum */
  int ranks;        /* summed over the files */
  double core_seconds;
} merge_result;

/* Reads the n files, verifies each (checksum, format) and all against the first (program
 * version, config hash, seed, trials, selection, layout), refuses ranges that overlap (naming
 * both files) or leave trials of a scenario uncovered (naming the missing trials), and sums.
 * DV_ECONFIG with the message otherwise; nothing is kept. */
dv_status merge_files(const char *const *paths, int n, merge_result *out,
                      dv_error *err) DV_MUST_CHECK;
void merge_result_free(merge_result *m);

#endif
