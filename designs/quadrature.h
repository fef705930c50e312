/* quadrature.h — the one Gauss-Legendre rule, for CRM's posterior integrals and for the random
 * scenarios' probabilities. A pure function: no allocation, no state. */
#ifndef DOSEVAL_QUADRATURE_H
#define DOSEVAL_QUADRATURE_H

/* Nodes x[0..m-1] (ascending) and weights w of the m-point Gauss-Legendre rule on [-1, 1]:
 * exact for polynomials of degree below 2m. */
void gauss_legendre(int m, double *x, double *w);

#endif
