/* clock.c — arrival gaps and onset times on a trial's own segment of the scenario's time stream
 * (SPEC section 11; README, "How randomness is assigned"), and the timeline of a design that
 * waits for complete cohorts. */
#include "clock.h"

#include <math.h>
#include <string.h>

static double clamp_p(double p) {
  return p < CLOCK_P_MIN ? CLOCK_P_MIN : p > 1.0 - CLOCK_P_MIN ? 1.0 - CLOCK_P_MIN : p;
}

double clock_weibull_shape(double p, double late) {
  p = clamp_p(p);
  /* F(W) = p and F(W/2) = (1 - late) p: (W/lambda)^k = -log(1 - p), (W/2/lambda)^k =
   * -log(1 - (1 - late) p); their ratio is 2^k */
  return log2(log1p(-p) / log1p(-(1.0 - late) * p));
}

void clock_law_init(clock_law *law, const study_time *t, const double *p_tox, int k) {
  memset(law, 0, sizeof *law);
  law->time = *t;
  law->k = k;
  for (int d = 0; d < k; d++) {
    law->p[d] = clamp_p(p_tox[d]);
    law->log1m_p[d] = log1p(-law->p[d]);
    law->inv_shape[d] = t->onset == TIMING_ONSET_WEIBULL
                            ? 1.0 / clock_weibull_shape(p_tox[d], t->late_fraction)
                            : 1;
  }
}

double clock_onset(const clock_law *law, int dose, double v) {
  double w = law->time.window;
  if (law->time.onset == TIMING_ONSET_UNIFORM)
    return v * w;
  int d = dose - 1;
  /* F^-1(v p) with F(W) = p: W (log(1 - v p) / log(1 - p))^(1/k) */
  return w * pow(log1p(-v * law->p[d]) / law->log1m_p[d], law->inv_shape[d]);
}

double clock_dlt_by(const clock_law *law, int dose, double t) {
  double w = law->time.window, x = t >= w ? 1.0 : t <= 0.0 ? 0.0 : t / w;
  int d = dose - 1;
  if (law->time.onset == TIMING_ONSET_UNIFORM)
    return law->p[d] * x;
  /* F(t) = 1 - exp(log(1 - p) (t / W)^k), k = 1 / inv_shape */
  return -expm1(law->log1m_p[d] * pow(x, 1.0 / law->inv_shape[d]));
}

double clock_gap(const clock_law *law, uint32_t x) {
  double m = law->time.mean_interval, u = ((double)x + 0.5) * 0x1p-32;
  switch (law->time.process) {
  case TIMING_POISSON:
    return -m * log(u);
  case TIMING_UNIFORM:
    return 2.0 * m * u;
  case TIMING_FIXED:
    break;
  }
  return m;
}

void clock_trial_init(clock_trial *ct, const clock_law *law, uint64_t seed, uint32_t stream,
                      uint64_t trial) {
  ct->law = law;
  rng_for_time(&ct->seg, seed, stream);
  ct->to_next = rng_jump_make(&ct->seg, (uint64_t)1 << CLOCK_SEGMENT_LOG2);
  for (int i = 0; i < CLOCK_ONSETS; i++)
    ct->onset_at[i] = rng_jump_make(&ct->seg, (uint64_t)i);
  /* trial < 2^40: trial 2^24 < 2^64 */
  rng_advance(&ct->seg, trial << CLOCK_SEGMENT_LOG2);
  ct->gaps = ct->seg;
  rng_jump_apply(&ct->gaps, ct->onset_at[CLOCK_ONSETS - 1]);
  rng_advance(&ct->gaps, 1);
  ct->at[0] = 0.0;
  ct->n = 1;
  for (int i = 1; i <= CLOCK_LOOK; i++)
    ct->at[i] = INFINITY;
  memset(ct->stamp, 0, sizeof ct->stamp);
  ct->trial = 1; /* stamps count trials from 1 in this clock: 0 is "none yet" */
}

void clock_trial_next(clock_trial *ct) {
  rng_jump_apply(&ct->seg, ct->to_next);
  ct->gaps = ct->seg;
  rng_jump_apply(&ct->gaps, ct->onset_at[CLOCK_ONSETS - 1]);
  rng_advance(&ct->gaps, 1);
  ct->n = 1;
  for (int i = 1; i <= CLOCK_LOOK; i++)
    ct->at[i] = INFINITY;
  ct->trial++;
}

double clock_v(const clock_trial *ct, int i) {
  return ((double)rng_peek(&ct->seg, ct->onset_at[i]) + 0.5) * 0x1p-32;
}

