/* test_curve.c — the facts read off a true curve (src/study/curve.c, SPEC section 8): the dose
 * closest to the target and its tie rule, the true MTD (none when every dose is too toxic) at
 * its boundaries, and the closed acceptable interval. */
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

/* SPEC section 8: no true MTD (0) when every dose is at or above too_toxic; a dose exactly at
 * too_toxic counts as too toxic, rounding included. */
Test(curve, no_true_mtd_when_every_dose_is_too_toxic) {
  const double phi = 0.3, tt = 1.4 * 0.3; /* the default, BOIN's phi2: 0.42 */
  const double all_above[3] = {0.5, 0.6, 0.7};
  cr_expect_eq(curve_true_mtd(all_above, 3, phi, tt), 0);
  const double first_at[3] = {0.42, 0.6, 0.7}; /* dose 1 exactly at too_toxic */
  cr_expect_eq(curve_true_mtd(first_at, 3, phi, tt), 0);
  cr_expect_eq(curve_true_mtd(first_at, 3, phi, 0.42), 0);
  const double first_below[3] = {0.4199, 0.6, 0.7};
  cr_expect_eq(curve_true_mtd(first_below, 3, phi, tt), 1);
  /* 1.4 x 0.277 is 0.38780000000000003 as a double, the written 0.3878 just below it */
  const double written[2] = {0.3878, 0.5};
  cr_expect_eq(curve_true_mtd(written, 2, 0.277, 1.4 * 0.277), 0);
  /* one dose below is enough for a true MTD, and it is the closest dose, too toxic or not */
  const double one_below[2] = {0.05, 0.45};
  cr_expect_eq(curve_true_mtd(one_below, 2, phi, tt), 2);
  /* not monotone: the rule reads every dose */
  const double dip[3] = {0.5, 0.41, 0.7};
  cr_expect_eq(curve_true_mtd(dip, 3, phi, tt), 2);
  /* ties: a flat curve above too_toxic has none, one below it its lowest dose */
  const double flat_toxic[3] = {0.5, 0.5, 0.5}, flat[3] = {0.25, 0.25, 0.25};
  cr_expect_eq(curve_true_mtd(flat_toxic, 3, phi, tt), 0);
  cr_expect_eq(curve_true_mtd(flat, 3, phi, tt), 1);
  const double tie[2] = {0.25, 0.35};
  cr_expect_eq(curve_true_mtd(tie, 2, phi, tt), 1);
  /* too_toxic 1: only a curve of certain DLTs has none */
  const double certain[2] = {1, 1}, nearly[2] = {0.99, 1};
  cr_expect_eq(curve_true_mtd(certain, 2, phi, 1), 0);
  cr_expect_eq(curve_true_mtd(nearly, 2, phi, 1), 1);
}

/* The acceptable interval is closed, rounding included: at target 0.2 the default lower end
 * 0.2 - 0.05 is the double 0.15000000000000002, above the written 0.15. */
Test(curve, acceptable_interval_is_closed) {
  cr_expect(curve_acceptable(0.15, 0.2 - 0.05, 0.2 + 0.05));
  cr_expect(curve_acceptable(0.25, 0.2 - 0.05, 0.2 + 0.05));
  cr_expect(curve_acceptable(0.2, 0.2 - 0.05, 0.2 + 0.05));
  cr_expect(!curve_acceptable(0.1499, 0.2 - 0.05, 0.2 + 0.05));
  cr_expect(!curve_acceptable(0.2501, 0.2 - 0.05, 0.2 + 0.05));
  cr_expect(curve_acceptable(0, 0, 0.1));
  cr_expect(curve_acceptable(1, 0.9, 1));
}
