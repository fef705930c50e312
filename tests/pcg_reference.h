/* pcg_reference.h — C ABI over pcg-cpp's pcg32 (libpcg-cpp-dev), the independent reference for
 * rng.c. */
#ifndef DOSEVAL_PCG_REFERENCE_H
#define DOSEVAL_PCG_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes to out[0..n) the outputs of `pcg32 g(initstate, initseq); g.advance(skip);`. */
void pcgref_outputs(uint64_t initstate, uint64_t initseq, uint64_t skip, uint32_t *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
