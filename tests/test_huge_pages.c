/* test_huge_pages.c — the large arrays of src/base/huge_pages.c: zero when made and grown, kept
 * when moved, and (on Linux) grown without making resident the pages nobody wrote. */
#define _DEFAULT_SOURCE /* mincore */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "huge_pages.h"

Test(huge_pages, zero_when_made_and_grown_and_kept_when_moved) {
  size_t n = 1000;
  uint32_t *a = huge_alloc(n * sizeof *a);
  cr_assert_not_null(a);
  for (size_t i = 0; i < n; i++) {
    cr_assert_eq(a[i], 0u, "new array, word %zu", i);
    a[i] = (uint32_t)(i * 2654435761u);
  }
  /* from a few pages to past several huge pages, so that the kernel has to move it */
  for (int round = 0; round < 12; round++) {
    size_t m = 2 * n;
    uint32_t *b = huge_grow(a, m * sizeof *b);
    cr_assert_not_null(b, "growing to %zu words", m);
    for (size_t i = 0; i < n; i++)
      cr_assert_eq(b[i], (uint32_t)(i * 2654435761u), "round %d, kept word %zu", round, i);
    for (size_t i = n; i < m; i++) {
      cr_assert_eq(b[i], 0u, "round %d, new word %zu", round, i);
      b[i] = (uint32_t)(i * 2654435761u);
    }
    a = b;
    n = m;
  }
  cr_expect_eq(huge_grow(a, 16), a, "never shrinks, never moves to shrink");
  huge_free(a);
  huge_free(NULL);
  uint8_t *fresh = huge_grow(NULL, 100); /* NULL: a new array */
  cr_assert_not_null(fresh);
  for (int i = 0; i < 100; i++)
    cr_assert_eq(fresh[i], 0);
  huge_free(fresh);
}

#if defined(__linux__)
/* Resident pages among the whole pages of [p, p + bytes). */
static size_t resident_pages(const void *p, size_t bytes) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  uintptr_t from = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(uintptr_t)(page - 1);
  if (to <= from)
    return 0;
  size_t pages = (to - from) / page, resident = 0;
  unsigned char *v = malloc(pages);
  cr_assert_not_null(v);
  cr_assert_eq(mincore((void *)from, to - from, v), 0);
  for (size_t i = 0; i < pages; i++)
    resident += v[i] & 1;
  free(v);
  return resident;
}

/* The graph's arrays double while only their beginning has been written (and a stop's children
 * are never written): growing must not touch the rest, as realloc did when it had to copy
 * (bench/RESULTS.md, "Exact's memory"). Written: the first 64 KiB; with huge pages that makes
 * at most the first 2 MiB resident. */
Test(huge_pages, growing_leaves_unwritten_pages_alone) {
  size_t mb = (size_t)1 << 20;
  uint8_t *a = huge_alloc(16 * mb);
  cr_assert_not_null(a);
  memset(a, 7, 64 * 1024);
  for (size_t bytes = 32 * mb; bytes <= 256 * mb; bytes *= 2) {
    uint8_t *b = huge_grow(a, bytes);
    cr_assert_not_null(b);
    a = b;
    cr_assert_eq(a[64 * 1024 - 1], 7);
    cr_expect_eq(resident_pages(a + 4 * mb, bytes - 4 * mb), 0,
                 "%zu MiB: pages past the first 4 MiB are resident", bytes / mb);
  }
  huge_free(a);
}
#endif
