/* interval.h — what the interval designs share (SPEC 6, "Interval designs"): the posterior tail
 * and the elimination rule, the per-n decision table and the moves it implies, the strongest
 * interval of a partition of [0, 1] (mTPI-2, Keyboard), and BOIN's isotonic MTD selection.
 * Used by designs/boin.c, mtpi2.c, keyboard.c and i3plus3.c; one copy of each rule.
 *
 * References: Liu S, Yuan Y (2015). Bayesian optimal interval designs for phase I clinical
 * trials. JRSS C 64(3):507-523 (elimination); Yan F et al. (2020). BOIN: an R package ... J Stat
 * Softw 94(13), and the BOIN package's select.mtd() (isotonic MTD and its tie rules); Barlow RE
 * et al. (1972). Statistical Inference under Order Restrictions. Wiley (pool-adjacent-violators);
 * Guo W, Wang SJ, Yang S, Lynn H, Ji Y (2017). A Bayesian interval dose-finding design
 * addressing Ockham's razor: mTPI-2. Contemp Clin Trials 58:23-33; Yan F, Mandrekar SJ, Yuan Y
 * (2017). Keyboard: a novel Bayesian toxicity probability interval design for phase I clinical
 * trials. Clin Cancer Res 23(15):3994-4003.
 *
 * Everything here is pure: no allocation, no I/O, no state. Doses are 1-based in results,
 * arrays are indexed from 0. */
#ifndef DOSEVAL_INTERVAL_H
#define DOSEVAL_INTERVAL_H

#include "design.h"

/* "Never" in the `>=` rows of a decision table at n patients is n + 1 (no count of DLTs out of n
 * reaches it); "never" in the `<=` row is -1. */
#define INTERVAL_NEVER_GE(n) ((n) + 1)
#define INTERVAL_NEVER_LE (-1)

/* Two distances to the target closer than this are a tie in interval_closest (rounding only:
 * the estimates of a pooled PAVA block are bit-identical, distinct estimates are ties only when
 * equal in exact arithmetic). */
#define INTERVAL_TIE_TOL 1e-12

/* A DLT rate or an interval end within this of an edge (phi - eps1, 0, 1, ...) is on it: the
 * edges come from decimals (0.3 - 0.05), whose doubles miss 1/4 by one rounding either way. */
#define INTERVAL_EDGE_TOL 1e-9

/* Two interval scores (mTPI-2's unit probability masses, Keyboard's key masses) within this
 * relative distance are a tie, which goes to the interval further right. Each mass is a
 * difference of two binomial CDFs, good to ~1e-10 relative or better for intervals of at least
 * INTERVAL_MIN_WIDTH, so exact ties are caught whatever the rounding; a true difference below
 * 1e-9 (a mode almost exactly between two intervals) is decided as a tie. */
#define INTERVAL_SCORE_TIE 1e-9

/* The narrowest equivalence interval or target key interval_strongest takes (configure checks
 * it): narrower ones would make the masses of the intervals too small for INTERVAL_SCORE_TIE. */
#define INTERVAL_MIN_WIDTH 1e-4

/* Tables are indexed by the number of patients at a dose, 0..DESIGN_MAX_N. */
#define INTERVAL_TABLE_LEN (DESIGN_MAX_N + 1)

/* P(p > phi | p ~ Beta(y+1, n-y+1)): the posterior probability that the DLT rate exceeds phi
 * after y DLTs in n patients under a uniform Beta(1, 1) prior, exactly through the binomial
 * identity of beta.h, P(Bin(n+1, phi) <= y). Requires 0 <= y <= n <= DESIGN_MAX_N, 0 < phi < 1.
 * Returns a probability in [0, 1]. */
double interval_tail(int y, int n, double phi);

/* The smallest y out of n for which n >= 3 and interval_tail(y, n, phi) > cutoff: with cutoff =
 * cutoff_eli the elimination boundary (SPEC 6), with cutoff_eli - offset BOIN's extra-safety
 * boundary. Returns INTERVAL_NEVER_GE(n) when n < 3 or no y in 0..n exceeds the cutoff. (The
 * tail grows with y, so y DLTs out of n pass the cutoff exactly when y >= the returned value.) */
int interval_elimination_threshold(double phi, double cutoff, int n);

/* ---- the decision table of a count-based interval design ------------------------------------ */

/* The frame every interval design decides in: the study, the elimination cutoff, and its
 * decision at the current dose with n patients as three thresholds on the DLT count. */
