/* test_outcomes.c — the outcome-string parser (src/study/outcomes.c) and the state it builds. */
#include <criterion/criterion.h>

#include <string.h>

#include "outcomes.h"

static outcomes o;

Test(outcomes, parses_cohorts_of_any_size) {
  dv_error err = {0};
  cr_assert_eq(outcomes_parse("1NNN 2NTN  2TNNT 3N", 3, &o, &err), DV_OK, "%s", err.msg);
  cr_assert_eq(o.n_cohorts, 4);
  const int want[4][3] = {{1, 3, 0}, {2, 3, 1}, {2, 4, 2}, {3, 1, 0}};
  for (int k = 0; k < 4; k++)
    cr_expect(o.cohorts[k].dose == want[k][0] && o.cohorts[k].n == want[k][1] &&
                  o.cohorts[k].y == want[k][2],
              "cohort %d", k + 1);
  design_state s;
  outcomes_state(&o, 4, true, &s);
  cr_expect(s.n[0] == 3 && s.n[1] == 7 && s.n[2] == 1 && s.y[1] == 3 && s.cur == 3);
  cr_expect(s.last_y == 0 && s.last_n == 1);
  outcomes_state(&o, 3, false, &s);
  cr_expect(s.cur == 2 && s.n[2] == 0 && s.last_y == 0 && s.last_n == 0, "without last cohort");
  cr_assert_eq(outcomes_parse("", 3, &o, &err), DV_OK);
  cr_expect_eq(o.n_cohorts, 0);
  cr_assert_eq(outcomes_parse("12NNN", 16, &o, &err), DV_OK);
  cr_expect_eq(o.cohorts[0].dose, 12);
}

static void bad(const char *text, int k, const char *needle, const char *caret_line) {
  dv_error err = {0};
  cr_assert_eq(outcomes_parse(text, k, &o, &err), DV_EUSAGE, "'%s' accepted", text);
  cr_expect(strstr(err.msg, needle) != NULL, "'%s': %s", text, err.msg);
  cr_expect(strstr(err.msg, "allowed: ") != NULL, "'%s': %s", text, err.msg);
  const char *nl = strrchr(err.msg, '\n');
  cr_assert_not_null(nl, "'%s': no caret line: %s", text, err.msg);
  cr_expect_str_eq(nl + 1, caret_line, "'%s': caret line '%s'", text, nl + 1);
}

Test(outcomes, points_at_the_bad_character) {
  bad("1NXN", 3, "'X' at character 3", "    ^");
  bad("0NNN", 3, "dose 0 at character 1", "  ^");
  bad("4NNN", 3, "dose 4 at character 1", "  ^");
  bad("2", 3, "a cohort with no patients (dose 2) at character 1", "  ^");
  bad("1NNN 2", 3, "no patients (dose 2) at character 6", "       ^");
  bad("1NN N", 3, "'N' at character 5", "      ^");
  bad("1nnn", 3, "'n' at character 2", "   ^");
  bad("1NNN,2NNN", 3, "',' at character 5", "      ^");
  bad("99999999999999999999NNN", 3, "dose 99999999999999999999 at character 1", "  ^");
}

/* Issue 27, item 8: a byte that is not printable ASCII (a control byte, UTF-8) is shown as \xHH,
 * in the message and in the echoed string, and the caret still stands under it. */
