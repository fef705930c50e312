/* checkpoint.h — the counter file (DIR/counters.dvc): a run's integer counters with everything
 * needed to trust, resume and merge them. A run writes it at every checkpoint and when it ends;
 * `merge` sums several; `run --resume` carries on from one. Text, so it reads the same on any
 * machine whatever its endianness (README, "Counter files"):
 *
 *   doseval-counters 1                    format version
 *   version 0.1.0                         program version
 *   config_path configs/x.yaml
 *   config_hash 0123456789abcdef          FNV-1a 64 of the config's bytes
 *   config_bytes 1214                     then exactly that many bytes of the config, then \n
 *   seed 20261124
 *   trials 100000                         per scenario, of the whole run (all shards)
 *   shard 0 4                             this file's shard i of n (0 1: unsharded)
 *   designs 0 1 2                         config positions of the designs run
 *   scenarios 0 1 2 3 4 5                 config positions of the named scenarios run
 *   random 1000                           random scenarios run (after the named ones)
 *   layout 89abcdef01234567 K=3 ...       oc's layout hash and description
 *   ranks 2
 *   core_seconds 1.5                      rank-seconds spent so far (for throughput)
 *   ranges 6                              then that many "range S LO HI" lines (run positions)
 *   counts 4000                           then that many decimal integers, one per line
 *   checksum 0123456789abcdef             FNV-1a 64 of every byte before this line
 */
#ifndef DOSEVAL_CHECKPOINT_H
#define DOSEVAL_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "oc.h"
#include "work.h"

#define CHECKPOINT_FORMAT 1
#define CHECKPOINT_FILE "counters.dvc"

typedef struct {
  int format;
  char version[64];
  char *config_path;
  uint64_t config_hash;
  char *config_text;
  size_t config_len;
  uint64_t seed, trials;
  uint64_t shard_i, shard_n;
  int n_designs, n_scenarios;
  int designs[CONFIG_MAX_DESIGNS]; /* config positions */
  int *scenarios; /* config positions of the named scenarios, n_scenarios of them */
  int n_random;   /* random scenarios run (0 or the config's count); they follow the named */
  uint64_t layout_hash;
  char *layout_text;
  int ranks;
  double core_seconds;
  work_ranges ranges; /* trials the counts hold, normalised */
  size_t n_counts;
  uint64_t *counts;
} counter_file;

/* Fills f from a run (copies what it needs; counts and ranges are copied too; counts NULL: the
 * header only, for counter_file_write_from). */
dv_status counter_file_from_run(counter_file *f, const config *cfg, const oc_layout *l,
                                uint64_t shard_i, uint64_t shard_n, int ranks, double core_seconds,
                                const work_ranges *ranges, const uint64_t *counts,
                                dv_error *err) DV_MUST_CHECK;
void counter_file_free(counter_file *f);

/* Writes DIR/counters.dvc atomically (temporary name, fsync, rename). */
dv_status counter_file_write(const counter_file *f, const char *dir, dv_error *err) DV_MUST_CHECK;
/* The same with the counts [at, at + n) fetched piece by piece from `counts` (f->counts unused):
 * a run keeps only the scenarios it is working on in memory. */
typedef dv_status (*counter_source)(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err);
/* The source for counts held in memory (ctx: the uint64_t array). */
dv_status counter_file_memory(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err);
dv_status counter_file_write_from(const counter_file *f, counter_source counts, void *ctx,
                                  const char *dir, dv_error *err) DV_MUST_CHECK;

/* Reads and verifies the checksum and syntax of `path`; DV_ECONFIG naming the file and what is
 * wrong (truncated, corrupted or edited, not a counter file). */
dv_status counter_file_read(const char *path, counter_file *f, dv_error *err) DV_MUST_CHECK;

/* The config the file was made from, with its designs and scenarios selected as in the run
 * (the caller frees it). */
dv_status counter_file_config(const counter_file *f, config **out, dv_error *err) DV_MUST_CHECK;

/* DV_ECONFIG unless f was made by this program version from the config cfg (same bytes, same
 * selection) with the same seed, trials and counter layout; the message names `path`, the first
 * difference and `ref`, what f is compared with ("this run", another file). */
dv_status counter_file_matches(const counter_file *f, const char *path, const char *ref,
                               const config *cfg, const oc_layout *l, dv_error *err) DV_MUST_CHECK;

#endif
