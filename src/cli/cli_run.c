/* cli_run.c — `doseval run`: set-up (config, counters, the trials still owed: the shard minus a
 * checkpoint's), the loop over rounds of blocks (each rank a share of a round's blocks, by its
 * pace; after each round the ranks agree on signals and checkpoints, and the checkpoint gains
 * the scenarios just finished), wrap-up (sum the integer counters on rank 0, which alone prints
 * and writes). SPEC sections 4, 7, 9 and 10. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "checkpoint.h"
#include "cli.h"
#include "cli_common.h"
#include "number.h"
#include "oc.h"
#include "par.h"
#include "results.h"
#include "scenarios.h"
#include "trial.h"
#include "work.h"

/* Each design's decision graph holds at most this many states per rank (README: memory). */
#define RUN_GRAPH_NODES ((size_t)1 << 20)
/* Trials per block, the unit of work of a rank and of a checkpoint. */
#define RUN_BLOCK_TRIALS 8192
/* After each round of blocks the ranks agree on flags (a signal, a checkpoint due), and nobody
 * starts the next round before the slowest has finished this one. So each rank takes as many
 * blocks as it did in some RUN_ROUND_SECONDS at its pace in the round before: a rank slowed by
 * another process on its core takes fewer, instead of holding up the others, and a signal is
 * acted on at once. Each rank takes up to RUN_ROUND_BLOCKS blocks a round. */
#define RUN_ROUND_SECONDS 0.05
#define RUN_ROUND_BLOCKS 256
#define MAX_SHARDS 1000000

static const char run_about[] =
    "Simulates every design of CONFIG under every scenario on common random numbers, splits the\n"
    "trials over the MPI ranks, and writes oc.csv, summary.json, report.html and counters.dvc to\n"
    "--out (default results/<config stem>/) and a table to stdout. A --shard run writes only\n"
    "counters.dvc, for `doseval merge`.\n";

/* Signals only set these; the loop acts on them at the next block boundary. The one mutable
 * global state of the program, as a signal handler requires. */
static volatile sig_atomic_t stop_signal, checkpoint_signal;

static void on_stop(int sig) { stop_signal = sig; }
static void on_checkpoint(int sig) { checkpoint_signal = sig; }

enum { FLAG_STOP = 1, FLAG_CHECKPOINT = 2, FLAG_INT = 4 };

typedef struct {
  const char *config_path;
  uint64_t trials, seed, shard_i, shard_n;
  bool has_trials, has_seed, quiet, resume, sharded;
  double checkpoint_every; /* 0: only on signals */
  const char *out;
  cli_selection select;
} run_args;

static dv_status parse_shard(const char *text, run_args *a, dv_error *err) {
  const char *slash = strchr(text, '/');
  char i_text[32], shown[512];
  size_t n = slash ? (size_t)(slash - text) : 0;
  bool ok = slash != NULL && n > 0 && n < sizeof i_text;
  if (ok) {
    memcpy(i_text, text, n);
    i_text[n] = '\0';
  }
  /* I and N are decimal digits only: " 1/2" and "+1/2" are refused, not read as 1/2 */
  if (!ok || number_u64(i_text, &a->shard_i) != NUMBER_OK ||
      number_u64(slash + 1, &a->shard_n) != NUMBER_OK || a->shard_n == 0 ||
      a->shard_n > MAX_SHARDS || a->shard_i >= a->shard_n)
    return error_set(err, DV_EUSAGE,
                     "--shard: '%s'; allowed: I/N with 0 <= I < N <= %d, each decimal digits only "
                     "(I counts from 0, as Slurm's array task ids do)",
                     error_shown(text, shown, sizeof shown), MAX_SHARDS);
  a->sharded = true;
  return DV_OK;
}

/* Reads the command line into a: 0, -1 after --help, or 2 after a usage error (printed by rank
 * 0 only). */
