/* boin.c — the Bayesian optimal interval (BOIN) design of Liu & Yuan (2015), as in the R package
 * BOIN (Yan et al. 2020, J Stat Softw 94(13); get.boundary(), get.oc(), select.mtd()).
 *
 * The dose-finding rule compares the DLT rate at the current dose with two fixed boundaries,
 * lambda_e and lambda_d (Liu & Yuan 2015); a Bayesian safety rule eliminates a dose
 * and those above it when P(p_d > phi | data) > cutoff_eli with at least 3 patients treated
 * (Liu & Yuan 2015; BOIN docs, get.boundary "Details"); at the end the MTD is the dose whose
 * isotonic estimate is closest to the target (select.mtd "Details"). Because every rule depends
 * only on counts, configure precomputes the per-n thresholds and decide is table lookups. The
 * elimination, the moves and the MTD selection are those of every interval design (interval.c). */
#include "boin.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the pure functions of boin.h ---- */

void boin_boundaries(double phi, double p_saf, double p_tox, double *lambda_e, double *lambda_d) {
  /* Liu & Yuan (2015): the boundaries minimising the probability of a wrong decision when the
   * DLT rate is p_saf, phi or p_tox with prior probability 1/3 each. */
  *lambda_e = log((1.0 - p_saf) / (1.0 - phi)) / log(phi * (1.0 - p_saf) / (p_saf * (1.0 - phi)));
  *lambda_d = log((1.0 - phi) / (1.0 - p_tox)) / log(p_tox * (1.0 - phi) / (phi * (1.0 - p_tox)));
}

void boin_decision_table(double phi, double lambda_e, double lambda_d, double cutoff_eli, int n_max,
                         int *escalate, int *deescalate, int *eliminate) {
  escalate[0] = INTERVAL_NEVER_LE;
  deescalate[0] = INTERVAL_NEVER_GE(0);
  eliminate[0] = INTERVAL_NEVER_GE(0);
  for (int n = 1; n <= n_max; n++) {
    /* y/n <= lambda_e  <=>  y <= floor(lambda_e n); y/n >= lambda_d  <=>  y >= ceil(lambda_d n). */
    int e = (int)floor(lambda_e * n);
    int d = (int)ceil(lambda_d * n);
    escalate[n] = e < 0 ? INTERVAL_NEVER_LE : (e > n ? n : e);
    deescalate[n] = d > n ? INTERVAL_NEVER_GE(n) : d;
    eliminate[n] = interval_elimination_threshold(phi, cutoff_eli, n);
    if (eliminate[n] < deescalate[n]) /* an eliminated current dose is de-escalated from */
      deescalate[n] = eliminate[n];
  }
}

/* ---- the design ---- */

boin_call boin_dose_call(const boin_params *p, int n, int y) {
  int row = n < 1 ? 1 : n;
  if (y <= p->f.escalate[row])
    return BOIN_CALL_ESCALATE;
  if (y >= p->f.eliminate[n])
    return BOIN_CALL_ELIMINATE;
  if (y >= p->f.deescalate[row])
    return BOIN_CALL_DEESCALATE;
  return BOIN_CALL_STAY;
}

/* y DLTs out of n are below the de-escalation boundary (n = 0: none seen, below). */
static bool boin_below_deescalation(const boin_params *p, int n, int y) {
  return y < p->f.deescalate[n < 1 ? 1 : n];
}

int boin_backfill_dose(const boin_params *p, const design_state *known, const uint8_t *enrolled) {
  int d = known->cur, best = 0;
  for (int b = 1; b < d; b++) {
    int n = known->n[b - 1], y = known->y[b - 1];
    int pooled_n = n + known->n[b], pooled_y = y + known->y[b]; /* with dose b + 1 <= d */
    if (!boin_below_deescalation(p, n, y) && !boin_below_deescalation(p, pooled_n, pooled_y))
      break; /* the first unsafe dose closes itself and every dose above it */
    if (known->e[b - 1] > 0 && enrolled[b - 1] < p->backfill_cap) {
      best = b;
      if (p->backfill_assign == BOIN_ASSIGN_LOWEST)
        break;
    }
  }
  return best;
}

