/* cli_paths.c — `doseval paths`: the dose transition pathways of the next K cohorts (SPEC 4;
 * Yap et al. 2017): a table on stdout, paths.csv and, for K <= 4, paths.html with the tree; a
 * design that reads responses (SPEC 13) in escalation's E/T/B/N letters. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "cli.h"
#include "cli_common.h"
#include "graph.h"
#include "outcomes.h"
#include "paths.h"
#include "pending.h"
#include "policy.h"
#include "svg.h"

/* Beyond these, the paths are counted (and their probabilities summed) but not listed or drawn. */
#define PATHS_MAX_LISTED 1000000
#define PATHS_MAX_PRINTED 64
#define PATHS_MAX_DRAWN 1024
#define PATHS_MAX_DRAWN_COHORTS 4
/* The most states `paths` builds: about 150 MB and two seconds of CRM's decisions at 8 doses
 * (bench/RESULTS.md). Past it the request is refused at once, naming the most cohorts that fit:
 * a bound on the graph rather than on memory, which let a large design grow for a minute and
 * 3 GB before it said no. */
#define PATHS_MAX_STATES ((size_t)1 << 21)

static const char paths_about[] =
    "Lists every outcome of the next K cohorts and the design's decision after each (dose\n"
    "transition pathways, Yap et al. 2017), from the start or from the cohorts in --outcomes: a\n"
    "table on stdout, paths.csv and (K <= 4) paths.html in --out (default\n"
    "results/<config stem>-paths/). With --scenario each path has its probability under that\n"
    "curve, and the probabilities at the leaves are printed. With a DLT window (--dlt-window W,\n"
    "by default the config's study.dlt_window) --outcomes may hold pending patients (P<days>):\n"
    "then the decision now is printed, and the paths start once their outcomes are known, one\n"
    "branch per way they resolve (SPEC 12; docs/live-trial.md). For a design that reads\n"
    "responses (boin12) each cohort branches on its DLTs and responses, written in escalation's\n"
    "letters as `next --outcomes` reads them (\"2TEN\": E response only, T DLT only, B both, N\n"
    "neither; as few B as the counts allow), and its probabilities are the joint law of both\n"
    "(study.eff_tox_correlation); pending patients are refused for it.\n";

/* With pending patients in --outcomes (SPEC 12) the paths start once their outcomes are known:
 * one branch per way they resolve, cohort by cohort of --outcomes (how many of each cohort's
 * pending patients have a DLT). The product of (pending + 1) over those cohorts is bounded. */
#define PATHS_MAX_RESOLUTIONS 4096
#define PATHS_MAX_PENDING_COHORTS 12 /* 2^12 = PATHS_MAX_RESOLUTIONS */
/* a path's steps as kept for the tree: the resolution (pending mode), then the cohorts */
#define PATHS_MAX_DRAWN_STEPS (PATHS_MAX_DRAWN_COHORTS + 1)

/* One way the pending patients resolve: per cohort of --outcomes with pending patients, its dose
 * and how many of them have a DLT; its probability (1 without a scenario) and the decision then. */
typedef struct {
  int n_rows;
  int dose[PATHS_MAX_PENDING_COHORTS], m[PATHS_MAX_PENDING_COHORTS]; /* m: pending */
  int dlts[PATHS_MAX_PENDING_COHORTS];
  double prob[PATHS_MAX_PENDING_COHORTS]; /* the probability so far, row by row */
  design_action next;
} resolution;

typedef struct {
  const config *cfg;
  FILE *csv;     /* NULL: not listing */
  bool print;    /* one line per path on stdout */
  bool with_p;   /* a scenario was given */
  bool letters;  /* the design reads responses: cohorts in escalation's E/T/B/N letters */
  int c;         /* cohort size */
  int max_steps; /* K, plus the resolution's step in pending mode */
  /* pending mode: the resolution being walked (NULL otherwise), its index, and the paths before */
  const resolution *res;
  int res_index;
  uint64_t base;
  char (*res_label)[160]; /* the tree's label of each resolution */
  /* the paths kept for the tree */
  int n_kept;
  paths_step (*kept)[PATHS_MAX_DRAWN_STEPS];
  int *kept_len;
  const char *selects; /* what the design selects: "MTD", or its own word (design_selects) */
} sink;