static int parse(int argc, char **argv, run_args *a, bool silent) {
  memset(a, 0, sizeof *a);
  a->shard_n = 1;
  const char *trials = NULL, *seed = NULL, *shard = NULL, *every = NULL;
  const cli_option opts[] = {
      {"--trials", CLI_WORD, &trials, &a->has_trials, "N",
       "trials per scenario, 1 to 2^40 (default: the config's)", 0, NULL},
      {"--seed", CLI_WORD, &seed, &a->has_seed, "S", "the seed (default: the config's)", 0, NULL},
      {"--out", CLI_DIR, &a->out, NULL, "DIR", "where to write (default results/<config stem>/)", 0,
       NULL},
      CLI_OPTION_DESIGN(&a->select, CONFIG_MAX_SELECT, "only this design (repeatable)"),
      CLI_OPTION_SCENARIO(&a->select, CONFIG_MAX_SELECT, "only this scenario (repeatable)"),
      {"--shard", CLI_WORD, &shard, &a->sharded, "I/N",
       "only shard I of N (I = 0..N-1): trials [T*I/N, T*(I+1)/N) of every scenario", 0, NULL},
      {"--checkpoint-every", CLI_WORD, &every, NULL, "SECONDS",
       "add the scenario under way to DIR/counters.dvc that often and sync it (finished "
       "scenarios go there as they finish; always on SIGTERM, then exit 143, and SIGUSR1)",
       0, NULL},
      {"--resume", CLI_FLAG, &a->resume, NULL, NULL,
       "carry on from DIR/counters.dvc (same config, seed, trials, shard)", 0, NULL},
      {"--quiet", CLI_FLAG, &a->quiet, NULL, NULL, "no progress on stderr", 0, NULL},
      CLI_OPTION_END};
  const char *config = NULL;
  cli_command cmd = {.name = "run",
                     .about = run_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = 1,
                     .arg = &config,
                     .silent = silent};
  int rc;
  if (!cli_begin(&cmd, argc, argv, NULL, &rc))
    return rc == 0 ? -1 : rc;
  a->config_path = config;
  dv_error err = {0};
  char shown[512];
  number_status ns = NUMBER_OK;
  /* decimal digits only (number.h): " -5" would wrap to 2^64 - 5, "+5" and " 5" are not meant */
  if (trials && ((ns = number_u64(trials, &a->trials)) != NUMBER_OK || a->trials == 0 ||
                 a->trials > CONFIG_MAX_TRIALS))
    return cli_usage_error(&cmd,
                           "--trials: '%s'%s; allowed: a whole number from 1 to 2^40, decimal "
                           "digits only",
                           error_shown(trials, shown, sizeof shown),
                           ns != NUMBER_OK ? number_why(ns) : " is out of range");
  if (seed && (ns = number_u64(seed, &a->seed)) != NUMBER_OK)
    return cli_usage_error(&cmd,
                           "--seed: '%s'%s; allowed: a whole number from 0 to 2^64-1, decimal "
                           "digits only",
                           error_shown(seed, shown, sizeof shown), number_why(ns));
  if (shard && parse_shard(shard, a, &err) != DV_OK)
    return cli_usage_error(&cmd, "%s", err.msg);
  uint64_t secs = 0;
  if (every && ((ns = number_u64(every, &secs)) != NUMBER_OK || secs == 0 || secs > 1000000))
    return cli_usage_error(&cmd,
                           "--checkpoint-every: '%s'%s; allowed: whole seconds from 1 to "
                           "1000000, decimal digits only",
                           error_shown(every, shown, sizeof shown),
                           ns != NUMBER_OK ? number_why(ns) : " is out of range");
  a->checkpoint_every = (double)secs;
  return 0;
}

/* Everything one run holds; one owner, freed by run_free. The run goes through its scenarios in
 * windows of at most RUN_WINDOW_COUNTERS counters: a rank holds one window's counters, and rank
 * 0 sends each finished window's totals on (to the spool for the counter file, to the result
 * set for the rows), so memory does not grow with the number of scenarios. */
typedef struct {
  run_args a;
  char dir[4096];
  char command_line[8192];
  config *cfg;
  oc_layout l;
  uint64_t *base;      /* rank 0 after --resume: the checkpoint's counters, every scenario */
  uint64_t *local;     /* this rank's counters of the window, this session */
  uint64_t *sum;       /* rank 0: the window's totals (base included) */
  int window;          /* scenarios per window */
  int w0, w1;          /* the window: scenarios [w0, w1) */
  int spool;           /* rank 0: a temporary file of the totals of scenarios [0, w0), raw */
  int fresh;           /* scenarios [w0, fresh) have their session totals in sum for good */
  int sum_hi;          /* run_counts: the session's totals of scenarios [w0, sum_hi) count */
  work_ranges done;    /* the trials base holds */
  work_ranges left;    /* what this session owes in the window */
  work_ranges covered; /* done, and the windows finished this session */
  work_plan plan;      /* the window's blocks */
  uint64_t trials_before, trials_owed; /* of this shard, over all scenarios */
  double core_seconds_before;
  trial_sim *ts;
  results *res; /* rank 0, unsharded: the result set, filled window by window */
  int rank, size;
  int *share; /* [size] each rank's blocks in the round, in rank order */
  /* Rank 0: the checkpoint, DIR/counters.dvc, which gains a part for the scenarios of each
   * round that finishes some (and on a signal or --checkpoint-every, the one under way), so a
   * signal leaves little to write. Its parts of this session hold blocks [0, ck_block) of the
   * window; if ck_block falls inside a scenario, that is ck_part, whose counts then were
   * ck_counts. */
  counter_log log;
  bool ck_owned;  /* DIR holds this run's checkpoint (else the first write replaces DIR's set) */
  bool ck_whole;  /* the next write must be the whole file (no log yet, or it fell behind) */
  bool ck_failed; /* the last write failed: retried at checkpoints, not after every round */
  uint64_t ck_block;
  int ck_part;
  uint64_t *ck_counts;
  double ck_wall;           /* the session's seconds when the last part was written */
  uint64_t ck_redundant;    /* counts of parts on scenarios under way, since the whole file */
  uint64_t ck_whole_counts; /* counts in the whole file when last written */
} run;

