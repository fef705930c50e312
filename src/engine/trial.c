/* trial.c — Monte Carlo trials on common random numbers (SPEC section 7). Patient i of trial t
 * in scenario s has tolerance u_i, the i-th uniform of the trial's stream segment, and has a
 * DLT at dose d iff u_i < p_d; every design and the benchmark see the same u. The loop keeps u_i
 * as the 32-bit output x_i it comes from and tests x_i < rng_uniform_threshold(p_d), the same
 * comparison in integers.
 *
 * Per trial the loop draws the tolerances, turns them into DLT counts, walks each design's graph
 * and adds the trial to the counters. Three things make that cheap (issue 19; bench/RESULTS.md):
 *
 * 1. DLT words. A patient's DLTs at all doses are fixed by where x falls among the K thresholds,
 *    so one table lookup gives a 64-bit word with a 1 in the 4-bit field of each dose it has a
 *    DLT at (dlt_tables). Summed over a cohort, field d holds the cohort's DLT count at dose d
 *    (at most 8, the largest cohort: fields never overflow). The loop keeps only the running sums
 *    of the words, from which a walk reads any cohort's count at any dose with a subtraction, a
 *    shift and a mask, and the benchmark its counts over the first bench_n patients.
 *
 * 2. A walk table per design: its own copy of the graph's edges in the form the walk wants, one
 *    32-bit entry per edge holding the child's row and the shift that reads the child's dose
 *    field. A leaf's row leads back to itself, so every walk makes exactly floor(max_n / c)
 *    steps, the most a trial can have, and no branch depends on the data: the CPU overlaps the
 *    designs' walks and the next trial's draws instead of stalling on a mispredicted "stopped?".
 *    An edge not yet in the table leads to row 0, which leads nowhere else; a walk that ends
 *    there takes the graph's road and fills in the edges it used.
 *
 * 3. Counting per leaf. A trial's whole contribution to its design's own counters is fixed by
 *    its leaf (its final state) and the scenario, so trials are tallied per leaf, and each leaf's
 *    terms go into the counters once, times its tally, at the end of trial_sim_run
 *    (oc_count_times): the same integers as some 4K + 16 additions per trial. The benchmark's
 *    pick and the set of designs that found the MTD are tallied too, and so are the paired terms
 *    (two designs' differences, a division among them), which depend on the pair of outcomes
 *    only through what oc_pair_key keeps of each: leaves with the same key are one class, and
 *    trials are tallied by the pair of classes' ranks in order of first arrival in the call, in
 *    a dense table a pair of designs, for the first TRIAL_PAIR_RANKS classes of each (a trial
 *    of a later class adds its paired terms at once). The reference study's designs end a call
 *    of 8192 trials at up to 600 leaves, but in far fewer classes.
 *
 * Nodes past a graph's first TRIAL_TABLE_NODES have no row: trials through them, and trials that
 * leave a full graph, take the graph's road and are counted one at a time. */
#include "trial.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backfill_trial.h"
#include "benchmark.h"
#include "clock.h"
#include "fit_cache.h"
#include "graph.h"
#include "pending_trial.h"
#include "responses.h"
#include "rng.h"
#include "scenarios.h"

#define TRIAL_TABLE_NODES ((size_t)1 << 16)
/* Up to this many designs, trials are tallied by which designs found the MTD too (2^D tallies),
 * and each pair's trials by the pair of classes of leaves they ended at, for classes among the
 * first TRIAL_PAIR_RANKS of the call to arrive (a TRIAL_PAIR_RANKS^2 table a pair). */
#define TRIAL_TALLIED_DESIGNS 12
#define TRIAL_PAIR_RANKS 128u
#define TRIAL_CLASS_SLOTS (2 * TRIAL_PAIR_RANKS) /* a power of two: the classes' hash table */
/* A timed trial keeps each design's timeline after each of its first 16 cohorts, for the designs
 * after it that treat the same first cohorts (time_designs); 16 doses of 4 bits fill a key. */
#define TRIAL_KEPT_COHORTS 16
/* A design that reads pending patients keeps 2^14 fits by counts (fit_cache.h): 768 KiB for
 * TITE-CRM's on 3 doses, which meets fewer count vectors than that in the reference study */
#define TRIAL_FIT_CACHE_LOG2 14
_Static_assert(DESIGN_MAX_DOSES <= 16, "a dose fits 4 bits of a key");
_Static_assert(CONFIG_MAX_DESIGNS <= 256, "a design's number fits a byte");

_Static_assert(DESIGN_MAX_COHORT < 16, "a cohort's DLT count fits a 4-bit field");
_Static_assert(DESIGN_MAX_DOSES * 4 <= 64, "a patient's DLTs at every dose fit a 64-bit word");
_Static_assert(DESIGN_MAX_N < 256, "the benchmark's counts fit 8-bit fields");

/* ---- DLT words --------------------------------------------------------------------------- */

/* Patient x has a DLT at dose d iff x < thr[d-1]. Its bin is the number of thresholds at or
 * below x (0 ... K); with c_d the number of thresholds at or below thr[d-1] (ties counted), a DLT
 * at d is exactly bin < c_d (x < thr_d: every threshold <= x is < thr_d, so at most c_d - 1 of
 * them; x >= thr_d: all c_d of them are <= x). word[bin] has a 1 in field d-1 (bits 4(d-1) up)
 * for each such dose.
 *
 * The same words without comparing x with each threshold: the top BUCKET_BITS bits of x name a
 * bucket, and when a bucket holds at most one distinct threshold cut_b, x's word is
 * word_in[2b] below it and word_in[2b + 1] at or above it. The index comes without a comparison:
 * with index_in[b] = 2b 2^32 + 2^32 - cut_b, (x + index_in[b]) >> 32 is 2b + (x >= cut_b), for
 * x and cut_b below 2^32 (cut_b is the bucket's start when it holds no threshold, so x >= cut_b
 * there). That holds for every bucket unless
 * two distinct p are within 2^-BUCKET_BITS of each other (bucketed false: count bins). */
