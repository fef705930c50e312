/* test_blrm.c — the BLRM design with overdose control (designs/blrm.c, SPEC section 14): the
 * posterior interval probabilities against published and high-precision values and against an
 * independent brute-force integral, and hand-worked decisions (EWOC, the increment limit, the
 * stopping rule, the final selection).
 *
 * Independent truths used here:
 *  - crmPack's trial-analysis vignette (openpharma/crmPack, vignettes/trial_analysis.Rmd):
 *    LogisticLogNormal(mean = c(-0.85, 1), cov = [[1, -0.5], [-0.5, 1]], ref_dose = 56), doses
 *    1 3 9 20 30 45 60 80 100, data x = 1 3 9 20, y = 0 0 0 1 (firstFour), NextBestNCRM with
 *    target [0.2, 0.35) and overdose [0.35, 1], max_overdose_prob 0.25. The exact P(target) and
 *    P(overdose) at the nine doses are those of issue 29 (0.035 ... 0.050; 0.012 ... 0.945; the
 *    vignette's 1000 MCMC draws give 0.200 at dose 20 and recommend 20; the exact 0.256 excludes
 *    it, and the next dose is 9);
 *  - Neuenschwander, Branson & Gsponer (2008) as in OncoBayes2's hist_SA: doses 1 2.5 5 10 25 mg,
 *    0/3 0/4 0/5 0/4 2/2 DLTs, reference 250 mg, the trialr/escalation prior log(alpha) ~
 *    N(2.15, 0.84^2), log(beta) ~ N(0.52, 0.8^2) independent, intervals [0.16, 0.33): P(overdose)
 *    0.129 0.278 0.439 at 15, 20, 25 mg, next dose 15 mg (issue 29);
 *  - values from mpmath 1.3 at 20 digits (tests/blrm_reference.py: nested tanh-sinh quadrature,
 *    the inner integral split at each threshold), for those two and for extreme data on the
 *    reference study's doses;
 *  - a brute-force Gauss-Legendre integral written again here (lp from SPEC 14, a box from a
 *    coarse grid, 200 x 200 panels of 10 points, the inner panels split at each threshold). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blrm.h"
#include "quadrature.h"
#include "support.h"

extern const design_type design_blrm;

static alignas(double) unsigned char params_buf[1 << 17];

static const void *configure(int k, const double *doses, const char *opts) {
  design_setup su = {
      .n_doses = k, .cohort_size = 3, .max_n = 60, .start_dose = 1, .target = 0.3, .doses = doses};
  return support_configure_ok(&design_blrm, su, opts, params_buf, sizeof params_buf);
}

static const double crm_doses[9] = {1, 3, 9, 20, 30, 45, 60, 80, 100};
#define CRMPACK_OPTS                                                                               \
  "reference_dose=56 prior.mean=-0.85,1 prior.sd=1,1 prior.corr=-0.5 intervals=0.2,0.35"
static const int crm_n[9] = {1, 1, 1, 1, 0, 0, 0, 0, 0}, crm_y[9] = {0, 0, 0, 1, 0, 0, 0, 0, 0};

static const double neu_doses[7] = {1, 2.5, 5, 10, 15, 20, 25};
#define NEU_OPTS "reference_dose=250 prior.mean=2.15,0.52 prior.sd=0.84,0.8"
static const int neu_n[7] = {3, 4, 5, 4, 0, 0, 2}, neu_y[7] = {0, 0, 0, 0, 0, 0, 2};

/* The reference study (configs/nct05563545.yaml) with a weakly informative prior centred on the
 * target 0.30 at the middle dose: log(alpha) ~ N(logit 0.3, 2^2), log(beta) ~ N(0, 1). */
static const double ref_doses[3] = {1.0e7, 2.0e7, 3.0e7};
#define REF_OPTS "reference_dose=2e7 prior.mean=-0.8472978603872037,0 prior.sd=2,1"

static design_state state_of(int k, const int *n, const int *y, int cur) {
  design_state s = {0};
  for (int d = 0; d < k; d++) {
    s.n[d] = (uint8_t)n[d];
    s.y[d] = (uint8_t)y[d];
  }
  s.cur = (uint8_t)cur;
  return s;
}