Test(outcomes, shows_other_bytes_escaped) {
  bad("1NN\xc3\xa9", 3, "'\\xc3' at character 4", "     ^");
  bad("1N\x01N", 3, "'\\x01' at character 3", "    ^");
  bad("\x1b[31m", 3, "'\\x1b' at character 1", "  ^");
  bad("1\x7fNN", 3, "'\\x7f' at character 2", "   ^");
  bad("\xc3\xa9"
      "1NN 2X",
      3, "'\\xc3' at character 1", "  ^");
  dv_error err = {0};
  cr_assert_eq(outcomes_parse("1NN\xc3\xa9 2X", 3, &o, &err), DV_EUSAGE);
  cr_expect(strstr(err.msg, "\n  1NN\\xc3\\xa9 2X\n") != NULL, "echo not escaped: %s", err.msg);
  for (const char *p = err.msg; *p; p++)
    cr_expect(((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F) || *p == '\n',
              "raw byte 0x%02x in the message", (unsigned char)*p);
  /* a control byte in a later cohort */
  bad("1NN 2N\x02", 3, "'\\x02' at character 7", "        ^");
}

Test(outcomes, at_most_255_patients) {
  char text[400];
  memset(text, 'N', sizeof text);
  text[0] = '1';
  text[256] = '\0'; /* one cohort of 255 */
  dv_error err = {0};
  cr_assert_eq(outcomes_parse(text, 3, &o, &err), DV_OK, "%s", err.msg);
  text[256] = 'N';
  text[257] = '\0'; /* 256 */
  cr_expect_eq(outcomes_parse(text, 3, &o, &err), DV_EUSAGE);
  cr_expect(strstr(err.msg, "255") != NULL, "%s", err.msg);
}

/* Pending patients (SPEC 12): P and the days followed, T with an optional onset day. */
Test(outcomes, pending_patients) {
  dv_error err = {0};
  cr_assert_eq(outcomes_parse_pending("1NNN 2NP21P5", 3, 28.0, &o, &err), DV_OK, "%s", err.msg);
  cr_expect_eq(o.n_cohorts, 2);
  cr_expect(o.cohorts[1].n == 3 && o.cohorts[1].m == 2 && o.cohorts[1].y == 0);
  cr_expect(o.n_patients == 6 && o.n_pending == 2);
  cr_expect(o.patients[4].kind == 'P' && o.patients[4].days == 21.0 && o.patients[5].days == 5.0);
  design_state s;
  outcomes_state(&o, 2, true, &s);
  cr_expect(s.n[0] == 3 && s.n[1] == 1 && s.last_n == 1, "pending patients are not counted");
  pending_view v;
  outcomes_view(&o, 28.0, 3, 24, &v);
  cr_expect(v.n_patients == 6 && v.n_pending == 2 && v.enrolled[1] == 3 && v.n[1] == 1);
  cr_assert_eq(outcomes_parse_pending("1NT12P3.5 2TP0", 3, 28.0, &o, &err), DV_OK, "%s", err.msg);
  cr_expect(o.patients[1].kind == 'T' && o.patients[1].days == 12.0);
  cr_expect(o.patients[2].kind == 'P' && o.patients[2].days == 3.5);
  cr_expect(o.patients[3].kind == 'T' && o.patients[3].days == 28.0, "T without a day: W");
  cr_expect(o.cohorts[0].y == 1 && o.cohorts[0].m == 1 && o.cohorts[1].y == 1);
}

static void bad_pending(const char *text, double w, const char *needle, const char *caret) {
  dv_error err = {0};
  cr_assert_eq(outcomes_parse_pending(text, 3, w, &o, &err), DV_EUSAGE, "'%s' accepted", text);
  cr_expect(strstr(err.msg, needle) != NULL, "'%s': %s", text, err.msg);
  cr_expect(strstr(err.msg, "allowed: ") != NULL, "'%s': %s", text, err.msg);
  const char *nl = strrchr(err.msg, '\n');
  cr_assert_not_null(nl);
  cr_expect_str_eq(nl + 1, caret, "'%s': caret line '%s'", text, nl + 1);
}

Test(outcomes, bad_pending_patients) {
  bad_pending("1NP", 28.0, "'P' without days at character 3", "    ^");
  bad_pending("1NP28", 28.0, "P28 (28 days) at character 3", "    ^");
  bad_pending("1NP30", 28.0, "P30 (30 days) at character 3", "    ^");
  bad_pending("1T29", 28.0, "T29 (29 days) at character 2", "   ^");
  bad_pending("1NP3", 0.0, "'P' (a pending patient) at character 3", "    ^");
  bad_pending("1NPx", 28.0, "'P' without days", "    ^");
  bad_pending("1NP2.", 28.0, "'.' at character 5", "      ^");
  /* without a window the old notation and messages are unchanged */
  bad("1NXN", 3, "'X' at character 3", "    ^");
}

/* escalation's BOIN12 letters (SPEC 13): E response only, T DLT only, B both, N neither */
Test(outcomes, reads_response_letters_for_a_design_that_reads_responses) {
  dv_error err = {0};
  cr_assert_eq(outcomes_parse_responses("1NNN 2ENT 3ETT 2EEN 2BB", 3, 0.0, true, &o, &err), DV_OK,
               "%s", err.msg);
  cr_assert_eq(o.n_cohorts, 5);
  const int want[5][4] = {{1, 3, 0, 0}, {2, 3, 1, 1}, {3, 3, 2, 1}, {2, 3, 0, 2}, {2, 2, 2, 2}};
  for (int k = 0; k < 5; k++)
    cr_expect(o.cohorts[k].dose == want[k][0] && o.cohorts[k].n == want[k][1] &&
                  o.cohorts[k].y == want[k][2] && o.cohorts[k].r == want[k][3],
              "cohort %d: %d %d %d %d", k + 1, o.cohorts[k].dose, o.cohorts[k].n, o.cohorts[k].y,
              o.cohorts[k].r);
  design_state s;
  outcomes_state(&o, 5, false, &s);
  cr_expect(s.n[1] == 8 && s.y[1] == 3 && s.e[1] == 5 && s.e[2] == 1 && s.e[0] == 0 && s.cur == 2);
  /* the same string for a design that reads DLTs only: E is refused, and the message says why */
  cr_assert_eq(outcomes_parse_responses("1NNN 2ENT", 3, 0.0, false, &o, &err), DV_EUSAGE);
  cr_expect(strstr(err.msg, "'E' at character 7") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "only for a design that reads responses") != NULL, "%s", err.msg);
  /* a letter that is none of them, with responses (a fresh error: the first message is kept) */
  err = (dv_error){0};
  cr_assert_eq(outcomes_parse_responses("1NNX", 3, 0.0, true, &o, &err), DV_EUSAGE);
  cr_expect(strstr(err.msg, "E (response only), T (DLT only), B (both) or N (neither)") != NULL,
            "%s", err.msg);
  /* without responses nothing changes: T and N only, as outcomes_parse reads them */
  cr_assert_eq(outcomes_parse("1NNN 2NTN", 3, &o, &err), DV_OK);
  outcomes_state(&o, 2, false, &s);
  cr_expect(s.e[0] == 0 && s.e[1] == 0);
}