/* A window of this many counters per rank (8 MiB) holds at least one scenario. */
#define RUN_WINDOW_COUNTERS ((size_t)1 << 20)

static void run_free(run *r) {
  counter_log_close(&r->log);
  free(r->ck_counts);
  trial_sim_free(r->ts);
  results_free(r->res);
  work_plan_free(&r->plan);
  work_ranges_free(&r->done);
  work_ranges_free(&r->left);
  work_ranges_free(&r->covered);
  if (r->spool >= 0)
    close(r->spool);
  free(r->base);
  free(r->local);
  free(r->sum);
  free(r->share);
  config_free(r->cfg);
}

static dv_status load(run *r, dv_error *err) {
  const run_args *a = &r->a;
  dv_status st = cli_load(a->config_path, &a->select, &r->cfg, err);
  if (st == DV_OK && a->has_trials)
    r->cfg->trials = a->trials;
  if (st == DV_OK && a->has_seed)
    r->cfg->seed = a->seed;
  if (st == DV_OK && a->sharded && a->shard_n > r->cfg->trials)
    st = error_set(err, DV_EUSAGE,
                   "--shard %" PRIu64 "/%" PRIu64 ": more shards than the %" PRIu64
                   " trials per scenario; allowed: N <= trials",
                   a->shard_i, a->shard_n, r->cfg->trials);
  return st;
}

/* The checkpoint in DIR: its counters become the base (rank 0), its ranges are done. (Read whole:
 * resuming holds every scenario's counters once.) */
static dv_status resume_from(run *r, dv_error *err) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", r->dir, CHECKPOINT_FILE);
  if (access(path, F_OK) != 0)
    return error_set(err, DV_EUSAGE, "--resume: %s: no checkpoint to resume from", path);
  counter_file f;
  dv_status st = counter_file_read(path, &f, err);
  if (st != DV_OK)
    return st;
  st = counter_file_matches(&f, path, "this run", r->cfg, &r->l, err);
  if (st == DV_OK && (f.shard_i != r->a.shard_i || f.shard_n != r->a.shard_n))
    st = error_set(err, DV_ECONFIG,
                   "%s: a checkpoint of shard %" PRIu64 "/%" PRIu64 "; this run is shard %" PRIu64
                   "/%" PRIu64,
                   path, f.shard_i, f.shard_n, r->a.shard_i, r->a.shard_n);
  if (st == DV_OK && r->rank == 0)
    st = counter_file_sum(&f, path, err);
  if (st == DV_OK && r->rank == 0)
    st = counter_file_check_counts(&f, path, r->cfg, &r->l, err);
  if (st == DV_OK) {
    if (r->rank == 0) {
      r->base = f.counts;
      f.counts = NULL;
      /* this session adds its parts to the same file, after the complete ones */
      r->log.length = f.length;
      r->log.hash = f.hash;
      r->ck_owned = true;
      if (f.torn)
        fprintf(stderr,
                "doseval run: %s: its last part was cut short (the run was killed while "
                "writing it); carrying on from the parts before it\n",
                path);
    }
    r->done = f.ranges;
    memset(&f.ranges, 0, sizeof f.ranges);
    r->core_seconds_before = f.core_seconds;
  }
  counter_file_free(&f);
  return st;
}

/* The next window's plan: scenarios [w0, w1), what this session owes of them, in blocks. */
static dv_status window_start(run *r, int w0, dv_error *err) {
  if (r->ck_block < r->plan.n_blocks)
    r->ck_whole = true; /* the last window's end is not in the log: only the spool has it */
  r->w0 = r->fresh = w0;
  r->w1 = w0 + r->window < r->cfg->n_scenarios ? w0 + r->window : r->cfg->n_scenarios;
  r->ck_block = 0;
  r->ck_part = -1;
  work_plan_free(&r->plan);
  work_ranges_free(&r->left);
  memset(r->local, 0, (size_t)r->window * r->l.scenario_size * sizeof *r->local);
  if (r->sum != NULL)
    memset(r->sum, 0, (size_t)r->window * r->l.scenario_size * sizeof *r->sum);
  dv_status st = work_remaining(r->cfg->trials, r->w0, r->w1, r->a.shard_i, r->a.shard_n, &r->done,
                                &r->left, err);
  if (st == DV_OK)
    st = work_plan_init(&r->plan, &r->left, RUN_BLOCK_TRIALS, err);
  return st;
}