int boin_backfill_next(const boin_params *p, const design_state *s, int first_out) {
  int d = s->cur, k = p->f.n_doses;
  bool up = d < k && d + 1 < first_out; /* escalation is open */
  boin_call at_d = boin_dose_call(p, s->n[d - 1], s->y[d - 1]);
  /* b*: the highest lower dose whose call conflicts with d's (Table 2's two kinds of conflict) */
  int conflict = 0;
  for (int b = d - 1; b >= 1 && conflict == 0; b--) {
    boin_call at_b = boin_dose_call(p, s->n[b - 1], s->y[b - 1]);
    bool differs = at_d == BOIN_CALL_ESCALATE
                       ? at_b != BOIN_CALL_ESCALATE
                       : at_b == BOIN_CALL_DEESCALATE || at_b == BOIN_CALL_ELIMINATE;
    if (differs)
      conflict = b;
  }
  int next;
  if (conflict == 0) {
    next = at_d == BOIN_CALL_ESCALATE ? (up ? d + 1 : d)
           : at_d == BOIN_CALL_STAY   ? d
                                      : (d > 1 ? d - 1 : 1);
  } else {
    int pooled_n = 0, pooled_y = 0;
    for (int b = conflict; b <= d; b++) {
      pooled_n += s->n[b - 1];
      pooled_y += s->y[b - 1];
    }
    if (pooled_y <= p->f.escalate[pooled_n]) {
      next = up ? d + 1 : d;
    } else if (pooled_y >= p->f.deescalate[pooled_n]) {
      /* the highest dose whose pool from b* up is below the de-escalation boundary */
      int safe = 0, cn = 0, cy = 0;
      for (int b = conflict; b <= d; b++) {
        cn += s->n[b - 1];
        cy += s->y[b - 1];
        if (boin_below_deescalation(p, cn, cy))
          safe = b;
      }
      next = safe > 0 ? safe : (conflict > 1 ? conflict - 1 : 1);
    } else {
      next = d;
    }
  }
  return next >= first_out ? first_out - 1 : next;
}

/* ---- the design ---- */

static const char *const boin_assign_words[] = {"highest", "lowest", NULL}; /* as boin_assign */

static const design_option boin_option_table[] = {
    BOIN_OPTION_ENTRIES(0),
    {.key = "backfill.cap",
     .kind = DESIGN_OPT_INT,
     .at = offsetof(boin_options, backfill_cap),
     .def = 0,
     .min = DESIGN_AT_LEAST(0),
     .max = DESIGN_AT_MOST(DESIGN_MAX_N),
     .needs_time = true,
     .help = "backfill (BF-BOIN, Zhao et al. 2024): while a cohort waits, an arrival goes to an "
             "open lower dose holding fewer than this many patients; 0: none"},
    {.key = "backfill.assign",
     .kind = DESIGN_OPT_WORD,
     .at = offsetof(boin_options, backfill_assign),
     .words = boin_assign_words,
     .def = BOIN_ASSIGN_HIGHEST,
     .help = "the open dose a backfilled arrival goes to: the highest or the lowest"},
    {.key = NULL}};

static const design_reason boin_reasons[] = {
    {"lowest_dose_eliminated", true}, {"extrasafe", true}, {"n_earlystop", false}, {NULL, false}};

/* extrasafe: n_1 >= 3 and P(p_1 > phi | data) > cutoff_eli - offset (stop_lowest is "never" for
 * n < 3). */
static bool boin_extrasafe_stop(const boin_params *p, const design_state *s) {
  return p->extrasafe && s->y[0] >= p->stop_lowest[s->n[0]];
}

static int boin_select(const void *params, const design_state *s, int highest) {
  const boin_params *p = params;
  /* As select.mtd(): no MTD when the lowest dose is eliminated or fails the extra-safety rule. */
  if (boin_extrasafe_stop(p, s))
    return 0;
  return interval_select(&p->f, s, highest, p->bound_mtd ? p->lambda_d : INFINITY);
}

