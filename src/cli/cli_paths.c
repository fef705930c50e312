/* cli_paths.c — `doseval paths`: the dose transition pathways of the next K cohorts (SPEC 4;
 * Yap et al. 2017): a table on stdout, paths.csv and, for K <= 4, paths.html with the tree. */
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
    "curve, and the probabilities at the leaves are printed.\n";

typedef struct {
  const config *cfg;
  FILE *csv;     /* NULL: not listing */
  bool print;    /* one line per path on stdout */
  bool with_p;   /* a scenario was given */
  int c;         /* cohort size */
  int max_steps; /* K */
  /* the paths kept for the tree */
  int n_kept;
  paths_step (*kept)[PATHS_MAX_DRAWN_COHORTS];
  int *kept_len;
} sink;

static void action_text(design_action a, char *buf, size_t len) {
  if (!a.stop)
    snprintf(buf, len, "-> %d", a.dose);
  else if (a.dose)
    snprintf(buf, len, "stop, MTD %d", a.dose);
  else
    snprintf(buf, len, "stop, no MTD");
}

static int visit(void *ctx, uint64_t path, const paths_step *steps, int n) {
  sink *k = ctx;
  for (int i = 0; k->csv && i < n; i++) {
    const paths_step *s = &steps[i];
    fprintf(k->csv, "%" PRIu64 ",%d,%d,%d,", path + 1, i + 1, s->dose, s->dlts);
    if (!s->next.stop)
      fprintf(k->csv, "%d,0,", s->next.dose);
    else
      fprintf(k->csv, ",1,%d", s->next.dose);
    if (k->with_p)
      fprintf(k->csv, ",%.12g", s->prob);
    fputc('\n', k->csv);
  }
  if (k->print) {
    printf("%5" PRIu64 ":", path + 1);
    for (int i = 0; i < n; i++) {
      char a[32];
      action_text(steps[i].next, a, sizeof a);
      printf("%s dose %d %d/%d %s", i ? " |" : "", steps[i].dose, steps[i].dlts, k->c, a);
    }
    if (k->with_p)
      printf("   p = %.6f", n > 0 ? steps[n - 1].prob : 1.0);
    printf("\n");
  }
  if (k->kept != NULL && k->n_kept < PATHS_MAX_DRAWN) {
    memcpy(k->kept[k->n_kept], steps, (size_t)n * sizeof *steps);
    k->kept_len[k->n_kept++] = n;
  }
  return k->csv != NULL && ferror(k->csv);
}

/* The tree: one row per path, a node per distinct prefix at each depth, drawn at the middle of
 * its rows. */
static void write_tree(FILE *fp, const sink *k, const char *title, const char *root_label) {
  int rows = k->n_kept, depth = k->max_steps, col = 190, row = 18, top = 30;
  int width = col * (depth + 1) + 40, height = top + row * (rows > 0 ? rows : 1) + 20;
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
  fprintf(fp, "<text x=\"4\" y=\"%.1f\">", root_y + 4);
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
      int x = col * (d + 1), px = col * d + (d == 0 ? 120 : 150);
      const paths_step *s = &k->kept[first][d];
      char a[32], label[96];
      action_text(s->next, a, sizeof a);
      snprintf(label, sizeof label, "%d: %d/%d DLT %s", s->dose, s->dlts, k->c, a);
      fprintf(fp,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
              "stroke-width=\"1\"/>\n<text x=\"%d\" y=\"%.1f\"%s>",
              px, py, x - 4, y, SVG_GREY, x, y + 4, s->next.stop ? " font-weight=\"bold\"" : "");
      svg_text(fp, label);
      if (k->with_p)
        fprintf(fp, " (%.3f)", s->prob);
      fprintf(fp, "</text>\n");
      first = last + 1;
    }
  }
  fprintf(fp,
          "</svg>\n<p>Each node: the cohort's dose, its DLTs, and the decision after it "
          "(bold: the trial stops)%s.</p>\n</body></html>\n",
          k->with_p ? "; in brackets the probability of the path so far" : "");
}

