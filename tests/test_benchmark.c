/* test_benchmark.c — the complete-information benchmark's pick (src/engine/benchmark.c): the keyed
 * pick the Monte Carlo loop uses agrees with benchmark_pick on every vector of counts (exhaustively
 * for small studies, including those where phi n is a whole or a half number, so that the tie
 * rules of SPEC section 8 decide), and known picks from the tie rules themselves. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "benchmark.h"

/* Every x in [0, n]^k, as an odometer. */
static void expect_agree_everywhere(int n, int k, double phi, double too_toxic) {
  benchmark_keys b;
  benchmark_keys_init(&b, n, phi, too_toxic);
  int x[DESIGN_MAX_DOSES] = {0};
  long checked = 0, wrong = 0;
  for (;;) {
    int want = benchmark_pick(x, k, n, phi, too_toxic), got = benchmark_pick_keyed(&b, x, k);
    if (got != want && wrong++ < 3)
      cr_expect_eq(got, want,
                   "n=%d k=%d phi=%.17g too_toxic=%.17g x=%d,%d,%d,...: keyed %d, "
                   "benchmark_pick %d",
                   n, k, phi, too_toxic, x[0], k > 1 ? x[1] : -1, k > 2 ? x[2] : -1, got, want);
    checked++;
    int d = 0;
    while (d < k && ++x[d] > n)
      x[d++] = 0;
    if (d == k)
      break;
  }
  cr_expect_eq(wrong, 0, "n=%d k=%d phi=%g too_toxic=%g: %ld of %ld vectors differ", n, k, phi,
               too_toxic, wrong, checked);
}

Test(benchmark, keyed_pick_agrees_with_benchmark_pick_everywhere) {
  /* phi n whole (0.25 x 24 = 6, 0.3 x 20 = 6), half (0.25 x 30 = 7.5, 0.3 x 25 = 7.5), neither */
  const double phis[] = {0.25, 0.3, 1.0 / 3.0, 0.2, 0.5, 0.05, 0.95};
  for (size_t i = 0; i < sizeof phis / sizeof phis[0]; i++) {
    /* the default too_toxic (1.4 phi, at most 1; 1.4 x 0.25 x 20 = 7 is a whole count) and 1 */
    double tt = 1.4 * phis[i] < 1 ? 1.4 * phis[i] : 1;
    for (int n = 1; n <= 30; n++)
      expect_agree_everywhere(n, 3, phis[i], tt);
    expect_agree_everywhere(21, 4, phis[i], tt);
    expect_agree_everywhere(6, 6, phis[i], tt);
    expect_agree_everywhere(3, 8, phis[i], 1.0);
    expect_agree_everywhere(36, 2, phis[i], tt);
    expect_agree_everywhere(1, 16, phis[i], tt);
  }
}

Test(benchmark, keyed_pick_agrees_on_large_studies) {
  /* random count vectors for n up to 255 and 16 doses (a fixed LCG: no test depends on rng.c) */
  uint64_t s = 12345;
  const int ns[] = {60, 100, 255};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
    int n = ns[i];
    benchmark_keys b;
    benchmark_keys_init(&b, n, 0.25, 0.35);
    for (int rep = 0; rep < 20000; rep++) {
      int x[DESIGN_MAX_DOSES], k = 1 + rep % DESIGN_MAX_DOSES;
      for (int d = 0; d < k; d++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        x[d] = (int)((s >> 33) % (uint64_t)(n + 1));
      }
      cr_expect_eq(benchmark_pick_keyed(&b, x, k), benchmark_pick(x, k, n, 0.25, 0.35),
                   "n=%d rep %d", n, rep);
    }
  }
}

Test(benchmark, tie_rules) {
  /* SPEC section 8, n = 30 and phi = 0.25, so phi n = 7.5: */
  benchmark_keys b;
  benchmark_keys_init(&b, 30, 0.25, 1.0);
  /* 7 (below) and 8 (above) are equally close: below wins */
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){7, 8}, 2), 1);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){8, 7}, 2), 2);
  /* the same estimate below phi at two doses: the higher dose; above phi: the lower */
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){7, 7, 20}, 3), 2);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){0, 8, 8}, 3), 2);
  /* nearest wins outright */
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){2, 5, 9, 12}, 4), 3);
}

/* It stops (0) when every estimate is at or above too_toxic, the rule that leaves a scenario no
 * true MTD: 21 patients, too_toxic 1.4 x 0.3 = 0.42, so a count of 9 (0.43) is too toxic and 8
 * (0.38) is not; with 50 patients 21/50 is 0.42 exactly, too toxic. */
Test(benchmark, stops_when_every_estimate_is_too_toxic) {
  benchmark_keys b;
  benchmark_keys_init(&b, 21, 0.3, 1.4 * 0.3);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){9, 12, 15}, 3), 0);
  cr_expect_eq(benchmark_pick(((int[]){9, 12, 15}), 3, 21, 0.3, 1.4 * 0.3), 0);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){8, 12, 15}, 3), 1);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){12, 9, 15}, 3), 0, "not only the first dose");
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){12, 8, 15}, 3), 2);
  benchmark_keys_init(&b, 50, 0.3, 0.42);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){21, 21}, 2), 0);
  cr_expect_eq(benchmark_pick(((int[]){21, 21}), 2, 50, 0.3, 0.42), 0);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){20, 21}, 2), 1);
}
