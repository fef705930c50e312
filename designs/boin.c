/* boin.c — the Bayesian optimal interval (BOIN) design of Liu & Yuan (2015), as in the R package
 * BOIN (Yan et al. 2020, J Stat Softw 94(13); get.boundary(), get.oc(), select.mtd()).
 *
 * The dose-finding rule compares the DLT rate at the current dose with two fixed boundaries,
 * lambda_e and lambda_d (Liu & Yuan 2015); a Bayesian safety rule eliminates a dose
 * and those above it when P(p_d > phi | data) > cutoff_eli with at least 3 patients treated
 * (Liu & Yuan 2015; BOIN docs, get.boundary "Details"); at the end the MTD is the dose whose
 * isotonic estimate is closest to the target (select.mtd "Details"). Because every rule depends
 * only on counts, configure precomputes the per-n thresholds and decide is table lookups. */
#include "boin.h"

#include "beta.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The thresholds are indexed by the number of patients at a dose, 0..DESIGN_MAX_N. */
#define BOIN_TABLE_LEN (DESIGN_MAX_N + 1)

typedef struct {
  int n_doses;
  int start_dose;
  double target;
  double p_saf, p_tox;
  double lambda_e, lambda_d;
  double cutoff_eli, offset;
  bool extrasafe;
  bool bound_mtd;
  int n_earlystop;                 /* capped at BOIN_TABLE_LEN, which no dose can reach (= never) */
  int escalate[BOIN_TABLE_LEN];    /* escalate if y <= escalate[n] */
  int deescalate[BOIN_TABLE_LEN];  /* de-escalate if y >= deescalate[n] */
  int eliminate[BOIN_TABLE_LEN];   /* dose and those above eliminated if y >= eliminate[n] */
  int stop_lowest[BOIN_TABLE_LEN]; /* extrasafe: stop if y_1 >= stop_lowest[n_1] */
} boin_params;

/* ---- the pure functions of boin.h ---- */

void boin_boundaries(double phi, double p_saf, double p_tox, double *lambda_e, double *lambda_d) {
  /* Liu & Yuan (2015): the boundaries minimising the probability of a wrong decision when the
   * DLT rate is p_saf, phi or p_tox with prior probability 1/3 each. */
  *lambda_e = log((1.0 - p_saf) / (1.0 - phi)) / log(phi * (1.0 - p_saf) / (p_saf * (1.0 - phi)));
  *lambda_d = log((1.0 - phi) / (1.0 - p_tox)) / log(p_tox * (1.0 - phi) / (phi * (1.0 - p_tox)));
}

double boin_beta_upper_tail(int y, int n, double phi) {
  /* P(Beta(y+1, n-y+1) > phi) = P(Bin(n+1, phi) <= y) (see boin.h and beta.h). */
  return beta_upper_tail(y + 1, n - y + 1, phi);
}

int boin_elimination_threshold(double phi, double cutoff, int n) {
  if (n < 3) /* the rule needs at least 3 patients at the dose (BOIN docs) */
    return BOIN_NEVER_GE(n);
  double cdf;
  int y = beta_binomial_cdf_scan(n + 1, phi, n, cutoff, &cdf);
  return y < 0 ? BOIN_NEVER_GE(n) : y;
}

void boin_decision_table(double phi, double lambda_e, double lambda_d, double cutoff_eli, int n_max,
                         int *escalate, int *deescalate, int *eliminate) {
  escalate[0] = BOIN_NEVER_LE;
  deescalate[0] = BOIN_NEVER_GE(0);
  eliminate[0] = BOIN_NEVER_GE(0);
  for (int n = 1; n <= n_max; n++) {
    /* y/n <= lambda_e  <=>  y <= floor(lambda_e n); y/n >= lambda_d  <=>  y >= ceil(lambda_d n). */
    int e = (int)floor(lambda_e * n);
    int d = (int)ceil(lambda_d * n);
    escalate[n] = e < 0 ? BOIN_NEVER_LE : (e > n ? n : e);
    deescalate[n] = d > n ? BOIN_NEVER_GE(n) : d;
    eliminate[n] = boin_elimination_threshold(phi, cutoff_eli, n);
    if (eliminate[n] < deescalate[n]) /* an eliminated current dose is de-escalated from */
      deescalate[n] = eliminate[n];
  }
}

void boin_pava(const double *est, const double *w, int m, double *out) {
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

int boin_closest(const double *est, int m, double phi, double bound) {
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
    if (dj < db - BOIN_TIE_TOL) {
      best = j;
    } else if (dj <= db + BOIN_TIE_TOL && est[j] < phi) {
      /* A tie: below phi beats at-or-above, and among estimates below phi the higher dose
       * (j > best) wins; when j is at or above phi the lower dose, best, is kept. */
      best = j;
    }
  }
  return best;
}

