/* benchmark.c — the complete-information benchmark, sampled and exact (see benchmark.h). */
#include "benchmark.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "curve.h"
#include "design.h"
#include "prob.h"

/* |x/n - phi| compared as |x - phi n|. Ties (within 1e-9), SPEC section 8: among estimates
 * below phi the higher dose, otherwise the lower; an estimate below phi beats one above it at the
 * same distance. That is a total order (distance, then below before above, then dose upwards
 * below phi and downwards above), so any order of comparisons picks the same dose. */
static int closer(int xa, int da, int xb, int db, int n, double phi) {
  double a = fabs(xa - phi * n), b = fabs(xb - phi * n);
  if (a < b - 1e-9)
    return da;
  if (b < a - 1e-9)
    return db;
  bool below_a = xa < phi * n - 1e-9, below_b = xb < phi * n - 1e-9;
  if (below_a != below_b)
    return below_a ? da : db;
  if (below_a)
    return da > db ? da : db;
  return da < db ? da : db;
}

/* The estimate x / n is too toxic (the rule of curve.h, on the estimated curve). */
static bool too_toxic_count(int x, int n, double too_toxic) {
  return curve_too_toxic((double)x / n, too_toxic);
}

int benchmark_pick(const int *x, int k, int n, double phi, double too_toxic) {
  int best = 1;
  bool all_toxic = too_toxic_count(x[0], n, too_toxic);
  for (int d = 2; d <= k; d++) {
    if (closer(x[d - 1], d, x[best - 1], best, n, phi) == d)
      best = d;
    all_toxic = all_toxic && too_toxic_count(x[d - 1], n, too_toxic);
  }
  return all_toxic ? 0 : best;
}

/* closer's order on doses (xa, da) and (xb, db) is: rank of the count (distance, then below
 * before above), then the dose (upwards below phi n, downwards otherwise). Two different counts
 * never tie on the rank: on one side of phi n their distances differ by at least 1, and across
 * it below wins. So with key[x] = rank(x) << 5 | (x below phi n ? 31 : 0), key[x] ^ d orders the
 * pairs (x, d) as closer does (31 ^ d = 31 - d: below, the higher dose comes first), and the
 * pick is the dose with the smallest key[x_d] ^ d. */
#define KEY_DOSE_BITS 5
_Static_assert(DESIGN_MAX_DOSES < (1 << KEY_DOSE_BITS), "a dose fits the key's low bits");

void benchmark_keys_init(benchmark_keys *b, int n, double phi, double too_toxic) {
  b->n = n;
  /* too_toxic_count is monotone in x: every estimate is too toxic iff the smallest count is */
  b->stop_at = n + 1;
  for (int x = n; x >= 0 && too_toxic_count(x, n, too_toxic); x--)
    b->stop_at = x;
  for (int x = 0; x <= n; x++) {
    /* the rank of x: how many counts closer() puts strictly ahead of it, whatever their doses
     * (dose 1 for x and dose 2 for the other, then the other way round: ahead both times) */
    uint32_t ahead = 0;
    for (int z = 0; z <= n; z++)
      ahead += z != x && closer(z, 2, x, 1, n, phi) == 2 && closer(z, 1, x, 2, n, phi) == 1;
    bool below = x < phi * n - 1e-9; /* closer's test */
    b->key[x] = ahead << KEY_DOSE_BITS | (below ? (1u << KEY_DOSE_BITS) - 1 : 0);
  }
}

int benchmark_pick_keyed(const benchmark_keys *b, const int *x, int k) {
  uint32_t best = UINT32_MAX;
  int pick = 1, least = DESIGN_MAX_N + 1; /* above any count */
  for (int d = 1; d <= k; d++) {
    uint32_t key = b->key[x[d - 1]] ^ (uint32_t)d;
    pick = key < best ? d : pick;
    best = key < best ? key : best;
    least = x[d - 1] < least ? x[d - 1] : least;
  }
  return least >= b->stop_at ? 0 : pick;
}

dv_status benchmark_exact(const double *p, int k, int n, double phi, double too_toxic, double *sel,
                          dv_error *err) {
  /* doses in order of p (stable), so x along that order is a running count */
  int order[DESIGN_MAX_DOSES];
  for (int i = 0; i < k; i++)
    order[i] = i + 1;
  for (int i = 1; i < k; i++)
    for (int j = i; j > 0 && p[order[j] - 1] < p[order[j - 1] - 1]; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  /* state (x so far, best dose, x of the best dose) -> probability */
  size_t N = (size_t)n + 1, size = N * (size_t)(k + 1) * N;
  double *cur = calloc(size, sizeof *cur), *next = calloc(size, sizeof *next);
  if (cur == NULL || next == NULL) {
    free(cur);
    free(next);
    return error_set(err, DV_ENOMEM, "benchmark: out of memory");
  }
#define AT(x, b, xb) (((size_t)(x) * (size_t)(k + 1) + (size_t)(b)) * N + (size_t)(xb))
  /* the counts grow along the order, so every estimate is too toxic iff the first dose's is:
   * those trials stop at once (sel[0]), the others sweep on */
  memset(sel, 0, (size_t)(k + 1) * sizeof *sel);
  int d0 = order[0];
  for (int x = 0; x <= n; x++) {
    double pr = prob_binom_pmf(n, x, p[d0 - 1]);
    if (too_toxic_count(x, n, too_toxic))
      sel[0] += pr;
    else
      cur[AT(x, d0, x)] = pr;
  }
  for (int i = 1; i < k; i++) {
    int d = order[i];
    double prev = p[order[i - 1] - 1];
    /* of the n - x tolerances above the previous p, each falls below p_d w.p. q */
    double q = prev >= 1.0 ? 0.0 : (p[d - 1] - prev) / (1.0 - prev);
    memset(next, 0, size * sizeof *next);
    for (int x = 0; x <= n; x++)
      for (int b = 1; b <= k; b++)
        for (int xb = 0; xb <= n; xb++) {
          double pr = cur[AT(x, b, xb)];
          if (pr == 0.0)
            continue;
          for (int e = 0; e <= n - x; e++) {
            int xd = x + e, nb = closer(xb, b, xd, d, n, phi);
            next[AT(xd, nb, nb == d ? xd : xb)] += pr * prob_binom_pmf(n - x, e, q);
          }
        }
    double *t = cur;
    cur = next;
    next = t;
  }
  for (int x = 0; x <= n; x++)
    for (int b = 1; b <= k; b++)
      for (int xb = 0; xb <= n; xb++)
        sel[b] += cur[AT(x, b, xb)];
#undef AT
  free(cur);
  free(next);
  return DV_OK;
}