int cli_paths(int argc, char **argv) {
  const char *path = NULL, *text = "", *out = NULL;
  long cohorts = 0;
  bool has_cohorts = false;
  cli_selection sel = {0};
  const cli_option opts[] = {
      CLI_OPTION_DESIGN(&sel, 1, "the design's name in the config (required)"),
      {"--cohorts", CLI_LONG, &cohorts, &has_cohorts, "K", "how many cohorts ahead (required)", 0,
       NULL},
      {"--outcomes", CLI_WORD, &text, NULL, "\"1NNN 2NTN\"",
       "start after these cohorts (default: the start of the trial)", 0, NULL},
      CLI_OPTION_SCENARIO(&sel, 1, "give each path its probability under this scenario"),
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
  graph *g = NULL;
  outcomes *o = NULL;
  sink k = {0};
  dv_error err = {0};
  const char *scenario = sel.n_scenarios ? sel.scenarios[0] : NULL;
  if ((rc = cli_one_design(&cmd, &sel, cfg)) != 0)
    goto done;
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
  if ((o = malloc(sizeof *o)) == NULL) {
    fprintf(stderr, "doseval paths: out of memory\n");
    rc = 1;
    goto done;
  }
  dv_status st = cli_outcomes(cfg, text, 0.0, o, &err);
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
  design_state root;
  uint64_t n_paths = 0;
  if (st == DV_OK) {
    outcomes_state(o, o->n_cohorts, d->policy.last_cohort, &root);
    st = graph_alloc_at(&g, &d->policy, &root, PATHS_MAX_STATES, &err);
  }
  int fit = 0;
  size_t fit_states = 0;
  if (st == DV_OK)
    st = paths_reach(g, (int)cohorts, &fit, &fit_states, &err);
  if (st == DV_ETOOBIG || st == DV_ENOMEM) {
    /* a usage limit (exit 2), not a failure, when it is the bound; the graph's own advice
     * names another command */
    char allowed[160];
    if (fit > 0)
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
  if (st == DV_OK)
    st = paths_count(g, (int)cohorts, &n_paths, &err);
  /* the decision at the root, node 0, memoised by the count */
  design_action root_action = st == DV_OK ? graph_action(g, 0) : design_stop(0, 0);
  config_scenario curve;
  if (scenario != NULL && st == DV_OK)
    config_scenario_at(cfg, 0, &curve);
  const double *p = scenario != NULL && st == DV_OK ? curve.p_tox : NULL;
  atomic_set set;
  bool staged = false;
  atomic_file csv = {0};
  bool listing = n_paths <= PATHS_MAX_LISTED,
       drawing = cohorts <= PATHS_MAX_DRAWN_COHORTS && n_paths <= PATHS_MAX_DRAWN;
  if (st == DV_OK && root_action.stop) {
    char act[32];
    action_text(root_action, act, sizeof act);
    printf("%s (%s): after \"%s\" the trial has stopped (%s, %s): there are no paths; no file "
           "written\n",
           d->name, d->type->name, text, act, d->policy.reasons[root_action.reason]);
    rc = 0;
    goto done;
  }
  if (st == DV_OK) {
    printf("%s (%s): dose transition pathways, %ld cohort%s from %s%s%s\n", d->name, d->type->name,
           cohorts, cohorts == 1 ? "" : "s", o->n_cohorts ? "\"" : "the start",
           o->n_cohorts ? text : "", o->n_cohorts ? "\"" : "");
    printf("%" PRIu64 " path%s through %zu states%s%s\n", n_paths, n_paths == 1 ? "" : "s",
           graph_size(g), scenario ? "; probabilities under " : "", scenario ? scenario : "");
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
               .c = d->setup.cohort_size,
               .max_steps = (int)cohorts};
    if (drawing) {
      k.kept = calloc(PATHS_MAX_DRAWN, sizeof *k.kept);
      k.kept_len = calloc(PATHS_MAX_DRAWN, sizeof *k.kept_len);
      if (k.kept == NULL || k.kept_len == NULL)
        st = error_set(&err, DV_ENOMEM, "paths: out of memory");
    }
    if (st == DV_OK && listing) {
      fprintf(csv.fp, "path,cohort,dose,dlts,next_dose,stop,mtd%s\n", p ? ",probability" : "");
      st = paths_walk(g, (int)cohorts, p, visit, &k, &err);
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
      snprintf(title, sizeof title, "%s: dose transition pathways, %ld cohorts", d->name, cohorts);
      char act[32];
      action_text(root_action, act, sizeof act);
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
    st = paths_leaves(g, (int)cohorts, p, sel, &going, &err);
    if (st == DV_OK) {
      printf("at the leaves: P(stop, no MTD) %.6f", sel[0]);
      for (int dd = 1; dd <= cfg->n_doses; dd++)
        printf(", P(stop, MTD %d) %.6f", dd, sel[dd]);
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
  free(k.kept);
  free(k.kept_len);
  graph_free(g);
  free(o);
  config_free(cfg);
  return rc;
}
