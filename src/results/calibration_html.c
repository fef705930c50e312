/* calibration_html.c — report.html of a calibration (SPEC section 15): the best point, a chart of
 * the objective over the grid (a heat map for two keys, a line with error bars for one) beside
 * the mean % of patients above the true MTD, each point's difference to the best with its paired
 * MCSE (calibration.csv's diff_best, diff_best_mcse: the points share their virtual patients), and
 * the table of every point. Inline CSS and SVG,
 * no script; every number is calibration.csv's, rounded. Colours: viridis (perceptually uniform,
 * legible in grey and to readers with colour-vision deficiencies); lines: Okabe-Ito (svg.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "build_info.h"
#include "calibration.h"
#include "svg.h"

/* Past this many points the table lists the best ones (the rest are in calibration.csv). */
#define CAL_MAX_TABLE_ROWS 200
/* Past this many values on an axis a heat map's cells are too small to read or print. */
#define CAL_MAX_HEAT_VALUES 40
/* A paired MCSE below this is the rounding of an exact difference (two exact points without
 * random curves: every batch differs alike), which calibration.csv's 12 decimals show as 0. */
#define CAL_MCSE_ROUNDING 5e-13

static const char css[] =
    "body{font:14px/1.4 'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;max-width:1040px;"
    "margin:0 auto;padding:16px 24px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 6px;"
    "border-bottom:2px solid #0072B2;padding-bottom:2px}"
    "p.sub{color:#555;margin:0 0 8px}p.note{color:#555;font-size:12px;margin:4px 0}"
    "table{border-collapse:collapse;margin:6px 0 12px;font-size:12.5px}"
    "th,td{padding:3px 7px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}"
    "th{background:#f3f6fa;font-weight:600}th.l,td.l{text-align:left}"
    "tr.best td{font-weight:700;background:#e8f1fa}span.near{color:#0072B2;font-weight:700}"
    "tr.best td:first-child:after{content:' \\2605';"
    "color:#0072B2}tr.over td{color:#888}span.se{color:#777;font-size:11px}"
    "div.best{border:2px solid #0072B2;border-radius:4px;padding:6px 10px;margin:8px 0;"
    "background:#f5f9fd}"
    ".figs{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}svg{max-width:100%;"
    "height:auto}svg .t{font-size:13px;font-weight:600}svg .a{font-size:11px;fill:#333}"
    "svg .v{font-size:10.5px}svg .g{stroke:#e4e4e4}svg .ax{stroke:#333}"
    "svg .tg{stroke:#D55E00;stroke-dasharray:5 4}"
    "pre{background:#f6f6f6;padding:8px;font-size:11.5px;white-space:pre-wrap}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:12.5px}"
    "dt{color:#555}dd{margin:0}"
    "@page{size:A4;margin:12mm}@media print{body{max-width:none;padding:0;font-size:10px;"
    "line-height:1.3}h1{font-size:16px}h2{font-size:13px;margin:10px 0 4px}"
    "p.sub,p.note{font-size:9px;margin:2px 0}table{font-size:9px;margin:2px 0 6px}"
    "th,td{padding:1px 4px}span.se{font-size:7.5px}div.best{padding:3px 6px;margin:4px 0}"
    ".figs svg{width:49%}tr,svg,div.best{break-inside:avoid}h2,p.sub{break-after:avoid}"
    "dl{font-size:9px}pre{font-size:8.5px}}";

static void text(FILE *fp, const char *s) { svg_text(fp, s); }

/* viridis at t in [0, 1], from five of its stops (matplotlib's _viridis_data), linearly. */
static void viridis(double t, char *buf, size_t len, bool *dark) {
  static const double stop[5][3] = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  double x = t * 4;
  int i = x >= 4 ? 3 : (int)x;
  double f = x - i;
  int c[3];
  for (int k = 0; k < 3; k++)
    c[k] = (int)lround(stop[i][k] + f * (stop[i + 1][k] - stop[i][k]));
  snprintf(buf, len, "#%02x%02x%02x", c[0], c[1], c[2]);
  *dark = t < 0.55;
}

static bool admissible(const calibration *c, size_t p) {
  return !c->has_max_overdose || c->points[p].pct_overdosed <= c->max_overdose;
}

