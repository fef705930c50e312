/* boin.h — the pure functions of the BOIN design (Liu & Yuan 2015) shared by designs/boin.c,
 * `doseval boundaries` and the tests; what BOIN shares with the other interval designs
 * (elimination, isotonic MTD selection) is in interval.h.
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
#include "interval.h"

/* The escalation and de-escalation boundaries of Liu & Yuan (2015), their closed forms
 *   lambda_e = ln((1-p_saf)/(1-phi)) / ln(phi(1-p_saf) / (p_saf(1-phi)))
 *   lambda_d = ln((1-phi)/(1-p_tox)) / ln(p_tox(1-phi) / (phi(1-p_tox))).
 * phi: target DLT probability; p_saf, p_tox: the highest rate deemed sub-therapeutic and the
 * lowest deemed overly toxic. Requires 0 < p_saf < phi < p_tox < 1 (then
 * p_saf < lambda_e < phi < lambda_d < p_tox). Writes both boundaries. */
void boin_boundaries(double phi, double p_saf, double p_tox, double *lambda_e, double *lambda_d);

/* The decision table for n = 0..n_max patients at the current dose, the arrays each holding
 * n_max + 1 entries indexed by n:
 *   escalate[n]   = floor(lambda_e * n): escalate if # DLT <= it (i.e. y/n <= lambda_e);
 *   deescalate[n] = ceil(lambda_d * n) (y/n >= lambda_d), lowered to eliminate[n] when that is
 *                   smaller, because an eliminated current dose is always de-escalated from
 *                   (as get.boundary() of the R package does);
 *   eliminate[n]  = interval_elimination_threshold(phi, cutoff_eli, n).
 * Entries at n = 0 are "never" (INTERVAL_NEVER_LE / INTERVAL_NEVER_GE(0)). Requires n_max >= 0 and
 * the lambdas from boin_boundaries. */
void boin_decision_table(double phi, double lambda_e, double lambda_d, double cutoff_eli, int n_max,
                         int *escalate, int *deescalate, int *eliminate);

#endif
