/* huge_pages.c — see huge_pages.h. */
#define _GNU_SOURCE /* mremap */
#include "huge_pages.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)
/* Each block starts with its length, one cache line before the array (which stays aligned to a
 * cache line). */
#define HEADER ((size_t)64)

static void *array_of(void *block, size_t len) {
  memcpy(block, &len, sizeof len);
  return (char *)block + HEADER;
}

static void *block_of(void *p, size_t *len) {
  char *block = (char *)p - HEADER;
  memcpy(len, block, sizeof *len);
  return block;
}

#if defined(__linux__) && defined(MREMAP_MAYMOVE) && defined(MADV_HUGEPAGE)

/* A mapping's length for an array of `bytes`: whole huge pages past one (the kernel then places
 * it, and moves it, on a huge page boundary, so every page of it can be huge), else whole small
 * pages; 0 if that overflows. */
static size_t mapping_bytes(size_t bytes) {
  if (bytes > SIZE_MAX - HEADER - HUGE_PAGE)
    return 0;
  size_t total = bytes + HEADER, unit = total > HUGE_PAGE ? HUGE_PAGE : 4096;
  return (total + unit - 1) / unit * unit;
}

void *huge_alloc(size_t bytes) {
  size_t len = mapping_bytes(bytes);
  if (len == 0)
    return NULL;
  void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return NULL;
  (void)madvise(m, len, MADV_HUGEPAGE); /* the whole mapping: it stays one */
  return array_of(m, len);
}

void *huge_grow(void *p, size_t bytes) {
  if (p == NULL)
    return huge_alloc(bytes);
  size_t old, len = mapping_bytes(bytes);
  void *block = block_of(p, &old);
  if (len == 0)
    return NULL;
  if (len <= old)
    return p;
  void *m = mremap(block, old, len, MREMAP_MAYMOVE); /* the new pages are zero */
  return m == MAP_FAILED ? NULL : array_of(m, len);
}

void huge_free(void *p) {
  if (p == NULL)
    return;
  size_t len;
  void *block = block_of(p, &len);
  (void)munmap(block, len);
}

#else

void *huge_alloc(size_t bytes) {
  if (bytes > SIZE_MAX - HEADER)
    return NULL;
  void *block = calloc(1, bytes + HEADER);
  return block != NULL ? array_of(block, bytes) : NULL;
}

void *huge_grow(void *p, size_t bytes) {
  if (p == NULL)
    return huge_alloc(bytes);
  size_t old;
  void *block = block_of(p, &old);
  if (bytes <= old)
    return p;
  if (bytes > SIZE_MAX - HEADER)
    return NULL;
  char *m = realloc(block, bytes + HEADER);
  if (m == NULL)
    return NULL;
  memset(m + HEADER + old, 0, bytes - old);
  return array_of(m, bytes);
}

void huge_free(void *p) {
  if (p != NULL) {
    size_t len;
    free(block_of(p, &len));
  }
}

#endif
