/* joint.c — the forward sweep of two designs' joint chain on common random numbers (joint.h). */
#include "joint.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "prob.h"
#include "responses.h"

#define K1 (DESIGN_MAX_DOSES + 1)
#define C1 (DESIGN_MAX_COHORT + 1)
#define O1 RESPONSES_MAX_OUTCOMES
/* A joint state packs into 64 bits: the state (merged node, below) of A (25 bits) and of B
 * (25), and the outcome of each design's current cohort so far (7 + 7): its DLTs y, or
 * y + (c + 1) r with r responses for a design that reads them (the graph's numbering, graph.h).
 * 2^25 classes pass the exact engine's bound on a graph (EXACT_MAX_NODES). */
#define NODE_BITS 28
_Static_assert(O1 <= 128, "a cohort's outcome so far fits in 7 bits");

/* The pair's packing: 4 bits of each design's cohort so far and 28 of its class when neither
 * reads responses (as before they were read), else 7 and 25. */
typedef struct {
  int out_bits, node_bits;
} packing;

static uint64_t pack(packing k, int32_t na, int oa, int32_t nb, int ob) {
  return (uint64_t)na << (k.node_bits + 2 * k.out_bits) | (uint64_t)nb << (2 * k.out_bits) |
         (uint64_t)oa << k.out_bits | (uint64_t)ob;
}

static void unpack(packing k, uint64_t key, int32_t *na, int *oa, int32_t *nb, int *ob) {
  uint64_t out = ((uint64_t)1 << k.out_bits) - 1, node = ((uint64_t)1 << k.node_bits) - 1;
  *na = (int32_t)(key >> (k.node_bits + 2 * k.out_bits));
  *nb = (int32_t)((key >> (2 * k.out_bits)) & node);
  *oa = (int)((key >> k.out_bits) & out);
  *ob = (int)(key & out);
}

/* ---- one step's states: an open-addressing hash map from packed state to probability ----- */

typedef struct {
  uint64_t *key; /* in insertion order (so the sweep's sums do not depend on addresses) */
  double *prob;
  uint32_t *slot; /* index + 1; 0 = empty; at most half full */
  size_t n, cap, mask, max;
} layer;

static void layer_free(layer *l) {
  free(l->key);
  free(l->prob);
  free(l->slot);
}

/* A packed state's slot: the finaliser of splitmix64 (Steele, Lea & Flood 2014), one
 * multiply-xorshift round per 32 bits, cheaper than hashing the key's 8 bytes one by one. */
static uint64_t mix(uint64_t key) {
  key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ULL;
  key = (key ^ (key >> 27)) * 0x94d049bb133111ebULL;
  return key ^ (key >> 31);
}
/* A merged node's signature (bytes): FNV-1a, then the same finaliser so the low bits mix. */
static uint64_t hash_of(const void *data, size_t len) { return mix(hash_fnv1a64(data, len)); }

/* Doubles the capacity (up to l->max) and rebuilds the slots. */
static dv_status layer_grow(layer *l, const char *na, const char *nb, int patients, dv_error *err) {
  if (l->cap >= l->max)
    return error_set(err, DV_ETOOBIG,
                     "exact: the joint chain of %s and %s has more than %zu states after %d "
                     "patients (the exact engine's bound); use `doseval run` for this study",
                     na, nb, l->max, patients);
  size_t cap = l->cap ? 2 * l->cap : 256;
  cap = cap < l->max ? cap : l->max;
  uint64_t *key = realloc(l->key, cap * sizeof *key);
  if (key != NULL)
    l->key = key;
  double *prob = key ? realloc(l->prob, cap * sizeof *prob) : NULL;
  if (prob != NULL)
    l->prob = prob;
  size_t slots = 1;
  while (slots < 2 * cap)
    slots <<= 1;
  uint32_t *slot = prob ? calloc(slots, sizeof *slot) : NULL;
  if (slot == NULL)
    return error_set(err, DV_ENOMEM, "exact: out of memory at %zu joint states of %s and %s",
                     l->cap, na, nb);
  for (size_t i = 0; i < l->n; i++) {
    size_t at = mix(l->key[i]) & (slots - 1);
    while (slot[at] != 0)
      at = (at + 1) & (slots - 1);
    slot[at] = (uint32_t)i + 1;
  }
  free(l->slot);
  l->slot = slot;
  l->cap = cap;
  l->mask = slots - 1;
  return DV_OK;
}

