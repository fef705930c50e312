/* benchmark.h — the complete-information benchmark (O'Quigley, Paoletti & Maccario 2002): with
 * every patient's tolerance known, p_d is estimated by the share of the n tolerances below p_d
 * and the dose whose estimate is closest to phi is selected; on a tie the higher dose when the
 * tied estimates are below phi, the lower otherwise (SPEC section 8). */
#ifndef DOSEVAL_BENCHMARK_H
#define DOSEVAL_BENCHMARK_H

#include <stdint.h>

#include "design.h"
#include "error.h"

/* The benchmark's pick from x[d-1] = number of the n tolerances below p_d. */
int benchmark_pick(const int *x, int k, int n, double phi);

/* The same pick without comparing doubles or branching on the data (the Monte Carlo loop makes
 * it once per trial): benchmark_pick's order of counts, by distance from phi n and then below
 * before above, is a rank per count x = 0 ... n, worked out once for (n, phi). */
typedef struct {
  int n;
  uint32_t key[DESIGN_MAX_N + 1]; /* the rank of x, and how its doses are ordered (benchmark.c) */
} benchmark_keys;
void benchmark_keys_init(benchmark_keys *b, int n, double phi);
/* benchmark_pick(x, k, b->n, phi) for the (n, phi) b was made for. */
int benchmark_pick_keyed(const benchmark_keys *b, const int *x, int k);

/* Its exact selection probabilities sel[1..k] (sel[0] = 0) for true curve p: the counts
 * x_d are nested binomials along the doses sorted by p, swept by dynamic programming. */
dv_status benchmark_exact(const double *p, int k, int n, double phi, double *sel,
                          dv_error *err) DV_MUST_CHECK;

#endif