/* The charts' metrics: the objective, pct_overdosed, the difference to the best point. */
enum { CAL_OBJECTIVE, CAL_OVERDOSED, CAL_DIFF };

/* The value of point p's metric `which`. */
static double metric(const calibration *c, long best, size_t p, int which) {
  if (which == CAL_DIFF) {
    double d, se;
    calibration_diff_best(c, best, p, &d, &se);
    return d;
  }
  return which == CAL_OBJECTIVE ? c->points[p].objective : c->points[p].pct_overdosed;
}

/* The paired MCSE of p's difference to the best: 0 for an exact one, NaN where not known. */
static double paired_se(const calibration *c, long best, size_t p) {
  double d, se;
  calibration_diff_best(c, best, p, &d, &se);
  return se < CAL_MCSE_ROUNDING ? 0.0 : se;
}

/* The half-width of p's error bar: 1.96 MCSE of the objective, or of the difference to the best
 * (paired); 0 for pct_overdosed and where the MCSE is not known (NA). */
static double bar(const calibration *c, long best, size_t p, int which) {
  double se = which == CAL_OBJECTIVE ? c->points[p].objective_mcse
              : which == CAL_DIFF    ? paired_se(c, best, p)
                                     : 0.0;
  return isfinite(se) ? 1.96 * se : 0.0;
}

/* Point p is not the best, is within --max-overdose (an alternative to it) and within 1.96 paired
 * MCSE of it: not distinguishable from it at the 5% level (an exact tie when the difference has
 * no Monte Carlo error). */
static bool near_best(const calibration *c, long best, size_t p) {
  if (best < 0 || (long)p == best || !admissible(c, p))
    return false;
  double se = paired_se(c, best, p);
  return isfinite(se) && fabs(metric(c, best, p, CAL_DIFF)) <= 1.96 * se;
}

/* How many points are near the best (near_best); -1 when some paired MCSE is not known. */
static long count_near(const calibration *c, long best) {
  long n = 0;
  for (size_t p = 0; best >= 0 && p < c->g->n_points; p++) {
    double d, se;
    calibration_diff_best(c, best, p, &d, &se);
    if (!isfinite(se))
      return -1;
    n += near_best(c, best, p);
  }
  return n;
}

static const char *chart_title(const calibration *c, int which) {
  return which == CAL_OBJECTIVE   ? oc_catalogue[c->objective].label
         : which == CAL_OVERDOSED ? "% of patients above the true MTD"
                                  : "Difference to the best point";
}

/* The decimals a chart shows a metric with (the table shows a difference with 4, as stdout). */
static int decimals(int which) { return which == CAL_OVERDOSED ? 1 : 3; }

/* v as shown with dec decimals: one that rounds to 0 shows as 0, not -0. */
static double no_minus_zero(double v, int dec) { return fabs(v) < 0.5 * pow(10, -dec) ? 0.0 : v; }

/* The point with axis a0 at i, axis a1 at j and every other axis at `at`'s values. */
static size_t point_at(const calibration *c, size_t at, int a0, int i, int a1, int j) {
  size_t p = 0;
  for (int a = 0; a < c->g->n_axes; a++) {
    int v = a == a0 ? i : a == a1 ? j : grid_value_index(c->g, at, a);
    p = p * (size_t)c->g->axes[a].n_values + (size_t)v;
  }
  return p;
}

/* A heat map of metric `which` over axes a0 (across) and a1 (down), at `at`'s other values; the
 * best point outlined, points above --max-overdose notched, and on the objective's map the
 * points within 1.96 paired MCSE of the best outlined dashed. */
