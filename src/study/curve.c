/* curve.c — the facts SPEC section 8 reads off a true curve (see curve.h). */
#include "curve.h"

#include <math.h>

int curve_closest_dose(const double *p, int k, double phi) {
  int best = 1;
  for (int d = 2; d <= k; d++)
    if (fabs(p[d - 1] - phi) < fabs(p[best - 1] - phi) - CURVE_TIE)
      best = d;
  return best;
}

bool curve_too_toxic(double p, double too_toxic) { return p >= too_toxic - CURVE_TIE; }

int curve_true_mtd(const double *p, int k, double phi, double too_toxic) {
  bool all = true;
  for (int d = 1; d <= k; d++)
    all = all && curve_too_toxic(p[d - 1], too_toxic);
  return all ? 0 : curve_closest_dose(p, k, phi);
}

bool curve_acceptable(double p, double lo, double hi) {
  return p >= lo - CURVE_TIE && p <= hi + CURVE_TIE;
}