#define BUCKET_BITS 8
typedef struct {
  int k;
  int n_cut;                      /* the thresholds a tolerance can reach (below 2^32) ... */
  uint32_t cut[DESIGN_MAX_DOSES]; /* ... in 32 bits */
  uint64_t word[DESIGN_MAX_DOSES + 1];
  bool bucketed;
  uint64_t index_in[1 << BUCKET_BITS];
  uint64_t word_in[2 << BUCKET_BITS];
} dlt_tables;

static int bin_of(const dlt_tables *t, uint32_t x) {
  int b = 0;
  for (int e = 0; e < t->n_cut; e++)
    b += x >= t->cut[e];
  return b;
}

static void dlt_tables_init(dlt_tables *t, const double *p, int k) {
  uint64_t thr[DESIGN_MAX_DOSES];
  t->k = k;
  t->n_cut = 0;
  for (int d = 0; d < k; d++) {
    thr[d] = rng_uniform_threshold(p[d]);
    if (thr[d] <= UINT32_MAX) /* 2^32 (p = 1) is above every tolerance: no bin passes it */
      t->cut[t->n_cut++] = (uint32_t)thr[d];
  }
  for (int b = 0; b <= k; b++) {
    t->word[b] = 0;
    for (int d = 0; d < k; d++) {
      int at_or_below = 0;
      for (int e = 0; e < k; e++)
        at_or_below += thr[e] <= thr[d];
      if (b < at_or_below)
        t->word[b] |= (uint64_t)1 << (4 * d);
    }
  }
  t->bucketed = true;
  const unsigned shift = 32 - BUCKET_BITS;
  for (uint32_t b = 0; b < (1u << BUCKET_BITS); b++) {
    uint64_t lo = (uint64_t)b << shift, hi = (uint64_t)(b + 1) << shift; /* [lo, hi) */
    uint64_t cut = lo;
    int inside = 0;
    for (int e = 0; e < t->n_cut; e++)
      if (t->cut[e] >= lo && t->cut[e] < hi && (inside == 0 || t->cut[e] != cut)) {
        cut = t->cut[e];
        inside++;
      }
    t->bucketed &= inside <= 1;
    t->index_in[b] = ((uint64_t)(2 * b) << 32) + ((uint64_t)1 << 32) - cut;
    t->word_in[2 * b] = t->word[bin_of(t, (uint32_t)lo)];
    t->word_in[2 * b + 1] = t->word[bin_of(t, (uint32_t)cut)];
  }
}

/* Draws a trial's n tolerances (the next n outputs of r) and keeps what the designs and the
 * benchmark read: dlts[i], the sum of the DLT words of patients 0 .. i-1. A cohort's word is
 * dlts[end] - dlts[start]: its fields hold at most 8, so the difference has no carries between
 * fields, whatever carries the running sum had (differences modulo 2^64 are exact). */
static void draw_trial(rng_pcg32 *r, const dlt_tables *t, int n, uint64_t *dlts) {
  uint64_t sum = 0;
  dlts[0] = 0;
  if (t->bucketed) {
#pragma GCC unroll 4
    for (int i = 0; i < n; i++) {
      uint32_t x = rng_next(r), b = x >> (32 - BUCKET_BITS);
      sum += t->word_in[(x + t->index_in[b]) >> 32];
      dlts[i + 1] = sum;
    }
  } else {
    for (int i = 0; i < n; i++) {
      sum += t->word[bin_of(t, rng_next(r))];
      dlts[i + 1] = sum;
    }
  }
}

/* DLTs at dose d among patients [a, a + c). */
static int cohort_dlts(const uint64_t *dlts, int a, int c, int d) {
  return (int)(((dlts[a + c] - dlts[a]) >> (4 * (d - 1))) & 15u);
}

/* The DLT counts of the first n patients, dose by dose (the benchmark's): up to 15 patients at a
 * time, so that no 4-bit field overflows, split into the even and the odd fields, which are
 * summed in 8-bit fields. */
static void dlt_totals(const uint64_t *dlts, int n, int k, int *x) {
  const uint64_t low_nibbles = UINT64_C(0x0F0F0F0F0F0F0F0F);
  uint64_t even = 0, odd = 0;
  for (int a = 0; a < n; a += 15) {
    uint64_t w = dlts[a + 15 < n ? a + 15 : n] - dlts[a];
    even += w & low_nibbles;
    odd += (w >> 4) & low_nibbles;
  }
  for (int d = 0; d < k; d++)
    x[d] = (int)(((d % 2 ? odd : even) >> (8 * (d / 2))) & 0xFF);
}

/* ---- the walks ----------------------------------------------------------------------------- */

/* The cohorts a design treated in this trial (a timed study): cohort i, patients i c .. i c + c -
 * 1, at dose[i]; what time_designs puts on the clock. */
typedef struct {
  int n;
  int dose[DESIGN_MAX_N];
} trial_cohorts;

/* A walk-table entry: a node's row, (id + 1) << stride_log2, above ENTRY_SHIFT_BITS bits holding
 * 4 (dose - 1), the shift that reads its dose's field of a cohort's word, or ENTRY_LEAF for a
 * leaf (whose row leads back to it whatever the count read: the top bit, 0 or 1). Entry 0 is row
 * 0, an edge not in the table yet: row 0's entries are 0, so a walk there stays there. */
#define ENTRY_SHIFT_BITS 6
#define ENTRY_LEAF ((1u << ENTRY_SHIFT_BITS) - 1)
_Static_assert(4 * (DESIGN_MAX_DOSES - 1) < ENTRY_LEAF, "a dose's shift fits, below the mark");

