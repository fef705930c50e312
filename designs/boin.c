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

static const design_option boin_option_table[] = {BOIN_OPTION_ENTRIES(0), {.key = NULL}};

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
  int d = s->cur, next = interval_next_dose(&p->f, s, first_out);
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
  return DV_OK;
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
    snprintf(buf + used, len - (size_t)used,
             "extrasafe   %.4f  stop the trial if at least 3 patients were treated at the lowest\n"
             "                    dose and P(its DLT rate > target | data) > cutoff_eli - offset\n",
             p->f.cutoff_eli - p->offset);
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
