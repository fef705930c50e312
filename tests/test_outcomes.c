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
