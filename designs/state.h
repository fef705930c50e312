/* state.h — the one owner of a trial state's layout: the state a design decides on
 * (design_state), the cohort that changes it, and its packed form, the decision graph's key.
 * Packing, keys, children, a live trial's replay and the walk all derive from these few lines,
 * so a field added here (a pending patient, a response count) reaches every one of them. */
#ifndef DOSEVAL_STATE_H
#define DOSEVAL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Documented limits: at most 16 doses, 255 patients in a trial, cohorts of at most 8. */
#define DESIGN_MAX_DOSES 16
#define DESIGN_MAX_N 255
#define DESIGN_MAX_COHORT 8

/* A trial's state between cohorts. Doses are 1-based in the API; arrays are indexed d-1.
 * Everything a design may decide on is here, so equal states get equal decisions. */
typedef struct {
  uint8_t n[DESIGN_MAX_DOSES]; /* patients treated at dose d (index d-1) */
  uint8_t y[DESIGN_MAX_DOSES]; /* DLTs seen at dose d */
  uint8_t cur;                 /* dose of the last cohort (1..K); 0 before the first cohort */
  uint8_t last_y;              /* DLTs in the last cohort; kept 0 unless the design uses it */
  uint8_t last_n;              /* patients in the last cohort (a live trial's may be any size);
                                  kept 0 unless the design uses the last cohort */
  uint8_t e[DESIGN_MAX_DOSES]; /* responses seen at dose d (SPEC 13); kept 0 unless the design
                                  reads responses (design_type.reads_responses) */
} design_state;

/* The packed state of K doses: n[K], y[K], then e[K] for a design that reads responses (SPEC
 * 13), then cur, last_y, last_n, one byte each. Its first state_counts_bytes bytes are the counts
 * alone (the key of a design's fit). A design that does not read responses keeps the 2K + 3 bytes
 * it always had, so its graph is unchanged; one that does pays K bytes more a node. */
static inline int state_count_fields(bool responses) { return responses ? 3 : 2; }
static inline size_t state_counts_bytes_r(int k, bool responses) {
  return (size_t)(state_count_fields(responses) * k);
}
static inline size_t state_bytes_r(int k, bool responses) {
  return state_counts_bytes_r(k, responses) + 3;
}
static inline size_t state_bytes(int k) { return state_bytes_r(k, false); }
static inline size_t state_counts_bytes(int k) { return state_counts_bytes_r(k, false); }

/* A cohort of n patients at dose d with y DLTs. `last_cohort`: the design reads the last
 * cohort, so the state keeps it; otherwise states that differ only there merge. */
static inline void state_add_cohort(design_state *s, int d, int n, int y, bool last_cohort) {
  s->n[d - 1] = (uint8_t)(s->n[d - 1] + n);
  s->y[d - 1] = (uint8_t)(s->y[d - 1] + y);
  s->cur = (uint8_t)d;
  s->last_y = last_cohort ? (uint8_t)y : 0;
  s->last_n = last_cohort ? (uint8_t)n : 0;
}

/* The same cohort's r responses at dose d (a design that reads responses). */
static inline void state_add_responses(design_state *s, int d, int r) {
  s->e[d - 1] = (uint8_t)(s->e[d - 1] + r);
}

/* The same cohort (with r responses when `responses`) applied to a packed state of k doses, in
 * place. */
static inline void state_packed_add_cohort(uint8_t *p, int k, bool responses, int d, int n, int y,
                                           int r, bool last_cohort) {
  int tail = state_count_fields(responses) * k;
  p[d - 1] = (uint8_t)(p[d - 1] + n);
  p[k + d - 1] = (uint8_t)(p[k + d - 1] + y);
  if (responses)
    p[2 * k + d - 1] = (uint8_t)(p[2 * k + d - 1] + r);
  p[tail] = (uint8_t)d;
  p[tail + 1] = last_cohort ? (uint8_t)y : 0;
  p[tail + 2] = last_cohort ? (uint8_t)n : 0;
}

/* The packed state's fields after the counts. */
static inline void state_pack_tail(const design_state *s, uint8_t *p, int k, bool responses) {
  int tail = state_count_fields(responses) * k;
  p[tail] = s->cur;
  p[tail + 1] = s->last_y;
  p[tail + 2] = s->last_n;
}

static inline void state_unpack_tail(const uint8_t *p, int k, bool responses, design_state *s) {
  int tail = state_count_fields(responses) * k;
  s->cur = p[tail];
  s->last_y = p[tail + 1];
  s->last_n = p[tail + 2];
}

#endif