/* Set-up: everything before the first trial. */
static dv_status setup(run *r, dv_error *err) {
  r->rank = par_rank();
  r->size = par_size();
  r->spool = -1;
  counter_log_init(&r->log);
  r->ck_part = -1;
  r->ck_whole = true;
  if (r->a.out)
    snprintf(r->dir, sizeof r->dir, "%s", r->a.out);
  else
    cli_default_out(r->a.config_path, r->dir, sizeof r->dir);
  dv_status st = load(r, err);
  if (st == DV_OK)
    st = oc_layout_init(&r->l, r->cfg, err);
  if (st == DV_OK) {
    size_t w = RUN_WINDOW_COUNTERS / r->l.scenario_size;
    r->window = w < 1 ? 1 : w > (size_t)r->cfg->n_scenarios ? r->cfg->n_scenarios : (int)w;
  }
  size_t n = (size_t)r->window * r->l.scenario_size;
  /* sum (the window's totals) lives on rank 0 only */
  if (st == DV_OK && ((r->local = calloc(n, sizeof *r->local)) == NULL ||
                      (r->share = calloc((size_t)r->size, sizeof *r->share)) == NULL ||
                      (r->rank == 0 && ((r->sum = calloc(n, sizeof *r->sum)) == NULL ||
                                        (r->ck_counts = calloc(r->l.scenario_size,
                                                               sizeof *r->ck_counts)) == NULL))))
    st = error_set(err, DV_ENOMEM, "out of memory for %zu counters", n);
  if (st == DV_OK && r->a.resume)
    st = resume_from(r, err);
  if (st == DV_OK && r->rank == 0) {
    FILE *fp = tmpfile(); /* unlinked already: nothing is left behind */
    if (fp == NULL || (r->spool = dup(fileno(fp))) < 0)
      st = error_set(err, DV_EIO, "cannot make a temporary file: %s", strerror(errno));
    if (fp != NULL)
      fclose(fp);
  }
  if (st == DV_OK) {
    uint64_t lo, hi;
    work_shard(r->cfg->trials, r->a.shard_i, r->a.shard_n, &lo, &hi);
    r->trials_before = work_ranges_trials(&r->done);
    r->trials_owed = (hi - lo) * (uint64_t)r->cfg->n_scenarios - r->trials_before;
    for (size_t i = 0; i < r->done.n && st == DV_OK; i++)
      st = work_ranges_add(&r->covered, r->done.r[i].s, r->done.r[i].lo, r->done.r[i].hi, err);
  }
  if (st == DV_OK)
    st = trial_sim_alloc(&r->ts, r->cfg, &r->l, RUN_GRAPH_NODES, err);
  if (st == DV_OK && r->rank == 0) /* before any trial: a run must not fail at its end */
    st = atomic_writable(r->dir, err);
  if (st == DV_OK && r->rank == 0 && r->ck_owned) {
    dv_error why = {0}; /* no log to add to: the first checkpoint writes the file anew */
    r->ck_whole = counter_log_open(&r->log, r->dir, &why) != DV_OK;
    if (r->ck_whole)
      fprintf(stderr, "doseval run: warning: %s; the next checkpoint writes it anew\n", why.msg);
  }
  if (st == DV_OK && r->rank == 0 && !r->a.sharded)
    st = results_begin(&r->res, r->cfg, &r->l, r->dir, err);
  if (st == DV_OK)
    st = window_start(r, 0, err);
  return st;
}

/* Where the counter file's counts come from: the spool for finished windows; in the window,
 * the checkpoint's counters it resumed from (or zeros), plus the session's totals of scenarios
 * [w0, sum_hi); the checkpoint's counters (or zeros) for scenarios not reached yet. */
static dv_status run_counts(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err) {
  const run *r = ctx;
  size_t ss = r->l.scenario_size, lo = (size_t)r->w0 * ss, hi = (size_t)r->w1 * ss;
  size_t mine = (size_t)r->sum_hi * ss;
  for (size_t i = 0; i < n;) {
    size_t x = at + i, take;
    if (x < lo) {
      take = n - i < lo - x ? n - i : lo - x;
      size_t bytes = take * sizeof *buf;
      if (pread(r->spool, buf + i, bytes, (off_t)(x * sizeof *buf)) != (ssize_t)bytes)
        return error_set(err, DV_EIO, "cannot read back the run's temporary counters: %s",
                         strerror(errno));
    } else if (x < hi) { /* the session's totals, and the checkpoint's it resumed from */
      take = n - i < hi - x ? n - i : hi - x;
      for (size_t k = 0; k < take; k++)
        buf[i + k] = (x + k < mine ? r->sum[x - lo + k] : 0) + (r->base ? r->base[x + k] : 0);
    } else {
      take = n - i;
      if (r->base)
        memcpy(buf + i, r->base + x, take * sizeof *buf);
      else
        memset(buf + i, 0, take * sizeof *buf);
    }
    i += take;
  }
  return DV_OK;
}

