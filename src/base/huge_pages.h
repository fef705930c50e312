/* huge_pages.h — large arrays that grow: mapped from the kernel, backed by huge pages, grown
 * without copying. */
#ifndef DOSEVAL_HUGE_PAGES_H
#define DOSEVAL_HUGE_PAGES_H

#include <stddef.h>

/* An array of `bytes` zero bytes, or NULL if memory runs out; free it with huge_free only.
 *
 * Why not malloc: the decision graph's arrays reach hundreds of megabytes and are read all over
 * (hash probes, the sweep's scattered additions), so they ask for transparent huge pages (this
 * machine's kernel gives them on request only): otherwise nearly every lookup misses the TLB,
 * dearly so in a virtual machine, and a page fault comes every 4 KiB instead of every 2 MiB. A
 * request for part of a malloc'd block splits its mapping in two, and the kernel then refuses to
 * move it (mremap spans one mapping only), so realloc copied the whole array at every doubling:
 * every page of the old array, touched or not, became resident, and old and new were both held
 * for a moment (exact BOIN 8 / 60 peaked at 1.18 GB; bench/RESULTS.md, "Exact's memory"). Here
 * each array is one mapping, asked for huge pages whole, and huge_grow moves it (page tables,
 * not bytes); pages never written are never resident. Elsewhere than Linux: malloc and realloc. */
void *huge_alloc(size_t bytes);
/* Array p (from huge_alloc or huge_grow, or NULL for a new one) made at least `bytes` long; the
 * first bytes are kept, the rest are zero. Returns the array, which may have moved, or NULL if
 * memory runs out (p is then unchanged and still valid). Never shrinks. */
void *huge_grow(void *p, size_t bytes);
void huge_free(void *p);

#endif
