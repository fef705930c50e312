/* svg.c — grouped bar charts and a dose-toxicity curve as inline SVG (see svg.h). */
#include "svg.h"

#include <math.h>
#include <string.h>

/* Okabe-Ito, black and yellow left out (black is the axes, yellow is faint on white). */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                      "#CC79A7", "#56B4E9", "#F0E442"};

const char *svg_colour(int i) {
  int n = (int)(sizeof palette / sizeof palette[0]);
  return palette[((i % n) + n) % n];
}

void svg_text(FILE *fp, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '&':
      fputs("&amp;", fp);
      break;
    case '<':
      fputs("&lt;", fp);
      break;
    case '>':
      fputs("&gt;", fp);
      break;
    case '"':
      fputs("&quot;", fp);
      break;
    case '\'':
      fputs("&#39;", fp);
      break;
    default:
      fputc(*s, fp);
    }
}

/* A round step for about `want` ticks over [0, top]: 1, 2 or 5 times a power of ten. */
static double nice_step(double top, int want) {
  double raw = top / want, p = pow(10, floor(log10(raw))), f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

typedef struct {
  double x0, y0, w, h; /* the plot area, y0 its top */
  double top;          /* the y value at the top */
} frame;

static double y_at(const frame *f, double v) { return f->y0 + f->h * (1 - v / f->top); }

/* Title, y axis with ticks and grid, x axis line. */
static void axes(FILE *fp, const frame *f, const char *title, const char *y_label, int width) {
  fprintf(fp, "<text x=\"%d\" y=\"16\" text-anchor=\"middle\" class=\"t\">", width / 2);
  svg_text(fp, title);
  fputs("</text>\n", fp);
  double step = nice_step(f->top, 5);
  int decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  for (int i = 0; i * step <= f->top * (1 + 1e-9); i++) {
    double v = i * step, y = y_at(f, v);
    fprintf(fp,
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"g\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"a\">%.*f</text>\n",
            f->x0, f->x0 + f->w, y, y, f->x0 - 4, y + 3.5, decimals, v);
  }
  fprintf(fp,
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>"
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>\n",
          f->x0, f->x0 + f->w, f->y0 + f->h, f->y0 + f->h, f->x0, f->x0, f->y0, f->y0 + f->h);
  fprintf(fp,
          "<text transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\" "
          "class=\"a\">",
          f->y0 + f->h / 2);
  svg_text(fp, y_label);
  fputs("</text>\n", fp);
}

static void open_svg(FILE *fp, int width, int height, const char *title) {
  fprintf(fp,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
          "height=\"%d\" role=\"img\" aria-label=\"",
          width, height, width, height);
  svg_text(fp, title);
  fputs("\">\n", fp);
}

void svg_bars(FILE *fp, const svg_bars_spec *sp, int width, int height) {
  double top = sp->y_max;
  if (top <= 0) {
    double m = 0;
    for (int i = 0; i < sp->n_series * sp->n_groups; i++)
      if (isfinite(sp->values[i]) && sp->values[i] > m)
        m = sp->values[i];
    double step = nice_step(m > 0 ? m : 1, 5);
    top = ceil((m > 0 ? m : 1) / step) * step;
  }
  /* legend rows under the x labels: as many names per row as fit */
  int per_row = width / 130 > 0 ? width / 130 : 1;
  int legend_rows = (sp->n_series + per_row - 1) / per_row;
  frame f = {
      .x0 = 44, .y0 = 26, .w = width - 54, .h = height - 26 - 22 - 16 * legend_rows, .top = top};
  open_svg(fp, width, height, sp->title);
  axes(fp, &f, sp->title, sp->y_label, width);
  double gw = f.w / sp->n_groups, bw = gw * 0.8 / (sp->n_series > 0 ? sp->n_series : 1);
  for (int g = 0; g < sp->n_groups; g++) {
    double gx = f.x0 + g * gw + gw * 0.1;
    for (int s = 0; s < sp->n_series; s++) {
      double v = sp->values[s * sp->n_groups + g];
      if (!isfinite(v))
        continue;
      double y = y_at(&f, v > top ? top : v);
      fprintf(fp,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
              "<title>",
              gx + s * bw, y, bw > 1 ? bw - 0.5 : bw, f.y0 + f.h - y, sp->colours[s]);
      svg_text(fp, sp->series[s]);
      fputs(", ", fp);
      svg_text(fp, sp->groups[g]);
      fprintf(fp, ": %.3g</title></rect>\n", v);
    }
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"a\">", gx + gw * 0.4,
            f.y0 + f.h + 14);
    svg_text(fp, sp->groups[g]);
    fputs("</text>\n", fp);
  }
  for (int s = 0; s < sp->n_series; s++) {
    double lx = 44 + (s % per_row) * 130.0, ly = f.y0 + f.h + 24 + 16 * (s / per_row);
    fprintf(fp,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" class=\"a\">",
            lx, ly, sp->colours[s], lx + 14, ly + 9);
    svg_text(fp, sp->series[s]);
    fputs("</text>\n", fp);
  }
  fputs("</svg>\n", fp);
}

void svg_curve(FILE *fp, const char *title, int n, const char *const *x_labels, const double *y,
               double target, int mark, int width, int height) {
  frame f = {.x0 = 44, .y0 = 26, .w = width - 60, .h = height - 26 - 38, .top = 1};
  double m = target;
  for (int i = 0; i < n; i++)
    m = y[i] > m ? y[i] : m;
  f.top = m > 0.5 ? 1 : 0.5;
  open_svg(fp, width, height, title);
  axes(fp, &f, title, "P(DLT)", width);
  double gw = f.w / n;
  double ty = y_at(&f, target);
  fprintf(fp,
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"tg\"/>"
          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"a\">target %.2f</text>\n",
          f.x0, f.x0 + f.w, ty, ty, f.x0 + f.w, ty - 4, target);
  fputs("<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" points=\"", fp);
  for (int i = 0; i < n; i++)
    fprintf(fp, "%s%.1f,%.1f", i ? " " : "", f.x0 + (i + 0.5) * gw, y_at(&f, y[i]));
  fputs("\"/>\n", fp);
  for (int i = 0; i < n; i++) {
    double cx = f.x0 + (i + 0.5) * gw, cy = y_at(&f, y[i]);
    fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#0072B2\"/>", cx, cy);
    if (i + 1 == mark)
      fprintf(fp,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" stroke=\"#D55E00\" "
              "stroke-width=\"2\"/>",
              cx, cy);
    fprintf(fp,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"a\">%.2f</text>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"a\">",
            cx, cy - 8, y[i], cx, f.y0 + f.h + 14);
    svg_text(fp, x_labels[i]);
    fputs("</text>\n", fp);
  }
  if (mark > 0)
    fprintf(fp,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"none\" stroke=\"#D55E00\" "
            "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\" class=\"a\">true MTD</text>\n",
            f.x0 + 8.0, f.y0 + f.h + 28, f.x0 + 18.0, f.y0 + f.h + 32);
  fputs("</svg>\n", fp);
}
