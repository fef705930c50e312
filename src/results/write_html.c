/* write_html.c — report.html (SPEC section 9): one self-contained page a statistician can attach
 * to a protocol amendment. Inline CSS and SVG only, no script and no network. Every number shown
 * carries data-r, its row in oc.csv (data-r = i is line i + 2), so a test can check the page
 * against the file; the shown digits are the catalogue's decimals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "build_info.h"
#include "svg.h"
#include "write.h"

/* Past these, the rest are in oc.csv (a page of 10,000 scenarios helps nobody). */
#define HTML_MAX_SUMMARY_ROWS 200
#define HTML_MAX_SCENARIO_SECTIONS 60
/* SPEC section 11: report.html also shows months of 30.44 days */
#define HTML_DAYS_PER_MONTH 30.44
/* Past this many value columns a table sets each MCSE under its value and wraps its headers
 * (class "wide"), so ten designs and the benchmark fit 1040 px and an A4 page unscrolled and
 * unshrunk; up to it a value and its MCSE share a line. */
#define HTML_INLINE_SE_COLUMNS 6

static const char css[] =
    "body{font:14px/1.4 'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;max-width:1040px;"
    "margin:0 auto;padding:16px 24px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;"
    "border-bottom:2px solid #0072B2;padding-bottom:2px}h3{font-size:15px;margin:16px 0 4px}"
    "p.sub{color:#555;margin:0 0 8px}p.note{color:#555;font-size:12px;margin:4px 0}"
    "table{border-collapse:collapse;margin:6px 0 12px;font-size:12.5px}"
    "th,td{padding:3px 7px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}"
    "th{background:#f3f6fa;font-weight:600}th.l,td.l{text-align:left}"
    "td.best{font-weight:700;background:#e8f1fa}td.best:after{content:' \\2605';color:#0072B2}"
    "span.se{color:#777;font-size:11px}tr.grp td{background:#fafafa;font-style:italic}"
    "table.wide th,table.wrap th{white-space:normal}table.wide span.se{display:block}"
    "sup.own{color:#0072B2;font-weight:700}caption.own{caption-side:bottom;text-align:left;"
    "color:#555;font-size:11.5px;padding-top:3px}"
    ".figs{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}svg{max-width:100%;"
    "height:auto}svg .t{font-size:13px;font-weight:600}svg .a{font-size:11px;fill:#333}"
    "svg .g{stroke:#e4e4e4}svg .ax{stroke:#333}svg .tg{stroke:#D55E00;stroke-dasharray:5 4}"
    "pre{background:#f6f6f6;padding:8px;font-size:11.5px;white-space:pre-wrap}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:12.5px}"
    "dt{color:#555}dd{margin:0}.grid{display:flex;flex-wrap:wrap;gap:0 28px}"
    /* a table alone on its line shrinks to it, its headers wrapping (table.wide) */
    ".grid>div{flex:0 1 auto}"
    /* Print: every block flows on from the one before, so a page ends early only where the
     * next block that must not break (a heading with its sub-line and first chart row, a chart,
     * a table row) does not fit; each is well under half a page, so each page but the last is
     * more than half full. Nothing is wider than the page (headers wrap), or Chromium shrinks the
     * whole document to fit it. A broken table repeats its <thead>. */
    "@page{size:A4;margin:12mm}@media print{body{max-width:none;padding:0;font-size:10px;"
    "line-height:1.3}h1{font-size:16px}h2{font-size:13px;margin:12px 0 4px}"
    "h3{font-size:10.5px;margin:6px 0 2px}p.sub,p.note{font-size:9px;margin:2px 0}"
    "table{font-size:9px;margin:2px 0 6px}th,td{padding:1px 3px}th{white-space:normal}"
    "span.se{font-size:7.5px}td.best:after{content:'\\a0\\2605'}"
    "tr,svg{break-inside:avoid}h2,h3,p.sub,tr.grp{break-after:avoid}"
    /* the summary's tables two a row where the narrowest layout of each fits half the width */
    ".grid{gap:0 14px}.grid>div{flex:1 1 calc(50% - 7px)}.grid span.se{display:block}.grid "
    "td.l{white-space:normal}"
    /* the curve beside the selection chart, the patients chart under them */
    ".figs svg:first-child{width:32%}.figs svg+svg{width:66%}"
    "dl{font-size:9px}pre{font-size:8.5px}caption.own{font-size:8px}}";

static void text(FILE *fp, const char *s) { svg_text(fp, s); }

/* Its data row in oc.csv (data-r: tests/report/check_report.py checks each cell against it). */
static size_t row_index(const write_input *in, const oc_row *r) {
  (void)in;
  return r->line;
}

/* A cell: the value rounded to the metric's decimals (times sign), and its MCSE unless exact. */
static void cell(FILE *fp, const write_input *in, const oc_row *r, double sign, bool best,
                 bool with_se) {
  if (r == NULL) {
    fputs("<td></td>", fp);
    return;
  }
  int dec = oc_catalogue[r->metric].decimals;
  fprintf(fp, "<td%s data-r=\"%zu\"%s>", best ? " class=\"best\"" : "", row_index(in, r),
          sign < 0 ? " data-neg=\"1\"" : "");
  if (!r->has_value) {
    fputs("NA</td>", fp);
    return;
  }
  double v = sign * r->value; /* a value that rounds to 0 shows as 0, not -0 */
  fprintf(fp, "%.*f", dec, fabs(v) < 0.5 * pow(10, -dec) ? 0.0 : v);
  if (with_se && (!in->exact || in->rows->curves[r->scenario] > 0)) /* means: curves' spread */
    fprintf(fp, " <span class=\"se\">&plusmn;%.*f</span>", dec + 1, r->mcse);
  fputs("</td>", fp);
}

