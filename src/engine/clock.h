/* clock.h — the engine's clock (SPEC section 11): arrival gaps, each DLT's onset within the
 * window, and the documented stream they come from. Designs never see it. */
#ifndef DOSEVAL_CLOCK_H
#define DOSEVAL_CLOCK_H

#include <stdint.h>

#include "design.h"
#include "rng.h"
#include "timing.h"

/* Trial t of a scenario reads outputs [t 2^24, (t + 1) 2^24) of the scenario's time stream
 * (rng_for_time): output i < CLOCK_ONSETS is patient i's onset quantile v_i (patient i in order
 * of enrolment, 0-based, as the tolerances), output CLOCK_ONSETS + j the gap between arrivals j
 * and j + 1 (arrival 0 is at time 0; fixed accrual reads none). 2^40 trials of 2^24 outputs fill
 * the period 2^64 exactly (CONFIG_MAX_TRIALS). */
#define CLOCK_SEGMENT_LOG2 24
#define CLOCK_ONSETS 256
_Static_assert(CLOCK_ONSETS > DESIGN_MAX_N, "every patient has an onset quantile");
/* The first CLOCK_CACHE arrival times of a trial are kept as they are drawn, for every design;
 * a design that reads past them draws the rest itself from the same outputs (the same times). */
#define CLOCK_CACHE 1024
/* A timeline counts the arrivals before a cohort's last outcome CLOCK_LOOK at a time, without a
 * branch per arrival: at[] holds +inf past the arrivals drawn, which no time is above. */
#define CLOCK_LOOK 4

/* A scenario's laws of gaps and onsets. Weibull at dose d: F(t) = 1 - exp(-(t / lambda)^k) with
 * F(W) = p_d and F(W / 2) = (1 - late) p_d (the calibration of TITEgBOIN and bfboin: Yuan et al.
 * 2018, Zhao et al. 2024): k = log2(log(1 - p) / log(1 - (1 - late) p)); the onset given onset
 * within W is F^-1(v p_d) = W (log(1 - v p) / log(1 - p))^(1/k). p is kept within
 * [CLOCK_P_MIN, 1 - CLOCK_P_MIN] for this (at 0 or 1 the law has no such calibration). */
#define CLOCK_P_MIN 1e-12
typedef struct {
  study_time time;
  int k;
  double log1m_p[DESIGN_MAX_DOSES]; /* log(1 - p_d) */
  double p[DESIGN_MAX_DOSES];       /* p_d, clamped */
  double inv_shape[DESIGN_MAX_DOSES];
} clock_law;

void clock_law_init(clock_law *law, const study_time *t, const double *p_tox, int k);
/* The Weibull shape k for p (the law's rule above; for tests and documentation). */
double clock_weibull_shape(double p, double late);
/* The onset time of a DLT at dose d (1-based) whose onset quantile is v in (0, 1), in (0, W]. */
double clock_onset(const clock_law *law, int dose, double v);
/* P(a DLT at dose d with onset within t days), 0 <= t <= W: the onset law's F(t), F(W) = p_d
 * (uniform: p_d t / W; weibull: 1 - (1 - p_d)^((t / W)^k)). Its inverse at v p_d is clock_onset. */
double clock_dlt_by(const clock_law *law, int dose, double t);
/* The gap a 32-bit output x gives: u = (x + 0.5) / 2^32; poisson -mean log u, uniform 2 mean u,
 * fixed mean. */
double clock_gap(const clock_law *law, uint32_t x);

/* One trial's clock: its segment of the time stream and the arrival times drawn so far. */
typedef struct {
  const clock_law *law;
  rng_pcg32 seg;                   /* this trial's segment start */
  rng_jump to_next;                /* 2^24 outputs: the next trial's segment */
  rng_jump onset_at[CLOCK_ONSETS]; /* output i of the segment, for v_i */
  rng_pcg32 gaps;                  /* the next gap's output */
  int n;                           /* arrivals drawn: at[0 .. n), then CLOCK_LOOK times +inf */
  double at[CLOCK_CACHE + CLOCK_LOOK];
  /* onsets worked out in this trial (designs often treat a patient at the same dose): patient i's
   * at dose d is onset[i][d-1] when stamp[i][d-1] is the trial's number `trial` */
  uint64_t trial;
  uint64_t stamp[CLOCK_ONSETS][DESIGN_MAX_DOSES];
  double onset[CLOCK_ONSETS][DESIGN_MAX_DOSES];
} clock_trial;

/* The clock of trial `trial` of the scenario with patients' stream `stream` under `seed`. */
void clock_trial_init(clock_trial *ct, const clock_law *law, uint64_t seed, uint32_t stream,
                      uint64_t trial);
