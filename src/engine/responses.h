/* responses.h — the efficacy endpoint's random numbers (SPEC section 13): each patient's response
 * tolerance beside the toxicity one, in the common random numbers, and the cohort outcome law the
 * exact engine needs.
 *
 * Patient i of trial t in scenario s has a response tolerance r_i and responds at dose d iff
 * r_i < q_d (q = p_eff). r_i comes from the scenario's response stream (rng_for_response), output
 * 256 t + i, as u_i comes from the patients' stream: w_i = (x + 0.5) / 2^32. With correlation
 * rho = 0 (the default), r_i = w_i. Otherwise the two tolerances are joined by a Gaussian copula:
 * r_i = Phi(rho Phi^-1(u_i) + sqrt(1 - rho^2) Phi^-1(w_i)), so (Phi^-1(u_i), Phi^-1(r_i)) is
 * standard bivariate normal with correlation rho and each tolerance stays uniform. A positive rho
 * makes a DLT (small u) and a response (small r) go together. Nothing here moves a draw of the
 * patients', curves' or time streams. */
#ifndef DOSEVAL_RESPONSES_H
#define DOSEVAL_RESPONSES_H

#include <stdbool.h>
#include <stdint.h>

#include "design.h"
#include "rng.h"

/* The standard normal distribution function and its inverse (0 < p < 1). */
double responses_phi(double x);
double responses_phi_inv(double p);

/* P(DLT and response) for one patient at a dose with DLT probability p and response probability
 * q under the copula's rho: p q when rho = 0, else the Gaussian copula C_rho(p, q). */
double responses_both(double p, double q, double rho);

/* The law of a cohort of c patients at one dose: P(y DLTs and r responses) at [y][r], from the
 * four per-patient cells (a trinomial sum over the patients with both). */
void responses_cohort_law(int c, double p, double q, double rho,
                          double law[DESIGN_MAX_COHORT + 1][DESIGN_MAX_COHORT + 1]);

/* The most outcomes of a cohort: (c + 1)^2 for a design that reads responses. */
#define RESPONSES_MAX_OUTCOMES ((DESIGN_MAX_COHORT + 1) * (DESIGN_MAX_COHORT + 1))

/* A scenario's law of one cohort's outcome at each dose, numbered as the decision graph numbers a
 * node's children (graph.h): pmf[d - 1][y] = Binomial(c, p_d) at y DLTs for a design that reads
 * DLTs only (`outcomes` = c + 1); pmf[d - 1][y + (c + 1) r] = responses_cohort_law's [y][r] for
 * one that reads responses (`outcomes` = (c + 1)^2). The exact sweep and `paths` weigh with it. */
typedef struct {
  int outcomes;
  double pmf[DESIGN_MAX_DOSES][RESPONSES_MAX_OUTCOMES];
} responses_law;

/* Fills law for k doses and cohorts of c under p_tox (and, when `responses`, p_eff and the
 * copula's rho; p_eff is not read otherwise and may be NULL). */
void responses_law_init(responses_law *law, int k, int c, bool responses, const double *p_tox,
                        const double *p_eff, double rho);

/* One scenario's response draws, trial after trial. */
typedef struct {
  int k;
  double rho;
  double q[DESIGN_MAX_DOSES];
  uint64_t thr[DESIGN_MAX_DOSES]; /* rho = 0: responds at d iff x < thr[d] */
  rng_pcg32 resp, tox;            /* this trial's segment of both streams (tox: rho != 0) */
  rng_jump next_resp, next_tox;   /* one trial's segment along each */
} responses_trial;

/* Positions the draws at trial t of scenario `stream` under `seed`. */
void responses_trial_init(responses_trial *rt, const double *q, int k, double rho, uint64_t seed,
                          uint32_t stream, uint64_t t, unsigned segment_log2);
/* The current trial's n patients: sums[i] the sum of the response words (a 1 in 4-bit field d - 1
 * for each dose d the patient responds at) of patients 0 .. i-1, as trial.c's DLT words; then
 * moves to the next trial. */
void responses_trial_draw(responses_trial *rt, int n, uint64_t *sums);

/* Responses at dose d among patients [a, a + c), from the sums. */
static inline int responses_in_cohort(const uint64_t *sums, int a, int c, int d) {
  return (int)(((sums[a + c] - sums[a]) >> (4 * (d - 1))) & 15u);
}

#endif