static const oc_row *get(const write_input *in, int s, int column, oc_metric m, int dose) {
  return oc_rows_get(in->rows, s, column, m, dose);
}

/* A table of `columns` value columns: "wide" past HTML_INLINE_SE_COLUMNS. */
static void table_open(FILE *fp, int columns) {
  fputs(columns > HTML_INLINE_SE_COLUMNS ? "<table class=\"wide\">" : "<table>", fp);
}

/* The dose design j's P(correct selection) counts in scenario s where it is not the true MTD the
 * others count (BOIN12: its true OBD; 0 for none), else -1. The means over random curves, each
 * curve with its own truth, have none. */
static int own_truth(const write_input *in, int s, int j) {
  const config_scenario *sc = &in->rows->scenarios[s];
  const config_design *d = &in->cfg->designs[j];
  if (in->rows->curves[s] > 0 || d->type->true_dose == NULL)
    return -1;
  int t = oc_design_truth(d, sc, in->cfg->n_doses);
  return t != sc->true_mtd ? t : -1;
}

/* Scenario s has a design whose P(correct selection) counts another dose than the true MTD. */
static bool mixed_truths(const write_input *in, int s) {
  for (int j = 0; j < in->cfg->n_designs; j++)
    if (own_truth(in, s, j) >= 0)
      return true;
  return false;
}

/* The mark of a row or label whose P(correct selection) mixes truths (mixed_truths). */
static void own_mark(FILE *fp) { fputs(" <sup class=\"own\">&dagger;</sup>", fp); }

/* The note for the rows (scenarios [lo, hi)) mixed_truths marks: for each such design, the dose
 * it counts there. `what` ends it (what follows for the table). A table's own is its caption,
 * set under it (a caption is as wide as its table: a summary table stays as narrow as its
 * numbers), written right after <table>; else a paragraph. */
static void own_note(FILE *fp, const write_input *in, int lo, int hi, const char *what,
                     bool caption) {
  bool any = false;
  for (int s = lo; s < hi && !any; s++)
    any = mixed_truths(in, s);
  if (!any)
    return;
  fputs(caption ? "<caption class=\"own\">" : "<p class=\"note\">", fp);
  fputs("<sup class=\"own\">&dagger;</sup> ", fp);
  int named = 0;
  for (int j = 0; j < in->cfg->n_designs; j++) {
    int listed = 0;
    for (int s = lo; s < hi; s++) {
      int t = own_truth(in, s, j);
      if (t < 0)
        continue;
      if (listed++ == 0) {
        fputs(named++ ? " " : "", fp);
        text(fp, in->cfg->designs[j].name);
        fputs("&rsquo;s P(correct selection) counts its own target, the true optimal dose (OBD), "
              "not the true MTD the other designs count: ",
              fp);
      } else {
        fputs("; ", fp);
      }
      if (t > 0)
        fprintf(fp, "dose %d", t);
      else
        fputs("none", fp);
      if (hi - lo > 1) {
        fputs(" in ", fp);
        text(fp, in->rows->scenarios[s].name);
      }
    }
    if (listed)
      fputs(".", fp);
  }
  fprintf(fp, " %s%s\n", what, caption ? "</caption>" : "</p>");
}

/* A row's value for a chart: NAN where the row is missing or NA. */
static double chart_value(const oc_row *r) { return r != NULL && r->has_value ? r->value : NAN; }

/* Design j's metric m at doses 1..K in scenario s, into out[0 .. K-1]. */
static void chart_per_dose(const write_input *in, int s, int j, oc_metric m, int k, double *out) {
  for (int d = 1; d <= k; d++)
    out[d - 1] = chart_value(get(in, s, j, m, d));
}

/* A bar chart of per-dose metric m (at dose 1 on: its rows exist only for the designs that
 * keep it) for the designs of scenario s that have it; nothing when none has. names, colours and
 * v are room for every design (v: K values each). */
static void designs_per_dose_chart(FILE *fp, const write_input *in, int s, oc_metric metric,
                                   const char *title, const char *y_label,
                                   const char *const *groups, const char **names,
                                   const char **colours, double *v) {
  const config *cfg = in->cfg;
  int k = cfg->n_doses, m = 0;
  for (int j = 0; j < cfg->n_designs; j++) {
    if (get(in, s, j, metric, 1) == NULL)
      continue;
    names[m] = cfg->designs[j].name;
    colours[m] = svg_colour(j);
    chart_per_dose(in, s, j, metric, k, v + (size_t)m * (size_t)k);
    m++;
  }
  if (m == 0)
    return;
  svg_bars_spec spec = {.title = title,
                        .y_label = y_label,
                        .n_groups = k,
                        .groups = groups,
                        .n_series = m,
                        .series = names,
                        .colours = colours,
                        .values = v,
                        .y_max = 0};
  svg_bars(fp, &spec, 680, 240);
}

