/* test_boin12.c — BOIN12 (designs/boin12.c) against the paper's published answers (Lin, Zhou, Yan,
 * Li & Yuan 2020, JCO Precision Oncology 4:1393-1402): Table 3's rank-based desirability scores
 * and admissibility at n = 0, 3, 6, 9 (phi_T 0.35, phi_E 0.25, utilities 100/40/60/0), and the
 * paper's example trajectory; then the moves, the limits and the OBD selection by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "boin12.h"
#include "support.h"

extern const design_type design_boin12;

static const boin12_params *configure(int k, int start, const char *options, void *buf) {
  design_setup setup = {
      .n_doses = k, .cohort_size = 3, .max_n = 36, .start_dose = start, .target = 0.3};
  return support_configure_ok(&design_boin12, setup, options, buf, design_boin12.params_size);
}

/* Table 3 ranks every admissible (n, y, e) cell of n = 0, 3, 6, 9 by its score, ties sharing
 * their mean rank; returns the rank of (n, y, e) (0 if inadmissible) and the number of
 * admissible cells. */
static double table3_rank(const boin12_params *p, int n, int y, int e, int *admissible) {
  double mine = boin12_score(p, n, y, e);
  int below = 0, equal = 0, count = 0;
  for (int m = 0; m <= 9; m += 3)
    for (int t = 0; t <= m; t++)
      for (int r = 0; r <= m; r++) {
        if (!boin12_admissible(p, m, t, r))
          continue;
        count++;
        double s = boin12_score(p, m, t, r);
        below += s < mine;
        equal += s == mine;
      }
  *admissible = count;
  if (!boin12_admissible(p, n, y, e))
    return 0;
  return below + (equal + 1) / 2.0;
}

Test(boin12, table3_desirability_ranks) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(5, 1, "", buf);
  static const struct {
    int n, y, e;
    double rank;
  } cells[] = {{0, 0, 0, 60}, {3, 0, 3, 91},   {6, 1, 5, 87},  {9, 0, 8, 99},
               {9, 3, 1, 7},  {9, 2, 3, 32.5}, {9, 5, 5, 32.5}};
  int count = 0;
  for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
    cr_expect_eq(table3_rank(p, cells[i].n, cells[i].y, cells[i].e, &count), cells[i].rank,
                 "%d/%d/%d: rank %g, the paper's %g", cells[i].n, cells[i].y, cells[i].e,
                 table3_rank(p, cells[i].n, cells[i].y, cells[i].e, &count), cells[i].rank);
  cr_expect_eq(count, 102, "%d admissible cells, the paper's 102", count);
  cr_expect(!boin12_admissible(p, 9, 4, 0), "9/4/0 is futile");
  cr_expect(!boin12_admissible(p, 6, 5, 1), "6/5/1 is too toxic");
  /* the tie of 9/2/3 and 9/5/5 is exact: the same utility count, 460 hundredths */
  cr_expect_eq(boin12_utility_count(p, 9, 2, 3), 460);
  cr_expect_eq(boin12_utility_count(p, 9, 5, 5), 460);
}

/* Replays "1NNN 2ENT" (dose, then per patient E response only, T DLT only, B both, N neither)
 * through decide, each cohort at the dose the design asked for; returns the action after it. */
static design_action replay(const boin12_params *p, const char *text, design_state *s) {
  memset(s, 0, sizeof *s);
  design_action a = design_boin12.decide(p, s);
  for (const char *c = text; *c;) {
    if (*c == ' ') {
      c++;
      continue;
    }
    int d = *c++ - '0', n = 0, y = 0, e = 0;
    cr_assert(!a.stop && a.dose == d, "asked for dose %d%s before cohort at %d", a.dose,
              a.stop ? " (stop)" : "", d);
    for (; *c && *c != ' '; c++, n++) {
      y += *c == 'T' || *c == 'B';
      e += *c == 'E' || *c == 'B';
    }
    state_add_cohort(s, d, n, y, false);
    state_add_responses(s, d, e);
    a = design_boin12.decide(p, s);
  }
  return a;
}

