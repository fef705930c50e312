/* test_curve.c — the facts read off a true curve (src/study/curve.c, SPEC section 8): the dose
 * closest to the target and its tie rule. */
#include <criterion/criterion.h>

#include "curve.h"

Test(curve, closest_dose_lower_on_tie) {
  const double a[3] = {0.1, 0.25, 0.35}; /* 0.05 either side: the lower */
  cr_expect_eq(curve_closest_dose(a, 3, 0.3), 2);
  const double b[3] = {0.05, 0.12, 0.31};
  cr_expect_eq(curve_closest_dose(b, 3, 0.3), 3);
  const double c[3] = {0.6, 0.7, 0.8};
  cr_expect_eq(curve_closest_dose(c, 3, 0.3), 1);
  /* as doubles 0.57 - 0.3 is below 0.3 - 0.03 by 4e-17: still a tie, so the lower */
  const double d[2] = {0.03, 0.57};
  cr_expect_eq(curve_closest_dose(d, 2, 0.3), 1);
}