static void dose_name(char *buf, size_t len, const config *cfg, int d) {
  if (d == 0)
    snprintf(buf, len, "no MTD");
  else
    snprintf(buf, len, cfg->doses[d - 1] >= 1e4 ? "%d (%.1e)" : "%d (%g)", d, cfg->doses[d - 1]);
}

/* A heading: the catalogue's label, its first letter a capital ("Patients, mean"). */
static void heading(FILE *fp, const char *label) {
  char first[2] = {label[0] >= 'a' && label[0] <= 'z' ? (char)(label[0] - 'a' + 'A') : label[0]};
  text(fp, first);
  if (label[0] != '\0')
    text(fp, label + 1);
}

/* Is a larger value better (1), smaller (-1), or neither (0)? The catalogue says which way;
 * `curve`: the row is one curve (not the means over random curves, each with its own true MTD),
 * where stopping is right only when there is no true MTD. */
static int direction(oc_metric m, const config_scenario *sc, bool curve) {
  return oc_better_sign(m, curve && sc->true_mtd == 0);
}

static int n_summary(const write_input *in) {
  return in->rows->n_scenarios < HTML_MAX_SUMMARY_ROWS ? in->rows->n_scenarios
                                                       : HTML_MAX_SUMMARY_ROWS;
}

/* One table of the summary: rows scenarios, columns designs, the best of each row marked. */
static void summary_table(FILE *fp, const write_input *in, oc_metric m) {
  const config *cfg = in->cfg;
  int D = cfg->n_designs;
  fprintf(fp, "<div><h3>");
  heading(fp, oc_catalogue[m].label);
  fputs("</h3>\n", fp);
  table_open(fp, D);
  if (m == OC_PCS)
    own_note(fp, in, 0, n_summary(in), "&#9733; leaves it out of those rows.", true);
  fputs("<thead><tr><th class=\"l\">scenario</th><th>true MTD</th>", fp);
  for (int j = 0; j < D; j++) {
    fputs("<th>", fp);
    text(fp, cfg->designs[j].name);
    fputs("</th>", fp);
  }
  fputs("</tr></thead>\n", fp);
  for (int s = 0; s < n_summary(in); s++) {
    const config_scenario *sc = &in->rows->scenarios[s];
    bool means = in->rows->curves[s] > 0;
    /* P(correct selection) of a design that counts another dose here is not compared */
    bool own = m == OC_PCS && mixed_truths(in, s);
    int dir = direction(m, sc, !means), best = -1;
    for (int j = 0; dir != 0 && j < D; j++) {
      const oc_row *r = get(in, s, j, m, -1), *b = best >= 0 ? get(in, s, best, m, -1) : NULL;
      if (own && own_truth(in, s, j) >= 0)
        continue;
      if (r && r->has_value && (b == NULL || dir * (r->value - b->value) > 0))
        best = j;
    }
    fputs("<tr><td class=\"l\">", fp);
    text(fp, sc->name);
    if (own)
      own_mark(fp);
    if (means)
      fputs("</td><td>each its own</td>", fp);
    else if (sc->true_mtd == 0)
      fputs("</td><td>none</td>", fp);
    else
      fprintf(fp, "</td><td>%d</td>", sc->true_mtd);
    for (int j = 0; j < D; j++) {
      const oc_row *r = get(in, s, j, m, -1), *b = best >= 0 ? get(in, s, best, m, -1) : NULL;
      /* every design that shows the best's digits is marked */
      int dec = oc_catalogue[m].decimals;
      double unit = pow(10, dec);
      bool tie = r && b && r->has_value && round(r->value * unit) == round(b->value * unit);
      tie = tie && !(own && own_truth(in, s, j) >= 0);
      cell(fp, in, r, 1, tie, means); /* the means with their standard error */
    }
    fputs("</tr>\n", fp);
  }
  fputs("</table></div>\n", fp);
}

/* The paired differences against the first design: rows scenarios, columns the others. */
static void paired_summary(FILE *fp, const write_input *in, oc_metric m) {
  const config *cfg = in->cfg;
  int D = cfg->n_designs;
  fprintf(fp, "<div><h3>");
  heading(fp, oc_catalogue[m].label);
  fputs("</h3>\n", fp);
  table_open(fp, D - 1);
  if (m == OC_PCS_DIFF)
    own_note(fp, in, 0, n_summary(in),
             "Its difference there subtracts two probabilities of different events.", true);
  fputs("<thead><tr><th class=\"l\">scenario</th>", fp);
  for (int j = 1; j < D; j++) {
    fputs("<th>", fp);
    text(fp, cfg->designs[j].name);
    fputs(" &minus; ", fp);
    text(fp, cfg->designs[0].name);
    fputs("</th>", fp);
  }
  fputs("</tr></thead>\n", fp);
  for (int s = 0; s < n_summary(in); s++) {
    if (D > 1 && get(in, s, oc_pair_column(D, 0, 1), m, -1) == NULL)
      continue; /* the means over random curves hold pcs_diff only */
    fputs("<tr><td class=\"l\">", fp);
    text(fp, in->rows->scenarios[s].name);
    if (m == OC_PCS_DIFF && mixed_truths(in, s))
      own_mark(fp);
    fputs("</td>", fp);
    /* pair (0, j) holds first - j */
    for (int j = 1; j < D; j++)
      cell(fp, in, get(in, s, oc_pair_column(D, 0, j), m, -1), oc_catalogue[m].difference ? -1 : 1,
           false, true);
    fputs("</tr>\n", fp);
  }
  fputs("</table></div>\n", fp);
}