/* What a trial that ends at a node reads and writes of it, in one place: this call's tally of
 * trials there and, once tallied, its class's rank and whether it found the MTD. */
typedef struct {
  uint64_t tally;
  uint32_t rank;  /* UINT32_MAX: past the class table */
  uint32_t right; /* 1 if its selection is the true MTD */
} sim_leaf;

typedef struct {
  graph *g;
  bool responses;       /* the design reads responses: walk_responses, not the walk table */
  int c;                /* cohort size */
  int cohorts;          /* floor(max_n / c): the most cohorts a trial of this design has */
  unsigned stride_log2; /* a row has 2^stride_log2 >= c + 1 entries, one per DLT count */
  size_t slots;         /* nodes 0 .. slots-1 have a row, a tally and an outcome */
  uint32_t *step;       /* [(slots + 1) << stride_log2] the walk table, row 0 first */
  uint32_t start;       /* the root's entry */
  sim_leaf *leaf;       /* [slots] the node in this trial_sim_run call */
  oc_outcome *outcome;  /* [slots] the node's outcome in this call's scenario, once tallied */
  int32_t *leaves;      /* [slots] the nodes with a tally, in order of first arrival */
  size_t n_leaves;
  /* this call's classes of leaves (oc_pair_key), in order of first arrival: a hash table of
   * key + 1 (0: empty) and rank, and each class's outcome and slot */
  uint32_t class_key[TRIAL_CLASS_SLOTS], class_rank[TRIAL_CLASS_SLOTS];
  oc_outcome class_outcome[TRIAL_PAIR_RANKS];
  uint32_t class_slot[TRIAL_PAIR_RANKS];
  uint32_t n_classes;
} sim_design;

static uint32_t row_of(const sim_design *sd, int32_t id) {
  return (uint32_t)(id + 1) << sd->stride_log2;
}

/* Node id's entry (id < slots). A leaf's row is pointed back at the leaf. */
static uint32_t entry_of(sim_design *sd, int32_t id) {
  design_action a = graph_action(sd->g, id);
  uint32_t row = row_of(sd, id);
  uint32_t e = row << ENTRY_SHIFT_BITS | (a.stop ? ENTRY_LEAF : 4u * (a.dose - 1u));
  if (a.stop)
    for (int y = 0; y <= sd->c; y++)
      sd->step[row + (uint32_t)y] = e;
  return e;
}

/* The rest of a trial whose next state has no room in the full graph: graph_step finds no node
 * either and asks the design itself (the same answers, only slower). The parent is node `id`, its
 * cohort at `next` had y DLTs; the final state is left in cur. */
static void walk_without_graph(graph *g, int c, int32_t id, int next, int y, const uint64_t *dlts,
                               graph_cursor *cur) {
  graph_state(g, id, &cur->state);
  cur->node = id;
  cur->action = graph_action(g, id);
  for (;;) {
    graph_step(g, cur, y);
    next += c;
    if (cur->action.stop)
      return;
    y = cohort_dlts(dlts, next, c, cur->action.dose);
  }
}

/* The graph's road: the rest of a trial through the graph itself (which builds the states that
 * are new), from node id with the next cohort starting at patient `next`, entering each edge it
 * takes into the walk table where both ends have a row. Returns the leaf, or -1 if the trial
 * left a full graph (its final state is then in cur). */
__attribute__((noinline)) static int32_t walk_graph(sim_design *sd, int32_t id, int next,
                                                    const uint64_t *dlts, graph_cursor *cur,
                                                    dv_error *full) {
  design_action a = graph_action(sd->g, id);
  while (!a.stop) {
    int y = cohort_dlts(dlts, next, sd->c, a.dose);
    int32_t child = -1;
    if (graph_child(sd->g, id, y, &child, full) != DV_OK) {
      walk_without_graph(sd->g, sd->c, id, next, y, dlts, cur);
      return -1;
    }
    if ((size_t)id < sd->slots && (size_t)child < sd->slots)
      sd->step[row_of(sd, id) + (uint32_t)y] = entry_of(sd, child);
    id = child;
    next += sd->c;
    a = graph_action(sd->g, id);
  }
  return id;
}

/* One design's trial: `cohorts` steps through the walk table, each reading the cohort's DLT count
 * at the node's dose out of the running sums. Returns the leaf, or -1 if the trial left a full
 * graph (its final state is then in cur). With `path` (a timed study), the entry of every step is
 * kept there, path[0 .. cohorts], for the timeline (time_trial). */
static inline __attribute__((always_inline)) int32_t
walk_path(sim_design *sd, const uint64_t *dlts, graph_cursor *cur, dv_error *full, uint32_t *path) {
  const uint32_t *step = sd->step, shift_mask = (1u << ENTRY_SHIFT_BITS) - 1;
  const uint64_t *cohort = dlts, *end = dlts + sd->cohorts * sd->c;
  const int c = sd->c;
  uint32_t e = sd->start;
  for (; cohort < end; cohort += c) {
    if (path)
      *path++ = e;
    uint32_t y = (uint32_t)((cohort[c] - cohort[0]) >> (e & shift_mask)) & 15u;
    e = step[(e >> ENTRY_SHIFT_BITS) + y];
  }
  if (path)
    *path = e;
  uint32_t row = e >> ENTRY_SHIFT_BITS;
  if (row == 0) /* an edge not in the table yet, or with no row at one end */
    return walk_graph(sd, 0, 0, dlts, cur, full);
  int32_t id = (int32_t)(row >> sd->stride_log2) - 1;
  /* max_n stops every trial by then (policy_decide); the check costs one predicted branch */
  if ((e & shift_mask) != ENTRY_LEAF)
    return walk_graph(sd, id, sd->cohorts * c, dlts, cur, full);
  return id;
}

static int32_t walk(sim_design *sd, const uint64_t *dlts, graph_cursor *cur, dv_error *full) {
  return walk_path(sd, dlts, cur, full, NULL);
}

