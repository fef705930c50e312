/* rules.h — the rules a config may put on any design (SPEC section 6, "Rules"; the grammar of
 * the R package escalation), as data: each rule's name, its options table (the same
 * design_option machinery as a design's, writing into a design_rule) and the checks that
 * relate its values. src/study/config.c reads `rules:` through this table without naming a rule;
 * src/engine/policy.c applies them. */
#ifndef DOSEVAL_RULES_H
#define DOSEVAL_RULES_H

#include <stddef.h>

#include "design.h"
#include "error.h"

typedef struct {
  const char *name; /* the key in `rules:` and the stop_reason label */
  design_rule_kind kind;
  const design_option *options; /* into a design_rule; the last has key NULL */
  const char *scalar_key;       /* `{stop_at_n: 12}` means `{stop_at_n: {n: 12}}`; NULL: none */
  bool stops;                   /* it can end the trial (a stop_reason of its own) */
  const char *help;             /* one line */
} rule_type;

extern const rule_type rule_types[]; /* the last has name NULL */

/* The rule type with that name, or NULL. */
const rule_type *rule_lookup(const char *name);
/* "no_skip, stop_at_n, ..." for messages. */
void rule_type_names(char *buf, size_t len);
/* Checks what relates the rule's values after its options are read; messages start with the
 * key ("dose: ..."). */
dv_status rule_finish(const rule_type *t, design_rule *r, const design_setup *setup,
                      dv_error *err) DV_MUST_CHECK;

#endif