/* ---- known answers ------------------------------------------------------------------------- */

Test(blrm, crmpack_trial_analysis) {
  const void *p = configure(9, crm_doses, CRMPACK_OPTS);
  static const double target[9] = {0.035, 0.077, 0.177, 0.288, 0.311, 0.250, 0.157, 0.083, 0.050};
  static const double over[9] = {0.012, 0.030, 0.095, 0.256, 0.423, 0.653, 0.809, 0.905, 0.945};
  blrm_probs pr;
  blrm_posterior(p, crm_n, crm_y, &pr);
  for (int d = 0; d < 9; d++) {
    cr_expect(fabs(pr.target[d] - target[d]) <= 0.0005, "dose %g: P(target) %.4f, want %.3f",
              crm_doses[d], pr.target[d], target[d]);
    cr_expect(fabs(pr.over[d] - over[d]) <= 0.0005, "dose %g: P(over) %.4f, want %.3f",
              crm_doses[d], pr.over[d], over[d]);
  }
  /* 20 is over the EWOC bound (0.256 >= 0.25) though its P(target) is the largest below 45: 9 */
  design_state s = state_of(9, crm_n, crm_y, 4);
  design_action a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 3, "next: %s %d, want dose 3 (9)", a.stop ? "stop" : "treat",
            a.dose);
}

Test(blrm, neuenschwander_hist_sa) {
  const void *p = configure(7, neu_doses, NEU_OPTS);
  static const double over[3] = {0.129, 0.278, 0.439}; /* 15, 20, 25 mg */
  blrm_probs pr;
  blrm_posterior(p, neu_n, neu_y, &pr);
  for (int i = 0; i < 3; i++)
    cr_expect(fabs(pr.over[4 + i] - over[i]) <= 0.0005, "%g mg: P(over) %.4f, want %.3f",
              neu_doses[4 + i], pr.over[4 + i], over[i]);
  design_state s = state_of(7, neu_n, neu_y, 7);
  design_action a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 5, "next: %s %d, want dose 5 (15 mg)", a.stop ? "stop" : "treat",
            a.dose);
}

/* mpmath values (see the file's header): P(p_d < c1) and P(p_d < c2) for every dose. */
typedef struct {
  const char *name;
  int which; /* 0 crmPack, 1 Neuenschwander, 2 the reference study */
  int n[9], y[9];
  double below[9][2];
} known_case;

static const known_case known[] = {
    {"crmpack",
     0,
     {1, 1, 1, 1, 0, 0, 0, 0, 0},
     {0, 0, 0, 1, 0, 0, 0, 0, 0},
     {{0.952901885893, 0.988238180791},
      {0.893297894273, 0.970211885986},
      {0.727724124706, 0.904549983206},
      {0.456047775171, 0.744208441080},
      {0.265804347576, 0.577301779828},
      {0.097229844660, 0.346824850040},
      {0.034022353231, 0.191398688421},
      {0.011776821697, 0.094511936403},
      {0.005689474570, 0.055279145387}}},
    {"neuenschwander",
     1,
     {3, 4, 5, 4, 0, 0, 2},
     {0, 0, 0, 0, 0, 0, 2},
     {{0.999001635149, 0.999991452473},
      {0.989531329235, 0.999859929787},
      {0.933301917097, 0.997964704339},
      {0.690917468559, 0.967256504060},
      {0.434551597591, 0.870730537119},
      {0.253149652275, 0.722115292091},
      {0.142706667778, 0.561381538634}}},
    {"reference, prior only",
     2,
     {0, 0, 0},
     {0, 0, 0},
     {{0.534018368500, 0.698362520505},
      {0.342567830515, 0.527726630188},
      {0.246714231141, 0.409541586389}}},
    {"reference, one patient, no DLT",
     2,
     {1, 0, 0},
     {0, 0, 0},
     {{0.677926907476, 0.845695099448},
      {0.442732148560, 0.658989738978},
      {0.319506446137, 0.514025842368}}},
    {"reference, one patient, a DLT",
     2,
     {1, 0, 0},
     {1, 0, 0},
     {{0.106959133432, 0.261142193540},
      {0.045322807043, 0.138193644640},
      {0.030697948326, 0.099476827531}}},
    {"reference, all DLTs",
     2,
     {3, 3, 0},
     {3, 3, 0},
     {{0.000213616879, 0.004990358252},
      {0.000002225541, 0.000266918687},
      {0.000000906777, 0.000119458764}}},
    {"reference, no DLT in 21",
     2,
     {3, 3, 15},
     {0, 0, 0},
     {{0.998743578332, 0.999997430745},
      {0.995057307427, 0.999984091771},
      {0.978205294378, 0.999741960443}}},
    {"reference, 30 DLTs in 30",
     2,
     {30, 0, 0},
     {30, 0, 0},
     {{0.000000000000, 0.000000000000},
      {0.000000000000, 0.000000000000},
      {0.000000000000, 0.000000000000}}},
    {"reference, no DLT in 60",
     2,
     {0, 0, 60},
     {0, 0, 0},
     {{0.999999738492, 1.000000000000},
      {0.999998574597, 1.000000000000},
      {0.999985717794, 0.999999999989}}},
    {"reference, 240 patients",
     2,
     {60, 90, 90},
     {6, 27, 60},
     {{0.987478322179, 0.999999945088},
      {0.000000001417, 0.245806508913},
      {0.000000000000, 0.000000000147}}},
};