static void action_text(design_action a, const char *selects, char *buf, size_t len) {
  if (!a.stop)
    snprintf(buf, len, "-> %d", a.dose);
  else if (a.dose)
    snprintf(buf, len, "stop, %s %d", selects, a.dose);
  else
    snprintf(buf, len, "stop, no %s", selects);
}

/* The decision's columns of paths.csv: next_dose,stop,mtd. */
static void csv_action(FILE *fp, design_action a) {
  if (!a.stop)
    fprintf(fp, "%d,0,", a.dose);
  else
    fprintf(fp, ",1,%d", a.dose);
}

static int visit(void *ctx, uint64_t path, const paths_step *steps, int n) {
  sink *k = ctx;
  const resolution *r = k->res;
  double scale = r != NULL && k->with_p ? r->prob[r->n_rows - 1] : 1.0;
  path += k->base;
  /* pending mode: the resolution's rows come first, as cohort 0, each with the decision once
   * every pending outcome is known */
  for (int i = 0; k->csv && r != NULL && i < r->n_rows; i++) {
    fprintf(k->csv, "%" PRIu64 ",0,%d,%d,", path + 1, r->dose[i], r->dlts[i]);
    csv_action(k->csv, r->next);
    if (k->with_p)
      fprintf(k->csv, ",%.12g", r->prob[i]);
    fputc('\n', k->csv);
  }
  for (int i = 0; k->csv && i < n; i++) {
    const paths_step *s = &steps[i];
    fprintf(k->csv, "%" PRIu64 ",%d,%d,%d,", path + 1, i + 1, s->dose, s->dlts);
    if (k->letters) {
      char cohort[DESIGN_MAX_COHORT + 8];
      outcomes_cohort_text(s->dose, k->c, s->dlts, s->responses, cohort, sizeof cohort);
      fprintf(k->csv, "%d,%s,", s->responses, cohort);
    }
    csv_action(k->csv, s->next);
    if (k->with_p)
      fprintf(k->csv, ",%.12g", s->prob * scale);
    fputc('\n', k->csv);
  }
  if (k->print) {
    printf("%5" PRIu64 ":", path + 1);
    if (r != NULL) {
      char a[32];
      action_text(r->next, k->selects, a, sizeof a);
      printf(" known:");
      for (int i = 0; i < r->n_rows; i++)
        printf("%s dose %d %d/%d", i ? "," : "", r->dose[i], r->dlts[i], r->m[i]);
      printf(" %s%s", a, n > 0 ? " |" : "");
    }
    for (int i = 0; i < n; i++) {
      char a[32], cohort[DESIGN_MAX_COHORT + 8];
      action_text(steps[i].next, k->selects, a, sizeof a);
      if (k->letters) {
        outcomes_cohort_text(steps[i].dose, k->c, steps[i].dlts, steps[i].responses, cohort,
                             sizeof cohort);
        printf("%s %s %s", i ? " |" : "", cohort, a);
      } else {
        printf("%s dose %d %d/%d %s", i ? " |" : "", steps[i].dose, steps[i].dlts, k->c, a);
      }
    }
    if (k->with_p)
      printf("   p = %.6f", n > 0 ? steps[n - 1].prob * scale : scale);
    printf("\n");
  }
  if (k->kept != NULL && k->n_kept < PATHS_MAX_DRAWN) {
    int off = 0;
    if (r != NULL) { /* the resolution as a step of dose 0, told apart by its index */
      k->kept[k->n_kept][0] =
          (paths_step){.dose = 0, .dlts = k->res_index, .next = r->next, .prob = scale};
      off = 1;
    }
    memcpy(k->kept[k->n_kept] + off, steps, (size_t)n * sizeof *steps);
    for (int i = 0; i < n; i++)
      k->kept[k->n_kept][off + i].prob *= scale;
    k->kept_len[k->n_kept++] = n + off;
  }
  return k->csv != NULL && ferror(k->csv);
}

/* A node's label: its cohort's outcomes (or, in pending mode, how the pending ones resolved),
 * the decision after it and, with a scenario, the probability of the path so far. */
