/* test_rng.c — Criterion tests of src/base/rng.c against pcg-cpp and published pcg32 known answers. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "pcg_reference.h"
#include "rng.h"

#define NREF 10

/* Compares NREF outputs of r with pcg-cpp's `pcg32 g(initstate, initseq); g.advance(skip)`. */
static void expect_matches_ref(rng_pcg32 *r, uint64_t initstate, uint64_t initseq, uint64_t skip) {
  uint32_t ref[NREF];
  pcgref_outputs(initstate, initseq, skip, ref, NREF);
  for (int i = 0; i < NREF; ++i) {
    uint32_t got = rng_next(r);
    cr_expect_eq(got, ref[i],
                 "initstate=%llu initseq=%llu skip=%llu output %d: got 0x%08x, pcg-cpp 0x%08x",
                 (unsigned long long)initstate, (unsigned long long)initseq,
                 (unsigned long long)skip, i, got, ref[i]);
  }
}

Test(rng, seed_42_54_matches_pcg_cpp_and_published_answer) {
  /* pcg-c's pcg32-demo (seeded with pcg32_srandom_r(&rng, 42u, 54u)) prints, for round 1:
   * "32bit: 0xa15c02b7 0x7b47f409 0xba1d3330 0x83d2f293 0xbfa4784b 0xcbed606e". */
  static const uint32_t published[6] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                        0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
  uint32_t ref[NREF];
  pcgref_outputs(42, 54, 0, ref, NREF);
  rng_pcg32 r;
  rng_seed(&r, 42, 54);
  for (int i = 0; i < NREF; ++i) {
    uint32_t got = rng_next(&r);
    cr_expect_eq(got, ref[i], "output %d: got 0x%08x, pcg-cpp 0x%08x", i, got, ref[i]);
    if (i < 6)
      cr_expect_eq(got, published[i], "output %d: got 0x%08x, published 0x%08x", i, got,
                   published[i]);
  }
}

static const uint64_t seeds[][2] = {
    {0, 0},          {UINT64_MAX, UINT64_MAX},
    {0, UINT64_MAX}, {UINT64_MAX, 0},
    {42, 54},        {UINT64_C(0x853c49e6748fea9b), UINT64_C(0xda3e39cb94b95bdb)},
    {1, 2},
};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

Test(rng, fresh_streams_match_pcg_cpp) {
  for (size_t k = 0; k < NSEEDS; ++k) {
    rng_pcg32 r;
    rng_seed(&r, seeds[k][0], seeds[k][1]);
    expect_matches_ref(&r, seeds[k][0], seeds[k][1], 0);
  }
}

Test(rng, advance_matches_pcg_cpp) {
  const uint64_t skips[] = {1, 1000000, (UINT64_C(1) << 40) + 7, UINT64_MAX};
  for (size_t k = 0; k < NSEEDS; ++k) {
    for (size_t j = 0; j < sizeof skips / sizeof skips[0]; ++j) {
      rng_pcg32 r;
      rng_seed(&r, seeds[k][0], seeds[k][1]);
      rng_advance(&r, skips[j]);
      expect_matches_ref(&r, seeds[k][0], seeds[k][1], skips[j]);
    }
  }
}

Test(rng, advance_equals_repeated_next) {
  for (uint64_t n = 0; n <= 70; ++n) {
    rng_pcg32 jumped, stepped;
    rng_seed(&jumped, 12345, 678);
    stepped = jumped;
    rng_advance(&jumped, n);
    for (uint64_t i = 0; i < n; ++i)
      (void)rng_next(&stepped);
    cr_expect_eq(jumped.state, stepped.state, "n=%llu", (unsigned long long)n);
    cr_expect_eq(jumped.inc, stepped.inc, "n=%llu", (unsigned long long)n);
  }
}