typedef struct {
  int n_doses;    /* K */
  int start_dose; /* 1..K */
  double target;  /* phi */
  double cutoff_eli;
  int escalate[INTERVAL_TABLE_LEN];   /* escalate if y <= escalate[n] */
  int deescalate[INTERVAL_TABLE_LEN]; /* de-escalate if y >= deescalate[n] */
  int eliminate[INTERVAL_TABLE_LEN];  /* the dose and all above are out if y >= eliminate[n] */
} interval_frame;

/* A design's decision at the current dose for every count: fills dec[0..n] with -1 (escalate),
 * 0 (stay) or +1 (de-escalate), before the elimination and the limits of the dose range. n >= 1;
 * ctx is the design's own parameters. */
typedef void (*interval_rule)(const void *ctx, int n, signed char *dec);

/* Fills f's study fields from setup and its eliminate row from cutoff_eli (n = 0..DESIGN_MAX_N);
 * the escalate and de-escalate rows are "never". */
void interval_frame_init(interval_frame *f, const design_setup *setup, double cutoff_eli);

/* Fills f's escalate and de-escalate rows from `rule` for n = 1..DESIGN_MAX_N: escalate[n] the
 * largest y decided -1, deescalate[n] the smallest decided +1, each then limited by the
 * elimination row (a count that eliminates the current dose never escalates, and always leaves
 * the dose downwards: escalate[n] < eliminate[n], deescalate[n] <= eliminate[n], as BOIN's
 * get.boundary() lowers its de-escalation row). Needs f's eliminate row (interval_frame_init).
 * The three rows describe the rule only if its decisions are non-decreasing in y at every n;
 * returns 0 if they are, else the first n where they are not (the rows are then meaningless). */
int interval_frame_fill(interval_frame *f, interval_rule rule, const void *ctx);

/* The lowest eliminated dose of s (K+1 if none): the lowest d with n_d >= 3 and y_d >=
 * eliminate[n_d]. Elimination is a function of the counts: a dose's counts change only while
 * it is treated, and an eliminated dose is never treated again, so this equals the sticky flag
 * of the R packages' simulations. */
int interval_lowest_eliminated(const interval_frame *f, const design_state *s);

/* The next dose after a cohort at s->cur (>= 1), given first_out = interval_lowest_eliminated
 * (>= 2): below the current dose if it was just eliminated (then first_out = cur, and the highest
 * dose left is cur - 1); otherwise the table's move, where an escalation at the top dose or into
 * an eliminated dose, and a de-escalation at dose 1, become staying (SPEC 6). */
int interval_next_dose(const interval_frame *f, const design_state *s, int first_out);

/* The whole decision of mTPI-2, Keyboard and i3+3 (SPEC 6): the start dose on the empty state;
 * stop with no MTD (reason `reason_lowest`) when dose 1 is eliminated; else treat at
 * interval_next_dose. */
design_action interval_decide(const interval_frame *f, const design_state *s, int reason_lowest);

/* The MTD when the trial ends (0 = none): no MTD when dose 1 is eliminated; otherwise
 * interval_select_mtd over the non-eliminated doses up to `highest`, estimates < bound (pass
 * INFINITY for none). */
int interval_select(const interval_frame *f, const design_state *s, int highest, double bound);

/* The row of f at n patients (`doseval boundaries`), no stopping row. */
void interval_table_row(const interval_frame *f, int n, design_table_row *row);

/* Appends the cutoff_eli line of a design's `boundaries` header to buf (which holds a string). */
void interval_describe_eli(const interval_frame *f, char *buf, size_t len);

/* The reasons to stop of mTPI-2, Keyboard and i3+3: their own rule stops only when dose 1 is
 * eliminated. Index 0 is that reason. */
extern const design_reason interval_stop_reasons[];
enum { INTERVAL_LOWEST_ELIMINATED = 0 };

/* The option entry of cutoff_eli, the same in every design that eliminates doses (BOIN too):
 * `type` is the design's options struct, which holds a double cutoff_eli. */
#define INTERVAL_CUTOFF_ELI_OPTION(type)                                                           \
  {                                                                                                \
    .key = "cutoff_eli", .kind = DESIGN_OPT_REAL, .at = offsetof(type, cutoff_eli), .def = 0.95,   \
    .min = DESIGN_MORE(0), .max = DESIGN_AT_MOST(1),                                               \
    .help = "eliminate a dose and those above when P(DLT rate > target | data) exceeds it"         \
  }

/* ---- mTPI-2, Keyboard and i3+3: one shape, three rules -------------------------------------- */

/* Their options and params: an interval [target - left, target + right] (eps1 / eps2, or the
 * target key's margins) and the elimination cutoff; the params begin with the frame. */
typedef struct {
  double left, right, cutoff_eli;
} interval_options;
typedef struct {
  interval_frame f;
  double left, right;
} interval_params;

