/* huge_pages.h — a hint that a large array be backed by huge pages. */
#ifndef DOSEVAL_HUGE_PAGES_H
#define DOSEVAL_HUGE_PAGES_H

#include <stddef.h>

/* Asks for transparent huge pages under the 2 MiB-aligned part of [p, p + bytes) (Linux; this
 * machine's kernel gives them on request only): lookups all over hundreds of megabytes otherwise
 * miss the TLB nearly every time, dearly so in a virtual machine, and a page fault comes every
 * 4 KiB instead of every 2 MiB. Nothing depends on it: elsewhere, or if refused, it does nothing.
 */
void huge_pages_advise(void *p, size_t bytes);

#endif