Test(rng, advance_round_trip_over_full_period) {
  /* The period is 2^64, so k steps then 2^64 - k steps (computed as 0 - k mod 2^64) is identity. */
  const uint64_t ks[] = {1, 2, 3, 1000000, (UINT64_C(1) << 40) + 7, UINT64_C(1) << 63, UINT64_MAX};
  for (size_t k = 0; k < NSEEDS; ++k) {
    for (size_t j = 0; j < sizeof ks / sizeof ks[0]; ++j) {
      rng_pcg32 r, start;
      rng_seed(&r, seeds[k][0], seeds[k][1]);
      start = r;
      rng_advance(&r, ks[j]);
      cr_expect_neq(r.state, start.state, "k=%llu", (unsigned long long)ks[j]);
      rng_advance(&r, (uint64_t)0 - ks[j]);
      cr_expect_eq(r.state, start.state, "k=%llu", (unsigned long long)ks[j]);
      cr_expect_eq(r.inc, start.inc);
    }
  }
}

Test(rng, trial_is_scenario_stream_advanced_by_t_segments) {
  const unsigned logs[] = {0, 1, 3, 5};
  for (size_t j = 0; j < sizeof logs / sizeof logs[0]; ++j) {
    for (uint64_t t = 0; t < 6; ++t) {
      rng_pcg32 trial, stepped;
      rng_for_trial(&trial, 2024, 3, t, logs[j]);
      rng_for_scenario(&stepped, 2024, 3);
      for (uint64_t i = 0; i < (t << logs[j]); ++i)
        (void)rng_next(&stepped);
      cr_expect_eq(trial.state, stepped.state, "t=%llu L=%u", (unsigned long long)t, logs[j]);
      cr_expect_eq(trial.inc, stepped.inc, "t=%llu L=%u", (unsigned long long)t, logs[j]);
    }
  }
  /* Trial 0 is the scenario stream itself; a segment of 2^64 or more wraps to a zero jump. */
  rng_pcg32 a, b;
  rng_for_trial(&a, 7, 1, 0, 20);
  rng_for_scenario(&b, 7, 1);
  cr_expect_eq(a.state, b.state);
  rng_for_trial(&a, 7, 1, 5, 64);
  cr_expect_eq(a.state, b.state);
}

/* The documented rule, written independently as a sequential splitmix64 generator: the scenario
 * seed words are its outputs number 2s+1 and 2s+2 when started at `seed`. */