static void node_label(const sink *k, const paths_step *s, char *label, size_t len) {
  char a[32], p[24] = "";
  action_text(s->next, k->selects, a, sizeof a);
  if (k->with_p)
    snprintf(p, sizeof p, " (%.3f)", s->prob);
  if (s->dose == 0) { /* pending mode: how the pending outcomes resolved */
    snprintf(label, len, "%s %s%s", k->res_label[s->dlts], a, p);
  } else if (k->letters) {
    char cohort[DESIGN_MAX_COHORT + 8];
    outcomes_cohort_text(s->dose, k->c, s->dlts, s->responses, cohort, sizeof cohort);
    snprintf(label, len, "%s %s%s", cohort, a, p);
  } else {
    snprintf(label, len, "%d: %d/%d DLT %s%s", s->dose, s->dlts, k->c, a, p);
  }
}

/* The width a label takes at the tree's 11 px DejaVu Sans: 7 px a character covers its widest
 * (capitals, digits, "->") with room to spare, so that no label runs into the edges after it. */
#define TREE_CHAR_PX 7
#define TREE_EDGE_PX 50 /* the horizontal run of the edges between two columns */

/* The tree: one row per path, a node per distinct prefix at each depth, drawn at the middle of
 * its rows. Each column is as wide as its longest label (the root's, a history, can be long). */
static void write_tree(FILE *fp, const sink *k, const char *title, const char *root_label) {
  int rows = k->n_kept, depth = k->max_steps, row = 18, top = 30;
  char label[192];
  /* x[d]: where column d's labels start (column 0: the root); end[d]: where its longest ends */
  int x[PATHS_MAX_DRAWN_STEPS + 1], end[PATHS_MAX_DRAWN_STEPS + 1];
  x[0] = 4;
  end[0] = x[0] + TREE_CHAR_PX * (int)strlen(root_label);
  for (int d = 0; d < depth; d++) {
    int longest = 0;
    for (int r = 0; r < rows; r++)
      if (k->kept_len[r] > d) {
        node_label(k, &k->kept[r][d], label, sizeof label);
        int n = (int)strlen(label);
        longest = n > longest ? n : longest;
      }
    x[d + 1] = end[d] + TREE_EDGE_PX;
    end[d + 1] = x[d + 1] + TREE_CHAR_PX * longest;
  }
  int width = end[depth] + 20, height = top + row * (rows > 0 ? rows : 1) + 20;
  fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
  svg_text(fp, title);
  fprintf(fp, "</title>\n<style>body{font-family:\"DejaVu Sans\",sans-serif;margin:1.5em;}"
              "svg{max-width:100%%;height:auto}text{font-size:11px}</style></head><body>\n<h1>");
  svg_text(fp, title);
  fprintf(fp,
          "</h1>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
          "width=\"%d\" height=\"%d\" role=\"img\">\n",
          width, height, width, height);
  double root_y = top + row * (rows - 1) / 2.0;
  fprintf(fp, "<text x=\"%d\" y=\"%.1f\">", x[0], root_y + 4);
  svg_text(fp, root_label);
  fprintf(fp, "</text>\n");
  for (int d = 0; d < depth; d++) {
    int first = 0;
    while (first < rows) {
      int last = first;
      /* the rows that share this node: the same first d+1 steps */
      while (last + 1 < rows && k->kept_len[last + 1] > d && k->kept_len[first] > d &&
             memcmp(k->kept[last + 1], k->kept[first], (size_t)(d + 1) * sizeof(paths_step)) == 0)
        last++;
      if (k->kept_len[first] <= d) {
        first = last + 1;
        continue;
      }
      /* its parent's rows: the same first d steps */
      int pf = first, pl = last;
      while (
          pf > 0 && k->kept_len[pf - 1] > d - 1 &&
          (d == 0 || memcmp(k->kept[pf - 1], k->kept[first], (size_t)d * sizeof(paths_step)) == 0))
        pf--;
      while (
          pl + 1 < rows && k->kept_len[pl + 1] > d - 1 &&
          (d == 0 || memcmp(k->kept[pl + 1], k->kept[first], (size_t)d * sizeof(paths_step)) == 0))
        pl++;
      double y = top + row * (first + last) / 2.0, py = top + row * (pf + pl) / 2.0;
      const paths_step *s = &k->kept[first][d];
      node_label(k, s, label, sizeof label);
      fprintf(fp,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
              "stroke-width=\"1\"/>\n<text x=\"%d\" y=\"%.1f\"%s>",
              end[d] + 4, py, x[d + 1] - 4, y, SVG_GREY, x[d + 1], y + 4,
              s->next.stop ? " font-weight=\"bold\"" : "");
      svg_text(fp, label);
      fprintf(fp, "</text>\n");
      first = last + 1;
    }
  }
  fprintf(fp,
          "</svg>\n<p>Each node: the cohort's dose, its %s, and the decision after it "
          "(bold: the trial stops)%s%s.</p>\n</body></html>\n",
          k->letters ? "outcomes in escalation's letters (E response only, T DLT only, B both, "
                       "N neither; B for as few patients as the counts allow: the design reads "
                       "the counts)"
                     : "DLTs",
          k->res_label != NULL ? "; the first column: the DLTs among the pending patients of each "
                                 "cohort, once their outcomes are known, and the decision then"
                               : "",
          k->with_p ? "; in brackets the probability of the path so far" : "");
}