Test(boin12, the_papers_trajectory) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(5, 1, "", buf);
  design_state s;
  design_action a = replay(p, "1NNN 2ENT 3ETT 2EEN", &s);
  cr_expect(!a.stop && a.dose == 2, "next: %s %d, the paper's dose 2", a.stop ? "stop" : "treat",
            a.dose);
}

Test(boin12, boundaries_and_benchmark) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(5, 1, "", buf);
  /* BOIN at 0.35 (get.boundary(0.35) prints 0.276 and 0.419); u_bar 41, u_b 70.5 */
  cr_expect(fabs(p->lambda_e - 0.276) < 5e-4 && fabs(p->lambda_d - 0.419) < 5e-4, "%g %g",
            p->lambda_e, p->lambda_d);
  cr_expect(fabs(p->benchmark - 0.705) < 1e-12, "%g", p->benchmark);
  /* an untried dose: Beta(1, 1), score 1 - u_b */
  cr_expect(fabs(boin12_score(p, 0, 0, 0) - 0.295) < 1e-12);
}

/* A state of three doses from (n, y, e) triples, the last cohort at dose cur. */
static design_state state_of(int cur, const int counts[3][3]) {
  design_state s = {0};
  for (int d = 0; d < 3; d++) {
    s.n[d] = (uint8_t)counts[d][0];
    s.y[d] = (uint8_t)counts[d][1];
    s.e[d] = (uint8_t)counts[d][2];
  }
  s.cur = (uint8_t)cur;
  return s;
}

Test(boin12, moves) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(3, 1, "", buf);
  /* 2/3 DLTs at dose 2 (>= lambda_d): de-escalate, though dose 3 (untried) scores higher */
  design_state s = state_of(2, (const int[3][3]){{3, 0, 1}, {3, 2, 3}, {0, 0, 0}});
  design_action a = design_boin12.decide(p, &s);
  cr_expect(!a.stop && a.dose == 1, "%d", a.dose);
  /* 3/3 DLTs at dose 1: too toxic, and it is the lowest: stop with no OBD */
  s = state_of(1, (const int[3][3]){{3, 3, 3}, {0, 0, 0}, {0, 0, 0}});
  a = design_boin12.decide(p, &s);
  cr_expect(a.stop && a.dose == 0 && a.reason == 0);
  /* 1/3 at dose 2 with 3 there (< N*): d + 1 is a candidate, and untried it scores 29.5, more
   * than dose 2's 1/3 DLT, 0 responses */
  s = state_of(2, (const int[3][3]){{3, 0, 0}, {3, 1, 0}, {0, 0, 0}});
  a = design_boin12.decide(p, &s);
  cr_expect(!a.stop && a.dose == 3, "%d", a.dose);
  /* the same rate with 6 at dose 2 (N* = 6): only d - 1 and d */
  s = state_of(2, (const int[3][3]){{3, 0, 0}, {6, 2, 1}, {0, 0, 0}});
  a = design_boin12.decide(p, &s);
  cr_expect(!a.stop && (a.dose == 1 || a.dose == 2), "%d", a.dose);
  cr_expect_eq(a.dose, boin12_score(p, 6, 2, 1) >= boin12_score(p, 3, 0, 0) ? 2 : 1);
  /* at the top dose, no escalation */
  s = state_of(3, (const int[3][3]){{3, 0, 0}, {3, 0, 0}, {3, 0, 3}});
  a = design_boin12.decide(p, &s);
  cr_expect(!a.stop && a.dose == 3, "%d", a.dose);
  /* dose 2 too toxic (5/6 DLTs): eliminated with dose 3; from dose 1 with a low rate the
   * candidates are dose 1 alone */
  s = state_of(1, (const int[3][3]){{6, 0, 0}, {6, 5, 3}, {0, 0, 0}});
  a = design_boin12.decide(p, &s);
  cr_expect(!a.stop && a.dose == 1, "%d", a.dose);
}

