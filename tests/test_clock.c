/* test_clock.c — src/engine/clock.c: the Weibull calibration and onset quantiles against their
 * closed forms, the gaps' means within Monte Carlo error, the time stream's documented layout
 * (README, "How randomness is assigned") and the complete-cohort timeline on hand-worked cases. */
#include <criterion/criterion.h>
#include <math.h>

#include "clock.h"

static study_time timed(double w, double mean, timing_process pr, timing_onset on, double late) {
  return (study_time){.on = true,
                      .window = w,
                      .mean_interval = mean,
                      .process = pr,
                      .onset = on,
                      .late_fraction = late};
}

/* The Weibull CDF with F(W) = p, F(W/2) = (1 - late) p, written from its scale and shape (the
 * closed form the clock's conditional quantile must invert). */
static double weibull_cdf(double t, double w, double p, double late) {
  double k = log2(log(1 - p) / log(1 - (1 - late) * p));
  double lambda = w / pow(-log(1 - p), 1 / k);
  return 1 - exp(-pow(t / lambda, k));
}

Test(clock, weibull_calibration_holds_at_w_and_w_half) {
  const double ps[] = {0.02, 0.12, 0.3, 0.45, 0.7, 0.95};
  const double lates[] = {0.2, 0.5, 0.8};
  for (int i = 0; i < 6; i++)
    for (int l = 0; l < 3; l++) {
      double p = ps[i], late = lates[l];
      cr_expect_float_eq(weibull_cdf(28, 28, p, late), p, 1e-12);
      cr_expect_float_eq(weibull_cdf(14, 28, p, late), (1 - late) * p, 1e-12);
      /* bfboin's and TITEgBOIN's reading: half of the DLTs late <=> shape log2(log(1-p) /
       * log(1-p/2)) */
      if (late == 0.5)
        cr_expect_float_eq(clock_weibull_shape(p, 0.5), log2(log(1 - p) / log(1 - p / 2)), 1e-12);
    }
}

Test(clock, weibull_onset_is_the_conditional_quantile) {
  const double ps[3] = {0.05, 0.3, 0.9};
  for (int l = 1; l <= 3; l++) {
    double late = 0.25 * l;
    study_time t = timed(28, 14, TIMING_POISSON, TIMING_ONSET_WEIBULL, late);
    clock_law law;
    clock_law_init(&law, &t, ps, 3);
    for (int d = 1; d <= 3; d++) {
      double p = ps[d - 1];
      cr_expect_float_eq(clock_onset(&law, d, 1.0), 28.0, 1e-9, "v = 1 is the window's end");
      cr_expect_float_eq(clock_onset(&law, d, 1 - late), 14.0, 1e-9,
                         "a share 'late' of DLTs after W/2: dose %d late %g", d, late);
      for (double v = 0.01; v < 1; v += 0.07) {
        double x = clock_onset(&law, d, v);
        cr_expect(x > 0 && x <= 28);
        cr_expect_float_eq(weibull_cdf(x, 28, p, late) / p, v, 1e-9, "P(T <= x | T <= W) = v");
      }
    }
  }
}

Test(clock, uniform_onset_is_v_w) {
  study_time t = timed(21, 7, TIMING_FIXED, TIMING_ONSET_UNIFORM, 0);
  double p[1] = {0.3};
  clock_law law;
  clock_law_init(&law, &t, p, 1);
  cr_expect_eq(clock_onset(&law, 1, 0.25), 0.25 * 21);
  cr_expect_eq(clock_onset(&law, 1, 1.0), 21.0);
}

/* The mean and its MCSE of n gaps drawn from the outputs of one stream. */
static void gap_mean(const clock_law *law, int n, double *mean, double *se, double *lo,
                     double *hi) {
  rng_pcg32 r;
  rng_for_time(&r, 7, 3);
  double s1 = 0, s2 = 0;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int i = 0; i < n; i++) {
    double g = clock_gap(law, rng_next(&r));
    s1 += g;
    s2 += g * g;
    *lo = fmin(*lo, g);
    *hi = fmax(*hi, g);
  }
  *mean = s1 / n;
  *se = sqrt((s2 / n - *mean * *mean) / n);
}

Test(clock, gaps_have_their_means) {
  const int n = 1000000;
  double p[1] = {0.3}, mean, se, lo, hi;
  clock_law law;
  study_time t = timed(28, 15.2, TIMING_POISSON, TIMING_ONSET_UNIFORM, 0);
  clock_law_init(&law, &t, p, 1);
  gap_mean(&law, n, &mean, &se, &lo, &hi);
  /* exponential: mean 15.2, sd 15.2, so the MCSE is 15.2 / sqrt(n) */
  cr_expect(fabs(mean - 15.2) < 4 * 15.2 / sqrt(n), "poisson mean %g", mean);
  cr_expect(fabs(se - 15.2 / sqrt(n)) < 0.05 * 15.2 / sqrt(n), "poisson sd / sqrt(n) %g", se);
  cr_expect(lo > 0);
  t.process = TIMING_UNIFORM;
  clock_law_init(&law, &t, p, 1);
  gap_mean(&law, n, &mean, &se, &lo, &hi);
  /* U(0, 30.4): mean 15.2, sd 30.4 / sqrt(12) */
  cr_expect(fabs(mean - 15.2) < 4 * 30.4 / sqrt(12.0 * n), "uniform mean %g", mean);
  cr_expect(lo > 0 && hi < 30.4);
  t.process = TIMING_FIXED;
  clock_law_init(&law, &t, p, 1);
  gap_mean(&law, 1000, &mean, &se, &lo, &hi);
  cr_expect(lo == 15.2 && hi == 15.2);
}

