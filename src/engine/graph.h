/* graph.h — the memoised decision graph of one design: state -> the design's action and, per
 * number of DLTs in the next cohort, the child state. Monte Carlo walks it (src/engine/trial.c) and
 * the exact engine sweeps it (src/engine/exact.c): one copy of each design serves both.
 *
 * Nodes are built lazily and never exceed `max_nodes`. The node arrays and the hash table start
 * small and double while the graph grows (at most log2(max_nodes) times, never once it has
 * stopped growing; pages are resident only once written: huge_pages.h). The
 * design's fits are kept per counts, those of fewer patients than the newest dropped once there
 * are many (the exact engine builds in order of patients and never asks for them again); once
 * every node's children are known, the hash table and the fits are freed. Past the bound, or if
 * the table cannot grow, a walk calls the design directly: the same answers, only slower. */
#ifndef DOSEVAL_GRAPH_H
#define DOSEVAL_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "design.h"
#include "error.h"
#include "policy.h"

typedef struct graph graph;

/* A walk through one trial: the state so far and the design's next action. `node` is the
 * state's node id, or -1 when the state is not cached (the graph is full). */
typedef struct {
  int32_t node;
  design_state state;
  design_action action;
} graph_cursor;

/* Builds an empty graph for one wrapped design (design, rules, max_n). The policy (and the
 * design's params it points to) must outlive the graph. */
dv_status graph_alloc(graph **out, const policy *pol, size_t max_nodes,
                      dv_error *err) DV_MUST_CHECK;
/* The same with its root (node 0, where walks start) at `root`: a live trial's state, for
 * `next` and `paths`. */
dv_status graph_alloc_at(graph **out, const policy *pol, const design_state *root, size_t max_nodes,
                         dv_error *err) DV_MUST_CHECK;
void graph_free(graph *g);

/* Bytes one node costs for this wrapped design (for documenting and choosing max_nodes). */
size_t graph_node_bytes(const policy *pol);
/* A cohort's outcomes, the children of a node that treats: c + 1 DLT counts y, or (c + 1)^2
 * outcomes o = y + (c + 1) r with r responses for a design that reads responses (SPEC 13). Every
 * `y` below is such an outcome; for the other designs it is the DLT count, as it always was. */
int graph_outcomes(const graph *g);

/* The wrapped decision for a state (policy_decide; not memoised). */
design_action graph_decide(const graph *g, const design_state *s);

/* Monte Carlo walk: start at the root (the empty state unless graph_alloc_at said otherwise);
 * then apply the next cohort's DLT count y. */
void graph_start(graph *g, graph_cursor *c);
void graph_step(graph *g, graph_cursor *c, int y);

/* Exact sweep: the root is node 0, created by the first call ... */
dv_status graph_root(graph *g, int32_t *root, dv_error *err) DV_MUST_CHECK;
/* ... and the child of node `id` after y DLTs, created if new; DV_ETOOBIG past the bound. */
dv_status graph_child(graph *g, int32_t id, int y, int32_t *child, dv_error *err) DV_MUST_CHECK;
/* Builds every node reachable from the root of an empty graph, numbered in order of patients
 * treated (every parent before its children); the errors of graph_child. */
dv_status graph_build(graph *g, dv_error *err) DV_MUST_CHECK;
/* Node id's children by outcome (y = 0..c, or graph_outcomes of them), once graph_build has made
 * them all (a sweep's fast road); valid until the graph grows. Only for a node that treats: a stop
 * has none. */
const int32_t *graph_children(const graph *g, int32_t id);
/* Whether every child of every node is known (as graph_build leaves it). */
bool graph_whole(const graph *g);
size_t graph_size(const graph *g);
design_action graph_action(const graph *g, int32_t id);
void graph_state(const graph *g, int32_t id, design_state *s);
const design_setup *graph_setup(const graph *g);

#endif