/* What the time numbers are (SPEC section 11), or why exact has none. */
static void time_note(FILE *fp, const write_input *in) {
  const study_time *t = &in->cfg->time;
  fprintf(fp,
          "<p class=\"note\">Time: a DLT window of %g days; arrivals %s, %g days apart on "
          "average (%.2f a month); DLT onset %s",
          t->window, timing_process_name(t->process), t->mean_interval,
          HTML_DAYS_PER_MONTH / t->mean_interval, timing_onset_name(t->onset));
  if (t->onset == TIMING_ONSET_WEIBULL)
    fprintf(fp, " with %g of the DLTs in the window's second half", t->late_fraction);
  if (in->exact)
    fputs(". The exact engine has no clock: duration and turned-away arrivals come from "
          "<code>doseval run</code>, and oc.csv holds NA for them.</p>\n",
          fp);
  else {
    fprintf(fp,
            ". Duration runs from the first arrival to the last outcome the trial used; a "
            "month is %.2f days. Arrivals while a cohort awaits its outcomes are turned "
            "away.",
            HTML_DAYS_PER_MONTH);
    bool pending = false;
    for (int j = 0; j < in->cfg->n_designs; j++)
      pending = pending || in->cfg->designs[j].type->reads_pending;
    if (pending) /* SPEC 12: their own rule, not a cohort's wait */
      fputs(" Designs that read pending patients decide at each "
            "arrival from the follow-up so far; an arrival they suspend accrual for is turned "
            "away too, as are arrivals after enrolment ends while the last outcomes are awaited.",
            fp);
    bool side = false;
    for (int j = 0; j < in->cfg->n_designs; j++)
      side = side || design_side_most(in->cfg->designs[j].type, in->cfg->designs[j].params) > 0;
    if (side) /* SPEC 13 */
      fputs(" A design that places arrivals at a lower dose while its cohort waits (the "
            "patients of n_backfill_dose) turns away only those no dose is open for; it decides "
            "once the cohort's outcomes are known, from every outcome known then, and a patient "
            "so placed whose outcome is still pending when the trial ends is not in its "
            "counts.",
            fp);
    fputs("</p>\n", fp);
  }
}

static void summary(FILE *fp, const write_input *in) {
  const config *cfg = in->cfg;
  fputs("<section id=\"summary\"><h2>Summary across scenarios</h2>\n", fp);
  fprintf(fp,
          "<p class=\"note\">&#9733; marks the best design of each row: the highest probability "
          "of correct selection, the fewest patients above it, the lowest probability of "
          "stopping with no MTD. Where every dose has P(DLT) &ge; %.2f (study.too_toxic) there "
          "is no true MTD (&ldquo;none&rdquo;): stopping with no MTD is then the correct "
          "selection, so P(correct selection) is P(stop), the highest P(stop) is marked, and "
          "every patient counts as treated above the true MTD. Mean patients has no best: fewer "
          "is cheaper, more is more information.</p>\n",
          cfg->too_toxic);
  fputs("<div class=\"grid\">\n", fp);
  summary_table(fp, in, OC_PCS);
  summary_table(fp, in, OC_N_MEAN);
  summary_table(fp, in, OC_PCT_OVERDOSED);
  summary_table(fp, in, OC_P_STOP);
  if (cfg->time.on && !in->exact)
    summary_table(fp, in, OC_DURATION_MEAN);
  fputs("</div>\n", fp);
  if (cfg->time.on)
    time_note(fp, in);
  if (in->rows->n_scenarios > HTML_MAX_SUMMARY_ROWS)
    fprintf(fp, "<p class=\"note\">The first %d of %d scenarios; oc.csv holds them all.</p>\n",
            HTML_MAX_SUMMARY_ROWS, in->rows->n_scenarios);
  fputs("</section>\n", fp);
  /* Its own section after the summary: page 1 holds each design's own numbers, whatever the
   * number of designs; the differences follow on. */
  if (cfg->n_designs > 1) {
    fputs("<section id=\"pairs\"><h2>Paired differences against the first design</h2>\n"
          "<p class=\"note\">On the same "
          "virtual patients (common random numbers), each design minus ",
          fp);
    text(fp, cfg->designs[0].name);
    fputs(in->exact ? "; exact." : ", with its paired Monte Carlo standard error (&plusmn;).", fp);
    fputs("</p>\n", fp);
    fputs("<div class=\"grid\">\n", fp);
    paired_summary(fp, in, OC_PCS_DIFF);
    paired_summary(fp, in, OC_N_MEAN_DIFF);
    paired_summary(fp, in, OC_PCT_OVERDOSED_DIFF);
    paired_summary(fp, in, OC_DLT_MEAN_DIFF);
    if (cfg->time.on && !in->exact)
      paired_summary(fp, in, OC_DURATION_MEAN_DIFF);
    fputs("</div>\n</section>\n", fp);
  }
}

