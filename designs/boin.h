/* boin.h — the pure functions of the BOIN design (Liu & Yuan 2015) shared by designs/boin.c,
 * `doseval boundaries` and the tests; what BOIN shares with the other interval designs
 * (elimination, isotonic MTD selection) is in interval.h.
 *
 * References: Liu S, Yuan Y (2015). Bayesian optimal interval designs for phase I clinical trials.
 * JRSS C 64(3):507-523 (the boundaries lambda_e / lambda_d and the elimination rule);
 * Yan F et al. (2020). BOIN: an R package for designing single-agent and drug-combination
 * dose-finding trials using Bayesian optimal interval designs. J Stat Softw 94(13), and the R
 * package's documentation of get.boundary() and select.mtd() (decision table, isotonic MTD).
 *
 * Everything here is pure: no allocation, no I/O, no state. Doses are 1-based in results,
 * arrays are indexed from 0. */
#ifndef DOSEVAL_BOIN_H
#define DOSEVAL_BOIN_H

#include "design.h"
#include "interval.h"

/* The escalation and de-escalation boundaries of Liu & Yuan (2015), their closed forms
 *   lambda_e = ln((1-p_saf)/(1-phi)) / ln(phi(1-p_saf) / (p_saf(1-phi)))
 *   lambda_d = ln((1-phi)/(1-p_tox)) / ln(p_tox(1-phi) / (phi(1-p_tox))).
 * phi: target DLT probability; p_saf, p_tox: the highest rate deemed sub-therapeutic and the
 * lowest deemed overly toxic. Requires 0 < p_saf < phi < p_tox < 1 (then
 * p_saf < lambda_e < phi < lambda_d < p_tox). Writes both boundaries. */
void boin_boundaries(double phi, double p_saf, double p_tox, double *lambda_e, double *lambda_d);

/* The decision table for n = 0..n_max patients at the current dose, the arrays each holding
 * n_max + 1 entries indexed by n:
 *   escalate[n]   = floor(lambda_e * n): escalate if # DLT <= it (i.e. y/n <= lambda_e);
 *   deescalate[n] = ceil(lambda_d * n) (y/n >= lambda_d), lowered to eliminate[n] when that is
 *                   smaller, because an eliminated current dose is always de-escalated from
 *                   (as get.boundary() of the R package does);
 *   eliminate[n]  = interval_elimination_threshold(phi, cutoff_eli, n).
 * Entries at n = 0 are "never" (INTERVAL_NEVER_LE / INTERVAL_NEVER_GE(0)). Requires n_max >= 0 and
 * the lambdas from boin_boundaries. */
void boin_decision_table(double phi, double lambda_e, double lambda_d, double cutoff_eli, int n_max,
                         int *escalate, int *deescalate, int *eliminate);

/* ---- the design's options and parameters, shared with TITE-BOIN (designs/titeboin.c) -------
 * TITE-BOIN's options are BOIN's (BOIN_OPTION_ENTRIES at an offset into its own options struct)
 * plus max_pending; its params hold a boin_params, and design_boin's functions answer for it on
 * complete data. */
typedef struct {
  double cutoff_eli, offset, p_saf, p_tox;
  bool extrasafe, bound_mtd;
  long n_earlystop;
  long backfill_cap;   /* BOIN's own keys (not TITE-BOIN's): backfill.cap, 0 = no backfill */
  int backfill_assign; /* backfill.assign: boin_assign */
} boin_options;

/* backfill.assign: which open dose an arrival goes to (bfboin's backfill.assign; its "random"
 * would need a random number, which a design never draws). */
typedef enum { BOIN_ASSIGN_HIGHEST = 0, BOIN_ASSIGN_LOWEST = 1 } boin_assign;

/* BOIN's option table entries, for an options struct holding a boin_options `base` bytes in. */
#define BOIN_OPTION_ENTRIES(base)                                                                  \
  {.key = "p_saf",                                                                                 \
   .kind = DESIGN_OPT_REAL,                                                                        \
   .at = (base) + offsetof(boin_options, p_saf),                                                   \
   .def = 0.6,                                                                                     \
   .def_times_target = true,                                                                       \
   .min = DESIGN_MORE(0),                                                                          \
   .max = DESIGN_TARGET_OPEN,                                                                      \
   .help = "the highest DLT rate deemed sub-therapeutic"},                                         \
      {.key = "p_tox",                                                                             \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(boin_options, p_tox),                                               \
       .def = 1.4,                                                                                 \
       .def_times_target = true,                                                                   \
       .min = DESIGN_TARGET_OPEN,                                                                  \
       .max = DESIGN_LESS(1),                                                                      \
       .help = "the lowest DLT rate deemed overly toxic"},                                         \
      {.key = "cutoff_eli",                                                                        \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(boin_options, cutoff_eli),                                          \
       .def = 0.95,                                                                                \
       .min = DESIGN_MORE(0),                                                                      \
       .max = DESIGN_AT_MOST(1),                                                                   \
       .help = "eliminate a dose and those above when P(DLT rate > target | data) exceeds it"},    \
      {.key = "extrasafe",                                                                         \
       .kind = DESIGN_OPT_BOOL,                                                                    \
       .at = (base) + offsetof(boin_options, extrasafe),                                           \
       .def = 0,                                                                                   \
       .help = "also stop when that probability at the lowest dose exceeds cutoff_eli - offset"},  \
      {.key = "offset",                                                                            \
       .kind = DESIGN_OPT_REAL,                                                                    \
       .at = (base) + offsetof(boin_options, offset),                                              \
       .def = 0.05,                                                                                \
       .min = DESIGN_AT_LEAST(0),                                                                  \
       .max = DESIGN_LESS(1),                                                                      \
       .help = "extrasafe's margin below cutoff_eli; less than cutoff_eli"},                       \
      {.key = "n_earlystop",                                                                       \
       .kind = DESIGN_OPT_INT,                                                                     \
       .at = (base) + offsetof(boin_options, n_earlystop),                                         \
       .def = 100,                                                                                 \
       .min = DESIGN_AT_LEAST(1),                                                                  \
       .help = "stop when the current dose has this many patients and the decision is to stay"},   \
  {                                                                                                \
    .key = "bound_mtd", .kind = DESIGN_OPT_BOOL, .at = (base) + offsetof(boin_options, bound_mtd), \
    .def = 0, .help = "the selected MTD's isotonic estimate must be below lambda_d"                \
  }