int boin_select_mtd(const int *n, const int *y, int k, double phi, double bound, double *est_out) {
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
  boin_pava(est, w, m, est);
  if (est_out != NULL) {
    for (int d = 0; d < k; d++)
      est_out[d] = NAN;
    for (int j = 0; j < m; j++)
      est_out[dose[j] - 1] = est[j];
  }
  int j = boin_closest(est, m, phi, bound);
  return j < 0 ? 0 : dose[j];
}

/* ---- the design ---- */

typedef struct {
  double cutoff_eli, offset, p_saf, p_tox;
  bool extrasafe, bound_mtd;
  long n_earlystop;
} boin_options;

static const design_option boin_option_table[] = {
    {.key = "p_saf",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin_options, p_saf),
     .def = 0.6,
     .def_times_target = true,
     .min = DESIGN_MORE(0),
     .max = DESIGN_TARGET_OPEN,
     .help = "the highest DLT rate deemed sub-therapeutic"},
    {.key = "p_tox",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin_options, p_tox),
     .def = 1.4,
     .def_times_target = true,
     .min = DESIGN_TARGET_OPEN,
     .max = DESIGN_LESS(1),
     .help = "the lowest DLT rate deemed overly toxic"},
    {.key = "cutoff_eli",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin_options, cutoff_eli),
     .def = 0.95,
     .min = DESIGN_MORE(0),
     .max = DESIGN_AT_MOST(1),
     .help = "eliminate a dose and those above when P(DLT rate > target | data) exceeds it"},
    {.key = "extrasafe",
     .kind = DESIGN_OPT_BOOL,
     .at = offsetof(boin_options, extrasafe),
     .def = 0,
     .help = "also stop when that probability at the lowest dose exceeds cutoff_eli - offset"},
    {.key = "offset",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(boin_options, offset),
     .def = 0.05,
     .min = DESIGN_AT_LEAST(0),
     .max = DESIGN_LESS(1),
     .help = "extrasafe's margin below cutoff_eli; less than cutoff_eli"},
    {.key = "n_earlystop",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(boin_options, n_earlystop),
     .def = 100,
     .min = DESIGN_AT_LEAST(1),
     .help = "stop when the current dose has this many patients and the decision is to stay"},
    {.key = "bound_mtd",
     .kind = DESIGN_OPT_BOOL,
     .at = offsetof(boin_options, bound_mtd),
     .def = 0,
     .help = "the selected MTD's isotonic estimate must be below lambda_d"},
    {.key = NULL}};

enum { BOIN_LOWEST_ELIMINATED, BOIN_EXTRASAFE, BOIN_EARLYSTOP };
static const design_reason boin_reasons[] = {
    {"lowest_dose_eliminated", true}, {"extrasafe", true}, {"n_earlystop", false}, {NULL, false}};

/* The lowest eliminated dose (K+1 if none). Elimination is a function of the counts: a dose's
 * counts change only while it is treated, and an eliminated dose is never treated again, so this
 * equals the sticky flag of the R package's get.oc(). */
static int boin_lowest_eliminated(const boin_params *p, const design_state *s) {
  for (int d = 1; d <= p->n_doses; d++) {
    int n = s->n[d - 1];
    if (n >= 3 && s->y[d - 1] >= p->eliminate[n])
      return d;
  }
  return p->n_doses + 1;
}

/* extrasafe: n_1 >= 3 and P(p_1 > phi | data) > cutoff_eli - offset (stop_lowest is "never" for
 * n < 3). */
static bool boin_extrasafe_stop(const boin_params *p, const design_state *s) {
  return p->extrasafe && s->y[0] >= p->stop_lowest[s->n[0]];
}

static int boin_select(const void *params, const design_state *s, int highest) {
  const boin_params *p = params;
  int first_out = boin_lowest_eliminated(p, s);
  /* As select.mtd(): no MTD when the lowest dose is eliminated or fails the extra-safety rule. */
  if (first_out == 1 || boin_extrasafe_stop(p, s))
    return 0;
  int n[DESIGN_MAX_DOSES], y[DESIGN_MAX_DOSES];
  int k = first_out - 1 < highest ? first_out - 1 : highest;
  for (int d = 0; d < k; d++) {
    n[d] = s->n[d];
    y[d] = s->y[d];
  }
  return boin_select_mtd(n, y, k, p->target, p->bound_mtd ? p->lambda_d : INFINITY, NULL);
}

