/* benchmark.h — the complete-information benchmark (O'Quigley, Paoletti & Maccario 2002): with
 * every patient's tolerance known, p_d is estimated by the share of the n tolerances below p_d
 * and the dose whose estimate is closest to phi is selected; on a tie the higher dose when the
 * tied estimates are below phi, the lower otherwise (SPEC section 8). It stops with no MTD (dose
 * 0) when every estimate is too toxic (curve_too_toxic against the study's too_toxic): judged by
 * the rule that gives a scenario no true MTD, applied to what it sees, so that where stopping is
 * the correct answer the benchmark can give it, as a design can (README, "No true MTD"). */
#ifndef DOSEVAL_BENCHMARK_H
#define DOSEVAL_BENCHMARK_H

#include <stdint.h>

#include "design.h"
#include "error.h"

/* The benchmark's pick (0 = stop) from x[d-1] = number of the n tolerances below p_d. */
int benchmark_pick(const int *x, int k, int n, double phi, double too_toxic);

/* The same pick without comparing doubles or branching on the data (the Monte Carlo loop makes
 * it once per trial): benchmark_pick's order of counts, by distance from phi n and then below
 * before above, is a rank per count x = 0 ... n, worked out once for (n, phi). */
typedef struct {
  int n;
  int stop_at;                    /* the least count whose estimate is too toxic (n + 1: none is) */
  uint32_t key[DESIGN_MAX_N + 1]; /* the rank of x, and how its doses are ordered (benchmark.c) */
} benchmark_keys;
void benchmark_keys_init(benchmark_keys *b, int n, double phi, double too_toxic);
/* benchmark_pick(x, k, b->n, phi, too_toxic) for the (n, phi, too_toxic) b was made for. */
int benchmark_pick_keyed(const benchmark_keys *b, const int *x, int k);

/* Its exact selection probabilities sel[0..k] (0: stopped) for true curve p: the counts x_d are
 * nested binomials along the doses sorted by p, swept by dynamic programming. */
dv_status benchmark_exact(const double *p, int k, int n, double phi, double too_toxic, double *sel,
                          dv_error *err) DV_MUST_CHECK;

#endif