/* This session's totals of scenarios [s0, s1) of the window into rank 0's sum. */
static dv_status window_totals(run *r, int s0, int s1, dv_error *err) {
  size_t ss = r->l.scenario_size, at = (size_t)(s0 - r->w0) * ss;
  return par_sum_u64_to(r->local + at, r->rank == 0 ? r->sum + at : NULL, (size_t)(s1 - s0) * ss,
                        err);
}

/* Rank 0: the counter file's header for the trials done after `blocks` blocks of the window
 * (the caller writes it with run_counts, and frees it). */
static dv_status counters_header(run *r, uint64_t blocks, double wall, counter_file *f,
                                 dv_error *err) {
  work_ranges covered = {0};
  dv_status st = DV_OK;
  for (size_t i = 0; i < r->covered.n && st == DV_OK; i++)
    st = work_ranges_add(&covered, r->covered.r[i].s, r->covered.r[i].lo, r->covered.r[i].hi, err);
  if (st == DV_OK)
    st = work_plan_done(&r->plan, blocks, &covered, err);
  if (st == DV_OK)
    st = counter_file_from_run(f, r->cfg, &r->l, r->a.shard_i, r->a.shard_n, r->size,
                               r->core_seconds_before + wall * r->size, &covered, NULL, err);
  work_ranges_free(&covered);
  return st;
}

/* What a part adds: the session's totals of the window since the checkpoint last had them
 * (ck_part's counts then taken away). */
static dv_status part_counts(void *ctx, size_t at, uint64_t *buf, size_t n, dv_error *err) {
  (void)err;
  const run *r = ctx;
  size_t ss = r->l.scenario_size, lo = (size_t)r->w0 * ss, part = (size_t)r->ck_part * ss;
  for (size_t k = 0; k < n; k++) {
    size_t x = at + k;
    buf[k] = r->sum[x - lo] -
             (r->ck_part >= 0 && x >= part && x < part + ss ? r->ck_counts[x - part] : 0);
  }
  return DV_OK;
}

/* Rank 0: DIR/counters.dvc anew, header f and the counts [0, n) from run_counts. The first
 * file a run writes there replaces whatever set DIR held (another run's results) as one unit, so
 * DIR never holds files of two runs; later ones replace the file. */
static dv_status write_file(run *r, const counter_file *f, size_t n, dv_error *err) {
  if (r->ck_owned)
    return counter_log_create(&r->log, f, run_counts, r, n, r->dir, err);
  atomic_set set;
  dv_status st = atomic_set_begin_as(&set, r->dir, "ckpt", err);
  if (st == DV_OK)
    st = counter_log_create(&r->log, f, run_counts, r, n, set.stage, err);
  if (st == DV_OK)
    st = atomic_set_commit(&set, results_files, err);
  atomic_set_abort(&set);
  r->ck_owned = st == DV_OK;
  return st;
}

/* Rank 0: the whole checkpoint anew, with blocks [0, b_end) of the window (when there is no
 * log yet, it fell behind, or it grew too long), open to add parts. */
static dv_status write_whole(run *r, uint64_t b_end, int hi, double wall, dv_error *err) {
  counter_file f;
  memset(&f, 0, sizeof f);
  counter_log_close(&r->log);
  r->sum_hi = hi; /* the scenario under way, unless in the file, has no trials here yet */
  dv_status st = counters_header(r, b_end, wall, &f, err);
  size_t n = f.ranges.n > 0 ? (size_t)(f.ranges.r[f.ranges.n - 1].s + 1) * r->l.scenario_size : 0;
  if (st == DV_OK)
    st = write_file(r, &f, n, err);
  if (st == DV_OK)
    st = counter_log_open(&r->log, r->dir, err);
  if (st == DV_OK) {
    r->ck_whole = false;
    r->ck_redundant = 0;
    r->ck_whole_counts = n;
  }
  counter_file_free(&f);
  return st;
}

/* Rank 0: blocks [ck_block, b_end) of the window as one part, its counts those of scenarios
 * [s_a, hi). */
static dv_status write_part(run *r, uint64_t b_end, int hi, double wall, dv_error *err) {
  work_ranges ranges = {0};
  int s_a = work_plan_block(&r->plan, r->ck_block).s;
  size_t ss = r->l.scenario_size;
  dv_status st = work_plan_span(&r->plan, r->ck_block, b_end, &ranges, err);
  if (st == DV_OK)
    st = counter_log_append(&r->log, r->size, (wall - r->ck_wall) * r->size, &ranges,
                            (size_t)s_a * ss, (size_t)(hi - s_a) * ss, part_counts, r, err);
  work_ranges_free(&ranges);
  return st;
}

