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
/* The next n outputs, into x[0..n): the same as n calls of rng_next. */
void rng_fill(rng_pcg32 *r, uint32_t *x, int n);
/* Jumps delta outputs ahead in O(log delta) (Brown 1994); same as pcg-cpp's advance(). */
void rng_advance(rng_pcg32 *r, uint64_t delta);

/* A jump of a fixed number of outputs along one stream, worked out once: delta LCG steps compose
 * into one affine map, state -> mult * state + plus, so a jump made many times (a trial's skip to
 * the next trial's segment) costs one multiply-add instead of rng_advance's O(log delta) loop. */
typedef struct {
  uint64_t mult, plus;
} rng_jump;
/* The jump of delta outputs on r's stream (plus depends on the increment, not on the state). */
rng_jump rng_jump_make(const rng_pcg32 *r, uint64_t delta);
/* Moves r along its stream by the jump: the same as rng_advance(r, delta) for its delta. The jump
 * must have been made on r's stream. */
void rng_jump_apply(rng_pcg32 *r, rng_jump j);

/* The uniform test in integers: rng_uniform(r) < p exactly when rng_next(r) < the threshold,
 * the number of 32-bit outputs x whose uniform (x + 0.5) / 2^32 is below p (0 ... 2^32; 0 for
 * p <= 0 or NaN, 2^32 for p >= 1). */
uint64_t rng_uniform_threshold(double p);

/* The stream of scenario s under `seed`: both seed words are hashed (splitmix64) from
 * (seed, s), so neighbouring scenarios get unrelated states and increments. */
void rng_for_scenario(rng_pcg32 *r, uint64_t seed, uint32_t scenario);
/* The time stream of scenario s (SPEC section 11; README, "How randomness is assigned"): the two
 * seed words of rng_for_scenario's stream, each xor'ed with RNG_TIME_TAG and hashed again, so it
 * meets no patients' or curves' stream and depends only on (seed, s). */
#define RNG_TIME_TAG UINT64_C(0x74696d65) /* "time" */
void rng_for_time(rng_pcg32 *r, uint64_t seed, uint32_t scenario);
/* The response stream of scenario s (SPEC section 13; README, "How randomness is assigned"): the
 * same construction with RNG_RESPONSE_TAG, so it meets no patients', curves' or time stream and
 * adding it moves no draw of theirs. */
#define RNG_RESPONSE_TAG UINT64_C(0x72657370) /* "resp" */
void rng_for_response(rng_pcg32 *r, uint64_t seed, uint32_t scenario);
/* The output r would give after jump j (r does not move): random access along a stream. */
uint32_t rng_peek(const rng_pcg32 *r, rng_jump j);
/* Trial t of that stream starts at output t * 2^segment_log2 (see README, "Randomness"). */
void rng_for_trial(rng_pcg32 *r, uint64_t seed, uint32_t scenario, uint64_t trial,
                   unsigned segment_log2);

#endif
