/* paths.c — dose transition pathways on the decision graph (see paths.h). */
#include "paths.h"

#include <stdlib.h>
#include <string.h>

/* Nodes are created breadth first from the root, so after building level by level every node
 * of depth k (k cohorts after the root) comes before those of depth k + 1. `depth` is filled
 * for the nodes within `cohorts` of the root. When the graph's bound stops the build (DV_ETOOBIG)
 * while it makes the children of a node of depth k, every node of depth k or less is already
 * made: `reach` (may be NULL) says that k cohorts fit, in how many states. */
typedef struct {
  int fit;
  size_t states;
} reach_info;

static dv_status build(graph *g, int cohorts, int **depth, reach_info *reach, dv_error *err) {
  int per = graph_outcomes(g);
  int32_t root;
  dv_status st = graph_root(g, &root, err);
  size_t cap = 1024;
  int *d = malloc(cap * sizeof *d);
  if (d == NULL)
    return error_set(err, DV_ENOMEM, "paths: out of memory");
  d[0] = 0;
  int stuck = -1; /* the depth of the node whose child did not fit */
  for (size_t id = 0; st == DV_OK && id < graph_size(g); id++) {
    if (d[id] >= cohorts || graph_action(g, (int32_t)id).stop)
      continue;
    for (int o = 0; o < per && st == DV_OK; o++) {
      int32_t child = 0;
      st = graph_child(g, (int32_t)id, o, &child, err);
      if (st != DV_OK) {
        stuck = d[id];
        break;
      }
      if ((size_t)child >= cap) {
        size_t n = 2 * cap > (size_t)child + 1 ? 2 * cap : (size_t)child + 1;
        int *m = realloc(d, n * sizeof *m);
        if (m == NULL) {
          st = error_set(err, DV_ENOMEM, "paths: out of memory");
          break;
        }
        d = m;
        cap = n;
      }
      d[child] = d[id] + 1;
    }
  }
  if (reach != NULL) {
    reach->fit = st == DV_OK ? cohorts : stuck > 0 ? stuck : 0;
    reach->states = 0;
    for (size_t id = 0; id < graph_size(g) && id < cap; id++)
      reach->states += d[id] <= reach->fit;
  }
  if (st != DV_OK) {
    free(d);
    return st;
  }
  *depth = d;
  return DV_OK;
}

dv_status paths_reach(graph *g, int cohorts, int *fit, size_t *fit_states, dv_error *err) {
  int *depth = NULL;
  reach_info r = {0};
  dv_status st = build(g, cohorts, &depth, &r, err);
  free(depth);
  *fit = r.fit;
  *fit_states = r.states;
  return st;
}

dv_status paths_count(graph *g, int cohorts, uint64_t *n, dv_error *err) {
  int *depth = NULL;
  dv_status st = build(g, cohorts, &depth, NULL, err);
  if (st != DV_OK)
    return st;
  size_t size = graph_size(g);
  int per = graph_outcomes(g);
  uint64_t *count = calloc(size, sizeof *count);
  if (count == NULL) {
    free(depth);
    return error_set(err, DV_ENOMEM, "paths: out of memory");
  }
  /* children come after their parents: sum backwards */
  for (size_t id = size; id-- > 0;) {
    if (depth[id] >= cohorts || graph_action(g, (int32_t)id).stop) {
      count[id] = 1;
      continue;
    }
    uint64_t sum = 0;
    for (int o = 0; o < per; o++) {
      int32_t child = 0;
      st = graph_child(g, (int32_t)id, o, &child, err); /* already built: no allocation */
      if (st != DV_OK)
        break;
      sum = count[child] > UINT64_MAX - sum ? UINT64_MAX : sum + count[child];
    }
    count[id] = sum;
  }
  *n = count[0];
  free(count);
  free(depth);
  return st;
}

_Static_assert(sizeof(paths_step) == 3 * sizeof(int) + sizeof(design_action) + sizeof(double),
               "paths_step has no padding: the tree compares steps with memcmp");

typedef struct {
  graph *g;
  int cohorts, c, max_r; /* max_r: c for a design that reads responses, else 0 */
  const responses_law *law;
  paths_visit visit;
  void *ctx;
  uint64_t path;
  paths_step steps[DESIGN_MAX_N];
  dv_error *err;
} walker;