/* After blocks [0, through) of the window: the checkpoint gains the scenarios finished by then
 * and, with `under_way`, what is done of the next one. Every rank takes part (the totals are
 * summed on rank 0, for the scenarios not summed yet); rank 0 writes, a part if it can, else
 * the whole file. `sync`: then fdatasync it. A failed write is only a warning (the run goes on,
 * and its end writes everything) unless `must`; after one, writes are tried again only when
 * `retry` (a checkpoint asked for, a window's end), not after every round. */
static dv_status checkpoint(run *r, uint64_t through, bool under_way, bool sync, bool must,
                            bool retry, double wall, dv_error *err) {
  uint64_t n = r->plan.n_blocks;
  int s_t = through < n ? work_plan_block(&r->plan, through).s : r->w1;
  uint64_t b_fin = through < n ? work_plan_scenario_start(&r->plan, s_t) : n;
  under_way = under_way && through > b_fin;
  uint64_t b_end = under_way ? through : b_fin;
  int hi = under_way ? s_t + 1 : s_t;
  dv_status st = hi > r->fresh ? window_totals(r, r->fresh, hi, err) : DV_OK;
  if (st != DV_OK)
    return st;
  if (s_t > r->fresh)
    r->fresh = s_t;                              /* finished: their totals stay as they are */
  bool behind = r->ck_whole && r->covered.n > 0; /* the log lacks trials the spool has */
  if (r->rank != 0 || (b_end <= r->ck_block && !behind) || (r->ck_failed && !retry))
    return DV_OK;
  size_t ss = r->l.scenario_size;
  if (r->ck_redundant > r->ck_whole_counts + ((uint64_t)1 << 20) && !must)
    r->ck_whole = true; /* parts on scenarios under way add up: rewrite it compactly */
  dv_error why = {0};
  st = r->ck_whole || r->log.fd < 0 ? write_whole(r, b_end, hi, wall, &why)
                                    : write_part(r, b_end, hi, wall, &why);
  if (st == DV_OK) {
    if (r->ck_part >= 0 || under_way)
      r->ck_redundant += ss;
    r->ck_block = b_end;
    r->ck_part = under_way ? s_t : -1;
    if (under_way)
      memcpy(r->ck_counts, r->sum + (size_t)(s_t - r->w0) * ss, ss * sizeof *r->ck_counts);
    r->ck_wall = wall;
    if ((sync || r->log.length - r->log.synced > ((uint64_t)8 << 20)) &&
        counter_log_sync(&r->log, &why) != DV_OK) {
      counter_log_close(&r->log); /* what it holds on disk is in doubt: the next is whole */
      r->ck_whole = true;
      st = DV_EIO;
    }
  }
  if (st != DV_OK && must)
    return error_set(err, why.code ? why.code : DV_EIO, "checkpoint not written: %s", why.msg);
  if (st != DV_OK && !r->ck_failed)
    fprintf(stderr,
            "doseval run: warning: checkpoint not written: %s; the run goes on, its end writes "
            "every result, and the next checkpoint tries again\n",
            why.msg);
  else if (st == DV_OK && r->ck_failed)
    fprintf(stderr, "doseval run: checkpoint written again to %s\n", r->log.path);
  r->ck_failed = st != DV_OK;
  return DV_OK;
}

/* The window is done: the checkpoint has all of it, and its totals (with the checkpoint's it
 * resumed from) go to the spool and (unsharded) to the result set, in scenario order; then the
 * next window. */
static dv_status window_finish(run *r, double wall, dv_error *err) {
  dv_status st = checkpoint(r, r->plan.n_blocks, false, false, false, true, wall, err);
  if (st == DV_OK && r->rank == 0) {
    size_t ss = r->l.scenario_size, n = (size_t)(r->w1 - r->w0) * ss;
    size_t bytes = n * sizeof *r->sum;
    for (size_t i = 0; r->base != NULL && i < n; i++)
      r->sum[i] += r->base[(size_t)r->w0 * ss + i];
    if (pwrite(r->spool, r->sum, bytes, (off_t)((size_t)r->w0 * ss * sizeof *r->sum)) !=
        (ssize_t)bytes)
      st = error_set(err, DV_EIO, "cannot write the run's temporary counters: %s", strerror(errno));
    for (int s = r->w0; s < r->w1 && st == DV_OK && r->res != NULL; s++) {
      config_scenario sc;
      config_scenario_at(r->cfg, s, &sc);
      st = results_add_counts(r->res, &sc, r->sum + (size_t)(s - r->w0) * ss, err);
    }
  }
  if (st == DV_OK)
    st = work_plan_done(&r->plan, r->plan.n_blocks, &r->covered, err);
  r->w0 = r->fresh = r->w1; /* the window's totals are all in the spool now */
  return st;
}