static void layer_clear(layer *l) {
  if (l->slot != NULL)
    memset(l->slot, 0, (l->mask + 1) * sizeof *l->slot);
  l->n = 0;
}

/* The slot of key, or the empty slot where it would go. */
static size_t layer_find(const layer *l, uint64_t key) {
  size_t at = mix(key) & l->mask;
  while (l->slot[at] != 0 && l->key[l->slot[at] - 1] != key)
    at = (at + 1) & l->mask;
  return at;
}

/* Adds probability q to state key (merging equal states). */
static dv_status layer_add(layer *l, uint64_t key, double q, const char *na, const char *nb,
                           int patients, dv_error *err) {
  dv_status st = l->cap == 0 ? layer_grow(l, na, nb, patients, err) : DV_OK;
  if (st != DV_OK)
    return st;
  size_t at = layer_find(l, key);
  if (l->slot[at] != 0) {
    l->prob[l->slot[at] - 1] += q;
    return DV_OK;
  }
  if (l->n == l->cap) {
    if ((st = layer_grow(l, na, nb, patients, err)) != DV_OK)
      return st;
    at = layer_find(l, key);
  }
  l->key[l->n] = key;
  l->prob[l->n] = q;
  l->slot[at] = (uint32_t)++l->n;
  return DV_OK;
}

/* ---- each design alone: its graph with equivalent nodes merged ---------------------------- */

/* Two nodes whose futures are the same tree of actions (the same dose, or a stop with the same
 * selection, and children that are again the same) are one state of the joint chain, which
 * counts only selections. Classes are numbered children first: a class's children have smaller
 * ids. */
struct joint_design {
  const char *name;
  int k, c;
  bool responses;       /* reads responses: a cohort has (c + 1)^2 outcomes, else c + 1 */
  int per;              /* a cohort's outcomes */
  size_t n;             /* classes */
  uint8_t *stop, *dose; /* per class: the action (dose = the selection when stopping) */
  int32_t *child;       /* per class x per: the class after its cohort's outcome */
  int32_t root;         /* the root's class */
  /* memo: the selection law of each class (per class x (K+1), P(selection d | in the class,
   * its cohort not begun)) under the curve p_sel (and q_sel, rho_sel when it reads responses) */
  double *sel;
  double p_sel[DESIGN_MAX_DOSES], q_sel[DESIGN_MAX_DOSES], rho_sel;
  bool have_sel;
};

void joint_design_free(joint_design *d) {
  if (d == NULL)
    return;
  free(d->stop);
  free(d->dose);
  free(d->child);
  free(d->sel);
  free(d);
}

/* The whole graph from the empty state: built here if it is empty (graph_build; the exact
 * engine hands over graphs it has built already). */
static dv_status build_graph(graph *g, const char *name, dv_error *err) {
  dv_status st = graph_size(g) == 0 ? graph_build(g, err) : DV_OK;
  if (st != DV_OK)
    return st;
  design_state start;
  graph_state(g, 0, &start);
  if (design_total_n(&start, graph_setup(g)->n_doses) != 0)
    return error_set(err, DV_ERUN, "exact: the joint chain of %s needs a graph from the start",
                     name);
  if (!graph_whole(g))
    return error_set(err, DV_ERUN, "exact: the joint chain of %s needs a whole graph", name);
  if (graph_size(g) >= ((size_t)1 << NODE_BITS))
    return error_set(err, DV_ETOOBIG, "exact: %s has %zu states; the joint chain takes at most %zu",
                     name, graph_size(g), ((size_t)1 << NODE_BITS) - 1);
  return DV_OK;
}

