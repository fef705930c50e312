/* curve.h — what SPEC section 8 reads off a true dose–toxicity curve, in one place: the dose
 * closest to the target (the pseudo-uniform draw conditions on it too), whether every dose is
 * too toxic, the true MTD, and which doses are acceptable. Pure functions of the curve;
 * scenarios.c gives every scenario its true MTD and acceptable doses through them, and the
 * complete-information benchmark judges its estimated curve by curve_too_toxic. */
#ifndef DOSEVAL_CURVE_H
#define DOSEVAL_CURVE_H

#include <stdbool.h>

/* Two distances (or probabilities) closer than this are equal: rounding in a curve written as
 * decimals must not decide a tie or a bound (0.42 against 1.4 x 0.3). */
#define CURVE_TIE 1e-12

/* The dose (1..k) whose p is closest to phi, the lower on a tie (within CURVE_TIE). */
int curve_closest_dose(const double *p, int k, double phi);

/* p at or above too_toxic (within CURVE_TIE): a dose no MTD can be. */
bool curve_too_toxic(double p, double too_toxic);

/* The true MTD (SPEC section 8): 0 (none) when every dose is too toxic (curve_too_toxic), else
 * the closest dose. Stopping with no MTD is then the correct selection. */
int curve_true_mtd(const double *p, int k, double phi, double too_toxic);

/* p within the acceptable interval [lo, hi] (within CURVE_TIE at either end). */
bool curve_acceptable(double p, double lo, double hi);

#endif
