/* oc.c — counters, their layout, and metrics with MCSE (SPEC section 8). Counters are integers
 * and are summed exactly across ranks; floating point appears only in oc_summarise_*. */
#include "oc.h"

#include "hash.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Time counters: a wide sum is OC_LIMBS counters of 24-bit limbs; a design's time block opens
 * with four of them (duration, its square, turned away, its square), then its histogram. */
#define OC_LIMBS 3
#define OC_LIMB_BITS 24
_Static_assert(OC_LIMB_BITS == OC_MAX_PER_TRIAL_TIMED_BITS,
               "a limb gains below 2^OC_LIMB_BITS a trial: the timed counter bound (oc.h)");
#define OC_TIME_DESIGN_WORDS (4 * OC_LIMBS)
#define OC_TIME_MAX_HIST 4096

/* Offsets inside one design block; M = the design's max_n, K = doses. */
enum {
  B_SEL,
  B_NHIST,
  B_YHIST,
  B_NDOSE,
  B_NDOSE2,
  B_YDOSE,
  B_YDOSE2,
  B_AT,
  B_AT2,
  B_OV,
  B_OV2,
  B_OD,
  B_REASON
};
/* Each group's name and length in units of K (doses), M (max_n + 1), R (the design's reasons to
 * stop) and a constant: the one description both the offsets and the counter files' layout text
 * come from. */
static const struct {
  const char *name;
  int k, m, r, c;
} groups[] = {
    {"sel", 1, 0, 0, 1},        {"n_hist", 0, 1, 0, 0},      {"y_hist", 0, 1, 0, 0},
    {"n_dose", 1, 0, 0, 0},     {"n_dose_sq", 1, 0, 0, 0},   {"y_dose", 1, 0, 0, 0},
    {"y_dose_sq", 1, 0, 0, 0},  {"at_mtd", 0, 1, 0, 0},      {"at_mtd_sq", 0, 1, 0, 0},
    {"over_mtd", 0, 1, 0, 0},   {"over_mtd_sq", 0, 1, 0, 0}, {"overdose60_80", 0, 0, 0, 2},
    {"stop_reason", 0, 0, 1, 0}};
_Static_assert(sizeof groups / sizeof groups[0] == B_REASON + 1, "one entry per counter group");

static size_t group_size(int k, int m, int r, int part) {
  return (size_t)groups[part].k * (size_t)k + (size_t)groups[part].m * ((size_t)m + 1) +
         (size_t)groups[part].r * (size_t)r + (size_t)groups[part].c;
}
static size_t block_part(int k, int m, int r, int part) {
  size_t off = 0;
  for (int i = 0; i < part; i++)
    off += group_size(k, m, r, i);
  return off;
}
static size_t block_size(int k, int m, int r) { return block_part(k, m, r, B_REASON + 1); }

dv_status oc_layout_init(oc_layout *l, const config *cfg, dv_error *err) {
  memset(l, 0, sizeof *l);
  if (cfg->n_designs > CONFIG_MAX_DESIGNS)
    return error_set(err, DV_ECONFIG, "%s: designs: %d; allowed: at most %d", cfg->path,
                     cfg->n_designs, CONFIG_MAX_DESIGNS);
  l->k = cfg->n_doses;
  l->n_designs = cfg->n_designs;
  l->n_scenarios = cfg->n_scenarios;
  l->bench_n = cfg->max_n;
  size_t D = (size_t)l->n_designs;
  size_t off = 1 + (size_t)(l->k + 1) + D * D + OC_PAIRED_TERMS * (D * (D - 1) / 2);
  for (int j = 0; j < l->n_designs; j++) {
    /* the most patients a trial has: max_n, and a design's side patients on top (SPEC 13) */
    l->max_n[j] = cfg->designs[j].setup.max_n +
                  design_side_most(cfg->designs[j].type, cfg->designs[j].params);
    l->cohort[j] = cfg->designs[j].setup.cohort_size;
    l->n_reasons[j] = cfg->designs[j].policy.n_reasons;
    l->design_off[j] = off;
    for (int part = B_SEL; part <= B_REASON; part++)
      l->part_off[j][part] = block_part(l->k, l->max_n[j], l->n_reasons[j], part);
    off += block_size(l->k, l->max_n[j], l->n_reasons[j]);
  }
  if (cfg->time.on) {
    /* a histogram of whole days up to about twice the longest trial to expect: every cohort
     * filled at c + 1 mean intervals and followed for a whole window (README, "Time") */
    l->timed = true;
    const study_time *t = &cfg->time;
    for (int j = 0; j < l->n_designs; j++) {
      double cohorts = l->max_n[j] / l->cohort[j];
      double days = ceil(2.0 * cohorts * (t->window + (l->cohort[j] + 1) * t->mean_interval));
      l->hist_n[j] = days < 1 ? 1 : days > OC_TIME_MAX_HIST ? OC_TIME_MAX_HIST : (int)days;
      l->time_off[j] = off;
      off += OC_TIME_DESIGN_WORDS + (size_t)l->hist_n[j] + 1;
    }
    l->time_pair_off = off;
    off += OC_LIMBS * (D * (D - 1) / 2);
  }
  for (int j = 0; j < l->n_designs; j++)
    if (cfg->designs[j].type->reads_responses) {
      l->responses = true;
      l->resp_off[j] = off;
      off += 2 * (size_t)l->k;
    }
  for (int j = 0; j < l->n_designs; j++)
    if (design_side_most(cfg->designs[j].type, cfg->designs[j].params) > 0) {
      l->sides = true;
      l->side_off[j] = off;
      off += 2 * (size_t)l->k;
    }
  l->scenario_size = off;
  l->total = off * (size_t)l->n_scenarios;
  return DV_OK;
}

static size_t trials_index(const oc_layout *l, int s) { return (size_t)s * l->scenario_size; }
static size_t bench_index(const oc_layout *l, int s, int dose) {
  return (size_t)s * l->scenario_size + 1 + (size_t)dose;
}
/* a right, b wrong */
static size_t pair_index(const oc_layout *l, int s, int a, int b) {
  return (size_t)s * l->scenario_size + 1 + (size_t)(l->k + 1) + (size_t)(a * l->n_designs + b);
}
/* The paired terms of designs a < b: [disagree, sum (n_a - n_b)^2, sum (y_a - y_b)^2,
 * sum floor(2^23 (q_a - q_b)^2)], q the share of a trial's patients above the true MTD. */
static size_t paired_index(const oc_layout *l, int s, int a, int b) {
  size_t D = (size_t)l->n_designs;
  size_t p = (size_t)(oc_pair_column(l->n_designs, a, b) - l->n_designs - 1);
  return (size_t)s * l->scenario_size + 1 + (size_t)(l->k + 1) + D * D + OC_PAIRED_TERMS * p;
}

