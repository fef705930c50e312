/* interval.c — the shared parts of the interval designs (see interval.h): elimination, the
 * decision table and its moves, the strongest interval, isotonic MTD selection. */
#include "interval.h"

#include "beta.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- posterior tail and elimination --------------------------------------------------------- */

double interval_tail(int y, int n, double phi) {
  /* P(Beta(y+1, n-y+1) > phi) = P(Bin(n+1, phi) <= y) (beta.h). */
  return beta_upper_tail(y + 1, n - y + 1, phi);
}

int interval_elimination_threshold(double phi, double cutoff, int n) {
  if (n < 3) /* the rule needs at least 3 patients at the dose (SPEC 6; BOIN docs) */
    return INTERVAL_NEVER_GE(n);
  double cdf;
  int y = beta_binomial_cdf_scan(n + 1, phi, n, cutoff, &cdf);
  return y < 0 ? INTERVAL_NEVER_GE(n) : y;
}

/* ---- the decision table --------------------------------------------------------------------- */

void interval_frame_init(interval_frame *f, const design_setup *setup, double cutoff_eli) {
  memset(f, 0, sizeof *f);
  f->n_doses = setup->n_doses;
  f->start_dose = setup->start_dose;
  f->target = setup->target;
  f->cutoff_eli = cutoff_eli;
  for (int n = 0; n <= DESIGN_MAX_N; n++) {
    f->escalate[n] = INTERVAL_NEVER_LE;
    f->deescalate[n] = INTERVAL_NEVER_GE(n);
    f->eliminate[n] = interval_elimination_threshold(setup->target, cutoff_eli, n);
  }
}

int interval_frame_fill(interval_frame *f, interval_rule rule, const void *ctx) {
  signed char dec[INTERVAL_TABLE_LEN];
  int first_bad = 0;
  f->escalate[0] = INTERVAL_NEVER_LE;
  f->deescalate[0] = INTERVAL_NEVER_GE(0);
  for (int n = 1; n <= DESIGN_MAX_N; n++) {
    rule(ctx, n, dec);
    int e = INTERVAL_NEVER_LE, d = INTERVAL_NEVER_GE(n);
    for (int y = 0; y <= n; y++) {
      if (y > 0 && dec[y] < dec[y - 1] && first_bad == 0)
        first_bad = n;
      if (dec[y] < 0)
        e = y;
      if (dec[y] > 0 && d > n)
        d = y;
    }
    int x = f->eliminate[n];
    f->escalate[n] = e < x ? e : x - 1;
    f->deescalate[n] = d < x ? d : x;
  }
  return first_bad;
}

int interval_lowest_eliminated(const interval_frame *f, const design_state *s) {
  for (int d = 1; d <= f->n_doses; d++) {
    int n = s->n[d - 1];
    if (n >= 3 && s->y[d - 1] >= f->eliminate[n])
      return d;
  }
  return f->n_doses + 1;
}

int interval_next_dose(const interval_frame *f, const design_state *s, int first_out) {
  int d = s->cur, n = s->n[d - 1], y = s->y[d - 1];
  if (d >= first_out) /* the current dose was just eliminated: the highest dose left */
    return first_out - 1;
  if (y <= f->escalate[n])
    return d < f->n_doses && d + 1 < first_out ? d + 1 : d;
  if (y >= f->deescalate[n])
    return d > 1 ? d - 1 : d;
  return d;
}

design_action interval_decide(const interval_frame *f, const design_state *s, int reason_lowest) {
  if (s->cur == 0)
    return design_treat(f->start_dose);
  int first_out = interval_lowest_eliminated(f, s);
  if (first_out == 1)
    return design_stop(0, reason_lowest);
  return design_treat(interval_next_dose(f, s, first_out));
}