/* 1: the visitor asked to stop; -1: an error (in w->err); 0: go on. */
static int walk(walker *w, int32_t id, int n, double prob) {
  design_action a = graph_action(w->g, id);
  if (a.stop || n == w->cohorts)
    return w->visit(w->ctx, w->path++, w->steps, n);
  for (int y = 0; y <= w->c; y++)
    for (int r = 0; r <= w->max_r; r++) {
      int o = y + (w->c + 1) * r; /* the graph's outcome numbering (graph.h) */
      int32_t child;
      if (graph_child(w->g, id, o, &child, w->err) != DV_OK)
        return -1;
      double q = w->law ? prob * w->law->pmf[a.dose - 1][o] : 1.0;
      w->steps[n] = (paths_step){
          .dose = a.dose, .dlts = y, .responses = r, .next = graph_action(w->g, child), .prob = q};
      int stop = walk(w, child, n + 1, q);
      if (stop != 0)
        return stop;
    }
  return 0;
}

dv_status paths_walk(graph *g, int cohorts, const responses_law *law, paths_visit visit, void *ctx,
                     dv_error *err) {
  /* the states level by level first: a walk would make them depth first, and the depth the
   * others read from node ids (build) would then be wrong on this graph */
  int *depth = NULL;
  dv_status built = build(g, cohorts, &depth, NULL, err);
  free(depth);
  if (built != DV_OK)
    return built;
  walker *w = calloc(1, sizeof *w);
  if (w == NULL)
    return error_set(err, DV_ENOMEM, "paths: out of memory");
  int c = graph_setup(g)->cohort_size;
  *w = (walker){.g = g,
                .cohorts = cohorts,
                .c = c,
                .max_r = graph_outcomes(g) == c + 1 ? 0 : c,
                .law = law,
                .visit = visit,
                .ctx = ctx,
                .err = err};
  int32_t root;
  dv_status st = graph_root(g, &root, err);
  if (st == DV_OK && walk(w, root, 0, 1.0) < 0)
    st = err->code != DV_OK ? err->code : DV_ERUN;
  free(w);
  return st;
}

dv_status paths_leaves(graph *g, int cohorts, const responses_law *law, double *sel, double *going,
                       dv_error *err) {
  int *depth = NULL;
  dv_status st = build(g, cohorts, &depth, NULL, err);
  if (st != DV_OK)
    return st;
  size_t size = graph_size(g);
  int per = graph_outcomes(g), k = graph_setup(g)->n_doses;
  double *prob = calloc(size, sizeof *prob);
  if (prob == NULL) {
    free(depth);
    return error_set(err, DV_ENOMEM, "paths: out of memory");
  }
  memset(sel, 0, (size_t)(k + 1) * sizeof *sel);
  *going = 0.0;
  prob[0] = 1.0;
  for (size_t id = 0; id < size && st == DV_OK; id++) {
    design_action a = graph_action(g, (int32_t)id);
    if (prob[id] == 0.0)
      continue;
    if (a.stop) {
      sel[a.dose] += prob[id];
      continue;
    }
    if (depth[id] >= cohorts) {
      *going += prob[id];
      continue;
    }
    for (int o = 0; o < per; o++) {
      int32_t child = 0;
      st = graph_child(g, (int32_t)id, o, &child, err);
      if (st != DV_OK)
        break;
      prob[child] += prob[id] * law->pmf[a.dose - 1][o];
    }
  }
  free(prob);
  free(depth);
  return st;
}

double paths_pending_dlt(const clock_law *law, int dose, double followup) {
  double p = law->p[dose - 1], f = clock_dlt_by(law, dose, followup);
  double q = (p - f) / (1.0 - f);
  return q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q; /* rounding only */
}

void paths_pending_pmf(const double *q, int m, double *pmf) {
  pmf[0] = 1.0;
  for (int i = 0; i < m; i++) { /* after patient i: pmf over 0..i+1 DLTs */
    pmf[i + 1] = pmf[i] * q[i];
    for (int j = i; j > 0; j--)
      pmf[j] = pmf[j] * (1.0 - q[i]) + pmf[j - 1] * q[i];
    pmf[0] *= 1.0 - q[i];
  }
}