/* The classes, from the last node to the first (children before parents); cls[id] = node id's. */
static dv_status merge_nodes(joint_design *d, graph *g, int32_t *cls, uint32_t *slot, size_t slots,
                             dv_error *err) {
  size_t per = (size_t)d->per;
  for (size_t id = graph_size(g); id-- > 0;) {
    design_action a = graph_action(g, (int32_t)id);
    int32_t sig[2 + O1] = {a.stop, a.dose};
    for (int o = 0; !a.stop && o < d->per; o++) {
      int32_t child = 0;
      dv_status st = graph_child(g, (int32_t)id, o, &child, err); /* built: a lookup */
      if (st != DV_OK)
        return st;
      sig[2 + o] = cls[child];
    }
    size_t len = a.stop ? 2 : 2 + per, at = hash_of(sig, len * sizeof *sig) & (slots - 1);
    for (;; at = (at + 1) & (slots - 1)) {
      uint32_t v = slot[at];
      if (v == 0)
        break;
      if (d->stop[v - 1] == a.stop && d->dose[v - 1] == a.dose &&
          (a.stop || memcmp(d->child + (size_t)(v - 1) * per, sig + 2, per * sizeof *sig) == 0))
        break;
    }
    if (slot[at] == 0) {
      size_t i = d->n++;
      d->stop[i] = a.stop;
      d->dose[i] = a.dose;
      memcpy(d->child + i * per, sig + 2, per * sizeof *sig);
      slot[at] = (uint32_t)i + 1;
    }
    cls[id] = (int32_t)slot[at] - 1;
  }
  d->root = cls[0];
  return DV_OK;
}

dv_status joint_design_alloc(joint_design **out, graph *g, const char *name, dv_error *err) {
  *out = NULL;
  joint_design *d = calloc(1, sizeof *d);
  if (d == NULL)
    return error_set(err, DV_ENOMEM, "exact: out of memory");
  d->name = name;
  d->k = graph_setup(g)->n_doses;
  d->c = graph_setup(g)->cohort_size;
  d->per = graph_outcomes(g);
  d->responses = d->per != d->c + 1;
  dv_status st = build_graph(g, name, err);
  size_t n = graph_size(g), per = (size_t)d->per, slots = 1;
  while (slots < 2 * n)
    slots <<= 1;
  int32_t *cls = NULL;
  uint32_t *slot = NULL;
  if (st == DV_OK) {
    cls = malloc(n * sizeof *cls);
    slot = calloc(slots, sizeof *slot);
    d->stop = malloc(n);
    d->dose = malloc(n);
    d->child = malloc(n * per * sizeof *d->child);
    if (!cls || !slot || !d->stop || !d->dose || !d->child)
      st = error_set(err, DV_ENOMEM, "exact: out of memory for the joint chain of %s", name);
  }
  if (st == DV_OK)
    st = merge_nodes(d, g, cls, slot, slots, err);
  free(cls);
  free(slot);
  if (st == DV_OK && (d->sel = malloc(d->n * (size_t)(d->k + 1) * sizeof *d->sel)) == NULL)
    st = error_set(err, DV_ENOMEM, "exact: out of memory for the joint chain of %s", name);
  if (st != DV_OK) {
    joint_design_free(d);
    return st;
  }
  /* keep what the classes need, not what the nodes did */
  uint8_t *stop = realloc(d->stop, d->n), *dose = realloc(d->dose, d->n);
  int32_t *child = realloc(d->child, d->n * per * sizeof *child);
  d->stop = stop ? stop : d->stop;
  d->dose = dose ? dose : d->dose;
  d->child = child ? child : d->child;
  *out = d;
  return DV_OK;
}

size_t joint_design_states(const joint_design *d) { return d->n; }