/* A timed study's durations in months: 10th percentile, median, mean and 90th percentile per
 * design. */
static void duration_chart(FILE *fp, const write_input *in, int s) {
  int D = in->cfg->n_designs;
  const char *groups[4] = {"10th percentile", "median", "mean", "90th percentile"};
  const char *names[CONFIG_MAX_DESIGNS], *colours[CONFIG_MAX_DESIGNS];
  double v[CONFIG_MAX_DESIGNS * 4];
  for (int j = 0; j < D; j++) {
    names[j] = in->cfg->designs[j].name;
    colours[j] = svg_colour(j);
    const oc_row *r[4] = {get(in, s, j, OC_DURATION_Q, 10), get(in, s, j, OC_DURATION_Q, 50),
                          get(in, s, j, OC_DURATION_MEAN, -1), get(in, s, j, OC_DURATION_Q, 90)};
    for (int g = 0; g < 4; g++)
      v[j * 4 + g] = r[g] && r[g]->has_value ? r[g]->value / HTML_DAYS_PER_MONTH : NAN;
  }
  svg_bars_spec dur = {.title = "Trial duration (months)",
                       .y_label = "months",
                       .n_groups = 4,
                       .groups = groups,
                       .n_series = D,
                       .series = names,
                       .colours = colours,
                       .values = v,
                       .y_max = 0};
  svg_bars(fp, &dur, 680, 240);
}

/* The charts of one scenario: the curve, selection per dose, patients per dose. */
static void charts(FILE *fp, const write_input *in, int s) {
  const config *cfg = in->cfg;
  const config_scenario *sc = &in->rows->scenarios[s];
  int k = cfg->n_doses, D = cfg->n_designs;
  char labels[DESIGN_MAX_DOSES + 1][48];
  const char *xl[DESIGN_MAX_DOSES + 1];
  for (int d = 0; d <= k; d++) {
    dose_name(labels[d], sizeof labels[d], cfg, d);
    xl[d] = labels[d];
  }
  fputs("<div class=\"figs\">\n", fp);
  svg_curve(fp, "True dose-toxicity curve", k, xl + 1, sc->p_tox, cfg->target, sc->true_mtd, 330,
            240);
  /* selection: groups no MTD, 1..K; series designs + benchmark */
  const char *names[66], *colours[66];
  double *v = malloc((size_t)(D + 1) * (size_t)(k + 1) * sizeof *v);
  if (v != NULL) {
    for (int j = 0; j <= D; j++) {
      names[j] = j < D ? cfg->designs[j].name : "benchmark";
      colours[j] = j < D ? svg_colour(j) : SVG_GREY;
      for (int d = 0; d <= k; d++) {
        const oc_row *r = j < D ? get(in, s, j, OC_SEL, d) : get(in, s, D, OC_BENCH_SEL, d);
        v[j * (k + 1) + d] = chart_value(r);
      }
    }
    bool obd = false; /* a design aims at its own dose (BOIN12's OBD) */
    for (int j = 0; j < D; j++)
      obd |= cfg->designs[j].type->true_dose != NULL;
    svg_bars_spec sel = {.title =
                             obd ? "Selected (the MTD; the OBD for designs that read responses)"
                                 : "Selected as MTD",
                         .y_label = "probability",
                         .n_groups = k + 1,
                         .groups = xl,
                         .n_series = D + 1,
                         .series = names,
                         .colours = colours,
                         .values = v,
                         .y_max = 1};
    svg_bars(fp, &sel, 680, 260);
    for (int j = 0; j < D; j++)
      chart_per_dose(in, s, j, OC_N_DOSE, k, v + (size_t)j * (size_t)k);
    svg_bars_spec pat = {.title = "Patients per dose (mean)",
                         .y_label = "patients",
                         .n_groups = k,
                         .groups = xl + 1,
                         .n_series = D,
                         .series = names,
                         .colours = colours,
                         .values = v,
                         .y_max = 0};
    svg_bars(fp, &pat, 680, 240);
    /* SPEC 13: the responses per dose of the designs that read them (the others' graphs keep
     * none), where the scenario gives p_eff */
    if (sc->has_eff)
      designs_per_dose_chart(fp, in, s, OC_EFF_DOSE, "Responses per dose (mean)", "responses",
                             xl + 1, names, colours, v);
    /* SPEC 8, 13: the patients a design placed at a dose while its cohort waited (BF-BOIN's
     * backfill), of the designs that place them */
    designs_per_dose_chart(fp, in, s, OC_N_BACKFILL_DOSE,
                           "Patients placed while a cohort waits (n_backfill_dose)", "patients",
                           xl + 1, names, colours, v);
    free(v);
  }
  if (cfg->time.on && !in->exact)
    duration_chart(fp, in, s);
  fputs("</div>\n", fp);
}

/* A metric by reason to stop: one row per reason any design has (designs name their own; max_n
 * and the rules' names are shared), a design's cell empty where it has no such reason. */