size_t oc_layout_describe(const oc_layout *l, char *buf, size_t len) {
  size_t used = 0;
#define PUT(...)                                                                                   \
  do {                                                                                             \
    int n_ = snprintf(buf + used, used < len ? len - used : 0, __VA_ARGS__);                       \
    used += n_ > 0 ? (size_t)n_ : 0;                                                               \
  } while (0)
  PUT("K=%d scenarios=%d designs=%d; per scenario: trials 1, bench_sel K+1, pairs %dx%d", l->k,
      l->n_scenarios, l->n_designs, l->n_designs, l->n_designs);
  PUT("; per design (M = max_n + 1, R = reasons to stop):");
  for (int i = 0; i <= B_REASON; i++) {
    const char *sep = "";
    PUT(" %s ", groups[i].name);
    if (groups[i].k) {
      PUT("K");
      sep = "+";
    }
    if (groups[i].m) {
      PUT("%sM", sep);
      sep = "+";
    }
    if (groups[i].r) {
      PUT("%sR", sep);
      sep = "+";
    }
    if (groups[i].c)
      PUT("%s%d", sep, groups[i].c);
  }
  PUT("; max_n/cohort/R:");
  for (int j = 0; j < l->n_designs; j++)
    PUT(" %d/%d/%d", l->max_n[j], l->cohort[j], l->n_reasons[j]);
  if (l->timed) {
    PUT("; time per design: duration %d, duration_sq %d, away %d, away_sq %d (24-bit limbs), "
        "days H+1; per pair duration_diff_sq %d; H:",
        OC_LIMBS, OC_LIMBS, OC_LIMBS, OC_LIMBS, OC_LIMBS);
    for (int j = 0; j < l->n_designs; j++)
      PUT(" %d", l->hist_n[j]);
  }
  if (l->responses) {
    PUT("; responses per design that reads them: e_dose K, e_dose_sq K at");
    for (int j = 0; j < l->n_designs; j++)
      if (l->resp_off[j] > 0)
        PUT(" %d", j);
  }
  if (l->sides) {
    PUT("; side patients per design that places them: n_side_dose K, n_side_dose_sq K at");
    for (int j = 0; j < l->n_designs; j++)
      if (l->side_off[j] > 0)
        PUT(" %d", j);
  }
  PUT("; total %zu", l->total);
#undef PUT
  return used < len ? used : (len ? len - 1 : 0);
}

uint64_t oc_layout_hash(const oc_layout *l) {
  char text[4096];
  size_t n = oc_layout_describe(l, text, sizeof text);
  return hash_fnv1a64(text, n);
}

/* The terms a finished trial adds: index (within the design block) and amount. Terms of
 * amount 0 are left out: adding 0 changes no counter and no weight (weights are sums of
 * non-negative products, so never -0), and at many doses many are 0 (doses a trial never
 * reached, DLTs it never saw). */
static int trial_terms(const oc_layout *l, int j, int true_mtd, const design_state *f,
                       const oc_outcome *o, size_t *idx, uint64_t *val) {
  int k = l->k, t = 0, mtd = o->mtd;
  int n_total = o->n, y_total = o->y, over = o->over;
  int at = true_mtd > 0 ? f->n[true_mtd - 1] : 0; /* no true MTD: none at it, all above */
#define TERM(part, i, v)                                                                           \
  do {                                                                                             \
    uint64_t v_ = (uint64_t)(v);                                                                   \
    idx[t] = l->part_off[j][part] + (size_t)(i);                                                   \
    val[t] = v_;                                                                                   \
    t += v_ != 0;                                                                                  \
  } while (0)
  TERM(B_SEL, mtd, 1);
  TERM(B_NHIST, n_total, 1);
  TERM(B_YHIST, y_total, 1);
  for (int d = 0; d < k; d++) {
    if (f->n[d] == 0) /* then y[d] = 0 too */
      continue;
    TERM(B_NDOSE, d, f->n[d]);
    TERM(B_NDOSE2, d, f->n[d] * f->n[d]);
    TERM(B_YDOSE, d, f->y[d]);
    TERM(B_YDOSE2, d, f->y[d] * f->y[d]);
  }
  TERM(B_AT, n_total, at);
  TERM(B_AT2, n_total, at * at);
  TERM(B_OV, n_total, over);
  TERM(B_OV2, n_total, over * over);
  /* more than 60% / 80% of patients above the true MTD, in integers: 5*over > 3*N (4*N) */
  TERM(B_OD, 0, 5 * over > 3 * n_total);
  TERM(B_OD, 1, 5 * over > 4 * n_total);
  TERM(B_REASON, o->reason, 1);
  if (l->resp_off[j] > 0) { /* after the design blocks: relative to this one, still positive */
    size_t rel = l->resp_off[j] - l->design_off[j];
    for (int d = 0; d < k; d++) {
      if (f->e[d] == 0)
        continue;
      idx[t] = rel + (size_t)d;
      val[t++] = f->e[d];
      idx[t] = rel + (size_t)(k + d);
      val[t++] = (uint64_t)f->e[d] * f->e[d];
    }
  }
#undef TERM
  return t;
}

#define MAX_TERMS (6 * DESIGN_MAX_DOSES + 16)

void oc_count(const oc_layout *l, uint64_t *counts, int s, int j, int true_mtd,
              const design_state *final, const oc_outcome *o) {
  oc_count_times(l, counts, s, j, true_mtd, final, o, 1);
}

void oc_count_times(const oc_layout *l, uint64_t *counts, int s, int j, int true_mtd,
                    const design_state *final, const oc_outcome *o, uint64_t times) {
  size_t idx[MAX_TERMS];
  uint64_t val[MAX_TERMS];
  int n = trial_terms(l, j, true_mtd, final, o, idx, val);
  uint64_t *block = counts + (size_t)s * l->scenario_size + l->design_off[j];
  /* times * v is the sum of `times` additions of v, wrap-around included: the same integers */
  for (int i = 0; i < n; i++)
    block[idx[i]] += times * val[i];
}

void oc_weigh(const oc_layout *l, double *w, int s, int j, int true_mtd, const design_state *final,
              int mtd, int reason, double prob) {
  size_t idx[MAX_TERMS];
  uint64_t val[MAX_TERMS];
  oc_outcome o;
  oc_outcome_of(final, l->k, true_mtd, mtd, reason, &o);
  int n = trial_terms(l, j, true_mtd, final, &o, idx, val);
  double *block = w + (size_t)s * l->scenario_size + l->design_off[j];
  for (int i = 0; i < n; i++)
    block[idx[i]] += prob * (double)val[i];
}

void oc_outcome_of(const design_state *f, int k, int true_mtd, int mtd, int reason, oc_outcome *o) {
  *o = (oc_outcome){.mtd = mtd, .reason = reason};
  for (int d = 1; d <= k; d++) {
    o->n += f->n[d - 1];
    o->y += f->y[d - 1];
    if (d > true_mtd)
      o->over += f->n[d - 1];
  }
}

/* floor(2^23 (over_a/n_a - over_b/n_b)^2) in integers (an empty trial's share is 0): at most
 * 2^23 a trial, so 2^40 trials stay inside 64 bits. */