static void heat_map(FILE *fp, const calibration *c, int which, int a0, int a1, size_t at,
                     long best) {
  const grid_axis *x = &c->g->axes[a0], *y = &c->g->axes[a1];
  int nx = x->n_values, ny = y->n_values;
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < nx; i++)
    for (int j = 0; j < ny; j++) {
      double v = metric(c, best, point_at(c, at, a0, i, a1, j), which);
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
  int left = 70, top = 34, cw = nx <= 8 ? 56 : 440 / nx, ch = ny <= 6 ? 30 : 200 / ny;
  cw = cw < 12 ? 12 : cw;
  ch = ch < 10 ? 10 : ch;
  int W = left + nx * cw + 70, H = top + ny * ch + 48;
  W = W < 400 ? 400 : W; /* room for the title over a small grid */
  const char *title = chart_title(c, which);
  fprintf(fp, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">", W, H, W, H);
  fputs("<text class=\"t\" x=\"8\" y=\"16\">", fp);
  text(fp, title);
  fputs(", mean", fp);
  fputs("</text>", fp);
  bool show_values = cw >= 40 && ch >= 18;
  for (int j = 0; j < ny; j++) {
    /* the first value at the top */
    int yy = top + j * ch;
    fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6,
            yy + ch / 2 + 4);
    text(fp, y->values[j]);
    fputs("</text>", fp);
    for (int i = 0; i < nx; i++) {
      size_t p = point_at(c, at, a0, i, a1, j);
      double v = metric(c, best, p, which);
      /* the objective: larger is darker-to-brighter; overdosing the same way (brighter = more) */
      double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      char col[8];
      bool dark;
      viridis(t, col, sizeof col, &dark);
      int xx = left + i * cw;
      fprintf(fp,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\">"
              "<title>",
              xx, yy, cw, ch, col);
      char at_text[512];
      grid_point_text(c->g, p, at_text, sizeof at_text);
      text(fp, at_text);
      fprintf(fp, ": %.4f</title></rect>", v);
      if (show_values)
        fprintf(
            fp,
            "<text class=\"v\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%.*f</text>",
            xx + cw / 2, yy + ch / 2 + 4, dark ? "#fff" : "#000", decimals(which), v);
      if (!admissible(c, p)) /* a notch in the top right corner: the value stays legible */
        fprintf(fp,
                "<path d=\"M%d %dh-11l11 11z\" fill=\"#fff\" stroke=\"#222\" "
                "stroke-width=\"0.8\"/>",
                xx + cw - 1, yy + 1);
      if ((long)p == best)
        fprintf(fp,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                "stroke=\"#D55E00\" stroke-width=\"3\"/>",
                xx + 1, yy + 1, cw - 2, ch - 2);
      else if (which == CAL_OBJECTIVE && near_best(c, best, p)) /* in the value's colour */
        fprintf(fp,
                "<rect class=\"near\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                "fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                xx + 3, yy + 3, cw - 6, ch - 6, dark ? "#fff" : "#000");
    }
  }
  int step = nx > 12 ? (nx + 11) / 12 : 1;
  for (int i = 0; i < nx; i += step) {
    fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
            left + i * cw + cw / 2, top + ny * ch + 14);
    text(fp, x->values[i]);
    fputs("</text>", fp);
  }
  fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", left + nx * cw / 2,
          top + ny * ch + 32);
  text(fp, x->key);
  fputs("</text>", fp);
  fprintf(fp,
          "<text class=\"a\" x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
          "text-anchor=\"middle\">",
          top + ny * ch / 2, top + ny * ch / 2);
  text(fp, y->key);
  fputs("</text>", fp);
  /* the colour bar: low at the bottom */
  int bx = left + nx * cw + 14, bh = ny * ch;
  for (int k = 0; k < 20; k++) {
    char col[8];
    bool dark;
    viridis(1 - (k + 0.5) / 20, col, sizeof col, &dark);
    fprintf(fp, "<rect x=\"%d\" y=\"%.1f\" width=\"12\" height=\"%.2f\" fill=\"%s\"/>", bx,
            top + k * bh / 20.0, bh / 20.0 + 0.3, col);
  }
  fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%d\">%.*f</text>", bx + 15, top + 9, decimals(which),
          hi);
  fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%d\">%.*f</text>", bx + 15, top + bh, decimals(which),
          lo);
  fputs("</svg>\n", fp);
}

/* Whether every value of an axis is a number (then the line's x is to scale). */
static bool numeric_axis(const grid_axis *x, double *v) {
  for (int i = 0; i < x->n_values; i++) {
    char *end;
    v[i] = strtod(x->values[i], &end);
    if (end == x->values[i] || *end != '\0' || !isfinite(v[i]))
      return false;
  }
  return true;
}

/* A line of metric `which` along axis a at `at`'s other values: the objective with error bars of
 * 1.96 MCSE; pct_overdosed with --max-overdose dashed; the difference to the best point with
 * error bars of 1.96 paired MCSE and zero dashed. The best point ringed. */
