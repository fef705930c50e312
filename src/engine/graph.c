/* graph.c — the memoised decision graph (see graph.h): packed states in one arena, an
 * open-addressing hash from state to node id, children filled on first visit. Once every child
 * of every node is known the hash and the fits are not needed any more, and are freed. */
#include "graph.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "huge_pages.h"

/* The hash table's first size; it doubles up to twice the node bound. The node arrays start at
 * GRAPH_FIRST_NODES and double too, so memory (virtual included) follows the graph's size. Every
 * array here that can be large is a huge_pages.h array: zero when made or grown, moved rather
 * than copied when it grows, resident only where written. */
#define GRAPH_FIRST_SLOTS ((size_t)1 << 12)
#define GRAPH_FIRST_NODES ((size_t)1 << 11)
/* The fits' table grows past this many only if one level of the graph needs more (grow_fits). */
#define GRAPH_FIT_KEEP ((size_t)1 << 18)

/* How many nodes ahead graph_build fetches the hash slots of children. */
#define GRAPH_AHEAD 8

/* A hint that memory is about to be read (no effect on results). */
#if defined(__GNUC__)
#define GRAPH_PREFETCH(p) __builtin_prefetch(p)
#else
#define GRAPH_PREFETCH(p) ((void)(p))
#endif

struct graph {
  const policy *pol;
  design_setup setup;
  design_state root;   /* node 0: the empty state, or a live trial's state (graph_alloc_at) */
  int k, c;            /* doses, cohort size */
  bool responses;      /* the design reads responses: states keep e[K] (designs/state.h) */
  int per;             /* a cohort's outcomes: c + 1 DLT counts, times c + 1 response counts
                          when `responses` (outcome o: y = o % (c + 1), r = o / (c + 1)) */
  size_t state_bytes;  /* packed state (designs/state.h) */
  size_t counts_bytes; /* its counts alone, a fit's key */
  size_t cap, size;    /* the node bound / nodes built */
  size_t reserved;     /* nodes the arrays hold now (<= cap) */
  bool no_memory;      /* an array could not grow: the graph is full below its bound */
  uint8_t *states;     /* reserved * state_bytes */
  design_action *actions;
  /* reserved * per; 0 = not yet known (the root, id 0, is never a child). A stop's entries
   * are never written nor read, so pages of nothing but stops (the last level of a graph built
   * whole, half its nodes) are never resident. */
  int32_t *children;
  /* Hash table of node id + 1 in the low id_bits of a slot and high bits of the state's hash
   * above them (most probes of another state then end without reading it); 0 = empty; at most
   * three quarters full. NULL once the graph is complete (`open` = 0); rebuilt if asked for again.
   */
  uint32_t *slots;
  size_t slot_mask, slot_max; /* size - 1; the size it may grow to (2 cap, a power of two) */
  /* The first node the table holds: 0, except while graph_build makes one level of the graph
   * after another, when it holds only the level being made (see graph_build). */
  size_t level_from;
  int id_bits;
  size_t open; /* children not yet known of nodes that treat another cohort */
  /* The design's fits (design_type.fit), one per distinct counts n[K], y[K]: keys, values and
   * a hash table of index + 1, grown by doubling like the nodes. Empty if the design has none.
   * fit_level is the most patients of any counts fitted so far (see grow_fits). */
  size_t fit_bytes, n_fits, fit_cap, fit_mask;
  int fit_level;
  uint8_t *fit_keys;
  unsigned char *fit_vals;
  uint32_t *fit_slots;
};

/* A cohort's outcomes for this design: c + 1 DLT counts, and as many response counts for each
 * when it reads responses. */
static int outcomes_per_cohort(const policy *pol) {
  int c1 = pol->setup.cohort_size + 1;
  return pol->type->reads_responses ? c1 * c1 : c1;
}

size_t graph_node_bytes(const policy *pol) {
  /* packed state + action + children + two hash slots */
  return state_bytes_r(pol->setup.n_doses, pol->type->reads_responses) + sizeof(design_action) +
         (size_t)outcomes_per_cohort(pol) * sizeof(int32_t) + 2 * sizeof(uint32_t);
}