static uint64_t share_diff_sq(const oc_outcome *a, const oc_outcome *b) {
  int64_t na = a->n > 0 ? a->n : 1, nb = b->n > 0 ? b->n : 1;
  int64_t num = (int64_t)(a->n > 0 ? a->over : 0) * nb - (int64_t)(b->n > 0 ? b->over : 0) * na;
  uint64_t den = (uint64_t)(na * nb);
  _Static_assert(OC_MAX_PER_TRIAL == (uint64_t)1 << 23, "the scale below is OC_MAX_PER_TRIAL");
  return ((uint64_t)(num * num) << 23) / (den * den);
}

void oc_count_shared(const oc_layout *l, uint64_t *counts, int s, int bench_pick, int true_mtd,
                     const oc_outcome *o) {
  oc_count_bench(l, counts, s, bench_pick, 1);
  uint64_t right = 0;
  for (int a = 0; a < l->n_designs; a++)
    right |= (uint64_t)(o[a].mtd == true_mtd) << a;
  oc_count_right(l, counts, s, right, 1);
  const oc_outcome *each[CONFIG_MAX_DESIGNS];
  for (int a = 0; a < l->n_designs; a++)
    each[a] = &o[a];
  oc_count_paired(l, counts, s, each);
}

void oc_count_bench(const oc_layout *l, uint64_t *counts, int s, int bench_pick, uint64_t times) {
  counts[bench_index(l, s, bench_pick)] += times;
}

_Static_assert(CONFIG_MAX_DESIGNS <= 64, "the designs that picked the true MTD fit a uint64_t");
void oc_count_right(const oc_layout *l, uint64_t *counts, int s, uint64_t right, uint64_t times) {
  /* local copies: a store to a counter may alias the layout's size_t fields */
  uint64_t *pairs = counts + pair_index(l, s, 0, 0);
  int n = l->n_designs;
  for (int a = 0; a < n; a++)
    for (int b = 0; b < n; b++)
      if ((right >> a & 1u) && !(right >> b & 1u))
        pairs[a * n + b] += times;
}

void oc_count_paired(const oc_layout *l, uint64_t *counts, int s, const oc_outcome *const *o) {
  int n = l->n_designs;
  if (n < 2)
    return;
  int p = 0;
  for (int a = 0; a < n; a++)
    for (int b = a + 1; b < n; b++, p++)
      oc_count_pair(l, counts, s, p, o[a], o[b], 1);
}

void oc_count_pair(const oc_layout *l, uint64_t *counts, int s, int p, const oc_outcome *oa,
                   const oc_outcome *ob, uint64_t times) {
  uint64_t *paired = counts + paired_index(l, s, 0, 1) + (size_t)p * OC_PAIRED_TERMS;
  int64_t dn = oa->n - ob->n, dy = oa->y - ob->y;
  /* times * v is the sum of `times` additions of v, wrap-around included: the same integers */
  paired[0] += times * (uint64_t)(oa->mtd != ob->mtd);
  paired[1] += times * (uint64_t)(dn * dn);
  paired[2] += times * (uint64_t)(dy * dy);
  paired[3] += times * share_diff_sq(oa, ob);
}

_Static_assert(DESIGN_MAX_DOSES < 256 && DESIGN_MAX_N < 256, "an outcome's fields fit 8 bits");
uint32_t oc_pair_key(const oc_outcome *o) {
  return (uint32_t)o->mtd | (uint32_t)o->n << 8 | (uint32_t)o->y << 16 | (uint32_t)o->over << 24;
}

uint64_t oc_time_units(double days) {
  double u = nearbyint(days * OC_TIME_UNITS_PER_DAY);
  return !(u > 0) ? 0 : u >= (double)OC_TIME_MAX_UNITS ? OC_TIME_MAX_UNITS : (uint64_t)u;
}

/* x (below 2^64) into OC_LIMBS limbs of 24 bits: the last holds x >> 48 (below 2^16) */
static void add_wide(uint64_t *c, uint64_t x) {
  const uint64_t mask = (UINT64_C(1) << OC_LIMB_BITS) - 1;
  c[0] += x & mask;
  c[1] += (x >> OC_LIMB_BITS) & mask;
  c[2] += x >> (2 * OC_LIMB_BITS);
}
/* The sum the limbs hold, normalised (each limb divided by the trials). */
static double wide_value(const double *w) {
  return w[0] + ldexp(w[1], OC_LIMB_BITS) + ldexp(w[2], 2 * OC_LIMB_BITS);
}

void oc_count_time(const oc_layout *l, uint64_t *counts, int s, int j, uint64_t units,
                   uint64_t away) {
  uint64_t *t = counts + (size_t)s * l->scenario_size + l->time_off[j];
  units = units > OC_TIME_MAX_UNITS ? OC_TIME_MAX_UNITS : units;
  away = away > OC_TIME_MAX_UNITS ? OC_TIME_MAX_UNITS : away;
  add_wide(t, units);
  add_wide(t + OC_LIMBS, units * units); /* below 2^64: units below 2^32 */
  add_wide(t + 2 * OC_LIMBS, away);
  add_wide(t + 3 * OC_LIMBS, away * away);
  uint64_t day = units / OC_TIME_UNITS_PER_DAY, h = (uint64_t)l->hist_n[j];
  t[OC_TIME_DESIGN_WORDS + (day < h ? day : h)]++;
}

void oc_count_time_pair(const oc_layout *l, uint64_t *counts, int s, int p, uint64_t units_a,
                        uint64_t units_b) {
  uint64_t *t = counts + (size_t)s * l->scenario_size + l->time_pair_off + (size_t)p * OC_LIMBS;
  units_a = units_a > OC_TIME_MAX_UNITS ? OC_TIME_MAX_UNITS : units_a;
  units_b = units_b > OC_TIME_MAX_UNITS ? OC_TIME_MAX_UNITS : units_b;
  uint64_t d = units_a > units_b ? units_a - units_b : units_b - units_a;
  add_wide(t, d * d);
}

void oc_count_side(const oc_layout *l, uint64_t *counts, int s, int j, const uint8_t *side) {
  uint64_t *c = counts + (size_t)s * l->scenario_size + l->side_off[j];
  for (int d = 0; d < l->k; d++) {
    c[d] += side[d];
    c[l->k + d] += (uint64_t)side[d] * side[d];
  }
}

void oc_count_trials(const oc_layout *l, uint64_t *counts, int s, uint64_t n) {
  counts[trials_index(l, s)] += n;
}

void oc_weigh_shared(const oc_layout *l, double *w, int s, const double *bench_sel) {
  for (int d = 0; d <= l->k; d++)
    w[bench_index(l, s, d)] = bench_sel[d];
  w[trials_index(l, s)] = 1.0;
}

void oc_weigh_pair(const oc_layout *l, double *w, int s, int a, int b, double a_right_b_not,
                   double b_right_a_not, double disagree) {
  w[pair_index(l, s, a, b)] = a_right_b_not;
  w[pair_index(l, s, b, a)] = b_right_a_not;
  w[paired_index(l, s, a, b)] = disagree;
}

void oc_add(const oc_layout *l, uint64_t *dst, const uint64_t *src) {
  for (size_t i = 0; i < l->total; i++)
    dst[i] += src[i];
}

/* ---- the catalogue and the rows ---- */