static void line_chart(FILE *fp, const calibration *c, int which, int a, size_t at, long best) {
  const grid_axis *x = &c->g->axes[a];
  int n = x->n_values;
  double *xv = calloc((size_t)n, sizeof *xv);
  if (xv == NULL)
    return;
  bool scaled = numeric_axis(x, xv);
  double xlo = scaled ? xv[0] : 0, xhi = scaled ? xv[0] : n - 1;
  for (int i = 0; scaled && i < n; i++) {
    xlo = xv[i] < xlo ? xv[i] : xlo;
    xhi = xv[i] > xhi ? xv[i] : xhi;
  }
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < n; i++) {
    size_t p = point_at(c, at, a, i, -1, 0);
    double v = metric(c, best, p, which), e = bar(c, best, p, which);
    lo = v - e < lo ? v - e : lo;
    hi = v + e > hi ? v + e : hi;
  }
  if (which == CAL_OVERDOSED && c->has_max_overdose) {
    lo = c->max_overdose < lo ? c->max_overdose : lo;
    hi = c->max_overdose > hi ? c->max_overdose : hi;
  }
  if (which == CAL_DIFF) /* zero in view: the best point's own */
    hi = hi < 0 ? 0 : hi;
  double pad = hi > lo ? 0.08 * (hi - lo) : 0.05 * (fabs(hi) + 1e-3);
  lo -= pad;
  hi += pad;
  int W = 470, H = 280, left = 56, right = 16, top = 30, bottom = 52;
  int pw = W - left - right, ph = H - top - bottom;
#define XP(i)                                                                                      \
  (left + (scaled ? (xhi > xlo ? (xv[i] - xlo) / (xhi - xlo) : 0.5)                                \
                  : (n > 1 ? (double)(i) / (n - 1) : 0.5)) *                                       \
              pw)
#define YP(v) (top + ph - ((v)-lo) / (hi - lo) * ph)
  fprintf(fp, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">", W, H, W, H);
  fprintf(fp, "<text class=\"t\" x=\"%d\" y=\"16\">", left);
  text(fp, chart_title(c, which));
  fputs(which == CAL_OBJECTIVE   ? ", mean (&plusmn;1.96 MCSE)"
        : which == CAL_OVERDOSED ? ", mean"
                                 : " (&plusmn;1.96 paired MCSE)",
        fp);
  fputs("</text>", fp);
  for (int k = 0; k <= 4; k++) {
    double v = lo + (hi - lo) * k / 4;
    fprintf(fp, "<line class=\"g\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left, left + pw,
            YP(v), YP(v));
    fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>", left - 4,
            YP(v) + 4, decimals(which), no_minus_zero(v, decimals(which)));
  }
  fprintf(fp, "<line class=\"ax\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", left, left + pw,
          top + ph, top + ph);
  if (which == CAL_DIFF)
    fprintf(fp, "<line class=\"tg\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left, left + pw,
            YP(0.0), YP(0.0));
  if (which == CAL_OVERDOSED && c->has_max_overdose)
    fprintf(fp,
            "<line class=\"tg\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
            "<text class=\"a\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#D55E00\">"
            "--max-overdose %g</text>",
            left, left + pw, YP(c->max_overdose), YP(c->max_overdose), left + pw,
            YP(c->max_overdose) - 4, c->max_overdose);
  const char *col = svg_colour(which);
  fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col);
  for (int i = 0; i < n; i++)
    fprintf(fp, "%s%.1f,%.1f", i ? " " : "", XP(i),
            YP(metric(c, best, point_at(c, at, a, i, -1, 0), which)));
  fputs("\"/>", fp);
  int step = n > 12 ? (n + 11) / 12 : 1;
  for (int i = 0; i < n; i++) {
    size_t p = point_at(c, at, a, i, -1, 0);
    double v = metric(c, best, p, which), e = bar(c, best, p, which);
    if (e > 0) {
      fprintf(fp, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh8M%.1f %.1fh8\" stroke=\"%s\"/>", XP(i),
              YP(v - e), YP(v + e), XP(i) - 4, YP(v - e), XP(i) - 4, YP(v + e), col);
    }
    fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>", XP(i), YP(v),
            admissible(c, p) ? col : "#fff");
    char at_text[512];
    grid_point_text(c->g, p, at_text, sizeof at_text);
    text(fp, at_text);
    fprintf(fp, ": %.4f</title></circle>", v);
    if (!admissible(c, p))
      fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"none\" stroke=\"%s\"/>", XP(i),
              YP(v), col);
    if ((long)p == best)
      fprintf(fp,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"none\" stroke=\"#D55E00\" "
              "stroke-width=\"2.5\"/>",
              XP(i), YP(v));
    if (i % step == 0) {
      fprintf(fp, "<text class=\"a\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", XP(i),
              top + ph + 15);
      text(fp, x->values[i]);
      fputs("</text>", fp);
    }
  }
  fprintf(fp, "<text class=\"a\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", left + pw / 2,
          top + ph + 34);
  text(fp, x->key);
  fputs("</text></svg>\n", fp);
