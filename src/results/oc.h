/* oc.h — operating characteristics (SPEC section 8): the integer counters a simulation keeps,
 * the same layout holding probabilities for the exact engine, and the one place either becomes
 * metrics with their Monte Carlo standard errors. */
#ifndef DOSEVAL_OC_H
#define DOSEVAL_OC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "design.h"
#include "error.h"
#include "scenarios.h"

/* Where each counter lives in one flat array (so ranks reduce it with one integer sum).
 * Per scenario: [trials][benchmark sel 0..K][pairs D x D][paired terms per pair a < b]
 * [design 0 block][design 1 block]... */
typedef struct {
  int k, n_designs, n_scenarios;
  int bench_n; /* patients the benchmark sees (the study's max_n) */
  int max_n[CONFIG_MAX_DESIGNS], cohort[CONFIG_MAX_DESIGNS];
  int n_reasons[CONFIG_MAX_DESIGNS];       /* each design's reasons to stop (its policy's list) */
  size_t design_off[CONFIG_MAX_DESIGNS];   /* offset of each design block within a scenario block */
  size_t part_off[CONFIG_MAX_DESIGNS][13]; /* offset of each counter group within a design block */
  /* time (SPEC section 11; only with the study's dlt_window): after the design blocks, per design
   * [duration 3][duration^2 3][turned away 3][turned away^2 3][days histogram H_j + 1], then per
   * pair a < b [(duration_a - duration_b)^2 3]; wide numbers in 24-bit limbs (oc_count_time) */
  bool timed;
  int hist_n[CONFIG_MAX_DESIGNS]; /* H_j: whole days 0 .. H_j - 1, then one bin for H_j or more */
  size_t time_off[CONFIG_MAX_DESIGNS];
  size_t time_pair_off;
  /* responses (SPEC 13; only when a design reads responses): after the above, per such design
   * [responses per dose K][their squares K] at resp_off[j] (0 for the other designs) */
  bool responses;
  size_t resp_off[CONFIG_MAX_DESIGNS];
  /* side patients (SPEC 13, backfill; only when a design places them, design_side_most): after
   * the above, per such design [side patients per dose K][their squares K] at side_off[j] (0 for
   * the other designs) */
  bool sides;
  size_t side_off[CONFIG_MAX_DESIGNS];
  size_t scenario_size, total;
} oc_layout;

/* The layout for a config (at most CONFIG_MAX_DESIGNS designs). */
dv_status oc_layout_init(oc_layout *l, const config *cfg, dv_error *err) DV_MUST_CHECK;

/* The layout in words (every counter group, its length, K, the designs' max_n and cohort sizes)
 * and its 64-bit FNV-1a hash: a counter file carries both, so counters are only ever summed
 * with counters of the same shape. Returns the length written (truncated to len). */
size_t oc_layout_describe(const oc_layout *l, char *buf, size_t len);
uint64_t oc_layout_hash(const oc_layout *l);

/* What a finished trial of one design leaves: its selection and totals (oc_outcome_of), for
 * its own counters and the paired ones. */
typedef struct {
  int mtd;    /* selected dose, 0 = none */
  int n, y;   /* patients, DLTs */
  int over;   /* patients above the true MTD */
  int reason; /* why it stopped: the index in the design's policy reasons */
} oc_outcome;
void oc_outcome_of(const design_state *final, int k, int true_mtd, int mtd, int reason,
                   oc_outcome *o);

/* One finished trial of design j in scenario s (final state, and its outcome o): add it to
 * integer counters, or add it with probability `prob` to the exact engine's table. Both go
 * through one list of terms. */
void oc_count(const oc_layout *l, uint64_t *counts, int s, int j, int true_mtd,
              const design_state *final, const oc_outcome *o);
/* The same for `times` trials that all ended in `final` with outcome o (a trial's contribution is
 * fixed by its final state: Monte Carlo tallies trials per leaf of the graph and adds each leaf's
 * once); equal to `times` calls of oc_count. */
void oc_count_times(const oc_layout *l, uint64_t *counts, int s, int j, int true_mtd,
                    const design_state *final, const oc_outcome *o, uint64_t times);
void oc_weigh(const oc_layout *l, double *w, int s, int j, int true_mtd, const design_state *final,
              int mtd, int reason, double prob);

/* The most any one counter gains in one trial: a pair's squared difference of shares, kept in
 * units of 2^-23 (oc.c), is above every count and square of counts (255^2). With at most 2^40
 * trials per scenario, no counter of a run passes 2^63. */