static const void *configure_case(int which) {
  switch (which) {
  case 0:
    return configure(9, crm_doses, CRMPACK_OPTS);
  case 1:
    return configure(7, neu_doses, NEU_OPTS);
  default:
    return configure(3, ref_doses, REF_OPTS);
  }
}

static int doses_of(int which) { return which == 0 ? 9 : which == 1 ? 7 : 3; }

Test(blrm, mpmath_known_values) {
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    const known_case *c = &known[i];
    const void *p = configure_case(c->which);
    blrm_probs pr;
    blrm_posterior(p, c->n, c->y, &pr);
    for (int d = 0; d < doses_of(c->which); d++) {
      double b1 = pr.under[d], b2 = pr.under[d] + pr.target[d];
      cr_expect(fabs(b1 - c->below[d][0]) < 1e-8 && fabs(b2 - c->below[d][1]) < 1e-8,
                "%s, dose %d: P below the cuts %.12f %.12f, want %.12f %.12f", c->name, d + 1, b1,
                b2, c->below[d][0], c->below[d][1]);
      cr_expect(fabs(pr.under[d] + pr.target[d] + pr.over[d] - 1.0) < 1e-12);
    }
  }
}

/* ---- an independent brute-force integral ---------------------------------------------------- */

typedef struct {
  int k;
  double L[9], m[2], s[2], r, cut[2];
  int n[9], y[9];
} bf_model;

/* lp(a, b) of SPEC 14 written out again: the bivariate normal log kernel plus the binomial log
 * likelihood with p = 1 / (1 + exp(-(a + e^b L_d))). */
static double bf_lp(const bf_model *M, double a, double b) {
  double za = (a - M->m[0]) / M->s[0], zb = (b - M->m[1]) / M->s[1];
  double v = -(za * za - 2.0 * M->r * za * zb + zb * zb) / (2.0 * (1.0 - M->r * M->r));
  for (int d = 0; d < M->k; d++) {
    if (M->n[d] == 0)
      continue;
    double eta = a + exp(b) * M->L[d];
    double log_p = eta > 0 ? -log1p(exp(-eta)) : eta - log1p(exp(eta));
    double log_q = eta > 0 ? -eta - log1p(exp(-eta)) : -log1p(exp(eta));
    v += M->y[d] * log_p + (M->n[d] - M->y[d]) * log_q;
  }
  return v;
}