int interval_select(const interval_frame *f, const design_state *s, int highest, double bound) {
  int first_out = interval_lowest_eliminated(f, s);
  if (first_out == 1)
    return 0;
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  int k = first_out - 1 < highest ? first_out - 1 : highest;
  for (int d = 0; d < k; d++) {
    n[d] = s->n[d];
    y[d] = s->y[d];
  }
  return interval_select_mtd(n, y, k, f->target, bound, NULL);
}

void interval_table_row(const interval_frame *f, int n, design_table_row *row) {
  *row = (design_table_row){.escalate = f->escalate[n],
                            .deescalate = f->deescalate[n],
                            .eliminate = f->eliminate[n],
                            .stop = INTERVAL_NEVER_GE(n),
                            .has_stop = false};
}

void interval_describe_eli(const interval_frame *f, char *buf, size_t len) {
  size_t used = strlen(buf);
  if (used < len)
    snprintf(buf + used, len - used,
             "cutoff_eli  %.4f  eliminate the dose and all above it if at least 3 patients were\n"
             "                    treated and P(DLT rate > target | data) > cutoff_eli\n",
             f->cutoff_eli);
}

const design_reason interval_stop_reasons[] = {{"lowest_dose_eliminated", true}, {NULL, false}};

dv_status interval_configure(void *params, const design_setup *setup, const void *options,
                             const char *left_key, const char *right_key, double min_width,
                             interval_rule rule, dv_error *err) {
  const interval_options *o = options;
  interval_params *p = params;
  double phi = setup->target;
  if (!(o->right < 1.0 - phi))
    return error_set(err, DV_ECONFIG, "%s: %g; allowed: 0 < %s < 1 - target = %g", right_key,
                     o->right, right_key, 1.0 - phi);
  if (min_width > 0 && !(o->left + o->right >= min_width))
    return error_set(err, DV_ECONFIG, "%s: %g; allowed: %s + %s >= %g (%s = %g)", left_key, o->left,
                     left_key, right_key, min_width, right_key, o->right);
  memset(p, 0, sizeof *p);
  interval_frame_init(&p->f, setup, o->cutoff_eli);
  p->left = o->left;
  p->right = o->right;
  int bad = interval_frame_fill(&p->f, rule, p);
  if (bad != 0) /* never seen; see interval_strongest and i3plus3.c for why it cannot happen */
    return error_set(err, DV_ECONFIG,
                     "%s: %g; allowed: values whose decisions at n = %d are a threshold rule in "
                     "the DLT count (%s = %g)",
                     left_key, o->left, bad, right_key, o->right);
  return DV_OK;
}

design_action interval_params_decide(const void *params, const design_state *s) {
  const interval_params *p = params;
  return interval_decide(&p->f, s, INTERVAL_LOWEST_ELIMINATED);
}

int interval_params_select(const void *params, const design_state *s, int highest) {
  const interval_params *p = params;
  return interval_select(&p->f, s, highest, INFINITY);
}

void interval_params_table_row(const void *params, int n, design_table_row *row) {
  const interval_params *p = params;
  interval_table_row(&p->f, n, row);
}

/* ---- the strongest interval ----------------------------------------------------------------- */

/* The partition of [0, 1]: `left` intervals below lo, [lo, hi] (index `left`), `right` above hi;
 * endpoints 0..J with J = left + 1 + right intervals. */
typedef struct {
  double lo, hi, w;
  int left, right;
} interval_cuts;

static void cuts_init(interval_cuts *c, double lo, double hi) {
  c->lo = lo;
  c->hi = hi;
  c->w = hi - lo;
  /* The fewest pieces of width w that reach 0 (1), a last piece shorter than the edge tolerance
   * joining the one before it. */
  double l = ceil((lo - INTERVAL_EDGE_TOL) / c->w), r = ceil((1.0 - hi - INTERVAL_EDGE_TOL) / c->w);
  c->left = l < 1.0 ? 1 : (int)l;
  c->right = r < 1.0 ? 1 : (int)r;
}