static uint64_t splitmix64_next(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

Test(rng, splitmix64_helper_known_answer) {
  /* splitmix64 (Steele, Lea & Flood 2014) started at 0 begins 0xe220a8397b1dcdaf,
   * 0x6e789e6aa1b965f4, 0x06c45d188009454f (Vigna's reference splitmix64.c). */
  uint64_t x = 0;
  cr_expect_eq(splitmix64_next(&x), UINT64_C(0xe220a8397b1dcdaf));
  cr_expect_eq(splitmix64_next(&x), UINT64_C(0x6e789e6aa1b965f4));
  cr_expect_eq(splitmix64_next(&x), UINT64_C(0x06c45d188009454f));
}

Test(rng, scenario_and_trial_follow_documented_rule_via_pcg_cpp) {
  const uint64_t seeds1[] = {0, 1, 99, UINT64_MAX};
  const uint32_t scens[] = {0, 1, 4, 1000, UINT32_MAX};
  for (size_t i = 0; i < sizeof seeds1 / sizeof seeds1[0]; ++i) {
    for (size_t j = 0; j < sizeof scens / sizeof scens[0]; ++j) {
      /* splitmix64's state after 2s outputs is seed + 2s * golden (mod 2^64); small scenarios
       * are stepped one output at a time instead, which checks that shortcut too. */
      uint64_t x = seeds1[i];
      if (scens[j] <= 1000) {
        for (uint64_t k = 0; k < 2 * (uint64_t)scens[j]; ++k)
          (void)splitmix64_next(&x);
      } else {
        x += 2 * (uint64_t)scens[j] * UINT64_C(0x9E3779B97F4A7C15);
      }
      uint64_t initstate = splitmix64_next(&x);
      uint64_t initseq = splitmix64_next(&x);
      rng_pcg32 r;
      rng_for_scenario(&r, seeds1[i], scens[j]);
      expect_matches_ref(&r, initstate, initseq, 0);
      for (uint64_t t = 0; t < 4; ++t) {
        rng_for_trial(&r, seeds1[i], scens[j], t, 40);
        expect_matches_ref(&r, initstate, initseq, t << 40);
      }
    }
  }
}

Test(rng, scenarios_and_seeds_give_different_streams) {
  enum { NS = 64, NOUT = 4 };
  uint32_t first[NS][NOUT];
  uint64_t incs[NS];
  for (uint32_t s = 0; s < NS; ++s) {
    rng_pcg32 r;
    rng_for_scenario(&r, 1, s);
    incs[s] = r.inc;
    for (int i = 0; i < NOUT; ++i)
      first[s][i] = rng_next(&r);
  }
  for (int a = 0; a < NS; ++a) {
    for (int b = a + 1; b < NS; ++b) {
      cr_expect_neq(incs[a], incs[b], "scenarios %d and %d share an increment", a, b);
      int same = 1;
      for (int i = 0; i < NOUT; ++i)
        same &= first[a][i] == first[b][i];
      cr_expect(!same, "scenarios %d and %d start with the same outputs", a, b);
    }
  }
  /* Neighbouring seeds are unrelated too, including scenario UINT32_MAX (no 32-bit overflow). */
  rng_pcg32 x, y;
  rng_for_scenario(&x, 1, 0);
  rng_for_scenario(&y, 2, 0);
  cr_expect_neq(x.state, y.state);
  cr_expect_neq(x.inc, y.inc);
  rng_for_scenario(&x, 1, UINT32_MAX);
  rng_for_scenario(&y, 1, 0);
  cr_expect_neq(x.inc, y.inc);
  cr_expect_neq(x.state, y.state);
}

Test(rng, uniform_is_strictly_inside_unit_interval) {
  /* Old state 0 outputs x = 0. For x = UINT32_MAX, the xorshifted word ((s >> 18) ^ s) >> 27
   * must be all ones (any rotation of it is then all ones): take u = ones in bits 27..58 and
   * invert the xorshift, s = u ^ (u >> 18) ^ (u >> 36) ^ (u >> 54). */
  const uint64_t u = UINT64_C(0xFFFFFFFF) << 27;
  const uint64_t states[2] = {0, u ^ (u >> 18) ^ (u >> 36) ^ (u >> 54)};
  const uint32_t xs[2] = {0, UINT32_MAX};
  for (int k = 0; k < 2; ++k) {
    rng_pcg32 r = {states[k], 1}, copy = r;
    cr_assert_eq(rng_next(&copy), xs[k], "state does not produce x = 0x%08x", xs[k]);
    double v = rng_uniform(&r);
    cr_expect_eq(v, ((double)xs[k] + 0.5) / 4294967296.0);
    cr_expect(v > 0.0 && v < 1.0, "x=0x%08x gives %.17g", xs[k], v);
    cr_expect_eq(r.state, copy.state, "rng_uniform consumes exactly one output");
  }
}

Test(rng, uniform_follows_formula_on_next) {
  rng_pcg32 a, b;
  rng_seed(&a, 42, 54);
  b = a;
  for (int i = 0; i < 1000; ++i) {
    uint32_t x = rng_next(&a);
    double v = rng_uniform(&b);
    cr_expect_eq(v, ((double)x + 0.5) * 0x1p-32);
    cr_expect(v > 0.0 && v < 1.0);
  }
}

Test(rng, jump_equals_advance) {
  const uint64_t deltas[] = {0, 1, 2, 235, 256 - 21, 1000000, (UINT64_C(1) << 40) + 7, UINT64_MAX};
  for (size_t k = 0; k < NSEEDS; ++k) {
    for (size_t j = 0; j < sizeof deltas / sizeof deltas[0]; ++j) {
      rng_pcg32 jumped, advanced;
      rng_seed(&jumped, seeds[k][0], seeds[k][1]);
      advanced = jumped;
      rng_jump jump = rng_jump_make(&jumped, deltas[j]);
      /* made once, applied three times: a jump does not depend on the state it starts from */
      for (int rep = 0; rep < 3; ++rep) {
        rng_jump_apply(&jumped, jump);
        rng_advance(&advanced, deltas[j]);
        cr_expect_eq(jumped.state, advanced.state, "seed %zu delta %llu rep %d", k,
                     (unsigned long long)deltas[j], rep);
        cr_expect_eq(jumped.inc, advanced.inc);
        (void)rng_next(&jumped); /* move off the jump's start between uses */
        (void)rng_next(&advanced);
      }
    }
  }
}

/* The formula of rng_uniform, written out here (uniform_follows_formula_on_next checks it). */
static double uniform_of_output(uint64_t x) { return ((double)x + 0.5) * 0x1p-32; }

Test(rng, uniform_threshold_known_answers) {
  /* u(2^31 - 1) = 0.5 - 2^-33 < 0.5 and u(2^31) = 0.5 + 2^-33: half the outputs are below 0.5 */
  cr_expect_eq(rng_uniform_threshold(0.5), UINT64_C(1) << 31);
  cr_expect_eq(rng_uniform_threshold(0.25), UINT64_C(1) << 30);
  cr_expect_eq(rng_uniform_threshold(0.0), 0);
  cr_expect_eq(rng_uniform_threshold(-0.1), 0);
  cr_expect_eq(rng_uniform_threshold(NAN), 0);
  cr_expect_eq(rng_uniform_threshold(1.0), UINT64_C(1) << 32);
  cr_expect_eq(rng_uniform_threshold(1.5), UINT64_C(1) << 32);
  /* p equal to an output's own uniform: that output is not below it, the one before is */
  cr_expect_eq(rng_uniform_threshold(uniform_of_output(7)), 7);
  cr_expect_eq(rng_uniform_threshold(nextafter(uniform_of_output(7), 1.0)), 8);
  cr_expect_eq(rng_uniform_threshold(uniform_of_output(0)), 0);
  cr_expect_eq(rng_uniform_threshold(nextafter(uniform_of_output(0), 1.0)), 1);
  cr_expect_eq(rng_uniform_threshold(uniform_of_output(UINT32_MAX)), UINT32_MAX);
  cr_expect_eq(rng_uniform_threshold(nextafter(1.0, 0.0)), UINT64_C(1) << 32);
}

Test(rng, uniform_threshold_agrees_with_the_uniform_test) {
  /* Every p a config could hold is a double in [0, 1]: the boundary cells of the thresholds of
   * typical values, of values sitting on a cell's edge, and random outputs must all agree. */
  double ps[64] = {
      1e-300, 1e-12, 0.01, 0.05,      0.1,      0.12,     0.25, 0.3, 0.30000000000000004,
      0.45,   0.6,   0.7,  1.0 / 3.0, 0.999999, 1 - 1e-16};
  int n = 15;
  rng_pcg32 g;
  rng_seed(&g, 5, 6);
  while (n + 3 <= 64) {
    double u = uniform_of_output(rng_next(&g));
    ps[n++] = u;
    ps[n++] = nextafter(u, 0.0);
    ps[n++] = nextafter(u, 1.0);
  }
  for (int i = 0; i < n; ++i) {
    uint64_t t = rng_uniform_threshold(ps[i]);
    cr_assert(t <= UINT64_C(1) << 32);
    for (int64_t dx = -3; dx <= 3; ++dx) {
      int64_t x = (int64_t)t + dx;
      if (x < 0 || x > (int64_t)UINT32_MAX)
        continue;
      cr_expect_eq(uniform_of_output((uint64_t)x) < ps[i], (uint64_t)x < t,
                   "p=%.17g x=%lld threshold %llu", ps[i], (long long)x, (unsigned long long)t);
    }
    for (int r = 0; r < 200; ++r) {
      uint32_t x = rng_next(&g);
      cr_expect_eq(uniform_of_output(x) < ps[i], x < t, "p=%.17g x=%u", ps[i], x);
    }
  }
}

Test(rng, fill_equals_repeated_next) {
  for (int n = 0; n <= 37; ++n) {
    rng_pcg32 filled, stepped;
    rng_seed(&filled, 2026, (uint64_t)n);
    stepped = filled;
    uint32_t x[40] = {0};
    rng_fill(&filled, x, n);
    for (int i = 0; i < n; ++i)
      cr_expect_eq(x[i], rng_next(&stepped), "n=%d output %d", n, i);
    cr_expect_eq(x[n], 0u, "n=%d: nothing written past n", n);
    cr_expect_eq(filled.state, stepped.state, "n=%d", n);
  }
}