/* P(p_d < cut_c) for every dose and cut into below[d][c]. */
static void bf_posterior(const bf_model *M, double below[][2]) {
  /* The box: every grid point within 40 nats of the largest, plus a margin. */
  double best = -INFINITY, a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  const int G = 300;
  static double grid[301][301];
  for (int i = 0; i <= G; i++)
    for (int j = 0; j <= G; j++) {
      double a = M->m[0] + (2.0 * i / G - 1.0) * 12.0 * M->s[0];
      double b = M->m[1] + (2.0 * j / G - 1.0) * 12.0 * M->s[1];
      grid[i][j] = bf_lp(M, a, b);
      best = fmax(best, grid[i][j]);
    }
  bool first = true;
  for (int i = 0; i <= G; i++)
    for (int j = 0; j <= G; j++) {
      if (grid[i][j] < best - 40.0)
        continue;
      double a = M->m[0] + (2.0 * i / G - 1.0) * 12.0 * M->s[0];
      double b = M->m[1] + (2.0 * j / G - 1.0) * 12.0 * M->s[1];
      a0 = first ? a : fmin(a0, a);
      a1 = first ? a : fmax(a1, a);
      b0 = first ? b : fmin(b0, b);
      b1 = first ? b : fmax(b1, b);
      first = false;
    }
  double da = 24.0 * M->s[0] / G, db = 24.0 * M->s[1] / G;
  a0 -= 2 * da, a1 += 2 * da, b0 -= 2 * db, b1 += 2 * db;

  double x[10], w[10];
  gauss_legendre(10, x, w);
  const int P = 200;
  double z = 0.0, F[9][2] = {{0}};
  double ha = (a1 - a0) / P, hb = (b1 - b0) / P;
  for (int pb = 0; pb < P; pb++)
    for (int qb = 0; qb < 10; qb++) {
      double b = b0 + (pb + 0.5 + 0.5 * x[qb]) * hb, wb = 0.5 * hb * w[qb];
      double row = 0.0, part[9][2] = {{0}};
      double t[9][2];
      for (int d = 0; d < M->k; d++)
        for (int c = 0; c < 2; c++)
          t[d][c] = log(M->cut[c] / (1.0 - M->cut[c])) - exp(b) * M->L[d];
      for (int pa = 0; pa < P; pa++) {
        double lo = a0 + pa * ha, hi = lo + ha, panel = 0.0;
        for (int qa = 0; qa < 10; qa++)
          panel += 0.5 * ha * w[qa] * exp(bf_lp(M, lo + (0.5 + 0.5 * x[qa]) * ha, b) - best);
        row += panel;
        for (int d = 0; d < M->k; d++)
          for (int c = 0; c < 2; c++) {
            if (hi <= t[d][c]) {
              part[d][c] += panel;
            } else if (lo < t[d][c]) { /* the panel the threshold cuts: [lo, t] by itself */
              double h = t[d][c] - lo;
              for (int qa = 0; qa < 10; qa++)
                part[d][c] +=
                    0.5 * h * w[qa] * exp(bf_lp(M, lo + (0.5 + 0.5 * x[qa]) * h, b) - best);
            }
          }
      }
      z += wb * row;
      for (int d = 0; d < M->k; d++)
        for (int c = 0; c < 2; c++)
          F[d][c] += wb * part[d][c];
    }
  for (int d = 0; d < M->k; d++)
    for (int c = 0; c < 2; c++)
      below[d][c] = F[d][c] / z;
}

/* Random data on four doses, a correlated prior and non-default intervals: the design's
 * integrals agree with the brute force to 1e-8. */