typedef struct {
  interval_frame f; /* study, cutoff_eli and the escalate / de-escalate / eliminate rows */
  double p_saf, p_tox;
  double lambda_e, lambda_d;
  double offset;
  bool extrasafe;
  bool bound_mtd;
  int n_earlystop; /* capped at INTERVAL_TABLE_LEN, which no dose can reach (= never) */
  int stop_lowest[INTERVAL_TABLE_LEN]; /* extrasafe: stop if y_1 >= stop_lowest[n_1] */
  int backfill_cap;                    /* BF-BOIN: 0 = no backfill */
  boin_assign backfill_assign;
} boin_params;

/* ---- BF-BOIN: backfill (Zhao, Yuan, Korn & Freidlin 2024, Clin Cancer Res 30(4):673-679; the
 * R package bfboin 0.1.1, sim.one.trial(), is the executable reference read for the details) ----
 *
 * While a cohort at the current dose d waits for its outcomes, an arrival may be treated at a
 * lower dose b ("backfilled"). Everything below reads the counts of the outcomes known (side
 * patients' included) and is pure. */

/* BOIN's call at one dose with n patients and y DLTs, from the decision table (bfboin's order:
 * escalate if y <= the escalation boundary, else eliminate if y reaches the elimination
 * boundary, else de-escalate if y reaches the de-escalation boundary, else stay); n = 0 reads
 * the row of n = 1, as bfboin's pmax(1, n). */
typedef enum {
  BOIN_CALL_ESCALATE,
  BOIN_CALL_STAY,
  BOIN_CALL_DEESCALATE,
  BOIN_CALL_ELIMINATE
} boin_call;
boin_call boin_dose_call(const boin_params *p, int n, int y);

/* The dose an arrival is backfilled at while the cohort at known->cur waits, or 0 (none open).
 * A dose b < cur is open when (Zhao et al. 2024, "Backfilling"; bfboin's cond.1 to cond.4):
 * a response has been seen there (known->e[b - 1] > 0); it is safe: its DLT count is below the
 * de-escalation boundary at its n, alone or pooled with the dose above (b + 1, its known
 * outcomes), and every dose below it is safe too (the first unsafe dose closes itself and all
 * above); and it holds fewer than backfill_cap patients (enrolled[b - 1], outcome known or not).
 * The arrival goes to the highest open dose (BOIN_ASSIGN_HIGHEST) or the lowest. */
int boin_backfill_dose(const boin_params *p, const design_state *known, const uint8_t *enrolled);

/* The next dose after a cohort at s->cur >= 1 under backfill, before n_earlystop: the first
 * eliminated dose first_out (interval_lowest_eliminated, >= 2). The conflict rule (Zhao et al.
 * 2024, Table 2; bfboin): with d = cur and each dose's call (boin_dose_call), a lower dose b < d
 * conflicts when d escalates and b does not, or when d stays, de-escalates or is eliminated and
 * b de-escalates or is eliminated. Without a conflict, BOIN's move (escalate unless d is the top
 * or d + 1 is eliminated; de-escalate, at dose 1 stay). With one, b* the highest conflicting
 * dose and Y/N the DLTs/patients pooled over b* .. d: Y <= the escalation boundary at N
 * escalates (as above); Y >= the de-escalation boundary at N goes to the highest k in b* .. d
 * whose pool b* .. k is below the de-escalation boundary (stay if k = d), or to b* - 1 (1 at
 * least) when there is none; else stay. An eliminated dose is never the answer: past first_out
 * the move is to first_out - 1. */
int boin_backfill_next(const boin_params *p, const design_state *s, int first_out);

/* design_boin's reasons to stop, by index in its stop_reasons. */
enum { BOIN_LOWEST_ELIMINATED, BOIN_EXTRASAFE, BOIN_EARLYSTOP };

extern const design_type design_boin;

#endif