/* Endpoint i (0..J) of the partition. */
static double cuts_at(const interval_cuts *c, int i) {
  int J = c->left + 1 + c->right;
  if (i <= 0)
    return 0.0;
  if (i >= J)
    return 1.0;
  if (i <= c->left)
    return c->lo - (c->left - i) * c->w;
  return c->hi + (i - c->left - 1) * c->w;
}

/* An interval containing p (either one when p is an endpoint, up to rounding). */
static int cuts_index(const interval_cuts *c, double p) {
  int J = c->left + 1 + c->right;
  if (p < c->lo) {
    double t = ceil((c->lo - p) / c->w);
    return t >= c->left ? 0 : c->left - (int)t;
  }
  if (p <= c->hi)
    return c->left;
  double t = floor((p - c->hi) / c->w);
  return t >= c->right - 1 ? J - 1 : c->left + 1 + (int)t;
}

/* tail[y] = P(p > x | Beta(y+1, n-y+1)) for y = 0..n. */
static void tails_at(double x, int n, double *tail) {
  if (x <= 0.0 || x >= 1.0) {
    for (int y = 0; y <= n; y++)
      tail[y] = x <= 0.0 ? 1.0 : 0.0;
    return;
  }
  beta_binomial_cdf_all(n + 1, x, n, tail);
}

/* Which intervals can be the strongest. Under Beta(1+y, 1+n-y), n >= 1, the density f is strictly
 * increasing left of the mode M = y/n and strictly decreasing right of it. Let interval m contain
 * M. For i >= m+2 the intervals i-1 and i lie right of M: if i has full width it is i-1 shifted
 * by w, so f averages less over it; if it is the truncated last one, f over it is below f at its
 * left end, which is below f's average over i-1. Either way score(i) < score(i-1) (a constant
 * factor, Keyboard's w / length, applies to the end keys only and keeps the inequality for the
 * end key, whose mass scaled to full width is its average times w). The mirror argument holds for
 * i <= m-2. So the strongest interval is m-1, m or m+1, and only these can tie: they are the only
 * ones scored, which keeps the work per n at O(n) intervals whatever the width. */
void interval_strongest(double lo, double hi, interval_score score, int n, signed char *dec) {
  interval_cuts c;
  cuts_init(&c, lo, hi);
  int J = c.left + 1 + c.right;
  int m[INTERVAL_TABLE_LEN], arg[INTERVAL_TABLE_LEN];
  double best[INTERVAL_TABLE_LEN], tail_lo[INTERVAL_TABLE_LEN], tail_hi[INTERVAL_TABLE_LEN];
  for (int y = 0; y <= n; y++) {
    m[y] = cuts_index(&c, (double)y / n);
    best[y] = -1.0;
    arg[y] = c.left;
  }
  /* Candidates in increasing order: m[y] is non-decreasing in y. For each y its scores arrive
   * left to right; arg[y] is the rightmost within INTERVAL_SCORE_TIE of the running maximum,
   * which at the end is the rightmost within it of the maximum. */
  int last = -1, have_hi = -1; /* tail_hi holds the tails at endpoint have_hi */
  for (int y0 = 0; y0 <= n; y0++) {
    for (int j = m[y0] - 1; j <= m[y0] + 1; j++) {
      if (j < 0 || j >= J || j <= last)
        continue;
      last = j;
      double a = cuts_at(&c, j), b = cuts_at(&c, j + 1);
      if (have_hi == j)
        memcpy(tail_lo, tail_hi, (size_t)(n + 1) * sizeof tail_lo[0]);
      else
        tails_at(a, n, tail_lo);
      tails_at(b, n, tail_hi);
      have_hi = j + 1;
      double scale;
      if (score == INTERVAL_SCORE_UPM)
        scale = 1.0 / (b - a);
      else /* Keyboard: an end key's mass scaled to the full width (as the R package Keyboard) */
        scale = (j == 0 || j == J - 1) ? c.w / (b - a) : 1.0;
      for (int y = 0; y <= n; y++) {
        if (m[y] < j - 1 || m[y] > j + 1)
          continue;
        double mass = tail_lo[y] - tail_hi[y];
        double s = (mass > 0.0 ? mass : 0.0) * scale;
        if (s >= best[y] * (1.0 - INTERVAL_SCORE_TIE))
          arg[y] = j;
        if (s > best[y])
          best[y] = s;
      }
    }
  }
  for (int y = 0; y <= n; y++)
    dec[y] = (signed char)(arg[y] < c.left ? -1 : arg[y] == c.left ? 0 : 1);
}

