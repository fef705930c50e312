/* checkpoint.h — the counter file (DIR/counters.dvc): a run's integer counters with everything
 * needed to trust, resume and merge them. A run's checkpoint grows part by part as the run goes
 * (each finished scenario, and on a signal or every --checkpoint-every seconds the scenario under
 * way), so what a signal leaves to write is small; the files a run, shard or merge ends with hold
 * one part. `merge` sums several files; `run --resume` carries on from one and adds its own parts.
 * Text, so it reads the same on any machine whatever its endianness (README, "Counter files"):
 *
 *   doseval-counters 2                    format version
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
 *   counts 4000                           counters in all; the parts add into them (0 elsewhere)
 * then one or more parts:
 *   part 2 1.500                          ranks that wrote it, rank-seconds its trials took
 *   ranges 6                              then that many "range S LO HI" lines (run positions):
 *                                         the trials whose counts the part adds
 *   add 0 4000                            then that many decimal integers, one per line, added to
 *                                         counters [0, 4000)
 *   checksum 0123456789abcdef             FNV-1a 64 of every byte of the file before this line
 * A file that ends inside a part (a kill while it was being added) is read without that part.
 */
#ifndef DOSEVAL_CHECKPOINT_H
#define DOSEVAL_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "oc.h"
#include "work.h"

#define CHECKPOINT_FORMAT 2
#define CHECKPOINT_FILE "counters.dvc"

/* One part of a file read: values [off, off + n) of counter_file.values add to counters [at, at +
 * n). */
typedef struct {
  size_t at, n, off;
} counter_part;

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
  int ranks;           /* writing: the part's; read: the last part's */
  double core_seconds; /* writing: the part's; read: the sum over the parts */
  work_ranges ranges;  /* writing: the part's trials; read: every part's, normalised */
  size_t n_counts;     /* counters in all (the layout's) */
  uint64_t *counts;    /* writing: NULL or n_counts of them; read: NULL until counter_file_sum */
  /* read only: */
  uint64_t length, hash; /* bytes of the file's complete parts and their FNV-1a 64 */
  bool torn;             /* the file ended inside a part, which was left out */
  counter_part *parts;
  size_t n_parts, cap_parts;
  uint64_t *values; /* the parts' integers as read */
  size_t n_values, cap_values;
} counter_file;

/* Fills f from a run (copies what it needs; counts and ranges are copied too; counts NULL: the
 * header only, for counter_file_write_from). */
dv_status counter_file_from_run(counter_file *f, const config *cfg, const oc_layout *l,
                                uint64_t shard_i, uint64_t shard_n, int ranks, double core_seconds,
                                const work_ranges *ranges, const uint64_t *counts,
                                dv_error *err) DV_MUST_CHECK;
void counter_file_free(counter_file *f);

/* Counts fetched piece by piece: [at, at + n) into buf (a run keeps only the scenarios it is
 * working on in memory). */
typedef dv_status (*counter_source)(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err);
/* The source for counts held in memory (ctx: the uint64_t array). */
dv_status counter_file_memory(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err);

/* Writes DIR/counters.dvc atomically (temporary name, fsync, rename): f's header and one part
 * with f's ranges, ranks, core_seconds and every count, from f->counts or from `counts`. */
dv_status counter_file_write(const counter_file *f, const char *dir, dv_error *err) DV_MUST_CHECK;
dv_status counter_file_write_from(const counter_file *f, counter_source counts, void *ctx,
                                  const char *dir, dv_error *err) DV_MUST_CHECK;

/* A run's checkpoint, a counter file that grows by parts. Written by one process (rank 0). */
typedef struct {
  int fd;          /* -1: not open */
  char path[4200]; /* DIR/counters.dvc */
  uint64_t length; /* bytes of the file's complete parts */
  uint64_t hash;   /* FNV-1a 64 of those bytes, carried on by the next part */
  uint64_t synced; /* bytes of them known to be on disk */
} counter_log;

void counter_log_init(counter_log *g);
/* Writes DIR/counters.dvc anew, atomically and fsync'ed: f's header and one part with f's
 * ranges, ranks and core_seconds and the counts [0, n) from `counts` (the rest are 0). The log
 * then knows the file's length and hash but is not open (the caller may still move DIR). */
dv_status counter_log_create(counter_log *g, const counter_file *f, counter_source counts,
                             void *ctx, size_t n, const char *dir, dv_error *err) DV_MUST_CHECK;
/* Opens DIR/counters.dvc to add parts after its first g->length bytes, whose hash is g->hash
 * (from counter_log_create, or from counter_file_read's length and hash), cutting off any bytes
 * after them (a part cut short). */
dv_status counter_log_open(counter_log *g, const char *dir, dv_error *err) DV_MUST_CHECK;
/* Adds a part: ranks, rank-seconds, the trials it holds and the counts to add to counters [at,
 * at + n). Not synced (a kill of the process loses nothing written; counter_log_sync guards
 * against a crash of the machine). On failure the file is cut back to its complete parts; if
 * even that fails the log is closed, and only counter_log_create can write it again. */
dv_status counter_log_append(counter_log *g, int ranks, double core_seconds,
                             const work_ranges *ranges, size_t at, size_t n, counter_source counts,
                             void *ctx, dv_error *err) DV_MUST_CHECK;
/* fdatasync of what was added since the last sync. */
dv_status counter_log_sync(counter_log *g, dv_error *err) DV_MUST_CHECK;
void counter_log_close(counter_log *g);

/* Reads and verifies `path`: the header, then each part with its checksum; a last part cut
 * short is left out (f->torn). DV_ECONFIG naming the file and what is wrong (truncated,
 * corrupted or edited, not a counter file). The counts stay in parts until counter_file_sum. */
dv_status counter_file_read(const char *path, counter_file *f, dv_error *err) DV_MUST_CHECK;
/* Adds the parts up into f->counts (n_counts of them, 0 where no part adds); after
 * counter_file_matches, which vouches for n_counts. DV_ECONFIG naming `path` if a sum overflows. */
dv_status counter_file_sum(counter_file *f, const char *path, dv_error *err) DV_MUST_CHECK;

/* The counts after counter_file_sum are ones a run could leave (issue 27, item 9: a
 * hand-edited, re-checksummed count of 2^64 - 1 wrapped when summed): each scenario's trial
 * counter equals the trials its ranges hold, and no counter exceeds those trials times
 * OC_MAX_PER_TRIAL (the most any counter gains in one trial), so no sum of files of one run can
 * pass 2^64 - 1. DV_ECONFIG naming `path` and the counter. */
dv_status counter_file_check_counts(const counter_file *f, const char *path, const config *cfg,
                                    const oc_layout *l, dv_error *err) DV_MUST_CHECK;

/* The config the file at `path` holds (its config text, which counter_file_read checked against
 * the file's config hash), with its designs and scenarios selected as in the run (the caller
 * frees it). Errors name `path` first, then the config text's own problem. */
dv_status counter_file_config(const counter_file *f, const char *path, config **out,
                              dv_error *err) DV_MUST_CHECK;

/* DV_ECONFIG unless f was made by this program version from the config cfg (same bytes, same
 * selection) with the same seed, trials and counter layout; the message names `path`, the first
 * difference and `ref`, what f is compared with ("this run", another file). */
dv_status counter_file_matches(const counter_file *f, const char *path, const char *ref,
                               const config *cfg, const oc_layout *l, dv_error *err) DV_MUST_CHECK;

#endif
