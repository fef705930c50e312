/* quadrature.c — the m-point Gauss-Legendre rule on [-1, 1]: Newton's method on the Legendre
 * polynomial P_m from the asymptotic guess cos(pi (i + 3/4) / (m + 1/2)) (Abramowitz & Stegun
 * 22.16.6 and 25.4.29: w_i = 2 / ((1 - x_i^2) P_m'(x_i)^2)). The rule is symmetric, so each
 * positive node gives its negative twin too. */
#include "quadrature.h"

#include <math.h>

void gauss_legendre(int m, double *x, double *w) {
  const double pi = 3.14159265358979323846;
  for (int i = 0; i < (m + 1) / 2; i++) {
    double z = cos(pi * (i + 0.75) / (m + 0.5)), dp = 1.0;
    for (int iter = 0; iter < 100; iter++) {
      double p0 = 1.0, p1 = z;
      for (int j = 2; j <= m; j++) { /* Bonnet's recursion */
        double p2 = ((2.0 * j - 1.0) * z * p1 - (j - 1.0) * p0) / j;
        p0 = p1;
        p1 = p2;
      }
      dp = m * (z * p1 - p0) / (z * z - 1.0);
      double step = p1 / dp;
      z -= step;
      if (fabs(step) < 1e-16)
        break;
    }
    x[i] = -z;
    x[m - 1 - i] = z;
    w[i] = w[m - 1 - i] = 2.0 / ((1.0 - z * z) * dp * dp);
  }
}