/* The curve a sweep runs under: DLT and response probabilities per dose and the copula's rho
 * (p_eff and rho read only for a design that reads responses). */
typedef struct {
  const double *p, *q;
  double rho;
} curve;

/* A design's law of m more patients of its cohort at dose d: law[d][m][o] over its outcomes o
 * (DLTs, or DLTs + (c + 1) responses), m = 0 ... c. */
typedef double rest_table[DESIGN_MAX_DOSES][C1][O1];

static void rest_table_fill(const joint_design *d, const curve *cv, rest_table law) {
  for (int dose = 0; dose < d->k; dose++)
    for (int m = 0; m <= d->c; m++) {
      double *row = law[dose][m];
      if (!d->responses) {
        for (int z = 0; z <= m; z++)
          row[z] = prob_binom_pmf(m, z, cv->p[dose]);
        continue;
      }
      double cell[DESIGN_MAX_COHORT + 1][DESIGN_MAX_COHORT + 1];
      responses_cohort_law(m, cv->p[dose], cv->q[dose], cv->rho, cell);
      for (int z = 0; z <= m; z++)
        for (int r = 0; r <= m; r++)
          row[z + (d->c + 1) * r] = cell[z][r];
    }
}

/* The increments of m patients' outcomes for design d, in order (fewest DLTs first, then fewest
 * responses): inc[i] = z + (c + 1) r. Returns how many. */
static int increments(const joint_design *d, int m, int *inc) {
  int n = 0;
  for (int z = 0; z <= m; z++)
    for (int r = 0; r <= (d->responses ? m : 0); r++)
      inc[n++] = z + (d->c + 1) * r;
  return n;
}

/* Whether the memoised selection law is the one under cv. */
static bool same_curve(const joint_design *d, const curve *cv) {
  size_t k = (size_t)d->k;
  return d->have_sel && memcmp(d->p_sel, cv->p, k * sizeof *cv->p) == 0 &&
         (!d->responses ||
          (memcmp(d->q_sel, cv->q, k * sizeof *cv->q) == 0 && d->rho_sel == cv->rho));
}

/* The backward sweep: each class's selection law under cv, from its children's (kept while the
 * next pair sweeps the same curve). */
static void design_selection(joint_design *d, const curve *cv, rest_table law) {
  int k = d->k;
  if (same_curve(d, cv))
    return;
  size_t per = (size_t)d->per;
  int inc[O1], n_inc = increments(d, d->c, inc);
  for (size_t i = 0; i < d->n; i++) {
    double *row = d->sel + i * (size_t)(k + 1);
    memset(row, 0, (size_t)(k + 1) * sizeof *row);
    if (d->stop[i]) {
      row[d->dose[i]] = 1.0;
      continue;
    }
    for (int j = 0; j < n_inc; j++) {
      int o = inc[j];
      double w = law[d->dose[i] - 1][d->c][o];
      const double *from = d->sel + (size_t)d->child[i * per + (size_t)o] * (size_t)(k + 1);
      for (int dose = 0; dose <= k; dose++)
        row[dose] += w * from[dose];
    }
  }
  memcpy(d->p_sel, cv->p, (size_t)k * sizeof *cv->p);
  if (d->responses)
    memcpy(d->q_sel, cv->q, (size_t)k * sizeof *cv->q);
  d->rho_sel = cv->rho;
  d->have_sel = true;
}

/* The selection law of a design that has treated r (0 <= r < c) patients of its cohort in
 * class i with outcome o among them: the rest of the cohort follows law. */
static void design_rest(const joint_design *d, rest_table law, int32_t i, int r, int o,
                        double *out) {
  int k = d->k;
  const double *row = d->sel + (size_t)i * (size_t)(k + 1);
  if (r == 0) {
    memcpy(out, row, (size_t)(k + 1) * sizeof *out);
    return;
  }
  memset(out, 0, (size_t)(k + 1) * sizeof *out);
  int m = d->c - r, inc[O1], n_inc = increments(d, m, inc);
  for (int j = 0; j < n_inc; j++) {
    double w = law[d->dose[i] - 1][m][inc[j]];
    int32_t to = d->child[(size_t)i * (size_t)d->per + (size_t)(o + inc[j])];
    const double *from = d->sel + (size_t)to * (size_t)(k + 1);
    for (int dose = 0; dose <= k; dose++)
      out[dose] += w * from[dose];
  }
}