/* One row a metric: key, label, decimals, axis, subject, probability, across, then by name
 * which way is better and what is not zero (full_only, difference, short_label). Labels follow SPEC
 * section 8's words: `pcs` is the probability of correct selection (stopping is the correct
 * selection where there is no true MTD, so "P(select the true MTD)" would say less than it counts).
 * Which way is better is said of a design's own value; a pair's difference has no best. */
const oc_metric_info oc_catalogue[OC_N_METRICS] = {
    [OC_SEL] = {"sel", "P(select)", 3, OC_AXIS_SEL, OC_OF_DESIGN, true, false,
                .better = OC_BETTER_NEITHER},
    [OC_PCS] = {"pcs", "P(correct selection)", 3, OC_AXIS_NONE, OC_OF_DESIGN, true, true,
                .better = OC_BETTER_HIGHER},
    [OC_PAS] = {"pas", "P(acceptable dose)", 3, OC_AXIS_NONE, OC_OF_DESIGN, true, true,
                .better = OC_BETTER_HIGHER},
    [OC_ACCURACY] = {"accuracy", "accuracy index", 3, OC_AXIS_NONE, OC_OF_DESIGN, false, true,
                     .better = OC_BETTER_HIGHER},
    [OC_N_MEAN] = {"n_mean", "patients, mean", 2, OC_AXIS_NONE, OC_OF_DESIGN, false, true,
                   .better = OC_BETTER_NEITHER},
    [OC_N_SD] = {"n_sd", "patients, sd", 2, OC_AXIS_NONE, OC_OF_DESIGN, false, false,
                 .better = OC_BETTER_NEITHER},
    [OC_N_DIST] = {"n_dist", "P(N = n)", 3, OC_AXIS_N, OC_OF_DESIGN, true, false,
                   .better = OC_BETTER_NEITHER, .full_only = true},
    [OC_N_DOSE] = {"n_dose", "patients at dose", 2, OC_AXIS_DOSE, OC_OF_DESIGN, false, false,
                   .better = OC_BETTER_NEITHER},
    [OC_DLT_DOSE] = {"dlt_dose", "DLTs at dose", 2, OC_AXIS_DOSE, OC_OF_DESIGN, false, false,
                     .better = OC_BETTER_NEITHER, .full_only = true},
    [OC_DLT_MEAN] = {"dlt_mean", "DLTs, mean", 2, OC_AXIS_NONE, OC_OF_DESIGN, false, false,
                     .better = OC_BETTER_NEITHER},
    [OC_PCT_AT_MTD] = {"pct_at_mtd", "% of patients treated at the true MTD", 1, OC_AXIS_NONE,
                       OC_OF_DESIGN, false, true, .better = OC_BETTER_HIGHER,
                       .short_label = "% patients at the true MTD"},
    [OC_PCT_OVERDOSED] = {"pct_overdosed", "% of patients treated above the true MTD", 1,
                          OC_AXIS_NONE, OC_OF_DESIGN, false, true, .better = OC_BETTER_LOWER,
                          .short_label = "% patients above the true MTD"},
    [OC_P_STOP] = {"p_stop", "P(stop with no MTD)", 3, OC_AXIS_NONE, OC_OF_DESIGN, true, true,
                   .better = OC_BETTER_LOWER_UNLESS_NO_MTD},
    [OC_OVERDOSE60] = {"overdose60", "P(>60% of patients above the true MTD)", 3, OC_AXIS_NONE,
                       OC_OF_DESIGN, true, true, .better = OC_BETTER_LOWER,
                       .short_label = "P(>60% above the true MTD)"},
    [OC_OVERDOSE80] = {"overdose80", "P(>80% of patients above the true MTD)", 3, OC_AXIS_NONE,
                       OC_OF_DESIGN, true, false, .better = OC_BETTER_LOWER, .full_only = true,
                       .short_label = "P(>80% above the true MTD)"},
    [OC_STOP_REASON] = {"stop_reason", "P(stopped by)", 3, OC_AXIS_REASON, OC_OF_DESIGN, true,
                        false, .better = OC_BETTER_NEITHER, .full_only = true},
    [OC_BENCH_SEL] = {"bench_sel", "P(select), benchmark", 3, OC_AXIS_DOSE, OC_OF_BENCHMARK, true,
                      false, .better = OC_BETTER_NEITHER},
    [OC_PCS_DIFF] = {"pcs_diff", "P(correct selection), difference", 3, OC_AXIS_NONE, OC_OF_PAIR,
                     true, true, .better = OC_BETTER_NEITHER, .difference = true,
                     .short_label = "P(correct selection), diff."},
    [OC_P_DISAGREE] = {"p_disagree", "P(different selections)", 3, OC_AXIS_NONE, OC_OF_PAIR, true,
                       false, .better = OC_BETTER_NEITHER},
    [OC_N_MEAN_DIFF] = {"n_mean_diff", "patients, mean difference", 2, OC_AXIS_NONE, OC_OF_PAIR,
                        false, false, .better = OC_BETTER_NEITHER, .difference = true},
    [OC_DLT_MEAN_DIFF] = {"dlt_mean_diff", "DLTs, mean difference", 2, OC_AXIS_NONE, OC_OF_PAIR,
                          false, false, .better = OC_BETTER_NEITHER, .difference = true},
    [OC_PCT_OVERDOSED_DIFF] = {"pct_overdosed_diff", "% of patients above the true MTD, difference",
                               1, OC_AXIS_NONE, OC_OF_PAIR, false, false,
                               .better = OC_BETTER_NEITHER, .difference = true,
                               .short_label = "% above the true MTD, diff."},
    [OC_DURATION_MEAN] = {"duration_mean", "duration, mean (days)", 1, OC_AXIS_NONE, OC_OF_DESIGN,
                          false, false, .better = OC_BETTER_LOWER},
    [OC_DURATION_SD] = {"duration_sd", "duration, sd (days)", 1, OC_AXIS_NONE, OC_OF_DESIGN, false,
                        false, .better = OC_BETTER_NEITHER},
    [OC_DURATION_Q] = {"duration_q", "duration, quantile (whole days)", 0, OC_AXIS_QUANTILE,
                       OC_OF_DESIGN, false, false, .better = OC_BETTER_NEITHER,
                       .short_label = "duration, quantile"},
    [OC_TURNED_AWAY_MEAN] = {"turned_away_mean", "arrivals turned away, mean", 2, OC_AXIS_NONE,
                             OC_OF_DESIGN, false, false, .better = OC_BETTER_LOWER,
                             .short_label = "turned away, mean"},
    [OC_DURATION_MEAN_DIFF] = {"duration_mean_diff", "duration, mean difference (days)", 1,
                               OC_AXIS_NONE, OC_OF_PAIR, false, false, .better = OC_BETTER_NEITHER,
                               .difference = true, .short_label = "duration, mean diff."},
    [OC_EFF_DOSE] = {"eff_dose", "responses at dose, mean", 2, OC_AXIS_DOSE, OC_OF_DESIGN, false,
                     false, .better = OC_BETTER_NEITHER},
    [OC_UTILITY] = {"utility", "true utility of the selected dose, mean", 1, OC_AXIS_NONE,
                    OC_OF_DESIGN, false, false, .better = OC_BETTER_HIGHER,
                    .short_label = "utility of the selection"},
    [OC_N_BACKFILL_DOSE] = {"n_backfill_dose", "backfilled at dose", 2, OC_AXIS_DOSE, OC_OF_DESIGN,
                            false, false, .better = OC_BETTER_NEITHER},
};

