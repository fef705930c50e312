/* svg.h — the report's charts: a small SVG writer (axes, ticks, labels, legend) for grouped bar
 * charts and a dose-toxicity curve. No Debian C library draws charts; this one file does what
 * report.html needs. Colours: the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal
 * Design"), which readers with the common colour-vision deficiencies can tell apart. */
#ifndef DOSEVAL_SVG_H
#define DOSEVAL_SVG_H

#include <stdio.h>

/* Colour of series i (the benchmark, or anything last, may use SVG_GREY). */
const char *svg_colour(int i);
#define SVG_GREY "#7f7f7f"

/* Writes s with &, <, >, " and ' escaped, for HTML and SVG text and attributes. */
void svg_text(FILE *fp, const char *s);

typedef struct {
  const char *title;         /* above the plot */
  const char *y_label;       /* beside the y axis */
  int n_groups;              /* categories along x (e.g. doses) */
  const char *const *groups; /* their labels */
  int n_series;              /* bars per group (e.g. designs) */
  const char *const *series; /* their names, for the legend */
  const char *const *colours;
  const double *values; /* values[series * n_groups + group]; NaN: no bar */
  double y_max;         /* top of the y axis; 0: from the data */
} svg_bars_spec;

/* A grouped bar chart, width x height pixels (scales with the page). */
void svg_bars(FILE *fp, const svg_bars_spec *spec, int width, int height);

/* The true dose-toxicity curve y[0..n-1] at x labels, with a dashed line at `target` and the
 * dose `mark` (1-based, 0: none) ringed. */
void svg_curve(FILE *fp, const char *title, int n, const char *const *x_labels, const double *y,
               double target, int mark, int width, int height);

#endif
