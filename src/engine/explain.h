/* explain.h — the reasoning behind a wrapped decision, for the trial log (`doseval next`): the
 * design's own words (its `explain`, or for a count-based design the counts at the current dose
 * against its decision table), then every rule that changed the proposal. */
#ifndef DOSEVAL_EXPLAIN_H
#define DOSEVAL_EXPLAIN_H

#include <stddef.h>

#include "policy.h"

/* Writes the reasoning for state s, whose traced decision is t, into buf. */
void explain_decision(const policy *p, const design_state *s, const policy_trace *t, char *buf,
                      size_t len);

/* "treat at dose 2", "stop with MTD 2", "stop with no MTD". */
void explain_action(design_action a, const char *selects, char *buf, size_t len);

#endif