Test(blrm, agrees_with_brute_force, .timeout = 240) {
  static const double doses[4] = {1, 2, 4, 8};
  const void *p = configure(4, doses,
                            "reference_dose=4 prior.mean=-1,0.5 prior.sd=1.5,0.8 prior.corr=0.3 "
                            "intervals=0.2,0.35");
  bf_model M = {.k = 4, .m = {-1, 0.5}, .s = {1.5, 0.8}, .r = 0.3, .cut = {0.2, 0.35}};
  for (int d = 0; d < 4; d++)
    M.L[d] = log(doses[d] / 4.0);
  unsigned seed = 12345;
  for (int rep = 0; rep < 8; rep++) {
    for (int d = 0; d < 4; d++) {
      seed = seed * 1103515245u + 12345u;
      M.n[d] = (int)((seed >> 16) % 13);
      seed = seed * 1103515245u + 12345u;
      M.y[d] = M.n[d] > 0 ? (int)((seed >> 16) % (unsigned)(M.n[d] + 1)) : 0;
      if (rep == 0) /* all DLTs at every dose */
        M.y[d] = M.n[d] = 3;
      if (rep == 1) /* none in 12 a dose */
        M.n[d] = 12, M.y[d] = 0;
    }
    double below[9][2];
    bf_posterior(&M, below);
    blrm_probs pr;
    blrm_posterior(p, M.n, M.y, &pr);
    for (int d = 0; d < 4; d++) {
      double b1 = pr.under[d], b2 = pr.under[d] + pr.target[d];
      cr_expect(fabs(b1 - below[d][0]) < 1e-8 && fabs(b2 - below[d][1]) < 1e-8,
                "data %d %d %d %d / %d %d %d %d, dose %d: %.12f %.12f, brute force %.12f %.12f",
                M.y[0], M.y[1], M.y[2], M.y[3], M.n[0], M.n[1], M.n[2], M.n[3], d + 1, b1, b2,
                below[d][0], below[d][1]);
    }
  }
}

/* ---- decisions ----------------------------------------------------------------------------- */

Test(blrm, first_cohort_at_the_start_dose) {
  design_setup su = {.n_doses = 3,
                     .cohort_size = 3,
                     .max_n = 21,
                     .start_dose = 2,
                     .target = 0.3,
                     .doses = ref_doses};
  const void *p = support_configure_ok(&design_blrm, su, REF_OPTS, params_buf, sizeof params_buf);
  design_state s = {0};
  design_action a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 2);
}

/* crmPack's example again: with the EWOC bound at 0.26 dose 20 (P(over) 0.256) is eligible and
 * has the largest P(target) among 1..20. */
Test(blrm, ewoc_bound) {
  const void *p = configure(9, crm_doses, CRMPACK_OPTS " ewoc=0.26");
  design_state s = state_of(9, crm_n, crm_y, 4);
  design_action a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 4, "dose %d", a.dose);
}

/* Without overdose control (ewoc 1) the largest P(target) is 30's (0.311); from 20 an increase of
 * at most 25% allows 20 at most: treat at 20, the model recommending 30. */
Test(blrm, increment_limit) {
  const void *p = configure(9, crm_doses, CRMPACK_OPTS " ewoc=1");
  design_state s = state_of(9, crm_n, crm_y, 4);
  design_action a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 5 && a.rec == 5, "dose %d rec %d", a.dose, a.rec);
  p = configure(9, crm_doses, CRMPACK_OPTS " ewoc=1 max_increase=0.25");
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 4 && a.rec == 5, "dose %d rec %d", a.dose, a.rec);
  /* the limit reads the highest dose given, not the last: after 30 the limit is 37.5 */
  int n[9] = {1, 1, 1, 1, 1, 0, 0, 0, 0}, y[9] = {0, 0, 0, 1, 0, 0, 0, 0, 0};
  s = state_of(9, n, y, 2);
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose <= 5, "dose %d", a.dose);
  /* the reference study: 0/12 at 1.0e7; EWOC 0.4 leaves all three doses, the model prefers
   * 3.0e7 (P(target) 0.176 > 0.163) but +100% reaches 2.0e7 only */
  int n3[3] = {12, 0, 0}, y3[3] = {0, 0, 0};
  p = configure(3, ref_doses, REF_OPTS " ewoc=0.4");
  s = state_of(3, n3, y3, 1);
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 2 && a.rec == 3, "dose %d rec %d", a.dose, a.rec);
  p = configure(3, ref_doses, REF_OPTS " ewoc=0.4 max_increase=2");
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 3 && a.rec == 3, "dose %d rec %d", a.dose, a.rec);
}

/* 3/3 DLTs at the lowest dose: P(over) 0.97 there, no dose is eligible. */
Test(blrm, no_eligible_dose_stops) {
  const void *p = configure(3, ref_doses, REF_OPTS);
  int n[3] = {3, 0, 0}, y[3] = {3, 0, 0};
  design_state s = state_of(3, n, y, 1);
  design_action a = design_blrm.decide(p, &s);
  cr_expect(a.stop && a.dose == 0 && a.reason == 0, "stop %d dose %d reason %d", a.stop, a.dose,
            a.reason);
  cr_expect_eq(design_blrm.select(p, &s, 3), 0);
}

