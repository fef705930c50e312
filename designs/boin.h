/* boin.h — the pure functions of the BOIN design (Liu & Yuan 2015) shared by designs/boin.c,
 * `doseval boundaries` and the tests.
 *
 * References: Liu S, Yuan Y (2015). Bayesian optimal interval designs for phase I clinical trials.
 * JRSS C 64(3):507-523 (the boundaries lambda_e / lambda_d and the elimination rule);
 * Yan F et al. (2020). BOIN: an R package for designing single-agent and drug-combination
 * dose-finding trials using Bayesian optimal interval designs. J Stat Softw 94(13), and the R
 * package's documentation of get.boundary() and select.mtd() (decision table, isotonic MTD).
 *
 * Everything here is pure: no allocation, no I/O, no state. Doses are 1-based in results,
 * arrays are indexed from 0. */
#ifndef DOSEVAL_BOIN_H
#define DOSEVAL_BOIN_H

#include "design.h"

/* "Never" in the `>=` rows of a decision table at n patients is n + 1 (no count of DLTs out of n
 * reaches it); "never" in the `<=` row is -1. */
#define BOIN_NEVER_GE(n) ((n) + 1)
#define BOIN_NEVER_LE (-1)

/* Two distances to the target closer than this are a tie in boin_closest (rounding only: the
 * estimates of a pooled PAVA block are bit-identical, distinct estimates are ties only when equal
 * in exact arithmetic). */
#define BOIN_TIE_TOL 1e-12

/* The escalation and de-escalation boundaries of Liu & Yuan (2015), their closed forms
 *   lambda_e = ln((1-p_saf)/(1-phi)) / ln(phi(1-p_saf) / (p_saf(1-phi)))
 *   lambda_d = ln((1-phi)/(1-p_tox)) / ln(p_tox(1-phi) / (phi(1-p_tox))).
 * phi: target DLT probability; p_saf, p_tox: the highest rate deemed sub-therapeutic and the
 * lowest deemed overly toxic. Requires 0 < p_saf < phi < p_tox < 1 (then
 * p_saf < lambda_e < phi < lambda_d < p_tox). Writes both boundaries. */
void boin_boundaries(double phi, double p_saf, double p_tox, double *lambda_e, double *lambda_d);

/* P(p > phi | p ~ Beta(y+1, n-y+1)): the posterior probability that the DLT rate exceeds phi
 * after y DLTs in n patients under a uniform Beta(1,1) prior. Computed exactly through the
 * identity I_x(a, N-a+1) = P(Bin(N, x) >= a) for integers 1 <= a <= N (NIST DLMF section 8.17(i)),
 * so P(Beta(a, b) > x) = P(Bin(a+b-1, x) <= a-1) and here P(Bin(n+1, phi) <= y),
 * summed term by term in log space so that n up to 255 neither under- nor overflows.
 * Requires 0 <= y <= n and 0 < phi < 1. Returns a probability in [0, 1]. */
double boin_beta_upper_tail(int y, int n, double phi);

/* The smallest number of DLTs y out of n for which n >= 3 and boin_beta_upper_tail(y, n, phi) >
 * cutoff: with cutoff = cutoff_eli the elimination boundary, with cutoff_eli - offset the
 * extra-safety stopping boundary for the lowest dose. Returns BOIN_NEVER_GE(n) when n < 3 or no
 * y in 0..n exceeds the cutoff. (The tail grows with y, so y DLTs out of n pass the cutoff
 * exactly when y >= the returned value.) */
int boin_elimination_threshold(double phi, double cutoff, int n);

/* The decision table for n = 0..n_max patients at the current dose, the arrays each holding
 * n_max + 1 entries indexed by n:
 *   escalate[n]   = floor(lambda_e * n): escalate if # DLT <= it (i.e. y/n <= lambda_e);
 *   deescalate[n] = ceil(lambda_d * n) (y/n >= lambda_d), lowered to eliminate[n] when that is
 *                   smaller, because an eliminated current dose is always de-escalated from
 *                   (as get.boundary() of the R package does);
 *   eliminate[n]  = boin_elimination_threshold(phi, cutoff_eli, n).
 * Entries at n = 0 are "never" (BOIN_NEVER_LE / BOIN_NEVER_GE(0)). Requires n_max >= 0 and the
 * lambdas from boin_boundaries. */
void boin_decision_table(double phi, double lambda_e, double lambda_d, double cutoff_eli, int n_max,
                         int *escalate, int *deescalate, int *eliminate);

/* Weighted pool-adjacent-violators (Barlow et al. 1972; as select.mtd() uses it): writes to out
 * the non-decreasing sequence minimising sum w_i (out_i - est_i)^2. est and out may be the same
 * array. w: m positive weights, or NULL for equal weights. m >= 0. */
void boin_pava(const double *est, const double *w, int m, double *out);

/* The index (0-based) of the estimate closest to phi among those < bound (pass INFINITY for no
 * bound), with the tie rules of BOIN's select.mtd(): within equal distance (BOIN_TIE_TOL), an
 * estimate below phi beats one at or above it; among estimates below phi the higher index wins,
 * among estimates at or above phi the lower index wins. Returns -1 when no estimate is < bound. */
int boin_closest(const double *est, int m, double phi, double bound);

/* The MTD chosen by BOIN at the end of a trial (select.mtd() of the R package) among doses 1..k,
 * which the caller has already cut to the non-eliminated ones: the isotonic (PAVA) regression of
 * (y+0.05)/(n+0.1) over the treated doses (n > 0), weighted by the inverse variance of
 * Beta(y+0.05, n-y+0.05), i.e. 1 / [(y+0.05)(n-y+0.05) / ((n+0.1)^2 (n+1.1))], and the dose whose
 * estimate is closest to phi (boin_closest), considering only estimates < bound (bound_mtd:
 * lambda_d; otherwise INFINITY). n, y: counts of doses 1..k (index d-1), 0 <= y <= n.
 * est_out: if not NULL, receives k values, the isotonic estimate of each treated dose and NAN for
 * untreated ones. Requires 0 <= k <= DESIGN_MAX_DOSES (the scratch lives on the stack).
 * Returns the dose (1..k), or 0 when no dose is treated or eligible. */
int boin_select_mtd(const int *n, const int *y, int k, double phi, double bound, double *est_out);

#endif