/* A trial of a design that reads responses (SPEC 13): through the graph, each cohort's outcome
 * its DLTs y and responses r at the node's dose, y + (c + 1) r (graph.h). No walk table: the
 * graph's children are the walk. Returns the leaf, or -1 off a full graph (final state in cur).
 * With `tc` (a timed study), the cohorts it treated are kept there. */
static int32_t walk_responses(sim_design *sd, const uint64_t *dlts, const uint64_t *resp,
                              graph_cursor *cur, dv_error *full, trial_cohorts *tc) {
  int32_t id = 0;
  int next = 0, c = sd->c;
  if (tc)
    tc->n = 0;
  design_action a = graph_action(sd->g, id);
  while (!a.stop) {
    if (tc)
      tc->dose[tc->n++] = a.dose;
    int o =
        cohort_dlts(dlts, next, c, a.dose) + (c + 1) * responses_in_cohort(resp, next, c, a.dose);
    int32_t child = -1;
    if (graph_child(sd->g, id, o, &child, full) != DV_OK) {
      /* the graph is full: the design itself decides the rest (the same answers) */
      graph_state(sd->g, id, &cur->state);
      cur->node = id;
      cur->action = a;
      for (;;) {
        graph_step(sd->g, cur, o);
        next += c;
        if (cur->action.stop)
          return -1;
        int d = cur->action.dose;
        if (tc)
          tc->dose[tc->n++] = d;
        o = cohort_dlts(dlts, next, c, d) + (c + 1) * responses_in_cohort(resp, next, c, d);
      }
    }
    id = child;
    next += c;
    a = graph_action(sd->g, id);
  }
  return id;
}

static void sim_design_free(sim_design *sd) {
  graph_free(sd->g);
  free(sd->step);
  free(sd->leaf);
  free(sd->outcome);
  free(sd->leaves);
}

static dv_status sim_design_init(sim_design *sd, const config_design *d, size_t graph_nodes,
                                 dv_error *err) {
  sd->c = d->setup.cohort_size;
  sd->responses = d->type->reads_responses;
  sd->cohorts = d->setup.max_n / sd->c;
  while ((1 << sd->stride_log2) < sd->c + 1)
    sd->stride_log2++;
  sd->slots = graph_nodes < TRIAL_TABLE_NODES ? graph_nodes : TRIAL_TABLE_NODES;
  sd->step = calloc((sd->slots + 1) << sd->stride_log2, sizeof *sd->step);
  sd->leaf = calloc(sd->slots, sizeof *sd->leaf);
  sd->outcome = calloc(sd->slots, sizeof *sd->outcome);
  sd->leaves = calloc(sd->slots, sizeof *sd->leaves);
  if (!sd->step || !sd->leaf || !sd->outcome || !sd->leaves)
    return error_set(err, DV_ENOMEM, "trial: out of memory");
  /* the root is node 0 from the start, so every walk begins at a known row */
  int32_t root;
  dv_status st = graph_alloc(&sd->g, &d->policy, graph_nodes, err);
  if (st == DV_OK)
    st = graph_root(sd->g, &root, err);
  if (st == DV_OK)
    sd->start = entry_of(sd, 0);
  return st;
}

/* ---- time (SPEC section 11) ------------------------------------------------------------------ */

/* The doses of the cohorts design j's trial treated (dose[i]: cohort i, patients i c .. i c + c
 * - 1), and how many, off the graph (the walk's decisions): for a trial whose walk left the
 * table. */
static int trial_doses(sim_design *sd, const uint64_t *dlts, int *dose) {
  const int c = sd->c;
  graph_cursor cur;
  graph_start(sd->g, &cur);
  int i = 0;
  for (; !cur.action.stop; i++) {
    dose[i] = cur.action.dose;
    graph_step(sd->g, &cur, cohort_dlts(dlts, i * c, c, dose[i]));
  }
  return i;
}

/* The doses of design j's cohorts in this trial and how many: the walk's path (walk_path),
 * whose last entry is a leaf's when every step was in the table; otherwise the graph's road. */
static int path_doses(sim_design *sd, const uint64_t *dlts, const uint32_t *path, int *dose) {
  const uint32_t shift_mask = (1u << ENTRY_SHIFT_BITS) - 1;
  uint32_t e_end = path[sd->cohorts];
  if ((e_end & shift_mask) != ENTRY_LEAF || e_end >> ENTRY_SHIFT_BITS == 0)
    return trial_doses(sd, dlts, dose);
  int i = 0;
  for (; (path[i] & shift_mask) != ENTRY_LEAF; i++)
    dose[i] = (int)(path[i] & shift_mask) / 4 + 1;
  return i;
}

/* ---- counting ------------------------------------------------------------------------------ */

/* A design's timeline after a cohort (within the cache: no cursor). */
typedef struct {
  double now;
  uint32_t next;
  uint64_t turned_away;
} trial_kept;

/* The p-th pair of designs (a, b), a < b, in oc_count_pair's order, and this call's trials by
 * the pair of class ranks (ra, rb) they ended in, at ra R + rb (R = TRIAL_PAIR_RANKS), with the
 * entries touched (both tables' memory is the trial_sim's). */
typedef struct {
  int a, b;
  uint32_t *tally;   /* [R^2] */
  uint16_t *touched; /* [R^2] */
  uint32_t n_touched;
} sim_pair;

