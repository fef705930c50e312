/* rng.h — PCG32 (O'Neill 2014, XSH-RR 64/32) and the rule that maps (seed, scenario, trial) to a
 * fixed segment of a stream. Bit-identical to pcg-cpp's pcg32 (Debian's libpcg-cpp-dev). */
#ifndef DOSEVAL_RNG_H
#define DOSEVAL_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t state;
  uint64_t inc; /* odd: the stream */
} rng_pcg32;

/* Same as pcg-cpp's `pcg32 g(initstate, initseq)` and pcg-c's pcg32_srandom_r. */
void rng_seed(rng_pcg32 *r, uint64_t initstate, uint64_t initseq);
/* The next 32-bit output. */
uint32_t rng_next(rng_pcg32 *r);
/* A uniform in (0,1): (x + 0.5) / 2^32; never 0 or 1. */
double rng_uniform(rng_pcg32 *r);
/* Jumps delta outputs ahead in O(log delta) (Brown 1994); same as pcg-cpp's advance(). */
void rng_advance(rng_pcg32 *r, uint64_t delta);

/* The stream of scenario s under `seed`: both seed words are hashed (splitmix64) from
 * (seed, s), so neighbouring scenarios get unrelated states and increments. */
void rng_for_scenario(rng_pcg32 *r, uint64_t seed, uint32_t scenario);
/* Trial t of that stream starts at output t * 2^segment_log2 (see README, "Randomness"). */
void rng_for_trial(rng_pcg32 *r, uint64_t seed, uint32_t scenario, uint64_t trial,
                   unsigned segment_log2);

#endif