#define OC_MAX_PER_TRIAL_BITS 23
#define OC_MAX_PER_TRIAL ((uint64_t)1 << OC_MAX_PER_TRIAL_BITS)
/* In a timed study the wide sums' 24-bit limbs (oc_count_time) gain up to 2^24 - 1 a trial. */
#define OC_MAX_PER_TRIAL_TIMED_BITS 24
#define OC_MAX_PER_TRIAL_TIMED ((uint64_t)1 << OC_MAX_PER_TRIAL_TIMED_BITS)

/* Number of paired counters per pair of designs (see oc.c). */
#define OC_PAIRED_TERMS 4

/* What one trial adds beyond its designs: the benchmark's pick (0..K) and, for every pair of
 * designs, whether one picked the true MTD and the other did not, whether they disagree, and
 * the squares of their differences (o[j]: design j's outcome on these patients). */
void oc_count_shared(const oc_layout *l, uint64_t *counts, int s, int bench_pick, int true_mtd,
                     const oc_outcome *o);
/* oc_count_shared in its three parts, for a caller that tallies trials first (the Monte Carlo
 * loop): `times` trials whose benchmark picked bench_pick; `times` trials in which the designs of
 * the bit set `right` (bit a: design a) picked the true MTD and the others did
 * not; and one trial's paired terms (o[j] points at design j's outcome). */
void oc_count_bench(const oc_layout *l, uint64_t *counts, int s, int bench_pick, uint64_t times);
void oc_count_right(const oc_layout *l, uint64_t *counts, int s, uint64_t right, uint64_t times);
void oc_count_paired(const oc_layout *l, uint64_t *counts, int s, const oc_outcome *const *o);
/* The paired terms of `times` trials in which the designs of the p-th pair (a, b), a < b, in
 * the order (0,1), (0,2), ..., (1,2), ..., had outcomes oa and ob. */
void oc_count_pair(const oc_layout *l, uint64_t *counts, int s, int p, const oc_outcome *oa,
                   const oc_outcome *ob, uint64_t times);
/* What oc_count_pair reads of an outcome, in one word: two outcomes with the same key add the
 * same paired terms with any partner, so a loop may tally trials by the pair of keys. */
uint32_t oc_pair_key(const oc_outcome *o);
/* Time (SPEC section 11). A duration in units of 1/64 day (rounded to the nearest, at most
 * OC_TIME_MAX_UNITS): the counters hold sums of such integers, exactly. */
#define OC_TIME_UNITS_PER_DAY 64
#define OC_TIME_MAX_UNITS ((UINT64_C(1) << 35) - 1)
uint64_t oc_time_units(double days);
/* One trial of design j lasted `units` (oc_time_units) and turned `away` arrivals away. Numbers
 * below 2^35 and their squares are added as three 24-bit limbs, each limb's sum below 2^64 for
 * up to CONFIG_MAX_TRIALS trials, so the sums reduce exactly across ranks. */
void oc_count_time(const oc_layout *l, uint64_t *counts, int s, int j, uint64_t units,
                   uint64_t away);
/* The p-th pair's (a, b) durations in one trial (oc_count_pair's order of pairs). */
void oc_count_time_pair(const oc_layout *l, uint64_t *counts, int s, int p, uint64_t units_a,
                        uint64_t units_b);
/* One trial of design j placed side[d - 1] side patients at dose d (those in its final counts;
 * a design with side_off[j] > 0). */
void oc_count_side(const oc_layout *l, uint64_t *counts, int s, int j, const uint8_t *side);
/* n more trials of scenario s are in counts (the denominator of every metric). */
void oc_count_trials(const oc_layout *l, uint64_t *counts, int s, uint64_t n);
/* The exact engine's counterparts: the benchmark's selection probabilities sel[0..K] and the
 * scenario's total probability 1. */
void oc_weigh_shared(const oc_layout *l, double *w, int s, const double *bench_sel);
/* ... and, for designs a < b in scenario s, the joint chain's (src/engine/joint.h) P(a selects the
 * true MTD and b does not), P(b does and a does not) and P(they select different doses). */
void oc_weigh_pair(const oc_layout *l, double *w, int s, int a, int b, double a_right_b_not,
                   double b_right_a_not, double disagree);

/* What design d's `pcs` counts in scenario sc: its own target where it has one
 * (design_type.true_dose: BOIN12's true OBD), else the true MTD. */
int oc_design_truth(const config_design *d, const config_scenario *sc, int k);

/* dst += src over the whole layout (merging ranks, shards, checkpoints). */
void oc_add(const oc_layout *l, uint64_t *dst, const uint64_t *src);

