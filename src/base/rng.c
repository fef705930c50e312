/* rng.c — PCG32 (XSH-RR 64/32), its O(log n) jump-ahead and fixed jumps, the uniform test in
 * integers, and the (seed, scenario, trial) rule. */
#include "rng.h"

/* The 64-bit LCG multiplier used by pcg-c and pcg-cpp for pcg32 (O'Neill 2014). */
#define PCG_MULT UINT64_C(6364136223846793005)

/* splitmix64's increment, 2^64 / golden ratio (Steele, Lea & Flood 2014). */
#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

static void lcg_step(rng_pcg32 *r) { r->state = r->state * PCG_MULT + r->inc; }

/* XSH-RR: xorshift the high bits down, then rotate by the top 5 bits. */
static uint32_t output_xsh_rr(uint64_t s) {
  uint32_t xorshifted = (uint32_t)(((s >> 18) ^ s) >> 27);
  unsigned rot = (unsigned)(s >> 59);
  /* (-rot & 31) keeps the shift defined when rot == 0. */
  return (xorshifted >> rot) | (xorshifted << ((0u - rot) & 31u));
}

/* splitmix64's output finaliser: a bijective avalanche mix of 64 bits. */
static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

void rng_seed(rng_pcg32 *r, uint64_t initstate, uint64_t initseq) {
  /* The increment must be odd for the LCG to have full period 2^64. */
  r->inc = (initseq << 1) | 1u;
  r->state = 0;
  lcg_step(r);
  r->state += initstate;
  lcg_step(r);
}

uint32_t rng_next(rng_pcg32 *r) {
  /* Output from the old state so the multiply and the permutation can overlap (as pcg32). */
  uint64_t old = r->state;
  lcg_step(r);
  return output_xsh_rr(old);
}

void rng_fill(rng_pcg32 *r, uint32_t *x, int n) {
  /* The multiply-add chain from one output to the next sets the pace; unrolled, the loop's own
   * counting and branching stop competing with the permutations for the core. */
#pragma GCC unroll 4
  for (int i = 0; i < n; i++)
    x[i] = rng_next(r);
}

/* The uniform of output x: the centre of one of 2^32 equal cells, never 0 or 1, so log(u) and
 * log(1-u) stay finite. Every step is exact in double (x + 0.5 needs 33 bits; 2^-32 scales). */
static double uniform_of(uint64_t x) { return ((double)x + 0.5) * 0x1p-32; }

double rng_uniform(rng_pcg32 *r) { return uniform_of(rng_next(r)); }

rng_jump rng_jump_make(const rng_pcg32 *r, uint64_t delta) {
  /* Brown (1994): compose the affine map x -> a x + c with itself by repeated squaring.
   * (a, c) is the map for 2^k steps; (mult, plus) collects the bits of delta. */
  uint64_t a = PCG_MULT, c = r->inc;
  rng_jump j = {.mult = 1, .plus = 0};
  while (delta > 0) {
    if (delta & 1u) {
      j.mult *= a;
      j.plus = j.plus * a + c;
    }
    c = (a + 1) * c;
    a *= a;
    delta >>= 1;
  }
  return j;
}

void rng_jump_apply(rng_pcg32 *r, rng_jump j) { r->state = j.mult * r->state + j.plus; }

void rng_advance(rng_pcg32 *r, uint64_t delta) { rng_jump_apply(r, rng_jump_make(r, delta)); }

uint64_t rng_uniform_threshold(double p) {
  const uint64_t all = (uint64_t)1 << 32;
  if (!(p > 0.0)) /* uniforms are positive; NaN compares false, so nothing is below it */
    return 0;
  if (p >= 1.0) /* uniforms are below 1 */
    return all;
  /* uniform_of increases with x, so the answer is the first x whose uniform is not below p.
   * p 2^32 is exact and within one cell of it; step there with the very comparison that
   * rng_uniform's callers make, so the two tests agree for every x, rounding included. */
  uint64_t t = (uint64_t)(p * 0x1p32);
  while (t > 0 && !(uniform_of(t - 1) < p))
    t--;
  while (t < all && uniform_of(t) < p)
    t++;
  return t;
}

/* Rule: with G = GOLDEN and all arithmetic mod 2^64,
 *   initstate = mix64(seed + G * (2s + 1)),  initseq = mix64(seed + G * (2s + 2)),
 * i.e. outputs 2s+1 and 2s+2 of a splitmix64 generator started at `seed`. Each scenario thus
 * gets its own pair of splitmix64 outputs, never shared with another scenario. */
void rng_for_scenario(rng_pcg32 *r, uint64_t seed, uint32_t scenario) {
  uint64_t k = 2 * (uint64_t)scenario;
  rng_seed(r, mix64(seed + GOLDEN * (k + 1)), mix64(seed + GOLDEN * (k + 2)));
}

void rng_for_time(rng_pcg32 *r, uint64_t seed, uint32_t scenario) {
  uint64_t k = 2 * (uint64_t)scenario;
  rng_seed(r, mix64(mix64(seed + GOLDEN * (k + 1)) ^ RNG_TIME_TAG),
           mix64(mix64(seed + GOLDEN * (k + 2)) ^ RNG_TIME_TAG));
}

void rng_for_response(rng_pcg32 *r, uint64_t seed, uint32_t scenario) {
  uint64_t k = 2 * (uint64_t)scenario;
  rng_seed(r, mix64(mix64(seed + GOLDEN * (k + 1)) ^ RNG_RESPONSE_TAG),
           mix64(mix64(seed + GOLDEN * (k + 2)) ^ RNG_RESPONSE_TAG));
}

uint32_t rng_peek(const rng_pcg32 *r, rng_jump j) {
  return output_xsh_rr(j.mult * r->state + j.plus);
}

void rng_for_trial(rng_pcg32 *r, uint64_t seed, uint32_t scenario, uint64_t trial,
                   unsigned segment_log2) {
  /* Trials own disjoint segments of 2^segment_log2 outputs, so results do not depend on which
   * process ran which trial. */
  rng_for_scenario(r, seed, scenario);
  /* The period is 2^64, so t * 2^L with L >= 64 is a jump of 0 (and a shift by >= 64 is UB). */
  rng_advance(r, segment_log2 < 64 ? trial << segment_log2 : 0);
}