int oc_design_truth(const config_design *d, const config_scenario *sc, int k) {
  return d->type->true_dose != NULL ? d->type->true_dose(d->params, sc->p_tox, sc->p_eff, k)
                                    : sc->true_mtd;
}

const int oc_quantiles[OC_N_QUANTILES] = {10, 50, 90};

const char *oc_short_label(oc_metric m) {
  const oc_metric_info *mi = &oc_catalogue[m];
  return mi->short_label != NULL ? mi->short_label : mi->label;
}

int oc_better_sign(oc_metric m, bool no_true_mtd) {
  switch (oc_catalogue[m].better) {
  case OC_BETTER_HIGHER:
    return 1;
  case OC_BETTER_LOWER:
    return -1;
  case OC_BETTER_LOWER_UNLESS_NO_MTD:
    return no_true_mtd ? 1 : -1;
  case OC_BETTER_NEITHER:
    break;
  }
  return 0;
}

int oc_metric_find(const char *key) {
  for (int m = 0; m < OC_N_METRICS; m++)
    if (strcmp(oc_catalogue[m].key, key) == 0)
      return m;
  return -1;
}

int oc_pair_column(int n_designs, int a, int b) {
  /* pairs (0,1) .. (0,D-1), (1,2) .. : those before row a, then b's place in row a */
  int before = a * n_designs - a * (a + 1) / 2;
  return n_designs + 1 + before + (b - a - 1);
}

void oc_rows_free(oc_rows *r) {
  if (r->labels)
    for (int c = 0; c < r->n_columns; c++)
      free(r->labels[c]);
  free(r->labels);
  free(r->reasons);
  free(r->n_reasons);
  free(r->pair_a);
  free(r->pair_b);
  free(r->first);
  free(r->rows);
  free(r->scenarios);
  free(r->curves);
  free(r->curves_no_mtd);
  memset(r, 0, sizeof *r);
}

void oc_rows_clear(oc_rows *r) {
  r->n = 0;
  r->n_scenarios = 0;
}

dv_status oc_rows_init(oc_rows *r, const config *cfg, dv_error *err) {
  memset(r, 0, sizeof *r);
  int D = cfg->n_designs;
  r->n_designs = D;
  r->n_columns = D + 1 + D * (D - 1) / 2;
  r->labels = calloc((size_t)r->n_columns, sizeof *r->labels);
  r->reasons = calloc((size_t)r->n_columns, sizeof *r->reasons);
  r->n_reasons = calloc((size_t)r->n_columns, sizeof *r->n_reasons);
  r->pair_a = malloc((size_t)r->n_columns * sizeof *r->pair_a);
  r->pair_b = malloc((size_t)r->n_columns * sizeof *r->pair_b);
  if (r->labels == NULL || r->pair_a == NULL || r->pair_b == NULL || r->reasons == NULL ||
      r->n_reasons == NULL)
    return error_set(err, DV_ENOMEM, "oc: out of memory");
  for (int j = 0; j < D; j++) {
    r->reasons[j] = cfg->designs[j].policy.reasons;
    r->n_reasons[j] = cfg->designs[j].policy.n_reasons;
  }
  for (int c = 0; c < r->n_columns; c++)
    r->pair_a[c] = r->pair_b[c] = -1;
  for (int j = 0; j < D; j++)
    r->labels[j] = strdup(cfg->designs[j].name);
  r->labels[D] = strdup("benchmark");
  for (int a = 0; a < D; a++)
    for (int b = a + 1; b < D; b++) {
      int c = oc_pair_column(D, a, b);
      size_t len = strlen(cfg->designs[a].name) + strlen(cfg->designs[b].name) + 5;
      if ((r->labels[c] = malloc(len)) != NULL)
        snprintf(r->labels[c], len, "%s vs %s", cfg->designs[a].name, cfg->designs[b].name);
      r->pair_a[c] = a;
      r->pair_b[c] = b;
    }
  for (int c = 0; c < r->n_columns; c++)
    if (r->labels[c] == NULL)
      return error_set(err, DV_ENOMEM, "oc: out of memory");
  return DV_OK;
}

static size_t cell(const oc_rows *r, int s, int column, oc_metric m) {
  return ((size_t)s * (size_t)r->n_columns + (size_t)column) * OC_N_METRICS + (size_t)m;
}

/* A new scenario (its rows follow): its description and an empty index. curves: 0 for a curve,
 * N for the means over N random curves, no_mtd of which have no true MTD. */
static dv_status rows_begin_scenario(oc_rows *r, const config_scenario *sc, int curves, int no_mtd,
                                     dv_error *err) {
  if (r->n_scenarios == r->cap_scenarios) {
    int cap = r->cap_scenarios ? 2 * r->cap_scenarios : 8;
    size_t cells = (size_t)cap * (size_t)r->n_columns * OC_N_METRICS;
    size_t *first = realloc(r->first, cells * sizeof *first);
    if (first != NULL)
      r->first = first;
    config_scenario *scen = realloc(r->scenarios, (size_t)cap * sizeof *scen);
    if (scen != NULL)
      r->scenarios = scen;
    int *cv = realloc(r->curves, (size_t)cap * sizeof *cv);
    if (cv != NULL)
      r->curves = cv;
    int *nm = realloc(r->curves_no_mtd, (size_t)cap * sizeof *nm);
    if (nm != NULL)
      r->curves_no_mtd = nm;
    if (first == NULL || scen == NULL || cv == NULL || nm == NULL)
      return error_set(err, DV_ENOMEM, "oc: out of memory");
    r->cap_scenarios = cap;
  }
  int s = r->n_scenarios++;
  r->scenarios[s] = *sc;
  r->curves[s] = curves;
  r->curves_no_mtd[s] = no_mtd;
  for (size_t i = cell(r, s, 0, 0); i < cell(r, s + 1, 0, 0); i++)
    r->first[i] = SIZE_MAX;
  return DV_OK;
}

/* Where dose sits among a metric's rows (they are emitted in dose order). */
static long dose_offset(oc_metric m, int dose, int column_cohort) {
  switch (oc_catalogue[m].axis) {
  case OC_AXIS_NONE:
    return dose < 0 ? 0 : -1;
  case OC_AXIS_SEL:
    return dose;
  case OC_AXIS_DOSE:
    return dose - 1;
  case OC_AXIS_N:
    return column_cohort > 0 && dose % column_cohort == 0 ? dose / column_cohort - 1 : -1;
  case OC_AXIS_REASON:
    return dose;
  case OC_AXIS_QUANTILE:
    for (int i = 0; i < OC_N_QUANTILES; i++)
      if (oc_quantiles[i] == dose)
        return i;
    return -1;
  }
  return -1;
}