/* ---- the joint sweep ------------------------------------------------------------------------ */

/* One patient given dose a by A and dose b by B falls in one of up to 16 cells: a DLT under A
 * iff u < p_a (u his DLT tolerance), under B iff u < p_b; a response under a design that reads
 * them iff r < q (r his response tolerance, joined to u by the copula). cell i: its probability
 * and the increments (DLT + (c + 1) response) of each design's outcome. */
typedef struct {
  int n;
  double prob[16];
  int xa[16], xb[16];                 /* the increments */
  int ya[16], ea[16], yb[16], eb[16]; /* ... as DLT and response of each design */
  int base_a, base_b;                 /* c + 1 of each: outcome = DLTs + base responses */
} patient_cells;

/* The probability of u in [u0, u1) and r in [r0, r1): C(u1, r1) - C(u0, r1) - C(u1, r0) +
 * C(u0, r0) with C the copula (C(u, 1) = u, C(u, 0) = 0: u1 - u0 when r spans [0, 1)). */
static double rect(double u0, double u1, double r0, double r1, double rho) {
  return responses_both(u1, r1, rho) - responses_both(u0, r1, rho) - responses_both(u1, r0, rho) +
         responses_both(u0, r0, rho);
}

/* Narrows [lo, hi) to below t (in) or to t and above (not in). */
static void narrow(double t, bool in, double *lo, double *hi) {
  if (in)
    *hi = t < *hi ? t : *hi;
  else
    *lo = t > *lo ? t : *lo;
}

/* The cells in the order (no DLT, DLT under A only, under B only, both), each split by the
 * responses of the designs that read them. Where neither does, these are the four classes
 * 1 - max(p_a, p_b), p_a - min, p_b - min, min(p_a, p_b), in the same floating point. */
static void cells_of(const joint_design *A, const joint_design *B, const curve *cv, int a, int b,
                     patient_cells *pc) {
  double pa = cv->p[a - 1], pb = cv->p[b - 1];
  double qa = A->responses ? cv->q[a - 1] : 0.0, qb = B->responses ? cv->q[b - 1] : 0.0;
  pc->n = 0;
  pc->base_a = A->c + 1;
  pc->base_b = B->c + 1;
  for (int db = 0; db <= 1; db++)
    for (int da = 0; da <= 1; da++) {
      /* u in [u0, u1): above every p of a design without the DLT, below every p of one with */
      double u0 = 0.0, u1 = 1.0;
      narrow(pa, da, &u0, &u1);
      narrow(pb, db, &u0, &u1);
      for (int eb = 0; eb <= (B->responses ? 1 : 0); eb++)
        for (int ea = 0; ea <= (A->responses ? 1 : 0); ea++) {
          /* r likewise, for the designs that read responses */
          double r0 = 0.0, r1 = 1.0;
          if (A->responses)
            narrow(qa, ea, &r0, &r1);
          if (B->responses)
            narrow(qb, eb, &r0, &r1);
          double q = !(u0 < u1 && r0 < r1)          ? 0.0
                     : A->responses || B->responses ? rect(u0, u1, r0, r1, cv->rho)
                                                    : u1 - u0;
          int i = pc->n++;
          pc->prob[i] = q > 0.0 ? q : 0.0;
          pc->xa[i] = da + (A->c + 1) * ea;
          pc->xb[i] = db + (B->c + 1) * eb;
          pc->ya[i] = da;
          pc->ea[i] = ea;
          pc->yb[i] = db;
          pc->eb[i] = eb;
        }
    }
}

