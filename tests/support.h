/* support.h — helpers shared by the Criterion tests: replaying hand-worked trials through a
 * design in the notation of the R package escalation ("1NNN 2NTN": dose, then N/T per patient). */
#ifndef DOSEVAL_TEST_SUPPORT_H
#define DOSEVAL_TEST_SUPPORT_H

#include "design.h"
#include "policy.h"

/* Replays `outcomes` from the empty state through `type`->decide. Before each cohort, the dose
 * the design asked for is compared with the cohort's dose; the first disagreement is reported
 * in `why` and 0 is returned. On success returns 1, leaves the final state in *s and the action
 * the design takes after the last cohort in *next. */
int support_replay(const design_type *type, const void *params, const char *outcomes,
                   design_state *s, design_action *next, char *why, size_t why_len);

/* The same through a wrapped policy (design + rules + max_n), as the engine decides. */
int support_replay_policy(const policy *pol, const char *outcomes, design_state *s,
                          design_action *next, char *why, size_t why_len);

/* support_configure that fails the test on an error; buf holds len bytes. Returns buf. */
const void *support_configure_ok(const design_type *type, design_setup setup, const char *options,
                                 void *buf, size_t len);

/* Replays `outcomes` through type->decide (support_replay, failing the test where the design
 * disagrees) and expects the action after the last cohort: stop (0 or 1) and dose. */
void support_expect_replay(const design_type *type, const void *params, const char *outcomes,
                           int stop, int dose, design_state *s);

/* A count-based design's decision at n patients with y DLTs, read off its table_row: E(scalate),
 * S(tay), D(e-escalate) or U (de-escalate, the dose eliminated: "DU"). */
char support_decision(const design_type *type, const void *params, int n, int y);

/* Applies one cohort (dose d, y DLTs out of c) to a state, as the engine does. */
void support_apply(const design_type *type, design_state *s, int d, int c, int y);

/* Configures `type` for `setup` from "key=value key=value" (a list as a,b,c; a nested key as
 * skeleton.halfwidth=0.05) through its option table, defaults and range checks, as the config
 * loader does; params must hold type->params_size bytes. Messages start with the key. */
dv_status support_configure(const design_type *type, const design_setup *setup, const char *options,
                            void *params, dv_error *err);

#endif