/* outcomes_cohort_text writes what outcomes_parse_responses reads back: every (DLTs, responses)
 * of cohorts of 1 to 8, with as few B (both) as the counts allow. */
Test(outcomes, cohort_text_reads_back_as_its_counts) {
  char text[DESIGN_MAX_COHORT + 8];
  outcomes_cohort_text(2, 3, 1, 1, text, sizeof text);
  cr_expect_str_eq(text, "2TEN");
  outcomes_cohort_text(12, 3, 3, 2, text, sizeof text);
  cr_expect_str_eq(text, "12BBT");
  for (int n = 1; n <= DESIGN_MAX_COHORT; n++)
    for (int y = 0; y <= n; y++)
      for (int r = 0; r <= n; r++) {
        dv_error err = {0};
        outcomes_cohort_text(3, n, y, r, text, sizeof text);
        cr_assert_eq(outcomes_parse_responses(text, 3, 0.0, true, &o, &err), DV_OK, "%s: %s", text,
                     err.msg);
        const outcome_cohort *c = &o.cohorts[0];
        cr_expect(o.n_cohorts == 1 && c->dose == 3 && c->n == n && c->y == y && c->r == r,
                  "%d/%d/%d wrote %s", n, y, r, text);
        int b = 0;
        for (const char *p = text; *p; p++)
          b += *p == 'B';
        cr_expect_eq(b, y + r > n ? y + r - n : 0, "%s: B for as few as the counts allow", text);
      }
  /* a short buffer: cut, and terminated */
  outcomes_cohort_text(2, 8, 0, 0, text, 5);
  cr_expect_str_eq(text, "2NNN");
}
