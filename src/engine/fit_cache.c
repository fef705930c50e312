/* fit_cache.c — a direct-mapped table of a design's fits by counts (fit_cache.h). */
#include "fit_cache.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* A slot: the counts it holds (n[0..k), y[0..k), then a byte 1 once filled), then the fit. */
struct fit_cache {
  const design_type *type;
  const void *params;
  int k;
  size_t key_bytes, slot_bytes; /* key: 2k + 1 bytes, rounded up so the fit is aligned */
  uint64_t mask;
  uint64_t hits, lookups;
  /* brackets: asks, tries, and over the recent tries the decisions settled and the fits computed
   * for them (the misses since `seen`, the misses when the try was asked for) */
  uint64_t asks, tries, settled, computed, seen;
  unsigned char *slots;
};

#define FIT_CACHE_WARM 256       /* tries always made first */
#define FIT_CACHE_PROBE 16       /* then one ask in this many tries whatever the record */
#define FIT_CACHE_HALF_LIFE 4096 /* the record is halved every this many tries */

dv_status fit_cache_new(fit_cache **out, const design_type *type, const void *params, int k,
                        unsigned log2_slots, dv_error *err) {
  *out = NULL;
  if (type->fit == NULL || k < 1 || k > DESIGN_MAX_DOSES || log2_slots > 24)
    return error_set(err, DV_ERUN, "fit cache: a design without fits, or a bad size");
  fit_cache *c = calloc(1, sizeof *c);
  if (c == NULL)
    return error_set(err, DV_ENOMEM, "fit cache: out of memory");
  const size_t align = _Alignof(max_align_t);
  c->type = type;
  c->params = params;
  c->k = k;
  c->key_bytes = (2 * (size_t)k + 1 + align - 1) / align * align;
  c->slot_bytes = c->key_bytes + (type->fit_size + align - 1) / align * align;
  c->mask = ((uint64_t)1 << log2_slots) - 1;
  c->slots = calloc((size_t)c->mask + 1, c->slot_bytes); /* every "filled" byte 0 */
  if (c->slots == NULL) {
    free(c);
    return error_set(err, DV_ENOMEM, "fit cache: out of memory");
  }
  *out = c;
  return DV_OK;
}

void fit_cache_free(fit_cache *c) {
  if (c == NULL)
    return;
  free(c->slots);
  free(c);
}

const void *fit_cache_get(fit_cache *c, const design_state *s) {
  unsigned char key[2 * DESIGN_MAX_DOSES + 1];
  const size_t k = (size_t)c->k;
  memcpy(key, s->n, k);
  memcpy(key + k, s->y, k);
  key[2 * k] = 1;
  unsigned char *slot = c->slots + (hash_fnv1a64(key, 2 * k) & c->mask) * c->slot_bytes;
  c->lookups++;
  if (memcmp(slot, key, 2 * k + 1) == 0) {
    c->hits++;
    return slot + c->key_bytes;
  }
  design_state counts;
  memset(&counts, 0, sizeof counts);
  memcpy(counts.n, s->n, k);
  memcpy(counts.y, s->y, k);
  c->type->fit(c->params, &counts, slot + c->key_bytes);
  memcpy(slot, key, 2 * k + 1);
  return slot + c->key_bytes;
}

bool fit_cache_bracket_pays(fit_cache *c) {
  c->asks++;
  c->seen = c->lookups - c->hits; /* the misses before this try */
  return c->tries < FIT_CACHE_WARM || c->asks % FIT_CACHE_PROBE == 0 || c->computed <= c->settled;
}

void fit_cache_bracket_tried(fit_cache *c, bool settled) {
  c->computed += c->lookups - c->hits - c->seen;
  c->settled += settled;
  if (++c->tries % FIT_CACHE_HALF_LIFE == 0) {
    c->computed /= 2;
    c->settled /= 2;
  }
}

void fit_cache_stats(const fit_cache *c, uint64_t *hits, uint64_t *lookups) {
  *hits = c->hits;
  *lookups = c->lookups;
}