void clock_cursor_init(clock_cursor *cu) { memset(cu, 0, sizeof *cu); }

/* Arrival j + 1's time from arrival j's at t, reading the next gap of r. Fixed accrual is j
 * times the interval (no sum's rounding), so its times are the closed form. */
static double after(const clock_law *law, rng_pcg32 *r, uint32_t j, double t) {
  if (law->time.process == TIMING_FIXED)
    return (double)(j + 1) * law->time.mean_interval;
  return t + clock_gap(law, rng_next(r));
}

/* Draws the cache's arrivals up to j (< CLOCK_CACHE), and at least CLOCK_LOOK of them (a trial
 * reads a few more than it needs, not one call per arrival), each as `after` would (the same
 * operations: t + (-m) log u is t + -(m log u), 2 m u is (2 m) u), and puts the +inf marks after
 * them. The gaps are worked out before they are summed, so that their logarithms, independent of
 * each other, overlap. */
void clock_fill(clock_trial *ct, uint32_t j) {
  const study_time *tm = &ct->law->time;
  uint32_t n = (uint32_t)ct->n;
  if (j < n + CLOCK_LOOK - 1)
    j = n + CLOCK_LOOK - 1 < CLOCK_CACHE ? n + CLOCK_LOOK - 1 : CLOCK_CACHE - 1;
  double *at = ct->at;
  if (tm->process == TIMING_FIXED) {
    for (; n <= j; n++)
      at[n] = (double)n * tm->mean_interval;
  } else {
    /* at[n .. j] first hold the gaps, then the sums */
    if (tm->process == TIMING_POISSON)
      for (uint32_t i = n; i <= j; i++)
        at[i] = -tm->mean_interval * log(((double)rng_next(&ct->gaps) + 0.5) * 0x1p-32);
    else
      for (uint32_t i = n; i <= j; i++)
        at[i] = 2.0 * tm->mean_interval * (((double)rng_next(&ct->gaps) + 0.5) * 0x1p-32);
    for (double t = at[n - 1]; n <= j; n++)
      at[n] = t = t + at[n];
  }
  ct->n = (int)n;
  for (uint32_t i = 0; i < CLOCK_LOOK; i++)
    at[n + i] = INFINITY;
}

double clock_arrival_slow(clock_trial *ct, clock_cursor *cu, uint32_t j) {
  if (j < (uint32_t)ct->n)
    return ct->at[j];
  if (j < CLOCK_CACHE) {
    clock_fill(ct, j);
    return ct->at[j];
  }
  if (!cu->far) { /* from the cache's last arrival on, with a copy of its gap stream */
    (void)clock_arrival(ct, cu, CLOCK_CACHE - 1);
    cu->far = 1;
    cu->j = CLOCK_CACHE - 1;
    cu->t = ct->at[CLOCK_CACHE - 1];
    cu->r = ct->gaps;
  }
  while (cu->j < j) {
    cu->t = after(ct->law, &cu->r, cu->j, cu->t);
    cu->j++;
  }
  return cu->t;
}

void clock_timeline_init(clock_timeline *tl) {
  memset(tl, 0, sizeof *tl);
  clock_cursor_init(&tl->cu);
}

void clock_turn_away_slow(clock_trial *ct, clock_timeline *tl) {
  while (clock_arrival(ct, &tl->cu, tl->next) < tl->now) {
    tl->next++;
    tl->turned_away++;
  }
}

/* Latest patient first: no earlier patient can be later than its arrival + W, so the onsets of
 * most DLT patients are never needed. */
double clock_last_outcome(clock_trial *ct, const double *at, int first, int c, int dose,
                          unsigned dlt) {
  double w = ct->law->time.window, last = 0.0;
  for (int i = c - 1; i >= 0 && at[i] + w > last; i--) {
    double known = at[i] + w;
    if (dlt >> i & 1u) {
      int p = first + i, d = dose - 1;
      if (ct->stamp[p][d] != ct->trial) {
        ct->onset[p][d] = clock_onset(ct->law, dose, clock_v(ct, p));
        ct->stamp[p][d] = ct->trial;
      }
      known = at[i] + ct->onset[p][d];
    }
    if (known > last)
      last = known;
  }
  return last;
}

void clock_cohort_far(clock_trial *ct, clock_timeline *tl, int first, int c, int dose,
                      unsigned dlt) {
  double at[DESIGN_MAX_COHORT];
  for (int i = 0; i < c; i++)
    at[i] = clock_arrival(ct, &tl->cu, tl->next + (uint32_t)i);
  tl->next += (uint32_t)c;
  tl->now = clock_last_outcome(ct, at, first, c, dose, dlt);
}