/* ---- isotonic MTD selection ----------------------------------------------------------------- */

void interval_pava(const double *est, const double *w, int m, double *out) {
  if (out != est)
    for (int i = 0; i < m; i++)
      out[i] = est[i];
  /* Pool the first violating pair of blocks until none is left. A block is a maximal run of equal
   * values: runs that happen to share a value pool to that same value, so treating them as one is
   * harmless, and it keeps the function free of scratch memory. Each pass merges at least two
   * runs, so at most m - 1 passes. */
  for (;;) {
    int i = 0;
    while (i + 1 < m && !(out[i] > out[i + 1]))
      i++;
    if (i + 1 >= m)
      break;
    int lo = i, hi = i + 1;
    while (lo > 0 && out[lo - 1] == out[i])
      lo--;
    while (hi + 1 < m && out[hi + 1] == out[i + 1])
      hi++;
    /* Within a block every value is the block's weighted mean, so sum w*out = sum w*est. */
    double sw = 0.0, swx = 0.0;
    for (int j = lo; j <= hi; j++) {
      double wj = w != NULL ? w[j] : 1.0;
      sw += wj;
      swx += wj * out[j];
    }
    double v = swx / sw;
    for (int j = lo; j <= hi; j++)
      out[j] = v;
  }
}

int interval_closest(const double *est, int m, double phi, double bound) {
  /* select.mtd() adds i * 1e-10 to the i-th estimate before taking the closest: within a pooled
   * block below phi the higher dose becomes closer, above phi the lower one stays closer, and of
   * two estimates equally far on either side the one below wins. The same rules, stated. */
  int best = -1;
  for (int j = 0; j < m; j++) {
    if (!(est[j] < bound))
      continue;
    if (best < 0) {
      best = j;
      continue;
    }
    double dj = fabs(est[j] - phi), db = fabs(est[best] - phi);
    if (dj < db - INTERVAL_TIE_TOL) {
      best = j;
    } else if (dj <= db + INTERVAL_TIE_TOL && est[j] < phi) {
      /* A tie: below phi beats at-or-above, and among estimates below phi the higher dose
       * (j > best) wins; when j is at or above phi the lower dose, best, is kept. */
      best = j;
    }
  }
  return best;
}

int interval_select_mtd(const int *n, const int *y, int k, double phi, double bound,
                        double *est_out) {
  int dose[DESIGN_MAX_DOSES] = {0};
  double est[DESIGN_MAX_DOSES] = {0}, w[DESIGN_MAX_DOSES] = {0};
  int m = 0;
  if (k > DESIGN_MAX_DOSES)
    k = DESIGN_MAX_DOSES;
  for (int d = 0; d < k; d++) {
    if (n[d] <= 0)
      continue;
    /* Posterior mean and variance under a Beta(0.05, 0.05) prior, as select.mtd(): the tiny prior
     * keeps 0/n and n/n away from 0 and 1 so every weight is finite. */
    double a = y[d] + 0.05, b = n[d] - y[d] + 0.05, s = n[d] + 0.1;
    dose[m] = d + 1;
    est[m] = a / s;
    w[m] = (s * s * (s + 1.0)) / (a * b);
    m++;
  }
  interval_pava(est, w, m, est);
  if (est_out != NULL) {
    for (int d = 0; d < k; d++)
      est_out[d] = NAN;
    for (int j = 0; j < m; j++)
      est_out[dose[j] - 1] = est[j];
  }
  int j = interval_closest(est, m, phi, bound);
  return j < 0 ? 0 : dose[j];
}
