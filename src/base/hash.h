/* hash.h — FNV-1a 64 (Fowler, Noll & Vo): the one hash of config bytes, counter layouts and
 * counter-file checksums. Not cryptographic: it detects accidents (truncation, corruption, a
 * hand edit, a file of another run), which is what those need. */
#ifndef DOSEVAL_HASH_H
#define DOSEVAL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash h of some bytes carried on over len more (so a stream is hashed piece by piece). */
static inline uint64_t hash_fnv1a64_update(uint64_t h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 0x100000001b3u; /* the 64-bit FNV prime */
  return h;
}

static inline uint64_t hash_fnv1a64(const void *data, size_t len) {
  return hash_fnv1a64_update(0xcbf29ce484222325u, data, len); /* offset basis: FNV-1a 64 of "" */
}

#endif