/* Progress on stderr (rank 0): on a terminal at most once a second, otherwise once a minute. */
typedef struct {
  bool on, tty;
  double start, last;
  uint64_t done; /* trials of this session */
} progress;

static void progress_show(progress *p, const run *r, double now, bool final) {
  if (!p->on || (!final && now - p->last < (p->tty ? 1.0 : 60.0)))
    return;
  p->last = now;
  double rate = now > p->start ? (double)p->done / (now - p->start) : 0;
  uint64_t all = r->trials_before + r->trials_owed, have = r->trials_before + p->done;
  double left = rate > 0 ? (double)(r->trials_owed - p->done) / rate : 0;
  fprintf(stderr,
          "%sdoseval run: %" PRIu64 " of %" PRIu64 " trials (%.1f%%), %.3g trials/s, %.0f s left%s",
          p->tty ? "\r" : "", have, all, all ? 100.0 * (double)have / (double)all : 100.0, rate,
          left, p->tty ? "   " : "\n");
  if (final && p->tty)
    fputc('\n', stderr);
  fflush(stderr);
}

/* A rank's blocks in the next round, after `blocks` in the last that took `seconds` (it had
 * `before`): as many as take RUN_ROUND_SECONDS at that pace, at most twice as many, and from 1
 * to RUN_ROUND_BLOCKS. No blocks (the window's end came first): no pace, `before` again. */
static int round_blocks(uint64_t blocks, double seconds, int before) {
  if (blocks == 0)
    return before;
  double fit = seconds > 0 ? (double)blocks * RUN_ROUND_SECONDS / seconds : RUN_ROUND_BLOCKS;
  double most = fmin(2.0 * (double)blocks, RUN_ROUND_BLOCKS);
  return (int)fmax(1, fmin(fit, most));
}

/* The round that starts at block `first` of n: it ends at *through (the shares' sum of blocks
 * later, or n), and rank k's blocks are [*lo, *hi): share[k] of them, or, when the window ends
 * first, the same fraction of what is left (so the ranks finish it together). */
static void round_range(const int *share, int size, int k, uint64_t first, uint64_t n,
                        uint64_t *through, uint64_t *lo, uint64_t *hi) {
  uint64_t span = 0, before = 0;
  for (int i = 0; i < size; i++) {
    before += i < k ? (uint64_t)share[i] : 0;
    span += (uint64_t)share[i];
  }
  *through = first + span < n ? first + span : n;
  uint64_t m = *through - first;
  *lo = first + m * before / span;
  *hi = first + m * (before + (uint64_t)share[k]) / span;
}

/* The loop: window after window; in each, round after round: rank k takes share[k] blocks
 * (consecutive ones, after those of ranks 0 ... k-1); then all agree on flags, and on the next
 * round's shares, each rank's by its own pace. Which rank counts a block changes no integer.
 * Returns the exit status a signal asks for (0 when the work is done). */
static dv_status loop(run *r, double t0, int *signal_exit, dv_error *err) {
  progress pr = {
      .on = r->rank == 0 && !r->a.quiet, .tty = isatty(STDERR_FILENO), .start = t0, .last = t0};
  double last_checkpoint = t0;
  dv_status st = DV_OK;
  *signal_exit = 0;
  for (int k = 0; k < r->size; k++)
    r->share[k] = 1;
  for (;;) {
    uint64_t n = r->plan.n_blocks;
    for (uint64_t first = 0, through; first < n && st == DV_OK; first = through) {
      uint64_t lo, hi;
      round_range(r->share, r->size, r->rank, first, n, &through, &lo, &hi);
      double began = par_wtime();
      for (uint64_t b = lo; b < hi; b++) {
        work_range w = work_plan_block(&r->plan, b);
        trial_sim_run(r->ts, w.s, w.lo, w.hi,
                      r->local + (size_t)(w.s - r->w0) * r->l.scenario_size);
      }
      double now = par_wtime();
      par_gather_int(round_blocks(hi - lo, now - began, r->share[r->rank]), r->share);
      int mine = (stop_signal ? FLAG_STOP : 0) | (stop_signal == SIGINT ? FLAG_INT : 0) |
                 (checkpoint_signal ? FLAG_CHECKPOINT : 0);
      if (r->rank == 0 && r->a.checkpoint_every > 0 &&
          now - last_checkpoint >= r->a.checkpoint_every)
        mine |= FLAG_CHECKPOINT;
      checkpoint_signal = 0;
      int flags = par_or(mine);
      for (uint64_t i = first; i < through; i++) {
        work_range w = work_plan_block(&r->plan, i);
        pr.done += w.hi - w.lo;
      }
      progress_show(&pr, r, now, false);
      bool last = through == n && r->w1 == r->cfg->n_scenarios;
      bool asked = flags != 0 && !last, stop = asked && (flags & FLAG_STOP);
      st = checkpoint(r, through, asked, asked, stop, asked, now - t0, err);
      if (asked) {
        st = par_agree(st);
        last_checkpoint = now;
      }
      if (st == DV_OK && stop) {
        *signal_exit = 128 + ((flags & FLAG_INT) ? SIGINT : SIGTERM);
        if (r->rank == 0 && pr.on && r->ck_owned)
          fprintf(stderr, "%sdoseval run: checkpoint written to %s/%s; carry on with --resume\n",
                  pr.tty ? "\n" : "", r->dir, CHECKPOINT_FILE);
        else if (r->rank == 0 && pr.on)
          fprintf(stderr, "%sdoseval run: stopped before any trial was done; no checkpoint\n",
                  pr.tty ? "\n" : "");
        return DV_OK;
      }
    }
    if (st == DV_OK)
      st = window_finish(r, par_wtime() - t0, err);
    st = par_agree(st);
    if (st != DV_OK || r->w1 == r->cfg->n_scenarios)
      break;
    st = par_agree(window_start(r, r->w1, err));
  }
  progress_show(&pr, r, par_wtime(), true);
  return st;
}

