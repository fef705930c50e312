// pcg_reference.cpp — pcgref_outputs implemented with pcg-cpp itself (no PCG code of our own).
#include "pcg_reference.h"

#include <pcg_random.hpp>

extern "C" void pcgref_outputs(uint64_t initstate, uint64_t initseq, uint64_t skip, uint32_t *out,
                               size_t n) {
  pcg32 g(initstate, initseq);
  g.advance(skip);
  for (size_t i = 0; i < n; ++i)
    out[i] = g();
}