/* The pending patients of --outcomes: the cohorts that have some, in order, and under a scenario
 * the law of each one's number of DLTs (paths_pending_pmf). */
typedef struct {
  int n;
  int cohort[PATHS_MAX_PENDING_COHORTS];
  double pmf[PATHS_MAX_PENDING_COHORTS][DESIGN_MAX_N + 1];
} pending_cohorts;

/* How many ways the pending patients resolve, or 0 past PATHS_MAX_RESOLUTIONS. */
static long resolutions(const outcomes *o) {
  long n = 1;
  for (int c = 0; c < o->n_cohorts; c++) {
    n *= o->cohorts[c].m + 1;
    if (n > PATHS_MAX_RESOLUTIONS)
      return 0;
  }
  return n;
}

static void pending_cohorts_init(const outcomes *o, const clock_law *law, pending_cohorts *pc) {
  pc->n = 0;
  int first = 0; /* the cohort's first patient */
  for (int c = 0; c < o->n_cohorts; c++) {
    const outcome_cohort *oc = &o->cohorts[c];
    if (oc->m > 0) {
      double q[DESIGN_MAX_N];
      int m = 0;
      for (int i = first; i < first + oc->n; i++)
        if (o->patients[i].kind == 'P')
          q[m++] = law ? paths_pending_dlt(law, oc->dose, o->patients[i].days) : 0.0;
      paths_pending_pmf(q, m, pc->pmf[pc->n]);
      pc->cohort[pc->n++] = c;
    }
    first += oc->n;
  }
}

/* Resolution `index` (the last pending cohort's DLTs vary fastest, fewest first) and the state
 * once those outcomes are known: every patient of --outcomes with a known outcome. */
static void resolution_at(const outcomes *o, const pending_cohorts *pc, long index,
                          bool last_cohort, resolution *r, design_state *root) {
  int j[PATHS_MAX_PENDING_COHORTS];
  for (int i = pc->n; i-- > 0;) {
    int m = o->cohorts[pc->cohort[i]].m;
    j[i] = (int)(index % (m + 1));
    index /= m + 1;
  }
  memset(root, 0, sizeof *root);
  r->n_rows = pc->n;
  double prob = 1.0;
  for (int c = 0, i = 0; c < o->n_cohorts; c++) {
    const outcome_cohort *oc = &o->cohorts[c];
    int y = oc->y;
    if (i < pc->n && pc->cohort[i] == c) {
      y += j[i];
      prob *= pc->pmf[i][j[i]];
      r->dose[i] = oc->dose;
      r->m[i] = oc->m;
      r->dlts[i] = j[i];
      r->prob[i] = prob;
      i++;
    }
    state_add_cohort(root, oc->dose, oc->n, y, last_cohort);
  }
}

/* The decision now, with patients pending, in the words of `next`'s first line. */
static void now_text(design_action a, const char *selects, char *buf, size_t len) {
  if (a.suspend)
    snprintf(buf, len,
             "suspend: turn arrivals away until more outcomes are known (current dose %d)", a.dose);
  else if (!a.stop)
    snprintf(buf, len, "next dose: %d", a.dose);
  else if (a.dose)
    snprintf(buf, len, "stop: %s %d", selects, a.dose);
  else
    snprintf(buf, len, "stop: no %s", selects);
}