#undef XP
#undef YP
  free(xv);
}

static void figures(FILE *fp, const calibration *c, long best) {
  /* the charts go through the best point (or the first) in the axes they do not show */
  size_t at = best >= 0 ? (size_t)best : 0;
  const grid *g = c->g;
  int a0 = 0, a1 = 1;
  if (g->n_axes >= 2) {
    /* the two longest axes, in grid order */
    for (int a = 0; a < g->n_axes; a++)
      if (g->axes[a].n_values > g->axes[a0].n_values)
        a0 = a;
    a1 = a0 == 0 ? 1 : 0;
    for (int a = 0; a < g->n_axes; a++)
      if (a != a0 && g->axes[a].n_values > g->axes[a1].n_values)
        a1 = a;
    if (a1 < a0) {
      int t = a0;
      a0 = a1;
      a1 = t;
    }
  }
  bool heat = g->n_axes >= 2 && g->axes[a0].n_values > 1 && g->axes[a1].n_values > 1 &&
              g->axes[a0].n_values <= CAL_MAX_HEAT_VALUES &&
              g->axes[a1].n_values <= CAL_MAX_HEAT_VALUES;
  fputs("<h2>Over the grid</h2>\n", fp);
  if (heat) {
    fputs("<p class=\"sub\">", fp);
    text(fp, g->axes[a0].key);
    fputs(" across, ", fp);
    text(fp, g->axes[a1].key);
    fputs(best >= 0 ? " down. The best point is outlined in orange" : " down", fp);
    if (c->has_max_overdose)
      fprintf(fp, "; points above --max-overdose %g have a white notch in a corner",
              c->max_overdose);
    if (count_near(c, best) > 0)
      fputs("; a dashed outline on the first map marks the points within 1.96 paired MCSE of the "
            "best (not distinguishable from it at the 5% level)",
            fp);
    fputs(". Each map's colours run from its lowest value (dark) to its highest (bright).", fp);
    if (g->n_axes > 2) {
      char at_text[512];
      grid_point_text(g, at, at_text, sizeof at_text);
      fputs(best >= 0 ? " The other keys at the best point's values ("
                      : " The other keys at the first point's values (",
            fp);
      text(fp, at_text);
      fputs(").", fp);
    }
    fputs("</p>\n<div class=\"figs\">", fp);
    heat_map(fp, c, CAL_OBJECTIVE, a0, a1, at, best);
    heat_map(fp, c, CAL_OVERDOSED, a0, a1, at, best);
    fputs("</div>\n", fp);
  } else {
    int a = a0;
    for (int b = 0; b < g->n_axes; b++)
      if (g->axes[b].n_values > g->axes[a].n_values)
        a = b;
    fputs("<p class=\"sub\">Along ", fp);
    text(fp, g->axes[a].key);
    if (best >= 0)
      fputs("; the best point ringed in orange", fp);
    if (c->has_max_overdose)
      fputs(", points above --max-overdose hollow", fp);
    fputs(".", fp);
    if (best >= 0)
      fputs(" The third chart is each point's difference to the best on the same virtual "
            "patients: where its bar crosses zero, the point is not distinguishable from the best "
            "at the 5% level.",
            fp);
    if (g->n_axes > 1) {
      char at_text[512];
      grid_point_text(g, at, at_text, sizeof at_text);
      fputs(best >= 0 ? " The other keys at the best point's values ("
                      : " The other keys at the first point's values (",
            fp);
      text(fp, at_text);
      fputs(").", fp);
    }
    fputs("</p>\n<div class=\"figs\">", fp);
    line_chart(fp, c, CAL_OBJECTIVE, a, at, best);
    line_chart(fp, c, CAL_OVERDOSED, a, at, best);
    if (best >= 0)
      line_chart(fp, c, CAL_DIFF, a, at, best);
    fputs("</div>\n", fp);
  }
}

