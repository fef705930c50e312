/* joint.c — the forward sweep of two designs' joint chain on common random numbers (joint.h). */
#include "joint.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "prob.h"

#define K1 (DESIGN_MAX_DOSES + 1)
#define C1 (DESIGN_MAX_COHORT + 1)
/* A joint state packs into 64 bits: the state (merged node, below) of A (28 bits) and of B
 * (28), and the DLTs of each design's current cohort so far (4 + 4; fewer than
 * DESIGN_MAX_COHORT). */
#define NODE_BITS 28
_Static_assert(DESIGN_MAX_COHORT <= 15, "a cohort's DLTs fit in 4 bits");

static uint64_t pack(int32_t na, int ya, int32_t nb, int yb) {
  return (uint64_t)na << 36 | (uint64_t)nb << 8 | (uint64_t)ya << 4 | (uint64_t)yb;
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
  size_t n;             /* classes */
  uint8_t *stop, *dose; /* per class: the action (dose = the selection when stopping) */
  int32_t *child;       /* per class x (c+1): the class after y DLTs in its cohort */
  int32_t root;         /* the root's class */
  /* memo: the selection law of each class (per class x (K+1), P(selection d | in the class,
   * its cohort not begun)) under the curve p_sel */
  double *sel;
  double p_sel[DESIGN_MAX_DOSES];
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
  size_t per = (size_t)d->c + 1;
  for (size_t id = graph_size(g); id-- > 0;) {
    design_action a = graph_action(g, (int32_t)id);
    int32_t sig[2 + C1] = {a.stop, a.dose};
    for (int y = 0; !a.stop && y <= d->c; y++) {
      int32_t child = 0;
      dv_status st = graph_child(g, (int32_t)id, y, &child, err); /* built: a lookup */
      if (st != DV_OK)
        return st;
      sig[2 + y] = cls[child];
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
  dv_status st = build_graph(g, name, err);
  size_t n = graph_size(g), per = (size_t)d->c + 1, slots = 1;
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

/* pmf[d][m][z] = P(Bin(m, p_d) = z) for m up to the larger cohort. */
typedef double binom_table[DESIGN_MAX_DOSES][C1][C1];

/* The backward sweep: each class's selection law under p, from its children's (kept while the
 * next pair sweeps the same curve). */
static void design_selection(joint_design *d, const double *p, const binom_table pmf) {
  int k = d->k;
  if (d->have_sel && memcmp(d->p_sel, p, (size_t)k * sizeof *p) == 0)
    return;
  size_t per = (size_t)d->c + 1;
  for (size_t i = 0; i < d->n; i++) {
    double *row = d->sel + i * (size_t)(k + 1);
    memset(row, 0, (size_t)(k + 1) * sizeof *row);
    if (d->stop[i]) {
      row[d->dose[i]] = 1.0;
      continue;
    }
    for (int y = 0; y <= d->c; y++) {
      double w = pmf[d->dose[i] - 1][d->c][y];
      const double *from = d->sel + (size_t)d->child[i * per + (size_t)y] * (size_t)(k + 1);
      for (int dose = 0; dose <= k; dose++)
        row[dose] += w * from[dose];
    }
  }
  memcpy(d->p_sel, p, (size_t)k * sizeof *p);
  d->have_sel = true;
}

/* The selection law of a design that has treated r (0 <= r < c) patients of its cohort in
 * class i with y DLTs among them: the rest of the cohort is binomial. */
static void design_rest(const joint_design *d, const binom_table pmf, int32_t i, int r, int y,
                        double *out) {
  int k = d->k;
  const double *row = d->sel + (size_t)i * (size_t)(k + 1);
  if (r == 0) {
    memcpy(out, row, (size_t)(k + 1) * sizeof *out);
    return;
  }
  memset(out, 0, (size_t)(k + 1) * sizeof *out);
  int m = d->c - r;
  for (int z = 0; z <= m; z++) {
    double w = pmf[d->dose[i] - 1][m][z];
    int32_t to = d->child[(size_t)i * ((size_t)d->c + 1) + (size_t)(y + z)];
    const double *from = d->sel + (size_t)to * (size_t)(k + 1);
    for (int dose = 0; dose <= k; dose++)
      out[dose] += w * from[dose];
  }
}

/* ---- the joint sweep ------------------------------------------------------------------------ */

/* The pair's law over L patients at doses (a, b): seg[zA][zB] = P(zA DLTs under A, zB under B),
 * each patient falling in one of the four classes independently. */
static void segment_law(double pa, double pb, int L, double seg[C1][C1]) {
  double both = pa < pb ? pa : pb, hi = pa < pb ? pb : pa;
  double q11 = both, q10 = pa - both, q01 = pb - both, q00 = 1.0 - hi;
  memset(seg, 0, sizeof(double[C1][C1]));
  seg[0][0] = 1.0;
  for (int i = 0; i < L; i++)
    for (int x = i + 1; x >= 0; x--)
      for (int y = i + 1; y >= 0; y--) {
        double v = seg[x][y] * q00;
        if (x > 0)
          v += seg[x - 1][y] * q10;
        if (y > 0)
          v += seg[x][y - 1] * q01;
        if (x > 0 && y > 0)
          v += seg[x - 1][y - 1] * q11;
        seg[x][y] = v;
      }
}

typedef struct {
  int k;
  joint_design *a, *b;
  binom_table pmf;
  double *seg; /* [L][a-1][b-1][zA][zB], L = 0 ... the larger cohort: segment_law */
  layer now, next;
  joint_result *r;
} sweep;

/* The law of a step of L patients at doses a and b (1-based). */
static double (*segment_at(const sweep *w, int L, int a, int b))[C1] {
  size_t at = ((size_t)L * (size_t)w->k + (size_t)(a - 1)) * (size_t)w->k + (size_t)(b - 1);
  return (double(*)[C1])(w->seg + at * C1 * C1);
}

/* A pair that has just ended for at least one design: add its selection law to r->sel. */
static void finish(sweep *w, double q, bool stop_a, int32_t na, int ra, int ya, bool stop_b,
                   int32_t nb, int rb, int yb) {
  int k = w->k;
  double rest[K1];
  if (stop_a && stop_b) {
    w->r->sel[w->a->dose[na]][w->b->dose[nb]] += q;
  } else if (stop_a) {
    int i = w->a->dose[na];
    design_rest(w->b, w->pmf, nb, rb, yb, rest);
    for (int d = 0; d <= k; d++)
      w->r->sel[i][d] += q * rest[d];
  } else {
    int j = w->b->dose[nb];
    design_rest(w->a, w->pmf, na, ra, ya, rest);
    for (int d = 0; d <= k; d++)
      w->r->sel[d][j] += q * rest[d];
  }
}

/* Where one design is after a step: its class, its cohort's DLTs so far, whether it stopped. */
typedef struct {
  int32_t cls;
  int y;
  bool stop;
} place;

/* The distinct places of design d after z = 0 ... L DLTs in a step from class i with y DLTs
 * of its cohort so far (the step ends the cohort if end); at[z] = the place z leads to. */
static int places(const joint_design *d, int32_t i, int y, int L, bool end, place *out, int *at) {
  if (!end) { /* within the cohort: each z its own place */
    for (int z = 0; z <= L; z++) {
      out[z] = (place){i, y + z, false};
      at[z] = z;
    }
    return L + 1;
  }
  int n = 0;
  const int32_t *child = d->child + (size_t)i * ((size_t)d->c + 1) + y;
  for (int z = 0; z <= L; z++) {
    place p = {child[z], 0, d->stop[child[z]]};
    int k = 0;
    while (k < n && (out[k].cls != p.cls || out[k].y != p.y))
      k++;
    if (k == n)
      out[n++] = p;
    at[z] = k;
  }
  return n;
}

/* One step: every state of w->now treats patients t+1 ... t+L; the survivors go to w->next. */
static dv_status step(sweep *w, int t, int L, dv_error *err) {
  const joint_design *A = w->a, *B = w->b;
  int ca = A->c, cb = B->c;
  bool end_a = (t + L) % ca == 0, end_b = (t + L) % cb == 0;
  int ra = (t + L) % ca, rb = (t + L) % cb; /* patients of the cohort treated, after the step */
  for (size_t i = 0; i < w->now.n; i++) {
    uint64_t key = w->now.key[i];
    double q = w->now.prob[i];
    int32_t na = (int32_t)(key >> 36), nb = (int32_t)((key >> 8) & ((1u << NODE_BITS) - 1));
    int ya = (int)(key >> 4 & 15), yb = (int)(key & 15);
    const double(*seg)[C1] = segment_at(w, L, A->dose[na], B->dose[nb]);
    /* where each design is after z DLTs in the step: its distinct places (children may
     * merge), and which of them z leads to */
    place pa[C1], pb[C1];
    int ia[C1], ib[C1];
    int ka = places(A, na, ya, L, end_a, pa, ia), kb = places(B, nb, yb, L, end_b, pb, ib);
    double m[C1][C1];
    for (int u = 0; u < ka; u++)
      for (int v = 0; v < kb; v++)
        m[u][v] = 0.0;
    for (int za = 0; za <= L; za++)
      for (int zb = 0; zb <= L; zb++)
        m[ia[za]][ib[zb]] += seg[za][zb];
    for (int u = 0; u < ka; u++)
      for (int v = 0; v < kb; v++) {
        double mass = q * m[u][v];
        if (mass == 0.0)
          continue;
        if (pa[u].stop || pb[v].stop) {
          finish(w, mass, pa[u].stop, pa[u].cls, ra, pa[u].y, pb[v].stop, pb[v].cls, rb, pb[v].y);
          continue;
        }
        dv_status st = layer_add(&w->next, pack(pa[u].cls, pa[u].y, pb[v].cls, pb[v].y), mass,
                                 A->name, B->name, t + L, err);
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

static dv_status run(sweep *w, const double *p, dv_error *err) {
  int k = w->k, ca = w->a->c, cb = w->b->c, lmax = ca > cb ? ca : cb;
  bool used[C1];
  step_lengths(ca, cb, used);
  for (int d = 0; d < k; d++)
    for (int m = 0; m <= lmax; m++)
      for (int z = 0; z <= m; z++)
        w->pmf[d][m][z] = prob_binom_pmf(m, z, p[d]);
  for (int L = 1; L <= lmax; L++)
    for (int a = 0; used[L] && a < k; a++)
      for (int b = 0; b < k; b++)
        segment_law(p[a], p[b], L, segment_at(w, L, a + 1, b + 1));
  design_selection(w->a, p, w->pmf);
  design_selection(w->b, p, w->pmf);
  int32_t ra = w->a->root, rb = w->b->root;
  if (w->a->stop[ra] || w->b->stop[rb]) {
    finish(w, 1.0, w->a->stop[ra], ra, 0, 0, w->b->stop[rb], rb, 0, 0);
    return DV_OK;
  }
  dv_status st = layer_add(&w->now, pack(ra, 0, rb, 0), 1.0, w->a->name, w->b->name, 0, err);
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
  memset(r, 0, sizeof *r);
  int k = a->k;
  if (b->k != k || true_mtd < 0 || true_mtd > k) /* 0: no true MTD, stopping is right */
    return error_set(err, DV_ERUN, "exact: %s and %s: %d and %d doses, true MTD %d", a->name,
                     b->name, k, b->k, true_mtd);
  r->k = k;
  /* not zeroed: run fills the tables before reading them */
  sweep *w = malloc(sizeof *w);
  int lmax = a->c > b->c ? a->c : b->c;
  size_t seg = (size_t)(lmax + 1) * (size_t)(k * k) * C1 * C1;
  if (w == NULL || (w->seg = malloc(seg * sizeof *w->seg)) == NULL) {
    free(w);
    return error_set(err, DV_ENOMEM, "exact: out of memory for the joint chain of %s and %s",
                     a->name, b->name);
  }
  w->k = k;
  w->a = a;
  w->b = b;
  w->now = (layer){.max = max_states};
  w->next = (layer){.max = max_states};
  w->r = r;
  dv_status st = run(w, p, err);
  if (st == DV_OK) {
    for (int i = 0; i <= k; i++)
      for (int j = 0; j <= k; j++) {
        double q = r->sel[i][j];
        r->sel_a[i] += q;
        r->sel_b[j] += q;
        if (i != j)
          r->disagree += q;
      }
    for (int d = 0; d <= k; d++)
      if (d != true_mtd) {
        r->a_right_b_not += r->sel[true_mtd][d];
        r->b_right_a_not += r->sel[d][true_mtd];
      }
  }
  free(w->seg);
  layer_free(&w->now);
  layer_free(&w->next);
  free(w);
  return st;
}
