/* draws.h — the floor's loop, shared by bench_floor and bench_loop: per trial exactly the draws
 * trial_sim_run makes (the stream rule rng_for_trial, one 32-bit PCG32 output per patient of the
 * trial, the jump to the next trial's 256-output segment) and nothing else: no design, no
 * benchmark, no counting. Keep it in step with src/engine/trial.c. */
#ifndef DOSEVAL_BENCH_DRAWS_H
#define DOSEVAL_BENCH_DRAWS_H

#include <stdint.h>

#include "config.h"
#include "rng.h"
#include "scenarios.h"
#include "trial.h"

/* Trials [t0, t1) of scenario s, each trial's tolerances into x[0..patients). */
static inline void bench_draws(const config *cfg, int s, uint64_t t0, uint64_t t1, int patients,
                               uint32_t *x) {
  rng_pcg32 r;
  config_scenario sc;
  config_scenario_at(cfg, s, &sc);
  rng_for_trial(&r, cfg->seed, sc.stream, t0, TRIAL_SEGMENT_LOG2);
  rng_jump next = rng_jump_make(&r, ((uint64_t)1 << TRIAL_SEGMENT_LOG2) - (uint64_t)patients);
  for (uint64_t t = t0; t < t1; t++) {
    rng_fill(&r, x, patients);
    rng_jump_apply(&r, next);
    /* Tell the compiler the tolerances are read after each trial, as the designs read them:
     * otherwise it could drop the stores and the output permutation. No instruction. */
    __asm__ __volatile__("" : : "r"(x) : "memory");
  }
}

#endif