static void table(FILE *fp, const calibration *c, long best) {
  const grid *g = c->g;
  size_t n = g->n_points, shown = n < CAL_MAX_TABLE_ROWS ? n : CAL_MAX_TABLE_ROWS;
  fputs("<h2>Every point</h2>\n", fp);
  if (shown < n)
    fprintf(fp,
            "<p class=\"sub\">The first %zu of %zu points in grid order; calibration.csv "
            "holds them all.</p>\n",
            shown, n);
  if (best >= 0)
    fprintf(fp,
            "<p class=\"sub\">&minus; best: the point's %s minus the best point's, on the same "
            "virtual patients, &plusmn; its paired MCSE; <span class=\"near\">&asymp;</span> "
            "marks a point%s whose difference is within 1.96 paired MCSE (not distinguishable "
            "from the best at the 5%% level).</p>\n",
            oc_catalogue[c->objective].key, c->has_max_overdose ? " within --max-overdose" : "");
  fputs("<table><thead><tr><th>point</th>", fp);
  for (int a = 0; a < g->n_axes; a++) {
    fputs("<th class=\"l\">", fp);
    text(fp, g->axes[a].key);
    fputs("</th>", fp);
  }
  fprintf(fp,
          "<th>%s</th>%s<th>%% above the true MTD</th><th>P(stop)</th><th>patients</th>"
          "<th class=\"l\">method</th></tr></thead><tbody>\n",
          oc_catalogue[c->objective].key, best >= 0 ? "<th>&minus; best</th>" : "");
  for (size_t p = 0; p < shown; p++) {
    const calib_point *q = &c->points[p];
    fprintf(fp, "<tr%s><td>%zu</td>",
            (long)p == best     ? " class=\"best\""
            : !admissible(c, p) ? " class=\"over\""
                                : "",
            p + 1);
    for (int a = 0; a < g->n_axes; a++) {
      fputs("<td class=\"l\">", fp);
      text(fp, g->axes[a].values[grid_value_index(g, p, a)]);
      fputs("</td>", fp);
    }
    fprintf(fp, "<td>%.3f", q->objective);
    if (q->objective_mcse > 0)
      fprintf(fp, " <span class=\"se\">&plusmn;%.4f</span>", q->objective_mcse);
    fputs("</td>", fp);
    if (best >= 0) {
      double d, se;
      calibration_diff_best(c, best, p, &d, &se);
      se = paired_se(c, best, p);
      /* the mark first: the numbers stay right-aligned */
      fputs(near_best(c, best, p) ? "<td><span class=\"near\">&asymp;</span> " : "<td>", fp);
      fprintf(fp, "%.4f", no_minus_zero(d, 4));
      if (isfinite(se) && se > 0)
        fprintf(fp, " <span class=\"se\">&plusmn;%.4f</span>", se);
      fputs("</td>", fp);
    }
    fprintf(fp, "<td>%.1f</td><td>%.3f</td><td>%.2f</td><td class=\"l\">%s</td></tr>\n",
            q->pct_overdosed, q->p_stop, q->n_mean, q->exact ? "exact" : "simulation");
  }
  fputs("</tbody></table>\n", fp);
}

