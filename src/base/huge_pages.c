/* huge_pages.c — see huge_pages.h. */
#define _DEFAULT_SOURCE /* madvise */
#include "huge_pages.h"

#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)

void huge_pages_advise(void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(HUGE_PAGE - 1);
  if (p != NULL && to > from)
    (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}
