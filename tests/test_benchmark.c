/* test_benchmark.c — the complete-information benchmark's pick (src/engine/benchmark.c): the keyed
 * pick the Monte Carlo loop uses agrees with benchmark_pick on every vector of counts (exhaustively
 * for small studies, including those where phi n is a whole or a half number, so that the tie
 * rules of SPEC section 8 decide), and known picks from the tie rules themselves. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "benchmark.h"

/* Every x in [0, n]^k, as an odometer. */
static void expect_agree_everywhere(int n, int k, double phi) {
  benchmark_keys b;
  benchmark_keys_init(&b, n, phi);
  int x[DESIGN_MAX_DOSES] = {0};
  long checked = 0, wrong = 0;
  for (;;) {
    int want = benchmark_pick(x, k, n, phi), got = benchmark_pick_keyed(&b, x, k);
    if (got != want && wrong++ < 3)
      cr_expect_eq(got, want, "n=%d k=%d phi=%.17g x=%d,%d,%d,...: keyed %d, benchmark_pick %d", n,
                   k, phi, x[0], k > 1 ? x[1] : -1, k > 2 ? x[2] : -1, got, want);
    checked++;
    int d = 0;
    while (d < k && ++x[d] > n)
      x[d++] = 0;
    if (d == k)
      break;
  }
  cr_expect_eq(wrong, 0, "n=%d k=%d phi=%g: %ld of %ld vectors differ", n, k, phi, wrong, checked);
}

Test(benchmark, keyed_pick_agrees_with_benchmark_pick_everywhere) {
  /* phi n whole (0.25 x 24 = 6, 0.3 x 20 = 6), half (0.25 x 30 = 7.5, 0.3 x 25 = 7.5), neither */
  const double phis[] = {0.25, 0.3, 1.0 / 3.0, 0.2, 0.5, 0.05, 0.95};
  for (size_t i = 0; i < sizeof phis / sizeof phis[0]; i++) {
    for (int n = 1; n <= 30; n++)
      expect_agree_everywhere(n, 3, phis[i]);
    expect_agree_everywhere(21, 4, phis[i]);
    expect_agree_everywhere(6, 6, phis[i]);
    expect_agree_everywhere(3, 8, phis[i]);
    expect_agree_everywhere(36, 2, phis[i]);
    expect_agree_everywhere(1, 16, phis[i]);
  }
}

Test(benchmark, keyed_pick_agrees_on_large_studies) {
  /* random count vectors for n up to 255 and 16 doses (a fixed LCG: no test depends on rng.c) */
  uint64_t s = 12345;
  const int ns[] = {60, 100, 255};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
    int n = ns[i];
    benchmark_keys b;
    benchmark_keys_init(&b, n, 0.25);
    for (int rep = 0; rep < 20000; rep++) {
      int x[DESIGN_MAX_DOSES], k = 1 + rep % DESIGN_MAX_DOSES;
      for (int d = 0; d < k; d++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        x[d] = (int)((s >> 33) % (uint64_t)(n + 1));
      }
      cr_expect_eq(benchmark_pick_keyed(&b, x, k), benchmark_pick(x, k, n, 0.25), "n=%d rep %d", n,
                   rep);
    }
  }
}

Test(benchmark, tie_rules) {
  /* SPEC section 8, n = 30 and phi = 0.25, so phi n = 7.5: */
  benchmark_keys b;
  benchmark_keys_init(&b, 30, 0.25);
  /* 7 (below) and 8 (above) are equally close: below wins */
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){7, 8}, 2), 1);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){8, 7}, 2), 2);
  /* the same estimate below phi at two doses: the higher dose; above phi: the lower */
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){7, 7, 20}, 3), 2);
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){0, 8, 8}, 3), 2);
  /* nearest wins outright */
  cr_expect_eq(benchmark_pick_keyed(&b, (int[]){2, 5, 9, 12}, 4), 3);
}