/* Rank 0's end of a run: a shard's counter file, or the whole result set (oc.csv, scenarios.csv,
 * summary.json, report.html and counters.dvc, which appear together). */
static dv_status wrap_up(run *r, double wall, dv_error *err) {
  if (r->rank != 0)
    return DV_OK;
  counter_file f;
  memset(&f, 0, sizeof f);
  counter_log_close(&r->log); /* the file it grew is replaced by the run's whole one */
  dv_status st = counters_header(r, 0, wall, &f, err); /* every window is in covered */
  if (st == DV_OK && r->a.sharded) {
    st = write_file(r, &f, f.n_counts, err);
    uint64_t lo, hi;
    work_shard(r->cfg->trials, r->a.shard_i, r->a.shard_n, &lo, &hi);
    if (st == DV_OK)
      printf("shard %" PRIu64 "/%" PRIu64 ": trials %" PRIu64 "-%" PRIu64
             " of each scenario in %s/%s; combine the shards with doseval merge DIR... --out "
             "DIR\n",
             r->a.shard_i, r->a.shard_n, lo, hi - 1, r->dir, CHECKPOINT_FILE);
  } else if (st == DV_OK) {
    const config *cfg = r->cfg;
    double design_trials = (double)r->trials_owed * cfg->n_designs;
    write_input in = {.cfg = cfg,
                      .command = "run",
                      .exact = false,
                      .trials = cfg->trials,
                      .ranks = r->size,
                      .wall_seconds = wall,
                      .trials_per_second = wall > 0 ? design_trials / wall : 0,
                      .command_line = r->command_line};
    st = results_finish(r->res, &in, &f, run_counts, r, err);
    if (st == DV_OK) {
      write_table(&in, stdout);
      printf("\nreport: %s/report.html\n", r->dir);
    }
  }
  counter_file_free(&f);
  return st;
}

int cli_run(int argc, char **argv) {
  run r = {0};
  dv_error err = {0};
  int rc = parse(argc, argv, &r.a, par_rank() != 0);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  dv_status st = DV_OK;
  cli_command_line("run", argc, argv, r.command_line, sizeof r.command_line);
  /* Before setup, which on a loaded machine takes seconds: a SIGUSR1 then must not end the run
   * (its default action), and a SIGTERM stops it at the loop's first check, with a checkpoint.
   * SA_RESTART: a signal during a write (the table at the end) must not fail it. Those sent since
   * start-up were held (main): they arrive now. */
  struct sigaction stop = {.sa_handler = on_stop, .sa_flags = SA_RESTART},
                   ck = {.sa_handler = on_checkpoint, .sa_flags = SA_RESTART};
  sigemptyset(&stop.sa_mask);
  sigemptyset(&ck.sa_mask);
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGUSR1, &ck, NULL);
  cli_signals_release();
  if (st == DV_OK)
    st = setup(&r, &err);
  st = par_agree(st);
  int signal_exit = 0;
  if (st == DV_OK) {
    if (r.rank == 0)
      for (int i = 0; i < r.cfg->n_warnings; i++)
        fprintf(stderr, "doseval run: %s\n", r.cfg->warnings[i]);
    double t0 = par_wtime();
    st = loop(&r, t0, &signal_exit, &err);
    if (st == DV_OK && signal_exit == 0)
      st = wrap_up(&r, par_wtime() - t0, &err);
    st = par_agree(st);
  }
  int code =
      st != DV_OK ? (par_rank() == 0 ? cli_fail("run", &err) : error_exit_code(st)) : signal_exit;
  run_free(&r);
  return code;
}