const char *oc_row_dose_text(const oc_rows *r, const oc_row *row, char *buf, size_t len) {
  if (row->dose < 0)
    snprintf(buf, len, "%s", "");
  else if (oc_catalogue[row->metric].axis == OC_AXIS_REASON)
    snprintf(buf, len, "%s", r->reasons[row->column][row->dose]);
  else
    snprintf(buf, len, "%d", row->dose);
  return buf;
}

int oc_rows_reason(const oc_rows *r, int column, const char *label) {
  if (column < 0 || column >= r->n_designs)
    return -1;
  for (int i = 0; i < r->n_reasons[column]; i++)
    if (strcmp(r->reasons[column][i], label) == 0)
      return i;
  return -1;
}

const oc_row *oc_rows_get(const oc_rows *r, int s, int column, oc_metric m, int dose) {
  if (s < 0 || s >= r->n_scenarios || column < 0 || column >= r->n_columns || m < 0 ||
      m >= OC_N_METRICS)
    return NULL;
  size_t first = r->first[cell(r, s, column, m)];
  if (first == SIZE_MAX)
    return NULL;
  /* n_dist's step is the design's cohort size: the first row's dose */
  long off = dose_offset(m, dose, oc_catalogue[m].axis == OC_AXIS_N ? r->rows[first].dose : 0);
  if (off < 0 || first + (size_t)off >= r->n)
    return NULL;
  const oc_row *row = &r->rows[first + (size_t)off];
  return row->scenario == s && row->column == column && row->metric == m && row->dose == dose
             ? row
             : NULL;
}

int oc_rows_column(const oc_rows *r, const char *label) {
  for (int c = 0; c < r->n_columns; c++)
    if (strcmp(r->labels[c], label) == 0)
      return c;
  return -1;
}

static dv_status emit(oc_rows *out, int s, int column, oc_metric metric, int dose, bool has,
                      double value, double mcse, dv_error *err) {
  if (out->n == out->cap) {
    size_t cap = out->cap ? 2 * out->cap : 256;
    oc_row *r = realloc(out->rows, cap * sizeof *r);
    if (r == NULL)
      return error_set(err, DV_ENOMEM, "oc: out of memory");
    out->rows = r;
    out->cap = cap;
  }
  size_t *first = &out->first[cell(out, s, column, metric)];
  if (*first == SIZE_MAX)
    *first = out->n;
  out->rows[out->n++] = (oc_row){.scenario = s,
                                 .column = column,
                                 .metric = metric,
                                 .dose = dose,
                                 .has_value = has,
                                 .value = has ? value : 0.0,
                                 .mcse = has ? mcse : 0.0};
  return DV_OK;
}

/* Standard errors from per-trial moments; T == 0 means exact (no Monte Carlo error). */
static double se_mean(double m1, double m2, double T) {
  double v = m2 - m1 * m1;
  return T > 0 && v > 0 ? sqrt(v / T) : 0.0;
}
static double se_prop(double q, double T) { return se_mean(q, q, T); }

#define EMIT(metric, dose, has, value, mcse)                                                       \
  do {                                                                                             \
    dv_status st_ = emit(out, s, j, metric, dose, has, value, mcse, err);                          \
    if (st_ != DV_OK)                                                                              \
      return st_;                                                                                  \
  } while (0)

/* One design in one scenario; w is the design block divided by the number of trials. */
/* A design's means, for the paired differences (a paired mean equals the difference of means). */
typedef struct {
  double n, y, over; /* over: share of patients above the true MTD, 0..1 */
  double duration;   /* days (timed studies) */
} design_means;

/* The smallest whole day b whose cumulative count reaches `rank` (of T trials; h the histogram,
 * normalised, H + 1 bins), or -1 past the histogram's last whole day. */
static int hist_rank(const double *h, int H, double T, double rank) {
  double cum = 0;
  for (int b = 0; b < H; b++) {
    cum += h[b];
    if (nearbyint(cum * T) >= rank)
      return b;
  }
  return -1;
}

/* Time's rows of design j (SPEC sections 8, 11): NA from the exact engine (T == 0), which has no
 * clock. */
static dv_status time_metrics(const oc_layout *l, int j, const double *t, double T, int s,
                              design_means *mean, oc_rows *out, dv_error *err) {
  bool mc = T > 0;
  double u = 1.0 / OC_TIME_UNITS_PER_DAY;
  double d1 = wide_value(t) * u, d2 = wide_value(t + OC_LIMBS) * u * u;
  double a1 = wide_value(t + 2 * OC_LIMBS), a2 = wide_value(t + 3 * OC_LIMBS);
  double var = fmax(d2 - d1 * d1, 0), sd = sqrt(var);
  mean->duration = d1;
  EMIT(OC_DURATION_MEAN, -1, mc, d1, se_mean(d1, d2, T));
  /* se(sd) = se(var) / (2 sd) needs the fourth moment, which the counters do not keep; the
   * normal approximation sd / sqrt(2 (T - 1)) stands in for it (README, "Time") */
  EMIT(OC_DURATION_SD, -1, mc, sd, mc && T > 1 ? sd / sqrt(2 * (T - 1)) : 0);
  const double *h = t + OC_TIME_DESIGN_WORDS;
  int H = l->hist_n[j];
  for (int i = 0; i < OC_N_QUANTILES; i++) {
    /* the ceil(q T)-th smallest duration, in whole days; its MCSE half the distance between the
     * order statistics one binomial sd either side (a distribution-free interval) */
    double q = oc_quantiles[i] / 100.0, half = sqrt(T * q * (1 - q));
    int x = mc ? hist_rank(h, H, T, ceil(q * T - 1e-9)) : -1;
    int lo = mc ? hist_rank(h, H, T, fmax(ceil(q * T - half), 1)) : -1;
    int hi = mc ? hist_rank(h, H, T, fmin(ceil(q * T + half), T)) : -1;
    EMIT(OC_DURATION_Q, oc_quantiles[i], x >= 0, x, lo >= 0 && hi >= 0 ? (hi - lo) / 2.0 : 0);
  }
  EMIT(OC_TURNED_AWAY_MEAN, -1, mc, a1, se_mean(a1, a2, T));
  return DV_OK;
}