int cli_paths(int argc, char **argv) {
  const char *path = NULL, *text = "", *out = NULL;
  long cohorts = 0;
  bool has_cohorts = false, has_window = false;
  double window = 0.0;
  cli_selection sel = {0};
  const cli_option opts[] = {
      CLI_OPTION_DESIGN(&sel, 1, "the design's name in the config (required)"),
      {"--cohorts", CLI_LONG, &cohorts, &has_cohorts, "K", "how many cohorts ahead (required)", 0,
       NULL},
      {"--outcomes", CLI_WORD, &text, NULL, "\"1NNN 2NTN\"",
       "start after these cohorts (default: the start of the trial)", 0, NULL},
      CLI_OPTION_SCENARIO(&sel, 1, "give each path its probability under this scenario"),
      {"--dlt-window", CLI_REAL, &window, &has_window, "W",
       "the DLT window in days, for pending patients (P<days>) in --outcomes (default: the "
       "config's study.dlt_window)",
       0, NULL},
      {"--out", CLI_DIR, &out, NULL, "DIR", "where to write (default results/<stem>-paths/)", 0,
       NULL},
      CLI_OPTION_END};
  cli_command cmd = {.name = "paths",
                     .about = paths_about,
                     .opts = opts,
                     .min_args = 1,
                     .max_args = 1,
                     .arg = &path,
                     .select = &sel};
  config *cfg = NULL;
  int rc;
  if (!cli_begin(&cmd, argc, argv, &cfg, &rc))
    return rc;
  graph **g = NULL;
  uint64_t *counts = NULL;
  long n_res = 1, built = 0;
  outcomes *o = NULL;
  pending_cohorts *pc = NULL;
  sink k = {0};
  responses_law *law = NULL;
  dv_error err = {0};
  const char *scenario = sel.n_scenarios ? sel.scenarios[0] : NULL;
  if ((rc = cli_one_design(&cmd, &sel, cfg)) != 0 || (rc = cli_no_backfill(&cmd, cfg)) != 0)
    goto done;
  bool letters = cfg->designs[0].type->reads_responses;
  if (!has_cohorts) {
    rc = cli_usage_error(&cmd, "--cohorts: missing; allowed: a whole number from 1 to %d",
                         DESIGN_MAX_N);
    goto done;
  }
  if (cohorts < 1 || cohorts > DESIGN_MAX_N) {
    rc = cli_usage_error(&cmd, "--cohorts: %ld; allowed: 1 to %d", cohorts, DESIGN_MAX_N);
    goto done;
  }
  if (scenario != NULL && cfg->n_scenarios != 1) { /* 'random': every random curve */
    rc = cli_usage_error(&cmd, "--scenario: '%s' selects %d curves; allowed: one scenario",
                         scenario, cfg->n_scenarios);
    goto done;
  }
  if (has_window && !(window > 0.0 && window <= TIMING_MAX_DAYS)) {
    rc = cli_usage_error(&cmd, "--dlt-window: %g; allowed: days, 0 < W <= %g", window,
                         TIMING_MAX_DAYS);
    goto done;
  }
  if ((o = malloc(sizeof *o)) == NULL || (pc = malloc(sizeof *pc)) == NULL) {
    fprintf(stderr, "doseval paths: out of memory\n");
    rc = 1;
    goto done;
  }
  if (!has_window && cfg->time.on) { /* the study's window (SPEC 11) unless the option says */
    window = cfg->time.window;
    has_window = true;
  }
  dv_status st = cli_outcomes(cfg, text, has_window ? window : 0.0, o, &err);
  bool pending = st == DV_OK && o->n_pending > 0;
  /* a design that reads responses: a pending patient's response is not known either, and the
   * branches once they resolve would need the joint law of both given the follow-up */
  if (pending && letters) {
    rc = cli_usage_error(&cmd,
                         "--outcomes: %d pending patient%s (P) and design '%s' (%s) reads "
                         "responses; allowed: complete cohorts only (E, T, B, N) for a design "
                         "that reads responses (`doseval next` decides with them pending)",
                         o->n_pending, o->n_pending == 1 ? "" : "s", cfg->designs[0].name,
                         cfg->designs[0].type->name);
    goto done;
  }
  if (pending && (n_res = resolutions(o)) == 0) {
    rc = cli_usage_error(&cmd,
                         "--outcomes: %d pending patients resolve in more than %d ways (the "
                         "product of pending + 1 over the cohorts); allowed: at most %d, e.g. "
                         "fewer pending patients",
                         o->n_pending, PATHS_MAX_RESOLUTIONS, PATHS_MAX_RESOLUTIONS);
    goto done;
  }
  char dir[4096];
  if (st == DV_OK) {
    if (out) {
      snprintf(dir, sizeof dir, "%s", out);
    } else {
      char base[4000];
      cli_default_out(path, base, sizeof base);
      snprintf(dir, sizeof dir, "%s-paths", base);
    }
  }
  const config_design *d = st == DV_OK ? &cfg->designs[0] : NULL;
  config_scenario curve;
  if (scenario != NULL && st == DV_OK)
    config_scenario_at(cfg, 0, &curve);
  const double *p = scenario != NULL && st == DV_OK ? curve.p_tox : NULL;
  /* the scenario's law of a cohort's outcome at each dose: DLTs, or DLTs and responses (with the
   * study's copula) for a design that reads them (SPEC 13), as `exact` weighs them */
  if (p != NULL) {
    if ((law = malloc(sizeof *law)) == NULL) {
      fprintf(stderr, "doseval paths: out of memory\n");
      rc = 1;
      goto done;
    }
    responses_law_init(law, cfg->n_doses, d->setup.cohort_size, letters, p, curve.p_eff,
                       cfg->eff_tox_correlation);
  }
  /* pending mode: the onset law (the study's, else uniform) on this window gives each pending
   * patient's chance of a DLT to come */
  if (pending) {
    clock_law law;
    study_time t = cfg->time.on ? cfg->time : (study_time){.on = true};
    t.window = window;
    if (p != NULL)
      clock_law_init(&law, &t, p, cfg->n_doses);
    pending_cohorts_init(o, p != NULL ? &law : NULL, pc);
  }
  if (st == DV_OK) {
    g = calloc((size_t)n_res, sizeof *g);
    counts = calloc((size_t)n_res, sizeof *counts);
    if (g == NULL || counts == NULL)
      st = error_set(&err, DV_ENOMEM, "paths: out of memory");
  }
  /* every resolution's graph, within PATHS_MAX_STATES in all */
  size_t states = 0;
  int fit = 0;
  size_t fit_states = 0;
  for (; st == DV_OK && built < n_res; built++) {
    design_state root;
    resolution r;
    if (pending)
      resolution_at(o, pc, built, d->policy.last_cohort, &r, &root);
    else
      outcomes_state(o, o->n_cohorts, d->policy.last_cohort, &root);
    if (states >= PATHS_MAX_STATES) {
      st = DV_ETOOBIG;
      break;
    }
    st = graph_alloc_at(&g[built], &d->policy, &root, PATHS_MAX_STATES - states, &err);
    if (st == DV_OK)
      st = paths_reach(g[built], (int)cohorts, &fit, &fit_states, &err);
    if (st == DV_OK)
      states += graph_size(g[built]);
  }
  if (st == DV_ETOOBIG || st == DV_ENOMEM) {
    /* a usage limit (exit 2), not a failure, when it is the bound; the graph's own advice
     * names another command */
    char allowed[160];
    if (pending)
      snprintf(allowed, sizeof allowed,
               "fewer cohorts (the %ld ways the pending outcomes "
               "resolve share the bound)",
               n_res);
    else if (fit > 0)
      snprintf(allowed, sizeof allowed, "--cohorts 1 to %d (%d cohorts: %zu states)", fit, fit,
               fit_states);
    else
      snprintf(allowed, sizeof allowed, "none: the first cohort's states do not fit");
    if (st == DV_ETOOBIG)
      rc = cli_usage_error(&cmd,
                           "--cohorts %ld: more than %zu states of %s lie within %ld cohorts (the "
                           "most `paths` builds); allowed: %s; the whole trial's operating "
                           "characteristics: `doseval exact`, or `doseval run` where exact is "
                           "too big",
                           cohorts, PATHS_MAX_STATES, d->name, cohorts, allowed);
    else
      fprintf(stderr, "doseval paths: out of memory while building the states; what fits: %s\n",
              allowed);
    rc = st == DV_ETOOBIG ? rc : 1;
    goto done;
  }
  if (st == DV_OK) /* after the bounded build, before the paths are counted and listed */
    st = atomic_writable(dir, &err);
  uint64_t n_paths = 0;
  for (long r = 0; st == DV_OK && r < n_res; r++) {
    st = paths_count(g[r], (int)cohorts, &counts[r], &err);
    n_paths = counts[r] > UINT64_MAX - n_paths ? UINT64_MAX : n_paths + counts[r];
  }
  states = 0;
  for (long r = 0; st == DV_OK && r < n_res; r++)
    states += graph_size(g[r]);
  /* the decision at the root, node 0, memoised by the count */
  design_action root_action = st == DV_OK ? graph_action(g[0], 0) : design_stop(0, 0);
  atomic_set set;
  bool staged = false;
  atomic_file csv = {0};
  bool listing = n_paths <= PATHS_MAX_LISTED,
       drawing = cohorts <= PATHS_MAX_DRAWN_COHORTS && n_paths <= PATHS_MAX_DRAWN;
  if (st == DV_OK && !pending && root_action.stop) {
    char act[32];
    action_text(root_action, design_selects(d->type), act, sizeof act);
    printf("%s (%s): after \"%s\" the trial has stopped (%s, %s): there are no paths; no file "
           "written\n",
           d->name, d->type->name, text, act, d->policy.reasons[root_action.reason]);
    rc = 0;
    goto done;
  }
  char now[128] = "";
  if (st == DV_OK && pending) {
    pending_view *v = malloc(sizeof *v);
    if (v == NULL) {
      st = error_set(&err, DV_ENOMEM, "paths: out of memory");
    } else {
      outcomes_view(o, window, d->setup.cohort_size, d->setup.max_n, v);
      now_text(policy_decide_pending(&d->policy, v, NULL, NULL), design_selects(d->type), now,
               sizeof now);
      free(v);
    }
  }
  if (st == DV_OK && pending) {
    printf("%s (%s): dose transition pathways, %ld cohort%s from \"%s\" once its %d pending "
           "outcome%s are known\n",
           d->name, d->type->name, cohorts, cohorts == 1 ? "" : "s", text, o->n_pending,
           o->n_pending == 1 ? "" : "s");
    printf("now, with %d pending (%g-day window): %s\n", o->n_pending, window, now);
    printf("%ld way%s the pending outcomes resolve; %" PRIu64 " path%s through %zu states%s%s\n",
           n_res, n_res == 1 ? "" : "s", n_paths, n_paths == 1 ? "" : "s", states,
           scenario ? "; probabilities under " : "", scenario ? scenario : "");
    st = atomic_set_begin(&set, dir, &err);
    staged = st == DV_OK;
  } else if (st == DV_OK) {
    printf("%s (%s): dose transition pathways, %ld cohort%s from %s%s%s\n", d->name, d->type->name,
           cohorts, cohorts == 1 ? "" : "s", o->n_cohorts ? "\"" : "the start",
           o->n_cohorts ? text : "", o->n_cohorts ? "\"" : "");
    printf("%" PRIu64 " path%s through %zu states%s%s\n", n_paths, n_paths == 1 ? "" : "s", states,
           scenario ? "; probabilities under " : "", scenario ? scenario : "");
    st = atomic_set_begin(&set, dir, &err);
    staged = st == DV_OK;
  }
  if (st == DV_OK && listing)
    st = atomic_open(&csv, set.stage, "paths.csv", &err);
  if (st == DV_OK) {
    k = (sink){.cfg = cfg,
               .csv = listing ? csv.fp : NULL,
               .print = n_paths <= PATHS_MAX_PRINTED,
               .with_p = p != NULL,
               .letters = letters,
               .c = d->setup.cohort_size,
               .max_steps = (int)cohorts + pending,
               .selects = design_selects(d->type)};
    if (drawing) {
      k.kept = calloc(PATHS_MAX_DRAWN, sizeof *k.kept);
      k.kept_len = calloc(PATHS_MAX_DRAWN, sizeof *k.kept_len);
      if (pending)
        k.res_label = calloc((size_t)n_res, sizeof *k.res_label);
      if (k.kept == NULL || k.kept_len == NULL || (pending && k.res_label == NULL))
        st = error_set(&err, DV_ENOMEM, "paths: out of memory");
    }
    if (st == DV_OK && listing) {
      fprintf(csv.fp, "path,cohort,dose,dlts,%snext_dose,stop,mtd%s\n",
              letters ? "responses,outcome," : "", p ? ",probability" : "");
      resolution r;
      for (long i = 0; st == DV_OK && i < n_res; i++) {
        if (pending) {
          design_state root;
          resolution_at(o, pc, i, d->policy.last_cohort, &r, &root);
          r.next = graph_action(g[i], 0);
          k.res = &r;
          k.res_index = (int)i;
          if (k.res_label != NULL) {
            size_t used = (size_t)snprintf(k.res_label[i], sizeof k.res_label[i], "pending:");
            for (int j = 0; j < r.n_rows && used < sizeof k.res_label[i]; j++)
              used += (size_t)snprintf(k.res_label[i] + used, sizeof k.res_label[i] - used,
                                       "%s %d: %d/%d", j ? "," : "", r.dose[j], r.dlts[j], r.m[j]);
          }
        }
        st = paths_walk(g[i], (int)cohorts, law, visit, &k, &err);
        k.base += counts[i];
      }
      if (st == DV_OK)
        st = atomic_commit(&csv, &err);
      else
        atomic_abort(&csv);
    }
    if (!k.print)
      printf("%s\n", listing ? "the paths are in paths.csv"
                             : "too many to list: paths.csv "
                               "is not written");
  }
  if (st == DV_OK && drawing) {
    atomic_file html;
    st = atomic_open(&html, set.stage, "paths.html", &err);
    if (st == DV_OK) {
      char title[512], root_label[256];
      snprintf(title, sizeof title, "%s: dose transition pathways, %ld cohort%s", d->name, cohorts,
               cohorts == 1 ? "" : "s");
      char act[128];
      if (pending)
        snprintf(act, sizeof act, "now: %s", now);
      else
        action_text(root_action, design_selects(d->type), act, sizeof act);
      snprintf(root_label, sizeof root_label, "%s %s", o->n_cohorts ? text : "start", act);
      write_tree(html.fp, &k, title, root_label);
      st = atomic_commit(&html, &err);
    }
  } else if (st == DV_OK) {
    printf("paths.html is drawn for at most %d cohorts and %d paths\n", PATHS_MAX_DRAWN_COHORTS,
           PATHS_MAX_DRAWN);
  }
  if (st == DV_OK && p != NULL) {
    double sel[DESIGN_MAX_DOSES + 1] = {0}, going = 0.0;
    for (long i = 0; st == DV_OK && i < n_res; i++) {
      double sel_i[DESIGN_MAX_DOSES + 1], going_i = 0.0, w = 1.0;
      if (pending) {
        resolution r;
        design_state root;
        resolution_at(o, pc, i, d->policy.last_cohort, &r, &root);
        w = r.prob[r.n_rows - 1];
      }
      st = paths_leaves(g[i], (int)cohorts, law, sel_i, &going_i, &err);
      for (int dd = 0; st == DV_OK && dd <= cfg->n_doses; dd++)
        sel[dd] += w * sel_i[dd];
      going += w * going_i;
    }
    if (st == DV_OK) {
      const char *what = design_selects(d->type);
      printf("at the leaves: P(stop, no %s) %.6f", what, sel[0]);
      for (int dd = 1; dd <= cfg->n_doses; dd++)
        printf(", P(stop, %s %d) %.6f", what, dd, sel[dd]);
      printf(", P(still treating) %.6f\n", going);
    }
  }
  if (st == DV_OK && staged && !listing && !drawing) {
    atomic_set_abort(&set); /* nothing to write: --out is left as it was */
    staged = false;
    printf("no file written\n");
  }
  int out_errno = 0;
  if (st == DV_OK && staged && (fflush(stdout) != 0 ? (out_errno = errno) : ferror(stdout))) {
    /* the table is the answer: without it, no files either */
    atomic_set_abort(&set);
    staged = false;
    fprintf(stderr, "doseval paths: cannot write to standard output: %s; no file written\n",
            out_errno ? strerror(out_errno) : "a write failed");
    clearerr(stdout); /* said once, here */
    rc = 1;
    goto done;
  }
  if (st == DV_OK && staged) {
    static const char *const names[] = {"paths.csv", "paths.html", NULL};
    st = atomic_set_commit(&set, names, &err);
    staged = false;
    if (st == DV_OK)
      printf("written: %s/%s%s\n", dir, listing ? "paths.csv" : "",
             drawing ? (listing ? ", paths.html" : "paths.html") : "");
  }
  if (staged)
    atomic_set_abort(&set);
  rc = st == DV_OK ? 0 : cli_fail("paths", &err);
done:
  free(law);
  free(k.kept);
  free(k.kept_len);
  free(k.res_label);
  for (long i = 0; g != NULL && i < n_res; i++)
    graph_free(g[i]);
  free(g);
  free(counts);
  free(pc);
  free(o);
  config_free(cfg);
  return rc;
}
