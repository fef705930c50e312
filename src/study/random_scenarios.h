/* random_scenarios.h — dose–toxicity curves drawn at random (SPEC section 7): the pseudo-uniform
 * algorithm of Clertant & O'Quigley (2017), each curve from its own stream of the seed. */
#ifndef DOSEVAL_RANDOM_SCENARIOS_H
#define DOSEVAL_RANDOM_SCENARIOS_H

#include <stdint.h>

#include "rng.h"

/* `random_scenarios.count` is at most this (README, "Random scenarios"). */
#define RANDOM_SCENARIOS_MAX 1000000

/* Streams (rng_for_scenario's index) of random curve i, 0-based: its patients read stream
 * 2^31 + i and the curve itself is drawn from stream 2^31 + 2^30 + i, so neither meets a named
 * scenario's stream (its position in the file, < 2^31) nor each other. */
#define RANDOM_PATIENT_STREAM 0x80000000u
#define RANDOM_CURVE_STREAM 0xC0000000u

/* What the draw of one curve also tells (for tests and documentation). */
typedef struct {
  int mtd;       /* the drawn true MTD j, 1..k */
  double bound;  /* B, the upper bound of every p_d */
  long attempts; /* rejections while drawing the two values nearest phi (README) */
} random_curve_info;

/* Curve i (0-based) of `seed` for k doses and target phi into p[0..k-1] (increasing, in (0, B)).
 * info may be NULL. */
void random_curve_pseudo_uniform(uint64_t seed, uint32_t i, int k, double phi, double *p,
                                 random_curve_info *info);

/* Step 3 alone: k values on (0, bound), sorted, drawn from the law of k uniforms on (0, bound)
 * given that dose j is the one closest to phi (bound > phi). attempts counts rejections. */
void random_curve_given(rng_pcg32 *r, int k, double phi, int j, double bound, double *p,
                        long *attempts);

#endif