/* The metric catalogue (SPEC section 8): every number a run reports, in the order oc.csv lists
 * them; each writer loops over it, so a key, a label and a number of decimals live here only. */
typedef enum {
  OC_SEL,
  OC_PCS,
  OC_PAS,
  OC_ACCURACY,
  OC_N_MEAN,
  OC_N_SD,
  OC_N_DIST,
  OC_N_DOSE,
  OC_DLT_DOSE,
  OC_DLT_MEAN,
  OC_PCT_AT_MTD,
  OC_PCT_OVERDOSED,
  OC_P_STOP,
  OC_OVERDOSE60,
  OC_OVERDOSE80,
  OC_STOP_REASON,
  OC_BENCH_SEL,
  OC_PCS_DIFF,
  OC_P_DISAGREE,
  OC_N_MEAN_DIFF,
  OC_DLT_MEAN_DIFF,
  OC_PCT_OVERDOSED_DIFF,
  OC_DURATION_MEAN, /* time (SPEC section 11): only in a study with dlt_window */
  OC_DURATION_SD,
  OC_DURATION_Q,
  OC_TURNED_AWAY_MEAN,
  OC_DURATION_MEAN_DIFF,
  OC_EFF_DOSE, /* responses (SPEC 13): only for designs that read them */
  OC_UTILITY,
  OC_N_BACKFILL_DOSE, /* side patients (SPEC 8, 13): only for designs that place them */
  OC_N_METRICS
} oc_metric;

typedef enum {
  OC_AXIS_NONE,    /* a scalar: dose column empty */
  OC_AXIS_SEL,     /* dose 0 (no MTD) ... K */
  OC_AXIS_DOSE,    /* dose 1 ... K */
  OC_AXIS_N,       /* n = cohort, 2 cohort, ... <= max_n (n_dist) */
  OC_AXIS_REASON,  /* the design's reasons to stop, 0 ... R-1; oc.csv shows their names */
  OC_AXIS_QUANTILE /* 10, 50, 90 (percent): duration_q */
} oc_axis;

/* The quantile axis's values (percent). */
#define OC_N_QUANTILES 3
extern const int oc_quantiles[OC_N_QUANTILES];

typedef enum { OC_OF_DESIGN, OC_OF_BENCHMARK, OC_OF_PAIR } oc_subject;

/* Which way a design's value is better, for the report's marks of the best design. */
typedef enum {
  OC_BETTER_NEITHER = 0, /* e.g. mean patients: fewer is cheaper, more is more information */
  OC_BETTER_HIGHER,
  OC_BETTER_LOWER,
  OC_BETTER_LOWER_UNLESS_NO_MTD /* stopping: wrong, except in a scenario with no true MTD */
} oc_better;

/* One metric. A row of the catalogue gives the first seven fields in order, `better` by name,
 * and the others by name where they are not zero (in the stdout table, not a difference, no
 * short label). */
typedef struct {
  const char *key;   /* oc.csv's metric column */
  const char *label; /* for people: the report's headings and rows, the stdout table */
  int decimals;      /* in the table and report */
  oc_axis axis;
  oc_subject of;
  bool probability; /* a proportion in [0, 1] (or a difference of two) */
  bool across;      /* averaged over random scenarios (SPEC section 8, "Across random scenarios") */
  oc_better better; /* which way is better */
  bool full_only;   /* only in oc.csv and the report: the stdout table keeps to what fits */
  bool difference;  /* a pair's A - B (its sign turns with the order), not a symmetric one */
  const char *short_label; /* where label is too long for the stdout table (oc_short_label) */
} oc_metric_info;

extern const oc_metric_info oc_catalogue[OC_N_METRICS];
/* The metric with that key, or -1. */
int oc_metric_find(const char *key);
/* Its short label where it has one, else its label: for the stdout table's label column
 * (test_oc checks that they fit) and the report's narrow column headers. */
const char *oc_short_label(oc_metric m);
/* 1 if a larger value of m is better, -1 if a smaller, 0 if neither, in a scenario that has
 * (no_true_mtd false) or has not a true MTD. */
int oc_better_sign(oc_metric m, bool no_true_mtd);

/* One number: scenario s (run position), column (0..D-1 a design, D the benchmark, D+1+p the
 * p-th pair of designs a < b, in order (0,1), (0,2), ..., (1,2), ...), metric and dose (-1: none).
 * has_value false means NA (e.g. accuracy when every p equals phi). */
typedef struct {
  int scenario, column;
  oc_metric metric;
  int dose;
  bool has_value;
  double value, mcse;
  size_t line; /* its data row in oc.csv, 0-based (set as it is written; report.html cites it) */
} oc_row;

