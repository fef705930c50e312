/* titeboin.c — TITE-BOIN, the time-to-event Bayesian optimal interval design (Yuan Y, Lin R, Li D,
 * Nie L, Warren KE (2018). Time-to-event Bayesian optimal interval design to accelerate phase I
 * trials. Clin Cancer Res 24(20):4921-4930), with single-mean imputation, as SPEC 12 states it.
 *
 * BOIN's options, boundaries, elimination and isotonic selection (designs/boin.c, shared through
 * boin.h) plus max_pending. When a cohort is full and a patient arrives, at the current dose d with
 * n treated, y DLTs seen, m pending and STFT S (the pending patients' follow-up over W, summed):
 *  1. n >= 3 and P(p > phi | Beta(1 + y, 1 + n - y)) > cutoff_eli (pending as no DLT): d and the
 *     doses above are eliminated (BOIN's eliminate row at n);
 *  2. y / n >= lambda_d: de-escalate, whatever the pending outcomes (BOIN's de-escalate row);
 *  3. m > max_pending n: suspend accrual;
 *  4. p~ = (y + phi/2) / (n - m + 1) and p^ = (y + (m - S) p~ / (1 - p~)) / n: escalate if
 *     p^ <= lambda_e and y/n < phi, de-escalate if p^ >= lambda_d and y/n > phi, else stay;
 * then BOIN's moves at the edges and around eliminated doses, its extrasafe and n_earlystop. With
 * nothing pending (S = m = 0, p^ = y/n) these are BOIN's rules, and the design answers with
 * design_boin's own functions; the final MTD is BOIN's on complete data.
 * Elimination reads every dose's treated count with the pending patients as no DLT: a dose's
 * count only grows while it is treated and its DLTs only grow as outcomes arrive, so a dose once
 * eliminated stays eliminated, as in the R package's simulations. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "boin.h"

typedef struct {
  boin_options boin; /* first: BOIN's option entries sit at offset 0 */
  double max_pending;
} titeboin_options;

static const design_option titeboin_option_table[] = {
    BOIN_OPTION_ENTRIES(offsetof(titeboin_options, boin)),
    {.key = "max_pending",
     .kind = DESIGN_OPT_REAL,
     .at = offsetof(titeboin_options, max_pending),
     .def = 0.5,
     .min = DESIGN_AT_LEAST(0),
     .max = DESIGN_AT_MOST(1),
     .help = "suspend accrual while more than this fraction of the current dose's patients pend"},
    {.key = NULL}};

/* The same list as design_boin's: its decide's reasons index it. */
static const design_reason titeboin_reasons[] = {
    {"lowest_dose_eliminated", true}, {"extrasafe", true}, {"n_earlystop", false}, {NULL, false}};

typedef struct {
  boin_params boin; /* first: design_boin's functions read it */
  double max_pending;
} titeboin_params;

static dv_status titeboin_configure(void *params, const design_setup *setup, const void *options,
                                    dv_error *err) {
  const titeboin_options *o = options;
  titeboin_params *p = params;
  dv_status st = design_boin.configure(&p->boin, setup, &o->boin, err);
  p->max_pending = o->max_pending;
  return st;
}

/* Rules 1 to 4 at the current dose (n >= 1 treated, y seen, m pending, STFT S): 'U' eliminated,
 * 'D', 'X' suspend, 'E' or 'S'. */
static char titeboin_rule(const titeboin_params *p, int n, int y, int m, double stft) {
  const interval_frame *f = &p->boin.f;
  if (y >= f->eliminate[n])
    return 'U';
  if (y >= f->deescalate[n])
    return 'D';
  if (m > p->max_pending * n)
    return 'X';
  if (m == 0) /* BOIN's own rows, so that complete data decide exactly as BOIN */
    return y <= f->escalate[n] ? 'E' : 'S';
  double phi = f->target, pt = (y + phi / 2.0) / (n - m + 1);
  double p_hat = (y + (m - stft) * pt / (1.0 - pt)) / n, rate = (double)y / n;
  if (p_hat <= p->boin.lambda_e && rate < phi)
    return 'E';
  if (p_hat >= p->boin.lambda_d && rate > phi)
    return 'D';
  return 'S';
}