static void reason_rows(FILE *fp, const write_input *in, int s, oc_metric m) {
  const oc_rows *rows = in->rows;
  int D = in->cfg->n_designs;
  for (int j = 0; j < D; j++)
    for (int r = 0; r < rows->n_reasons[j]; r++) {
      const char *label = rows->reasons[j][r];
      bool seen = false;
      for (int i = 0; i < j && !seen; i++)
        seen = oc_rows_reason(rows, i, label) >= 0;
      if (seen)
        continue;
      fputs("<tr><td class=\"l\">&nbsp;&nbsp;", fp);
      text(fp, label);
      fputs("</td>", fp);
      for (int i = 0; i < D; i++) {
        int at = oc_rows_reason(rows, i, label);
        if (at < 0)
          fputs("<td></td>", fp);
        else
          cell(fp, in, get(in, s, i, m, at), 1, false, true);
      }
      fputs("<td></td></tr>\n", fp);
    }
}

/* The rows of P(N = n) (metric m) a table shows: from the smallest to the largest n that some
 * design of scenario s reaches with a non-zero probability (*lo, *hi; 1 .. max_n if none does). A
 * design with backfill has a row for every n up to max_n + its side patients, most of them never
 * reached: the empty ends would bury the distribution, and oc.csv keeps every row. A zero between
 * them stays: it says the trial never ends there. */
static void n_dist_range(const write_input *in, int s, oc_metric m, int max_n, int *lo, int *hi) {
  *lo = max_n + 1;
  *hi = 0;
  for (int n = 1; n <= max_n; n++)
    for (int j = 0; j < in->cfg->n_designs; j++) {
      const oc_row *r = get(in, s, j, m, n);
      if (r != NULL && r->has_value && r->value > 0) {
        *lo = n < *lo ? n : *lo;
        *hi = n;
      }
    }
  if (*hi == 0)
    *lo = 1, *hi = max_n;
}

/* Every design metric of one scenario with its MCSE; the benchmark beside the selection. */
static void full_table(FILE *fp, const write_input *in, int s) {
  const config *cfg = in->cfg;
  int k = cfg->n_doses, D = cfg->n_designs;
  table_open(fp, D + 1);
  fputs("<thead><tr><th class=\"l\">operating characteristic</th>", fp);
  for (int j = 0; j < D; j++) {
    fputs("<th>", fp);
    text(fp, cfg->designs[j].name);
    fputs("</th>", fp);
  }
  fputs("<th>benchmark</th></tr></thead>\n", fp);
  for (int m = 0; m < OC_N_METRICS; m++) {
    const oc_metric_info *mi = &oc_catalogue[m];
    if (mi->of != OC_OF_DESIGN || (mi->axis == OC_AXIS_QUANTILE && !cfg->time.on))
      continue;
    /* a metric only some designs have (SPEC 13's eff_dose) and none of these has: no heading */
    bool present =
        mi->axis == OC_AXIS_REASON || mi->axis == OC_AXIS_N || mi->axis == OC_AXIS_QUANTILE;
    for (int j = 0; j < D && !present; j++)
      for (int d = 0; d <= k && !present; d++)
        present = get(in, s, j, (oc_metric)m, mi->axis == OC_AXIS_NONE ? -1 : d) != NULL;
    if (mi->axis != OC_AXIS_NONE && present) {
      fputs("<tr class=\"grp\"><td class=\"l\" colspan=\"99\">", fp);
      text(fp, mi->label);
      fputs("</td></tr>\n", fp);
    }
    if (mi->axis == OC_AXIS_REASON) {
      reason_rows(fp, in, s, (oc_metric)m);
      continue;
    }
    int lo = mi->axis == OC_AXIS_SEL ? 0 : 1;
    int hi = mi->axis == OC_AXIS_NONE ? 1 : k;
    if (mi->axis == OC_AXIS_N) /* the largest max_n (side patients too): n_dist's last n */
      n_dist_range(in, s, (oc_metric)m, config_patients_per_trial(cfg), &lo, &hi);
    if (mi->axis == OC_AXIS_QUANTILE)
      lo = 0, hi = OC_N_QUANTILES - 1;
    for (int d = lo; d <= hi; d++) {
      int dose = mi->axis == OC_AXIS_NONE ? -1 : mi->axis == OC_AXIS_QUANTILE ? oc_quantiles[d] : d;
      bool any = false;
      for (int j = 0; j < D && !any; j++)
        any = get(in, s, j, (oc_metric)m, dose) != NULL;
      if (!any)
        continue;
      fputs("<tr><td class=\"l\">", fp);
      if (mi->axis == OC_AXIS_NONE) {
        text(fp, mi->label);
        if (m == OC_PCS && mixed_truths(in, s))
          own_mark(fp);
      } else if (mi->axis == OC_AXIS_N)
        fprintf(fp, "&nbsp;&nbsp;N = %d", d);
      else if (mi->axis == OC_AXIS_QUANTILE)
        fprintf(fp, "&nbsp;&nbsp;%d%%", dose);
      else {
        char dn[48];
        dose_name(dn, sizeof dn, cfg, d);
        fprintf(fp, "&nbsp;&nbsp;%s", d ? "dose " : "");
        text(fp, dn);
      }
      fputs("</td>", fp);
      for (int j = 0; j < D; j++)
        cell(fp, in, get(in, s, j, (oc_metric)m, dose), 1, false, true);
      if (m == OC_SEL)
        cell(fp, in, get(in, s, D, OC_BENCH_SEL, d), 1, false, true);
      else
        fputs("<td></td>", fp);
      fputs("</tr>\n", fp);
    }
  }
  fputs("</table>\n", fp);
}

