/* fit_cache.h — a design's fits (design_type.fit) of the count states it has been asked about,
 * kept by their counts, for the event loop of designs that read pending patients
 * (pending_trial.c), which has no graph to keep them in.
 *
 * Direct-mapped: a state's slot is a hash of its counts (n and y of doses 1..K); a miss computes
 * the fit and overwrites the slot. A fit is a pure function of the counts, so what the cache holds
 * never changes an answer, only its cost: the same bits on any number of ranks, shards or resumes.
 * One owner: whoever creates it frees it. */
#ifndef DOSEVAL_FIT_CACHE_H
#define DOSEVAL_FIT_CACHE_H

#include "design.h"
#include "error.h"

typedef struct fit_cache fit_cache;

/* A cache of 2^log2_slots fits of design `type` with `params` over k doses (type->fit must be
 * set). DV_ENOMEM if it cannot be allocated. */
dv_status fit_cache_new(fit_cache **out, const design_type *type, const void *params, int k,
                        unsigned log2_slots, dv_error *err) DV_MUST_CHECK;
void fit_cache_free(fit_cache *c);

/* The fit of s's counts (n and y of doses 1..k; the rest of s is not read), as type->fit gives
 * it. Valid until the next call on c. */
const void *fit_cache_get(fit_cache *c, const design_state *s);

/* Whether to try a bracket (design_type.pending_bracket) at this decision: a settled decision
 * saves the design's own fit, each end missing from the cache costs one, so it is tried while it
 * has saved more than it cost over the recent tries (and always in the first ones, and one ask in
 * sixteen after, so that a change is seen). Only the cost depends on it, never an answer. */
bool fit_cache_bracket_pays(fit_cache *c);
/* A bracket tried: whether it settled the decision (the misses are the cache's own count). */
void fit_cache_bracket_tried(fit_cache *c, bool settled);

/* Lookups answered from the cache and lookups in all (for tests and the bench). */
void fit_cache_stats(const fit_cache *c, uint64_t *hits, uint64_t *lookups);

#endif