/* The stopping rule (12 patients, 6 at the next dose, P(target) >= 0.5). Probabilities of the
 * reference study's prior (P(target) by dose): 0/3 2/9 1/3 -> 0.209 0.521 0.435, P(over) at 3.0e7
 * 0.426 (not eligible); 0/3 2/9 -> 0.174 0.464 0.360. */
Test(blrm, stopping_rule) {
  const void *p = configure(3, ref_doses, REF_OPTS);
  int n[3] = {3, 9, 3}, y[3] = {0, 2, 1};
  design_state s = state_of(3, n, y, 3);
  design_action a = design_blrm.decide(p, &s);
  cr_expect(a.stop && a.dose == 2 && a.reason == 1, "stop %d dose %d reason %d", a.stop, a.dose,
            a.reason);
  /* fewer than min_n patients in all, or fewer than n_at_dose at the next dose: go on */
  p = configure(3, ref_doses, REF_OPTS " stop.min_n=16");
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 2, "min_n 16: stop %d dose %d", a.stop, a.dose);
  p = configure(3, ref_doses, REF_OPTS " stop.n_at_dose=10");
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 2, "n_at_dose 10: stop %d dose %d", a.stop, a.dose);
  /* P(target) 0.464 < 0.5 at the next dose: go on; with p_target 0.45 stop */
  int n2[3] = {3, 9, 0}, y2[3] = {0, 2, 0};
  s = state_of(3, n2, y2, 2);
  p = configure(3, ref_doses, REF_OPTS);
  a = design_blrm.decide(p, &s);
  cr_expect(!a.stop && a.dose == 2, "stop %d dose %d", a.stop, a.dose);
  p = configure(3, ref_doses, REF_OPTS " stop.p_target=0.45");
  a = design_blrm.decide(p, &s);
  cr_expect(a.stop && a.dose == 2, "p_target 0.45: stop %d dose %d", a.stop, a.dose);
}

/* select: the EWOC-eligible dose of largest P(target) among 1..highest, no increment limit. */
Test(blrm, select) {
  const void *p = configure(9, crm_doses, CRMPACK_OPTS);
  design_state s = state_of(9, crm_n, crm_y, 4);
  cr_expect_eq(design_blrm.select(p, &s, 9), 3);
  cr_expect_eq(design_blrm.select(p, &s, 2), 2);
  cr_expect_eq(design_blrm.select(p, &s, 1), 1);
  p = configure(9, crm_doses, CRMPACK_OPTS " ewoc=1");
  cr_expect_eq(design_blrm.select(p, &s, 9), 5);
  cr_expect_eq(design_blrm.select(p, &s, 4), 4);
}

/* The decisions the design takes from its fit (quick integrals where they are clear of every
 * threshold, blrm.c) are those that blrm_posterior's probabilities give, the rule of SPEC 14
 * written out again here: on 300 random states of the reference study and 100 of crmPack's. */
static design_action spec_decide(const void *p, int k, const double *x, double max_increase,
                                 const design_state *s, int *select_at) {
  int n[9] = {0}, y[9] = {0}, h = 0, total = 0;
  for (int d = 0; d < k; d++) {
    n[d] = s->n[d];
    y[d] = s->y[d];
    total += n[d];
    if (n[d] > 0)
      h = d + 1;
  }
  blrm_probs pr;
  blrm_posterior(p, n, y, &pr);
  int limit = h;
  while (limit < k && x[limit] <= (1.0 + max_increase) * x[h - 1] * (1.0 + 1e-9))
    limit++;
  int best[10] = {0}; /* best[m]: the choice among doses 1..m */
  for (int m = 1; m <= k; m++) {
    best[m] = best[m - 1];
    if (pr.over[m - 1] < 0.25 && (best[m] == 0 || pr.target[m - 1] > pr.target[best[m] - 1]))
      best[m] = m;
  }
  for (int m = 1; m <= k; m++)
    select_at[m] = best[m];
  int next = best[limit];
  if (next == 0)
    return design_stop(0, 0);
  if (total >= 12 && n[next - 1] >= 6 && pr.target[next - 1] >= 0.5)
    return design_stop(best[k], 1);
  return design_treat_rec(next, best[k]);
}