/* A paired metric's column: time's only in a study with time. */
static bool pair_shown(const write_input *in, oc_metric m) {
  return oc_catalogue[m].of == OC_OF_PAIR && (m != OC_DURATION_MEAN_DIFF || in->cfg->time.on);
}

/* Every pair of designs: the paired metrics as stored (A - B). */
static void pairs_table(FILE *fp, const write_input *in, int s) {
  const config *cfg = in->cfg;
  int D = cfg->n_designs;
  if (D < 2)
    return;
  int columns = 0;
  for (int m = 0; m < OC_N_METRICS; m++)
    columns += pair_shown(in, (oc_metric)m);
  fputs("<h3>Paired comparisons (A &minus; B, same patients)</h3>\n", fp);
  /* its headers are the metrics' labels: wrapped whatever the number of columns */
  fputs(columns > HTML_INLINE_SE_COLUMNS ? "<table class=\"wide\">" : "<table class=\"wrap\">", fp);
  fputs("<thead><tr><th class=\"l\">A vs B</th>", fp);
  for (int m = 0; m < OC_N_METRICS; m++)
    if (pair_shown(in, (oc_metric)m)) {
      fputs("<th>", fp);
      text(fp, oc_short_label((oc_metric)m));
      fputs("</th>", fp);
    }
  fputs("</tr></thead>\n", fp);
  for (int a = 0; a < D; a++)
    for (int b = a + 1; b < D; b++) {
      int c = oc_pair_column(D, a, b);
      fputs("<tr><td class=\"l\">", fp);
      text(fp, in->rows->labels[c]);
      if (own_truth(in, s, a) >= 0 || own_truth(in, s, b) >= 0)
        own_mark(fp);
      fputs("</td>", fp);
      for (int m = 0; m < OC_N_METRICS; m++)
        if (pair_shown(in, (oc_metric)m))
          cell(fp, in, get(in, s, c, (oc_metric)m, -1), 1, false, true);
      fputs("</tr>\n", fp);
    }
  fputs("</table>\n", fp);
}

static void scenario_section(FILE *fp, const write_input *in, int s) {
  const config *cfg = in->cfg;
  const config_scenario *sc = &in->rows->scenarios[s];
  fprintf(fp, "<section class=\"scenario\" id=\"s%d\"><h2>Scenario: ", s + 1);
  text(fp, sc->name);
  int curves = in->rows->curves[s];
  if (curves > 0) { /* the means over random curves: no one curve to draw */
    fprintf(fp,
            "</h2>\n<p class=\"sub\">Means over %d random curves, each with its own true MTD; "
            "%d of them have none (every dose &ge; %.2f), where stopping is correct.</p>\n",
            curves, in->rows->curves_no_mtd[s], cfg->too_toxic);
  } else {
    fputs("</h2>\n<p class=\"sub\">P(DLT) by dose:", fp);
    for (int d = 0; d < cfg->n_doses; d++)
      fprintf(fp, " %.2f", sc->p_tox[d]);
    if (sc->true_mtd > 0)
      fprintf(fp, "; target %.2f; true MTD dose %d (the dose closest to the target).", cfg->target,
              sc->true_mtd);
    else
      fprintf(fp,
              "; target %.2f; no true MTD: every dose has P(DLT) &ge; %.2f (study.too_toxic), "
              "so stopping with no MTD is the correct selection and every dose counts as above "
              "the MTD.",
              cfg->target, cfg->too_toxic);
    if (sc->has_eff) {
      fputs(" P(response) by dose:", fp);
      for (int d = 0; d < cfg->n_doses; d++)
        fprintf(fp, " %.2f", sc->p_eff[d]);
      /* the target a design that reads responses aims at (BOIN12: the true OBD), named */
      for (int j = 0; j < cfg->n_designs; j++)
        if (cfg->designs[j].type->true_dose != NULL) {
          int t = oc_design_truth(&cfg->designs[j], sc, cfg->n_doses);
          fputs("; ", fp);
          text(fp, cfg->designs[j].name);
          if (t > 0)
            fprintf(fp, " aims at dose %d (its true optimal dose: P(correct selection) counts it)",
                    t);
          else
            fputs(" aims at no dose (none is both safe enough and useful: stopping is correct)",
                  fp);
        }
      fputc('.', fp);
    }
    fputs("</p>\n", fp);
    charts(fp, in, s);
  }
  full_table(fp, in, s);
  pairs_table(fp, in, s);
  own_note(fp, in, s, s + 1,
           cfg->n_designs > 1 ? "A pair&rsquo;s P(correct selection) difference with it "
                                "subtracts probabilities of two different events."
                              : "",
           false);
  fputs("</section>\n", fp);
}