dv_status calibration_write_html(const calibration *c, const char *dir, dv_error *err) {
  atomic_file f;
  dv_status st = atomic_open(&f, dir, "report.html", err);
  if (st != DV_OK)
    return st;
  FILE *fp = f.fp;
  const config *cfg = c->cfg;
  long best = calibration_best(c);
  size_t exact = 0;
  for (size_t p = 0; p < c->g->n_points; p++)
    exact += c->points[p].exact;
  fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
        fp);
  fputs("Calibration of ", fp);
  text(fp, c->design->name);
  fputs(" \xe2\x80\x94 ", fp);
  text(fp, cfg->study_name);
  fprintf(fp, "</title><style>%s</style></head><body>\n<h1>Calibration of ", css);
  text(fp, c->design->name);
  fputs(" (", fp);
  text(fp, c->design->type->name);
  fputs(")</h1>\n<p class=\"sub\">", fp);
  text(fp, cfg->study_name);
  fprintf(fp, ". %zu point%s (", c->g->n_points, c->g->n_points == 1 ? "" : "s");
  for (int a = 0; a < c->g->n_axes; a++) {
    fprintf(fp, "%s%d values of ", a ? " &times; " : "", c->g->axes[a].n_values);
    text(fp, c->g->axes[a].key);
  }
  fprintf(fp,
          "), %s; each evaluated on %d scenario%s (%d named, %d random curves), every one "
          "weighing the same.</p>\n",
          exact == c->g->n_points ? "every one exact"
          : exact == 0            ? "simulated on the same virtual patients"
                                  : "exact where the design allows, else simulated",
          cfg->n_scenarios, cfg->n_scenarios == 1 ? "" : "s", cfg->n_named, cfg->n_random);
  fputs("<div class=\"best\">", fp);
  if (best >= 0) {
    const calib_point *q = &c->points[best];
    char at_text[512];
    grid_point_text(c->g, (size_t)best, at_text, sizeof at_text);
    fprintf(fp, "<b>Best point: %ld</b> (", best + 1);
    text(fp, at_text);
    fprintf(fp, "): %s %.3f", oc_catalogue[c->objective].key, q->objective);
    if (q->objective_mcse > 0)
      fprintf(fp, " (MCSE %.4f)", q->objective_mcse);
    fprintf(fp, ", %.1f%% of patients above the true MTD, P(stop) %.3f, %.2f patients on average",
            q->pct_overdosed, q->p_stop, q->n_mean);
    fputs(c->has_max_overdose ? "; the largest " : "; the largest ", fp);
    fputs(oc_catalogue[c->objective].label, fp);
    if (c->has_max_overdose)
      fprintf(fp, " among the points that treat at most %g%% of patients above the true MTD",
              c->max_overdose);
    fputs(".", fp);
    long near = count_near(c, best);
    if (near > 0)
      fprintf(fp,
              " %ld other point%s within 1.96 paired MCSE of it (&asymp; in the table): on these "
              "scenarios it is not shown better than %s.",
              near, near == 1 ? " is" : "s are", near == 1 ? "that one" : "those");
    else if (near == 0 && c->g->n_points > 1)
      fputs(c->has_max_overdose ? " Every other point within --max-overdose is below it by more "
                                  "than 1.96 paired MCSE."
                                : " Every other point is below it by more than 1.96 paired MCSE.",
            fp);
    else if (near < 0)
      fputs(" The paired MCSEs were not kept (the grid is too large for their rows), so the "
            "differences have no standard error here.",
            fp);
  } else {
    fprintf(fp,
            "<b>No best point</b>: no point treats at most %g%% of patients above the true "
            "MTD on average.",
            c->max_overdose);
  }
  fputs("</div>\n<p class=\"note\">The MCSE of a mean over scenarios holds the named scenarios' "
        "simulation error and the spread across random curves (docs/calibration.md); the points "
        "share the scenarios and the virtual patients, so differences between points are known "
        "more precisely than each MCSE suggests: their paired MCSE (&minus; best in the table) "
        "is the one to judge a difference by.</p>\n",
        fp);
  figures(fp, c, best);
  table(fp, c, best);
  fputs("<h2>How this was made</h2>\n<dl><dt>design</dt><dd>", fp);
  text(fp, c->design->name);
  fputs("</dd><dt>config</dt><dd>", fp);
  text(fp, cfg->path);
  fputs("</dd>", fp);
  if (c->command_line != NULL) {
    fputs("<dt>command</dt><dd><code>", fp);
    text(fp, c->command_line);
    fputs("</code></dd>", fp);
  }
  fprintf(fp, "<dt>trials</dt><dd>%llu per scenario where simulated, seed %llu</dd>",
          (unsigned long long)cfg->trials, (unsigned long long)cfg->seed);
  fputs("<dt>version</dt><dd>", fp);
  text(fp, build_info());
  fputs("</dd></dl>\n<pre>", fp);
  text(fp, cfg->text);
  fputs("</pre>\n</body></html>\n", fp);
  return atomic_commit(&f, err);
}