struct trial_sim {
  const config *cfg;
  const oc_layout *layout;
  int patients;         /* tolerances drawn per trial */
  bool responses;       /* a design reads responses: each trial also draws response tolerances */
  uint64_t *resp;       /* [patients + 1] the running sums of this trial's response words */
  responses_trial rt;   /* ... drawn from the scenario's response stream (responses.h) */
  sim_design *design;   /* one per design; each graph serves all scenarios: decisions never see p */
  uint64_t *dlts;       /* [patients + 1] the running sums of this trial's DLT words */
  benchmark_keys bench; /* the benchmark's pick, for its bench_n patients and the target */
  dlt_tables dt;        /* the scenario of the current trial_sim_run call */
  /* this call's trials by the benchmark's pick and, up to TRIAL_TALLIED_DESIGNS designs, by the
   * set of designs that found the MTD (bit j: design j; NULL past that) */
  uint64_t bench_tally[DESIGN_MAX_DOSES + 1];
  uint64_t *right_tally;
  /* every pair of designs (NULL past TRIAL_TALLIED_DESIGNS designs), and the memory of their
   * tables, pair p's at p R^2 */
  sim_pair *pair;
  int n_pairs;
  uint32_t *pair_tally;
  uint16_t *touched;
  dv_error graph_full; /* graph_child's message once a graph is full (nobody reads it: the walk
                          then goes on without the graph) */
  clock_law law;       /* time (cfg->time.on): the current scenario's gaps and onsets */
  clock_trial clock;   /* ... and the current trial's clock */
  /* each design's timelines in this trial (time_designs): [designs][TRIAL_KEPT_COHORTS] */
  trial_kept *kept;
  uint8_t time_owner[CONFIG_MAX_DESIGNS][TRIAL_KEPT_COHORTS];
  uint64_t time_key[CONFIG_MAX_DESIGNS];
  int time_kept[CONFIG_MAX_DESIGNS];         /* cohorts kept: kept[j][0 .. time_kept[j]) */
  trial_cohorts cohorts[CONFIG_MAX_DESIGNS]; /* each design's cohorts in the current trial */
  /* time: design j reads pending patients (pending_trial.c's loop instead of the walk), and its
   * current trial there */
  bool reads_pending[CONFIG_MAX_DESIGNS];
  /* time: design j places side patients (backfill_trial.c's loop instead of the walk) */
  bool places_side[CONFIG_MAX_DESIGNS];
  pending_result pending[CONFIG_MAX_DESIGNS]; /* either loop's current trial */
  fit_cache
      *fits[CONFIG_MAX_DESIGNS]; /* a pending design's fits by counts, kept across its trials */
};

/* The rank of outcome o's class in this call, a new class taking the next rank; UINT32_MAX once
 * TRIAL_PAIR_RANKS classes have arrived and o's is not among them. */
static uint32_t class_of(sim_design *sd, const oc_outcome *o) {
  uint32_t key = oc_pair_key(o), h = (key * UINT32_C(0x9E3779B1)) >> 24;
  _Static_assert(TRIAL_CLASS_SLOTS == 1u << 8, "h is 8 bits");
  for (;; h = (h + 1) % TRIAL_CLASS_SLOTS) { /* at most half the slots are ever full */
    if (sd->class_key[h] == key + 1)
      return sd->class_rank[h];
    if (sd->class_key[h] == 0)
      break;
  }
  if (sd->n_classes == TRIAL_PAIR_RANKS)
    return UINT32_MAX;
  uint32_t r = sd->n_classes++;
  sd->class_key[h] = key + 1;
  sd->class_rank[h] = r;
  sd->class_outcome[r] = *o;
  sd->class_slot[r] = h;
  return r;
}

/* Design j's trial ended at `leaf` (-1: off a full graph, final state in cur): tally it, or count
 * it at once in `own`. Sets its outcome, for the paired counters, and its class's rank in this
 * call (UINT32_MAX for a trial counted at once); returns 1 if it found the true MTD. */
static uint32_t count_trial(trial_sim *ts, int j, int k, int true_mtd, int truth, int32_t leaf,
                            graph_cursor *cur, uint64_t *counts, oc_outcome *own,
                            const oc_outcome **out, uint32_t *rank) {
  sim_design *sd = &ts->design[j];
  if ((uint32_t)leaf < sd->slots) { /* -1 is not */
    sim_leaf *x = &sd->leaf[leaf];
    *out = &sd->outcome[leaf];
    if (x->tally++ == 0) { /* first arrival in this call: once per leaf */
      sd->leaves[sd->n_leaves++] = leaf;
      design_state f;
      graph_state(sd->g, leaf, &f);
      design_action a = graph_action(sd->g, leaf);
      oc_outcome_of(&f, k, true_mtd, a.dose, a.reason, &sd->outcome[leaf]);
      x->rank = class_of(sd, &sd->outcome[leaf]);
      x->right = sd->outcome[leaf].mtd == truth;
    }
    *rank = x->rank;
    return x->right;
  }
  *rank = UINT32_MAX;
  if (leaf >= 0) {
    graph_state(sd->g, leaf, &cur->state);
    cur->action = graph_action(sd->g, leaf);
  }
  oc_outcome_of(&cur->state, k, true_mtd, cur->action.dose, cur->action.reason, own);
  oc_count(ts->layout, counts, 0, j, true_mtd, &cur->state, own);
  *out = own;
  return own->mtd == truth;
}

/* A trial's paired terms: tallied by the pair of class ranks of each pair of designs, or counted
 * at once when a rank is past the table. */
static void tally_pairs(trial_sim *ts, uint64_t *counts, const uint32_t *rank,
                        const oc_outcome *const *out) {
  for (int p = 0; p < ts->n_pairs; p++) {
    sim_pair *q = &ts->pair[p];
    uint32_t ra = rank[q->a], rb = rank[q->b], at = ra * TRIAL_PAIR_RANKS + rb;
    if ((ra | rb) >= TRIAL_PAIR_RANKS) /* R is a power of two */
      oc_count_pair(ts->layout, counts, 0, p, out[q->a], out[q->b], 1);
    else if (q->tally[at]++ == 0)
      q->touched[q->n_touched++] = (uint16_t)at;
  }
}

/* Adds each pair's tallied pairs of classes to the counters and clears the tallies (before
 * count_leaves, which clears the classes). */