/* Every row in output order, addressed by index: oc_rows_get finds a cell in O(1). */
typedef struct {
  oc_row *rows;
  size_t n, cap;
  int n_scenarios, n_designs, n_columns;
  char **labels;               /* per column: design name, "benchmark", "A vs B" */
  const char *const **reasons; /* per design column: its reason labels (the config's policies) */
  int *n_reasons;
  int *pair_a, *pair_b; /* per column (pairs only; -1 otherwise) */
  size_t *first; /* [(s * n_columns + column) * OC_N_METRICS + metric]: first row, or SIZE_MAX */
  config_scenario *scenarios; /* per scenario of these rows: its name and curve */
  int *curves;                /* per scenario: 0, or N for the means over N random curves */
  int *curves_no_mtd;         /* ... and how many of the N have no true MTD */
  int cap_scenarios;
} oc_rows;

/* Columns and labels for cfg's designs, and no scenario yet. */
dv_status oc_rows_init(oc_rows *r, const config *cfg, dv_error *err) DV_MUST_CHECK;
/* Drops every scenario and row (keeps the columns): for streaming scenario after scenario. */
void oc_rows_clear(oc_rows *r);
void oc_rows_free(oc_rows *r);
/* The row of (s, column, metric, dose), or NULL. */
const oc_row *oc_rows_get(const oc_rows *r, int s, int column, oc_metric m, int dose);
/* The column of a label ("BOIN", "benchmark", "3+3 vs BOIN"), or -1 (a linear search: for tests
 * and tools, not inside loops). */
int oc_rows_column(const oc_rows *r, const char *label);
/* The column of the pair (a, b), a < b. */
int oc_pair_column(int n_designs, int a, int b);
/* What oc.csv's dose column says for a row: the dose or n, a reason's name, or "" (scalars). */
const char *oc_row_dose_text(const oc_rows *r, const oc_row *row, char *buf, size_t len);
/* The index of reason `label` among design column j's reasons, or -1. */
int oc_rows_reason(const oc_rows *r, int column, const char *label);

/* Appends scenario s of src (same config) to dst, rows and all. */
dv_status oc_rows_copy_scenario(oc_rows *dst, const oc_rows *src, int s,
                                dv_error *err) DV_MUST_CHECK;

/* Means over random scenarios (SPEC section 8): per column, each `across` metric's running mean
 * and spread (Welford), fed one scenario at a time in a fixed order, so the result is the same
 * bits on any number of ranks. */
typedef struct {
  int n_columns;
  double *acc; /* [(column * OC_N_METRICS + metric) * 4]: n, mean, M2, sum of mcse^2 */
  int curves;
  int curves_no_mtd; /* curves with no true MTD (every dose too toxic): stopping is right there */
} oc_means;
dv_status oc_means_init(oc_means *m, const oc_rows *like, dv_error *err) DV_MUST_CHECK;
void oc_means_free(oc_means *m);
/* Adds scenario s of r (a random curve). */
void oc_means_add(oc_means *m, const oc_rows *r, int s);
/* Appends the scenario "random (mean of N)" to out: each mean, with the standard error of a mean
 * of N curves, sd / sqrt(N), which holds both the spread across curves and each curve's own
 * simulation error (a curve's estimate varies by both). With one curve there is no spread to
 * see: its own MCSE. */
dv_status oc_means_rows(const oc_means *m, oc_rows *out, dv_error *err) DV_MUST_CHECK;

/* One more scenario sc in out: its metrics from its counter block (`block`: l->scenario_size
 * counters, laid out as scenario 0) ... */
dv_status oc_rows_add_counts(const oc_layout *l, const uint64_t *block, const config *cfg,
                             const config_scenario *sc, oc_rows *out, dv_error *err) DV_MUST_CHECK;
/* ... or from the exact engine's probabilities for it (MCSE 0). */
dv_status oc_rows_add_exact(const oc_layout *l, const double *block, const config *cfg,
                            const config_scenario *sc, oc_rows *out, dv_error *err) DV_MUST_CHECK;

/* Every scenario of cfg at once (out is initialised here). Metrics from integer counters (Monte
 * Carlo: value and MCSE) ... */
dv_status oc_summarise_counts(const oc_layout *l, const uint64_t *counts, const config *cfg,
                              oc_rows *out, dv_error *err) DV_MUST_CHECK;
/* ... or from the exact engine's probabilities (MCSE 0). */
dv_status oc_summarise_exact(const oc_layout *l, const double *w, const config *cfg, oc_rows *out,
                             dv_error *err) DV_MUST_CHECK;

#endif
