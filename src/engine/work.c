/* work.c — shards, remaining ranges and blocks (see work.h). */
#include "work.h"

#include <stdlib.h>

void work_ranges_free(work_ranges *w) {
  free(w->r);
  w->r = NULL;
  w->n = w->cap = 0;
}

dv_status work_ranges_add(work_ranges *w, int s, uint64_t lo, uint64_t hi, dv_error *err) {
  if (lo >= hi)
    return DV_OK;
  if (w->n == w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 16;
    work_range *r = realloc(w->r, cap * sizeof *r);
    if (r == NULL)
      return error_set(err, DV_ENOMEM, "work: out of memory");
    w->r = r;
    w->cap = cap;
  }
  w->r[w->n++] = (work_range){s, lo, hi};
  return DV_OK;
}

static int by_start(const void *a, const void *b) {
  const work_range *x = a, *y = b;
  if (x->s != y->s)
    return x->s < y->s ? -1 : 1;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : x->hi > y->hi;
}

long work_ranges_normalise(work_ranges *w) {
  if (w->n == 0)
    return -1;
  qsort(w->r, w->n, sizeof *w->r, by_start);
  for (size_t i = 1; i < w->n; i++)
    if (w->r[i].s == w->r[i - 1].s && w->r[i].lo < w->r[i - 1].hi)
      return (long)i;
  size_t kept = 0;
  for (size_t i = 0; i < w->n; i++) {
    if (kept > 0 && w->r[kept - 1].s == w->r[i].s && w->r[kept - 1].hi == w->r[i].lo)
      w->r[kept - 1].hi = w->r[i].hi;
    else
      w->r[kept++] = w->r[i];
  }
  w->n = kept;
  return -1;
}

uint64_t work_ranges_trials(const work_ranges *w) {
  uint64_t t = 0;
  for (size_t i = 0; i < w->n; i++)
    t += w->r[i].hi - w->r[i].lo;
  return t;
}

void work_shard(uint64_t trials, uint64_t i, uint64_t n, uint64_t *lo, uint64_t *hi) {
  /* floor(trials*i/n) without overflow: trials = q n + r */
  uint64_t q = trials / n, r = trials % n;
  *lo = q * i + r * i / n;
  *hi = q * (i + 1) + r * (i + 1) / n;
}

dv_status work_remaining(uint64_t trials, int s0, int s1, uint64_t shard_i, uint64_t shard_n,
                         const work_ranges *done, work_ranges *left, dv_error *err) {
  uint64_t lo, hi;
  work_shard(trials, shard_i, shard_n, &lo, &hi);
  /* done is sorted by (s, lo): start at its first range of scenario s0 or later */
  size_t k = 0, end = done->n;
  while (k < end) {
    size_t mid = k + (end - k) / 2;
    if (done->r[mid].s < s0)
      k = mid + 1;
    else
      end = mid;
  }
  for (int s = s0; s < s1; s++) {
    uint64_t at = lo;
    for (; k < done->n && done->r[k].s <= s; k++) {
      const work_range *d = &done->r[k];
      if (d->s < s || d->hi <= at || d->lo >= hi)
        continue;
      if (d->lo > at) {
        dv_status st = work_ranges_add(left, s, at, d->lo, err);
        if (st != DV_OK)
          return st;
      }
      at = d->hi > at ? d->hi : at;
    }
    if (at < hi) {
      dv_status st = work_ranges_add(left, s, at, hi, err);
      if (st != DV_OK)
        return st;
    }
  }
  return DV_OK;
}

static uint64_t blocks_in(const work_range *r, uint64_t block) {
  return (r->hi - r->lo + block - 1) / block;
}

dv_status work_plan_init(work_plan *p, const work_ranges *left, uint64_t block, dv_error *err) {
  p->left = left;
  p->block = block;
  p->n_blocks = 0;
  p->first = malloc((left->n + 1) * sizeof *p->first);
  if (p->first == NULL)
    return error_set(err, DV_ENOMEM, "work: out of memory");
  for (size_t i = 0; i < left->n; i++) {
    p->first[i] = p->n_blocks;
    p->n_blocks += blocks_in(&left->r[i], block);
  }
  p->first[left->n] = p->n_blocks;
  return DV_OK;
}

void work_plan_free(work_plan *p) {
  free(p->first);
  p->first = NULL;
}

/* The range holding block b (the last whose first block is <= b; left->n when b is past the
 * end), and b's index within it: a binary search, as the loop asks once per block. */
static size_t locate(const work_plan *p, uint64_t *b) {
  size_t lo = 0, hi = p->left->n; /* first[lo] <= *b < first[hi], or lo == hi == n */
  if (*b >= p->n_blocks) {
    *b -= p->n_blocks;
    return p->left->n;
  }
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->first[mid] <= *b)
      lo = mid;
    else
      hi = mid;
  }
  *b -= p->first[lo];
  return lo;
}

work_range work_plan_block(const work_plan *p, uint64_t b) {
  size_t i = locate(p, &b);
  const work_range *r = &p->left->r[i];
  uint64_t lo = r->lo + b * p->block, hi = lo + p->block;
  return (work_range){r->s, lo, hi < r->hi ? hi : r->hi};
}

dv_status work_plan_done(const work_plan *p, uint64_t b, work_ranges *out, dv_error *err) {
  if (b > p->n_blocks)
    b = p->n_blocks;
  size_t i = locate(p, &b);
  dv_status st = DV_OK;
  for (size_t j = 0; j < i && st == DV_OK; j++)
    st = work_ranges_add(out, p->left->r[j].s, p->left->r[j].lo, p->left->r[j].hi, err);
  if (st == DV_OK && i < p->left->n && b > 0) {
    const work_range *r = &p->left->r[i];
    uint64_t hi = r->lo + b * p->block;
    st = work_ranges_add(out, r->s, r->lo, hi < r->hi ? hi : r->hi, err);
  }
  return st;
}

dv_status work_plan_span(const work_plan *p, uint64_t a, uint64_t b, work_ranges *out,
                         dv_error *err) {
  if (b > p->n_blocks)
    b = p->n_blocks;
  dv_status st = DV_OK;
  while (a < b && st == DV_OK) {
    uint64_t k = a;
    size_t i = locate(p, &k); /* block a is block k of range i */
    const work_range *r = &p->left->r[i];
    uint64_t end = p->first[i + 1] < b ? p->first[i + 1] : b; /* the span's blocks in range i */
    uint64_t lo = r->lo + k * p->block, hi = r->lo + (end - p->first[i]) * p->block;
    st = work_ranges_add(out, r->s, lo, hi < r->hi ? hi : r->hi, err);
    a = end;
  }
  return st;
}

uint64_t work_plan_scenario_start(const work_plan *p, int s) {
  size_t lo = 0, hi = p->left->n; /* the first range of scenario s or later: ranges are in order */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->left->r[mid].s < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return p->first[lo];
}