int graph_outcomes(const graph *g) { return g->per; }

dv_status graph_alloc(graph **out, const policy *pol, size_t max_nodes, dv_error *err) {
  static const design_state empty;
  return graph_alloc_at(out, pol, &empty, max_nodes, err);
}

dv_status graph_alloc_at(graph **out, const policy *pol, const design_state *root, size_t max_nodes,
                         dv_error *err) {
  const design_setup *setup = &pol->setup;
  *out = NULL;
  if (max_nodes < 1 || max_nodes > INT32_MAX / 2)
    return error_set(err, DV_ERUN, "graph: bound of %zu nodes is out of range", max_nodes);
  graph *g = calloc(1, sizeof *g);
  if (g == NULL)
    return error_set(err, DV_ENOMEM, "graph: out of memory");
  g->pol = pol;
  g->setup = *setup;
  g->root = *root;
  g->fit_bytes = pol->type->fit != NULL ? pol->type->fit_size : 0;
  g->k = setup->n_doses;
  g->c = setup->cohort_size;
  g->responses = pol->type->reads_responses;
  g->per = outcomes_per_cohort(pol);
  g->state_bytes = state_bytes_r(g->k, g->responses);
  g->counts_bytes = state_counts_bytes_r(g->k, g->responses);
  g->cap = max_nodes;
  /* the table starts small and doubles as nodes arrive, so memory follows the graph's size */
  g->slot_max = 1;
  while (g->slot_max < 2 * max_nodes)
    g->slot_max <<= 1;
  size_t nslots = g->slot_max < GRAPH_FIRST_SLOTS ? g->slot_max : GRAPH_FIRST_SLOTS;
  g->slot_mask = nslots - 1;
  while (g->id_bits < 32 && ((size_t)1 << g->id_bits) <= max_nodes)
    g->id_bits++;
  g->reserved = max_nodes < GRAPH_FIRST_NODES ? max_nodes : GRAPH_FIRST_NODES;
  g->states = huge_alloc(g->reserved * g->state_bytes);
  g->actions = huge_alloc(g->reserved * sizeof *g->actions);
  g->children = huge_alloc(g->reserved * (size_t)g->per * sizeof *g->children);
  g->slots = huge_alloc(nslots * sizeof *g->slots);
  if (!g->states || !g->actions || !g->children || !g->slots) {
    graph_free(g);
    return error_set(err, DV_ENOMEM, "graph: out of memory reserving %zu nodes", g->reserved);
  }
  *out = g;
  return DV_OK;
}

void graph_free(graph *g) {
  if (g == NULL)
    return;
  huge_free(g->fit_keys);
  huge_free(g->fit_vals);
  huge_free(g->fit_slots);
  huge_free(g->states);
  huge_free(g->actions);
  huge_free(g->children);
  huge_free(g->slots);
  free(g);
}

design_action graph_decide(const graph *g, const design_state *s) {
  return policy_decide(g->pol, s);
}

/* Packed states and counts are 2K + 3 and 2K bytes long, K known only at run time, and they are
 * copied, compared and hashed tens of millions of times in a large graph: a memcpy or memcmp of
 * a variable length is a library call each time (a tenth of building the largest graph of
 * bench/exact.sh), so these move whole words: eight bytes at a time and one last word that overlaps
 * the one before, or two of four bytes (or single bytes) for short keys. */
static inline uint64_t load8(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}

