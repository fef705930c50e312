/* curve.h — what SPEC section 8 reads off a true dose–toxicity curve, in one place: the dose
 * closest to the target (the pseudo-uniform draw conditions on it too) and the true MTD.
 * Pure functions of the curve; scenarios.c gives every scenario its true MTD through them. */
#ifndef DOSEVAL_CURVE_H
#define DOSEVAL_CURVE_H

/* Two distances (or probabilities) closer than this are equal: rounding in a curve written as
 * decimals must not decide a tie. */
#define CURVE_TIE 1e-12

/* The dose (1..k) whose p is closest to phi, the lower on a tie (within CURVE_TIE). */
int curve_closest_dose(const double *p, int k, double phi);

#endif
