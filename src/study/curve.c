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