static void count_pairs(trial_sim *ts, uint64_t *counts) {
  for (int p = 0; p < ts->n_pairs; p++) {
    sim_pair *q = &ts->pair[p];
    const sim_design *da = &ts->design[q->a], *db = &ts->design[q->b];
    for (uint32_t i = 0; i < q->n_touched; i++) {
      uint32_t at = q->touched[i];
      oc_count_pair(ts->layout, counts, 0, p, &da->class_outcome[at / TRIAL_PAIR_RANKS],
                    &db->class_outcome[at % TRIAL_PAIR_RANKS], q->tally[at]);
      q->tally[at] = 0;
    }
    q->n_touched = 0;
  }
}

/* Adds each tallied leaf of design j to the counters and clears the tallies and the classes. */
static void count_leaves(trial_sim *ts, int j, int true_mtd, uint64_t *counts) {
  sim_design *sd = &ts->design[j];
  for (size_t i = 0; i < sd->n_leaves; i++) {
    int32_t id = sd->leaves[i];
    design_state f;
    graph_state(sd->g, id, &f);
    oc_count_times(ts->layout, counts, 0, j, true_mtd, &f, &sd->outcome[id], sd->leaf[id].tally);
    sd->leaf[id].tally = 0;
  }
  sd->n_leaves = 0;
  for (uint32_t r = 0; r < sd->n_classes; r++)
    sd->class_key[sd->class_slot[r]] = 0;
  sd->n_classes = 0;
}

/* ---- time ---------------------------------------------------------------------------------- */

/* Every design's trial on the clock: its cohorts at their doses (ts->cohorts, what the walk
 * treated), each waiting for its last outcome (designs that wait for complete cohorts: the
 * decisions are the walk's, untouched). A timeline after cohort i depends only on the cohort size
 * and the doses of cohorts 0 .. i (the same patients, arrivals and onsets), so a design whose
 * first cohorts are an earlier design's starts from that design's timeline: each keeps its
 * timeline after each of its first TRIAL_KEPT_COHORTS cohorts (kept[j][i], or, where it started
 * from another's, whose it is in owner[j][i]), and the doses of those cohorts in a key, 4 bits a
 * cohort. */
static void time_designs(trial_sim *ts, uint64_t *units, uint64_t *away) {
  clock_trial *ct = &ts->clock;
  const uint64_t *dlts = ts->dlts;
  for (int j = 0; j < ts->cfg->n_designs; j++) {
    if (ts->reads_pending[j] || ts->places_side[j]) { /* its own loop kept its time; it shares
                                                          no timeline */
      units[j] = oc_time_units(ts->pending[j].duration);
      away[j] = ts->pending[j].turned_away;
      ts->time_key[j] = 0;
      ts->time_kept[j] = 0;
      continue;
    }
    const int c = ts->design[j].c;
    /* a design that reads responses waits for them, known at the end of the window (SPEC 13):
     * its cohort's last outcome is its last patient's arrival + W, DLT or not */
    const bool whole_window = ts->design[j].responses;
    const int *dose = ts->cohorts[j].dose;
    const int m = ts->cohorts[j].n;
    uint64_t key = 0;
    for (int i = 0; i < m && i < TRIAL_KEPT_COHORTS; i++)
      key |= (uint64_t)(dose[i] - 1) << (4 * i);
    /* the longest run of first cohorts shared with an earlier design */
    int from = 0, src = 0;
    for (int o = 0; o < j; o++) {
      uint64_t x = key ^ ts->time_key[o];
      int shared = x ? __builtin_ctzll(x) / 4 : TRIAL_KEPT_COHORTS;
      shared = shared < m ? shared : m;
      shared = shared < ts->time_kept[o] ? shared : ts->time_kept[o];
      shared = ts->design[o].c == c && ts->design[o].responses == whole_window ? shared : 0;
      if (shared > from) {
        from = shared;
        src = o;
      }
    }
    uint8_t *owner = ts->time_owner[j];
    trial_kept *kept = ts->kept + (size_t)j * TRIAL_KEPT_COHORTS;
    clock_timeline tl;
    clock_timeline_init(&tl);
    if (from > 0) {
      memcpy(owner, ts->time_owner[src], (size_t)from);
      const trial_kept *k = &ts->kept[(size_t)owner[from - 1] * TRIAL_KEPT_COHORTS + from - 1];
      tl.now = k->now;
      tl.next = k->next;
      tl.turned_away = k->turned_away;
    }
    int n_kept = from;
    for (int i = from, a = from * c; i < m; i++, a += c) {
      int shift = 4 * (dose[i] - 1);
      unsigned dlt = 0;
      for (int p = 0; p < c && !whole_window; p++)
        dlt |= (unsigned)((dlts[a + p + 1] - dlts[a + p]) >> shift & 1u) << p;
      clock_cohort(ct, &tl, a, c, dose[i], dlt);
      if (i < TRIAL_KEPT_COHORTS && !tl.cu.far) { /* a timeline past the cache is not kept */
        kept[i].now = tl.now;
        kept[i].next = tl.next;
        kept[i].turned_away = tl.turned_away;
        owner[i] = (uint8_t)j;
        n_kept = i + 1;
      }
    }
    ts->time_key[j] = key;
    ts->time_kept[j] = n_kept;
    clock_finish(ct, &tl);
    units[j] = oc_time_units(tl.now);
    away[j] = tl.turned_away;
  }
}

/* Design j reads pending patients, on a study with time: its trial is pending_trial.c's event
 * loop on this trial's clock and tolerances, and ends like a walk that left a full graph (-1,
 * the final state and stop in cur), counted at once. */
static int32_t pending_walk(trial_sim *ts, int j, graph_cursor *cur) {
  pending_result *r = &ts->pending[j];
  pending_trial_run(&ts->cfg->designs[j].policy, ts->fits[j], &ts->clock, ts->dlts, r);
  cur->state = r->final;
  cur->action = r->action;
  return -1;
}