static design_action titeboin_decide_pending(const void *params, const pending_view *v) {
  const titeboin_params *p = params;
  int k = p->boin.f.n_doses;
  design_state s;
  pending_view_state(v, k, &s);
  if (v->n_patients == 0 || v->n_pending == 0)
    return design_boin.decide(&p->boin, &s);
  design_state treated = s; /* the pending patients as no DLT (rule 1) */
  for (int d = 0; d < k; d++)
    treated.n[d] = v->enrolled[d];
  int first_out = interval_lowest_eliminated(&p->boin.f, &treated);
  if (first_out == 1)
    return design_stop(0, BOIN_LOWEST_ELIMINATED);
  /* extrasafe, as boin.c's: at least 3 treated at dose 1 and its tail above cutoff_eli - offset */
  if (p->boin.extrasafe && treated.y[0] >= p->boin.stop_lowest[treated.n[0]])
    return design_stop(0, BOIN_EXTRASAFE);
  int d = v->cur, n = v->enrolled[d - 1], y = v->y[d - 1], next = d;
  double stft;
  int m = pending_at(v, d, &stft);
  char rule = first_out <= d ? 'U' : titeboin_rule(p, n, y, m, stft);
  switch (rule) {
  case 'U': /* the current dose, or one below it, has just been eliminated */
    next = (first_out <= d ? first_out : d) - 1;
    break;
  case 'D':
    next = d > 1 ? d - 1 : d;
    break;
  case 'E':
    next = d < k && d + 1 < first_out ? d + 1 : d;
    break;
  case 'X':
    return design_suspend(d);
  default:
    break;
  }
  if (next == d && n >= p->boin.n_earlystop)
    return design_stop(design_boin.select(&p->boin, &s, k), BOIN_EARLYSTOP);
  return design_treat(next);
}

/* The closed form of rule 4's threshold in S: p^ <= lambda_e <=> S >= m - (lambda_e n - y) / r,
 * p^ >= lambda_d <=> S <= m - (lambda_d n - y) / r, with r = p~ / (1 - p~) > 0. */
static void titeboin_pending_cell(const void *params, int n, int y, int m,
                                  design_pending_cell *cell) {
  const titeboin_params *p = params;
  char rule = titeboin_rule(p, n, y, m, 0.0);
  *cell = (design_pending_cell){.low = rule, .high = rule, .threshold = NAN};
  /* rules 1 to 3 do not read S; rule 4's 'D' at S = 0 may turn with S */
  if (rule == 'U' || rule == 'X' || m == 0 || y >= p->boin.f.deescalate[n])
    return;
  double phi = p->boin.f.target, pt = (y + phi / 2.0) / (n - m + 1), r = pt / (1.0 - pt);
  double rate = (double)y / n;
  if (rate < phi) {
    double t = m - (p->boin.lambda_e * n - y) / r;
    char c = t <= 0.0 ? 'E' : 'S';
    *cell = (design_pending_cell){.low = c, .high = c, .threshold = NAN};
    if (t > 0.0 && t <= m)
      *cell = (design_pending_cell){.low = 'S', .high = 'E', .threshold = t, .at_high = true};
  } else if (rate > phi) {
    double t = m - (p->boin.lambda_d * n - y) / r;
    char c = t < 0.0 ? 'S' : 'D';
    *cell = (design_pending_cell){.low = c, .high = c, .threshold = NAN};
    if (t >= 0.0 && t < m)
      *cell = (design_pending_cell){.low = 'D', .high = 'S', .threshold = t, .at_high = false};
  }
}

static int titeboin_select(const void *params, const design_state *s, int highest) {
  return design_boin.select(params, s, highest);
}
static design_action titeboin_decide(const void *params, const design_state *s) {
  return design_boin.decide(params, s);
}
static void titeboin_table_row(const void *params, int n, design_table_row *row) {
  design_boin.table_row(params, n, row);
}
static void titeboin_describe(const void *params, char *buf, size_t len) {
  const titeboin_params *p = params;
  design_boin.describe(params, buf, len);
  size_t used = strlen(buf);
  if (used < len)
    snprintf(buf + used, len - used,
             "max_pending %.4f  TITE-BOIN (Yuan et al. 2018): suspend accrual while more than\n"
             "                    this fraction of the current dose's patients are pending\n",
             p->max_pending);
}

const design_type design_titeboin = {
    .name = "titeboin",
    .title = "TITE-BOIN, the time-to-event BOIN (Yuan, Lin, Li, Nie & Warren 2018)",
    .options = titeboin_option_table,
    .options_size = sizeof(titeboin_options),
    .params_size = sizeof(titeboin_params),
    .stop_reasons = titeboin_reasons,
    .configure = titeboin_configure,
    .decide = titeboin_decide,
    .select = titeboin_select,
    .table_row = titeboin_table_row,
    .describe = titeboin_describe,
    .reads_pending = true,
    .decide_pending = titeboin_decide_pending,
    .pending_cell = titeboin_pending_cell,
};