static dv_status design_metrics(const oc_layout *l, int j, const double *w, double T, int s,
                                const config_scenario *sc, const config_design *cd, double phi,
                                design_means *mean, oc_rows *out, dv_error *err) {
  int k = l->k, m = l->max_n[j], c = l->cohort[j], R = l->n_reasons[j];
  int true_mtd = oc_design_truth(cd, sc, k);
  const double *sel = w + block_part(k, m, R, B_SEL), *p = sc->p_tox;
  for (int d = 0; d <= k; d++)
    EMIT(OC_SEL, d, true, sel[d], se_prop(sel[d], T));
  /* with no true MTD (true_mtd 0) the correct selection is none: sel[0]; a design with its own
   * target (BOIN12's OBD) is right when it selects that */
  EMIT(OC_PCS, -1, true, sel[true_mtd], se_prop(sel[true_mtd], T));
  /* the selections the scenario calls acceptable (scenarios.h) are disjoint events */
  double pas = 0;
  for (int d = 0; d <= k; d++)
    pas += sc->acceptable[d] ? sel[d] : 0;
  EMIT(OC_PAS, -1, true, pas, se_prop(pas, T));
  /* Cheung (2011) accuracy index: 1 - K sum_d |p_d-phi| sel_d / sum_d |p_d-phi|. Per trial it
   * is 1 - K c_m / S with c_m the distance of the selected dose (0 for none). It needs no true
   * MTD, so it stays defined when there is none; there, as everywhere, a trial that stops adds
   * no distance, so the index counts stopping as a perfect answer whether or not it is one. */
  double S = 0, e1 = 0, e2 = 0;
  for (int d = 1; d <= k; d++) {
    double dist = fabs(p[d - 1] - phi);
    S += dist;
    e1 += dist * sel[d];
    e2 += dist * dist * sel[d];
  }
  EMIT(OC_ACCURACY, -1, S > 0, 1.0 - k * e1 / S, S > 0 ? k / S * se_mean(e1, e2, T) : 0);
  const double *nh = w + block_part(k, m, R, B_NHIST);
  double n1 = 0, n2 = 0;
  for (int n = 0; n <= m; n++) {
    n1 += n * nh[n];
    n2 += (double)n * n * nh[n];
  }
  /* two passes: E(N - mean)^2 rather than E N^2 - mean^2, which leaves rounding noise (2e-6 for
   * a sample size that is always 30) where the sd is 0 */
  double var = 0, c4 = 0;
  for (int n = 0; n <= m; n++) {
    var += (n - n1) * (n - n1) * nh[n];
    c4 += pow(n - n1, 4) * nh[n];
  }
  double sd = sqrt(var);
  EMIT(OC_N_MEAN, -1, true, n1, se_mean(n1, n2, T));
  mean->n = n1;
  /* delta method: se(sd) = se(var) / (2 sd), se(var) = sqrt((mu4 - var^2) / T) */
  EMIT(OC_N_SD, -1, true, sd, T > 0 && sd > 0 ? sqrt(fmax(c4 - var * var, 0) / T) / (2 * sd) : 0);
  /* N is a multiple of the cohort size, but for a design that places side patients (SPEC 13):
   * every n from 1 (oc_rows_get reads the step off the first row) */
  int step = l->side_off[j] > 0 ? 1 : c;
  for (int n = step; n <= m; n += step)
    EMIT(OC_N_DIST, n, true, nh[n], se_prop(nh[n], T));
  const double *nd = w + block_part(k, m, R, B_NDOSE), *nd2 = w + block_part(k, m, R, B_NDOSE2);
  for (int d = 1; d <= k; d++)
    EMIT(OC_N_DOSE, d, true, nd[d - 1], se_mean(nd[d - 1], nd2[d - 1], T));
  const double *yd = w + block_part(k, m, R, B_YDOSE), *yd2 = w + block_part(k, m, R, B_YDOSE2);
  for (int d = 1; d <= k; d++)
    EMIT(OC_DLT_DOSE, d, true, yd[d - 1], se_mean(yd[d - 1], yd2[d - 1], T));
  const double *yh = w + block_part(k, m, R, B_YHIST);
  double y1 = 0, y2 = 0;
  for (int y = 0; y <= m; y++) {
    y1 += y * yh[y];
    y2 += (double)y * y * yh[y];
  }
  EMIT(OC_DLT_MEAN, -1, true, y1, se_mean(y1, y2, T));
  mean->y = y1;
  /* shares of a trial's patients at / above the true MTD, in percent: sum over N of a/N */
  const int parts[2][2] = {{B_AT, B_AT2}, {B_OV, B_OV2}};
  const oc_metric metrics[2] = {OC_PCT_AT_MTD, OC_PCT_OVERDOSED};
  for (int i = 0; i < 2; i++) {
    const double *a1 = w + block_part(k, m, R, parts[i][0]),
                 *a2 = w + block_part(k, m, R, parts[i][1]);
    double s1 = 0, s2 = 0;
    for (int n = 1; n <= m; n++) {
      s1 += a1[n] / n;
      s2 += a2[n] / ((double)n * n);
    }
    EMIT(metrics[i], -1, true, 100 * s1, 100 * se_mean(s1, s2, T));
    if (metrics[i] == OC_PCT_OVERDOSED)
      mean->over = s1;
  }
  EMIT(OC_P_STOP, -1, true, sel[0], se_prop(sel[0], T));
  const double *od = w + block_part(k, m, R, B_OD);
  EMIT(OC_OVERDOSE60, -1, true, od[0], se_prop(od[0], T));
  EMIT(OC_OVERDOSE80, -1, true, od[1], se_prop(od[1], T));
  const double *why = w + block_part(k, m, R, B_REASON);
  for (int r = 0; r < R; r++)
    EMIT(OC_STOP_REASON, r, true, why[r], se_prop(why[r], T));
  if (l->resp_off[j] > 0) {
    /* SPEC 8, 13: mean responses per dose, and the mean true utility of the selected dose (a
     * trial that selects none adds 0: it recommends no dose to go on with) */
    const double *e = w - l->design_off[j] + l->resp_off[j];
    for (int d = 1; d <= k; d++)
      EMIT(OC_EFF_DOSE, d, true, e[d - 1], se_mean(e[d - 1], e[k + d - 1], T));
    double u1 = 0, u2 = 0;
    for (int d = 1; d <= k && cd->type->true_utility != NULL; d++) {
      double u = cd->type->true_utility(cd->params, sc->p_tox[d - 1], sc->p_eff[d - 1]);
      u1 += sel[d] * u;
      u2 += sel[d] * u * u;
    }
    EMIT(OC_UTILITY, -1, cd->type->true_utility != NULL, u1, se_mean(u1, u2, T));
  }
  if (l->side_off[j] > 0) { /* SPEC 8, 13: mean side patients per dose */
    const double *b = w - l->design_off[j] + l->side_off[j];
    for (int d = 1; d <= k; d++)
      EMIT(OC_N_BACKFILL_DOSE, d, true, b[d - 1], se_mean(b[d - 1], b[k + d - 1], T));
  }
  return l->timed ? time_metrics(l, j, w - l->design_off[j] + l->time_off[j], T, s, mean, out, err)
                  : DV_OK;
}

/* One scenario's rows from its block w, normalised (counts / trials, or probabilities); T its
 * number of trials (0: exact). */