/* Design j places side patients, on a study with time: its trial is backfill_trial.c's event
 * loop on this trial's clock, tolerances and responses, counted at once as pending_walk's. */
static int32_t side_walk(trial_sim *ts, int j, graph_cursor *cur) {
  pending_result *r = &ts->pending[j];
  backfill_trial_run(&ts->cfg->designs[j].policy, &ts->clock, ts->dlts, ts->resp, r);
  cur->state = r->final;
  cur->action = r->action;
  return -1;
}

/* ---- the simulation ------------------------------------------------------------------------ */

dv_status trial_sim_alloc(trial_sim **out, const config *cfg, const oc_layout *l,
                          size_t graph_nodes, dv_error *err) {
  *out = NULL;
  trial_sim *ts = calloc(1, sizeof *ts);
  if (ts == NULL)
    return error_set(err, DV_ENOMEM, "trial: out of memory");
  ts->cfg = cfg;
  ts->layout = l;
  ts->patients = config_patients_per_trial(cfg);
  size_t designs = cfg->n_designs > 0 ? (size_t)cfg->n_designs : 0;
  size_t patients = ts->patients > 0 && ts->patients <= DESIGN_MAX_N ? (size_t)ts->patients : 0;
  ts->design = calloc(designs, sizeof *ts->design);
  ts->dlts = calloc(patients + 1, sizeof *ts->dlts);
  size_t pairs = designs * (designs - 1) / 2, table = (size_t)TRIAL_PAIR_RANKS * TRIAL_PAIR_RANKS;
  bool paired = designs >= 2 && designs <= TRIAL_TALLIED_DESIGNS;
  if (designs <= TRIAL_TALLIED_DESIGNS)
    ts->right_tally = calloc((size_t)1 << designs, sizeof *ts->right_tally);
  if (paired) {
    ts->pair = calloc(pairs, sizeof *ts->pair);
    ts->pair_tally = calloc(pairs * table, sizeof *ts->pair_tally);
    ts->touched = calloc(pairs * table, sizeof *ts->touched);
  }
  if (designs == 0 || patients == 0) {
    trial_sim_free(ts);
    return error_set(err, DV_ERUN, "trial: a config with no designs or no patients");
  }
  if (ts->design == NULL || ts->dlts == NULL ||
      (designs <= TRIAL_TALLIED_DESIGNS && ts->right_tally == NULL) ||
      (paired && (!ts->pair || !ts->pair_tally || !ts->touched))) {
    trial_sim_free(ts);
    return error_set(err, DV_ENOMEM, "trial: out of memory");
  }
  for (int a = 0; paired && a < cfg->n_designs; a++)
    for (int b = a + 1; b < cfg->n_designs; b++, ts->n_pairs++)
      ts->pair[ts->n_pairs] = (sim_pair){.a = a,
                                         .b = b,
                                         .tally = ts->pair_tally + ts->n_pairs * table,
                                         .touched = ts->touched + ts->n_pairs * table};
  /* with time, a design that reads pending patients decides at each arrival (pending_trial.c);
   * without, it is its complete-data decide on the graph like any other design */
  for (int j = 0; cfg->time.on && j < cfg->n_designs; j++) {
    const config_design *cd = &cfg->designs[j];
    ts->reads_pending[j] = cd->type->reads_pending;
    ts->places_side[j] = design_side_most(cd->type, cd->params) > 0;
    if (!ts->reads_pending[j] || cd->type->fit == NULL)
      continue;
    dv_status st = fit_cache_new(&ts->fits[j], cd->type, cd->policy.params, cfg->n_doses,
                                 TRIAL_FIT_CACHE_LOG2, err);
    if (st != DV_OK) {
      trial_sim_free(ts);
      return st;
    }
  }
  if (cfg->time.on) {
    ts->kept = calloc(designs * TRIAL_KEPT_COHORTS, sizeof *ts->kept);
    if (ts->kept == NULL) {
      trial_sim_free(ts);
      return error_set(err, DV_ENOMEM, "trial: out of memory");
    }
  }
  /* a design that places side patients reads responses too (side_dose's known responses) */
  for (int j = 0; j < cfg->n_designs; j++)
    ts->responses |= cfg->designs[j].type->reads_responses || ts->places_side[j];
  if (ts->responses && (ts->resp = calloc(patients + 1, sizeof *ts->resp)) == NULL) {
    trial_sim_free(ts);
    return error_set(err, DV_ENOMEM, "trial: out of memory");
  }
  benchmark_keys_init(&ts->bench, l->bench_n, cfg->target);
  for (int j = 0; j < cfg->n_designs; j++) {
    dv_status st = sim_design_init(&ts->design[j], &cfg->designs[j], graph_nodes, err);
    if (st != DV_OK) {
      trial_sim_free(ts);
      return st;
    }
  }
  *out = ts;
  return DV_OK;
}

void trial_sim_free(trial_sim *ts) {
  if (ts == NULL)
    return;
  if (ts->design)
    for (int j = 0; j < ts->cfg->n_designs; j++)
      sim_design_free(&ts->design[j]);
  free(ts->design);
  free(ts->dlts);
  free(ts->resp);
  free(ts->right_tally);
  free(ts->pair);
  free(ts->pair_tally);
  free(ts->touched);
  free(ts->kept);
  for (int j = 0; j < ts->cfg->n_designs; j++)
    fit_cache_free(ts->fits[j]);
  free(ts);
}