/* The pair's law over L patients at doses (a, b): seg[xa * B->per + xb] = P(A's outcome grows by
 * xa and B's by xb), each patient falling in one of the cells independently (in place, the
 * largest outcomes first, so each reads the previous patient's smaller ones). */
static void segment_law(const patient_cells *pc, int L, int per_a, int per_b, double *seg) {
  memset(seg, 0, (size_t)per_a * (size_t)per_b * sizeof *seg);
  seg[0] = 1.0;
  for (int i = 0; i < L; i++)
    for (int x = per_a; x-- > 0;)
      for (int y = per_b; y-- > 0;) {
        double v = 0.0;
        bool first = true;
        for (int j = 0; j < pc->n; j++) {
          /* the outcome before this patient: each design's DLTs and responses one less where
           * he adds one (compared apart: a DLT must not borrow from the responses' digit) */
          if (x % pc->base_a < pc->ya[j] || x / pc->base_a < pc->ea[j] ||
              y % pc->base_b < pc->yb[j] || y / pc->base_b < pc->eb[j])
            continue;
          int fx = x - pc->xa[j], fy = y - pc->xb[j];
          double t = seg[fx * per_b + fy] * pc->prob[j];
          v = first ? t : v + t;
          first = false;
        }
        seg[x * per_b + y] = v;
      }
}

typedef struct {
  int k;
  joint_design *a, *b;
  packing pk;
  rest_table law_a, law_b;
  double m[O1][O1]; /* one state's step: the mass to each pair of places */
  double *seg;      /* [L][a-1][b-1][xa][xb], L = 0 ... the larger cohort: segment_law */
  layer now, next;
  joint_result *r;
} sweep;

/* The law of a step of L patients at doses a and b (1-based). */
static const double *segment_at(const sweep *w, int L, int a, int b) {
  size_t at = ((size_t)L * (size_t)w->k + (size_t)(a - 1)) * (size_t)w->k + (size_t)(b - 1);
  return w->seg + at * (size_t)w->a->per * (size_t)w->b->per;
}

/* A pair that has just ended for at least one design: add its selection law to r->sel. */
static void finish(sweep *w, double q, bool stop_a, int32_t na, int ra, int oa, bool stop_b,
                   int32_t nb, int rb, int ob) {
  int k = w->k;
  double rest[K1];
  if (stop_a && stop_b) {
    w->r->sel[w->a->dose[na]][w->b->dose[nb]] += q;
  } else if (stop_a) {
    int i = w->a->dose[na];
    design_rest(w->b, w->law_b, nb, rb, ob, rest);
    for (int d = 0; d <= k; d++)
      w->r->sel[i][d] += q * rest[d];
  } else {
    int j = w->b->dose[nb];
    design_rest(w->a, w->law_a, na, ra, oa, rest);
    for (int d = 0; d <= k; d++)
      w->r->sel[d][j] += q * rest[d];
  }
}

/* Where one design is after a step: its class, its cohort's outcome so far, whether it stopped. */
typedef struct {
  int32_t cls;
  int o;
  bool stop;
} place;

/* The distinct places of design d after each increment inc[j] of a step from class i with
 * outcome o of its cohort so far (the step ends the cohort if end); at[j] = the place inc[j]
 * leads to. */
static int places(const joint_design *d, int32_t i, int o, const int *inc, int n_inc, bool end,
                  place *out, int *at) {
  if (!end) { /* within the cohort: each increment its own place */
    for (int j = 0; j < n_inc; j++) {
      out[j] = (place){i, o + inc[j], false};
      at[j] = j;
    }
    return n_inc;
  }
  int n = 0;
  const int32_t *child = d->child + (size_t)i * (size_t)d->per + o;
  for (int j = 0; j < n_inc; j++) {
    place p = {child[inc[j]], 0, d->stop[child[inc[j]]]};
    int k = 0;
    while (k < n && (out[k].cls != p.cls || out[k].o != p.o))
      k++;
    if (k == n)
      out[n++] = p;
    at[j] = k;
  }
  return n;
}