static dv_status summarise(const oc_layout *l, const double *sw, double T, const config *cfg,
                           const config_scenario *sc, oc_rows *out, dv_error *err) {
  int k = l->k, D = l->n_designs;
  dv_status st = rows_begin_scenario(out, sc, 0, 0, err);
  if (st != DV_OK)
    return st;
  int s = out->n_scenarios - 1;
  const double *w = sw; /* the block is slot 0 of the layout */
  design_means mean[CONFIG_MAX_DESIGNS];
  for (int j = 0; j < D; j++) {
    st = design_metrics(l, j, sw + l->design_off[j], T, s, sc, &cfg->designs[j], cfg->target,
                        &mean[j], out, err);
    if (st != DV_OK)
      return st;
  }
  int j = D; /* the benchmark's column */
  for (int d = 1; d <= k; d++) {
    double b = w[bench_index(l, 0, d)];
    EMIT(OC_BENCH_SEL, d, true, b, se_prop(b, T));
  }
  /* Paired comparisons on the same patients. pcs_diff: P(A right, B wrong) - P(B right, A
   * wrong), whose mean is pcs_A - pcs_B; the mean differences are differences of means. Their
   * MCSE is that of the per-trial difference, sqrt((E d^2 - (E d)^2) / T): smaller than the
   * unpaired sqrt(se_A^2 + se_B^2) by the correlation that common random numbers bring. The
   * exact engine fills the same three terms from each pair's joint chain (oc_weigh_pair). */
  for (int a = 0; a < D; a++)
    for (int b = a + 1; b < D; b++) {
      j = oc_pair_column(D, a, b);
      double ab = w[pair_index(l, 0, a, b)], ba = w[pair_index(l, 0, b, a)];
      const double *q = w + paired_index(l, 0, a, b);
      const design_means *A = &mean[a], *B = &mean[b];
      double diff = ab - ba;
      EMIT(OC_PCS_DIFF, -1, true, diff, se_mean(diff, ab + ba, T));
      EMIT(OC_P_DISAGREE, -1, true, q[0], se_prop(q[0], T));
      EMIT(OC_N_MEAN_DIFF, -1, true, A->n - B->n, se_mean(A->n - B->n, q[1], T));
      EMIT(OC_DLT_MEAN_DIFF, -1, true, A->y - B->y, se_mean(A->y - B->y, q[2], T));
      double dq = A->over - B->over;
      EMIT(OC_PCT_OVERDOSED_DIFF, -1, true, 100 * dq, 100 * se_mean(dq, q[3] / 8388608.0, T));
      if (l->timed) {
        int p = j - D - 1;
        double u = 1.0 / OC_TIME_UNITS_PER_DAY, dd = A->duration - B->duration;
        double d2 = wide_value(w + l->time_pair_off + (size_t)p * OC_LIMBS) * u * u;
        EMIT(OC_DURATION_MEAN_DIFF, -1, T > 0, dd, se_mean(dd, d2, T));
      }
    }
  return DV_OK;
}

dv_status oc_rows_add_counts(const oc_layout *l, const uint64_t *block, const config *cfg,
                             const config_scenario *sc, oc_rows *out, dv_error *err) {
  double *w = malloc(l->scenario_size * sizeof *w);
  if (w == NULL)
    return error_set(err, DV_ENOMEM, "oc: out of memory");
  uint64_t trials = block[trials_index(l, 0)];
  for (size_t i = 0; i < l->scenario_size; i++)
    w[i] = trials ? (double)block[i] / (double)trials : 0.0;
  dv_status st = summarise(l, w, (double)trials, cfg, sc, out, err);
  free(w);
  return st;
}

dv_status oc_rows_add_exact(const oc_layout *l, const double *block, const config *cfg,
                            const config_scenario *sc, oc_rows *out, dv_error *err) {
  return summarise(l, block, 0, cfg, sc, out, err);
}

dv_status oc_summarise_counts(const oc_layout *l, const uint64_t *counts, const config *cfg,
                              oc_rows *out, dv_error *err) {
  dv_status st = oc_rows_init(out, cfg, err);
  for (int s = 0; s < l->n_scenarios && st == DV_OK; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    st = oc_rows_add_counts(l, counts + (size_t)s * l->scenario_size, cfg, &sc, out, err);
  }
  return st;
}

dv_status oc_summarise_exact(const oc_layout *l, const double *w, const config *cfg, oc_rows *out,
                             dv_error *err) {
  dv_status st = oc_rows_init(out, cfg, err);
  for (int s = 0; s < l->n_scenarios && st == DV_OK; s++) {
    config_scenario sc;
    config_scenario_at(cfg, s, &sc);
    st = oc_rows_add_exact(l, w + (size_t)s * l->scenario_size, cfg, &sc, out, err);
  }
  return st;
}

dv_status oc_rows_copy_scenario(oc_rows *dst, const oc_rows *src, int s, dv_error *err) {
  dv_status st =
      rows_begin_scenario(dst, &src->scenarios[s], src->curves[s], src->curves_no_mtd[s], err);
  int t = dst->n_scenarios - 1;
  for (size_t i = 0; i < src->n && st == DV_OK; i++) {
    const oc_row *r = &src->rows[i];
    if (r->scenario != s)
      continue;
    st = emit(dst, t, r->column, r->metric, r->dose, r->has_value, r->value, r->mcse, err);
    if (st == DV_OK)
      dst->rows[dst->n - 1].line = r->line;
  }
  return st;
}

dv_status oc_means_init(oc_means *m, const oc_rows *like, dv_error *err) {
  memset(m, 0, sizeof *m);
  m->n_columns = like->n_columns;
  m->acc = calloc((size_t)m->n_columns * OC_N_METRICS * 4, sizeof *m->acc);
  if (m->acc == NULL)
    return error_set(err, DV_ENOMEM, "oc: out of memory");
  return DV_OK;
}

void oc_means_free(oc_means *m) {
  free(m->acc);
  memset(m, 0, sizeof *m);
}

void oc_means_add(oc_means *m, const oc_rows *r, int s) {
  m->curves++;
  m->curves_no_mtd += r->scenarios[s].true_mtd == 0;
  for (int c = 0; c < m->n_columns; c++)
    for (int k = 0; k < OC_N_METRICS; k++) {
      const oc_row *row = oc_catalogue[k].across ? oc_rows_get(r, s, c, (oc_metric)k, -1) : NULL;
      if (row == NULL || !row->has_value)
        continue; /* accuracy is NA on a flat curve; it is averaged over the others */
      double *a = m->acc + ((size_t)c * OC_N_METRICS + (size_t)k) * 4;
      double delta = row->value - a[1];
      a[0] += 1;
      a[1] += delta / a[0];
      a[2] += delta * (row->value - a[1]);
      a[3] += row->mcse * row->mcse;
    }
}

dv_status oc_means_rows(const oc_means *m, oc_rows *out, dv_error *err) {
  config_scenario sc;
  memset(&sc, 0, sizeof sc);
  snprintf(sc.name, sizeof sc.name, "random (mean of %d)", m->curves);
  sc.random = true;
  sc.index = -1;
  dv_status st = rows_begin_scenario(out, &sc, m->curves, m->curves_no_mtd, err);
  int s = out->n_scenarios - 1;
  for (int c = 0; c < m->n_columns && st == DV_OK; c++)
    for (int k = 0; k < OC_N_METRICS && st == DV_OK; k++) {
      const double *a = m->acc + ((size_t)c * OC_N_METRICS + (size_t)k) * 4;
      if (!oc_catalogue[k].across || a[0] == 0)
        continue;
      double se = a[0] > 1 ? sqrt(a[2] / (a[0] - 1) / a[0]) : sqrt(a[3]);
      st = emit(out, s, c, (oc_metric)k, -1, true, a[1], se, err);
    }
  return st;
}