/* Kept out of line: inlined into the run loop (LTO) it cost 4% more instructions per trial. */
__attribute__((noinline)) void trial_sim_run(trial_sim *ts, int s, uint64_t t0, uint64_t t1,
                                             uint64_t *counts) {
  const config *cfg = ts->cfg;
  const oc_layout *l = ts->layout;
  config_scenario sc;
  config_scenario_at(cfg, s, &sc);
  int k = cfg->n_doses, true_mtd = sc.true_mtd, np = ts->patients;
  dlt_tables_init(&ts->dt, sc.p_tox, k);
  int n_designs = cfg->n_designs;
  oc_outcome own[CONFIG_MAX_DESIGNS];        /* the outcomes of trials counted at once */
  const oc_outcome *out[CONFIG_MAX_DESIGNS]; /* each design's outcome in this trial */
  graph_cursor cur[CONFIG_MAX_DESIGNS];      /* each design's final state off a full graph */
  /* trial t reads outputs [t 2^L, t 2^L + patients) of the stream of the scenario's position
   * in the config file (so --scenario does not change its numbers): seek once, then jump over
   * the unread rest of each segment, a fixed distance worked out once */
  rng_pcg32 r;
  rng_for_trial(&r, cfg->seed, sc.stream, t0, TRIAL_SEGMENT_LOG2);
  rng_jump skip = rng_jump_make(&r, ((uint64_t)1 << TRIAL_SEGMENT_LOG2) - (uint64_t)np);
  const bool timed = cfg->time.on;
  uint32_t path[CONFIG_MAX_DESIGNS][DESIGN_MAX_N + 1]; /* each design's walk, when timed */
  /* what each design's `pcs` counts: the true MTD, or its own target (BOIN12: the true OBD) */
  int truth[CONFIG_MAX_DESIGNS];
  for (int j = 0; j < n_designs; j++)
    truth[j] = oc_design_truth(&cfg->designs[j], &sc, k);
  if (ts->responses)
    responses_trial_init(&ts->rt, sc.p_eff, k, cfg->eff_tox_correlation, cfg->seed, sc.stream, t0,
                         TRIAL_SEGMENT_LOG2);
  if (timed) {
    clock_law_init(&ts->law, &cfg->time, sc.p_tox, k);
    clock_trial_init(&ts->clock, &ts->law, cfg->seed, sc.stream, t0);
  }
  for (uint64_t t = t0; t < t1; t++) {
    if (timed && t > t0)
      clock_trial_next(&ts->clock);
    draw_trial(&r, &ts->dt, np, ts->dlts);
    rng_jump_apply(&r, skip);
    if (ts->responses)
      responses_trial_draw(&ts->rt, np, ts->resp);
    uint64_t right = 0;
    int32_t leaf[CONFIG_MAX_DESIGNS];
    uint32_t rank[CONFIG_MAX_DESIGNS];
    if (timed)
      for (int j = 0; j < n_designs; j++) {
        if (ts->reads_pending[j])
          leaf[j] = pending_walk(ts, j, &cur[j]);
        else if (ts->places_side[j])
          leaf[j] = side_walk(ts, j, &cur[j]);
        else if (ts->design[j].responses)
          leaf[j] = walk_responses(&ts->design[j], ts->dlts, ts->resp, &cur[j], &ts->graph_full,
                                   &ts->cohorts[j]);
        else
          leaf[j] = walk_path(&ts->design[j], ts->dlts, &cur[j], &ts->graph_full, path[j]);
      }
    else
      for (int j = 0; j < n_designs; j++)
        leaf[j] =
            ts->design[j].responses
                ? walk_responses(&ts->design[j], ts->dlts, ts->resp, &cur[j], &ts->graph_full, NULL)
                : walk(&ts->design[j], ts->dlts, &cur[j], &ts->graph_full);
    for (int j = 0; j < n_designs; j++)
      right |= (uint64_t)count_trial(ts, j, k, true_mtd, truth[j], leaf[j], &cur[j], counts,
                                     &own[j], &out[j], &rank[j])
               << j;
    int x[DESIGN_MAX_DOSES];
    dlt_totals(ts->dlts, l->bench_n, k, x);
    ts->bench_tally[benchmark_pick_keyed(&ts->bench, x, k)]++;
    if (ts->right_tally != NULL)
      ts->right_tally[right]++;
    else
      oc_count_right(l, counts, 0, right, 1);
    if (ts->pair != NULL)
      tally_pairs(ts, counts, rank, out);
    else
      oc_count_paired(l, counts, 0, out);
    if (timed) {
      uint64_t units[CONFIG_MAX_DESIGNS], away[CONFIG_MAX_DESIGNS];
      for (int j = 0; j < n_designs; j++)
        if (!ts->reads_pending[j] && !ts->places_side[j] && !ts->design[j].responses)
          ts->cohorts[j].n = path_doses(&ts->design[j], ts->dlts, path[j], ts->cohorts[j].dose);
      time_designs(ts, units, away);
      for (int j = 0; j < n_designs; j++) {
        oc_count_time(l, counts, 0, j, units[j], away[j]);
        if (ts->places_side[j])
          oc_count_side(l, counts, 0, j, ts->pending[j].side);
      }
      for (int a = 0, p = 0; a < n_designs; a++)
        for (int b = a + 1; b < n_designs; b++, p++)
          oc_count_time_pair(l, counts, 0, p, units[a], units[b]);
    }
  }
  if (ts->pair != NULL)
    count_pairs(ts, counts);
  for (int j = 0; j < cfg->n_designs; j++)
    count_leaves(ts, j, true_mtd, counts);
  for (int d = 1; d <= k; d++) {
    oc_count_bench(l, counts, 0, d, ts->bench_tally[d]);
    ts->bench_tally[d] = 0;
  }
  if (ts->right_tally != NULL)
    for (uint64_t m = 0; m < (uint64_t)1 << cfg->n_designs; m++)
      if (ts->right_tally[m] > 0) {
        oc_count_right(l, counts, 0, m, ts->right_tally[m]);
        ts->right_tally[m] = 0;
      }
  oc_count_trials(l, counts, 0, t1 - t0);
}