Test(boin12, futile_doses_are_not_chosen) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(3, 1, "explore=false", buf);
  /* between the boundaries with 9 at dose 2: candidates 1 and 2, both futile (0 responses in 9):
   * stop with no OBD (reason no_admissible_dose) */
  design_state s = state_of(2, (const int[3][3]){{9, 0, 0}, {9, 3, 0}, {0, 0, 0}});
  design_action a = design_boin12.decide(p, &s);
  cr_expect(a.stop && a.dose == 0 && a.reason == 1, "stop %d dose %d reason %d", a.stop, a.dose,
            a.reason);
  /* with 3 responses dose 2 is admissible and the only candidate left */
  s = state_of(2, (const int[3][3]){{9, 0, 0}, {9, 3, 3}, {0, 0, 0}});
  a = design_boin12.decide(p, &s);
  cr_expect(!a.stop && a.dose == 2, "%d", a.dose);
}

Test(boin12, exploration_and_cap) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(3, 1, "", buf);
  design_state s;
  /* 9 at dose 1 with a DLT rate below lambda_d and dose 2 untried: explore dose 2, though dose 1
   * scores best (all respond) */
  design_action a = replay(p, "1EEE 1EEE 1EET", &s);
  cr_expect(!a.stop && a.dose == 2, "explore: %d", a.dose);
  const boin12_params *q = configure(3, 1, "explore=false", buf);
  a = replay(q, "1EEE 1EEE 1EET", &s);
  cr_expect(!a.stop && a.dose == 1, "no exploration: %d", a.dose);
  /* n_cap 12: the fifth cohort would pass 12 at dose 1 */
  a = replay(q, "1EEE 1EEE 1EET 1EEE", &s);
  cr_expect(a.stop && a.dose == 1 && a.reason == 2, "cap: stop %d dose %d", a.stop, a.dose);
}

Test(boin12, obd_selection) {
  unsigned char buf[sizeof(boin12_params)];
  const boin12_params *p = configure(3, 1, "", buf);
  design_state s = {0};
  /* dose 1: 6 treated, 0 DLT, 1 response; dose 2: 6, 1 DLT, 4 responses; dose 3: 6, 4 DLT,
   * 5 responses. Isotonic toxicity 0, 1/6, 4/6: the MTD (closest to 0.35) is dose 2 (|1/6 - 0.35|
   * = 0.183 < 0.317); utilities (efficacy 1/6, 4/6 below the peak) 40 + 60 q - 40 p: dose 1 50,
   * dose 2 73.3: the OBD is dose 2 */
  int n[3] = {6, 6, 6}, y[3] = {0, 1, 4}, e[3] = {1, 4, 5};
  for (int d = 0; d < 3; d++) {
    s.n[d] = (uint8_t)n[d];
    s.y[d] = (uint8_t)y[d];
    s.e[d] = (uint8_t)e[d];
  }
  s.cur = 3;
  cr_expect_eq(design_boin12.select(p, &s, 3), 2);
  double tox[3], eff[3], u[3];
  boin12_estimates(p, &s, 3, tox, eff, u);
  cr_expect(fabs(u[0] - 50.0) < 1e-12 && fabs(u[1] - (40 + 40 - 40.0 / 6)) < 1e-12, "%g %g", u[0],
            u[1]);
  /* a unimodal efficacy: 5/6, 2/6, 4/6 pools the last two (non-increasing after the peak) */
  s.e[0] = 5;
  s.e[1] = 2;
  s.e[2] = 4;
  boin12_estimates(p, &s, 3, tox, eff, u);
  cr_expect(fabs(eff[0] - 5.0 / 6) < 1e-12 && fabs(eff[1] - 0.5) < 1e-12 &&
                fabs(eff[2] - 0.5) < 1e-12,
            "%g %g %g", eff[0], eff[1], eff[2]);
  /* nothing tried: no OBD */
  design_state empty = {0};
  cr_expect_eq(design_boin12.select(p, &empty, 3), 0);
}

Test(boin12, utilities_must_be_additive) {
  unsigned char buf[sizeof(boin12_params)];
  design_setup setup = {
      .n_doses = 3, .cohort_size = 3, .max_n = 36, .start_dose = 1, .target = 0.3};
  dv_error err = {0};
  cr_expect_eq(support_configure(&design_boin12, &setup, "utility_both=50", buf, &err), DV_ECONFIG);
  cr_expect(strstr(err.msg, "utility_both: 50") != NULL, "%s", err.msg);
}