static design_action boin_decide(const void *params, const design_state *s) {
  const boin_params *p = params;
  if (s->cur == 0)
    return design_treat(p->start_dose);
  int first_out = boin_lowest_eliminated(p, s);
  if (first_out == 1)
    return design_stop(0, BOIN_LOWEST_ELIMINATED);
  if (boin_extrasafe_stop(p, s))
    return design_stop(0, BOIN_EXTRASAFE);
  int k = p->n_doses, d = s->cur, n = s->n[d - 1], y = s->y[d - 1];
  if (d >= first_out) /* the current dose was just eliminated: go below it */
    return design_treat(first_out - 1);
  int next = d;
  if (y <= p->escalate[n]) {
    if (d < k && d + 1 < first_out) /* the top dose or an eliminated d+1 blocks escalation */
      next = d + 1;
  } else if (y >= p->deescalate[n]) {
    if (d > 1)
      next = d - 1;
  }
  /* n_earlystop: the dose-finding has settled when n_d reaches it and the decision is to stay
   * (get.boundary "Details"; blocked moves count as staying, as in get.oc()). */
  if (next == d && n >= p->n_earlystop)
    return design_stop(boin_select(p, s, k), BOIN_EARLYSTOP);
  return design_treat(next);
}

static dv_status boin_configure(void *params, const design_setup *setup, const void *options,
                                dv_error *err) {
  const boin_options *o = options;
  boin_params *p = params;
  memset(p, 0, sizeof *p);
  double phi = setup->target;
  if (!(o->offset < o->cutoff_eli))
    return error_set(err, DV_ECONFIG, "offset: %g; allowed: 0 <= offset < cutoff_eli (%g)",
                     o->offset, o->cutoff_eli);
  p->n_doses = setup->n_doses;
  p->start_dose = setup->start_dose;
  p->target = phi;
  p->p_saf = o->p_saf;
  p->p_tox = o->p_tox;
  p->cutoff_eli = o->cutoff_eli;
  p->offset = o->offset;
  p->extrasafe = o->extrasafe;
  p->bound_mtd = o->bound_mtd;
  p->n_earlystop = o->n_earlystop > BOIN_TABLE_LEN ? BOIN_TABLE_LEN : (int)o->n_earlystop;
  boin_boundaries(phi, p->p_saf, p->p_tox, &p->lambda_e, &p->lambda_d);
  boin_decision_table(phi, p->lambda_e, p->lambda_d, p->cutoff_eli, DESIGN_MAX_N, p->escalate,
                      p->deescalate, p->eliminate);
  for (int n = 0; n <= DESIGN_MAX_N; n++)
    p->stop_lowest[n] = boin_elimination_threshold(phi, p->cutoff_eli - p->offset, n);
  return DV_OK;
}

static void boin_table_row(const void *params, int n, design_table_row *row) {
  const boin_params *p = params;
  *row = (design_table_row){.escalate = p->escalate[n],
                            .deescalate = p->deescalate[n],
                            .eliminate = p->eliminate[n],
                            .stop = p->stop_lowest[n],
                            .has_stop = p->extrasafe};
}

static void boin_describe(const void *params, char *buf, size_t len) {
  const boin_params *p = params;
  int used =
      snprintf(buf, len,
               "BOIN decision boundaries (Liu & Yuan 2015)\n"
               "target      %.4f\n"
               "p_saf       %.4f\n"
               "p_tox       %.4f\n"
               "lambda_e    %.4f  escalate if the DLT rate at the current dose <= lambda_e\n"
               "lambda_d    %.4f  de-escalate if the DLT rate at the current dose >= lambda_d\n"
               "cutoff_eli  %.4f  eliminate the dose and all above it if at least 3 patients were\n"
               "                    treated and P(DLT rate > target | data) > cutoff_eli\n",
               p->target, p->p_saf, p->p_tox, p->lambda_e, p->lambda_d, p->cutoff_eli);
  if (p->extrasafe && used > 0 && (size_t)used < len)
    snprintf(buf + used, len - (size_t)used,
             "extrasafe   %.4f  stop the trial if at least 3 patients were treated at the lowest\n"
             "                    dose and P(its DLT rate > target | data) > cutoff_eli - offset\n",
             p->cutoff_eli - p->offset);
}

const design_type design_boin = {
    .name = "boin",
    .title = "BOIN, the Bayesian optimal interval design (Liu & Yuan 2015)",
    .options = boin_option_table,
    .options_size = sizeof(boin_options),
    .params_size = sizeof(boin_params),
    .stop_reasons = boin_reasons,
    .configure = boin_configure,
    .decide = boin_decide,
    .select = boin_select,
    .table_row = boin_table_row,
    .describe = boin_describe,
};