/* Moves to the next trial (one multiply-add). */
void clock_trial_next(clock_trial *ct);
/* Patient i's onset quantile v_i in (0, 1). */
double clock_v(const clock_trial *ct, int i);

/* Reads arrival times in increasing order of index. */
typedef struct {
  uint32_t j; /* past the cache: the arrival whose time is t */
  double t;
  rng_pcg32 r; /* ... and the next gap's output */
  int far;     /* 1 once past the cache */
} clock_cursor;
void clock_cursor_init(clock_cursor *cu);
/* The time of arrival j (j at or after any the cursor read before past the cache). */
double clock_arrival_slow(clock_trial *ct, clock_cursor *cu, uint32_t j);
static inline double clock_arrival(clock_trial *ct, clock_cursor *cu, uint32_t j) {
  return j < (uint32_t)ct->n ? ct->at[j] : clock_arrival_slow(ct, cu, j);
}

/* Complete cohorts (SPEC section 11): what a trial of such a design has done by now. */
typedef struct {
  double now;    /* when the last outcome so far was known */
  uint32_t next; /* the next arrival's index */
  uint64_t turned_away;
  clock_cursor cu;
} clock_timeline;
void clock_timeline_init(clock_timeline *tl);

/* The out-of-line parts of the two below: drawing the cache's arrivals up to j (< CLOCK_CACHE);
 * turning away by one arrival at a time (past the cache); a cohort whose last patient has a DLT
 * (last_outcome: its arrivals at[0 .. c)); a cohort past the cache. */
void clock_fill(clock_trial *ct, uint32_t j);
void clock_turn_away_slow(clock_trial *ct, clock_timeline *tl);
double clock_last_outcome(clock_trial *ct, const double *at, int first, int c, int dose,
                          unsigned dlt);
void clock_cohort_far(clock_trial *ct, clock_timeline *tl, int first, int c, int dose,
                      unsigned dlt);

/* Skips the arrivals before tl->now: turned away. Within the cache, CLOCK_LOOK arrivals at a
 * time are compared with the time (arrivals are in order, so the count of those before it is
 * the number to skip; the +inf marks are before no time), drawing more as the count reaches
 * the marks. */
static inline void clock_turn_away(clock_trial *ct, clock_timeline *tl) {
  const double now = tl->now;
  while (!tl->cu.far && tl->next + CLOCK_LOOK <= CLOCK_CACHE) {
    const double *a = ct->at + tl->next;
    uint32_t m = (uint32_t)(a[0] < now) + (uint32_t)(a[1] < now) + (uint32_t)(a[2] < now) +
                 (uint32_t)(a[3] < now);
    _Static_assert(CLOCK_LOOK == 4, "four comparisons");
    tl->next += m;
    tl->turned_away += m;
    if (tl->next < (uint32_t)ct->n) {
      if (m < CLOCK_LOOK)
        return; /* arrival next is drawn and not before now */
    } else if (tl->next + 1 < CLOCK_CACHE) {
      clock_fill(ct, tl->next + 1);
    } else {
      break;
    }
  }
  clock_turn_away_slow(ct, tl);
}

/* A cohort of c patients, enrolment indices first .. first + c - 1, at dose d (1-based): the
 * arrivals before tl->now are turned away, the next c arrivals fill it, and tl->now becomes the
 * time its last outcome is known: arrival + onset for a DLT (bit i of dlt: patient first + i),
 * arrival + W without. An arrival at the very moment the last outcome is known joins the next
 * cohort. */
static inline void clock_cohort(clock_trial *ct, clock_timeline *tl, int first, int c, int dose,
                                unsigned dlt) {
  clock_turn_away(ct, tl);
  uint32_t f = tl->next, end = f + (uint32_t)c;
  if (tl->cu.far || end > CLOCK_CACHE) {
    clock_cohort_far(ct, tl, first, c, dose, dlt);
    return;
  }
  tl->next = end;
  if (end > (uint32_t)ct->n)
    clock_fill(ct, end - 1);
  const double *at = ct->at + f;
  /* without a DLT the last patient's outcome, at arrival + W, is the cohort's last */
  tl->now = dlt >> (c - 1) & 1u ? clock_last_outcome(ct, at, first, c, dose, dlt)
                                : at[c - 1] + ct->law->time.window;
}

/* The trial has ended at tl->now: the arrivals before it that were not enrolled are turned
 * away too. */
static inline void clock_finish(clock_trial *ct, clock_timeline *tl) { clock_turn_away(ct, tl); }

#endif