/* One step: every state of w->now treats patients t+1 ... t+L; the survivors go to w->next. */
static dv_status step(sweep *w, int t, int L, dv_error *err) {
  const joint_design *A = w->a, *B = w->b;
  int ca = A->c, cb = B->c;
  bool end_a = (t + L) % ca == 0, end_b = (t + L) % cb == 0;
  int ra = (t + L) % ca, rb = (t + L) % cb; /* patients of the cohort treated, after the step */
  int inc_a[O1], inc_b[O1];
  int n_a = increments(A, L, inc_a), n_b = increments(B, L, inc_b);
  double(*m)[O1] = w->m;
  for (size_t i = 0; i < w->now.n; i++) {
    uint64_t key = w->now.key[i];
    double q = w->now.prob[i];
    int32_t na, nb;
    int oa, ob;
    unpack(w->pk, key, &na, &oa, &nb, &ob);
    const double *seg = segment_at(w, L, A->dose[na], B->dose[nb]);
    /* where each design is after each increment of the step: its distinct places (children
     * may merge), and which of them the increment leads to */
    place pa[O1], pb[O1];
    int ia[O1], ib[O1];
    int ka = places(A, na, oa, inc_a, n_a, end_a, pa, ia),
        kb = places(B, nb, ob, inc_b, n_b, end_b, pb, ib);
    for (int u = 0; u < ka; u++)
      for (int v = 0; v < kb; v++)
        m[u][v] = 0.0;
    for (int x = 0; x < n_a; x++)
      for (int y = 0; y < n_b; y++)
        m[ia[x]][ib[y]] += seg[inc_a[x] * B->per + inc_b[y]];
    for (int u = 0; u < ka; u++)
      for (int v = 0; v < kb; v++) {
        double mass = q * m[u][v];
        if (mass == 0.0)
          continue;
        if (pa[u].stop || pb[v].stop) {
          finish(w, mass, pa[u].stop, pa[u].cls, ra, pa[u].o, pb[v].stop, pb[v].cls, rb, pb[v].o);
          continue;
        }
        dv_status st = layer_add(&w->next, pack(w->pk, pa[u].cls, pa[u].o, pb[v].cls, pb[v].o),
                                 mass, A->name, B->name, t + L, err);
        if (st != DV_OK)
          return st;
      }
  }
  return DV_OK;
}

/* The step lengths that occur: from one cohort boundary of either design to the next. */
static void step_lengths(int ca, int cb, bool *used) {
  memset(used, 0, C1 * sizeof *used);
  int t = 0;
  do {
    int la = ca - t % ca, lb = cb - t % cb, L = la < lb ? la : lb;
    used[L] = true;
    t += L;
  } while (t % ca != 0 || t % cb != 0);
}

static dv_status run(sweep *w, const curve *cv, dv_error *err) {
  int k = w->k, ca = w->a->c, cb = w->b->c, lmax = ca > cb ? ca : cb;
  bool used[C1];
  step_lengths(ca, cb, used);
  rest_table_fill(w->a, cv, w->law_a);
  rest_table_fill(w->b, cv, w->law_b);
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++) {
      patient_cells pc;
      cells_of(w->a, w->b, cv, a + 1, b + 1, &pc);
      for (int L = 1; L <= lmax; L++)
        if (used[L])
          segment_law(&pc, L, w->a->per, w->b->per, (double *)segment_at(w, L, a + 1, b + 1));
    }
  design_selection(w->a, cv, w->law_a);
  design_selection(w->b, cv, w->law_b);
  int32_t ra = w->a->root, rb = w->b->root;
  if (w->a->stop[ra] || w->b->stop[rb]) {
    finish(w, 1.0, w->a->stop[ra], ra, 0, 0, w->b->stop[rb], rb, 0, 0);
    return DV_OK;
  }
  dv_status st = layer_add(&w->now, pack(w->pk, ra, 0, rb, 0), 1.0, w->a->name, w->b->name, 0, err);
  for (int t = 0; st == DV_OK && w->now.n > 0;) {
    int la = ca - t % ca, lb = cb - t % cb, L = la < lb ? la : lb;
    if (t + L > DESIGN_MAX_N) /* each policy stops by its max_n */
      return error_set(err, DV_ERUN, "exact: %s and %s still treat after %d patients", w->a->name,
                       w->b->name, DESIGN_MAX_N);
    layer_clear(&w->next);
    st = step(w, t, L, err);
    t += L;
    layer tmp = w->now;
    w->now = w->next;
    w->next = tmp;
    w->r->states += w->now.n;
    w->r->widest = w->now.n > w->r->widest ? w->now.n : w->r->widest;
  }
  return st;
}

