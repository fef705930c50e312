/* rng.c — PCG32 (XSH-RR 64/32), its O(log n) jump-ahead, and the (seed, scenario, trial) rule. */
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

double rng_uniform(rng_pcg32 *r) {
  /* Centre of one of 2^32 equal cells: never 0 or 1, so log(u) and log(1-u) stay finite. */
  return ((double)rng_next(r) + 0.5) * 0x1p-32;
}

void rng_advance(rng_pcg32 *r, uint64_t delta) {
  /* Brown (1994): compose the affine map x -> a x + c with itself by repeated squaring.
   * (a, c) is the map for 2^k steps; (acc_mult, acc_plus) collects the bits of delta. */
  uint64_t a = PCG_MULT, c = r->inc;
  uint64_t acc_mult = 1, acc_plus = 0;
  while (delta > 0) {
    if (delta & 1u) {
      acc_mult *= a;
      acc_plus = acc_plus * a + c;
    }
    c = (a + 1) * c;
    a *= a;
    delta >>= 1;
  }
  r->state = acc_mult * r->state + acc_plus;
}

/* Rule: with G = GOLDEN and all arithmetic mod 2^64,
 *   initstate = mix64(seed + G * (2s + 1)),  initseq = mix64(seed + G * (2s + 2)),
 * i.e. outputs 2s+1 and 2s+2 of a splitmix64 generator started at `seed`. Each scenario thus
 * gets its own pair of splitmix64 outputs, never shared with another scenario. */
void rng_for_scenario(rng_pcg32 *r, uint64_t seed, uint32_t scenario) {
  uint64_t k = 2 * (uint64_t)scenario;
  rng_seed(r, mix64(seed + GOLDEN * (k + 1)), mix64(seed + GOLDEN * (k + 2)));
}

void rng_for_trial(rng_pcg32 *r, uint64_t seed, uint32_t scenario, uint64_t trial,
                   unsigned segment_log2) {
  /* Trials own disjoint segments of 2^segment_log2 outputs, so results do not depend on which
   * process ran which trial. */
  rng_for_scenario(r, seed, scenario);
  /* The period is 2^64, so t * 2^L with L >= 64 is a jump of 0 (and a shift by >= 64 is UB). */
  rng_advance(r, segment_log2 < 64 ? trial << segment_log2 : 0);
}
