/* names.h — a set of names (scenario and design names) to find a repeat in one pass: an open
 * hash table, so checking n names costs about n lookups, not the n^2 / 2 comparisons of
 * comparing each with those before it (which made loading 100,000 named scenarios take 19 s). */
#ifndef DOSEVAL_NAMES_H
#define DOSEVAL_NAMES_H

#include <stddef.h>

#include "error.h"

typedef struct names names;

/* A set with room for at most `max` names (the strings are not copied: they must outlive it). */
dv_status names_alloc(names **out, size_t max, dv_error *err) DV_MUST_CHECK;
void names_free(names *s);

/* Adds name as the `index`-th; returns the index of an equal name added before (which stays),
 * or -1 when it is new. At most `max` adds. */
long names_add(names *s, const char *name, long index);

/* Slots probed by every names_add so far (a test's measure that adding n names costs O(n)). */
size_t names_probes(const names *s);

#endif