dv_status joint_sweep(joint_design *a, joint_design *b, const double *p, int true_mtd,
                      size_t max_states, joint_result *r, dv_error *err) {
  joint_curve c = {.p_tox = p, .true_a = true_mtd, .true_b = true_mtd};
  return joint_sweep_curve(a, b, &c, max_states, r, err);
}

dv_status joint_sweep_curve(joint_design *a, joint_design *b, const joint_curve *c,
                            size_t max_states, joint_result *r, dv_error *err) {
  memset(r, 0, sizeof *r);
  int k = a->k, ta = c->true_a, tb = c->true_b;
  if (b->k != k || ta < 0 || ta > k || tb < 0 || tb > k) /* 0: none, stopping is right */
    return error_set(err, DV_ERUN, "exact: %s and %s: %d and %d doses, true doses %d and %d",
                     a->name, b->name, k, b->k, ta, tb);
  bool responses = a->responses || b->responses;
  if (responses && c->p_eff == NULL)
    return error_set(err, DV_ERUN,
                     "exact: %s and %s: a design reads responses and the curve "
                     "has no p_eff",
                     a->name, b->name);
  packing pk = {.out_bits = responses ? 7 : 4, .node_bits = responses ? 25 : NODE_BITS};
  size_t most = (size_t)1 << pk.node_bits;
  if (a->n >= most || b->n >= most)
    return error_set(err, DV_ETOOBIG,
                     "exact: the joint chain of %s and %s takes at most %zu states of each "
                     "design; they have %zu and %zu; use `doseval run` for this study",
                     a->name, b->name, most - 1, a->n, b->n);
  r->k = k;
  /* not zeroed: run fills the tables before reading them */
  sweep *w = malloc(sizeof *w);
  int lmax = a->c > b->c ? a->c : b->c;
  size_t seg = (size_t)(lmax + 1) * (size_t)(k * k) * (size_t)a->per * (size_t)b->per;
  if (w == NULL || (w->seg = malloc(seg * sizeof *w->seg)) == NULL) {
    free(w);
    return error_set(err, DV_ENOMEM, "exact: out of memory for the joint chain of %s and %s",
                     a->name, b->name);
  }
  w->k = k;
  w->a = a;
  w->b = b;
  w->pk = pk;
  w->now = (layer){.max = max_states};
  w->next = (layer){.max = max_states};
  w->r = r;
  curve cv = {.p = c->p_tox, .q = c->p_eff, .rho = c->rho};
  dv_status st = run(w, &cv, err);
  if (st == DV_OK) {
    for (int i = 0; i <= k; i++)
      for (int j = 0; j <= k; j++) {
        double q = r->sel[i][j];
        r->sel_a[i] += q;
        r->sel_b[j] += q;
        if (i != j)
          r->disagree += q;
      }
    for (int d = 0; d <= k; d++) {
      if (d != tb)
        r->a_right_b_not += r->sel[ta][d];
      if (d != ta)
        r->b_right_a_not += r->sel[d][tb];
    }
  }
  free(w->seg);
  layer_free(&w->now);
  layer_free(&w->next);
  free(w);
  return st;
}