static inline uint32_t load4(const uint8_t *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

/* The i-th word of a key of len bytes, for i < key_words(len); the last may overlap. */
static inline size_t key_words(size_t len) { return len >= 8 ? (len + 7) / 8 : 1; }
static inline uint64_t key_word(const uint8_t *p, size_t len, size_t i) {
  if (len >= 8)
    return load8(p + (8 * i + 8 <= len ? 8 * i : len - 8));
  if (len >= 4)
    return load4(p) | (uint64_t)load4(p + len - 4) << 32;
  uint64_t w = 0;
  for (size_t b = 0; b < len; b++)
    w |= (uint64_t)p[b] << (8 * b);
  return w;
}

static inline void copy_key(uint8_t *dst, const uint8_t *src, size_t len) {
  if (len >= 8) {
    size_t last = len - 8;
    for (size_t i = 0; i < last; i += 8)
      memcpy(dst + i, src + i, 8);
    memcpy(dst + last, src + last, 8);
  } else if (len >= 4) {
    uint32_t a = load4(src), b = load4(src + len - 4);
    memcpy(dst, &a, 4);
    memcpy(dst + len - 4, &b, 4);
  } else {
    for (size_t b = 0; b < len; b++)
      dst[b] = src[b];
  }
}

static inline bool same_key(const uint8_t *a, const uint8_t *b, size_t len) {
  uint64_t diff = 0;
  for (size_t i = 0; i < key_words(len); i++)
    diff |= key_word(a, len, i) ^ key_word(b, len, i);
  return diff == 0;
}

/* A hash of a packed state or counts, a word at a time (splitmix64's multipliers and
 * finaliser, Steele, Lea & Flood 2014): the index uses its low bits, the slot's tag its high. */
static uint64_t hash_bytes(const uint8_t *p, size_t len) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
  for (size_t i = 0; i < key_words(len); i++) {
    h = (h ^ key_word(p, len, i)) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
  }
  h ^= h >> 30;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

/* K, with its bound spelled out for the compiler (which otherwise sees copies into n[] and y[]
 * that might overflow them). */
static inline size_t doses(const graph *g) {
  return (unsigned)g->k <= DESIGN_MAX_DOSES ? (size_t)g->k : DESIGN_MAX_DOSES;
}

static void pack(const graph *g, const design_state *s, uint8_t *out) {
  size_t k = doses(g);
  copy_key(out, s->n, k);
  copy_key(out + k, s->y, k);
  if (g->responses)
    copy_key(out + 2 * k, s->e, k);
  state_pack_tail(s, out, g->k, g->responses);
}

static void unpack(const graph *g, const uint8_t *in, design_state *s) {
  memset(s, 0, sizeof *s);
  size_t k = doses(g);
  copy_key(s->n, in, k);
  copy_key(s->y, in + k, k);
  if (g->responses)
    copy_key(s->e, in + 2 * k, k);
  state_unpack_tail(in, g->k, g->responses, s);
}

/* The high bits of a slot: hash bits above the id's. */
static uint32_t slot_tag(const graph *g, uint64_t h) {
  return g->id_bits >= 32 ? 0 : (uint32_t)((h >> 32) << g->id_bits);
}

static uint32_t slot_id(const graph *g, uint32_t v) {
  return g->id_bits >= 32 ? v : v & (((uint32_t)1 << g->id_bits) - 1);
}

/* A hash table of n slots (a power of two) holding every node; on failure keeps the old one
 * (the graph then fills up sooner). */
static bool rehash_slots(graph *g, size_t n) {
  uint32_t *slots = huge_alloc(n * sizeof *slots);
  if (slots == NULL)
    return false;
  /* in batches whose slots are fetched ahead: the inserts land all over a table of up to 2^26
   * slots, and waiting for each in turn was a tenth of building a large graph */
  enum { BATCH = 16 };
  uint64_t h[BATCH];
  for (size_t at = g->level_from; at < g->size; at += BATCH) {
    size_t count = g->size - at < BATCH ? g->size - at : BATCH;
    for (size_t b = 0; b < count; b++) {
      h[b] = hash_bytes(g->states + (at + b) * g->state_bytes, g->state_bytes);
      GRAPH_PREFETCH(&slots[h[b] & (n - 1)]);
    }
    for (size_t b = 0; b < count; b++) {
      size_t i = h[b] & (n - 1);
      while (slots[i] != 0)
        i = (i + 1) & (n - 1);
      slots[i] = slot_tag(g, h[b]) | ((uint32_t)(at + b) + 1);
    }
  }
  huge_free(g->slots);
  g->slots = slots;
  g->slot_mask = n - 1;
  return true;
}

/* Doubles the hash table. */
static bool grow_slots(graph *g) {
  size_t n = 2 * (g->slot_mask + 1);
  return n <= g->slot_max && rehash_slots(g, n);
}

/* When every child is known no state is ever looked up again: the hash table and the fits go
 * (an eighth of the peak memory of exact at 8 doses / 60 patients, bench/exact.sh). */
static void child_known(graph *g) {
  if (--g->open > 0)
    return;
  huge_free(g->slots);
  g->slots = NULL;
  huge_free(g->fit_keys);
  huge_free(g->fit_vals);
  huge_free(g->fit_slots);
  g->fit_keys = NULL;
  g->fit_vals = NULL;
  g->fit_slots = NULL;
  g->n_fits = g->fit_cap = g->fit_mask = 0;
}

/* Doubles the node arrays (up to the bound); new children start unknown (0). */
static bool grow_nodes(graph *g) {
  size_t n = 2 * g->reserved < g->cap ? 2 * g->reserved : g->cap, per = (size_t)g->per;
  uint8_t *states = huge_grow(g->states, n * g->state_bytes);
  if (states != NULL)
    g->states = states;
  design_action *actions = states ? huge_grow(g->actions, n * sizeof *actions) : NULL;
  if (actions != NULL)
    g->actions = actions;
  int32_t *children = actions ? huge_grow(g->children, n * per * sizeof *children) : NULL;
  if (children == NULL) {
    g->no_memory = true;
    return false;
  }
  g->children = children;
  g->reserved = n;
  return true;
}

static int fit_patients(const graph *g, const uint8_t *key) {
  int n = 0;
  for (int d = 0; d < g->k; d++)
    n += key[d];
  return n;
}

/* Hashes the fits' keys into a fresh table of 2 cap slots; false if memory runs out. */
static bool rehash_fits(graph *g, size_t cap) {
  size_t key = g->counts_bytes;
  uint32_t *slots = huge_alloc(2 * cap * sizeof *slots);
  if (slots == NULL)
    return false;
  for (size_t i = 0; i < g->n_fits; i++) {
    size_t at = hash_bytes(g->fit_keys + i * key, key) & (2 * cap - 1);
    while (slots[at] != 0)
      at = (at + 1) & (2 * cap - 1);
    slots[at] = (uint32_t)i + 1;
  }
  huge_free(g->fit_slots);
  g->fit_slots = slots;
  g->fit_mask = 2 * cap - 1;
  return true;
}

/* Keeps only the fits of counts with fit_level patients. A fit is only asked for when a node is
 * made, and the exact engine makes nodes in order of patients treated, so once it fits counts
 * of n patients it never asks again for counts of fewer: the fits it keeps are one level's, not
 * the whole graph's (in the largest of bench/exact.sh's studies, 8 doses / 60 patients, 15.9
 * million states share 7.2 million fits, 3.0 million of them at the largest level). A Monte Carlo
 * walk may ask again for a dropped fit; it is then computed again, the same. */
static void drop_fits_below_level(graph *g) {
  size_t key = g->counts_bytes, kept = 0;
  for (size_t i = 0; i < g->n_fits; i++) {
    if (fit_patients(g, g->fit_keys + i * key) < g->fit_level)
      continue;
    if (kept != i) {
      memmove(g->fit_keys + kept * key, g->fit_keys + i * key, key);
      memmove(g->fit_vals + kept * g->fit_bytes, g->fit_vals + i * g->fit_bytes, g->fit_bytes);
    }
    kept++;
  }
  g->n_fits = kept;
}

/* Makes room for one more fit: past GRAPH_FIT_KEEP fits, first by dropping those below the
 * current level (the table is rebuilt at the same size if that freed half of it); otherwise by
 * doubling the table and arrays. False if memory runs out (the caller then decides without a
 * fit: the same answer, computed again). */
static bool grow_fits(graph *g) {
  if (g->fit_cap >= GRAPH_FIT_KEEP) {
    drop_fits_below_level(g);
    if (2 * g->n_fits <= g->fit_cap)
      return rehash_fits(g, g->fit_cap);
  }
  size_t key = g->counts_bytes, cap = g->fit_cap ? 2 * g->fit_cap : 1024;
  uint8_t *keys = huge_grow(g->fit_keys, cap * key);
  if (keys == NULL)
    return false;
  g->fit_keys = keys;
  unsigned char *vals = huge_grow(g->fit_vals, cap * g->fit_bytes);
  if (vals == NULL)
    return false;
  g->fit_vals = vals;
  if (!rehash_fits(g, cap))
    return false;
  g->fit_cap = cap;
  return true;
}

/* The fit of s's counts, computed on first use; NULL if it cannot be kept. */
static const void *fit_of(graph *g, const design_state *s) {
  size_t k = doses(g), key_len = g->counts_bytes;
  uint8_t key[3 * DESIGN_MAX_DOSES];
  copy_key(key, s->n, k);
  copy_key(key + k, s->y, k);
  if (g->responses)
    copy_key(key + 2 * k, s->e, k);
  if (g->n_fits == g->fit_cap && (g->n_fits >= INT32_MAX / 2 || !grow_fits(g)))
    return NULL;
  size_t at = hash_bytes(key, key_len) & g->fit_mask;
  for (;; at = (at + 1) & g->fit_mask) {
    uint32_t v = g->fit_slots[at];
    if (v == 0)
      break;
    if (same_key(g->fit_keys + (size_t)(v - 1) * key_len, key, key_len))
      return g->fit_vals + (size_t)(v - 1) * g->fit_bytes;
  }
  size_t i = g->n_fits++;
  int level = fit_patients(g, key);
  if (level > g->fit_level)
    g->fit_level = level;
  copy_key(g->fit_keys + i * key_len, key, key_len);
  g->pol->type->fit(g->pol->params, s, g->fit_vals + i * g->fit_bytes);
  g->fit_slots[at] = (uint32_t)i + 1;
  return g->fit_vals + i * g->fit_bytes;
}

/* The wrapped decision for a new node, from the counts' fit when the design has one. */
static design_action decide_new(graph *g, const design_state *s) {
  const void *fit = g->fit_bytes > 0 ? fit_of(g, s) : NULL;
  return fit != NULL ? policy_decide_fitted(g->pol, s, fit) : policy_decide(g->pol, s);
}

/* The node of packed state `key` with hash h: found, created (if room), or -1. Creating may
 * move the node arrays: callers hold indices, never pointers into them, across this call. */
static int32_t find_or_add_key(graph *g, const uint8_t *key, uint64_t h) {
  if (g->slots == NULL) { /* freed when the graph was complete (child_known) */
    g->level_from = 0;
    size_t n = GRAPH_FIRST_SLOTS;
    while (4 * (g->size + 1) > 3 * n && n < g->slot_max)
      n <<= 1;
    if (!rehash_slots(g, n))
      return -1;
  }
  uint32_t tag = slot_tag(g, h);
  size_t i = h & g->slot_mask;
  for (;; i = (i + 1) & g->slot_mask) {
    uint32_t v = g->slots[i];
    if (v == 0)
      break;
    uint32_t id = slot_id(g, v) - 1;
    if ((v ^ tag) == id + 1 &&
        same_key(g->states + (size_t)id * g->state_bytes, key, g->state_bytes))
      return (int32_t)id;
  }
  if (g->size == g->cap || (g->size == g->reserved && !grow_nodes(g)))
    return -1;
  if (4 * (g->size - g->level_from + 1) > 3 * (g->slot_mask + 1)) {
    if (!grow_slots(g))
      return -1;
    return find_or_add_key(g, key, h); /* the free slot moved */
  }
  int32_t id = (int32_t)g->size++;
  copy_key(g->states + (size_t)id * g->state_bytes, key, g->state_bytes);
  design_state s;
  unpack(g, key, &s);
  g->actions[id] = decide_new(g, &s);
  if (!g->actions[id].stop)
    g->open += (size_t)g->per;
  g->slots[i] = tag | ((uint32_t)id + 1);
  return id;
}

static int32_t find_or_add(graph *g, const design_state *s) {
  uint8_t key[3 * DESIGN_MAX_DOSES + 3];
  pack(g, s, key);
  return find_or_add_key(g, key, hash_bytes(key, g->state_bytes));
}

/* Outcome o of a cohort at dose d: o % (c + 1) DLTs and o / (c + 1) responses (0 for a design
 * that does not read them, whose outcomes are the DLT counts alone). */
static void apply_cohort(const graph *g, design_state *s, int d, int o) {
  state_add_cohort(s, d, g->c, o % (g->c + 1), g->pol->last_cohort);
  if (g->responses)
    state_add_responses(s, d, o / (g->c + 1));
}

void graph_start(graph *g, graph_cursor *c) {
  c->state = g->root;
  c->node = g->size > 0 ? 0 : find_or_add(g, &c->state); /* the root is always node 0 */
  c->action = c->node >= 0 ? g->actions[c->node] : graph_decide(g, &c->state);
}

void graph_step(graph *g, graph_cursor *c, int y) {
  assert(!c->action.stop && y >= 0 && y < g->per);
  int32_t parent = c->node;
  apply_cohort(g, &c->state, c->action.dose, y);
  if (parent >= 0) {
    size_t slot = (size_t)parent * (size_t)g->per + (size_t)y;
    if (g->children[slot] == 0) {
      int32_t id = find_or_add(g, &c->state); /* may move g->children */
      c->node = id;
      if (id > 0) {
        g->children[slot] = id;
        child_known(g);
      }
    } else {
      c->node = g->children[slot];
    }
  } else {
    c->node = find_or_add(g, &c->state);
  }
  c->action = c->node >= 0 ? g->actions[c->node] : graph_decide(g, &c->state);
}

dv_status graph_root(graph *g, int32_t *root, dv_error *err) {
  *root = find_or_add(g, &g->root);
  if (*root != 0)
    return error_set(err, DV_ERUN, "graph: the root is not node 0");
  return DV_OK;
}

/* The packed state of node id's child after y DLTs: the parent's bytes with one cohort more
 * (pack of apply_cohort of unpack, without the round trip). */
static void child_key(const graph *g, int32_t id, int y, uint8_t *key) {
  copy_key(key, g->states + (size_t)id * g->state_bytes, g->state_bytes);
  state_packed_add_cohort(key, g->k, g->responses, g->actions[id].dose, g->c, y % (g->c + 1),
                          y / (g->c + 1), g->pol->last_cohort);
}

/* Node id's unknown children, looked up soon: their keys and hashes, and a fetch of
 * their hash slots and those of their counts' fits, so that the lookups overlap rather than wait
 * for memory one after another. */
typedef struct {
  int32_t id; /* the node these are for; -1: none */
  uint8_t key[(DESIGN_MAX_COHORT + 1) * (DESIGN_MAX_COHORT + 1)][3 * DESIGN_MAX_DOSES + 3];
  uint64_t hash[(DESIGN_MAX_COHORT + 1) * (DESIGN_MAX_COHORT + 1)];
} child_keys;

static void prepare_children(const graph *g, int32_t id, child_keys *ck) {
  ck->id = id;
  for (int y = 0; y < g->per; y++) {
    if (g->children[(size_t)id * (size_t)g->per + (size_t)y] != 0)
      continue;
    child_key(g, id, y, ck->key[y]);
    ck->hash[y] = hash_bytes(ck->key[y], g->state_bytes);
    if (g->slots != NULL)
      GRAPH_PREFETCH(&g->slots[ck->hash[y] & g->slot_mask]);
    if (g->fit_slots != NULL) /* a fit's key is the packed state's first 2K bytes */
      GRAPH_PREFETCH(&g->fit_slots[hash_bytes(ck->key[y], g->counts_bytes) & g->fit_mask]);
  }
}

/* graph_child, with the child's key and hash from `ck` when it holds node id's. */
static dv_status child_of(graph *g, int32_t id, int y, const child_keys *ck, int32_t *child,
                          dv_error *err) {
  size_t slot = (size_t)id * (size_t)g->per + (size_t)y;
  if (g->children[slot] == 0) {
    assert(!g->actions[id].stop);
    int32_t c;
    if (ck != NULL && ck->id == id) {
      c = find_or_add_key(g, ck->key[y], ck->hash[y]);
    } else {
      uint8_t key[3 * DESIGN_MAX_DOSES + 3];
      child_key(g, id, y, key);
      c = find_or_add_key(g, key, hash_bytes(key, g->state_bytes)); /* may move g->children */
    }
    if (c < 0 && g->no_memory)
      return error_set(err, DV_ENOMEM,
                       "out of memory at %zu states of the design's state space; use `doseval "
                       "run` for this study",
                       g->size);
    if (c < 0)
      return error_set(err, DV_ETOOBIG,
                       "the design's state space has more than %zu states (the exact engine's "
                       "bound); use `doseval run` for this study",
                       g->cap);
    g->children[slot] = c;
    child_known(g);
  }
  *child = g->children[slot];
  return DV_OK;
}

dv_status graph_child(graph *g, int32_t id, int y, int32_t *child, dv_error *err) {
  /* a child already known first, and nothing else on its road: a Monte Carlo walk past its walk
   * table (src/engine/trial.c) comes here every few cohorts, so this road must be cheap whether
   * or not the compiler inlines child_of */
  int32_t known = g->children[(size_t)id * (size_t)g->per + (size_t)y];
  if (known != 0) {
    *child = known;
    return DV_OK;
  }
  if (y == 0) { /* the first lookup of this node's children */
    child_keys ck;
    prepare_children(g, id, &ck);
    return child_of(g, id, y, &ck, child, err);
  }
  return child_of(g, id, y, NULL, child, err);
}

static int node_patients(const graph *g, size_t id) {
  const uint8_t *n = g->states + id * g->state_bytes;
  int total = 0;
  for (int d = 0; d < g->k; d++)
    total += n[d];
  return total;
}

/* Every child of a node treats one more cohort than it, so the nodes made while building are
 * numbered in order of patients treated (the root first), and while the children of the
 * nodes of n patients are made, every node that can be found again is one of n + c patients.
 * So the hash table is emptied at each new level and holds that level alone: a table the size
 * of the largest level, not of the whole graph, and never rehashed for the levels before
 * (bench/exact.sh's largest graph: 21.5 million states, 10.8 million of them at 60 patients). The
 * children's keys are made GRAPH_AHEAD nodes before they are looked up, and their slots fetched
 * then: waiting for them one after another was most of the lookups' time. */
dv_status graph_build(graph *g, dv_error *err) {
  if (g->size > 0)
    return error_set(err, DV_ERUN, "graph: graph_build needs an empty graph");
  int32_t root;
  dv_status st = graph_root(g, &root, err);
  child_keys ring[GRAPH_AHEAD + 1]; /* node id's at id % (GRAPH_AHEAD + 1) */
  for (int i = 0; i <= GRAPH_AHEAD; i++)
    ring[i].id = -1;
  int level = -1;
  for (size_t id = 0; id < g->size && st == DV_OK; id++) {
    size_t ahead = id + GRAPH_AHEAD;
    if (ahead < g->size && !g->actions[ahead].stop)
      prepare_children(g, (int32_t)ahead, &ring[ahead % (GRAPH_AHEAD + 1)]);
    if (g->actions[id].stop)
      continue;
    int n = node_patients(g, id);
    if (n != level && g->slots != NULL) {
      assert(n > level);
      level = n;
      memset(g->slots, 0, (g->slot_mask + 1) * sizeof *g->slots);
      g->level_from = g->size;
    }
    for (int y = 0; y < g->per && st == DV_OK; y++) {
      int32_t child;
      st = child_of(g, (int32_t)id, y, &ring[id % (GRAPH_AHEAD + 1)], &child, err);
    }
  }
  return st;
}

const int32_t *graph_children(const graph *g, int32_t id) {
  return g->children + (size_t)id * (size_t)g->per;
}

bool graph_whole(const graph *g) { return g->size > 0 && g->open == 0; }
size_t graph_size(const graph *g) { return g->size; }
design_action graph_action(const graph *g, int32_t id) { return g->actions[id]; }
void graph_state(const graph *g, int32_t id, design_state *s) {
  unpack(g, g->states + (size_t)id * g->state_bytes, s);
}
const design_setup *graph_setup(const graph *g) { return &g->setup; }