/* eps1 and eps2 of mTPI-2 and i3+3: the equivalence interval [target - eps1, target + eps2]. */
#define INTERVAL_EPS_OPTIONS                                                                       \
  {.key = "eps1",                                                                                  \
   .kind = DESIGN_OPT_REAL,                                                                        \
   .at = offsetof(interval_options, left),                                                         \
   .def = 0.05,                                                                                    \
   .min = DESIGN_MORE(0),                                                                          \
   .max = DESIGN_TARGET_OPEN,                                                                      \
   .help = "the equivalence interval starts at target - eps1"},                                    \
  {                                                                                                \
    .key = "eps2", .kind = DESIGN_OPT_REAL, .at = offsetof(interval_options, right), .def = 0.05,  \
    .min = DESIGN_MORE(0), .max = DESIGN_LESS(1),                                                  \
    .help = "the equivalence interval ends at target + eps2; below 1 - target"                     \
  }

/* configure of such a design: checks right < 1 - target and, when min_width > 0, left + right
 * >= min_width (messages name the design's keys left_key / right_key), then fills the params
 * and the frame's table from `rule` (called with the params). */
dv_status interval_configure(void *params, const design_setup *setup, const void *options,
                             const char *left_key, const char *right_key, double min_width,
                             interval_rule rule, dv_error *err) DV_MUST_CHECK;

/* decide, select and table_row of such a design (the design_type's own functions). */
design_action interval_params_decide(const void *params, const design_state *s);
int interval_params_select(const void *params, const design_state *s, int highest);
void interval_params_table_row(const void *params, int n, design_table_row *row);

/* ---- the strongest interval (mTPI-2, Keyboard) ----------------------------------------------- */

/* How an interval of the partition is scored from its posterior mass. */
typedef enum {
  INTERVAL_SCORE_UPM, /* mTPI-2: the unit probability mass, mass / its length */
  INTERVAL_SCORE_KEY, /* Keyboard: the mass; an end key's mass scaled to the full width */
} interval_score;

/* The decision for every count y = 0..n (n >= 1) by the strongest interval. [0, 1] is cut at
 * lo and hi (0 < lo < hi < 1, hi - lo >= INTERVAL_MIN_WIDTH: the equivalence interval or target
 * key) and into intervals of
 * width hi - lo outward from both ends, the end intervals truncated at 0 and 1 (an end piece
 * shorter than INTERVAL_EDGE_TOL joins its neighbour). Each interval is scored under the
 * posterior Beta(1+y, 1+n-y); the highest score decides, ties (INTERVAL_SCORE_TIE) to the
 * interval further right: left of [lo, hi] dec[y] = -1, [lo, hi] itself 0, right of it +1. */
void interval_strongest(double lo, double hi, interval_score score, int n, signed char *dec);

/* ---- isotonic MTD selection (BOIN's select.mtd()) -------------------------------------------- */

/* Weighted pool-adjacent-violators (Barlow et al. 1972; as select.mtd() uses it): writes to out
 * the non-decreasing sequence minimising sum w_i (out_i - est_i)^2. est and out may be the same
 * array. w: m positive weights, or NULL for equal weights. m >= 0. */
void interval_pava(const double *est, const double *w, int m, double *out);

/* The index (0-based) of the estimate closest to phi among those < bound (pass INFINITY for no
 * bound), with the tie rules of BOIN's select.mtd(): within equal distance (INTERVAL_TIE_TOL), an
 * estimate below phi beats one at or above it; among estimates below phi the higher index wins,
 * among estimates at or above phi the lower index wins. Returns -1 when no estimate is < bound. */
int interval_closest(const double *est, int m, double phi, double bound);

/* The MTD chosen by BOIN at the end of a trial (select.mtd() of the R package) among doses 1..k,
 * which the caller has already cut to the non-eliminated ones: the isotonic (PAVA) regression of
 * (y+0.05)/(n+0.1) over the treated doses (n > 0), weighted by the inverse variance of
 * Beta(y+0.05, n-y+0.05), i.e. 1 / [(y+0.05)(n-y+0.05) / ((n+0.1)^2 (n+1.1))], and the dose whose
 * estimate is closest to phi (interval_closest), considering only estimates < bound (BOIN's
 * bound_mtd: lambda_d; otherwise INFINITY). n, y: counts of doses 1..k (index d-1),
 * 0 <= y <= n. est_out: if not NULL, receives k values, the isotonic estimate of each treated
 * dose and NAN for untreated ones. Requires 0 <= k <= DESIGN_MAX_DOSES (the scratch lives on the
 * stack). Returns the dose (1..k), or 0 when no dose is treated or eligible. */
int interval_select_mtd(const int *n, const int *y, int k, double phi, double bound,
                        double *est_out);

#endif