Test(clock, a_trial_reads_its_own_segment) {
  study_time t = timed(28, 10, TIMING_POISSON, TIMING_ONSET_UNIFORM, 0);
  double p[2] = {0.2, 0.4};
  clock_law law;
  clock_law_init(&law, &t, p, 2);
  const uint64_t seed = 20261124, trial = 12345;
  const uint32_t stream = 4;
  clock_trial a, b;
  clock_trial_init(&a, &law, seed, stream, trial);
  clock_trial_init(&b, &law, seed, stream, trial - 3);
  for (int i = 0; i < 3; i++)
    clock_trial_next(&b);
  /* output i of segment `trial` is v_i; output 256 + j the gap after arrival j */
  rng_pcg32 r;
  rng_for_time(&r, seed, stream);
  rng_advance(&r, trial << CLOCK_SEGMENT_LOG2);
  for (int i = 0; i < CLOCK_ONSETS; i++) {
    double v = ((double)rng_next(&r) + 0.5) * 0x1p-32;
    cr_expect_eq(clock_v(&a, i), v, "v_%d", i);
    cr_expect_eq(clock_v(&b, i), v, "v_%d after three trials' jumps", i);
  }
  clock_cursor ca, cb;
  clock_cursor_init(&ca);
  clock_cursor_init(&cb);
  double at = 0;
  for (uint32_t j = 0; j < 3 * CLOCK_CACHE; j++) {
    cr_assert_eq(clock_arrival(&a, &ca, j), at, "arrival %u", j);
    cr_assert_eq(clock_arrival(&b, &cb, j), at, "arrival %u after three trials' jumps", j);
    at += clock_gap(&law, rng_next(&r));
  }
  /* the time stream is not the patients' */
  rng_pcg32 pat, tim;
  rng_for_scenario(&pat, seed, stream);
  rng_for_time(&tim, seed, stream);
  cr_expect_neq(pat.state, tim.state);
  cr_expect_neq(pat.inc, tim.inc);
}

Test(clock, a_cursor_past_the_cache_reads_the_same_times) {
  study_time t = timed(28, 0.5, TIMING_UNIFORM, TIMING_ONSET_UNIFORM, 0);
  double p[1] = {0.3};
  clock_law law;
  clock_law_init(&law, &t, p, 1);
  clock_trial a;
  clock_trial_init(&a, &law, 1, 0, 0);
  clock_cursor c1, c2;
  clock_cursor_init(&c1);
  clock_cursor_init(&c2);
  double x = clock_arrival(&a, &c1, 5000);
  /* another design reading the same arrival by other steps */
  for (uint32_t j = 0; j < 5000; j += 7)
    (void)clock_arrival(&a, &c2, j);
  cr_expect_eq(clock_arrival(&a, &c2, 5000), x);
}

/* Fixed accrual every 10 days, window 28, uniform onset: every time is a sum to write down. */
Test(clock, complete_cohorts_on_fixed_accrual) {
  study_time t = timed(28, 10, TIMING_FIXED, TIMING_ONSET_UNIFORM, 0);
  double p[2] = {0.2, 0.4};
  clock_law law;
  clock_law_init(&law, &t, p, 2);
  clock_trial ct;
  clock_trial_init(&ct, &law, 99, 1, 5);
  clock_timeline tl;
  clock_timeline_init(&tl);
  /* cohort 1: arrivals 0, 10, 20, no DLT: known at 48; arrivals 30, 40 turned away */
  clock_cohort(&ct, &tl, 0, 3, 1, 0);
  cr_expect_eq(tl.now, 48.0);
  cr_expect_eq(tl.next, 3u);
  /* cohort 2: arrivals 50, 60, 70; a DLT in the middle patient (onset <= 28) does not change
   * the last outcome, 70 + 28 = 98 */
  clock_cohort(&ct, &tl, 3, 3, 2, 2u);
  cr_expect_eq(tl.turned_away, 2u);
  cr_expect_eq(tl.now, 98.0);
  /* cohort 3: arrivals 100, 110, 120; DLTs in all three: the last outcome is the latest
   * arrival + v W */
  clock_cohort(&ct, &tl, 6, 3, 2, 7u);
  double last = 0;
  for (int i = 0; i < 3; i++)
    last = fmax(last, 100 + 10 * i + 28 * clock_v(&ct, 6 + i));
  cr_expect_eq(tl.now, last);
  cr_expect_eq(tl.turned_away, 4u, "80 and 90 arrive before 98: turned away; 100 joins");
  clock_finish(&ct, &tl);
  /* arrivals 130 .. before the end */
  uint64_t before = 0;
  for (double a = 130; a < last; a += 10)
    before++;
  cr_expect_eq(tl.turned_away, 4u + before);
}

Test(clock, an_arrival_at_the_moment_of_the_last_outcome_joins) {
  /* gaps 14, window 28: cohort 1 at 0, 14, 28, known at 56 = arrival 4's time: it joins */
  study_time t = timed(28, 14, TIMING_FIXED, TIMING_ONSET_UNIFORM, 0);
  double p[1] = {0.2};
  clock_law law;
  clock_law_init(&law, &t, p, 1);
  clock_trial ct;
  clock_trial_init(&ct, &law, 1, 0, 0);
  clock_timeline tl;
  clock_timeline_init(&tl);
  clock_cohort(&ct, &tl, 0, 3, 1, 0);
  cr_expect_eq(tl.now, 56.0);
  clock_cohort(&ct, &tl, 3, 3, 1, 0);
  cr_expect_eq(tl.turned_away, 1u, "only the arrival at 42");
  cr_expect_eq(tl.now, 56.0 + 28 + 28);
}