static void check_random_states(const void *p, int k, const double *x, int states, int max_n,
                                unsigned seed) {
  for (int i = 0; i < states; i++) {
    design_state s = {0};
    int total = 0;
    while (total < 3 || (total < max_n && (seed >> 20) % 5 != 0)) {
      seed = seed * 1103515245u + 12345u;
      int d = (int)((seed >> 16) % (unsigned)k), c = 1 + (int)((seed >> 8) % 3u);
      seed = seed * 1103515245u + 12345u;
      s.n[d] = (uint8_t)(s.n[d] + c);
      s.y[d] =
          (uint8_t)(s.y[d] + (int)((seed >> 16) % (unsigned)(c + 1)) * (int)((seed >> 4) % 2u));
      s.cur = (uint8_t)(d + 1);
      total += c;
    }
    int sel[10];
    design_action want = spec_decide(p, k, x, 1.0, &s, sel), got = design_blrm.decide(p, &s);
    cr_expect(got.stop == want.stop && got.dose == want.dose && got.reason == want.reason &&
                  (got.stop || got.rec == want.rec),
              "state %d: %s %d (rec %d), want %s %d (rec %d)", i, got.stop ? "stop" : "treat",
              got.dose, got.rec, want.stop ? "stop" : "treat", want.dose, want.rec);
    for (int m = 1; m <= k; m++)
      cr_expect_eq(design_blrm.select(p, &s, m), sel[m], "state %d, select among 1..%d", i, m);
  }
}

Test(blrm, decisions_are_those_of_the_posterior, .timeout = 120) {
  check_random_states(configure(3, ref_doses, REF_OPTS " intervals=0.2,0.35 prior.sd=1,1"), 3,
                      ref_doses, 300, 30, 99u);
  check_random_states(configure(3, ref_doses, REF_OPTS), 3, ref_doses, 100, 30, 7u);
  check_random_states(configure(9, crm_doses, CRMPACK_OPTS), 9, crm_doses, 100, 20, 5u);
}

/* ---- configuration --------------------------------------------------------------------------- */

static void expect_config_error(const design_setup *su, const char *opts, const char *key) {
  dv_error err = {0};
  cr_assert_eq(support_configure(&design_blrm, su, opts, params_buf, &err), DV_ECONFIG, "%s", opts);
  cr_expect(strncmp(err.msg, key, strlen(key)) == 0, "%s: %s", opts, err.msg);
}

Test(blrm, configuration_errors) {
  design_setup su = {.n_doses = 3,
                     .cohort_size = 3,
                     .max_n = 21,
                     .start_dose = 1,
                     .target = 0.3,
                     .doses = ref_doses};
  expect_config_error(&su, "reference_dose=2e7 prior.sd=2,1", "prior.mean: missing");
  expect_config_error(&su, "reference_dose=2e7 prior.mean=0,0", "prior.sd: missing");
  expect_config_error(&su, REF_OPTS " prior.sd=0,1", "prior.sd");
  expect_config_error(&su, REF_OPTS " prior.corr=1", "prior.corr");
  expect_config_error(&su, REF_OPTS " intervals=0.33,0.16", "intervals");
  expect_config_error(&su, REF_OPTS " intervals=0.16", "intervals");
  expect_config_error(&su, "reference_dose=0 prior.mean=0,0 prior.sd=1,1", "reference_dose");
  expect_config_error(&su, REF_OPTS " ewoc=0", "ewoc");
  static const double bad[3] = {0.0, 1.0, 2.0};
  su.doses = bad;
  expect_config_error(&su, REF_OPTS, "reference_dose: dose 1's label is 0");
  su.doses = NULL;
  expect_config_error(&su, REF_OPTS, "reference_dose: the study's dose labels are not known");
}