static void provenance(FILE *fp, const write_input *in) {
  const config *cfg = in->cfg;
  fputs("<section id=\"provenance\"><h2>How these numbers were made</h2>\n<dl>", fp);
  fputs("<dt>program</dt><dd>doseval " DOSEVAL_VERSION "</dd>", fp);
  fputs("<dt>build</dt><dd>", fp);
  text(fp, build_info());
  fputs("</dd>", fp);
  fputs("<dt>command</dt><dd><code>", fp);
  text(fp, in->command_line ? in->command_line : in->command);
  fputs("</code></dd><dt>config</dt><dd>", fp);
  text(fp, cfg->path);
  fprintf(fp, "</dd><dt>method</dt><dd>%s</dd>",
          in->exact ? "exact (forward sweep of each design's decision graph; no Monte Carlo error)"
                    : "Monte Carlo on common random numbers (every design sees the same patients)");
  if (!in->exact)
    fprintf(fp, "<dt>trials</dt><dd>%llu per scenario</dd><dt>seed</dt><dd>%llu</dd>",
            (unsigned long long)in->trials, (unsigned long long)cfg->seed);
  fprintf(fp, "<dt>ranks</dt><dd>%d</dd><dt>wall time</dt><dd>%.2f s</dd></dl>\n", in->ranks,
          in->wall_seconds);
  fputs("<p class=\"note\">Every number on this page is a row of oc.csv beside it, rounded; "
        "&plusmn; is the Monte Carlo standard error. The benchmark is the complete-information "
        "design of O'Quigley, Paoletti &amp; Maccario (2002): it sees every patient's outcome "
        "at every dose, selects the dose whose estimate is closest to the target, and stops "
        "with no MTD when every estimate is at or above too_toxic.</p>\n<h3>Config</h3>\n<pre>",
        fp);
  text(fp, cfg->text);
  fputs("</pre>\n</section>\n", fp);
}

dv_status write_html(const write_input *in, const char *dir, dv_error *err) {
  const config *cfg = in->cfg;
  atomic_file f;
  dv_status st = atomic_open(&f, dir, "report.html", err);
  if (st != DV_OK)
    return st;
  FILE *fp = f.fp;
  fputs(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>doseval: ",
      fp);
  text(fp, cfg->study_name);
  fprintf(fp, "</title>\n<style>%s</style></head><body>\n<header><h1>", css);
  text(fp, cfg->study_name);
  fputs("</h1>\n<p class=\"sub\">Operating characteristics of ", fp);
  fprintf(fp, "%d design%s under ", cfg->n_designs, cfg->n_designs == 1 ? "" : "s");
  if (cfg->n_named > 0)
    fprintf(fp, "%d scenario%s%s", cfg->n_named, cfg->n_named == 1 ? "" : "s",
            cfg->n_random > 0 ? " and " : ", ");
  if (cfg->n_random > 0)
    fprintf(fp, "%d curve%s drawn at random, ", cfg->n_random, cfg->n_random == 1 ? "" : "s");
  if (in->exact)
    fputs("computed exactly", fp);
  else
    fprintf(fp, "%llu simulated trials per scenario (seed %llu)", (unsigned long long)in->trials,
            (unsigned long long)cfg->seed);
  fprintf(fp,
          "; target DLT probability %.2f (too toxic: %.2f and above; acceptable: %.2f to "
          "%.2f).</p>\n<table><tr><th class=\"l\">design</th>"
          "<th class=\"l\">type</th><th>cohort</th><th>max patients</th><th>start dose</th>"
          "<th class=\"l\">rules</th></tr>\n",
          cfg->target, cfg->too_toxic, cfg->acceptable[0], cfg->acceptable[1]);
  for (int j = 0; j < cfg->n_designs; j++) {
    const config_design *d = &cfg->designs[j];
    fputs("<tr><td class=\"l\">", fp);
    text(fp, d->name);
    fputs("</td><td class=\"l\">", fp);
    text(fp, d->type->name);
    fprintf(fp, "</td><td>%d</td><td>%d</td><td>%d</td><td class=\"l\">", d->setup.cohort_size,
            d->setup.max_n, d->setup.start_dose);
    /* the rules layer's own (CRM's n_stop) and the config's, in the order they apply */
    for (int r = 0; r < d->policy.n_rules; r++) {
      fputs(r ? ", " : "", fp);
      text(fp, d->policy.rules[r].reason);
    }
    fputs(d->policy.n_rules ? "</td></tr>\n" : "&ndash;</td></tr>\n", fp);
  }
  fputs("</table>\n<p class=\"note\">Doses:", fp);
  for (int d = 1; d <= cfg->n_doses; d++) {
    char dn[48];
    dose_name(dn, sizeof dn, cfg, d);
    fprintf(fp, "%s %s", d > 1 ? "," : "", dn);
  }
  fputs(" ", fp);
  text(fp, cfg->dose_unit ? cfg->dose_unit : "");
  fputs(".</p></header>\n", fp);
  summary(fp, in);
  int sections = in->rows->n_scenarios < HTML_MAX_SCENARIO_SECTIONS ? in->rows->n_scenarios
                                                                    : HTML_MAX_SCENARIO_SECTIONS;
  for (int s = 0; s < sections; s++)
    scenario_section(fp, in, s);
  if (in->rows->n_scenarios > sections)
    fprintf(fp,
            "<p class=\"note\">Details of the first %d of %d scenarios; oc.csv holds them "
            "all.</p>\n",
            sections, in->rows->n_scenarios);
  provenance(fp, in);
  fputs("</body></html>\n", fp);
  return atomic_commit(&f, err);
}