static design_action boin_decide(const void *params, const design_state *s) {
  const boin_params *p = params;
  if (s->cur == 0)
    return design_treat(p->f.start_dose);
  int first_out = interval_lowest_eliminated(&p->f, s);
  if (first_out == 1)
    return design_stop(0, BOIN_LOWEST_ELIMINATED);
  if (boin_extrasafe_stop(p, s))
    return design_stop(0, BOIN_EXTRASAFE);
  /* with backfill a lower dose's counts grow while the cohorts are above it: the conflict rule
   * weighs them. Without backfilled patients it is BOIN's move (each lower dose was left upwards,
   * so it calls escalate, and its counts have not changed since: no conflict), which the design
   * without backfill keeps. */
  int d = s->cur, next = p->backfill_cap > 0 ? boin_backfill_next(p, s, first_out)
                                             : interval_next_dose(&p->f, s, first_out);
  /* n_earlystop: the dose-finding has settled when n_d reaches it and the decision is to stay
   * (get.boundary "Details"; blocked moves count as staying, as in get.oc()). A just-eliminated
   * current dose is left, never stayed at. */
  if (next == d && s->n[d - 1] >= p->n_earlystop)
    return design_stop(boin_select(p, s, p->f.n_doses), BOIN_EARLYSTOP);
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
  p->f.n_doses = setup->n_doses;
  p->f.start_dose = setup->start_dose;
  p->f.target = phi;
  p->f.cutoff_eli = o->cutoff_eli;
  p->p_saf = o->p_saf;
  p->p_tox = o->p_tox;
  p->offset = o->offset;
  p->extrasafe = o->extrasafe;
  p->bound_mtd = o->bound_mtd;
  p->n_earlystop = o->n_earlystop > INTERVAL_TABLE_LEN ? INTERVAL_TABLE_LEN : (int)o->n_earlystop;
  boin_boundaries(phi, p->p_saf, p->p_tox, &p->lambda_e, &p->lambda_d);
  boin_decision_table(phi, p->lambda_e, p->lambda_d, p->f.cutoff_eli, DESIGN_MAX_N, p->f.escalate,
                      p->f.deescalate, p->f.eliminate);
  for (int n = 0; n <= DESIGN_MAX_N; n++)
    p->stop_lowest[n] = interval_elimination_threshold(phi, p->f.cutoff_eli - p->offset, n);
  p->backfill_cap = (int)o->backfill_cap;
  p->backfill_assign = (boin_assign)o->backfill_assign;
  /* every backfilled dose is below the cohorts' (K - 1 of them) and holds at most cap patients:
   * max_n + (K - 1) cap patients a trial, each with their own tolerances */
  long most = (long)setup->max_n + (long)(setup->n_doses - 1) * o->backfill_cap;
  if (o->backfill_cap > 0 && most > DESIGN_MAX_N)
    return error_set(err, DV_ECONFIG,
                     "backfill.cap: %ld; allowed: 0 to %ld (max_n %d + (doses - 1) x cap "
                     "backfilled patients must be at most %d)",
                     o->backfill_cap,
                     setup->n_doses > 1 ? (DESIGN_MAX_N - setup->max_n) / (setup->n_doses - 1)
                                        : (long)DESIGN_MAX_N,
                     setup->max_n, DESIGN_MAX_N);
  return DV_OK;
}

static int boin_side_most(const void *params) {
  const boin_params *p = params;
  return p->backfill_cap > 0 ? (p->f.n_doses - 1) * p->backfill_cap : 0;
}

static int boin_side_dose(const void *params, const design_state *known, const uint8_t *enrolled) {
  return boin_backfill_dose(params, known, enrolled);
}

static void boin_table_row(const void *params, int n, design_table_row *row) {
  const boin_params *p = params;
  *row = (design_table_row){.escalate = p->f.escalate[n],
                            .deescalate = p->f.deescalate[n],
                            .eliminate = p->f.eliminate[n],
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
               p->f.target, p->p_saf, p->p_tox, p->lambda_e, p->lambda_d, p->f.cutoff_eli);
  if (p->extrasafe && used > 0 && (size_t)used < len)
    used += snprintf(buf + used, len - (size_t)used,
                     "extrasafe   %.4f  stop the trial if at least 3 patients were treated at the "
                     "lowest\n"
                     "                    dose and P(its DLT rate > target | data) > cutoff_eli - "
                     "offset\n",
                     p->f.cutoff_eli - p->offset);
  /* BF-BOIN's rules in the same words (Zhao, Yuan, Korn & Freidlin 2024: the open dose, and the
   * pooled decision of their Table 2), for the protocol's appendix beside the table */
  if (p->backfill_cap > 0 && used > 0 && (size_t)used < len)
    snprintf(buf + used, len - (size_t)used,
             "backfill    BF-BOIN (Zhao, Yuan, Korn & Freidlin 2024): while a cohort awaits its\n"
             "                    outcomes, an arrival goes to the %s open dose below the\n"
             "                    current one. A dose is open while it holds fewer than %d\n"
             "                    patients, a response was seen there, and its DLTs, alone or\n"
             "                    pooled with the dose above, are below the de-escalation\n"
             "                    boundary (the table's row for their"
             " number of patients); the\n"
             "                    first dose that is not closes itself and"
             " every dose above it.\n"
             "                    When a backfilled lower dose's call differs"
             " from the current\n"
             "                    dose's, the doses from it up are pooled and the table decides\n"
             "                    on the pool (their Table 2). Backfill ends with escalation.\n",
             p->backfill_assign == BOIN_ASSIGN_LOWEST ? "lowest" : "highest", p->backfill_cap);
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
    .side_most = boin_side_most,
    .side_dose = boin_side_dose,
};
